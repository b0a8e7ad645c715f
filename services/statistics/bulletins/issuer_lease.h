// Which statistics instance issues the bulletins on schedule (issue 19),
// the Kafka way: the instances are members of one consumer group (the
// service's kafka.group) subscribed to statistics-bulletins, a topic of
// one partition; the member the group gives that partition to is the
// issuer, as a Kafka Streams task has one owner at a time. When it stops
// (or dies: after the group's session timeout) the group gives the
// partition to another member, which takes over. No coordinator of ours.
//
// The partition is never fetched through this membership (it stays
// paused: the follower of bulletin_log.h reads the topic on every
// instance); the group only says who holds it. A lease says nothing
// about the past: the new holder issues only once its follower has
// applied the topic past the moment it took over (BulletinParts), and
// two holders at once (a member the group has already replaced but that
// does not know it yet) cannot issue a bulletin twice: the log keeps the
// first record of an id (bulletin_log.h).
//
// Thread safety: HeldSince() from any thread; Start and Stop from one.

#ifndef CASERELAY_SERVICES_STATISTICS_BULLETINS_ISSUER_LEASE_H_
#define CASERELAY_SERVICES_STATISTICS_BULLETINS_ISSUER_LEASE_H_

#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/kafka/consumer.h"

namespace caserelay::bulletins {

class IssuerLease final : private kafka::RebalanceListener {
 public:
  // A member of options.group_id on options.topics (one topic of one
  // partition), cooperative-sticky, its partition never fetched. The
  // consumer's errors (INVALID_ARGUMENT for bad options).
  static absl::StatusOr<std::unique_ptr<IssuerLease>> Create(
      kafka::ConsumerOptions options);
  ~IssuerLease() override;

  // Start joins the group (a thread polls the membership); Stop leaves it,
  // so the partition moves at once to another member, and waits for the
  // thread. Idempotent.
  void Start();
  void Stop();

  // The real time this instance was given the partition; nullopt while
  // another member holds it (or before the group has answered).
  std::optional<absl::Time> HeldSince() const;

 private:
  IssuerLease() = default;
  void Assigned(const std::vector<kafka::TopicPartition>& partitions) override;
  void Revoking(const std::vector<kafka::TopicPartition>& partitions) override;

  std::unique_ptr<kafka::Consumer> consumer_;  // set in Create; thread_ only

  mutable absl::Mutex mu_;
  std::optional<absl::Time> held_since_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // Start() and Stop() only
};

}  // namespace caserelay::bulletins

#endif  // CASERELAY_SERVICES_STATISTICS_BULLETINS_ISSUER_LEASE_H_
