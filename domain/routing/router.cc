#include "domain/routing/router.h"

#include "absl/strings/str_cat.h"

namespace caserelay::routing {

std::string BureauCode(std::string_view region_code) {
  return absl::StrCat(std::string(region_code), ":bureau");
}

absl::StatusOr<Decision> RouteToCountyBureau(
    std::string_view region_code, const region::RegionTree& regions) {
  const region::Region* where = regions.Find(region_code);
  if (where == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "matter.region_code: unknown region ", std::string(region_code)));
  }
  const region::Region* office_region = regions.CountyOf(region_code);
  if (office_region == nullptr) office_region = where;  // city or province
  Decision d;
  d.region_code = office_region->code;
  d.office_code = BureauCode(office_region->code);
  d.office_name = absl::StrCat(office_region->name, "信访局");
  d.rules.push_back(kRuleTerritorialTiered);
  return d;
}

}  // namespace caserelay::routing
