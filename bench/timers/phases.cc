#include "bench/timers/phases.h"

#include <time.h>

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "caserelay/v1/events.pb.h"
#include "common/time/timestamp.h"
#include "services/supervision/keys.h"

namespace caserelay::bench {
namespace {

// Progress every ~10% of `total`.
bool Tenth(int64_t done, int64_t total, int64_t step) {
  const int64_t tenth = std::max<int64_t>(1, total / 10);
  return done / tenth != (done - step) / tenth;
}

// What the ceiling's scan touches, so the compiler cannot drop it.
volatile uint64_t g_sink = 0;

// One DB's commit of a round of the loop.
struct Committed {
  int db;
  SteadyTime at;  // when the commit returned
  std::vector<store::OutboxRecord> records;
};

// Whether `records` hold an output of the service (not only changelog).
bool HasOutput(const std::vector<store::OutboxRecord>& records) {
  for (const store::OutboxRecord& r : records) {
    if (r.topic == supervision::kSupervisionEvents) return true;
  }
  return false;
}

// Deletes the committed records from `store`'s outbox, as a publisher does
// once Kafka confirmed them.
absl::Status Drain(store::Store& store,
                   const std::vector<store::OutboxRecord>& records) {
  if (records.empty()) return absl::OkStatus();
  std::vector<uint64_t> seqs;
  seqs.reserve(records.size());
  for (const store::OutboxRecord& r : records) seqs.push_back(r.seq);
  return store.DeleteOutbox(seqs);
}

// ConsumeLoop::TickPartitions: every DB ticked into a batch of its own,
// committed if not empty, drained. Whether anything was published.
absl::StatusOr<bool> TickEvery(TimerStores& stores,
                               supervision::SupervisionServiceImpl& service) {
  bool output = false;
  for (int db = 0; db < stores.size(); ++db) {
    store::WriteBatch wb(&stores.db(db));
    if (absl::Status s = stores.Tick(service, db, wb); !s.ok()) return s;
    if (wb.empty()) continue;
    auto committed = stores.db(db).Commit(wb);
    if (!committed.ok()) return committed.status();
    output = output || HasOutput(*committed);
    if (absl::Status s = Drain(stores.db(db), *committed); !s.ok()) return s;
  }
  return output;
}

}  // namespace

absl::Duration ProcessCpu() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return absl::DurationFromTimespec(ts);
}

absl::StatusOr<ArmResult> ArmThroughService(
    TimerStores& stores, supervision::SupervisionServiceImpl& service,
    const Workload& workload, int batch, const Progress& progress) {
  ArmResult r;
  const SteadyTime start = SteadyClock::now();
  std::vector<std::string> inputs;
  std::vector<int64_t> offsets(stores.size(), 0);
  for (int first = 0; first < workload.cases(); first += batch) {
    const int n = std::min(batch, workload.cases() - first);
    inputs.clear();
    for (int i = first; i < first + n; ++i) {
      inputs.push_back(workload.Event(i).SerializeAsString());
    }
    const SteadyTime t0 = SteadyClock::now();
    std::vector<std::unique_ptr<store::WriteBatch>> wbs(stores.size());
    for (int k = 0; k < n; ++k) {
      caserelay::v1::Envelope event;
      if (!event.ParseFromString(inputs[k])) {
        return absl::InternalError("bench: an input does not parse");
      }
      const int db = stores.IndexOfCase(event.case_id());
      if (wbs[db] == nullptr) {
        wbs[db] = std::make_unique<store::WriteBatch>(&stores.db(db));
      }
      if (absl::Status s = service.Apply(event, *wbs[db]); !s.ok()) return s;
      wbs[db]->SetOffset(kCaseEvents, stores.partition(db), ++offsets[db]);
    }
    bool fired = false;
    if (!stores.partitioned()) {
      if (absl::Status s = stores.Tick(service, 0, *wbs[0]); !s.ok()) return s;
    }
    for (int db = 0; db < stores.size(); ++db) {
      if (wbs[db] == nullptr) continue;
      auto committed = stores.db(db).Commit(*wbs[db]);
      if (!committed.ok()) return committed.status();
      fired = fired || HasOutput(*committed);
      if (absl::Status s = Drain(stores.db(db), *committed); !s.ok()) return s;
    }
    if (stores.partitioned()) {
      auto ticked = TickEvery(stores, service);
      if (!ticked.ok()) return ticked.status();
      fired = fired || *ticked;
    }
    r.timed += Since(t0, SteadyClock::now());
    ++r.commits;
    if (fired) {
      return absl::InternalError(
          "bench: a timer fired while arming (the clock stands before every "
          "timer)");
    }
    if (Tenth(first + n, workload.cases(), n)) {
      progress(absl::StrFormat("arm: %d/%d cases (%d timers), %.0f s",
                               first + n, workload.cases(), 2 * (first + n),
                               absl::ToDoubleSeconds(r.timed)));
    }
  }
  r.wall = Since(start, SteadyClock::now());
  return r;
}

absl::StatusOr<ArmResult> ArmRaw(
    TimerStores& stores, const Workload& workload, int batch,
    const std::function<size_t(int)>& record_size) {
  ArmResult r;
  const SteadyTime start = SteadyClock::now();
  const absl::Duration warn = workload.warning_before();
  struct Write {
    int db;
    std::string case_id, record, miss, warning, warning_value;
  };
  std::vector<Write> writes;
  std::vector<int64_t> offsets(stores.size(), 0);
  for (int first = 0; first < workload.cases(); first += batch) {
    const int n = std::min(batch, workload.cases() - first);
    writes.clear();
    for (int i = first; i < first + n; ++i) {
      // The deadline id as supervision forms it, for same-size keys.
      const std::string id =
          absl::StrCat(workload.CaseId(i), "/handling/",
                       absl::ToUnixMicros(workload.origin()));
      const absl::Time due = workload.Due(i);
      writes.push_back(
          {stores.IndexOfCase(workload.CaseId(i)), workload.CaseId(i),
           std::string(record_size(i), 'r'),
           supervision::TimerKey(due, supervision::TimerKind::kMiss, id),
           supervision::TimerKey(due - warn, supervision::TimerKind::kWarning,
                                 id),
           supervision::TimeBytes(due)});
    }
    const SteadyTime t0 = SteadyClock::now();
    std::vector<std::unique_ptr<store::WriteBatch>> wbs(stores.size());
    for (const Write& w : writes) {
      if (wbs[w.db] == nullptr) {
        wbs[w.db] = std::make_unique<store::WriteBatch>(&stores.db(w.db));
      }
      store::WriteBatch& wb = *wbs[w.db];
      wb.Put(supervision::kCases, w.case_id, w.record);
      wb.Put(supervision::kTimers, w.miss, "");
      wb.Put(supervision::kTimers, w.warning, w.warning_value);
      wb.SetOffset(kCaseEvents, stores.partition(w.db), ++offsets[w.db]);
    }
    for (int db = 0; db < stores.size(); ++db) {
      if (wbs[db] == nullptr) continue;
      auto committed = stores.db(db).Commit(*wbs[db]);
      if (!committed.ok()) return committed.status();
      if (absl::Status s = Drain(stores.db(db), *committed); !s.ok()) return s;
    }
    r.timed += Since(t0, SteadyClock::now());
    ++r.commits;
  }
  r.wall = Since(start, SteadyClock::now());
  return r;
}

absl::StatusOr<FireResult> FireThroughService(
    TimerStores& stores, supervision::SupervisionServiceImpl& service,
    ScaledClock& clock, const Workload& workload, const FireOptions& options,
    const Progress& progress) {
  FireResult r;
  r.lateness.reserve(options.expected);
  clock.Run();
  const SteadyTime start = SteadyClock::now();
  const absl::Duration cpu_start = ProcessCpu();
  int64_t outputs = 0;
  for (;;) {
    if (Since(start, SteadyClock::now()) > options.limit) {
      return absl::DeadlineExceededError(absl::StrCat(
          "bench: ", outputs, " of ", options.expected, " timers fired after ",
          absl::FormatDuration(options.limit)));
    }
    // A poll with no messages returns after poll_timeout, unless the last
    // Tick stopped at its bound (ConsumeLoop polls without waiting then).
    if (!service.MoreDue()) absl::SleepFor(options.poll_timeout);
    const SteadyTime t0 = SteadyClock::now();
    const int64_t before = outputs;
    bool wrote = false;
    SteadyTime done = t0;
    // The outputs of this round: commit time and the committed records,
    // parsed once the round is over (as a publisher works apart from the
    // loop's thread).
    std::vector<Committed> round;
    for (int db = 0; db < stores.size(); ++db) {
      store::WriteBatch wb(&stores.db(db));
      if (absl::Status s = stores.Tick(service, db, wb); !s.ok()) return s;
      if (wb.empty()) continue;
      wrote = true;
      auto committed = stores.db(db).Commit(wb);
      if (!committed.ok()) return committed.status();
      done = SteadyClock::now();
      round.push_back({db, done, *std::move(committed)});
    }
    ++r.ticks;
    if (!wrote) {
      // Nothing was due: done once the clock has passed every timer.
      if (clock.Now() > workload.last_due()) {
        r.cpu = ProcessCpu() - cpu_start;
        break;
      }
      continue;
    }
    const absl::Duration work = Since(t0, done);
    r.work += work;
    r.max_work = std::max(r.max_work, work);
    r.wall = Since(start, done);
    ++r.firing_ticks;

    for (const Committed& c : round) {
      for (const store::OutboxRecord& rec : c.records) {
        if (rec.topic != supervision::kSupervisionEvents)
          continue;  // the changelog's
        caserelay::v1::Envelope e;
        if (!e.ParseFromString(rec.value)) {
          return absl::DataLossError("bench: an outbox record does not parse");
        }
        absl::Time at;
        if (e.has_deadline_warning()) {
          at = time::FromProto(e.deadline_warning().due_at()) -
               workload.warning_before();
          ++r.warnings;
        } else if (e.has_deadline_missed()) {
          at = time::FromProto(e.deadline_missed().due_at());
          ++r.misses;
        } else {
          if (e.has_supervision_issued()) ++r.issued;
          continue;
        }
        ++outputs;
        r.lateness.push_back(Since(clock.RealAt(at), c.at));
      }
    }
    for (const Committed& c : round) {
      if (absl::Status s = Drain(stores.db(c.db), c.records); !s.ok()) {
        return s;
      }
    }
    if (Tenth(outputs, options.expected, outputs - before)) {
      progress(absl::StrFormat(
          "fire: %d/%d timers fired, %.0f s; clock at +%.1f days", outputs,
          options.expected,
          absl::ToDoubleSeconds(Since(start, SteadyClock::now())),
          absl::ToDoubleSeconds(clock.Now() - workload.origin()) / 86400));
    }
  }
  return r;
}

absl::StatusOr<RawFireResult> FireRaw(TimerStores& stores, int fire_batch) {
  RawFireResult r;
  const absl::Duration cpu_start = ProcessCpu();
  // Each partition's share of a round, as TickPartition takes it.
  const int share = std::max(1, fire_batch / stores.size());
  std::vector<std::string> keys;
  // Where each DB's last scan stopped, as the service's scans do.
  std::vector<std::string> from(stores.size());
  std::vector<bool> empty(stores.size(), false);
  for (;;) {
    bool any = false;
    for (int db = 0; db < stores.size(); ++db) {
      if (empty[db]) continue;
      store::Store& store = stores.db(db);
      const SteadyTime t0 = SteadyClock::now();
      keys.clear();
      uint64_t bytes = 0;
      absl::Status s =
          store.Scan(supervision::kTimers, from[db], "",
                     [&](std::string_view k, std::string_view v) {
                       keys.emplace_back(k);
                       bytes += v.size();
                       return static_cast<int>(keys.size()) < share;
                     });
      if (!s.ok()) return s;
      if (keys.empty()) {
        empty[db] = true;
        continue;
      }
      any = true;
      from[db] = keys.back();
      store::WriteBatch wb(&store);
      for (const std::string& k : keys) wb.Delete(supervision::kTimers, k);
      auto committed = store.Commit(wb);
      if (!committed.ok()) return committed.status();
      r.timed += Since(t0, SteadyClock::now());
      r.keys += static_cast<int64_t>(keys.size());
      g_sink = g_sink + bytes;
      if (absl::Status d = Drain(store, *committed); !d.ok()) return d;
    }
    if (!any) {
      r.cpu = ProcessCpu() - cpu_start;
      break;
    }
  }
  return r;
}

}  // namespace caserelay::bench
