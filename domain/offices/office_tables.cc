// OfficeDirectory::Load: the four tables of data/offices (README.md there).
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "domain/offices/office_code.h"
#include "domain/offices/office_directory.h"
#include "domain/offices/tsv.h"

namespace caserelay::offices {
namespace {

constexpr char kNone[] = "-";  // no office at that level
constexpr char kAny[] = "*";   // governments.tsv: any level, any name

// The levels as columns of departments.tsv, and their names for messages.
constexpr const char* kColumnNames[] = {"province", "municipality", "city",
                                        "county", "township"};
// The departments.tsv column of each region::Level (municipality aside).
constexpr int kLevelColumn[] = {0, 2, 3, 4};

// Debian's absl::string_view is not std::string_view (PLATFORM-NOTES).
absl::string_view A(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

std::optional<region::Level> ParseLevel(std::string_view name) {
  if (name == "province") return region::Level::kProvince;
  if (name == "city") return region::Level::kCity;
  if (name == "county") return region::Level::kCounty;
  if (name == "township") return region::Level::kTownship;
  return std::nullopt;
}

}  // namespace

absl::StatusOr<std::unique_ptr<OfficeDirectory>> OfficeDirectory::Load(
    const std::string& dir, const region::RegionTree* regions) {
  if (regions == nullptr) {
    return absl::InvalidArgumentError("OfficeDirectory::Load: regions is null");
  }
  std::unique_ptr<OfficeDirectory> directory(new OfficeDirectory(regions));
  const std::string base = dir.empty() || dir.back() == '/' ? dir : dir + "/";
  absl::Status status = directory->LoadDepartments(base + "departments.tsv");
  if (status.ok()) status = directory->LoadCategories(base + "categories.tsv");
  if (status.ok()) {
    status = directory->LoadGovernments(base + "governments.tsv");
  }
  if (status.ok()) status = directory->LoadOverrides(base + "overrides.tsv");
  if (!status.ok()) return status;
  return directory;
}

absl::Status OfficeDirectory::LoadDepartments(const std::string& path) {
  absl::StatusOr<std::vector<TsvRow>> rows =
      ReadTsv(path, 6, "unit, province, municipality, city, county, township");
  if (!rows.ok()) return rows.status();
  for (const TsvRow& row : *rows) {
    const std::string& unit = row.fields[0];
    if (!IsUnitName(unit)) {
      return RowError(path, row.line,
                      absl::StrCat("unit \"", unit,
                                   "\" is not lower-case kebab (e.g. hrss, "
                                   "public-security)"));
    }
    if (unit == kGovernmentUnit) {
      return RowError(path, row.line,
                      "unit gov is the people's government, named by "
                      "governments.tsv, not a department");
    }
    LevelNames names;
    for (int column = 0; column < 5; ++column) {
      const std::string& name = row.fields[column + 1];
      if (name != kNone) {
        names[column] = name;
      } else if (unit == kBureauUnit) {
        return RowError(path, row.line,
                        absl::StrCat("every region has a petition bureau: "
                                     "bureau needs a ",
                                     kColumnNames[column], " name, not -"));
      }
    }
    if (!units_.emplace(unit, std::move(names)).second) {
      return RowError(path, row.line, absl::StrCat("duplicate unit ", unit));
    }
  }
  if (units_.find(kBureauUnit) == units_.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": no bureau row (the petition bureau)"));
  }
  return absl::OkStatus();
}

absl::Status OfficeDirectory::LoadCategories(const std::string& path) {
  absl::StatusOr<std::vector<TsvRow>> rows =
      ReadTsv(path, 6, "category, name, province, city, county, township");
  if (!rows.ok()) return rows.status();
  for (const TsvRow& row : *rows) {
    const std::string& category = row.fields[0];
    if (!IsUnitName(category)) {
      return RowError(
          path, row.line,
          absl::StrCat("category \"", category, "\" is not lower-case kebab"));
    }
    Category entry;
    entry.name = row.fields[1];
    for (int level = 0; level < 4; ++level) {
      const std::string& unit = row.fields[level + 2];
      if (unit == kNone) continue;
      if (unit != kGovernmentUnit) {
        auto it = units_.find(unit);
        if (it == units_.end()) {
          return RowError(path, row.line,
                          absl::StrCat("unknown unit \"", unit,
                                       "\" (not gov nor in departments.tsv)"));
        }
        // A province-level unit must exist in municipalities too.
        const int columns[2] = {kLevelColumn[level], level == 0 ? 1 : -1};
        for (int column : columns) {
          if (column >= 0 && it->second[column].empty()) {
            return RowError(path, row.line,
                            absl::StrCat("unit ", unit, " has no office at ",
                                         kColumnNames[column],
                                         " level in departments.tsv"));
          }
        }
      }
      entry.units[level] = unit;
    }
    if (!categories_.emplace(category, std::move(entry)).second) {
      return RowError(path, row.line,
                      absl::StrCat("duplicate category ", category));
    }
  }
  if (categories_.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no categories"));
  }
  return absl::OkStatus();
}

absl::Status OfficeDirectory::LoadGovernments(const std::string& path) {
  absl::StatusOr<std::vector<TsvRow>> rows =
      ReadTsv(path, 3, "level, name ending, government suffix");
  if (!rows.ok()) return rows.status();
  bool covered[4] = {false, false, false, false};
  for (const TsvRow& row : *rows) {
    GovernmentRule rule;
    if (row.fields[0] != kAny) {
      rule.level = ParseLevel(row.fields[0]);
      if (!rule.level.has_value()) {
        return RowError(path, row.line,
                        absl::StrCat("unknown level \"", row.fields[0],
                                     "\" (want *, province, city, county or "
                                     "township)"));
      }
    }
    if (row.fields[1] != kAny) rule.ending = row.fields[1];
    if (row.fields[2] != kNone) rule.suffix = row.fields[2];
    if (rule.ending.empty()) {
      for (int level = 0; level < 4; ++level) {
        if (!rule.level.has_value() || static_cast<int>(*rule.level) == level) {
          covered[level] = true;
        }
      }
    }
    government_rules_.push_back(std::move(rule));
  }
  for (int level = 0; level < 4; ++level) {
    if (!covered[level]) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": no catch-all row (ending *) for ",
                       kColumnNames[kLevelColumn[level]], " level"));
    }
  }
  return absl::OkStatus();
}

absl::Status OfficeDirectory::LoadOverrides(const std::string& path) {
  absl::StatusOr<std::vector<TsvRow>> rows =
      ReadTsv(path, 2, "office code, name");
  if (!rows.ok()) return rows.status();
  // Check every code against the generated offices first: an override must
  // not be able to make an absent office appear.
  for (const TsvRow& row : *rows) {
    const std::string& code = row.fields[0];
    std::optional<OfficeCode> parsed = ParseOfficeCode(code);
    if (!parsed.has_value()) {
      return RowError(path, row.line,
                      absl::StrCat("\"", code,
                                   "\" is not an office code "
                                   "<region code>:<unit>"));
    }
    const region::Region* region = regions_->Find(parsed->region_code);
    // A region outside the loaded tree: a deployment serving another
    // subtree; the row is of no use there, but not an error.
    if (region == nullptr) continue;
    if (!Make(*region, parsed->unit).has_value()) {
      return RowError(
          path, row.line,
          absl::StrCat("no office ", code,
                       ": its unit is unknown or absent at ",
                       A(region::LevelName(region->level)), " level"));
    }
    if (!overrides_.emplace(code, row.fields[1]).second) {
      return RowError(path, row.line,
                      absl::StrCat("duplicate override of ", code));
    }
  }
  return absl::OkStatus();
}

}  // namespace caserelay::offices
