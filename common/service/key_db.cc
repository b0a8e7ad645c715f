#include "common/service/key_db.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace caserelay::service {

absl::StatusOr<KeyDb> OpenKeyDb(const Context& context, std::string_view key,
                                std::string_view service) {
  KeyDb db;
  if (context.partitions == nullptr) {
    db.store = context.store;
    db.publisher = context.publisher;
    return db;
  }
  absl::StatusOr<store::PartitionLease> lease =
      context.partitions->LeaseForCase(key);
  if (!lease.ok()) {
    return absl::UnavailableError(
        absl::StrCat(absl::string_view(service.data(), service.size()),
                     ": partition moving, try again (",
                     lease.status().message(), ")"));
  }
  db.lease.emplace(*std::move(lease));
  db.store = &db.lease->store();
  db.publisher = &db.lease->publisher();
  return db;
}

}  // namespace caserelay::service
