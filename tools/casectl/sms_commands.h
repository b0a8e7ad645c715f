// casectl's commands on notification (短信告知): sms (ListMessages, a
// case's SMS with their delivery state) and sms-resolve (ResolveMessage,
// an operator's decision on an SMS whose fate is unknown). The parse of
// sms-resolve's flags is separate from the call, so bad usage sends
// nothing.
//
// Thread safety: functions are thread-safe; a Run function writes only to
// the stream it is given.

#ifndef CASERELAY_TOOLS_CASECTL_SMS_COMMANDS_H_
#define CASERELAY_TOOLS_CASECTL_SMS_COMMANDS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caserelay/v1/notification.grpc.pb.h"
#include "tools/casectl/call.h"
#include "tools/casectl/flags.h"

namespace caserelay::casectl {

// The ResolveMessageRequest of `sms-resolve MESSAGE_ID` and its flags:
// the resolution from exactly one of --sent, --resend and --abandon, the
// note from --note. INVALID_ARGUMENT for: none or more than one of the
// three ("give exactly one of --sent, --resend or --abandon"), --note
// missing or blank ("--note is required").
// REQUIRES: flags.positional() has one word, the message id.
absl::StatusOr<caserelay::v1::ResolveMessageRequest> ResolveRequestOf(
    const ParsedFlags& flags);

// Lists the SMS of `case_id` (sms_format.h FormatSmsList) or, with
// options.json, the ListMessagesResponse. Returns the service's status if
// the call fails, having printed nothing.
absl::Status RunSms(
    caserelay::v1::NotificationService::StubInterface& notification,
    const std::string& case_id, const PrintOptions& options, std::ostream& out);

// Sends `request` and prints the message as it now stands
// (FormatResolved) or, with options.json, the ResolveMessageResponse.
// Returns the service's status if the call fails (FAILED_PRECONDITION
// when the message is not UNKNOWN, NOT_FOUND for an unknown id), having
// printed nothing.
absl::Status RunSmsResolve(
    caserelay::v1::NotificationService::StubInterface& notification,
    const caserelay::v1::ResolveMessageRequest& request,
    const PrintOptions& options, std::ostream& out);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_SMS_COMMANDS_H_
