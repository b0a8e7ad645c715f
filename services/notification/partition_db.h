// Where notification reads and writes what belongs to one key (a case id,
// or a phone's HMAC for phone codes): with several instances (issue 19
// item 5; Context::partitions set) the partition DB of
// kafka::PartitionOf(key), leased for as long as the PartitionDb lives,
// so the partition is never released while it is in use
// (PartitionedStore::Release waits for the lease); with one instance the
// one store and its publisher.
//
// Thread safety: a PartitionDb is used by one thread at a time; Open is
// thread-safe.

#ifndef CASERELAY_SERVICES_NOTIFICATION_PARTITION_DB_H_
#define CASERELAY_SERVICES_NOTIFICATION_PARTITION_DB_H_

#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/service/key_db.h"
#include "common/service/service_main.h"
#include "common/store/outbox_publisher.h"
#include "common/store/partitioned_store.h"
#include "common/store/store.h"

namespace caserelay::notification {

// How long a partition's commit waits for Kafka's confirmation: a broker
// outage of up to this long delays the SMS in flight instead of leaving
// their parts SENDING (then UNKNOWN once reconciled).
inline constexpr absl::Duration kConfirmTimeout = absl::Seconds(60);

class PartitionDb {
 public:
  // The Db of `key`. Without partitions, the one store (always OK). With
  // them: UNAVAILABLE "partition moving, try again" when this instance
  // does not hold kafka::PartitionOf(key) (or is releasing it).
  static absl::StatusOr<PartitionDb> Open(const service::Context& context,
                                          std::string_view key);

  store::Store& store() const { return *db_.store; }
  store::OutboxPublisher& publisher() const { return *db_.publisher; }

  // Commits `batch` through the publisher. In a partition, waits until
  // Kafka confirmed its changelog records (OutboxPublisher::
  // CommitAndWait, up to kConfirmTimeout): a record a caller acts on
  // after (a part SENDING before its gateway call) is then one that the
  // partition's next owner restores, even if this instance dies at once.
  // Commit's errors; in a partition also DEADLINE_EXCEEDED (committed
  // here, not confirmed yet: the caller must not act on it).
  // `confirm` false: the plain Commit, also in a partition (a record whose
  // loss a new owner survives: an answer after the gateway call, which it
  // then reconciles from the SENDING before it).
  absl::Status Commit(store::WriteBatch& batch, bool confirm = true) const;

 private:
  PartitionDb() = default;
  service::KeyDb db_;
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_PARTITION_DB_H_
