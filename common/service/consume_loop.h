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
// Thread safety: the loop runs on its own thread; Start/Stop from one
// owner thread. The handler is only ever called on the loop's thread, so
// it is the one mutator of the state it owns (CONVENTIONS.md #2).

#ifndef CASERELAY_COMMON_SERVICE_CONSUME_LOOP_H_
#define CASERELAY_COMMON_SERVICE_CONSUME_LOOP_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "common/kafka/consumer.h"
#include "common/metrics/metrics.h"
#include "common/store/outbox_publisher.h"
#include "common/store/store.h"

namespace caserelay::service {

// What a service does with its consumed events.
class EventHandler {
 public:
  virtual ~EventHandler() = default;

  // Applies one event: reads state through `batch`, writes the new state
  // and any output events (batch.AddOutbox) into it. Must be
  // deterministic in its ids (derive output event ids from the input's).
  // A non-OK status means this event can never be applied (malformed,
  // unknown case): the loop keeps it in "dead-letters" with the reason
  // and moves on. Writes made before the failure must be avoided: check
  // first, then write.
  virtual absl::Status Apply(const caserelay::v1::Envelope& event,
                             store::WriteBatch& batch) = 0;

  // Called on the loop's thread once per poll, after Apply of the polled
  // events, with the same batch: work driven by time (timers coming
  // due). Default: nothing.
  virtual absl::Status Tick(store::WriteBatch& /*batch*/) {
    return absl::OkStatus();
  }

  // True when the last Tick stopped at its bound with more work due: the
  // loop then polls again at once instead of waiting poll_timeout for
  // input. Default: false.
  virtual bool MoreDue() const { return false; }

  // Called after each successful commit (e.g. to wake a sender thread).
  virtual void Committed() {}
};

struct ConsumeLoopOptions {
  int max_batch = 500;
  absl::Duration poll_timeout = absl::Milliseconds(100);
};

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

  // False while the consumer fails (it is retried every second).
  bool healthy() const { return healthy_.load(); }
  // True once the consumer has partitions assigned (a new group member
  // waits for the group's rebalance before it gets any).
  bool assigned() const { return assigned_.load(); }

  // One poll-apply-commit step (exposed for tests and the loop itself).
  // Commit failures are retried until they succeed or Stop() is called.
  absl::Status RunOnce();

 private:
  void Run();

  const std::string name_;
  std::unique_ptr<kafka::Consumer> consumer_;
  store::Store* const store_;
  store::OutboxPublisher* const publisher_;
  EventHandler* const handler_;
  const ConsumeLoopOptions options_;
  metrics::Counter& applied_;
  metrics::Counter& duplicates_;
  metrics::Counter& dead_letters_;
  metrics::Histogram& batch_seconds_;

  std::atomic<bool> stop_{false};
  std::atomic<bool> healthy_{true};
  std::atomic<bool> assigned_{false};
  std::thread thread_;
};

}  // namespace caserelay::service

#endif  // CASERELAY_COMMON_SERVICE_CONSUME_LOOP_H_
