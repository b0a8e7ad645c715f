// The consumer side of DESIGN.md's consistency recipe, in one place:
//
//   poll a batch → skip what the stored offsets say was applied →
//   EventHandler::Apply each event into one WriteBatch (state + outbox) →
//   record the consumed offsets in the same batch → commit through the
//   OutboxPublisher (which publishes the outputs) → repeat.
//
// A crash anywhere leaves either the whole batch or none of it, and the
// consumer resumes from the stored offsets, so every input is applied
// exactly once even though Kafka may deliver it twice.
//
// Offsets are stored with the identity of the log they count in
// (kafka::Consumer::LogId). When the consumer reports that a partition's
// log is not the one the offsets were stored for (a new cluster, the
// embedded broker started again, a topic recreated), the loop resets that
// partition's position explicitly to the new log's start, logs it as an
// error and counts it (caserelay_log_resets_total): nothing of the new log
// is taken for a duplicate. When records were deleted before they were
// read (retention), the loss is logged, counted
// (caserelay_records_skipped_total) and kept as an alert in Health()
// (/healthz answers 503) until the process restarts.
//
// What cannot be applied now is not treated as never (issue 22 item 5):
// an Apply error that is transient (UNAVAILABLE, DEADLINE_EXCEEDED,
// RESOURCE_EXHAUSTED, ABORTED, CANCELLED) is retried in place, with a
// backoff, until it succeeds, turns permanent or the loop stops; only a
// permanent one dead-letters the input. An event after a per-case
// sequence gap (SequenceGapError) is held, not applied out of order, and
// offered again once its case moved on (held_events.h); a case waiting
// longer than gap_alert_after shows in Health(). Inputs are committed before
// Tick() runs, in their own batch, and a batch whose Tick failed is never
// committed: its work is tried again on the next round. A loop stuck on a
// retried input, a failing commit or ticks failing in a row reports it in
// Health().
//
// Partitioned state (issue 19 items 1-3; ConsumeLoopOptions::partitions):
// the loop drives each partition's lifecycle from the consumer's
// assignment (kafka::RebalanceListener; the consumer pauses new
// partitions):
//
//   assigned (paused) --Acquire: restore, up to 4 per round-->
//   held (Resume: read from the stored offsets, applied, ticked)
//   --revoked: nothing of it in hand (every round commits before the next
//     Poll; what that Poll read of it is dropped), on_releasing, Release-->
//   not held
//
// so no record of a partition is applied before Acquire returned, and
// nothing is written to it after Release. A round holding inputs of
// several partitions commits one WriteBatch per partition, each through
// the partition's own OutboxPublisher (PartitionLease::publisher()), with
// the offsets of that partition in its own DB; Tick runs once per held
// partition (EventHandler::TickPartition). Dead letters and held events
// live in the partition DB of their input.
//
// Thread safety: the loop runs on its own thread; Start/Stop from one
// owner thread. The handler is only ever called on the loop's thread, so
// it is the one mutator of the state it owns (CONVENTIONS.md #2).

#ifndef CASERELAY_COMMON_SERVICE_CONSUME_LOOP_H_
#define CASERELAY_COMMON_SERVICE_CONSUME_LOOP_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "common/kafka/consumer.h"
#include "common/service/applied_through.h"
#include "common/service/held_events.h"
#include "common/metrics/metrics.h"
#include "common/time/clock.h"
#include "common/store/outbox_publisher.h"
#include "common/store/partitioned_store.h"
#include "common/store/store.h"

namespace caserelay::service {

// What a service does with its consumed events.
class EventHandler {
 public:
  virtual ~EventHandler() = default;

  // Applies one event: reads state through `batch`, writes the new state
  // and any output events (batch.AddOutbox) into it. In a partitioned
  // loop `batch` is on the DB of the event's partition (the event's case
  // lives there); a scan of that partition goes through
  // PartitionedStore::LeaseForCase. Must be
  // deterministic in its ids (derive output event ids from the input's).
  // A transient status (UNAVAILABLE and the others of IsTransient) means
  // "not now": the loop calls Apply again with the same event and batch.
  // Any other non-OK status means this event can never be applied
  // (malformed, unknown case): the loop keeps it in "dead-letters" with
  // the reason and moves on. Writes made before the failure must be
  // avoided: check first, then write.
  virtual absl::Status Apply(const caserelay::v1::Envelope& event,
                             store::WriteBatch& batch) = 0;

  // Called on the loop's thread once per poll, after the polled events
  // were applied and committed, with a batch of its own: work driven by
  // time (timers coming due). On a non-OK status the loop discards the
  // batch (nothing of it is written) and calls Tick again next round, so
  // Tick must leave its due work in the store until its batch commits.
  // Default: nothing.
  virtual absl::Status Tick(store::WriteBatch& /*batch*/) {
    return absl::OkStatus();
  }

  // Issue 19: a partitioned loop calls this instead of Tick(batch), once
  // per held partition per round, with a batch on that partition's DB
  // (`store`, for the handler's scans of the partition, e.g. its timers).
  // The rules of Tick apply per partition: a non-OK status discards that
  // partition's batch only. Default: Tick(batch), for a handler whose
  // Tick reads only through the batch.
  virtual absl::Status TickPartition(int32_t /*partition*/,
                                     store::Store& /*store*/,
                                     store::WriteBatch& batch) {
    return Tick(batch);
  }

  // True when the last Tick stopped at its bound with more work due: the
  // loop then polls again at once instead of waiting poll_timeout for
  // input. Default: false.
  virtual bool MoreDue() const { return false; }

  // Issue 19: a partitioned loop calls this once partition `partition` is
  // restored (Acquire) and before any of its records is applied or it is
  // ticked: a handler keeping in-memory state per partition (supervision:
  // where its scan of the timers stands) starts that state afresh, since
  // another instance may have written the partition meanwhile. Default:
  // nothing.
  virtual void PartitionHeld(int32_t /*partition*/) {}

  // Called after each successful commit (e.g. to wake a sender thread).
  virtual void Committed() {}
};

// True for the codes that mean "try again" (UNAVAILABLE, DEADLINE_EXCEEDED,
// RESOURCE_EXHAUSTED, ABORTED, CANCELLED).
bool IsTransient(const absl::Status& status);

struct ConsumeLoopOptions {
  int max_batch = 500;
  absl::Duration poll_timeout = absl::Milliseconds(100);
  // First wait before an input, a store read or a commit is tried again;
  // it doubles up to retry_max.
  absl::Duration retry_initial = absl::Milliseconds(50);
  absl::Duration retry_max = absl::Seconds(2);
  // Health() reports the loop stuck once one retried step has failed this
  // many times in a row, or Tick has.
  int stuck_after = 3;
  // The topics this loop consumes: RequestReplay takes the dead letters
  // of these ("<topic>/<partition>/<offset>").
  std::vector<std::string> topics;
  // Health() reports a case whose events are held for a sequence gap
  // (held_events.h) once it has waited this long.
  absl::Duration gap_alert_after = absl::Minutes(1);
  // The service's clock; null: the system clock. Only read for the gauges
  // caserelay_loop_tick_clock_seconds and ..._applied_through_seconds.
  const time::Clock* clock = nullptr;
  // How often (real time, at most) the loop asks the broker for its
  // partitions' ends to move applied_through() (applied_through.h);
  // InfiniteDuration (the default): never, applied_through() stays
  // InfinitePast.
  absl::Duration applied_through_probe = absl::InfiniteDuration();
  // Issue 19: the state is partitioned; `store` and `publisher` of the
  // constructor are then the instance-local store (not used by the loop)
  // and may be null. The consumer must pause new partitions
  // (kafka::ConsumerOptions::pause_assigned): the loop registers itself as
  // its RebalanceListener. Null: one store, as before.
  store::PartitionedStore* partitions = nullptr;
  // Called on the loop's thread once a partition is restored and resumed
  // (PartitionOwners::Held), and before it is released
  // (PartitionOwners::Released). Optional.
  std::function<void(int32_t)> on_held;
  std::function<void(int32_t)> on_releasing;
};

// Besides its counters, a loop shows on /metrics how far it has got, so
// that a test (or an operator) can wait for it before concluding that
// something did not happen (issue 22 item 9):
//   caserelay_loop_input_next_offset{loop,input="<topic>/<partition>"}
//       the next offset to apply: every record below it is applied (or
//       dead-lettered) and committed;
//   caserelay_loop_tick_clock_seconds{loop}
//       the clock's time (Unix seconds) when the last Tick began whose work
//       is committed: every timer due by then has been handled, unless the
//       Tick stopped at its bound (MoreDue);
//   caserelay_loop_applied_through_seconds{loop}
//       applied_through(): the clock's time (Unix seconds) by which every
//       record then in the loop's partitions is applied and committed
//       (applied_through.h);
//   caserelay_loop_ticks_total{loop}
//       Ticks whose work is committed; each began after the inputs of its
//       round were committed, so one counted after an input offset was
//       seen also saw that input's effects.

class ConsumeLoop {
 public:
  // Takes ownership of `consumer`; `store`, `publisher`, `handler` and
  // `metrics` must outlive the loop. The loop is not running until Start.
  ConsumeLoop(std::string name, std::unique_ptr<kafka::Consumer> consumer,
              store::Store* store, store::OutboxPublisher* publisher,
              EventHandler* handler, metrics::Registry* metrics,
              ConsumeLoopOptions options);
  ~ConsumeLoop();  // Stop()

  void Start();
  // Finishes the batch in hand, commits it, closes the consumer.
  void Stop();

  // False while the consumer fails (it is retried every second), while
  // the loop is stuck (see Health) or has an alert.
  bool healthy() const { return Health().empty(); }

  // Empty when healthy; else one line per problem, for /healthz: the
  // consumer failing, an input, a store read or a commit retried
  // stuck_after times or more, Tick failing stuck_after times in a row,
  // and every read position that skipped unread records since start.
  std::string Health() const;
  // True once the consumer has partitions assigned (a new group member
  // waits for the group's rebalance before it gets any).
  bool assigned() const { return assigned_.load(); }

  // Partitioned loops: the partitions held (restored, applied) and those
  // assigned but still waiting for their restore. Thread-safe.
  std::vector<int32_t> HeldPartitions() const;
  std::vector<int32_t> RestoringPartitions() const;

  // How far the loop has applied its inputs on the clock
  // (applied_through.h); thread-safe, lives as long as the loop.
  const AppliedThroughProbe& applied_through() const {
    return applied_through_;
  }

  // Asks the loop to apply again, on its next round, the dead letter `key`
  // (one of this loop's topics: "<topic>/<partition>/<offset>"), or all of
  // its topics' dead letters when `key` is empty (casectl dead-letters
  // replay). Thread-safe. Returns how many were queued; NOT_FOUND if `key`
  // is not a dead letter of this loop; UNAVAILABLE if the store fails.
  // On the loop's thread, a replayed letter that applies (or is held for a
  // sequence gap) leaves the dead letters in the same batch; one refused
  // again stays, with the new reason.
  absl::StatusOr<size_t> RequestReplay(const std::string& key);

  // One poll-apply-commit-tick step (exposed for tests and the loop
  // itself). Store reads, transient Apply errors and commit failures are
  // retried in place until they succeed or Stop() is called (then the
  // last error is returned and nothing of the batch is written). A failed
  // Tick is returned after the inputs were committed.
  absl::Status RunOnce();

 private:
  // The consumer's rebalance events, on the loop's thread (inside Poll) or
  // the owner's (inside Close, after the loop stopped).
  class Rebalance : public kafka::RebalanceListener {
   public:
    explicit Rebalance(ConsumeLoop* loop) : loop_(loop) {}
    void Assigned(const std::vector<kafka::TopicPartition>& tps) override;
    void Revoking(const std::vector<kafka::TopicPartition>& tps) override;

   private:
    ConsumeLoop* const loop_;
  };
  // A held partition's loop-thread state.
  struct HeldPartition {
    std::unique_ptr<HeldEvents> held;
  };

  void Run();
  // The partitioned round (consume_loop_partitions.cc): acquire up to 4
  // waiting partitions, poll, apply and commit per partition, tick each.
  absl::Status RunOncePartitioned();
  // Acquires the first waiting partition and resumes it; on failure it
  // stays first in line (tried again next round).
  absl::Status AcquireNext();
  // Acquires up to 4 waiting partitions (their DBs opened in parallel:
  // PartitionedStore::AcquireAll), each through AcquireNext; stops at the
  // first failure (the rest wait for the next round).
  absl::Status AcquireWaiting();
  // Revocation of partition `p`: on_releasing, forget it, Release.
  void ReleasePartition(int32_t p);
  // Ticks every held partition, each in a batch of its own.
  absl::Status TickPartitions();
  void UpdatePartitionGauges();
  // Applies the consumer's position resets to `next` and to the batch of
  // each reset's partition (`batch_of`; null: not held, not stored).
  void ApplyResets(
      std::map<std::pair<std::string, int32_t>, int64_t>& next,
      const std::function<store::WriteBatch*(int32_t partition)>& batch_of);
  // Applies one record; retries transient errors in place. Returns OK
  // once applied, held (a sequence gap) or dead-lettered; the last error
  // if stopped meanwhile. After an applied event, its case's held events
  // are offered again (ReleaseHeld).
  absl::Status ApplyOne(const kafka::Message& m, HeldEvents& held,
                        store::WriteBatch& batch);
  // handler_->Apply, retrying transient errors until another answer or
  // Stop(); `what` names the input for logs and Health.
  absl::Status ApplyWithRetry(const caserelay::v1::Envelope& event,
                              const std::string& what,
                              store::WriteBatch& batch);
  // Applies the held events of `case_id` in sequence order until one is
  // still after a gap; a held event refused for good is dead-lettered.
  absl::Status ReleaseHeld(const std::string& case_id, HeldEvents& held,
                           store::WriteBatch& batch);
  // Applies the dead letters RequestReplay queued.
  absl::Status ReplayRequested(store::WriteBatch& batch);
  // Applies the dead letters `keys` (held events of `held`) into `batch`.
  absl::Status ReplayKeys(const std::vector<std::string>& keys,
                          HeldEvents& held, store::WriteBatch& batch);
  // Takes the keys RequestReplay queued.
  std::vector<std::string> TakeReplayKeys();
  // Keeps `record` in "dead-letters" under `key` with `why`.
  void DeadLetter(const std::string& key, const absl::Status& why,
                  const std::string& record, store::WriteBatch& batch);
  // The clock's time a Tick begins at (the system clock without one).
  absl::Time TickClock() const;
  // Counts, logs and keeps (for Health) a failed Tick; returns `failed`.
  absl::Status TickFailed(const absl::Status& failed);
  // A Tick that began at `began` is committed: its gauge and counter.
  void TickCommitted(absl::Time began);
  // True if `m` lies below the offset its partition has reached (`next`,
  // loaded from `store`'s stored position on first sight): a redelivery
  // after a rebalance or restart, counted and skipped. A read error is
  // retried in place (it is not "nothing stored", which would apply the
  // partition again from its start); the last one once the loop stops.
  absl::StatusOr<bool> AlreadyApplied(
      const kafka::Message& m, const store::Store& store,
      std::map<std::pair<std::string, int32_t>, int64_t>& next);
  // Sets caserelay_loop_input_next_offset for each input of `next` (-1:
  // nothing applied there yet, skipped).
  void ShowNextOffsets(
      const std::map<std::pair<std::string, int32_t>, int64_t>& next);
  // Commits `batch`, retrying until it succeeds or the loop stops.
  absl::Status CommitWithRetry(store::WriteBatch& batch);
  absl::Status CommitWithRetry(store::OutboxPublisher& publisher,
                               store::WriteBatch& batch);
  // Sleeps the backoff of `attempt` (1-based); marks the loop stuck on
  // `what` from stuck_after attempts on.
  void Backoff(int attempt, const std::string& what, const absl::Status& s);

  const std::string name_;
  std::unique_ptr<kafka::Consumer> consumer_;
  store::Store* const store_;
  store::OutboxPublisher* const publisher_;
  EventHandler* const handler_;
  const ConsumeLoopOptions options_;
  metrics::Registry* const metrics_;
  metrics::Counter& applied_;
  metrics::Counter& duplicates_;
  metrics::Counter& dead_letters_;
  metrics::Histogram& batch_seconds_;
  metrics::Counter& retries_;
  metrics::Counter& tick_failures_;
  metrics::Counter& log_resets_;
  metrics::Counter& skipped_records_;
  metrics::Gauge& tick_clock_;
  metrics::Counter& ticks_;
  metrics::Counter& gaps_;
  metrics::Counter& replayed_;
  metrics::Gauge& held_gauge_;
  std::unique_ptr<HeldEvents> held_;  // loop thread; loaded by RunOnce
  AppliedThroughProbe applied_through_;  // Round on the loop thread

  std::atomic<bool> stop_{false};
  std::atomic<bool> healthy_{true};  // the consumer polls
  std::atomic<int> tick_failures_in_row_{0};
  mutable absl::Mutex mu_;
  std::string stuck_ ABSL_GUARDED_BY(mu_);  // what is retried, if stuck
  std::string last_tick_error_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> alerts_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> replay_ ABSL_GUARDED_BY(mu_);  // dead letter keys
  // Cases held longer than gap_alert_after, as of the last round.
  std::vector<std::string> held_late_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> assigned_{false};

  // Partitioned loops only.
  Rebalance rebalance_{this};
  metrics::Gauge& restoring_gauge_;
  metrics::Counter& acquire_failures_;
  // Loop thread (and the owner's inside Close, after the thread stopped).
  std::map<int32_t, HeldPartition> partitions_held_;
  std::deque<int32_t> to_acquire_;  // assigned, paused, not restored yet
  // What the consumer assigned of each partition number (its topics).
  std::map<int32_t, std::vector<kafka::TopicPartition>> assigned_tps_;
  int acquire_attempts_ = 0;        // of to_acquire_.front()
  // Copies for HeldPartitions()/RestoringPartitions() from other threads.
  mutable absl::Mutex partitions_mu_;
  std::vector<int32_t> held_copy_ ABSL_GUARDED_BY(partitions_mu_);
  std::vector<int32_t> restoring_copy_ ABSL_GUARDED_BY(partitions_mu_);
  std::thread thread_;
};

}  // namespace caserelay::service

#endif  // CASERELAY_COMMON_SERVICE_CONSUME_LOOP_H_
