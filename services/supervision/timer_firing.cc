// SupervisionServiceImpl's timers firing (Tick): the due timers of a
// store (or of one partition's DB) scanned in key order, deleted, and fired
// case by case into the loop's batch (supervision_service.h "Tick"; issue
// 20 item 3 for why in this order).
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/store/store.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/deadline_light.h"
#include "services/supervision/deadline_mirror.h"
#include "services/supervision/keys.h"
#include "services/supervision/supervision_service.h"

namespace caserelay::supervision {

using caserelay::v1::Deadline;
using caserelay::v1::Envelope;

absl::Status SupervisionServiceImpl::Tick(store::WriteBatch& batch) {
  return TickIn(ScanOf(-1), *context_.store, options_.fire_batch, batch);
}

absl::Status SupervisionServiceImpl::TickIn(TimerScan& scan,
                                            const store::Store& store,
                                            int limit,
                                            store::WriteBatch& batch) {
  const absl::Time now = context_.clock->Now();
  // Every key firing at or before now: [scan.from, now + 1µs). Below
  // scan.from there are only the tombstones of timers already fired;
  // starting at 0 would walk them all on every tick until compaction.
  const std::string end = TimeBytes(now + absl::Microseconds(1));
  std::string begin = scan.from;
  if (scan.armed_low.has_value() && *scan.armed_low < begin) {
    begin = *scan.armed_low;
  }
  std::vector<std::pair<std::string, std::string>> due;
  absl::Status s = store.Scan(kTimers, begin, end,
                              [&](std::string_view k, std::string_view v) {
                                due.emplace_back(k, v);
                                return static_cast<int>(due.size()) < limit;
                              });
  if (!s.ok()) return s;
  // The scan reads committed timers; the records are read through the
  // batch, so what Apply changed in this batch decides whether each fires.
  // Each case a timer fires on is pending until the batch commits.
  //
  // Every due timer is deleted first, in key order, then they fire in
  // case order (per case still earliest first): RocksDB inserts a batch
  // into each family's memtable in the batch's order, and keys that follow
  // each other in key order are inserted (and the records read) far more
  // cheaply than keys in random order (issue 20 item 3, bench/timers).
  // Deleting before reading the case changes nothing on a read error: the
  // Tick fails and its whole batch is dropped, so the timer stays due.
  absl::MutexLock lock(&mu_);
  std::vector<DueTimer> timers;
  timers.reserve(due.size());
  for (const auto& [key, value] : due) {
    batch.Delete(kTimers, key);
    DueTimer t{key, value, ParseTimerKey(key), ""};
    if (t.timer.has_value()) {
      t.case_id = std::string(CaseOfDeadline(t.timer->deadline_id));
      pending_.insert(t.case_id);
    }
    timers.push_back(std::move(t));
  }
  std::stable_sort(timers.begin(), timers.end(),
                   [](const DueTimer& a, const DueTimer& b) {
                     return a.case_id < b.case_id;
                   });
  // The due cases' records in one batched read (MultiGet, sorted), each
  // parsed once, its timers fired on it in turn, and written once (issue
  // 20 item 3: a Get per timer was a quarter of Tick's time).
  std::vector<std::string> case_ids;
  for (const DueTimer& t : timers) {
    if (t.timer.has_value() &&
        (case_ids.empty() || case_ids.back() != t.case_id)) {
      case_ids.push_back(t.case_id);
    }
  }
  auto raws = batch.MultiGet(kCases, case_ids);
  if (!raws.ok()) return raws.status();  // nothing fired yet
  // The red lights go in last, in key order (their keys sort by due, not
  // by case).
  std::vector<std::pair<std::string, std::string>> lights;
  size_t next_case = 0;
  for (size_t i = 0; i < timers.size();) {
    if (!timers[i].timer.has_value()) {
      DropMalformed(timers[i++].key);
      continue;
    }
    const std::string& case_id = timers[i].case_id;
    DueCase due_case{ParseCase(case_id, (*raws)[next_case++])};
    for (; i < timers.size() && timers[i].case_id == case_id; ++i) {
      Fire(timers[i], now, due_case, batch, lights);
    }
    if (due_case.changed) {
      batch.Put(kCases, case_id, due_case.record->SerializeAsString());
    }
  }
  std::sort(lights.begin(), lights.end());
  for (const auto& [key, office] : lights) batch.Put(kLights, key, office);
  // Next time, start where this one stopped: at its last key if it hit the
  // bound (more may be due at that instant), else past now. Timers armed
  // since the last Tick lowered this scan's start; those of the batch in
  // hand are not committed yet, so the scan could not see them: the next
  // start never passes the earliest of them. (The loop commits this batch
  // before the next Tick, retrying until it succeeds; a Tick that fails
  // returns above, its batch is dropped and nothing here moves, so the
  // same timers are due again.)
  scan.more_due = static_cast<int>(due.size()) >= limit;
  std::string next = scan.more_due ? due.back().first : end;
  if (scan.armed_low.has_value() && *scan.armed_low < next) {
    next = *scan.armed_low;
  }
  scan.from = std::move(next);
  scan.armed_low.reset();
  LogFired();
  return absl::OkStatus();
}

void SupervisionServiceImpl::Dropped() {
  timers_dropped_.Increment();
  ++fired_.dropped;
}

void SupervisionServiceImpl::Late(absl::Duration lateness) {
  lateness_.Observe(absl::ToDoubleSeconds(lateness));
  fired_.max_lateness = std::max(fired_.max_lateness, lateness);
}

void SupervisionServiceImpl::LogFired() {
  if (fired_.warnings + fired_.misses + fired_.instruments + fired_.dropped ==
      0) {
    return;
  }
  log::Info("timers fired",
            {{"warnings", absl::StrCat(fired_.warnings)},
             {"misses", absl::StrCat(fired_.misses)},
             {"instruments", absl::StrCat(fired_.instruments)},
             {"dropped", absl::StrCat(fired_.dropped)},
             {"max_lateness_s",
              absl::StrCat(absl::ToDoubleSeconds(fired_.max_lateness))}});
  fired_ = {};
}

void SupervisionServiceImpl::DropMalformed(std::string_view key) {
  log::Warn("supervision: dropped a malformed timer key",
            {{"size", std::to_string(key.size())}});
  Dropped();
}

void SupervisionServiceImpl::Fire(
    const DueTimer& scanned, absl::Time now, DueCase& due_case,
    store::WriteBatch& batch,
    std::vector<std::pair<std::string, std::string>>& lights) {
  // Tick deleted the timer already (a read error failed the Tick before
  // any fire: its batch is dropped and the timer stays due, so the
  // deadline still goes red on the next Tick, issue 22 item 5).
  const std::string_view key = scanned.key;
  const std::string_view value = scanned.value;
  const ParsedTimer* timer = &*scanned.timer;
  const std::string& case_id = scanned.case_id;
  if (!due_case.record.ok()) {
    // A corrupt record must not block every timer behind this one: the
    // timer is kept in dead-letters with the reason (for an operator to
    // rebuild the case from case-events), not silently dropped.
    log::Error("supervision: a due timer's case record is corrupt",
               {{"deadline", timer->deadline_id},
                {"error", std::string(due_case.record.status().message())}});
    batch.Put("dead-letters", "timer/" + std::string(key),
              due_case.record.status().ToString());
    Dropped();
    return;
  }
  caserelay::v1::SupervisionCaseRecord* record = &*due_case.record;
  Deadline* d = FindDeadline(*record, timer->deadline_id);
  if (d == nullptr || d->state() != caserelay::v1::DEADLINE_STATE_ARMED) {
    Dropped();  // paused, ended or already missed
    return;
  }
  const absl::Time due = time::FromProto(d->due_at());

  if (timer->kind == TimerKind::kWarning) {
    // Only for the due it was set for, once, and while it is still ahead:
    // a deadline already due gets its red light instead.
    // The due it was set for is in its value (a timer set before
    // supervision.warning_before changed still knows it).
    const std::string set_for =
        value.size() == 8 ? std::string(value)
                          : TimeBytes(timer->at + options_.warning_before);
    if (d->warned() ||
        lifecycle::LightOf(due, now, options_.warning_before) ==
            caserelay::v1::DEADLINE_LIGHT_RED ||
        TimeBytes(due) != set_for) {
      Dropped();
      return;
    }
    d->set_warned(true);
    Envelope out =
        SupervisionOutput(absl::StrCat("supervision/", d->deadline_id(),
                                       "/warning/", absl::ToUnixMicros(due)),
                          case_id, now);
    auto* w = out.mutable_deadline_warning();
    w->set_deadline_id(d->deadline_id());
    w->set_kind(d->kind());
    w->set_office_code(d->office_code());
    *w->mutable_due_at() = d->due_at();
    batch.AddOutbox(kSupervisionEvents, case_id, out.SerializeAsString());
    due_case.changed = true;
    warnings_fired_.Increment();
    ++fired_.warnings;
    Late(now - timer->at);
    return;
  }

  // Compared at the key's precision (µs): a due with nanoseconds is the
  // same due its timer was set for.
  if (TimeBytes(due) != TimeBytes(timer->at)) {  // moved: timer elsewhere
    Dropped();
    return;
  }
  Late(now - timer->at);
  Miss(*record, d->deadline_id(), now, batch,
       {/*timer_deleted=*/true, &lights});
  due_case.changed = true;
}

}  // namespace caserelay::supervision
