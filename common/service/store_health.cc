#include "common/service/store_health.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace caserelay::service {
namespace {

constexpr const char* kKinds[] = {"write_error", "no_space", "sync_error",
                                  "other"};

}  // namespace

std::string StoreHealth(store::Store& store) {
  // Its result is the fault below, if any: nothing more to say here.
  store.Recover().IgnoreError();
  const std::optional<store::StoreFault> fault = store.Fault();
  if (!fault.has_value()) return "";
  return absl::StrCat(
      "store: writes fail (", fault->kind, ") since ",
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", fault->since, absl::UTCTimeZone()),
      ": ", fault->message,
      "; the service takes no input and acknowledges no write until the "
      "disk recovers (nothing is lost: what was not stored is consumed or "
      "refused again)");
}

std::string PartitionsHealth(const store::PartitionedStore& partitions) {
  std::vector<std::string> lines;
  for (int32_t p : partitions.Held()) {
    absl::StatusOr<store::PartitionLease> lease = partitions.Lease(p);
    if (!lease.ok()) continue;  // released meanwhile
    std::string health = StoreHealth(lease->store());
    if (!health.empty()) lines.push_back(absl::StrCat("partition ", p, ": ", health));
  }
  return absl::StrJoin(lines, "\n");
}

StoreMetrics::StoreMetrics(metrics::Registry* registry)
    : registry_(registry),
      reopens_(registry->GetCounter(
          "caserelay_store_reopens_total",
          "Times the store's database was opened again to recover from a "
          "storage fault.",
          {})) {
  for (const char* kind : kKinds) {
    faults_[kind] = &registry_->GetGauge(
        "caserelay_store_fault",
        "1 while a storage fault of this kind stops the store's writes "
        "(the service takes no input), else 0.",
        {{"kind", kind}});
  }
}

void StoreMetrics::Update(const store::Store& store) {
  const std::optional<store::StoreFault> fault = store.Fault();
  for (auto& [kind, gauge] : faults_) {
    gauge->Set(fault.has_value() && fault->kind == kind ? 1 : 0);
  }
  const uint64_t reopens = store.reopens();
  absl::MutexLock lock(&mu_);
  if (reopens > reopens_seen_) {
    reopens_.Increment(reopens - reopens_seen_);
    reopens_seen_ = reopens;
  }
}

}  // namespace caserelay::service
