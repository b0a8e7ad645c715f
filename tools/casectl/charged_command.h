// casectl charged: the leaders' list of 领导包案 (issue 18 item 2; routing
// ListChargedCases) — each case taken in charge with its state and next
// due, then each leader's count this quarter against the quota.
//
//   casectl charged [--office CODE] [--leader NAME] [--page-size N]
//                   [--page-token T]
//
// Thread safety: functions are thread-safe.

#ifndef CASERELAY_TOOLS_CASECTL_CHARGED_COMMAND_H_
#define CASERELAY_TOOLS_CASECTL_CHARGED_COMMAND_H_

#include <ostream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "tools/casectl/call.h"
#include "tools/casectl/flags.h"

namespace caserelay::casectl {

// The request of the command line. INVALID_ARGUMENT naming the flag for a
// --page-size that is not 1..500.
absl::StatusOr<caserelay::v1::ListChargedCasesRequest> ChargedRequestOf(
    const ParsedFlags& flags);

// Calls ListChargedCases and prints a table (case, state, next due, leader,
// holder, title) and one line per leader "王某某 县长: 1/3 this quarter
// (2026Q1)", or the answer as JSON. The RPC's error otherwise.
absl::Status RunCharged(caserelay::v1::RoutingService::StubInterface& routing,
                        const caserelay::v1::ListChargedCasesRequest& req,
                        const PrintOptions& options, std::ostream& out);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_CHARGED_COMMAND_H_
