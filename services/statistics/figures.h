// The figures of a query from the summed dimensions (contribution.h):
// VolumeFigures and Indicators, and the scope of a request as a scope id
// (index_keys.h).
//
// Pure: no I/O. Thread safety: stateless functions.

#ifndef CASERELAY_SERVICES_STATISTICS_FIGURES_H_
#define CASERELAY_SERVICES_STATISTICS_FIGURES_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "caserelay/v1/statistics.pb.h"
#include "caserelay/v1/supervision.pb.h"
#include "common/region/region_tree.h"
#include "services/statistics/index_reader.h"

namespace caserelay::statistics {

// A request's scope (office_code, region_code, level) checked as
// supervision's GetIndicators checks it: INVALID_ARGUMENT for an office
// code that is not "<region>:<unit>" or an unknown level, NOT_FOUND for a
// region the tree does not know.
struct ResolvedScope {
  std::string id;           // "o:<office>", "r:<region>[/<level>]"
  std::string office_code;  // set for an office scope
  std::string region_code;  // the region (the office's, for an office)
  std::string level;        // the level name, if the scope has one
};
absl::StatusOr<ResolvedScope> ResolveScope(const region::RegionTree& tree,
                                           const std::string& office_code,
                                           const std::string& region_code,
                                           caserelay::v1::OfficeLevel level);

// The volume figures of `dims` under `key`.
caserelay::v1::VolumeFigures VolumeOf(const Dims& dims, const std::string& key);

// The indicators of `dims` and `backlog` under `key`, values set.
caserelay::v1::Indicators IndicatorsOf(const Dims& dims, int64_t backlog,
                                       const std::string& key);

// True if `indicators` has an item (a denominator > 0 or a backlog > 0):
// supervision's rule for a breakdown row.
bool HasItem(const caserelay::v1::Indicators& indicators);

// True if any count of `figures` is not zero.
bool HasFigure(const caserelay::v1::VolumeFigures& figures);

}  // namespace caserelay::statistics

#endif  // CASERELAY_SERVICES_STATISTICS_FIGURES_H_
