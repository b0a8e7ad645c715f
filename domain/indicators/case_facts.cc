#include "domain/indicators/case_facts.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace caserelay::indicators {
namespace {

using caserelay::v1::CaseEvent;

absl::Status Missing(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("case_event.", field, ": ", why));
}

// OK if `e` carries what its action's rule needs (case_facts.h).
absl::Status Check(const caserelay::v1::Envelope& envelope,
                   const CaseEvent& e) {
  if (e.action() == caserelay::v1::CASE_ACTION_UNSPECIFIED) {
    return Missing("action", "is required");
  }
  if (e.to_state() == caserelay::v1::CASE_STATE_UNSPECIFIED) {
    return Missing("to_state", "is required");
  }
  switch (e.action()) {
    case caserelay::v1::CASE_ACTION_REGISTER:
      if (!e.has_decision())
        return Missing("decision", "is required on REGISTER");
      if (e.decision().registering_office_code().empty()) {
        return Missing("decision.registering_office_code",
                       "is required on REGISTER");
      }
      if (!e.has_received_at()) {
        return Missing("received_at", "is required on REGISTER");
      }
      break;
    case caserelay::v1::CASE_ACTION_CORRECT:
      if (e.decision().registering_office_code().empty()) {
        return Missing("decision.registering_office_code",
                       "is required on CORRECT");
      }
      break;
    case caserelay::v1::CASE_ACTION_REPLY:
      if (e.actor_office_code().empty()) {
        return Missing("actor_office_code", "is required on REPLY");
      }
      if (!envelope.has_occurred_at()) {
        return absl::InvalidArgumentError(
            "occurred_at: is required on a REPLY case_event");
      }
      break;
    case caserelay::v1::CASE_ACTION_EVALUATE:
      if (e.satisfaction() == caserelay::v1::SATISFACTION_UNSPECIFIED) {
        return Missing("satisfaction", "is required on EVALUATE");
      }
      break;
    default:
      break;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status UpdateFacts(const caserelay::v1::Envelope& event,
                         caserelay::v1::SupervisionCaseFacts* facts) {
  if (!event.has_case_event()) return absl::OkStatus();
  const CaseEvent& e = event.case_event();
  if (absl::Status s = Check(event, e); !s.ok()) return s;

  facts->set_state(e.to_state());
  switch (e.action()) {
    case caserelay::v1::CASE_ACTION_REGISTER:
      *facts->mutable_received_at() = e.received_at();
      facts->set_registering_office_code(
          e.decision().registering_office_code());
      facts->set_disposition(e.decision().disposition());
      facts->set_region_code(e.region_code());
      break;
    case caserelay::v1::CASE_ACTION_CORRECT:
      // 更正登记 (issue 18 item 6): the case registered anew; it was
      // received when it was (received_at stays).
      facts->set_registering_office_code(
          e.decision().registering_office_code());
      facts->set_disposition(e.decision().disposition());
      facts->set_region_code(e.region_code());
      break;
    case caserelay::v1::CASE_ACTION_REPLY:
      if (!facts->has_replied_at()) {
        facts->set_handling_office_code(e.actor_office_code());
        *facts->mutable_replied_at() = event.occurred_at();
      }
      break;
    case caserelay::v1::CASE_ACTION_EVALUATE:
      // Issue 15: the petitioner's own rating is the source of 参评率 and
      // 满意率; an office-entered one counts only where they gave none.
      if (e.by_petitioner()) {
        facts->set_satisfaction(e.satisfaction());
        facts->set_rated_by_petitioner(true);
      } else if (!facts->rated_by_petitioner()) {
        facts->set_satisfaction(e.satisfaction());
      }
      break;
    case caserelay::v1::CASE_ACTION_REQUEST_REVIEW:
      facts->set_review_requested(true);
      break;
    case caserelay::v1::CASE_ACTION_LINK_REPEAT:
      facts->set_repeats_linked(facts->repeats_linked() + 1);
      break;
    default:
      break;
  }
  return absl::OkStatus();
}

}  // namespace caserelay::indicators
