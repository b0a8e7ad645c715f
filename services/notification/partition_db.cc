#include "services/notification/partition_db.h"

#include <utility>

namespace caserelay::notification {

absl::StatusOr<PartitionDb> PartitionDb::Open(const service::Context& context,
                                              std::string_view key) {
  absl::StatusOr<service::KeyDb> where =
      service::OpenKeyDb(context, key, "notification");
  if (!where.ok()) return where.status();
  PartitionDb db;
  db.db_ = *std::move(where);
  return db;
}

absl::Status PartitionDb::Commit(store::WriteBatch& batch,
                                 bool confirm) const {
  if (!db_.lease.has_value() || !confirm) return db_.publisher->Commit(batch);
  return db_.publisher->CommitAndWait(batch, kConfirmTimeout);
}

}  // namespace caserelay::notification
