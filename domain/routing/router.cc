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
  return ValidateMatter(m, *regions_, *offices_);
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

absl::StatusOr<ChosenBureau> Router::RegisteringBureau(
    const Matter& m, const Office& target) const {
  const region::Region* region = nullptr;
  if (target.level == region::Level::kTownship ||
      target.level == region::Level::kCounty) {
    region = regions_->CountyOf(target.region_code);
  }
  if (region == nullptr) region = regions_->Find(target.region_code);
  return BureauNotAccused(m, *region, *regions_, *offices_);
}

absl::StatusOr<RouteDecision> Router::Triage(const Matter& m,
                                             absl::string_view reason) const {
  absl::StatusOr<ChosenBureau> receiving =
      ReceivingBureau(m, *regions_, *offices_);
  if (!receiving.ok()) return receiving.status();
  RouteDecision d;
  d.set_disposition(caserelay::v1::DISPOSITION_TRIAGE);
  d.add_rules(kRuleUndecided);
  if (receiving->passed_over) d.add_rules(kRuleAccusedExcluded);
  SetRegistering(d, receiving->office);
  d.set_undecided_reason(std::string(reason));
  return d;
}

absl::StatusOr<RouteDecision> Router::Decide(const RouteInput& in) const {
  const Matter& m = in.matter;
  if (absl::Status valid = Validate(m); !valid.ok()) return valid;

  RouteDecision d;
  // Every disposition but transfer and assign stays with the bureau that
  // received the petition.
  auto with_receiving = [this, &d, &m]() -> absl::StatusOr<RouteDecision> {
    absl::StatusOr<ChosenBureau> receiving =
        ReceivingBureau(m, *regions_, *offices_);
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

  // 6-9. Who is competent; none: undecided.
  absl::StatusOr<Competence> competence = Competent(m);
  if (absl::IsFailedPrecondition(competence.status())) {
    return Triage(m, competence.status().message());
  }
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
  absl::StatusOr<ChosenBureau> registering = RegisteringBureau(m, target);
  if (absl::IsFailedPrecondition(registering.status())) {
    return Triage(
        m, absl::StrCat("no bureau may register the transfer to ", target.code,
                        ": ", registering.status().message()));
  }
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
