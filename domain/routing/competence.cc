// Router's rules 6-9: who is competent for a matter (router.h).
#include <algorithm>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "domain/offices/office_code.h"
#include "domain/routing/router.h"

namespace caserelay::routing {
namespace {

using caserelay::v1::Matter;
using offices::Office;

std::vector<std::string> AccusedOf(const Matter& m) {
  return {m.accused_offices().begin(), m.accused_offices().end()};
}

}  // namespace

absl::StatusOr<Router::Competence> Router::Competent(const Matter& m) const {
  if (m.matter_class() == caserelay::v1::MATTER_CLASS_ACCUSATION) {
    return ForAccusation(m);
  }
  if (m.category() == kCourtsLegalCategory) return ForCourtMatter(m);
  absl::StatusOr<std::optional<Competence>> cross = ForCrossJurisdiction(m);
  if (!cross.ok()) return cross.status();
  if (cross->has_value()) return **std::move(cross);
  absl::StatusOr<Office> office =
      offices_->LowestCompetent(m.category(), m.region_code());
  if (!office.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(kRuleTerritorialTiered, ": ", office.status().message()));
  }
  return Competence{*std::move(office), {kRuleTerritorialTiered}, false};
}

absl::StatusOr<Router::Competence> Router::ForAccusation(
    const Matter& m) const {
  const std::vector<std::string> accused = AccusedOf(m);
  Competence competence;
  competence.rules.push_back(kRuleAccusationToDiscipline);
  // Start no lower than the lowest region containing the matter and every
  // accused office (an accused office in another province cannot raise it:
  // no commission of the tree covers both).
  const region::Region* start = regions_->Find(m.region_code());
  for (const std::string& code : accused) {
    absl::StatusOr<Office> office = offices_->Find(code);
    if (!office.ok()) continue;  // Validate() rejected these already
    const region::Region* common =
        regions_->LowestCommonAncestor(start->code, office->region_code);
    if (common != nullptr) start = common;
  }
  if (start->code != m.region_code()) {
    competence.rules.push_back(kRuleDisciplineAtAccusedLevel);
  }
  std::vector<const region::Region*> chain = {start};
  for (const region::Region* above : regions_->Ancestors(start->code)) {
    chain.push_back(above);
  }
  bool skipped = false;
  for (const region::Region* region : chain) {
    absl::StatusOr<Office> office =
        offices_->Find(offices::MakeOfficeCode(region->code, kDisciplineUnit));
    if (!office.ok()) continue;  // no discipline office at this level
    if (offices_->IsAccusedOrMember(office->code, accused)) {
      skipped = true;
      continue;
    }
    if (skipped) competence.rules.push_back(kRuleAccusedExcluded);
    competence.office = *std::move(office);
    return competence;
  }
  return absl::FailedPreconditionError(
      absl::StrCat(skipped ? kRuleAccusedExcluded : kRuleAccusationToDiscipline,
                   ": no discipline office from ", start->code,
                   " up to the province is free of the accused"));
}

absl::StatusOr<Router::Competence> Router::ForCourtMatter(
    const Matter& m) const {
  const region::Region* county = regions_->CountyOf(m.region_code());
  if (county == nullptr) county = regions_->Find(m.region_code());
  std::vector<const region::Region*> chain = {county};
  for (const region::Region* above : regions_->Ancestors(county->code)) {
    chain.push_back(above);
  }
  for (const region::Region* region : chain) {
    absl::StatusOr<Office> office =
        offices_->Find(offices::MakeOfficeCode(region->code, kPoliticsLawUnit));
    if (office.ok()) {
      return Competence{
          *std::move(office), {kRuleCourtMattersToPoliticsLaw}, false};
    }
  }
  return absl::FailedPreconditionError(
      absl::StrCat(kRuleCourtMattersToPoliticsLaw, ": no ", kPoliticsLawUnit,
                   " office from ", county->code, " up to the province"));
}

absl::StatusOr<std::optional<Router::Competence>> Router::ForCrossJurisdiction(
    const Matter& m) const {
  std::set<std::string> categories = {m.category()};
  categories.insert(m.other_categories().begin(), m.other_categories().end());
  const region::Region* common = regions_->Find(m.region_code());
  bool several_regions = false;
  for (const std::string& code : m.other_regions()) {
    if (code == m.region_code()) continue;
    several_regions = true;
    const region::Region* lca =
        regions_->LowestCommonAncestor(common->code, code);
    if (lca == nullptr) {
      // Another province: the common superior (the State Council) is
      // outside the tree; the matter's own province leads.
      const std::vector<const region::Region*> up =
          regions_->Ancestors(m.region_code());
      lca = up.empty() ? regions_->Find(m.region_code()) : up.back();
      common = lca;
      break;
    }
    common = lca;
  }
  if (!several_regions && categories.size() == 1) return std::nullopt;

  Competence competence;
  competence.rules.push_back(kRuleCrossJurisdiction);
  competence.cross_jurisdiction = true;
  // The decision stays at the common region's level: its office of the
  // one category, or else its government, the lowest common superior
  // itself. Walking further up (LowestCompetent) would send a span of two
  // townships of 沁源 about the environment, which has no county office,
  // to 长治市生态环境局, a level above the superior that decides.
  if (categories.size() == 1) {
    absl::StatusOr<Office> office =
        offices_->Competent(*categories.begin(), common->code);
    if (office.ok()) {
      competence.office = *std::move(office);
      return competence;
    }
    if (!absl::IsNotFound(office.status())) {
      return absl::FailedPreconditionError(absl::StrCat(
          kRuleCrossJurisdiction, ": ", office.status().message()));
    }
  }
  competence.office = offices_->Government(*common);
  return competence;
}

}  // namespace caserelay::routing
