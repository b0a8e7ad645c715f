#include "domain/routing/matter_validation.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "domain/routing/rules.h"

namespace caserelay::routing {
namespace {

using caserelay::v1::Matter;
using offices::Office;

absl::Status FieldError(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

std::string Indexed(absl::string_view field, int i) {
  return absl::StrCat(field, "[", i, "]");
}

absl::Status CheckCodes(const Matter& m, const region::RegionTree& regions,
                        const offices::OfficeDirectory& offices) {
  if (m.region_code().empty()) {
    return FieldError("matter.region_code", "is required");
  }
  if (regions.Find(m.region_code()) == nullptr) {
    return FieldError("matter.region_code",
                      absl::StrCat("unknown region \"", m.region_code(), "\""));
  }
  if (!m.category().empty() && !offices.IsCategory(m.category())) {
    return FieldError("matter.category",
                      absl::StrCat("unknown category \"", m.category(),
                                   "\" (data/offices/categories.tsv; empty "
                                   "for 无头事项)"));
  }
  for (int i = 0; i < m.other_categories_size(); ++i) {
    if (!offices.IsCategory(m.other_categories(i))) {
      return FieldError(
          Indexed("matter.other_categories", i),
          absl::StrCat("unknown category \"", m.other_categories(i), "\""));
    }
  }
  if (!m.lodged_with().empty()) {
    absl::StatusOr<Office> office = offices.Find(m.lodged_with());
    if (!office.ok()) {
      return FieldError("matter.lodged_with", office.status().message());
    }
  }
  for (int i = 0; i < m.accused_offices_size(); ++i) {
    absl::StatusOr<Office> office = offices.Find(m.accused_offices(i));
    if (!office.ok()) {
      return FieldError(Indexed("matter.accused_offices", i),
                        office.status().message());
    }
  }
  for (int i = 0; i < m.other_regions_size(); ++i) {
    if (regions.Find(m.other_regions(i)) == nullptr) {
      return FieldError(
          Indexed("matter.other_regions", i),
          absl::StrCat("unknown region \"", m.other_regions(i), "\""));
    }
  }
  if (!caserelay::v1::StatutoryRoute_IsValid(m.statutory_route())) {
    return FieldError("matter.statutory_route",
                      absl::StrCat("unknown value ", m.statutory_route()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateMatter(const Matter& m, const region::RegionTree& regions,
                            const offices::OfficeDirectory& offices) {
  if (absl::Status s = CheckCodes(m, regions, offices); !s.ok()) return s;
  absl::StatusOr<ChosenBureau> receiving = ReceivingBureau(m, regions, offices);
  if (!receiving.ok()) {
    // Registering it anywhere in the tree would show it to the accused
    // (Art. 30); the petitioner is told where it can go instead.
    return absl::Status(
        receiving.status().code(),
        absl::StrCat("matter.accused_offices: ", receiving.status().message(),
                     " (被举报单位涵盖本省各级信访部门，本系统无法受理：请向"
                     "国家信访局或中央纪委国家监委反映)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ChosenBureau> BureauNotAccused(
    const Matter& m, const region::Region& region,
    const region::RegionTree& regions,
    const offices::OfficeDirectory& offices) {
  if (m.matter_class() != caserelay::v1::MATTER_CLASS_ACCUSATION ||
      m.accused_offices().empty()) {
    return ChosenBureau{offices.Bureau(region), false};
  }
  const std::vector<std::string> accused(m.accused_offices().begin(),
                                         m.accused_offices().end());
  for (const region::Region* at = &region; at != nullptr;
       at = at->parent_code.empty() ? nullptr : regions.Find(at->parent_code)) {
    Office bureau = offices.Bureau(*at);
    if (!offices.IsAccusedOrMember(bureau.code, accused)) {
      return ChosenBureau{std::move(bureau), at != &region};
    }
  }
  return absl::FailedPreconditionError(
      absl::StrCat(kRuleAccusedExcluded, ": every bureau from ", region.code,
                   " up to the province is accused or a member of an "
                   "accused government"));
}

absl::StatusOr<ChosenBureau> ReceivingBureau(
    const Matter& m, const region::RegionTree& regions,
    const offices::OfficeDirectory& offices) {
  const region::Region* region = nullptr;
  if (!m.lodged_with().empty()) {
    absl::StatusOr<Office> lodged = offices.Find(m.lodged_with());
    if (lodged.ok()) region = regions.Find(lodged->region_code);
  }
  if (region == nullptr) region = regions.CountyOf(m.region_code());
  if (region == nullptr) region = regions.Find(m.region_code());
  if (region == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "matter.region_code: unknown region \"", m.region_code(), "\""));
  }
  return BureauNotAccused(m, *region, regions, offices);
}

}  // namespace caserelay::routing
