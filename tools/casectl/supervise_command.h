// casectl supervise: a 督办 by hand (issue 18 item 4, supervision's
// Supervise). The parse of its flags is separate from the call, so bad
// usage sends nothing. Which bureau may issue it is supervision's rule
// (domain/access supervise_access.h); casectl only names the ground.
//
//   casectl supervise CASE --ground G [--target OFFICE] [--level L]
//                          [--reason R]
//
// Thread safety: functions are thread-safe; RunSupervise writes only to
// the stream it is given.
#ifndef CASERELAY_TOOLS_CASECTL_SUPERVISE_COMMAND_H_
#define CASERELAY_TOOLS_CASECTL_SUPERVISE_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caserelay/v1/supervision.grpc.pb.h"
#include "tools/casectl/call.h"
#include "tools/casectl/flags.h"

namespace caserelay::casectl {

// The words of --ground (2005 Art. 36 items 1-6), "a|b|..." for --help.
std::string GroundChoices();
// The words of `recommend --kind`: improvement (改进工作建议),
// accountability (追责建议).
std::string RecommendationKindChoices();
// The kind a word names; INVALID_ARGUMENT naming the choices otherwise.
absl::StatusOr<caserelay::v1::RecommendationKind> ParseRecommendationKind(
    const std::string& word);

// supervise's own flags (--ground, --target, --level).
const std::vector<FlagSpec>& SuperviseFlags();

// The SuperviseRequest of `supervise CASE`'s flags. INVALID_ARGUMENT
// naming the flag: no CASE, --ground missing or not one of
// GroundChoices(), --level other than letter or listed.
absl::StatusOr<caserelay::v1::SuperviseRequest> SuperviseRequestOf(
    const ParsedFlags& flags);

// Sends it; prints the 督办 issued ("督办 <id>: <level> <issuer> → <target>,
// 事由 <ground>") or, with options.json, the SuperviseResponse. The
// service's status if the call fails (nothing printed).
absl::Status RunSupervise(
    caserelay::v1::SupervisionService::StubInterface& supervision,
    const caserelay::v1::SuperviseRequest& request,
    const PrintOptions& options, std::ostream& out);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_SUPERVISE_COMMAND_H_
