// What supervision keeps of a case for the indicators (indicators.h): the
// SupervisionCaseFacts, updated from the case's CaseEvents in order.
//
// The rules, one per action of routing's CaseEvent (DOMAIN.md "Routing",
// "Supervision"):
//   every CaseEvent   state = to_state (the case's state after the event);
//   REGISTER (登记)    received_at = case_event.received_at;
//                     registering_office_code =
//                       decision.registering_office_code (the bureau);
//                     disposition = decision.disposition;
//                     region_code = case_event.region_code (the matter's);
//   CORRECT (更正登记)  as REGISTER but received_at, which stays: the new
//                     decision's registering office and disposition, the
//                     corrected region_code (issue 18 item 6);
//   ESCALATE (提级)    only the state: the deadlines' new office comes with
//                     the deadlines (deadline_mirror.h);
//   REPLY (处理意见)    the first one only: handling_office_code =
//                       actor_office_code, replied_at = the envelope's
//                       occurred_at; a later REPLY changes neither;
//   EVALUATE (评价)    satisfaction = case_event.satisfaction: the
//                       petitioner's own (by_petitioner, issue 15) always,
//                       and then rated_by_petitioner = true; an
//                       office-entered one only while the petitioner has
//                       given none (then the latest office one wins);
//   REQUEST_REVIEW    review_requested = true (复查 requested);
//   LINK_REPEAT       repeats_linked += 1 (a 重复信访 linked to this case);
//   any other action  only the state.
// Envelopes with another payload (DeadlineMissed, SmsSent, ...) or none
// leave the facts unchanged.
//
// Pure: no I/O, no clock. Thread safety: a stateless function.

#ifndef CASERELAY_DOMAIN_INDICATORS_CASE_FACTS_H_
#define CASERELAY_DOMAIN_INDICATORS_CASE_FACTS_H_

#include "absl/status/status.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"

namespace caserelay::indicators {

// Applies `event` to `facts` by the rules above.
//
// Returns OK with `facts` updated, or unchanged for an envelope that does
// not carry a CaseEvent. Returns INVALID_ARGUMENT, naming the field, for a
// CaseEvent that lacks what its rule needs, and then leaves `facts`
// untouched:
//   - any CaseEvent: action or to_state unspecified;
//   - REGISTER: no decision, an empty decision.registering_office_code, or
//     no received_at;
//   - CORRECT: an empty decision.registering_office_code;
//   - REPLY: an empty actor_office_code, or no envelope occurred_at;
//   - EVALUATE: satisfaction unspecified.
// REQUIRES: facts != nullptr.
absl::Status UpdateFacts(const caserelay::v1::Envelope& event,
                         caserelay::v1::SupervisionCaseFacts* facts);

}  // namespace caserelay::indicators

#endif  // CASERELAY_DOMAIN_INDICATORS_CASE_FACTS_H_
