// The timed phases of bench_timers: arming the timers through the service
// and through the raw store, firing them through the service on the
// consume loop's cadence and through a raw scan+delete.
#ifndef CASERELAY_BENCH_TIMERS_PHASES_H_
#define CASERELAY_BENCH_TIMERS_PHASES_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/timers/stores.h"
#include "bench/timers/workload.h"
#include "common/store/store.h"
#include "services/supervision/supervision_service.h"

namespace caserelay::bench {

// Called with a line of progress (to stderr).
using Progress = std::function<void(const std::string&)>;

// The consume loop's partition of case-events the arming offsets are
// recorded for, as ConsumeLoop::RunOnce does per batch.
inline constexpr char kCaseEvents[] = "case-events";

struct ArmResult {
  absl::Duration timed;  // apply/put + Tick + commit, summed over batches
  absl::Duration wall;   // including building the inputs
  int64_t commits = 0;
};

// Applies the workload's events as ConsumeLoop::RunOnce does: per batch of
// `batch` events, each parsed from its serialized Envelope and applied
// (Apply) with its offset into the WriteBatch of its case's DB; on one
// store then Tick into the same batch and Store::Commit; partitioned, each
// partition's batch committed, then every partition ticked into a batch of
// its own, committed if not empty (ConsumeLoop::TickPartitions). The
// serialized inputs are built before each batch's timing starts. Errors of
// Apply, Tick or Commit as they are.
absl::StatusOr<ArmResult> ArmThroughService(
    TimerStores& stores, supervision::SupervisionServiceImpl& service,
    const Workload& workload, int batch, const Progress& progress);

// The ceiling of arming: the same number of case records (record_size(i)
// bytes of case i) and the two timer keys of each case with their values,
// Put into WriteBatches of `batch` cases with an offset each (one batch per
// DB the cases live in), committed; the changelog records a partition DB
// logs are drained as the service's are. Keys and values are built before
// each batch's timing starts.
absl::StatusOr<ArmResult> ArmRaw(TimerStores& stores, const Workload& workload,
                                 int batch,
                                 const std::function<size_t(int)>& record_size);

struct FireResult {
  std::vector<absl::Duration> lateness;  // one per timer fired with output
  int64_t warnings = 0;                  // DeadlineWarning published
  int64_t misses = 0;                    // DeadlineMissed published
  int64_t issued = 0;                    // SupervisionIssued published
  // Rounds of the loop: a Tick of every DB (one, or every partition's),
  // each committed if it wrote something.
  int64_t ticks = 0;         // every round, empty or not
  int64_t firing_ticks = 0;  // rounds that wrote something
  absl::Duration work;       // Ticks + Commits of the firing rounds, summed
  absl::Duration max_work;   // the longest round's
  absl::Duration wall;      // from the clock's start to the last commit
  // CPU time (user + system) of the whole process, every thread (RocksDB's
  // flushes and compactions too), from the clock's start to the end of
  // the phase: robust to other processes' load, unlike `work`.
  absl::Duration cpu;
};

struct FireOptions {
  absl::Duration poll_timeout = absl::Milliseconds(100);
  // Outputs expected (warnings + misses), for the progress lines.
  int64_t expected = 0;
  // Give up (DEADLINE_EXCEEDED) after this much real time.
  absl::Duration limit = absl::Hours(1);
};

// Runs `clock` and drives the service as ConsumeLoop does when its
// consumer has no messages: Poll waits poll_timeout (unless MoreDue), then
// for each DB (the one store, or every partition's: TimerStores::Tick) a
// Tick into a new WriteBatch, then Store::Commit if it is not empty. Each
// output's timer
// instant (a warning's due_at - warning_before, a miss's due_at) is mapped
// to the real instant the clock showed it, and its lateness is the real
// time the commit returned minus that. The outbox is drained after each
// commit (DeleteOutbox, changelog records too), as a publisher does once
// Kafka confirms; nothing is produced. Stops at the first round that finds
// nothing due once the clock has passed the workload's last timer. Errors of
// Tick, Commit or DeleteOutbox as they are; DATA_LOSS for an output that
// does not parse.
absl::StatusOr<FireResult> FireThroughService(
    TimerStores& stores, supervision::SupervisionServiceImpl& service,
    ScaledClock& clock, const Workload& workload, const FireOptions& options,
    const Progress& progress);

struct RawFireResult {
  int64_t keys = 0;
  absl::Duration timed;
  absl::Duration cpu;  // the process's CPU time over the phase
};

// The CPU time (user + system) this process has used so far.
absl::Duration ProcessCpu();

// The ceiling of firing, on the same layout: in rounds, each DB's "timers"
// family scanned from where its last scan stopped for at most its share of
// `fire_batch` keys (all of it on one store; fire_batch / partitions, at
// least 1, per partition, as TickPartition shares it), each deleted in a
// WriteBatch, committed (a partition DB logging its changelog, drained as
// the service's is); until every family is empty.
absl::StatusOr<RawFireResult> FireRaw(TimerStores& stores, int fire_batch);

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_TIMERS_PHASES_H_
