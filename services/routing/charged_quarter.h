// 领导包案's quota (issue 18 item 2): the quarter a day is in, China time,
// and each leader's count of cases taken in charge in it against
// leadership.charge_quota_per_quarter. Pure: thread-safe.

#ifndef CASERELAY_SERVICES_ROUTING_CHARGED_QUARTER_H_
#define CASERELAY_SERVICES_ROUTING_CHARGED_QUARTER_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/routing.pb.h"

namespace caserelay::routing {

struct ChargedQuarter {
  std::string label;  // "2026Q1"
  absl::Time start;   // 00:00 China time of its first day
  absl::Time end;     // 00:00 China time of the next quarter's first day
};

// The quarter (Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec) of `now`'s China day.
ChargedQuarter QuarterOf(absl::Time now);

// One row per leader (by name, sorted) with the cases of `taken` whose
// `since` falls in `quarter`, each with `quota`; only `leader_name`'s if it
// is not empty, and then its row even when it took none.
std::vector<caserelay::v1::LeaderQuota> CountQuarter(
    const std::vector<caserelay::v1::LeaderInCharge>& taken,
    const ChargedQuarter& quarter, const std::string& leader_name, int quota);

}  // namespace caserelay::routing

#endif  // CASERELAY_SERVICES_ROUTING_CHARGED_QUARTER_H_
