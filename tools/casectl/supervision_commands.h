// casectl's commands on supervision (督查督办): lights (ListRedLights, the
// red-light board 灭红灯), stats (GetIndicators) and deadlines
// (ListDeadlines). The parse of their flags is separate from the calls,
// so bad usage sends nothing.
//
// Thread safety: functions are thread-safe; a Run function writes only to
// the stream it is given.

#ifndef CASERELAY_TOOLS_CASECTL_SUPERVISION_COMMANDS_H_
#define CASERELAY_TOOLS_CASECTL_SUPERVISION_COMMANDS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "caserelay/v1/statistics.grpc.pb.h"
#include "caserelay/v1/supervision.grpc.pb.h"
#include "tools/casectl/call.h"
#include "tools/casectl/flags.h"

namespace caserelay::casectl {

// Largest --limit supervision accepts (supervision.proto ListRedLights).
inline constexpr int kMaxLightsLimit = 10000;

struct LightsCommand {
  caserelay::v1::ListRedLightsRequest request;
  bool all = false;  // follow next_page_token to the last page
};

// The ListRedLightsRequest of `lights`'s flags. INVALID_ARGUMENT naming the
// flag for: --region that is not a region code (6 or 9 digits), --office
// that is not an office code, --limit that is not 1..kMaxLightsLimit.
absl::StatusOr<LightsCommand> LightsCommandOf(const ParsedFlags& flags);

// Prints the board (supervision_format.h FormatLights) or, with
// options.json, one ListRedLightsResponse (with --all, the lights of every
// page in one response, as_of of the first page). Without --all, a line
// names the next page's token when there is one. Returns the service's
// status if a call fails (nothing printed).
absl::Status RunLights(
    caserelay::v1::SupervisionService::StubInterface& supervision,
    const LightsCommand& command, const PrintOptions& options,
    std::ostream& out);

// The GetIndicatorsRequest of `stats`'s flags. Days are China days: the
// period starts at the first instant of --from and ends at the end of
// --to's day (24:00, the next day's first instant; exclusive). Without
// --to, `to` is left unset (statistics' clock now). Without --from: the
// first day of --to's month if --to is given, else of the month of `now`
// (the caller's idea of the current time). INVALID_ARGUMENT naming the
// flag for: --office with --region or --level, a bad --office, --region
// or --level, a date that is not YYYY-MM-DD, --to before --from, --by
// other than office or level.
absl::StatusOr<caserelay::v1::GetIndicatorsRequest> StatsRequestOf(
    const ParsedFlags& flags, absl::Time now);

// StatsRequestOf without --by: the scope and the period only (shared with
// `stats volume`, volume_commands.h).
absl::StatusOr<caserelay::v1::GetIndicatorsRequest> ScopeAndPeriodOf(
    const ParsedFlags& flags, absl::Time now);

// Sends `request` to statistics (the indicators' one place: its index,
// issue 17) and prints the indicators (FormatIndicators) or, with
// options.json, the GetIndicatorsResponse. Returns the service's status
// if the call fails.
absl::Status RunStats(
    caserelay::v1::StatisticsService::StubInterface& statistics,
    const caserelay::v1::GetIndicatorsRequest& request,
    const PrintOptions& options, std::ostream& out);

// Lists the deadlines and 督办 of `case_id` (FormatDeadlines) or, with
// options.json, the ListDeadlinesResponse. Returns the service's status
// if the call fails.
absl::Status RunDeadlines(
    caserelay::v1::SupervisionService::StubInterface& supervision,
    const std::string& case_id, const PrintOptions& options, std::ostream& out);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_SUPERVISION_COMMANDS_H_
