#include "bench/timers/phases.h"

#include <time.h>

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

}  // namespace

absl::Duration ProcessCpu() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return absl::DurationFromTimespec(ts);
}

absl::StatusOr<ArmResult> ArmThroughService(
    store::Store& store, supervision::SupervisionServiceImpl& service,
    const Workload& workload, int batch, const Progress& progress) {
  ArmResult r;
  const SteadyTime start = SteadyClock::now();
  std::vector<std::string> inputs;
  for (int first = 0; first < workload.cases(); first += batch) {
    const int n = std::min(batch, workload.cases() - first);
    inputs.clear();
    for (int i = first; i < first + n; ++i) {
      inputs.push_back(workload.Event(i).SerializeAsString());
    }
    const SteadyTime t0 = SteadyClock::now();
    store::WriteBatch wb(&store);
    for (int k = 0; k < n; ++k) {
      caserelay::v1::Envelope event;
      if (!event.ParseFromString(inputs[k])) {
        return absl::InternalError("bench: an input does not parse");
      }
      if (absl::Status s = service.Apply(event, wb); !s.ok()) return s;
      wb.SetOffset(kCaseEvents, 0, first + k + 1);
    }
    if (absl::Status s = service.Tick(wb); !s.ok()) return s;
    auto committed = store.Commit(wb);
    if (!committed.ok()) return committed.status();
    r.timed += Since(t0, SteadyClock::now());
    ++r.commits;
    if (!committed->empty()) {
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
    store::Store& store, const Workload& workload, int batch,
    const std::function<size_t(int)>& record_size) {
  ArmResult r;
  const SteadyTime start = SteadyClock::now();
  const absl::Duration warn = workload.warning_before();
  struct Write {
    std::string case_id, record, miss, warning, warning_value;
  };
  std::vector<Write> writes;
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
          {workload.CaseId(i), std::string(record_size(i), 'r'),
           supervision::TimerKey(due, supervision::TimerKind::kMiss, id),
           supervision::TimerKey(due - warn, supervision::TimerKind::kWarning,
                                 id),
           supervision::TimeBytes(due)});
    }
    const SteadyTime t0 = SteadyClock::now();
    store::WriteBatch wb(&store);
    for (int k = 0; k < n; ++k) {
      const Write& w = writes[k];
      wb.Put(supervision::kCases, w.case_id, w.record);
      wb.Put(supervision::kTimers, w.miss, "");
      wb.Put(supervision::kTimers, w.warning, w.warning_value);
      wb.SetOffset(kCaseEvents, 0, first + k + 1);
    }
    auto committed = store.Commit(wb);
    if (!committed.ok()) return committed.status();
    r.timed += Since(t0, SteadyClock::now());
    ++r.commits;
  }
  r.wall = Since(start, SteadyClock::now());
  return r;
}

absl::StatusOr<FireResult> FireThroughService(
    store::Store& store, supervision::SupervisionServiceImpl& service,
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
    store::WriteBatch wb(&store);
    if (absl::Status s = service.Tick(wb); !s.ok()) return s;
    ++r.ticks;
    if (wb.empty()) {
      // Nothing was due: done once the clock has passed every timer.
      if (clock.Now() > workload.last_due()) {
        r.cpu = ProcessCpu() - cpu_start;
        break;
      }
      continue;
    }
    auto committed = store.Commit(wb);
    if (!committed.ok()) return committed.status();
    const SteadyTime done = SteadyClock::now();
    const absl::Duration work = Since(t0, done);
    r.work += work;
    r.max_work = std::max(r.max_work, work);
    r.wall = Since(start, done);
    ++r.firing_ticks;

    std::vector<uint64_t> seqs;
    const int64_t before = outputs;
    for (const store::OutboxRecord& rec : *committed) {
      seqs.push_back(rec.seq);
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
      r.lateness.push_back(Since(clock.RealAt(at), done));
    }
    if (absl::Status s = store.DeleteOutbox(seqs); !s.ok()) return s;
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

absl::StatusOr<RawFireResult> FireRaw(store::Store& store, int fire_batch) {
  RawFireResult r;
  const absl::Duration cpu_start = ProcessCpu();
  std::vector<std::string> keys;
  std::string from;  // where the last batch stopped, as the service does
  for (;;) {
    const SteadyTime t0 = SteadyClock::now();
    keys.clear();
    uint64_t bytes = 0;
    absl::Status s =
        store.Scan(supervision::kTimers, from, "",
                   [&](std::string_view k, std::string_view v) {
                     keys.emplace_back(k);
                     bytes += v.size();
                     return static_cast<int>(keys.size()) < fire_batch;
                   });
    if (!s.ok()) return s;
    if (keys.empty()) {
      r.cpu = ProcessCpu() - cpu_start;
      break;
    }
    from = keys.back();
    store::WriteBatch wb(&store);
    for (const std::string& k : keys) wb.Delete(supervision::kTimers, k);
    auto committed = store.Commit(wb);
    if (!committed.ok()) return committed.status();
    r.timed += Since(t0, SteadyClock::now());
    r.keys += static_cast<int64_t>(keys.size());
    g_sink = g_sink + bytes;
  }
  return r;
}

}  // namespace caserelay::bench
