// What the petitioner is told when a petition is not handled as one: the
// statutory routes of Regulation Art. 31 items 1-5 (诉访分离, 依法分类处理)
// and the texts of the rules that turn a petition away (信访终结, 越级走访
// ...), loaded from data/routing/statutory_routes.tsv (see its README.md).
#ifndef CASERELAY_DOMAIN_ROUTING_STATUTORY_ROUTES_H_
#define CASERELAY_DOMAIN_ROUTING_STATUTORY_ROUTES_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "caserelay/v1/case.pb.h"

namespace caserelay::routing {

// Thread safety: immutable after Load(); const methods may be called
// concurrently.
class StatutoryRoutes {
 public:
  // Reads `path`: `key<TAB>text` rows. The keys are KeyOf() of every
  // StatutoryRoute but NONE, and the rules refused-terminated,
  // in-progress-below, repeat-petition and level-skipping-visit (rules.h),
  // each exactly once.
  //
  // Returns the table. Fails with the errno-derived code (NOT_FOUND ...)
  // naming `path` if it cannot be read; INVALID_ARGUMENT "path:line: ..."
  // for a malformed row, an unknown or duplicate key, or a text ending in
  // 。; INVALID_ARGUMENT naming the file and the key when a key is missing.
  static absl::StatusOr<std::unique_ptr<StatutoryRoutes>> Load(
      const std::string& path);

  StatutoryRoutes(const StatutoryRoutes&) = delete;
  StatutoryRoutes& operator=(const StatutoryRoutes&) = delete;

  // The text told for `route`, e.g. "请依法向人民法院提起诉讼"; empty for
  // STATUTORY_ROUTE_NONE or a value that is not in the enum.
  std::string For(caserelay::v1::StatutoryRoute route) const;

  // The text of `rule` with each "{office}" replaced by `office_name`;
  // empty for a rule without a text.
  std::string ForRule(std::string_view rule,
                      std::string_view office_name) const;

  // The file's key for `route`: its enum name without STATUTORY_ROUTE_, in
  // lower-case kebab ("admin-review"); empty for NONE or an unknown value.
  static std::string KeyOf(caserelay::v1::StatutoryRoute route);

 private:
  StatutoryRoutes() = default;

  std::map<std::string, std::string, std::less<>> texts_;  // const after Load
};

}  // namespace caserelay::routing

#endif  // CASERELAY_DOMAIN_ROUTING_STATUTORY_ROUTES_H_
