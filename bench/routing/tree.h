// The reference data routing decides with, loaded once for the benchmark:
// the jurisdiction tree (管辖区划), the offices of every region and the
// statutory routes, plus the code of every region (the tree itself offers
// no iteration).
#ifndef CASERELAY_BENCH_ROUTING_TREE_H_
#define CASERELAY_BENCH_ROUTING_TREE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/region/region_tree.h"
#include "domain/offices/office_directory.h"
#include "domain/routing/statutory_routes.h"

namespace caserelay::bench {

// Immutable after LoadTree(); safe to read from any number of threads.
struct Tree {
  std::unique_ptr<region::RegionTree> regions;
  std::unique_ptr<offices::OfficeDirectory> offices;
  std::unique_ptr<routing::StatutoryRoutes> routes;
  // Every region's code, in the order of regions.tsv.
  std::vector<std::string> codes;
  std::vector<std::string> categories;  // offices->Categories()
};

// Loads data/regions/regions.tsv, data/offices and
// data/routing/statutory_routes.tsv under `source_dir` (the repository).
// Returns the loaders' errors as they are; INTERNAL if a code listed in
// regions.tsv is not found in the loaded tree.
absl::StatusOr<Tree> LoadTree(const std::string& source_dir);

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_ROUTING_TREE_H_
