// The answers of supervision's subtree queries merged across instances
// (issue 19 item 4; README.md "Subtree queries"; common/rpc/scatter.h):
// each instance answered from the partitions it holds, each partition by
// exactly one instance; merged, the answer is what one instance holding
// every partition gives.
//
// Thread safety: stateless functions.

#ifndef CASERELAY_SERVICES_SUPERVISION_SUBTREE_MERGE_H_
#define CASERELAY_SERVICES_SUPERVISION_SUBTREE_MERGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "caserelay/v1/supervision.pb.h"
#include "common/rpc/scatter.h"

namespace caserelay::supervision {

// Whole calendar days of now - due (0 if not yet due): RedLight's
// overdue_days.
int64_t OverdueDays(absl::Time due, absl::Time now);

// ListRedLights: the lights of every shard oldest due first (their
// "lights" key: due, then deadline id), at most `limit`, with the
// next_page_token (hex of the key it continues after) of
// rpc::MergePages; overdue_days and as_of as of `now` (the instance the
// caller reached). REQUIRES: limit >= 1.
caserelay::v1::ListRedLightsResponse MergeRedLights(
    std::vector<rpc::Shard<caserelay::v1::ListRedLightsResponse>> shards,
    int limit, absl::Time now);

// ListGroupAlerts: newest received first (GroupAlertKey), at most `limit`,
// with the next_page_token of rpc::MergePages. REQUIRES: limit >= 1.
caserelay::v1::ListGroupAlertsResponse MergeGroupAlerts(
    std::vector<rpc::Shard<caserelay::v1::ListGroupAlertsResponse>> shards,
    int limit);

// GetIndicators: the raw counts (every Rate's numerator and denominator,
// the backlog) of the total and of each row summed over the shards, rows
// by key in key order, and every Rate.value computed again from the sums
// (never an average of ratios). from and to are the first shard's (the
// instance that gathered pins `to` before asking). Each case lives in one
// partition and each partition is answered once, so no case counts twice.
caserelay::v1::GetIndicatorsResponse MergeIndicators(
    const std::vector<rpc::Shard<caserelay::v1::GetIndicatorsResponse>>&
        shards);

}  // namespace caserelay::supervision

#endif  // CASERELAY_SERVICES_SUPERVISION_SUBTREE_MERGE_H_
