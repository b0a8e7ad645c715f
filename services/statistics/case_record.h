// The statistics' record of a case (statistics_index.proto
// StatisticsCaseRecord), updated from the case's CaseEvents in order: the
// one mutator of the index's per-case facts (contribution.h derives the
// counters from the record alone).
//
// The rules:
//   - the deadlines as supervision mirrors them (domain/indicators/
//     deadline_mirror.h), an ARMED deadline whose due is not after the
//     event's time missed first (definitions.h FallsDueBy), so the states
//     follow the events' times as supervision's do;
//   - the indicators' facts (domain/indicators/case_facts.h UpdateFacts);
//   - REGISTER: channel, category and matter class; the head count
//     (人次, issue 18 item 3) and whether it was registered at a leader's
//     reception (a reception_id: 接访, item 1);
//   - ACCEPT: accepted; DECLINE: declined;
//   - REPLY: the first one's outcome (as UpdateFacts keeps the first
//     reply); on_the_spot once any REPLY is (当场解决, item 1);
//   - SUPERVISE: the 督办 (level, source, late office, the event's time);
//   - CORRECT (更正, item 6): category and matter class become the event's
//     (the new values), so the case counts as it is now; and an act;
//   - the acts of issue 18, each under one office at the event's time:
//     TAKE_CHARGE (包案, item 2) the leader's office (leader_in_charge,
//     else the actor); RECOMMEND (建议, item 4) the supervised office
//     (recommendation.target_office_code, else the holder) with its kind;
//     ESCALATE (提级, item 5) the new holder; CORRECT the actor (the
//     registering bureau); FOLLOW_UP (回访, item 7) the bureau that
//     followed up (follow_up.office_code, else the actor) with the view.
//   The matter's region and the disposition of a CORRECT are the facts'
//   (UpdateFacts), not repeated here.
//
// Pure: no I/O, no clock. Thread safety: a stateless function.

#ifndef CASERELAY_SERVICES_STATISTICS_CASE_RECORD_H_
#define CASERELAY_SERVICES_STATISTICS_CASE_RECORD_H_

#include "absl/status/status.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/statistics_index.pb.h"

namespace caserelay::statistics {

// Applies the CaseEvent of `event` to `record` by the rules above and sets
// record.sequence to the event's.
//
// Returns INVALID_ARGUMENT (naming the field) and leaves `record`
// untouched for an envelope without a CaseEvent, a listed deadline without
// kind, started_at or due_at (CheckListed), or an event UpdateFacts
// refuses. The caller checks the sequence. REQUIRES: record != nullptr.
absl::Status UpdateRecord(const caserelay::v1::Envelope& event,
                          caserelay::v1::StatisticsCaseRecord* record);

}  // namespace caserelay::statistics

#endif  // CASERELAY_SERVICES_STATISTICS_CASE_RECORD_H_
