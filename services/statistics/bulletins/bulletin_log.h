// The bulletins of several statistics instances (issue 19): the topic
// statistics-bulletins is the one order in which bulletins come to exist.
//
// Every instance is a full replica of the statistics (it reads every
// partition of case-events), and every instance must answer the same
// issued bulletins, numbered once. So an issued bulletin is a record
// (caserelay.v1.BulletinIssued: the record and its three documents) on a
// topic of one partition, compacted, keyed by the bulletin's id, and every
// instance applies that topic, in its order, into its own store
// (BulletinStore::Stage, with the topic's position in the same batch):
//
//   instance A: Issue -> make -> Record: outbox -> statistics-bulletins
//                                                     |
//   instances A, B, C: follow: apply each record in order -> own store
//
// A record whose id is in the store already, or whose number is not the
// next of its series (two instances issued at once: another record came
// first), is passed over, identically on every instance since all apply
// the same order: the first valid record of an id is the bulletin. The
// issuing instance learns which one won by reading its own store once it
// has applied the topic past its record (Record).
//
// Who issues on schedule is decided apart (issuer_lease.h); the log keeps
// the bulletins single even when two instances issue at once (a lease
// moving, or IssueBulletin asked of two instances).
//
// Thread safety: thread-safe. Start and Stop from one thread.

#ifndef CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_LOG_H_
#define CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_LOG_H_

#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/kafka/partition_reader.h"
#include "common/store/outbox_publisher.h"
#include "common/store/store.h"
#include "services/statistics/bulletins/bulletin_issuer.h"
#include "services/statistics/bulletins/bulletin_store.h"

namespace caserelay::bulletins {

// The topic: one partition, compacted (deploy/kafka/topics.tsv).
inline constexpr char kBulletinsTopic[] = "statistics-bulletins";

struct BulletinLogOptions {
  // How often the follower asks for the topic's end when idle.
  absl::Duration poll = absl::Milliseconds(200);
  // How long Record waits for Kafka's confirmation, then for this
  // instance to have applied the topic past its record.
  absl::Duration record_timeout = absl::Seconds(60);
  // A read stalls (the broker down) after this long without a record.
  absl::Duration stall_timeout = absl::Seconds(10);
};

class BulletinLog final : public IssueRecorder {
 public:
  // `store` holds kBulletinsFamily and the topic's position; `bulletins`
  // is on it; `publisher` is the store's outbox publisher. Not owned; all
  // must outlive the log. INVALID_ARGUMENT for a null pointer or reader.
  static absl::StatusOr<std::unique_ptr<BulletinLog>> Create(
      store::Store* store, BulletinStore* bulletins,
      store::OutboxPublisher* publisher,
      std::unique_ptr<kafka::PartitionReader> reader,
      BulletinLogOptions options = {});
  ~BulletinLog() override;

  // Starts / stops the follower's thread (Stop waits for it; idempotent).
  void Start();
  void Stop();

  // IssueRecorder: publishes `record` through the outbox (waiting for
  // Kafka's confirmation), then waits until the follower has applied the
  // topic through an end asked after the confirmation, and answers what
  // the store holds under the id. Errors as IssueRecorder's: the outbox's
  // (DEADLINE_EXCEEDED: committed, not confirmed yet), UNAVAILABLE when
  // the follower has not caught up within record_timeout, ABORTED when
  // the record was passed over (another instance took its number).
  absl::StatusOr<Issued> Record(const caserelay::v1::Bulletin& record,
                                const Documents& documents) override;

  // The real time at which the follower last asked for the topic's end
  // and has applied every record below it since; InfinitePast before.
  // Whoever takes over the schedule waits until this passes the moment
  // it took over (issuer_lease.h), so it has seen every bulletin issued
  // before.
  absl::Time CaughtUpAt() const;

 private:
  BulletinLog(store::Store* store, BulletinStore* bulletins,
              store::OutboxPublisher* publisher,
              std::unique_ptr<kafka::PartitionReader> reader,
              BulletinLogOptions options)
      : store_(store),
        bulletins_(bulletins),
        publisher_(publisher),
        reader_(std::move(reader)),
        options_(options) {}

  // One round of the follower: the end, then every record up to it.
  absl::Status Follow();
  // Applies one record and moves the position past it, in one batch.
  absl::Status ApplyRecord(const kafka::PartitionRecord& record);

  // Const after construction; not owned but reader_.
  store::Store* const store_;
  BulletinStore* const bulletins_;
  store::OutboxPublisher* const publisher_;
  const std::unique_ptr<kafka::PartitionReader> reader_;  // follower only
  const BulletinLogOptions options_;

  mutable absl::Mutex mu_;
  absl::Time caught_up_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool wake_ ABSL_GUARDED_BY(mu_) = false;  // a record to look for now
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // Start() and Stop() only
};

}  // namespace caserelay::bulletins

#endif  // CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_LOG_H_
