#include "services/supervision/supervision_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/service/held_events.h"
#include "common/service/payload.h"
#include "common/store/store.h"
#include "common/time/timestamp.h"
#include "domain/access/case_parties.h"
#include "domain/indicators/definitions.h"
#include "domain/lifecycle/deadline_light.h"
#include "services/supervision/case_facts.h"
#include "services/supervision/deadline_mirror.h"
#include "services/supervision/escalation.h"
#include "services/supervision/group_alerts.h"
#include "services/supervision/keys.h"

namespace caserelay::supervision {
namespace {

using caserelay::v1::Deadline;
using caserelay::v1::Envelope;
using caserelay::v1::SupervisionCaseRecord;

// Seconds, from a firing on time to one a day late.
const std::vector<double>& LatenessBuckets() {
  static const auto* const kBuckets =
      new std::vector<double>{0.01, 0.1, 0.5, 1, 5, 30, 60, 300, 3600, 86400};
  return *kBuckets;
}

// A 督办 routing recorded (SUPERVISE) that the record does not hold yet is
// learnt from the event: a manual one (issue 18 item 4) came over gRPC to
// the instance that issued it, so a store rebuilt from case-events knows it
// only from here. Without it the next automatic 督办 would take the manual
// one's number ("<case>/supervision/<n>", one numbering per case), routing
// would take it for a replay, and the escalation ladder would not count it.
// An instrument already held (every automatic one, and a manual one this
// store issued) is left as it is.
void LearnSupervision(const caserelay::v1::CaseEvent& event,
                      SupervisionCaseRecord& record) {
  if (event.action() != caserelay::v1::CASE_ACTION_SUPERVISE ||
      !event.has_supervision() ||
      event.supervision().supervision_id().empty()) {
    return;
  }
  for (const caserelay::v1::SupervisionIssued& held : record.supervisions()) {
    if (held.supervision_id() == event.supervision().supervision_id()) return;
  }
  *record.add_supervisions() = event.supervision();
}

}  // namespace

Envelope SupervisionOutput(std::string event_id, const std::string& case_id,
                           absl::Time now) {
  Envelope out;
  out.set_event_id(std::move(event_id));
  out.set_case_id(case_id);
  out.set_producer("supervision");
  *out.mutable_occurred_at() = time::ToProto(now);
  return out;
}

Deadline* FindDeadline(SupervisionCaseRecord& record, std::string_view id) {
  for (Deadline& d : *record.mutable_deadlines()) {
    if (d.deadline_id() == id) return &d;
  }
  return nullptr;
}

absl::StatusOr<SupervisionCaseRecord> ParseCase(
    std::string_view case_id, const std::optional<std::string>& raw) {
  SupervisionCaseRecord record;
  if (!raw.has_value()) {
    record.set_case_id(std::string(case_id));
  } else if (!record.ParseFromString(*raw)) {
    return absl::DataLossError(absl::StrCat(
        "supervision: corrupt record of case ", std::string(case_id)));
  }
  return record;
}

absl::StatusOr<SupervisionCaseRecord> LoadCase(const store::WriteBatch& batch,
                                               std::string_view case_id) {
  auto raw = batch.Get(kCases, case_id);
  if (!raw.ok()) return raw.status();
  return ParseCase(case_id, *raw);
}

SupervisionServiceImpl::SupervisionServiceImpl(const service::Context& context,
                                               SupervisionTables tables,
                                               SupervisionOptions options)
    : context_(context),
      tables_(tables),
      options_(options),
      warnings_fired_(context.metrics->GetCounter(
          "caserelay_supervision_timers_fired_total",
          "Timers that fired with an output (yellow or red light).",
          {{"kind", "warning"}})),
      misses_fired_(context.metrics->GetCounter(
          "caserelay_supervision_timers_fired_total",
          "Timers that fired with an output (yellow or red light).",
          {{"kind", "miss"}})),
      timers_dropped_(context.metrics->GetCounter(
          "caserelay_supervision_timers_dropped_total",
          "Due timers dropped without output: their deadline was paused, "
          "ended, moved or already handled.")),
      lateness_(context.metrics->GetHistogram(
          "caserelay_supervision_firing_lateness_seconds",
          "Clock time at firing minus the instant the timer was set for.",
          LatenessBuckets())),
      letters_issued_(context.metrics->GetCounter(
          "caserelay_supervision_instruments_issued_total",
          "督办 instruments issued, by level.", {{"level", "letter"}})),
      listings_issued_(context.metrics->GetCounter(
          "caserelay_supervision_instruments_issued_total",
          "督办 instruments issued, by level.", {{"level", "listed"}})),
      unknown_offices_(context.metrics->GetCounter(
          "caserelay_supervision_unknown_offices_total",
          "Misses of an office the directory does not know: no instrument "
          "issued.")),
      manual_issued_(context.metrics->GetCounter(
          "caserelay_supervision_manual_issued_total",
          "督办 issued by hand by a bureau (Supervise, issue 18 item 4).")),
      group_alerts_(context.metrics->GetCounter(
          "caserelay_supervision_group_alerts_total",
          "Group petitions (群体访) of at least group.alert_head_count "
          "persons alerted to their registering bureau.")) {}

absl::Status SupervisionServiceImpl::Apply(const Envelope& event,
                                           store::WriteBatch& batch) {
  // A record on case-events that is no CaseEvent is poison: refused, so
  // the loop dead-letters it with this reason (issue 14 item 5).
  if (absl::Status s = service::ExpectPayload(
          event, caserelay::v1::Envelope::kCaseEvent, "case-events");
      !s.ok()) {
    return s;
  }
  const std::string& case_id = event.case_id();
  if (event.sequence() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "case-events: event ", event.event_id(), " has no sequence"));
  }
  if (absl::Status s = CheckListed(event.case_event().deadlines()); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "case-events: event ", event.event_id(), ": ", s.message()));
  }
  // The scan state of the partition the case lives in (-1: one store).
  TimerScan& scan = ScanOf(PartitionOfCase(case_id));
  // Supervise waits while the case is in this batch (file comment).
  absl::MutexLock lock(&mu_);
  pending_.insert(case_id);
  auto record = LoadCase(batch, case_id);
  if (!record.ok()) return record.status();
  if (event.sequence() <= record->sequence()) return absl::OkStatus();
  if (event.sequence() > record->sequence() + 1) {
    // An earlier event of the case is missing: held by the consume loop,
    // never applied out of order (issue 22 item 5).
    return service::SequenceGapError(case_id, record->sequence(),
                                     event.sequence());
  }

  // Everything is computed in memory first: a refused event writes nothing.
  if (absl::Status s = UpdateFacts(event, record->mutable_facts()); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "case-events: event ", event.event_id(), ": ", s.message()));
  }
  // A deadline whose due passed before this event was missed, whether or
  // not its timer fired yet (e.g. supervision catching up after a stop):
  // it is missed first, then the event applies to it as MISSED.
  const absl::Time event_time = time::FromProto(event.occurred_at());
  std::vector<std::string> overdue;
  for (const Deadline& d : record->deadlines()) {
    if (indicators::FallsDueBy(d, event_time)) {
      overdue.push_back(d.deadline_id());
    }
  }
  for (const std::string& id : overdue) {
    Miss(*record, id, context_.clock->Now(), batch, {});
  }
  TimerChanges changes = Mirror(case_id, event.case_event().deadlines(),
                                event_time, record->mutable_deadlines());
  // The yellow light's instant is the one routing's inbox shows
  // (lifecycle::YellowFrom, deadline_light.h).
  const absl::Duration warn = options_.warning_before;
  for (const Timer& t : changes.disarm) {
    batch.Delete(kTimers, TimerKey(t.due, TimerKind::kMiss, t.id));
    if (warn > absl::ZeroDuration()) {
      batch.Delete(kTimers, TimerKey(lifecycle::YellowFrom(t.due, warn),
                                     TimerKind::kWarning, t.id));
    }
  }
  for (const Timer& t : changes.arm) {
    batch.Put(kTimers, TimerKey(t.due, TimerKind::kMiss, t.id), "");
    NoteArmed(scan, t.due);
    const Deadline* d = FindDeadline(*record, t.id);
    if (warn > absl::ZeroDuration() && d != nullptr && !d->warned()) {
      const absl::Time yellow = lifecycle::YellowFrom(t.due, warn);
      batch.Put(kTimers, TimerKey(yellow, TimerKind::kWarning, t.id),
                TimeBytes(t.due));
      NoteArmed(scan, yellow);
    }
  }
  for (const Timer& t : changes.lights_out) {
    batch.Delete(kLights, LightKey(t.due, t.id));
  }
  access::UpdateParties(event.case_event(), event.sequence(),
                        record->mutable_parties());
  LearnSupervision(event.case_event(), *record);
  record->set_sequence(event.sequence());
  // 群体访 (issue 18 item 3): a large group alerts the registering bureau,
  // once (the REGISTER applies once), figures only.
  if (std::optional<Envelope> alert = GroupAlertFor(
          event, options_.group_alert_head_count, *tables_.offices)) {
    const caserelay::v1::GroupPetitionAlert& a = alert->group_petition_alert();
    batch.Put(kGroupAlerts, GroupAlertKey(a), a.SerializeAsString());
    batch.AddOutbox(kSupervisionEvents, case_id, alert->SerializeAsString());
    group_alerts_.Increment();
    log::Info("group petition alert",
              {{"case", case_id},
               {"office", a.office_code()},
               {"head_count", absl::StrCat(a.head_count())}});
  }
  batch.Put(kCases, case_id, record->SerializeAsString());
  return absl::OkStatus();
}

void SupervisionServiceImpl::NoteArmed(TimerScan& scan, absl::Time at) {
  const std::string key = TimeBytes(at);
  if (!scan.armed_low.has_value() || key < *scan.armed_low) {
    scan.armed_low = key;
  }
}

void SupervisionServiceImpl::Miss(SupervisionCaseRecord& record,
                                  const std::string& deadline_id,
                                  absl::Time now, store::WriteBatch& batch,
                                  MissedBy by) {
  Deadline* d = FindDeadline(record, deadline_id);
  const absl::Time due = time::FromProto(d->due_at());
  d->set_state(caserelay::v1::DEADLINE_STATE_MISSED);
  if (!by.timer_deleted) {
    batch.Delete(kTimers, TimerKey(due, TimerKind::kMiss, deadline_id));
  }
  // A warned deadline's warning timer fired and was deleted then (a new
  // due clears `warned` and arms a new one): no tombstone to write.
  if (options_.warning_before > absl::ZeroDuration() && !d->warned()) {
    batch.Delete(kTimers, TimerKey(due - options_.warning_before,
                                   TimerKind::kWarning, deadline_id));
  }
  if (by.lights != nullptr) {
    by.lights->emplace_back(LightKey(due, deadline_id), d->office_code());
  } else {
    batch.Put(kLights, LightKey(due, deadline_id), d->office_code());
  }
  Envelope out =
      SupervisionOutput(absl::StrCat("supervision/", deadline_id, "/missed"),
                        record.case_id(), now);
  auto* missed = out.mutable_deadline_missed();
  missed->set_deadline_id(deadline_id);
  missed->set_kind(d->kind());
  missed->set_office_code(d->office_code());
  *missed->mutable_due_at() = d->due_at();
  batch.AddOutbox(kSupervisionEvents, record.case_id(),
                  out.SerializeAsString());
  misses_fired_.Increment();
  ++fired_.misses;
  log::Debug("deadline missed",
            {{"deadline", deadline_id}, {"office", d->office_code()}});
  const Deadline missed_deadline = *d;  // Supervise appends to the record
  Supervise(record, missed_deadline, now, batch);
}

void SupervisionServiceImpl::Supervise(SupervisionCaseRecord& record,
                                       const Deadline& missed, absl::Time now,
                                       store::WriteBatch& batch) {
  auto issued = Escalate(record, missed, *tables_.offices, *tables_.regions);
  if (!issued.ok()) {
    // The red light shows; an operator fixes the office data.
    unknown_offices_.Increment();
    log::Warn("supervision: no instrument for a miss of an unknown office",
              {{"deadline", missed.deadline_id()},
               {"office", missed.office_code()},
               {"error", std::string(issued.status().message())}});
    return;
  }
  if (!issued->has_value()) return;  // covered, or listed already
  const caserelay::v1::SupervisionIssued& s = **issued;
  Envelope out = SupervisionOutput(
      absl::StrCat("supervision/", s.supervision_id(), "/issued"),
      record.case_id(), now);
  *out.mutable_supervision_issued() = s;
  batch.AddOutbox(kSupervisionEvents, record.case_id(),
                  out.SerializeAsString());
  *record.add_supervisions() = s;
  (s.level() == caserelay::v1::SUPERVISION_LEVEL_LISTED ? listings_issued_
                                                        : letters_issued_)
      .Increment();
  ++fired_.instruments;
  log::Debug("supervision issued", {{"supervision", s.supervision_id()},
                                   {"level", SupervisionLevel_Name(s.level())},
                                   {"issuer", s.issuer_office_code()},
                                   {"target", s.target_office_code()}});
}

}  // namespace caserelay::supervision
