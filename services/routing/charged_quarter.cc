// The quarter of 领导包案's quota (charged_quarter.h).
#include "services/routing/charged_quarter.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"

namespace caserelay::routing {

ChargedQuarter QuarterOf(absl::Time now) {
  const absl::CivilDay today = time::ChinaDay(now);
  const int first_month = static_cast<int>((today.month() - 1) / 3) * 3 + 1;
  const absl::CivilMonth start(today.year(), first_month);
  const absl::CivilMonth next = start + 3;
  ChargedQuarter q;
  q.label = absl::StrCat(today.year(), "Q", (first_month - 1) / 3 + 1);
  q.start = time::StartOf(absl::CivilDay(start));
  q.end = time::StartOf(absl::CivilDay(next));
  return q;
}

std::vector<caserelay::v1::LeaderQuota> CountQuarter(
    const std::vector<caserelay::v1::LeaderInCharge>& taken,
    const ChargedQuarter& quarter, const std::string& leader_name,
    int quota) {
  std::map<std::string, caserelay::v1::LeaderQuota> by_name;
  if (!leader_name.empty()) by_name[leader_name].set_leader_name(leader_name);
  for (const caserelay::v1::LeaderInCharge& leader : taken) {
    const absl::Time since = time::FromProto(leader.since());
    if (since < quarter.start || since >= quarter.end) continue;
    if (!leader_name.empty() && leader.leader_name() != leader_name) continue;
    caserelay::v1::LeaderQuota& row = by_name[leader.leader_name()];
    row.set_leader_name(leader.leader_name());
    row.set_leader_title(leader.leader_title());
    row.set_taken(row.taken() + 1);
  }
  std::vector<caserelay::v1::LeaderQuota> rows;
  for (auto& [name, row] : by_name) {
    row.set_quota(quota);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace caserelay::routing
