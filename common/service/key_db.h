// Where a service reads and writes what belongs to one key (a case id, or
// notification's phone hash) on this instance: the one store, or with
// partitioned state (issue 19; Context::partitions set) the DB of
// kafka::PartitionOf(key), leased for as long as the KeyDb lives, so the
// partition is never released while it is in use (PartitionedStore::Release
// waits for the lease). routing's and supervision's CaseDb and
// notification's PartitionDb are this.
//
// Thread safety: a KeyDb is used by one thread at a time; OpenKeyDb is
// thread-safe.

#ifndef CASERELAY_COMMON_SERVICE_KEY_DB_H_
#define CASERELAY_COMMON_SERVICE_KEY_DB_H_

#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/service/service_main.h"
#include "common/store/outbox_publisher.h"
#include "common/store/partitioned_store.h"
#include "common/store/store.h"

namespace caserelay::service {

struct KeyDb {
  std::optional<store::PartitionLease> lease;  // set with partitions only
  store::Store* store = nullptr;
  store::OutboxPublisher* publisher = nullptr;  // null in some unit tests
};

// The DB of `key`. Without partitions, the one store (always OK). With
// them: UNAVAILABLE "<service>: partition moving, try again (...)" when
// this instance does not hold the key's partition (or is releasing it):
// the caller forwarded to the owner first (owner_forward.h), so the
// partition changed hands in between.
absl::StatusOr<KeyDb> OpenKeyDb(const Context& context, std::string_view key,
                                std::string_view service);

}  // namespace caserelay::service

#endif  // CASERELAY_COMMON_SERVICE_KEY_DB_H_
