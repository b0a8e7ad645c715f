// casectl route (PreviewRoute: the decision for a petition, storing
// nothing) and casectl verify (the hash chain of a case's history,
// domain/chain/chain.h).
//
// Thread safety: functions are thread-safe; a Run function writes only to
// the stream it is given.

#ifndef CASERELAY_TOOLS_CASECTL_VERIFY_ROUTE_H_
#define CASERELAY_TOOLS_CASECTL_VERIFY_ROUTE_H_

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "domain/chain/history.h"
#include "tools/casectl/call.h"

namespace caserelay::casectl {

// The content of the file `path`, or all of `in` when `path` is "-".
// NOT_FOUND / PERMISSION_DENIED / UNAVAILABLE naming the path when it
// cannot be read.
absl::StatusOr<std::string> ReadInput(const std::string& path,
                                      std::istream& in);

// The PreviewRouteRequest in `json`: protobuf JSON of either a
// PreviewRouteRequest (an object with "matter" and/or "identityKey") or a
// bare Matter (wrapped into a request). Field names may be lowerCamelCase
// or as in the .proto; enums by their .proto names. INVALID_ARGUMENT
// saying which it was read as and why for: text that is not JSON, JSON
// that is not an object, an unknown field or a value of the wrong type, a
// request without a matter, and an empty matter.
absl::StatusOr<caserelay::v1::PreviewRouteRequest> PreviewRequestFromJson(
    absl::string_view json);

// Asks routing for the decision and prints it (format.h FormatDecision,
// or the RouteDecision as JSON). Returns the service's status if it fails.
absl::Status RunRoute(caserelay::v1::RoutingService::StubInterface& routing,
                      const caserelay::v1::PreviewRouteRequest& request,
                      const PrintOptions& options, std::ostream& out);

// What verify found: chain::CheckHistory of the case (domain/chain/
// history.h, the check the web console's case page shows too).
using VerifyResult = chain::HistoryCheck;

// "intact: N events, head <hex>" or "broken: event K: <reason>" (without
// "event K: " when K is 0), and a newline.
std::string VerifyText(const VerifyResult& result);

// Reads the case (GetCase), verifies it and prints VerifyText (or JSON:
// {"caseId", "intact", "events", "head"} when intact, {"caseId",
// "intact", "event", "reason"} when not). Returns whether the chain is
// intact, or GetCase's status if it fails.
absl::StatusOr<bool> RunVerify(
    caserelay::v1::RoutingService::StubInterface& routing,
    const std::string& case_id, const PrintOptions& options, std::ostream& out);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_VERIFY_ROUTE_H_
