// The second half of the consistency recipe (DESIGN.md steps 3-5):
// commit a batch, hand its outbox records to the idempotent producer in
// commit order, delete each record when its delivery is confirmed, and
// republish whatever is left after a restart.
//
// Every path that writes events commits through OutboxPublisher::Commit,
// so records reach the producer in the order of their outbox sequence
// (and so, per case, in the order they happened).
//
// Thread safety: thread-safe. Delivery reports arrive on the producer's
// thread; retries run on the publisher's own thread.

#ifndef CASERELAY_COMMON_STORE_OUTBOX_PUBLISHER_H_
#define CASERELAY_COMMON_STORE_OUTBOX_PUBLISHER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/kafka/producer.h"
#include "common/store/store.h"

namespace caserelay::store {

class OutboxPublisher {
 public:
  using ProducerFactory =
      std::function<absl::StatusOr<std::unique_ptr<kafka::Producer>>(
          kafka::DeliveryCallback)>;

  // Creates the producer through `factory` (wiring its delivery reports
  // here) and republishes every record still pending in `store`, oldest
  // first. `store` must outlive the publisher.
  static absl::StatusOr<std::unique_ptr<OutboxPublisher>> Create(
      Store* store, const ProducerFactory& factory);
  ~OutboxPublisher();

  // Commits `batch` to the store and queues its outbox records for
  // publishing, in one step so that commit order is publish order.
  // On failure nothing was written or queued (the store's status).
  absl::Status Commit(WriteBatch& batch);

  // Waits until every committed record is confirmed by Kafka, or the
  // timeout passes (DEADLINE_EXCEEDED with the count left).
  absl::Status Flush(absl::Duration timeout);

  // Records committed but not yet confirmed.
  uint64_t Pending() const;

 private:
  explicit OutboxPublisher(Store* store);
  void OnDelivery(const kafka::DeliveryReport& report);
  // Queues records on the producer; what cannot be queued now waits in
  // backlog_, and everything after it too, so order is kept.
  void EnqueueLocked(std::vector<OutboxRecord> records)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RetryLoop();

  Store* const store_;
  std::unique_ptr<kafka::Producer> producer_;  // set once in Create()

  mutable absl::Mutex mu_;
  // Produced, awaiting a delivery report, by sequence.
  std::map<uint64_t, OutboxRecord> in_flight_ ABSL_GUARDED_BY(mu_);
  // Not yet handed to the producer (queue full or failed delivery).
  std::deque<OutboxRecord> backlog_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread retry_thread_;
};

}  // namespace caserelay::store

#endif  // CASERELAY_COMMON_STORE_OUTBOX_PUBLISHER_H_
