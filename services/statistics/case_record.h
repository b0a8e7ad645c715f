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
//   - REGISTER: channel, category and matter class;
//   - ACCEPT: accepted; DECLINE: declined;
//   - REPLY: the first one's outcome (as UpdateFacts keeps the first
//     reply);
//   - SUPERVISE: the 督办 (level, late office, the event's time).
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
