// The stores bench_timers runs supervision on, laid out as a deployed
// supervision's are (issue 19: `partitioned` in its definition): a
// store::PartitionedStore holding every partition, each partition DB
// logging its changelog records into its outbox (StoreOptions changelog,
// changelog.h) as it does with Kafka, and the service ticked per partition
// (TickPartition), its fire_batch shared by the held partitions, as
// ConsumeLoop::TickPartitions does. `--partitions 0` keeps the layout
// measured before issue 19: one store::Store, one Tick.
//
// Nothing reaches Kafka: there is no changelog reader (so Acquire restores
// nothing: the directory is the bench's own) and no producer; the phases
// drain each DB's outbox (Store::DeleteOutbox) after each commit, the
// store work a publisher does once Kafka confirms.
//
// Thread safety: not thread-safe; one thread drives it (as the consume
// loop's thread does).
#ifndef CASERELAY_BENCH_TIMERS_STORES_H_
#define CASERELAY_BENCH_TIMERS_STORES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/metrics/metrics.h"
#include "common/service/service_main.h"
#include "common/store/partitioned_store.h"
#include "common/store/store.h"
#include "common/time/clock.h"
#include "services/supervision/supervision_service.h"

namespace caserelay::bench {

class TimerStores {
 public:
  // Opens (creating if missing) the stores at `path`: with `partitions`
  // 0 one store::Store; with 1..999 a PartitionedStore of that many
  // partitions, every one acquired and logging its changelog.
  // `memtable_budget` is StoreOptions::memtable_budget_bytes (0: none),
  // shared by every DB of a PartitionedStore as in a service. sync is on
  // (store.sync's default). The stores' errors as they are.
  static absl::StatusOr<std::unique_ptr<TimerStores>> Open(
      const std::string& path, int partitions, uint64_t memtable_budget);
  // Closes the partitions (their leases first), then the stores.
  ~TimerStores();

  bool partitioned() const { return parts_ != nullptr; }
  // The service's context on these stores (no config, no publisher, no
  // auth: the bench calls Apply and Tick only).
  service::Context ContextFor(time::Clock* clock,
                              metrics::Registry* metrics) const;

  // The DBs the service's state is in: the one store, or one per partition
  // (db(i) is partition i's).
  int size() const { return static_cast<int>(dbs_.size()); }
  store::Store& db(int i) const { return *dbs_[i]; }
  // The consumed partition db(i) records offsets for (0 for the one store).
  int32_t partition(int i) const { return partitioned() ? i : 0; }
  // The index of the DB case `case_id` lives in.
  int IndexOfCase(std::string_view case_id) const;

  // Ticks `service` on db(i) into `batch` (a batch of db(i)) as the
  // consume loop does: Tick on the one store, TickPartition on a
  // partition's DB. The service's errors.
  absl::Status Tick(supervision::SupervisionServiceImpl& service, int i,
                    store::WriteBatch& batch) const;

 private:
  TimerStores() = default;

  // Destroyed in reverse: the leases before the PartitionedStore, whose
  // destructor waits for them.
  std::unique_ptr<store::Store> single_;
  std::unique_ptr<store::PartitionedStore> parts_;
  std::vector<store::PartitionLease> leases_;
  std::vector<store::Store*> dbs_;
};

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_TIMERS_STORES_H_
