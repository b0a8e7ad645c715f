#include "bench/routing/tree.h"

#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"

namespace caserelay::bench {

absl::StatusOr<Tree> LoadTree(const std::string& source_dir) {
  Tree tree;
  const std::string regions_path = source_dir + "/data/regions/regions.tsv";
  auto regions = region::RegionTree::Load(regions_path);
  if (!regions.ok()) return regions.status();
  tree.regions = *std::move(regions);
  auto offices = offices::OfficeDirectory::Load(source_dir + "/data/offices",
                                                tree.regions.get());
  if (!offices.ok()) return offices.status();
  tree.offices = *std::move(offices);
  auto routes = routing::StatutoryRoutes::Load(
      source_dir + "/data/routing/statutory_routes.tsv");
  if (!routes.ok()) return routes.status();
  tree.routes = *std::move(routes);
  tree.categories = tree.offices->Categories();

  // The file was just parsed by RegionTree::Load; only its first column
  // is wanted here.
  std::ifstream in(regions_path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::string code = line.substr(0, line.find('\t'));
    if (tree.regions->Find(code) == nullptr) {
      return absl::InternalError(
          absl::StrCat(regions_path, ": ", code, " not in the loaded tree"));
    }
    tree.codes.push_back(std::move(code));
  }
  if (tree.codes.size() != tree.regions->size()) {
    return absl::InternalError(
        absl::StrCat(regions_path, ": read ", tree.codes.size(),
                     " codes, the tree has ", tree.regions->size()));
  }
  return tree;
}

}  // namespace caserelay::bench
