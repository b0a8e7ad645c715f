// PartitionedStore: standby copies (Warm, SetStandby; partitioned_store.h).

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/store/changelog_restore.h"
#include "common/store/partitioned_store.h"

namespace caserelay::store {

absl::Status PartitionedStore::Warm(int32_t partition) {
  if (absl::Status s = CheckRange(partition); !s.ok()) return s;
  if (options_.changelog_topic.empty()) {
    return absl::FailedPreconditionError(
        "partitioned store: no changelog_topic, nothing to keep warm");
  }
  absl::MutexLock lifecycle(&lifecycle_mu_);
  if (IsHeld(partition)) {
    return absl::FailedPreconditionError(
        absl::StrCat("partition ", partition, " of ", service_,
                     " is held by this instance: its copy is current"));
  }
  auto reader = ReaderLocked();
  if (!reader.ok()) return reader.status();
  RestoreOptions ro = RestoreOptionsFor(partition);
  ro.take_ownership = false;
  auto restored = OpenRestored(PlainOptions(partition), **reader, ro);
  if (!restored.ok()) reader_.reset();  // a fresh connection next time
  return restored.status();  // the copy is closed again with `restored`
}

void PartitionedStore::SetStandby(std::vector<int32_t> partitions) {
  absl::MutexLock lock(&standby_mu_);
  standby_ = std::move(partitions);
  if (metrics_ != nullptr) {
    metrics_
        ->GetGauge("caserelay_standby_partitions",
                   "Partitions this instance keeps a warm copy of without "
                   "holding them (store.standby_replicas).")
        .Set(static_cast<double>(standby_.size()));
  }
  if (!standby_thread_.joinable() && !standby_.empty() &&
      !options_.changelog_topic.empty()) {
    standby_thread_ = std::thread([this] { StandbyLoop(); });
  }
}

void PartitionedStore::StandbyLoop() {
  std::set<int32_t> failing;  // logged once until they succeed
  for (;;) {
    std::vector<int32_t> standby;
    {
      absl::MutexLock lock(&standby_mu_);
      auto stop = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(standby_mu_) {
        return stopping_;
      };
      standby_mu_.AwaitWithTimeout(absl::Condition(&stop),
                                   options_.standby_interval);
      if (stopping_) return;
      standby = standby_;
    }
    for (int32_t p : standby) {
      if (IsHeld(p)) continue;
      absl::Status s = Warm(p);
      if (s.ok() || absl::IsFailedPrecondition(s)) {
        failing.erase(p);
      } else if (failing.insert(p).second) {
        log::Warn("standby copy not caught up; retrying",
                  {{"partition", std::to_string(p)},
                   {"error", std::string(s.message())}});
      }
    }
  }
}

}  // namespace caserelay::store
