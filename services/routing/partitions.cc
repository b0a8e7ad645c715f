// RoutingServiceImpl over partitioned state (routing.partitioned; issue 19
// item 4, README "Routing as N instances"): where a case is read and
// written on this instance.
#include <string>

#include "absl/strings/str_cat.h"
#include "services/routing/routing_service.h"

namespace caserelay::routing {

absl::StatusOr<RoutingServiceImpl::CaseDb> RoutingServiceImpl::DbOfCase(
    std::string_view case_id) const {
  CaseDb db;
  if (!partitioned()) {
    db.store = context_.store;
    db.publisher = context_.publisher;
    return db;
  }
  absl::StatusOr<store::PartitionLease> lease =
      context_.partitions->LeaseForCase(case_id);
  if (!lease.ok()) {
    return absl::UnavailableError(
        absl::StrCat("routing: partition moving, try again (",
                     lease.status().message(), ")"));
  }
  db.lease.emplace(*std::move(lease));
  db.store = &db.lease->store();
  db.publisher = &db.lease->publisher();
  return db;
}

CaseReader RoutingServiceImpl::CommittedCases() const {
  return [this](const std::string& id)
             -> absl::StatusOr<std::optional<caserelay::v1::RoutingCaseRecord>> {
    absl::StatusOr<CaseDb> db = DbOfCase(id);
    if (!db.ok()) {
      // Held elsewhere: not seen from here (the `matters` gap).
      return std::optional<caserelay::v1::RoutingCaseRecord>();
    }
    return db->cases().Read(id);
  };
}

}  // namespace caserelay::routing
