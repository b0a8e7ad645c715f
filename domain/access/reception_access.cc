#include "domain/access/reception_access.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace caserelay::access {
namespace {

absl::Status Denied(absl::string_view why) {
  return absl::PermissionDeniedError(
      absl::StrCat(why, "（", kRuleReceptionSchedule, "）"));
}

}  // namespace

absl::Status MayManageReception(const ReceptionKeeper& keeper,
                                absl::string_view reception_office) {
  if (keeper.office.empty()) return Denied("只有单位才能发布或取消接访安排");
  if (keeper.office != reception_office) {
    return Denied("只能发布或取消本单位的接访安排");
  }
  if (keeper.every_role) return absl::OkStatus();
  const auto& roles = keeper.roles;
  for (caserelay::v1::StaffRole role :
       {caserelay::v1::STAFF_ROLE_REGISTRAR, caserelay::v1::STAFF_ROLE_HEAD,
        caserelay::v1::STAFF_ROLE_LEADER}) {
    if (std::find(roles.begin(), roles.end(), role) != roles.end()) {
      return absl::OkStatus();
    }
  }
  return Denied("只有登记员、负责人或领导才能发布或取消接访安排");
}

}  // namespace caserelay::access
