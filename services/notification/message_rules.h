// What happens to one SMS record (短信) when something is learnt about it:
// a gateway's answer to a part, a delivery report (状态报告), an operator's
// decision on a message whose fate is unknown. Pure: the functions change
// the record in memory and say what to write and publish; the sender, the
// delivery-report receiver and the gRPC handler persist it through the
// MessageBook (message_book.h).
//
// A message's state follows its parts (SmsPart):
//   QUEUED    some part is PENDING and none is SENDING or UNKNOWN
//   SENDING   a part is SENDING (recorded before its gateway call)
//   SENT      every part ACCEPTED or further, not all DELIVERED
//   DELIVERED every part DELIVERED
//   FAILED    a part FAILED, or the message was given up
//   UNKNOWN   a part is UNKNOWN: reconciled by a delivery report or an
//             operator (ResolveMessage), never re-sent blindly
// SmsSent is published once, when the message first has every part taken;
// SmsDelivered / SmsFailed once per part a report names; SmsFailed with
// part 0 when the whole message is given up.
//
// Every text these functions store or publish (a gateway's id and words,
// a report's detail, a reason, an operator's note) comes from outside and
// is made valid UTF-8 first (common/text/utf8.h ToValidUtf8): protobuf
// would write invalid bytes into a proto3 string but never parse the
// record back.
//
// Thread safety: stateless functions.

#ifndef CASERELAY_SERVICES_NOTIFICATION_MESSAGE_RULES_H_
#define CASERELAY_SERVICES_NOTIFICATION_MESSAGE_RULES_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"

namespace caserelay::notification {

// What a change to a record asks of the store besides the record itself.
struct Change {
  bool enqueue = false;  // put the message (back) on the queue
  bool dequeue = false;  // take it off the queue: finished or unknown
  std::vector<caserelay::v1::Envelope> events;  // to notification-events
};

// A gateway-neutral delivery report on one part.
enum class ReportOutcome {
  kSmscAccepted,  // the SMSC took the part (proves it went out)
  kQueued,        // the SMSC holds it for later (no change of state)
  kDelivered,     // on the handset
  kFailed,        // will not be delivered
};

struct PartReport {
  std::string message_id;
  int part = 1;   // 1-based
  int parts = 1;  // as the report says; checked against the record
  ReportOutcome outcome = ReportOutcome::kDelivered;
  std::string detail;  // the SMSC's words, for the record
};

// Starts parts 1..`parts` PENDING (the first render); does nothing when
// the record already has its parts.
void StartParts(caserelay::v1::SmsRecord& record, int parts, absl::Time now);

// The first part not yet handed to the gateway (PENDING), or 0 if none.
int NextPendingPart(const caserelay::v1::SmsRecord& record);

// The message's state from its parts (table above); keeps FAILED.
caserelay::v1::SmsState StateFromParts(const caserelay::v1::SmsRecord& record);

// Records that part `index` is SENDING (before the gateway call).
void MarkPartSending(caserelay::v1::SmsRecord& record, int index,
                     absl::Time now);

// The gateway took part `index` (id `gateway_id`). A report that came
// first and moved the part further is kept. When every part is taken the
// message is SENT (or DELIVERED) and dequeued, with SmsSent.
Change MarkPartAccepted(caserelay::v1::SmsRecord& record, int index,
                        const std::string& gateway_id,
                        std::string_view gateway_name, absl::Time now);

// Part `index` went back to PENDING (the gateway was not reached, or
// answered "not now"): the message is QUEUED with `why` as last_error. A
// part a delivery report already took on stays taken (never re-sent).
void MarkPartNotSent(caserelay::v1::SmsRecord& record, int index,
                     std::string_view why, absl::Time now);

// Part `index` may or may not have gone out: UNKNOWN, dequeued, `why` as
// last_error — unless a delivery report that came during the call already
// took the part on, which stands.
Change MarkPartUnknown(caserelay::v1::SmsRecord& record, int index,
                       std::string_view why, absl::Time now);

// The message will not reach the petitioner: FAILED, dequeued, SmsFailed
// (part 0, or `index` when one part was refused or reported
// undeliverable). A SENT message can still fail this way (a report); one
// already FAILED, NO_PHONE or DELIVERED is kept (no change).
Change MarkFailed(caserelay::v1::SmsRecord& record, int index,
                  std::string_view reason, absl::Time now);

// Applies a delivery report. A report the record already reflects changes
// nothing and publishes nothing (Kannel may call twice). A report on part
// of a message left UNKNOWN settles that part: the message is SENT when
// every part is taken, or QUEUED again (enqueue) for the parts never sent.
// Errors, nothing changed: INVALID_ARGUMENT for a part outside the
// message's parts or a parts count that disagrees with the record.
absl::StatusOr<Change> ApplyReport(caserelay::v1::SmsRecord& record,
                                   const PartReport& report,
                                   std::string_view gateway_name,
                                   absl::Time now);

// An operator's decision on an UNKNOWN message (notification.proto
// SmsResolution): SENT counts its unknown parts as taken, RESEND makes
// them PENDING again, ABANDON fails the message. Errors, nothing changed:
// FAILED_PRECONDITION unless the message is UNKNOWN; INVALID_ARGUMENT for
// an empty note or no resolution.
absl::StatusOr<Change> ApplyResolution(caserelay::v1::SmsRecord& record,
                                       caserelay::v1::SmsResolution resolution,
                                       std::string_view note,
                                       std::string_view gateway_name,
                                       absl::Time now);

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_MESSAGE_RULES_H_
