#include "common/region/region_tree.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/file/file.h"
#include "common/text/utf8.h"

namespace caserelay::region {
namespace {

// Debian's absl is built with its own absl::string_view, which does not
// convert from std::string_view (PLATFORM-NOTES:
// ABSL_OPTION_USE_STD_STRING_VIEW is 0), so views passed to absl::StrCat go
// through this.
absl::string_view A(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// Splits `text` at every `separator`; n separators give n + 1 pieces.
std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  for (size_t end; (end = text.find(separator, start)) != text.npos;
       start = end + 1) {
    pieces.push_back(text.substr(start, end - start));
  }
  pieces.push_back(text.substr(start));
  return pieces;
}

// One parsed data line, with its line number for error messages.
struct Entry {
  Region region;
  int line;
};

std::optional<Level> ParseLevel(std::string_view name) {
  if (name == "province") return Level::kProvince;
  if (name == "city") return Level::kCity;
  if (name == "county") return Level::kCounty;
  if (name == "township") return Level::kTownship;
  return std::nullopt;
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return absl::ascii_isdigit(c); });
}

bool HasControlCharacter(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

absl::Status LineError(std::string_view origin, int line,
                       std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(A(origin), ":", line, ": ", A(what)));
}

// Parses one non-comment line into `entry`.
absl::Status ParseLine(std::string_view origin, int line_number,
                       std::string_view line, Entry& entry) {
  std::vector<std::string_view> fields = Split(line, '\t');
  if (fields.size() != 4) {
    return LineError(origin, line_number,
                     absl::StrCat("expected 4 tab-separated fields "
                                  "(code, parent_code, level, name), got ",
                                  fields.size()));
  }
  std::string_view code = fields[0];
  std::string_view parent = fields[1];
  std::optional<Level> level = ParseLevel(fields[2]);
  std::string_view name = fields[3];
  if (!level.has_value()) {
    return LineError(origin, line_number,
                     absl::StrCat("unknown level \"", A(fields[2]),
                                  "\" (want province, city, county or "
                                  "township)"));
  }
  const size_t want_digits = *level == Level::kTownship ? 9 : 6;
  if (code.size() != want_digits || !AllDigits(code)) {
    return LineError(
        origin, line_number,
        absl::StrCat("code \"", A(code), "\" of a ", A(LevelName(*level)),
                     " must be ", want_digits, " digits"));
  }
  if (*level == Level::kProvince && !parent.empty()) {
    return LineError(origin, line_number,
                     absl::StrCat("province ", A(code), " has parent_code \"",
                                  A(parent), "\"; provinces have none"));
  }
  if (*level != Level::kProvince && parent.empty()) {
    return LineError(origin, line_number,
                     absl::StrCat(A(LevelName(*level)), " ", A(code),
                                  " has an empty parent_code"));
  }
  if (name.empty() || HasControlCharacter(name)) {
    return LineError(origin, line_number,
                     absl::StrCat("region ", A(code),
                                  " has an empty name or one with control "
                                  "characters"));
  }
  entry.region =
      Region{std::string(code), std::string(name), *level, std::string(parent)};
  entry.line = line_number;
  return absl::OkStatus();
}

}  // namespace

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kProvince:
      return "province";
    case Level::kCity:
      return "city";
    case Level::kCounty:
      return "county";
    case Level::kTownship:
      return "township";
  }
  return "unknown";
}

absl::StatusOr<std::unique_ptr<RegionTree>> RegionTree::Load(
    const std::string& path) {
  absl::StatusOr<std::string> text = file::ReadFile(path);
  if (!text.ok()) return text.status();
  return Parse(*text, path);
}

absl::StatusOr<std::unique_ptr<RegionTree>> RegionTree::Parse(
    std::string_view text, std::string_view origin) {
  // Region names end up in office names and every CaseEvent (proto3
  // strings): a file in GBK would poison them all.
  if (absl::Status s = text::CheckUtf8Lines(text, origin); !s.ok()) return s;
  std::vector<Entry> entries;
  entries.reserve(std::count(text.begin(), text.end(), '\n') + 1);
  int line_number = 0;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == text.npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    Entry entry;
    absl::Status status = ParseLine(origin, line_number, line, entry);
    if (!status.ok()) return status;
    entries.push_back(std::move(entry));
  }
  if (entries.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(A(origin), ": no regions in the file"));
  }

  // The committed file is sorted already; sorting only when needed halves
  // the load time.
  auto by_code_then_line = [](const Entry& a, const Entry& b) {
    return a.region.code != b.region.code ? a.region.code < b.region.code
                                          : a.line < b.line;
  };
  if (!std::is_sorted(entries.begin(), entries.end(), by_code_then_line)) {
    std::sort(entries.begin(), entries.end(), by_code_then_line);
  }
  for (size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].region.code == entries[i - 1].region.code) {
      return LineError(
          origin, entries[i].line,
          absl::StrCat("duplicate code ", entries[i].region.code,
                       " (first on line ", entries[i - 1].line, ")"));
    }
  }

  std::unique_ptr<RegionTree> tree(new RegionTree());
  const size_t count = entries.size();
  tree->regions_.reserve(count);
  for (Entry& entry : entries)
    tree->regions_.push_back(std::move(entry.region));
  // regions_ is final from here on: index_ keys view its strings.
  tree->index_.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    tree->index_.emplace(tree->regions_[i].code, i);
  }

  tree->parent_.assign(count, kNone);
  std::vector<uint32_t> child_count(count, 0);
  for (uint32_t i = 0; i < count; ++i) {
    const Region& region = tree->regions_[i];
    if (region.parent_code.empty()) continue;
    const uint32_t parent = tree->IndexOf(region.parent_code);
    if (parent == kNone) {
      return LineError(
          origin, entries[i].line,
          absl::StrCat("region ", region.code, " has unknown parent ",
                       region.parent_code));
    }
    const Region& parent_region = tree->regions_[parent];
    if (parent_region.level >= region.level) {
      return LineError(
          origin, entries[i].line,
          absl::StrCat(A(LevelName(region.level)), " ", region.code,
                       " has parent ", parent_region.code, " which is a ",
                       A(LevelName(parent_region.level)),
                       "; a parent must be at a higher level"));
    }
    tree->parent_[i] = parent;
    ++child_count[parent];
  }

  // Children in compressed rows; filling in index order keeps each row
  // sorted by code.
  tree->child_begin_.assign(count + 1, 0);
  for (uint32_t i = 0; i < count; ++i) {
    tree->child_begin_[i + 1] = tree->child_begin_[i] + child_count[i];
  }
  tree->child_index_.resize(tree->child_begin_[count]);
  std::vector<uint32_t> next(tree->child_begin_.begin(),
                             tree->child_begin_.end() - 1);
  for (uint32_t i = 0; i < count; ++i) {
    if (tree->parent_[i] != kNone) {
      tree->child_index_[next[tree->parent_[i]]++] = i;
    }
  }
  return tree;
}

uint32_t RegionTree::IndexOf(std::string_view code) const {
  auto it = index_.find(code);
  return it == index_.end() ? kNone : it->second;
}

const Region* RegionTree::Find(std::string_view code) const {
  const uint32_t i = IndexOf(code);
  return i == kNone ? nullptr : &regions_[i];
}

std::vector<const Region*> RegionTree::Ancestors(std::string_view code) const {
  std::vector<const Region*> ancestors;
  uint32_t i = IndexOf(code);
  if (i == kNone) return ancestors;
  for (i = parent_[i]; i != kNone; i = parent_[i]) {
    ancestors.push_back(&regions_[i]);
  }
  return ancestors;
}

const Region* RegionTree::CountyOf(std::string_view code) const {
  const uint32_t i = IndexOf(code);
  if (i == kNone) return nullptr;
  switch (regions_[i].level) {
    case Level::kCounty:
      return &regions_[i];
    case Level::kTownship:
      // The parent is a county, or a city without counties.
      return &regions_[parent_[i]];
    case Level::kProvince:
    case Level::kCity:
      return nullptr;
  }
  return nullptr;
}

const Region* RegionTree::LowestCommonAncestor(std::string_view a,
                                               std::string_view b) const {
  const uint32_t ia = IndexOf(a);
  const uint32_t ib = IndexOf(b);
  if (ia == kNone || ib == kNone) return nullptr;
  // The tree is at most four deep, so walking b's chain against a's is cheap.
  for (uint32_t x = ib; x != kNone; x = parent_[x]) {
    for (uint32_t y = ia; y != kNone; y = parent_[y]) {
      if (x == y) return &regions_[x];
    }
  }
  return nullptr;
}

std::vector<const Region*> RegionTree::Children(std::string_view code) const {
  std::vector<const Region*> children;
  const uint32_t i = IndexOf(code);
  if (i == kNone) return children;
  children.reserve(child_begin_[i + 1] - child_begin_[i]);
  for (uint32_t k = child_begin_[i]; k < child_begin_[i + 1]; ++k) {
    children.push_back(&regions_[child_index_[k]]);
  }
  return children;
}

std::vector<const Region*> RegionTree::Provinces() const {
  std::vector<const Region*> provinces;
  for (uint32_t i = 0; i < regions_.size(); ++i) {
    if (parent_[i] == kNone) provinces.push_back(&regions_[i]);
  }
  return provinces;
}

bool RegionTree::IsWithin(std::string_view code,
                          std::string_view ancestor) const {
  const uint32_t target = IndexOf(ancestor);
  if (target == kNone) return false;
  for (uint32_t i = IndexOf(code); i != kNone; i = parent_[i]) {
    if (i == target) return true;
  }
  return false;
}

}  // namespace caserelay::region
