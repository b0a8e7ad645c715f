// OfficeDirectory's queries; loading the tables is in office_tables.cc.
#include "domain/offices/office_directory.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "domain/offices/office_code.h"

namespace caserelay::offices {
namespace {

// Debian's absl::string_view is not std::string_view (PLATFORM-NOTES).
absl::string_view A(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

bool EndsWith(std::string_view text, std::string_view ending) {
  return text.size() >= ending.size() &&
         text.substr(text.size() - ending.size()) == ending;
}

}  // namespace

int OfficeDirectory::NameColumn(const region::Region& region) {
  switch (region.level) {
    case region::Level::kProvince:
      // A 直辖市 (北京市, 上海市 ...) names its bodies like a city.
      return EndsWith(region.name, "市") ? 1 : 0;
    case region::Level::kCity:
      return 2;
    case region::Level::kCounty:
      return 3;
    case region::Level::kTownship:
      return 4;
  }
  return 0;
}

std::string OfficeDirectory::GovernmentName(
    const region::Region& region) const {
  for (const GovernmentRule& rule : government_rules_) {
    if (rule.level.has_value() && *rule.level != region.level) continue;
    if (!EndsWith(region.name, rule.ending)) continue;
    return rule.suffix.has_value() ? region.name + *rule.suffix : region.name;
  }
  // Unreachable: Load() requires a catch-all row for every level.
  return region.name + "人民政府";
}

std::optional<Office> OfficeDirectory::Make(const region::Region& region,
                                            std::string_view unit) const {
  Office office;
  office.region_code = region.code;
  office.unit = std::string(unit);
  office.level = region.level;
  office.code = MakeOfficeCode(region.code, unit);
  if (unit == kGovernmentUnit) {
    office.kind = OfficeKind::kGovernment;
    office.name = GovernmentName(region);
  } else {
    auto it = units_.find(unit);
    if (it == units_.end()) return std::nullopt;
    const std::string& unit_name = it->second[NameColumn(region)];
    if (unit_name.empty()) return std::nullopt;
    office.kind =
        unit == kBureauUnit ? OfficeKind::kBureau : OfficeKind::kDepartment;
    office.name = region.name + unit_name;
  }
  auto override_it = overrides_.find(office.code);
  if (override_it != overrides_.end()) office.name = override_it->second;
  return office;
}

absl::StatusOr<Office> OfficeDirectory::Find(std::string_view code) const {
  std::optional<OfficeCode> parsed = ParseOfficeCode(code);
  if (!parsed.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("office code \"", A(code),
                     "\" is not <region code>:<unit> (6 or 9 digits, then "
                     "lower-case letters, digits and '-')"));
  }
  const region::Region* region = regions_->Find(parsed->region_code);
  if (region == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "office code ", A(code), ": unknown region ", A(parsed->region_code)));
  }
  std::optional<Office> office = Make(*region, parsed->unit);
  if (!office.has_value()) {
    const bool known = parsed->unit == kGovernmentUnit ||
                       units_.find(parsed->unit) != units_.end();
    return absl::NotFoundError(absl::StrCat(
        "office code ", A(code), ": ",
        known ? absl::StrCat("no ", A(parsed->unit), " office at ",
                             A(region::LevelName(region->level)), " level")
              : absl::StrCat("unknown unit ", A(parsed->unit))));
  }
  return *std::move(office);
}

Office OfficeDirectory::Bureau(const region::Region& region) const {
  return *Make(region, kBureauUnit);  // Load() checked every level has one
}

Office OfficeDirectory::Government(const region::Region& region) const {
  return *Make(region, kGovernmentUnit);
}

bool OfficeDirectory::IsCategory(std::string_view category) const {
  return categories_.find(category) != categories_.end();
}

std::vector<std::string> OfficeDirectory::Categories() const {
  std::vector<std::string> names;
  names.reserve(categories_.size());
  for (const auto& [name, row] : categories_) names.push_back(name);
  return names;  // std::map keeps them sorted
}

std::string OfficeDirectory::CategoryName(std::string_view category) const {
  auto it = categories_.find(category);
  return it == categories_.end() ? std::string() : it->second.name;
}

absl::StatusOr<Office> OfficeDirectory::Competent(
    std::string_view category, std::string_view region_code) const {
  auto it = categories_.find(category);
  if (it == categories_.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown category \"", A(category), "\""));
  }
  const region::Region* region = regions_->Find(region_code);
  if (region == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown region \"", A(region_code), "\""));
  }
  const std::string& unit = it->second.units[static_cast<int>(region->level)];
  if (unit.empty()) {
    return absl::NotFoundError(absl::StrCat("no office of ", region->name, " (",
                                            region->code, ") handles category ",
                                            A(category)));
  }
  std::optional<Office> office = Make(*region, unit);
  if (!office.has_value()) {  // Load() checked every unit exists there
    return absl::InternalError(absl::StrCat("category ", A(category), ": unit ",
                                            unit, " absent at ", region->code));
  }
  return *std::move(office);
}

absl::StatusOr<Office> OfficeDirectory::LowestCompetent(
    std::string_view category, std::string_view region_code) const {
  absl::StatusOr<Office> here = Competent(category, region_code);
  if (here.ok() || !absl::IsNotFound(here.status())) return here;
  for (const region::Region* above : regions_->Ancestors(region_code)) {
    absl::StatusOr<Office> office = Competent(category, above->code);
    if (office.ok() || !absl::IsNotFound(office.status())) return office;
  }
  return absl::NotFoundError(absl::StrCat("no office at or above region ",
                                          A(region_code), " handles category ",
                                          A(category)));
}

absl::StatusOr<Office> OfficeDirectory::ReviewOfficeOf(
    std::string_view office_code) const {
  absl::StatusOr<Office> office = Find(office_code);
  if (!office.ok()) return office.status();
  const region::Region* region = regions_->Find(office->region_code);
  if (office->kind == OfficeKind::kDepartment) return Government(*region);
  if (region->parent_code.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "office ", A(office_code),
        ": a province's decisions are reviewed by the State Council, which "
        "is outside the region tree"));
  }
  return Government(*regions_->Find(region->parent_code));
}

absl::StatusOr<std::vector<ReviewOrgan>> OfficeDirectory::ReviewOrgansOf(
    std::string_view office_code) const {
  absl::StatusOr<Office> first = ReviewOfficeOf(office_code);
  if (!first.ok()) return first.status();
  absl::StatusOr<Office> office = Find(office_code);
  if (!office.ok()) return office.status();
  if (office->kind != OfficeKind::kDepartment) {
    return std::vector<ReviewOrgan>{
        {*std::move(first), kRuleReviewByParentGovernment}};
  }
  std::vector<ReviewOrgan> organs = {
      {*std::move(first), kRuleReviewByGovernment}};
  const region::Region* region = regions_->Find(office->region_code);
  if (!region->parent_code.empty()) {
    std::optional<Office> same_line =
        Make(*regions_->Find(region->parent_code), office->unit);
    if (same_line.has_value()) {
      organs.push_back({*std::move(same_line), kRuleReviewBySameLine});
    }
  }
  return organs;
}

bool OfficeDirectory::Supervises(std::string_view reader_code,
                                 std::string_view office_code) const {
  absl::StatusOr<Office> reader = Find(reader_code);
  if (!reader.ok() || reader->kind == OfficeKind::kDepartment) return false;
  absl::StatusOr<Office> office = Find(office_code);
  if (!office.ok()) return false;
  return regions_->IsWithin(office->region_code, reader->region_code);
}

bool OfficeDirectory::IsAccusedOrMember(
    std::string_view office_code,
    const std::vector<std::string>& accused) const {
  const std::string_view region = office_code.substr(0, office_code.find(':'));
  for (const std::string& code : accused) {
    if (code == office_code) return true;
    std::optional<OfficeCode> parsed = ParseOfficeCode(code);
    if (parsed.has_value() && parsed->unit == kGovernmentUnit &&
        parsed->region_code == region && region != office_code) {
      return true;
    }
  }
  return false;
}

}  // namespace caserelay::offices
