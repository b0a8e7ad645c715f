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
  std::vector<std::unique_ptr<store::Store::Cursor>> cursors;
  for (store::PartitionLease& lease : leases_) {
    auto cursor = lease.store().NewCursor(cf, begin);
    if (!cursor.ok()) return cursor.status();
    cursors.push_back(*std::move(cursor));
  }
  // k-way merge over the few partitions held: the smallest key by a
  // linear look, ties in partition order.
  for (;;) {
    store::Store::Cursor* next = nullptr;
    for (auto& c : cursors) {
      if (c->Valid() && (next == nullptr || c->key() < next->key())) {
        next = c.get();
      }
    }
    if (next == nullptr) break;
    if (!visit(next->key(), next->value())) break;
    next->Next();
  }
  for (auto& c : cursors) {
    if (absl::Status s = c->status(); !s.ok()) return s;
  }
  return absl::OkStatus();
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
