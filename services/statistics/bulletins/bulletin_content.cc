#include "services/statistics/bulletins/bulletin_content.h"

#include "absl/strings/str_cat.h"

namespace caserelay::bulletins {

std::string IssueLabel(const BulletinContent& content) {
  return absl::StrCat(content.year, "年第", content.number, "期");
}

std::string Title(const BulletinContent& content) {
  return absl::StrCat(content.bureau_name, " ", KindTitle(content.period.kind),
                      " ", IssueLabel(content));
}

}  // namespace caserelay::bulletins
