// Which SMS (短信) a case event sends the petitioner, and with what
// variables (DOMAIN.md "Notifying the petitioner"; the triggers and their
// variables are domain/sms/triggers.h, the wording data/sms/templates/).
//
//   action           trigger            variables (besides case_number)
//   REGISTER         received           (lookup_code: the sender asks intake)
//                    when the disposition is TRANSFER, ASSIGN, TRIAGE or
//                    LINKED_REPEAT;
//                    not_accepted*      when NOT_ACCEPTED, REDIRECT or
//                                       REFUSED_TERMINATED: the template of
//                                       the ground (below); reason: the
//                                       ground's text (SmsTexts), route:
//                                       decision.route
//   ESCALATE         escalated          office_name (提级办理: the superior
//                                       organ now handling it)
//   CORRECT          not_accepted*      as REGISTER's, when the corrected
//                                       matter is NOT_ACCEPTED, REDIRECT or
//                                       REFUSED_TERMINATED; none when it is
//                                       registered anew (the next 转送/交办
//                                       tells the organ)
//   TRANSFER         transferred        office_name
//   ASSIGN           assigned           office_name
//   ACCEPT           accepted           office_name, due_date (the HANDLING
//                                       or SIMPLIFIED deadline)
//   DECLINE          not_accepted*      reason, route (the event's)
//
// not_accepted* by RefusalGroundOf(event): STATUTORY_ROUTE not_accepted
// (reason, route), IN_PROGRESS_BELOW not_accepted_in_progress (route),
// TERMINATED not_accepted_terminated (reason), LEVEL_SKIPPING
// not_accepted_level_skipping (reason, route), OUT_OF_SCOPE
// not_accepted_out_of_scope (reason, route).
//   EXTEND           extended           new_due_date (HANDLING), reason
//   REPLY            replied            view_hint
//   REQUEST_REVIEW   review_received    office_name
//   DECIDE_REVIEW    review_decided     view_hint
//   REQUEST_REREVIEW rereview_received  office_name
//   DECIDE_REREVIEW  rereview_decided   view_hint
//   any other        none
//
// office_name is the holder's name after the event; dates are the China
// date of the deadline's last day, "2026年12月21日". An accusation's
// (检举控告类) SMS never carries the event's reason: the neutral text
// stands in, as it does when an office gave no reason.
//
// Pure: no I/O. Thread safety: stateless functions.

#ifndef CASERELAY_SERVICES_NOTIFICATION_SMS_PLAN_H_
#define CASERELAY_SERVICES_NOTIFICATION_SMS_PLAN_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"

namespace caserelay::notification {

// Wording that is not in the templates, from the settings.
struct SmsTexts {
  // sms.view_hint: where the petitioner views a result.
  std::string view_hint = "登录网上信访平台凭查询码查看";
  // The reasons given for a petition routing did not accept, by ground:
  // sms.reason.statutory_route (Art. 31), sms.reason.redirect (越级走访),
  // sms.reason.terminated (信访终结).
  std::string reason_statutory_route = "该事项依法应当通过法定途径解决";
  std::string reason_redirect = "该事项应当向有权处理的机关提出";
  std::string reason_terminated = "该事项已复核终结，不再受理";
  // sms.reason.neutral: instead of an accusation's reason, or of none.
  std::string reason_neutral = "依照有关规定";
  // sms.route.default: when routing or the office named no route.
  std::string route_default = "依法向有权处理的机关提出";
};

// One SMS to queue: its trigger and the variables known now.
struct PlannedSms {
  std::string trigger;
  std::map<std::string, std::string> vars;
};

// Why `event` refuses the case (不予受理): for REGISTER the decision's
// refusal_ground, or, for an event recorded before routing named one, the
// disposition's (NOT_ACCEPTED: STATUTORY_ROUTE, REDIRECT: LEVEL_SKIPPING,
// REFUSED_TERMINATED: TERMINATED); for DECLINE the event's, OUT_OF_SCOPE
// if none; UNSPECIFIED for any other event.
caserelay::v1::RefusalGround RefusalGroundOf(
    const caserelay::v1::CaseEvent& event);

// The SMS `event` (of case `case_id`) sends, or nullopt if none.
// `accusation`: the case's matter class, from its REGISTER, is ACCUSATION.
// Errors (the event cannot be told; nothing to queue):
//   FAILED_PRECONDITION if an ACCEPT or EXTEND lists no HANDLING or
//     SIMPLIFIED deadline to date;
//   INVALID_ARGUMENT naming the field if a variable would be empty
//     (holder_office_name), or for a refusal ground the protocol does not
//     know (a newer routing's).
absl::StatusOr<std::optional<PlannedSms>> PlanSms(
    std::string_view case_id, const caserelay::v1::CaseEvent& event,
    bool accusation, const SmsTexts& texts);

// The China date of a deadline's last day, "2026年12月21日": the day
// before the instant `due_at` when it is the end of a day (24:00, as
// time::EndOf gives), the day containing it otherwise.
std::string ChinaDueDate(absl::Time due_at);

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_SMS_PLAN_H_
