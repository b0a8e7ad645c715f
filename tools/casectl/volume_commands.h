// casectl stats volume: the volume figures (信访总量, issue 17 item 1) of a
// scope over a period from the statistics service, with 环比 and 同比.
//
// Thread safety: free functions; one thread.

#ifndef CASERELAY_TOOLS_CASECTL_VOLUME_COMMANDS_H_
#define CASERELAY_TOOLS_CASECTL_VOLUME_COMMANDS_H_

#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/statistics.grpc.pb.h"
#include "tools/casectl/call.h"
#include "tools/casectl/flags.h"

namespace caserelay::casectl {

// The GetVolumeRequest of `stats volume`'s flags: the scope and period of
// `stats` (ScopeAndPeriodOf; without --to: up to today, the service's
// default), --by office, region (the scope's child regions) or level.
// INVALID_ARGUMENT naming the flag as ScopeAndPeriodOf, or for another
// --by.
absl::StatusOr<caserelay::v1::GetVolumeRequest> VolumeRequestOf(
    const ParsedFlags& flags, absl::Time now);

// The figures as a table: each figure of the period, the previous period
// (环比) and the year before (同比), with the changes in percent ("—" with
// no base) — issue 17's, then issue 18's (services/statistics/
// leaders_figures.h: 接访 批次/人次, 当场解决, 群体访, 包案, 督办 by source,
// 建议, 提级, 更正, 回访), then the categories; then one block per
// breakdown row.
std::string FormatVolume(const caserelay::v1::GetVolumeResponse& response);

// Sends `request` and prints FormatVolume or, with options.json, the
// GetVolumeResponse. Returns the service's status if the call fails.
absl::Status RunVolume(caserelay::v1::StatisticsService::StubInterface& stats,
                       const caserelay::v1::GetVolumeRequest& request,
                       const PrintOptions& options, std::ostream& out);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_VOLUME_COMMANDS_H_
