// casectl's intake commands: submit (file a petition) and status (the
// petitioner's look-up with the case number and look-up code).
//
// Thread safety: functions are thread-safe; a Run function writes only to
// the stream it is given.

#ifndef CASERELAY_TOOLS_CASECTL_INTAKE_COMMANDS_H_
#define CASERELAY_TOOLS_CASECTL_INTAKE_COMMANDS_H_

#include <ostream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "tools/casectl/call.h"
#include "tools/casectl/flags.h"

namespace caserelay::casectl {

// The SubmitPetitionRequest of `submit`'s flags (cli.h lists them). Fields
// not given stay empty for intake to judge. INVALID_ARGUMENT naming the
// flag for an unknown --class, --channel or --statutory-route word.
absl::StatusOr<caserelay::v1::SubmitPetitionRequest> SubmitRequestOf(
    const ParsedFlags& flags);

// The GetCaseStatusRequest of `status CASE_NUMBER LOOKUP_CODE`.
// REQUIRES: flags.positional() has two words.
caserelay::v1::GetCaseStatusRequest StatusRequestOf(const ParsedFlags& flags);

// Sends `request` and prints "case_number: ..." and "lookup_code: ..."
// lines (or the response as JSON) to `out`. Returns the service's status
// when it refuses or fails, having printed nothing.
absl::Status RunSubmit(caserelay::v1::IntakeService::StubInterface& intake,
                       const caserelay::v1::SubmitPetitionRequest& request,
                       const PrintOptions& options, std::ostream& out);

// Sends `request` and prints case_number, state ("assigned (已交办)"),
// office, received and updated lines (or JSON). Errors as RunSubmit.
absl::Status RunStatus(caserelay::v1::IntakeService::StubInterface& intake,
                       const caserelay::v1::GetCaseStatusRequest& request,
                       const PrintOptions& options, std::ostream& out);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_INTAKE_COMMANDS_H_
