// Routing decisions (转送): which office handles a matter. This first form
// applies the territorial and tiered principle (属地管理、分级负责,
// Regulation Art. 22) at county level: the petition bureau of the county
// that contains the matter's location. The full rule set of DOMAIN.md
// "Routing" builds on this.
//
// Pure: no I/O. Thread safety: stateless.

#ifndef CASERELAY_DOMAIN_ROUTING_ROUTER_H_
#define CASERELAY_DOMAIN_ROUTING_ROUTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/region/region_tree.h"

namespace caserelay::routing {

// Rule names cited by decisions.
inline constexpr char kRuleTerritorialTiered[] = "territorial-tiered";

struct Decision {
  std::string office_code;  // "<region code>:bureau"
  std::string office_name;  // "<region name>信访局"
  std::string region_code;
  std::vector<std::string> rules;  // the rules that decided, in order
};

// The office code of a region's petition bureau (信访局).
std::string BureauCode(std::string_view region_code);

// Routes a matter located at `region_code` to its county-level petition
// bureau; a matter located at a city or province goes to that region's
// own bureau. INVALID_ARGUMENT if the region is unknown.
absl::StatusOr<Decision> RouteToCountyBureau(std::string_view region_code,
                                             const region::RegionTree& regions);

}  // namespace caserelay::routing

#endif  // CASERELAY_DOMAIN_ROUTING_ROUTER_H_
