// What a subtree query of supervision reads on this instance (issue 19
// item 4; README.md "Subtree queries"): the one store of an unpartitioned
// service, or the partitions this instance holds that the query asks for,
// each leased while the view lives, so that the view can say exactly which
// partitions it answered from (scatter.h: the instance that gathers checks
// that every partition was answered once).
//
// Why not PartitionedStore::Scan: it scans what is held when it starts,
// and a partition whose Release has begun is no longer held while a lease
// taken before still keeps it open; a view names its partitions by the
// leases it holds, and reads those only.
//
// Thread safety: not thread-safe; one handler thread uses a view.

#ifndef CASERELAY_SERVICES_SUPERVISION_HELD_VIEW_H_
#define CASERELAY_SERVICES_SUPERVISION_HELD_VIEW_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/store/partitioned_store.h"
#include "common/store/store.h"

namespace caserelay::supervision {

class HeldView {
 public:
  using Visit = std::function<bool(std::string_view, std::string_view)>;

  // The one store of an unpartitioned service (not owned; outlives the
  // view).
  static HeldView Single(const store::Store* store);
  // The partitions of `wanted` (nullopt: every partition) that
  // `partitions` holds now, each leased while the view lives; one that is
  // not held (or being released) is left out. `partitions` outlives the
  // view.
  static HeldView Lease(const store::PartitionedStore& partitions,
                        const std::optional<std::vector<int32_t>>& wanted);

  HeldView(HeldView&&) = default;
  HeldView& operator=(HeldView&&) = default;

  // The partitions read, ascending; empty for the one store.
  std::vector<int32_t> partitions() const;

  // `visit(key, value)` for the keys of `cf` from `begin` on, in key order
  // over the view's stores (a key present in several partitions once per
  // partition, in partition order), until it returns false. The first
  // store error.
  absl::Status Scan(std::string_view cf, std::string_view begin,
                    const Visit& visit) const;

  // The value of `key` of `cf` in the store of case `case_id` (its
  // partition's DB); nullopt if absent. FAILED_PRECONDITION if the case's
  // partition is not in the view (never for a key the view's Scan gave);
  // the store's error.
  absl::StatusOr<std::optional<std::string>> GetOfCase(
      std::string_view cf, std::string_view case_id,
      std::string_view key) const;

 private:
  HeldView() = default;

  const store::Store* single_ = nullptr;
  const store::PartitionedStore* partitioned_ = nullptr;
  // Ascending by partition. Mutable: reading a leased DB (store()) does
  // not change the lease.
  mutable std::vector<store::PartitionLease> leases_;
};

}  // namespace caserelay::supervision

#endif  // CASERELAY_SERVICES_SUPERVISION_HELD_VIEW_H_
