// casectl's text output: times in China Standard Time (北京时间), aligned
// tables, and a case's view, events and routing decision as key: value
// lines. Also the --json output (protobuf JSON).
//
// Pure; thread-safe.

#ifndef CASERELAY_TOOLS_CASECTL_FORMAT_H_
#define CASERELAY_TOOLS_CASECTL_FORMAT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/routing.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"

namespace caserelay::casectl {

// "2026-05-01 10:00:00" in China Standard Time; "-" when `t` is unset
// (zero).
std::string ChinaDateTime(const google::protobuf::Timestamp& t);

// The last day of a deadline due at `due_at`, as a China date
// "2026-04-30". A legal deadline falls due at 24:00 of its last day, the
// first instant of the next day (common/time/china_time.h EndOf), so this
// is the day of the instant just before `due_at`. "-" when unset.
std::string ChinaDueDay(const google::protobuf::Timestamp& due_at);

// "沁源县信访局 (140431:bureau)"; the code alone without a name; "-"
// when both are empty.
std::string OfficeLabel(absl::string_view code, absl::string_view name);

// How many terminal columns `utf8` takes: East Asian wide characters
// (CJK, Hangul, full-width forms) count 2, others 1.
size_t DisplayWidth(absl::string_view utf8);

// `rows` as columns padded to their widest cell (by DisplayWidth), two
// spaces apart, one line per row; the last column is not padded.
std::string FormatTable(const std::vector<std::vector<std::string>>& rows);

// "handling due 2026-06-30 at 140431:housing", with ", paused since ..."
// while paused and ", answers <supervision id>" for a supervision reply.
std::string DeadlineLine(const caserelay::v1::RunningDeadline& deadline);

// The decision as lines: disposition, target, registering, rules (one
// per line), route, linked case, cross-jurisdiction. Every line is
// printed, "-" for an empty value; then "undecided: <reason>" only when
// the rules could not place the matter (rule undecided).
std::string FormatDecision(const caserelay::v1::RouteDecision& decision);

// A service (送达): "2026-03-10 by post (邮寄送达)".
std::string ServiceText(const caserelay::v1::Service& service);
// The petitioner's window: "ends 2026-04-09 (复查, Art. 35: counted from
// receipt on 2026-03-10 by post (邮寄送达))", or, before the receipt is
// recorded, "receipt not yet recorded (尚未登记送达), so its end is not
// known (复查, Art. 35)".
std::string ServiceWindowText(const caserelay::v1::PetitionerWindow& window);

// A case's view as key: value lines (state, holder, version, matter, ...).
std::string FormatView(const caserelay::v1::CaseView& view);
// "JF20260301-0001 2026-03-04 scheduled (领导接访日) 县长 王某某
// (140431:gov)": the leader's reception a visit was registered at.
std::string ReceptionText(const caserelay::v1::ReceptionRef& reception);

// One event of a case's history: "#seq time action by office [operator]"
// then indented lines: from → to, holder, reason, action details (for
// SUPERVISE: the instrument's level and id, issuer → target, the missed
// deadline), the deadlines running after it. An Envelope that carries no
// CaseEvent gives its header and "(not a case event)".
std::string FormatEvent(const caserelay::v1::Envelope& envelope);

// `message` in protobuf JSON (field names in lowerCamelCase, as
// MessageToJsonString prints them), one line. INTERNAL if the printer
// fails.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_FORMAT_H_
