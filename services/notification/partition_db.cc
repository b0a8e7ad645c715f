#include "services/notification/partition_db.h"

#include "absl/strings/str_cat.h"

namespace caserelay::notification {

absl::StatusOr<PartitionDb> PartitionDb::Open(const service::Context& context,
                                              std::string_view key) {
  PartitionDb db;
  if (context.partitions == nullptr) {
    db.store_ = context.store;
    db.publisher_ = context.publisher;
    return db;
  }
  absl::StatusOr<store::PartitionLease> lease =
      context.partitions->LeaseForCase(key);
  if (!lease.ok()) {
    return absl::UnavailableError(
        absl::StrCat("notification: partition moving, try again (",
                     lease.status().message(), ")"));
  }
  db.lease_.emplace(*std::move(lease));
  db.store_ = &db.lease_->store();
  db.publisher_ = &db.lease_->publisher();
  return db;
}

absl::Status PartitionDb::Commit(store::WriteBatch& batch,
                                 bool confirm) const {
  if (!lease_.has_value() || !confirm) return publisher_->Commit(batch);
  return publisher_->CommitAndWait(batch, kConfirmTimeout);
}

}  // namespace caserelay::notification
