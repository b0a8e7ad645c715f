// The region loader (common/region RegionTree::Parse, the format of
// data/regions/regions.tsv) on hostile text. A tree that loads must answer
// its queries for each of its first codes without crashing.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_split.h"
#include "common/region/region_tree.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caserelay;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto tree = region::RegionTree::Parse(text, "fuzz");
  if (!tree.ok()) return 0;
  std::vector<std::string> codes;
  for (absl::string_view line :
       absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    if (codes.size() == 8) break;
    codes.emplace_back(line.substr(0, line.find('\t')));
  }
  for (const std::string& a : codes) {
    (void)(*tree)->Find(a);
    (void)(*tree)->Ancestors(a);
    (void)(*tree)->CountyOf(a);
    (void)(*tree)->Children(a);
    for (const std::string& b : codes) {
      (void)(*tree)->LowestCommonAncestor(a, b);
      (void)(*tree)->IsWithin(a, b);
    }
  }
  return 0;
}
