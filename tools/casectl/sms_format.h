// casectl's text output of notification's answers (短信告知): a case's SMS
// with their delivery state, part by part, and the message an operator's
// decision (ResolveMessage) left. Times are China Standard Time, as in
// format.h. An SMS whose fate is unknown (SMS_STATE_UNKNOWN, "UNKNOWN —
// reconcile") is printed with the command lines that settle it.
//
// Pure; thread-safe.

#ifndef CASERELAY_TOOLS_CASECTL_SMS_FORMAT_H_
#define CASERELAY_TOOLS_CASECTL_SMS_FORMAT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "caserelay/v1/notification.pb.h"
#include "domain/names/names.h"

namespace caserelay::casectl {

// The name tables (domain/names/names.h) of notification's enums,
// covering every value the .proto declares. The words are printed, never
// parsed: an SmsState is "queued", "sending", "sent", "delivered", "failed",
// "no phone" or "UNKNOWN — reconcile"; an SmsPartState "pending", "sending",
// "accepted", "accepted by SMSC", "delivered", "failed" or "UNKNOWN"; an
// SmsResolution "sent", "resend" or "abandon" (the sms-resolve flags).
const std::vector<names::EnumName>& SmsStateNames();
const std::vector<names::EnumName>& SmsPartStateNames();
const std::vector<names::EnumName>& SmsResolutionNames();

// "delivered (已送达)", "UNKNOWN — reconcile (状态不明，待核实)".
std::string SmsStateLabel(caserelay::v1::SmsState state);

// What an operator does about the UNKNOWN message `message_id`: a short
// explanation and the three `casectl sms-resolve` command lines (--sent,
// --resend, --abandon, each with --note), each line starting with
// `indent`. The id is shell-quoted when it holds characters a shell would
// read.
std::string ReconcileAdvice(absl::string_view message_id,
                            absl::string_view indent);

// One message as "message <id>" and indented key: value lines: trigger,
// state, the reconcile advice when UNKNOWN, phone (masked), parts (the
// count, then a table PART, STATE, UPDATED, GATEWAY ID, DETAIL once
// rendered), attempts, last error, resolution (the operator's note, when
// there is one), updated, text. Empty values print as "-".
std::string FormatSmsMessage(const caserelay::v1::SmsMessage& message);

// A case's SMS: "case X: N SMS (times in China time)", then "!! K of them
// UNKNOWN — reconcile: see below" when some are, then each message
// (FormatSmsMessage) in the order given, a blank line before each. No
// messages: the single line "no SMS of case X known to notification".
std::string FormatSmsList(absl::string_view case_id,
                          const caserelay::v1::ListMessagesResponse& response);

// The answer to sms-resolve: "resolved <id> as <resolution> (<chinese>)"
// then the message as it now stands (FormatSmsMessage).
std::string FormatResolved(
    const caserelay::v1::ResolveMessageRequest& request,
    const caserelay::v1::ResolveMessageResponse& response);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_SMS_FORMAT_H_
