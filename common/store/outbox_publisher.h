// The second half of the consistency recipe (DESIGN.md steps 3-5):
// commit a batch, hand its outbox records to the idempotent producer in
// commit order, delete each record when its delivery is confirmed, and
// republish whatever is left after a restart.
//
// Every path that writes events commits through OutboxPublisher::Commit,
// so records reach the producer in the order of their outbox sequence.
//
// Per case, in order. Records of one case share a key, hence a partition,
// and librdkafka's idempotent producer (max.in.flight <= 5, retries
// without end) writes one partition in produce order and never writes a
// record of a producer session before an earlier one of the same session
// is written. The publisher keeps that order across failures: a record
// whose delivery failed is produced again only after every record handed
// to the producer after it has been reported, and before any record not
// yet handed over; records still waiting go out in sequence order. So a
// later record of a case never reaches Kafka ahead of an earlier one that
// is still to be published (a retry can only add a duplicate of a record
// already written, which consumers drop by event id).
//
// What never blocks the outbox (issue 22 item 1):
//   - A record Kafka can never take (over max_record_bytes, or refused as
//     too large or invalid by the producer or the broker) goes to the
//     outbox dead letters (outbox_dead_letters.h) with its reason, is
//     logged once as an error, and counted; later records go on.
//     The broker refuses a whole batch for one record in it (MESSAGE_TOO_
//     LARGE, INVALID_RECORD), and librdkafka then reports every record of
//     the batch with that error: so a record refused in a delivery report
//     is produced once more alone (nothing else in flight, nothing else
//     produced until its report) and set aside only if refused again.
//   - A producer that hit a fatal error (INTERNAL: the idempotent
//     producer's state is lost) is destroyed and rebuilt through the
//     factory; its unconfirmed records are produced again, in order, on
//     the new one. A factory that fails is retried every rebuild_backoff.
// Stats() shows both, and the age of the oldest unconfirmed record, for
// /healthz and /metrics.
//
// A batch's changelog after its outputs (issue 19; OutboxOptions::
// changelog_topic). A store with a changelog (changelog.h) commits, in one
// batch, its outputs and then its changelog records. A new owner restores
// the partition from the changelog and never regenerates outputs of a
// batch it restored (a fired timer's deletion, the consumed offsets): so
// an outbox record of the changelog topic with sequence S is handed to the
// producer only once every other outbox record of this store with a
// sequence below S is confirmed by Kafka or dead-lettered (final). The
// records wait in two lanes, outputs and changelog, each kept in sequence
// order with the order rule above; outputs of later batches go on while a
// batch's changelog records wait, so the barrier costs each batch's
// changelog one acknowledgement round trip and no throughput. It holds
// for records republished at Create, after a reopen and after a rebuild
// alike: they enter the same lanes.
//
// After the store was opened again to recover from a storage fault
// (Store::reopens(), store.h), the outbox may hold records this publisher
// was never given (a commit reported failed whose write was on disk after
// all): the next Commit, or the retry thread, takes every stored record it
// does not hold into the backlog, in sequence order.
//
// Thread safety: thread-safe. Delivery reports arrive on the producer's
// thread; retries and rebuilds run on the publisher's own thread.

#ifndef CASERELAY_COMMON_STORE_OUTBOX_PUBLISHER_H_
#define CASERELAY_COMMON_STORE_OUTBOX_PUBLISHER_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
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

struct OutboxOptions {
  // The largest record (key plus value bytes) Kafka takes; keep it equal
  // to the producer's message.max.bytes and at most the broker's. Larger
  // records are refused by CheckOutbox and dead-lettered if committed.
  size_t max_record_bytes = 1000000;
  // How long to wait before building a producer again when the factory
  // failed.
  absl::Duration rebuild_backoff = absl::Seconds(1);
  // The time of "oldest pending" ages; the real time (not a service's
  // simulated clock: the age measures Kafka's progress).
  std::function<absl::Time()> now = [] { return absl::Now(); };
  // Called on the producer's thread for every record Kafka confirmed (an
  // OK delivery report), before the record leaves the outbox; null: none.
  // Must not block for long nor call back into the publisher. The
  // partitioned store keeps its changelog position with it.
  std::function<void(const OutboxRecord&, const kafka::DeliveryReport&)>
      on_confirmed;
  // The store's changelog topic (StoreOptions::changelog_topic): its
  // records wait for every earlier output's confirmation (the file
  // comment). Empty: no barrier (a store without a changelog).
  std::string changelog_topic;
};

// What the publisher has been through, for /healthz and /metrics.
struct OutboxStats {
  uint64_t pending = 0;  // committed, not yet confirmed by Kafka
  // How long the oldest pending record has waited, counted from its
  // commit (or, for a record left by an earlier run, from this start).
  absl::Duration oldest_pending_age = absl::ZeroDuration();
  uint64_t dead_lettered = 0;      // records set aside since start
  uint64_t producer_rebuilds = 0;  // producers rebuilt since start
  // False from a fatal producer error until a new producer is built.
  bool producer_ready = true;
  std::string producer_error;  // the last fatal error, if any
};

class OutboxPublisher {
 public:
  using ProducerFactory =
      std::function<absl::StatusOr<std::unique_ptr<kafka::Producer>>(
          kafka::DeliveryCallback)>;

  // Creates the producer through `factory` (wiring its delivery reports
  // here; the factory is kept to rebuild the producer after a fatal error)
  // and republishes every record still pending in `store`, oldest first.
  // Returns the factory's error if the first producer cannot be built,
  // the store's if the outbox cannot be read. `store` must outlive the
  // publisher.
  static absl::StatusOr<std::unique_ptr<OutboxPublisher>> Create(
      Store* store, ProducerFactory factory, OutboxOptions options = {});
  ~OutboxPublisher();

  // INVALID_ARGUMENT (naming the topic, the size and the limit) if an
  // outbox record of `batch` is larger than max_record_bytes: a command
  // path calls it before Commit and refuses the request, so nothing that
  // cannot be published is ever promised. OK otherwise.
  absl::Status CheckOutbox(const WriteBatch& batch) const;

  // Commits `batch` to the store and queues its outbox records for
  // publishing, in one step so that commit order is publish order.
  // On failure nothing was written or queued (the store's status).
  // Records over max_record_bytes are committed, then dead-lettered.
  absl::Status Commit(WriteBatch& batch);

  // Commit, then waits until every outbox record of this batch (outputs
  // and changelog records) is confirmed by Kafka: a gRPC write path
  // answers only then, so an office action answered OK survives the loss
  // of this instance (issue 19; the team's contract, item 3). Errors:
  // Commit's (nothing written); DEADLINE_EXCEEDED after `timeout` with
  // records unconfirmed (the batch IS committed and will be published: say
  // "not confirmed yet", never "failed", to the caller); INTERNAL if a
  // record of the batch was dead-lettered (committed, never published).
  // Other batches' records are not waited for.
  absl::Status CommitAndWait(WriteBatch& batch, absl::Duration timeout);

  // Waits until every committed record is confirmed by Kafka (or
  // dead-lettered), or the timeout passes (DEADLINE_EXCEEDED with the
  // count left).
  absl::Status Flush(absl::Duration timeout);

  // Records committed but not yet confirmed.
  uint64_t Pending() const;

  OutboxStats Stats() const;

 private:
  // A record the publisher holds until Kafka confirms it.
  struct Entry {
    OutboxRecord record;
    absl::Time since;  // committed (or found at start)
    // Refused once in a report, maybe for another record of its batch:
    // produced again alone before it may be set aside.
    bool suspect = false;
  };
  // Records of one kind (outputs, or changelog records), each kept in
  // sequence order under the order rule.
  struct Lane {
    // Produced, awaiting a delivery report, by sequence.
    std::map<uint64_t, Entry> in_flight;
    // Not (or no longer) handed to the producer, in sequence order.
    std::deque<Entry> backlog;
  };
  enum LaneId { kOutputs = 0, kChangelog = 1 };

  OutboxPublisher(Store* store, ProducerFactory factory, OutboxOptions options);
  void OnDelivery(const kafka::DeliveryReport& report);
  // Commits `batch` to the store and queues its outbox records; their
  // sequences (Commit and CommitAndWait).
  absl::StatusOr<std::vector<uint64_t>> CommitLocked(WriteBatch& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Queues new records behind the backlog, then produces what may go.
  void EnqueueLocked(std::vector<Entry> entries)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Hands backlog records to the producer, each lane in sequence order,
  // while the order rule allows (no record of the lane after the first
  // waiting one is still in flight), the barrier allows (changelog records
  // after every earlier output is confirmed) and the producer takes them.
  void DrainLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Produces the front of `lane` if the rules allow; false when it may not
  // (or the lane is empty); sets *stop when nothing more may be produced
  // from any lane now (the producer refused, a suspect goes alone).
  bool ProduceFrontLocked(Lane& lane, bool* stop)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The lane `record` waits in.
  Lane& LaneOf(const OutboxRecord& record) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The in-flight entry for `seq` in either lane; null if none.
  std::map<uint64_t, Entry>::iterator FindInFlightLocked(uint64_t seq,
                                                         Lane** lane)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  size_t HeldCountLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Puts a record back in its lane's backlog at its sequence.
  void ReturnLocked(Entry entry) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Sets a record aside for good (outbox_dead_letters.h).
  void DeadLetterLocked(Entry entry, const std::string& reason)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ProducerFailedLocked(const absl::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // True while the publisher still holds record `seq` (not confirmed, not
  // dead-lettered).
  bool HoldsLocked(uint64_t seq) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // If the store was reopened since the last look, queues every stored
  // outbox record not held here (and not in `committed`, just queued).
  void PickUpAfterReopenLocked(const std::vector<OutboxRecord>& committed)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Destroys the failed producer and builds a new one. Called without mu_.
  void Rebuild();
  void RetryLoop();

  // Const after construction.
  Store* const store_;
  const ProducerFactory factory_;
  const OutboxOptions options_;

  mutable absl::Mutex mu_;
  // Null while being rebuilt (records then wait in the backlogs).
  std::unique_ptr<kafka::Producer> producer_ ABSL_GUARDED_BY(mu_);
  Lane lanes_[2] ABSL_GUARDED_BY(mu_);  // by LaneId
  bool rebuild_needed_ ABSL_GUARDED_BY(mu_) = false;
  std::string producer_error_ ABSL_GUARDED_BY(mu_);
  uint64_t dead_lettered_ ABSL_GUARDED_BY(mu_) = 0;
  // The sequences of the latest dead-lettered records (bounded), for
  // CommitAndWait.
  std::deque<uint64_t> recent_dead_ ABSL_GUARDED_BY(mu_);
  uint64_t rebuilds_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t reopens_seen_ ABSL_GUARDED_BY(mu_) = 0;  // Store::reopens()
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread retry_thread_;
};

}  // namespace caserelay::store

#endif  // CASERELAY_COMMON_STORE_OUTBOX_PUBLISHER_H_
