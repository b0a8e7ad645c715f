// Router: validation, the order of the rules and the registering bureau;
// who is competent (rules 6-9) is in competence.cc.
#include "domain/routing/router.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace caserelay::routing {
namespace {

using caserelay::v1::Matter;
using caserelay::v1::RouteDecision;
using offices::Office;

absl::Status FieldError(const std::string& field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

std::string Indexed(const char* field, int i) {
  return absl::StrCat(field, "[", i, "]");
}

void SetTarget(RouteDecision& d, const Office& office) {
  d.set_target_office_code(office.code);
  d.set_target_office_name(office.name);
}

void SetRegistering(RouteDecision& d, const Office& office) {
  d.set_registering_office_code(office.code);
  d.set_registering_office_name(office.name);
}

}  // namespace

Router::Router(const region::RegionTree* regions,
               const offices::OfficeDirectory* offices,
               const StatutoryRoutes* routes)
    : regions_(regions), offices_(offices), routes_(routes) {}

absl::Status Router::Validate(const Matter& m) const {
  if (regions_->Find(m.region_code()) == nullptr) {
    return FieldError("matter.region_code",
                      absl::StrCat("unknown region \"", m.region_code(), "\""));
  }
  if (!m.category().empty() && !offices_->IsCategory(m.category())) {
    return FieldError("matter.category",
                      absl::StrCat("unknown category \"", m.category(), "\""));
  }
  for (int i = 0; i < m.other_categories_size(); ++i) {
    if (!offices_->IsCategory(m.other_categories(i))) {
      return FieldError(
          Indexed("matter.other_categories", i),
          absl::StrCat("unknown category \"", m.other_categories(i), "\""));
    }
  }
  if (!m.lodged_with().empty()) {
    absl::StatusOr<Office> office = offices_->Find(m.lodged_with());
    if (!office.ok()) {
      return FieldError("matter.lodged_with", office.status().message());
    }
  }
  for (int i = 0; i < m.accused_offices_size(); ++i) {
    absl::StatusOr<Office> office = offices_->Find(m.accused_offices(i));
    if (!office.ok()) {
      return FieldError(Indexed("matter.accused_offices", i),
                        office.status().message());
    }
  }
  for (int i = 0; i < m.other_regions_size(); ++i) {
    if (regions_->Find(m.other_regions(i)) == nullptr) {
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

int Router::LevelsAbove(const Office& upper, const Office& lower) const {
  if (regions_->IsWithin(lower.region_code, upper.region_code)) {
    int steps = 0;
    for (const region::Region* at = regions_->Find(lower.region_code);
         at->code != upper.region_code; at = regions_->Find(at->parent_code)) {
      ++steps;
    }
    return steps;
  }
  return static_cast<int>(lower.level) - static_cast<int>(upper.level);
}

absl::StatusOr<Router::Bureau> Router::BureauNotAccused(
    const Matter& m, const region::Region& region) const {
  if (m.matter_class() != caserelay::v1::MATTER_CLASS_ACCUSATION ||
      m.accused_offices().empty()) {
    return Bureau{offices_->Bureau(region), false};
  }
  const std::vector<std::string> accused(m.accused_offices().begin(),
                                         m.accused_offices().end());
  for (const region::Region* at = &region; at != nullptr;
       at = at->parent_code.empty() ? nullptr
                                    : regions_->Find(at->parent_code)) {
    Office bureau = offices_->Bureau(*at);
    if (!offices_->IsAccusedOrMember(bureau.code, accused)) {
      return Bureau{std::move(bureau), at != &region};
    }
  }
  return absl::FailedPreconditionError(
      absl::StrCat(kRuleAccusedExcluded, ": every bureau from ", region.code,
                   " up to the province is accused or a member"));
}

absl::StatusOr<Router::Bureau> Router::ReceivingBureau(const Matter& m) const {
  const region::Region* region = nullptr;
  if (!m.lodged_with().empty()) {
    absl::StatusOr<Office> lodged = offices_->Find(m.lodged_with());
    if (lodged.ok()) region = regions_->Find(lodged->region_code);
  }
  if (region == nullptr) region = regions_->CountyOf(m.region_code());
  if (region == nullptr) region = regions_->Find(m.region_code());
  return BureauNotAccused(m, *region);
}

absl::StatusOr<Router::Bureau> Router::RegisteringBureau(
    const Matter& m, const Office& target) const {
  const region::Region* region = nullptr;
  if (target.level == region::Level::kTownship ||
      target.level == region::Level::kCounty) {
    region = regions_->CountyOf(target.region_code);
  }
  if (region == nullptr) region = regions_->Find(target.region_code);
  return BureauNotAccused(m, *region);
}

absl::StatusOr<RouteDecision> Router::Decide(const RouteInput& in) const {
  const Matter& m = in.matter;
  if (absl::Status valid = Validate(m); !valid.ok()) return valid;

  RouteDecision d;
  // Every disposition but transfer and assign stays with the bureau that
  // received the petition.
  auto with_receiving = [this, &d, &m]() -> absl::StatusOr<RouteDecision> {
    absl::StatusOr<Bureau> receiving = ReceivingBureau(m);
    if (!receiving.ok()) return receiving.status();
    SetRegistering(d, receiving->office);
    if (receiving->passed_over) d.add_rules(kRuleAccusedExcluded);
    return d;
  };

  // 1. 诉访分离 (Art. 31 items 1-5).
  if (m.statutory_route() != caserelay::v1::STATUTORY_ROUTE_NONE) {
    d.set_disposition(caserelay::v1::DISPOSITION_NOT_ACCEPTED);
    d.set_refusal_ground(caserelay::v1::REFUSAL_GROUND_STATUTORY_ROUTE);
    d.add_rules(kRuleStatutoryRoute);
    d.set_route(routes_->For(m.statutory_route()));
    return with_receiving();
  }

  // 2. 信访终结: the same matter was terminated after 复核.
  for (const PriorCase& prior : in.same_matter) {
    if (!prior.terminated) continue;
    d.set_disposition(caserelay::v1::DISPOSITION_REFUSED_TERMINATED);
    d.set_refusal_ground(caserelay::v1::REFUSAL_GROUND_TERMINATED);
    d.add_rules(kRuleRefusedTerminated);
    d.set_linked_case_id(prior.case_id);
    d.set_route(routes_->ForRule(kRuleRefusedTerminated, ""));
    return with_receiving();
  }

  // 3. The same matter is open: in progress below, or a repeat.
  for (const PriorCase& prior : in.same_matter) {
    if (!prior.open) continue;
    d.set_linked_case_id(prior.case_id);
    absl::StatusOr<Office> holder = offices_->Find(prior.holder_office_code);
    absl::StatusOr<Office> lodged = m.lodged_with().empty()
                                        ? absl::NotFoundError("not lodged")
                                        : offices_->Find(m.lodged_with());
    if (holder.ok() && lodged.ok() && prior.within_time_limit &&
        lodged->level < holder->level) {
      d.set_disposition(caserelay::v1::DISPOSITION_NOT_ACCEPTED);
      d.set_refusal_ground(caserelay::v1::REFUSAL_GROUND_IN_PROGRESS_BELOW);
      d.add_rules(kRuleInProgressBelow);
      SetTarget(d, *holder);
      d.set_route(routes_->ForRule(kRuleInProgressBelow, holder->name));
      return with_receiving();
    }
    d.set_disposition(caserelay::v1::DISPOSITION_LINKED_REPEAT);
    d.add_rules(kRuleRepeatPetition);
    d.set_route(routes_->ForRule(kRuleRepeatPetition, ""));
    return with_receiving();
  }

  // 5. 无头事项: the receiving bureau triages.
  if (m.category().empty()) {
    d.set_disposition(caserelay::v1::DISPOSITION_TRIAGE);
    d.add_rules(kRuleNoResponsibleUnit);
    return with_receiving();
  }

  // 6-9. Who is competent.
  absl::StatusOr<Competence> competence = Competent(m);
  if (!competence.ok()) return competence.status();
  const Office& target = competence->office;
  for (const std::string& rule : competence->rules) d.add_rules(rule);
  d.set_cross_jurisdiction(competence->cross_jurisdiction);
  SetTarget(d, target);

  // 4. 越级走访: a visit may go to the competent level or the one above.
  if (m.channel() == caserelay::v1::CHANNEL_VISIT && !m.lodged_with().empty()) {
    absl::StatusOr<Office> lodged = offices_->Find(m.lodged_with());
    if (lodged.ok() && LevelsAbove(*lodged, target) > 1) {
      d.set_disposition(caserelay::v1::DISPOSITION_REDIRECT);
      d.set_refusal_ground(caserelay::v1::REFUSAL_GROUND_LEVEL_SKIPPING);
      d.add_rules(kRuleLevelSkippingVisit);
      d.set_route(routes_->ForRule(kRuleLevelSkippingVisit, target.name));
      return with_receiving();
    }
  }

  if (target.kind == offices::OfficeKind::kGovernment &&
      target.level == region::Level::kTownship) {
    d.set_disposition(caserelay::v1::DISPOSITION_ASSIGN);
    d.add_rules(kRuleAssignToTownship);
  } else {
    d.set_disposition(caserelay::v1::DISPOSITION_TRANSFER);
  }
  absl::StatusOr<Bureau> registering = RegisteringBureau(m, target);
  if (!registering.ok()) return registering.status();
  SetRegistering(d, registering->office);
  if (registering->passed_over &&
      std::find(d.rules().begin(), d.rules().end(), kRuleAccusedExcluded) ==
          d.rules().end()) {
    d.add_rules(kRuleAccusedExcluded);
  }
  return d;
}

}  // namespace caserelay::routing
