// The jurisdiction tree (管辖区划) of DOMAIN.md "Regions": every region of
// the country at four levels — province (省), city (市), county (县) and
// township (乡镇/街道) — with an explicit parent link, loaded from the
// committed data/regions/regions.tsv (see data/regions/README.md).
//
// Codes are GB/T 2260 six-digit codes for provinces, cities and counties and
// nine-digit codes for townships. Parent links follow the real
// administration, not the code's digits:
//   - a municipality's districts and counties (北京 110101) and a
//     province-administered county-level unit (济源 419001, 仙桃 429004,
//     海南 4690xx) hang directly off the province; there is no pseudo-city
//     such as 1101 "市辖区" or 4190 "省直辖县级行政区划";
//   - a city without counties (东莞 441900, 中山 442000, 儋州 460400,
//     嘉峪关 620200) has its townships as direct children.
#ifndef CASERELAY_COMMON_REGION_REGION_TREE_H_
#define CASERELAY_COMMON_REGION_REGION_TREE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace caserelay::region {

// The four levels of the tree, highest first.
enum class Level { kProvince, kCity, kCounty, kTownship };

// The name of `level` as written in the data file: "province", "city",
// "county" or "township".
std::string_view LevelName(Level level);

// One region (行政区划) of the tree.
struct Region {
  std::string code;  // 6 digits, or 9 for a township
  std::string name;  // as published, e.g. "沁源县"
  Level level;
  std::string parent_code;  // empty for provinces
};

// An immutable tree of regions, indexed by code.
//
// Thread safety: a RegionTree is never modified after Load() returns, so any
// number of threads may call its const methods concurrently without
// synchronisation. Returned `const Region*` point into the tree and stay
// valid for the tree's lifetime.
class RegionTree {
 public:
  // Reads the file at `path`: UTF-8, one region a line as
  // `code\tparent_code\tlevel\tname`; lines starting with '#' and empty lines
  // are skipped; the order of lines does not matter.
  //
  // On success returns the tree. On failure returns, with a message naming
  // `path` and, for content errors, the line number ("path:12: ..."):
  //   - the errno-derived code (NOT_FOUND, PERMISSION_DENIED, ...) if the
  //     file cannot be opened or read;
  //   - INVALID_ARGUMENT for a line that is not valid UTF-8 (the first
  //     such, with the byte: common/text CheckUtf8Lines), a malformed line
  //     (not four fields, a code that is
  //     not 6 digits — 9 for a township —, an unknown level, an empty name or
  //     one with control characters, a province with a parent or another
  //     region without one), a duplicate code, an unknown parent, a parent
  //     that is not at a higher level, or a file with no regions.
  static absl::StatusOr<std::unique_ptr<RegionTree>> Load(
      const std::string& path);

  // As Load(), for file contents already in memory; `origin` names them in
  // error messages in place of the path.
  static absl::StatusOr<std::unique_ptr<RegionTree>> Parse(
      std::string_view text, std::string_view origin);

  RegionTree(const RegionTree&) = delete;
  RegionTree& operator=(const RegionTree&) = delete;

  // The region with `code`, or nullptr if there is none.
  const Region* Find(std::string_view code) const;

  // The ancestors of `code`, parent first and province last; empty for a
  // province or an unknown code.
  std::vector<const Region*> Ancestors(std::string_view code) const;

  // The region whose petition bureau (信访部门) handles matters here at
  // county level: `code` itself if it is a county-level region; for a
  // township, its parent — the county, or the city itself for a township of
  // a city without counties (东莞 441900). nullptr for a city, a province or
  // an unknown code.
  const Region* CountyOf(std::string_view code) const;

  // The lowest region that contains both `a` and `b` (a region contains
  // itself); nullptr if they lie in different provinces or either is
  // unknown.
  const Region* LowestCommonAncestor(std::string_view a,
                                     std::string_view b) const;

  // The direct children of `code`, sorted by code; empty for a township or
  // an unknown code.
  std::vector<const Region*> Children(std::string_view code) const;

  // The provinces (the regions without a parent), sorted by code: the
  // first choice of a region picker (the portal's, issue 15).
  std::vector<const Region*> Provinces() const;

  // True if `code` is `ancestor` or lies below it; false if either is
  // unknown.
  bool IsWithin(std::string_view code, std::string_view ancestor) const;

  // The number of regions in the tree.
  size_t size() const { return regions_.size(); }

 private:
  // No such region: an unknown code, or the parent of a province.
  static constexpr uint32_t kNone = UINT32_MAX;

  RegionTree() = default;

  // The index of `code` in regions_, or kNone if unknown.
  uint32_t IndexOf(std::string_view code) const;

  // All const after construction.
  std::vector<Region> regions_;   // sorted by code
  std::vector<uint32_t> parent_;  // index of the parent, or kNone
  // The children of region i are child_index_[child_begin_[i]] up to, not
  // including, child_index_[child_begin_[i + 1]]; size() + 1 entries.
  std::vector<uint32_t> child_begin_;
  std::vector<uint32_t> child_index_;
  absl::flat_hash_map<std::string_view, uint32_t> index_;  // views regions_
};

}  // namespace caserelay::region

#endif  // CASERELAY_COMMON_REGION_REGION_TREE_H_
