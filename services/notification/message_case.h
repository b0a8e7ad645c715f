// Which case an SMS belongs to, from its message id alone (issue 19 item
// 5): with several instances a delivery report (Kannel's dlr-url carries
// the message id) and ResolveMessage (the operator names the message)
// must reach the instance that holds the case's partition
// (kafka::PartitionOf(case id)), before any record is read.
//
// A message id is its event's id + "/sms" (+ "/<n>" for co-representative
// n; SmsMessageId, notification_service.h), and the events that queue an
// SMS come from routing in two shapes only (services/routing):
//   "intake/<case>/received/registered"  REGISTER (routing_service.cc, the
//                                        id of intake's PetitionReceived
//                                        + "/registered")
//   "<case>/<version>"                   every office action (office_api.cc)
// Routing's other events on case-events ("/linked", "/supervised") queue
// no SMS (sms_plan.h: LINK_REPEAT and SUPERVISE send none). A phone code's
// SMS ("phone-code/<challenge id>", phone_codes.h) belongs to no case.
//
// Thread safety: pure functions.

#ifndef CASERELAY_SERVICES_NOTIFICATION_MESSAGE_CASE_H_
#define CASERELAY_SERVICES_NOTIFICATION_MESSAGE_CASE_H_

#include <optional>
#include <string>
#include <string_view>

namespace caserelay::notification {

// The case id named by `message_id` (shapes above); nullopt for an id of
// another shape (a phone code's, or one no event of routing makes).
std::optional<std::string> CaseOfMessageId(std::string_view message_id);

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_MESSAGE_CASE_H_
