#include "services/supervision/held_view.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"

namespace caserelay::supervision {

HeldView HeldView::Single(const store::Store* store) {
  HeldView view;
  view.single_ = store;
  return view;
}

HeldView HeldView::Lease(const store::PartitionedStore& partitions,
                         const std::optional<std::vector<int32_t>>& wanted) {
  HeldView view;
  view.partitioned_ = &partitions;
  for (int32_t p : wanted.has_value() ? *wanted : partitions.Held()) {
    absl::StatusOr<store::PartitionLease> lease = partitions.Lease(p);
    if (lease.ok()) view.leases_.push_back(*std::move(lease));
  }
  return view;
}

std::vector<int32_t> HeldView::partitions() const {
  std::vector<int32_t> out;
  for (const store::PartitionLease& lease : leases_) {
    out.push_back(lease.partition());
  }
  return out;
}

absl::Status HeldView::Scan(std::string_view cf, std::string_view begin,
                            const Visit& visit) const {
  if (single_ != nullptr) return single_->Scan(cf, begin, "", visit);
  return store::ScanLeased(leases_, cf, begin, "", visit);
}

absl::StatusOr<std::optional<std::string>> HeldView::GetOfCase(
    std::string_view cf, std::string_view case_id,
    std::string_view key) const {
  if (single_ != nullptr) return single_->Get(cf, key);
  const int32_t p = partitioned_->PartitionOfCase(case_id);
  for (store::PartitionLease& lease : leases_) {
    if (lease.partition() == p) {
      return lease.store().Get(cf, key);
    }
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "partition ", p, " is not in this query's view of supervision"));
}

}  // namespace caserelay::supervision
