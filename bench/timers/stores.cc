#include "bench/timers/stores.h"

#include <utility>

#include "common/service/partitioned_main.h"

namespace caserelay::bench {

absl::StatusOr<std::unique_ptr<TimerStores>> TimerStores::Open(
    const std::string& path, int partitions, uint64_t memtable_budget) {
  std::unique_ptr<TimerStores> stores(new TimerStores());
  if (partitions == 0) {
    store::StoreOptions so;
    so.memtable_budget_bytes = memtable_budget;
    so.path = path;
    so.column_families = supervision::ColumnFamilies();
    so.sync = true;  // store.sync's default: fsync every commit
    auto opened = store::Store::Open(so);
    if (!opened.ok()) return opened.status();
    stores->single_ = *std::move(opened);
    stores->dbs_.push_back(stores->single_.get());
    return stores;
  }
  // As service/partitioned_main.cc OpenPartitioned does, without Kafka.
  store::PartitionedStoreOptions po;
  po.path = path;
  po.partitions = partitions;
  po.column_families = supervision::ColumnFamilies();
  po.service = "supervision";
  po.sync = true;
  po.memtable_budget_bytes = memtable_budget;
  auto opened = store::PartitionedStore::Open(po, nullptr);
  if (!opened.ok()) return opened.status();
  stores->parts_ = *std::move(opened);
  std::vector<int32_t> all;
  for (int32_t p = 0; p < partitions; ++p) all.push_back(p);
  for (const absl::Status& s : stores->parts_->AcquireAll(all)) {
    if (!s.ok()) return s;
  }
  const std::string changelog = service::ChangelogTopic("supervision");
  for (int32_t p : all) {
    auto lease = stores->parts_->Lease(p);
    if (!lease.ok()) return lease.status();
    // What Acquire turns on after restoring from the changelog.
    if (absl::Status s = lease->store().EnableChangelog(changelog, p,
                                                        /*epoch=*/1,
                                                        /*owner=*/1);
        !s.ok()) {
      return s;
    }
    stores->dbs_.push_back(&lease->store());
    stores->leases_.push_back(*std::move(lease));
  }
  return stores;
}

TimerStores::~TimerStores() {
  dbs_.clear();
  leases_.clear();
}

service::Context TimerStores::ContextFor(time::Clock* clock,
                                         metrics::Registry* metrics) const {
  service::Context ctx{nullptr,
                       partitioned() ? &parts_->Local() : single_.get(),
                       nullptr, clock, metrics};
  ctx.partitions = parts_.get();
  return ctx;
}

int TimerStores::IndexOfCase(std::string_view case_id) const {
  return partitioned() ? parts_->PartitionOfCase(case_id) : 0;
}

absl::Status TimerStores::Tick(supervision::SupervisionServiceImpl& service,
                               int i, store::WriteBatch& batch) const {
  if (!partitioned()) return service.Tick(batch);
  return service.TickPartition(i, db(i), batch);
}

}  // namespace caserelay::bench
