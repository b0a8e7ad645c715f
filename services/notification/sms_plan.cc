#include "services/notification/sms_plan.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "domain/sms/triggers.h"

namespace caserelay::notification {
namespace {

using caserelay::v1::CaseEvent;

// The due date of the first listed deadline of kind `first`, else of
// `second`; nullopt if neither is listed.
std::optional<absl::Time> DueOf(const CaseEvent& event,
                                caserelay::v1::DeadlineKind first,
                                caserelay::v1::DeadlineKind second) {
  for (caserelay::v1::DeadlineKind kind : {first, second}) {
    for (const auto& d : event.deadlines()) {
      if (d.kind() == kind && d.has_due_at()) return time::FromProto(d.due_at());
    }
  }
  return std::nullopt;
}

// What the office gave as its reason, unless it must not be sent.
std::string OfficeReason(const CaseEvent& event, bool accusation,
                         const SmsTexts& texts) {
  if (accusation || event.reason().empty()) return texts.reason_neutral;
  return event.reason();
}

std::string RouteOr(const std::string& route, const SmsTexts& texts) {
  return route.empty() ? texts.route_default : route;
}

}  // namespace

caserelay::v1::RefusalGround RefusalGroundOf(const CaseEvent& event) {
  using caserelay::v1::RefusalGround;
  if (event.action() == caserelay::v1::CASE_ACTION_DECLINE) {
    return event.refusal_ground() == caserelay::v1::REFUSAL_GROUND_UNSPECIFIED
               ? caserelay::v1::REFUSAL_GROUND_OUT_OF_SCOPE
               : event.refusal_ground();
  }
  // Routing's own refusals: at registration, or of a corrected matter
  // (更正登记, issue 18 item 6).
  if (event.action() != caserelay::v1::CASE_ACTION_REGISTER &&
      event.action() != caserelay::v1::CASE_ACTION_CORRECT) {
    return caserelay::v1::REFUSAL_GROUND_UNSPECIFIED;
  }
  const RefusalGround ground = event.decision().refusal_ground();
  switch (event.decision().disposition()) {
    case caserelay::v1::DISPOSITION_NOT_ACCEPTED:
      return ground != caserelay::v1::REFUSAL_GROUND_UNSPECIFIED
                 ? ground
                 : caserelay::v1::REFUSAL_GROUND_STATUTORY_ROUTE;
    case caserelay::v1::DISPOSITION_REDIRECT:
      return ground != caserelay::v1::REFUSAL_GROUND_UNSPECIFIED
                 ? ground
                 : caserelay::v1::REFUSAL_GROUND_LEVEL_SKIPPING;
    case caserelay::v1::DISPOSITION_REFUSED_TERMINATED:
      return ground != caserelay::v1::REFUSAL_GROUND_UNSPECIFIED
                 ? ground
                 : caserelay::v1::REFUSAL_GROUND_TERMINATED;
    default:
      return caserelay::v1::REFUSAL_GROUND_UNSPECIFIED;
  }
}

std::string ChinaDueDate(absl::Time due_at) {
  absl::CivilDay day = time::LastDayOf(due_at);
  return absl::StrFormat("%d年%d月%d日", day.year(), day.month(), day.day());
}

absl::StatusOr<std::optional<PlannedSms>> PlanSms(std::string_view case_id,
                                                  const CaseEvent& event,
                                                  bool accusation,
                                                  const SmsTexts& texts) {
  using caserelay::v1::Disposition;
  PlannedSms sms;
  sms.vars["case_number"] = std::string(case_id);
  auto with_office = [&](std::string_view trigger)
      -> absl::StatusOr<std::optional<PlannedSms>> {
    if (event.holder_office_name().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("case_event.holder_office_name: is required for the \"",
                       std::string(trigger), "\" SMS"));
    }
    sms.trigger = std::string(trigger);
    sms.vars["office_name"] = event.holder_office_name();
    return sms;
  };
  auto with_hint = [&](std::string_view trigger) {
    sms.trigger = std::string(trigger);
    sms.vars["view_hint"] = texts.view_hint;
    return std::optional<PlannedSms>(sms);
  };
  // 不予受理: the template of the refusal's ground. Routing's own refusals
  // (REGISTER) give the settings' reason for the ground; an office's
  // (DECLINE) its own reason, never an accusation's.
  auto not_accepted = [&](const std::string& route)
      -> absl::StatusOr<std::optional<PlannedSms>> {
    const bool by_routing =
        event.action() == caserelay::v1::CASE_ACTION_REGISTER ||
        event.action() == caserelay::v1::CASE_ACTION_CORRECT;
    auto reason = [&](const std::string& routing_reason) {
      return by_routing ? routing_reason
                        : OfficeReason(event, accusation, texts);
    };
    switch (RefusalGroundOf(event)) {
      case caserelay::v1::REFUSAL_GROUND_STATUTORY_ROUTE:
        sms.trigger = std::string(sms::kTriggerNotAccepted);
        sms.vars["reason"] = reason(texts.reason_statutory_route);
        sms.vars["route"] = RouteOr(route, texts);
        break;
      case caserelay::v1::REFUSAL_GROUND_IN_PROGRESS_BELOW:
        sms.trigger = std::string(sms::kTriggerNotAcceptedInProgress);
        sms.vars["route"] = RouteOr(route, texts);
        break;
      case caserelay::v1::REFUSAL_GROUND_TERMINATED:
        sms.trigger = std::string(sms::kTriggerNotAcceptedTerminated);
        sms.vars["reason"] = reason(texts.reason_terminated);
        break;
      case caserelay::v1::REFUSAL_GROUND_LEVEL_SKIPPING:
        sms.trigger = std::string(sms::kTriggerNotAcceptedLevelSkipping);
        sms.vars["reason"] = reason(texts.reason_redirect);
        sms.vars["route"] = RouteOr(route, texts);
        break;
      case caserelay::v1::REFUSAL_GROUND_OUT_OF_SCOPE:
        sms.trigger = std::string(sms::kTriggerNotAcceptedOutOfScope);
        sms.vars["reason"] = reason(texts.reason_neutral);
        sms.vars["route"] = RouteOr(route, texts);
        break;
      default:
        return absl::InvalidArgumentError(absl::StrCat(
            "case_event: refusal ground ", RefusalGroundOf(event),
            " has no not-accepted SMS"));
    }
    return std::optional<PlannedSms>(sms);
  };

  switch (event.action()) {
    case caserelay::v1::CASE_ACTION_REGISTER:
      switch (event.decision().disposition()) {
        case caserelay::v1::DISPOSITION_TRANSFER:
        case caserelay::v1::DISPOSITION_ASSIGN:
        case caserelay::v1::DISPOSITION_TRIAGE:
        case caserelay::v1::DISPOSITION_LINKED_REPEAT:
          sms.trigger = std::string(sms::kTriggerReceived);
          return std::optional<PlannedSms>(sms);
        case caserelay::v1::DISPOSITION_NOT_ACCEPTED:
        case caserelay::v1::DISPOSITION_REDIRECT:
        case caserelay::v1::DISPOSITION_REFUSED_TERMINATED:
          return not_accepted(event.decision().route());
        default:
          return std::nullopt;
      }
    case caserelay::v1::CASE_ACTION_ESCALATE:
      // 提级办理 (issue 18 item 5): who handles the case now, as on 转送.
      return with_office(sms::kTriggerEscalated);
    case caserelay::v1::CASE_ACTION_CORRECT:
      // 更正登记 (issue 18 item 6): told when the corrected matter is not
      // accepted (Arts. 23, 31: with the route); re-registered, the
      // bureau's next 转送/交办 names the organ.
      switch (event.decision().disposition()) {
        case caserelay::v1::DISPOSITION_NOT_ACCEPTED:
        case caserelay::v1::DISPOSITION_REDIRECT:
        case caserelay::v1::DISPOSITION_REFUSED_TERMINATED:
          return not_accepted(event.decision().route());
        default:
          return std::nullopt;
      }
    case caserelay::v1::CASE_ACTION_TRANSFER:
      return with_office(sms::kTriggerTransferred);
    case caserelay::v1::CASE_ACTION_ASSIGN:
      return with_office(sms::kTriggerAssigned);
    case caserelay::v1::CASE_ACTION_ACCEPT: {
      auto due = event.simplified()
                     ? DueOf(event, caserelay::v1::DEADLINE_KIND_SIMPLIFIED,
                             caserelay::v1::DEADLINE_KIND_HANDLING)
                     : DueOf(event, caserelay::v1::DEADLINE_KIND_HANDLING,
                             caserelay::v1::DEADLINE_KIND_SIMPLIFIED);
      if (!due.has_value()) {
        return absl::FailedPreconditionError(
            "case_event.deadlines: an ACCEPT lists no HANDLING or SIMPLIFIED "
            "deadline, so the \"accepted\" SMS has no due_date");
      }
      sms.vars["due_date"] = ChinaDueDate(*due);
      return with_office(sms::kTriggerAccepted);
    }
    case caserelay::v1::CASE_ACTION_DECLINE:
      return not_accepted(event.route());
    case caserelay::v1::CASE_ACTION_EXTEND: {
      auto due = DueOf(event, caserelay::v1::DEADLINE_KIND_HANDLING,
                       caserelay::v1::DEADLINE_KIND_SIMPLIFIED);
      if (!due.has_value()) {
        return absl::FailedPreconditionError(
            "case_event.deadlines: an EXTEND lists no HANDLING deadline, so "
            "the \"extended\" SMS has no new_due_date");
      }
      sms.trigger = std::string(sms::kTriggerExtended);
      sms.vars["new_due_date"] = ChinaDueDate(*due);
      sms.vars["reason"] = OfficeReason(event, accusation, texts);
      return std::optional<PlannedSms>(sms);
    }
    case caserelay::v1::CASE_ACTION_REPLY:
      return with_hint(sms::kTriggerReplied);
    case caserelay::v1::CASE_ACTION_REQUEST_REVIEW:
      return with_office(sms::kTriggerReviewReceived);
    case caserelay::v1::CASE_ACTION_DECIDE_REVIEW:
      return with_hint(sms::kTriggerReviewDecided);
    case caserelay::v1::CASE_ACTION_REQUEST_REREVIEW:
      return with_office(sms::kTriggerRereviewReceived);
    case caserelay::v1::CASE_ACTION_DECIDE_REREVIEW:
      return with_hint(sms::kTriggerRereviewDecided);
    default:
      return std::nullopt;
  }
}

}  // namespace caserelay::notification
