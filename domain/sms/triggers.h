// The SMS triggers (短信触发节点) and the variables each may carry.
//
// DOMAIN.md "Notifying the petitioner": the petitioner (信访人) gets an SMS on
// receipt with the case number and look-up code (查询码), on acceptance
// (受理), on not-accepted with the route to take, on transfer (转送) or
// assignment (交办), on an extension (延期), when the reply is ready to view
// and rate (提醒查看办理结果), and when a review (复查) or re-review (复核) is
// received and decided. No SMS carries accusation content, an ID number or
// another person's data.
//
// StandardTriggers() is the contract between the notification service and the
// template files in data/sms/templates/: each trigger names exactly the
// variables its template must use, and TemplateSet::Load checks the files
// against it at start-up. Thread-safe: everything here is immutable.

#ifndef CASERELAY_DOMAIN_SMS_TRIGGERS_H_
#define CASERELAY_DOMAIN_SMS_TRIGGERS_H_

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace caserelay::sms {

// Trigger names; each is also the template file name without ".txt".
inline constexpr std::string_view kTriggerReceived = "received";
inline constexpr std::string_view kTriggerAccepted = "accepted";
// Not accepted (不予受理): one trigger per ground (events.proto
// RefusalGround), so each refusal reads as what it is. kTriggerNotAccepted
// is the statutory route's (诉访分离, Art. 31).
inline constexpr std::string_view kTriggerNotAccepted = "not_accepted";
inline constexpr std::string_view kTriggerNotAcceptedInProgress =
    "not_accepted_in_progress";
inline constexpr std::string_view kTriggerNotAcceptedTerminated =
    "not_accepted_terminated";
inline constexpr std::string_view kTriggerNotAcceptedLevelSkipping =
    "not_accepted_level_skipping";
inline constexpr std::string_view kTriggerNotAcceptedOutOfScope =
    "not_accepted_out_of_scope";
inline constexpr std::string_view kTriggerTransferred = "transferred";
inline constexpr std::string_view kTriggerAssigned = "assigned";
// 提级办理 (issue 18 item 5): a superior organ took the case up.
inline constexpr std::string_view kTriggerEscalated = "escalated";
inline constexpr std::string_view kTriggerExtended = "extended";
inline constexpr std::string_view kTriggerReplied = "replied";
inline constexpr std::string_view kTriggerReviewReceived = "review_received";
inline constexpr std::string_view kTriggerReviewDecided = "review_decided";
inline constexpr std::string_view kTriggerRereviewReceived =
    "rereview_received";
inline constexpr std::string_view kTriggerRereviewDecided = "rereview_decided";

// Returns trigger -> the variables its template must use and may use (both:
// every declared variable is required, no other is allowed):
//   received          case_number, lookup_code
//   accepted          case_number, office_name, due_date
//   not_accepted      case_number, reason, route   (statutory route)
//   not_accepted_in_progress     case_number, route
//   not_accepted_terminated      case_number, reason
//   not_accepted_level_skipping  case_number, reason, route
//   not_accepted_out_of_scope    case_number, reason, route
//   transferred       case_number, office_name
//   assigned          case_number, office_name
//   escalated         case_number, office_name
//   extended          case_number, new_due_date, reason
//   replied           case_number, view_hint
//   review_received   case_number, office_name
//   review_decided    case_number, view_hint
//   rereview_received case_number, office_name
//   rereview_decided  case_number, view_hint
// The returned map lives for the whole program.
const std::map<std::string, std::set<std::string>>& StandardTriggers();

// Fragments that no SMS variable name may contain: a variable whose name
// contains one of them (e.g. "id_number", "accusation_text",
// "accused_name", "petitioner_address") would put an ID number, accusation
// content or personal data in an SMS. TemplateSet::Load refuses to declare
// such a variable, so no template can ever reference one.
const std::vector<std::string_view>& ForbiddenVariableFragments();

// Returns true if `name` contains any of ForbiddenVariableFragments().
bool IsForbiddenVariable(std::string_view name);

}  // namespace caserelay::sms

#endif  // CASERELAY_DOMAIN_SMS_TRIGGERS_H_
