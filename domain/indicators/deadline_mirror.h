// Mirroring a case's running deadlines (期限) from routing's CaseEvents.
//
// Routing computes every deadline (DOMAIN.md "Deadlines") and lists, on
// each CaseEvent, the deadlines running after it. Supervision keeps its own
// record of each deadline and a durable timer for the armed ones; Mirror
// turns "what is listed now" into state changes and timer changes:
//
//   (not known) --listed--------------------------> ARMED   (timer at due)
//   (not known) --listed, paused_at set-----------> PAUSED  (no timer)
//   ARMED  --listed, same due---------------------> ARMED   (timer kept)
//   ARMED  --listed, due moved (extension)--------> ARMED   (timer moved,
//                                                            warned reset)
//   ARMED  --listed, paused_at set----------------> PAUSED  (timer removed)
//   PAUSED --listed, paused_at set----------------> PAUSED  (due updated)
//   PAUSED --listed, not paused (new due)---------> ARMED   (timer at new due)
//   ARMED/PAUSED --not listed---------------------> DONE    (timer removed,
//                                                            ended_at set)
//   DONE   --listed again (same start)------------> ARMED/PAUSED as above
//   ARMED  --timer fires (Tick, not here)---------> MISSED
//   MISSED --anything-----------------------------> MISSED  (final: a miss
//                                                   is reported once; when
//                                                   no longer listed, its
//                                                   ended_at is set and its
//                                                   red light goes out)
//
// Whenever a deadline's due_at changes, `warned` is cleared: the yellow
// light is owed again for the new due. A listed supervision_id
// (SUPERVISION_REPLY: the 督办 it answers) is copied.
//
// A deadline's identity is its case, kind and started_at (two deadlines of
// one kind that start at different times are two deadlines).
//
// Pure: no I/O. Thread safety: stateless functions.

#ifndef CASERELAY_DOMAIN_INDICATORS_DEADLINE_MIRROR_H_
#define CASERELAY_DOMAIN_INDICATORS_DEADLINE_MIRROR_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/supervision.pb.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace caserelay::indicators {

// "<case id>/<kind>/<started_at in µs since the epoch>", e.g.
// "140431-20261122-000001/handling/1795312800000000". Deterministic, so the
// DeadlineMissed event id derived from it is the same on every replay.
std::string DeadlineId(std::string_view case_id,
                       caserelay::v1::DeadlineKind kind, absl::Time started_at);

// The case id of a DeadlineId (the text before the first '/').
std::string_view CaseOfDeadline(std::string_view deadline_id);

// A timer: the deadline `id` falls due at `due`.
struct Timer {
  absl::Time due;
  std::string id;
};

// What Mirror asks of the timer store: remove `disarm` first, then add
// `arm` (each Timer is a deadline's due; the store keeps its miss and
// warning timers), and put out the red lights of `lights_out` (MISSED
// deadlines routing stopped listing; Timer.due is the missed due).
struct TimerChanges {
  std::vector<Timer> disarm;
  std::vector<Timer> arm;
  std::vector<Timer> lights_out;
};

// OK if every listed deadline can be mirrored: a known kind, started_at
// and due_at set. Otherwise INVALID_ARGUMENT naming the deadline's index
// and field.
absl::Status CheckListed(
    const google::protobuf::RepeatedPtrField<caserelay::v1::RunningDeadline>&
        listed);

// Updates `known` (every deadline of case `case_id` supervision has seen,
// in the order first seen) to mirror `listed` (the deadlines running after
// an event that happened at `event_time`), appending new ones, and returns
// the timer changes. REQUIRES: CheckListed(listed) is OK.
TimerChanges Mirror(
    std::string_view case_id,
    const google::protobuf::RepeatedPtrField<caserelay::v1::RunningDeadline>&
        listed,
    absl::Time event_time,
    google::protobuf::RepeatedPtrField<caserelay::v1::Deadline>* known);

}  // namespace caserelay::indicators

#endif  // CASERELAY_DOMAIN_INDICATORS_DEADLINE_MIRROR_H_
