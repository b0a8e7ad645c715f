// RoutingServiceImpl over partitioned state (routing.partitioned; issue 19
// item 4, README "Routing as N instances"): where a case is read and
// written on this instance.
#include <string>
#include <utility>

#include "services/routing/routing_service.h"

namespace caserelay::routing {

absl::StatusOr<RoutingServiceImpl::CaseDb> RoutingServiceImpl::DbOfCase(
    std::string_view case_id) const {
  absl::StatusOr<service::KeyDb> db =
      service::OpenKeyDb(context_, case_id, "routing");
  if (!db.ok()) return db.status();
  CaseDb out;
  static_cast<service::KeyDb&>(out) = *std::move(db);
  return out;
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
