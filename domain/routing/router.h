// Routing decisions (转送交办): what becomes of a new petition, by the rules
// of DOMAIN.md "Classification" and "Routing" (《信访工作条例》 Arts. 22-31).
//
// The rules, in order of precedence; each decision cites the names of the
// rules that decided it (rules.h):
//   1. statutory-route — the matter has a statutory route (Art. 31 items
//      1-5, 诉访分离): NOT_ACCEPTED, the petitioner is told the route.
//   2. refused-terminated — the same matter was terminated after 复核
//      (信访终结): REFUSED_TERMINATED, linked to that case.
//   3. the same matter is open (重复信访): in-progress-below — lodged with an
//      office of a higher level than the holder's while the case is within
//      its time limit: NOT_ACCEPTED, directed to the holder; otherwise
//      repeat-petition: LINKED_REPEAT to the open case.
//   4. level-skipping-visit — a visit (走访) lodged with an office more than
//      one level above the competent office (越级走访): REDIRECT to it.
//      Levels are counted along the tree when the office visited is above
//      the competent one (河南省 is one above 济源 419001, 东莞市 one above
//      its towns, 北京市 one above 东城区), else by level.
//   5. no-responsible-unit — no category (无头事项): TRIAGE at the receiving
//      bureau.
//   6. accusation-to-discipline — 检举控告: the lowest discipline office
//      (纪委监委) at or above the matter's region — and at or above every
//      accused office's region (discipline-at-accused-level) — that is
//      neither accused nor a member of an accused government
//      (accused-excluded cited when one was passed over). Never the accused.
//   7. court-matters-to-politics-law — 涉法涉诉: the 政法委 of the matter's
//      county (Art. 22(4)).
//   8. cross-jurisdiction — several regions or categories (三跨): at the
//      lowest common region — the lowest whose subtree holds every region
//      of the matter — its office of the one category, or its government
//      (the lowest common superior itself) for several categories or when
//      no office of that level handles the one (never a level above it);
//      flagged cross_jurisdiction. Repeating
//      the matter's own region or category is not 三跨. A region of another
//      province leaves the matter's own province to lead (the common
//      superior, the State Council, is outside the tree).
//   9. territorial-tiered — the lowest competent office (属地管理、分级负责).
// Rules 6-9 give the competent office of rule 4. A competent township
// government is assigned (交办, assign-to-township), anything else
// transferred (转送). When rules 6-9 name no office, or no bureau free of
// the accused can register the transfer: undecided — TRIAGE at the
// receiving bureau with the reason (Triage()).
//
// The registering office is the bureau that holds the case first: for a
// transfer or assignment, the county bureau of a township or county target
// (a city without counties, 东莞 441900, is its own county) and the target
// region's own bureau for a city or province target; for every other
// disposition the receiving bureau — the bureau of lodged_with's region, or
// else the county bureau of the matter's region. For an accusation no
// bureau that is accused or a member is used: the next one up is.
#ifndef CASERELAY_DOMAIN_ROUTING_ROUTER_H_
#define CASERELAY_DOMAIN_ROUTING_ROUTER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "caserelay/v1/case.pb.h"
#include "caserelay/v1/events.pb.h"
#include "common/region/region_tree.h"
#include "domain/offices/office_directory.h"
#include "domain/routing/matter_key.h"
#include "domain/routing/matter_validation.h"
#include "domain/routing/rules.h"
#include "domain/routing/statutory_routes.h"

namespace caserelay::routing {

// The units and the category the rules name (data/offices).
inline constexpr char kDisciplineUnit[] = "discipline";         // 纪委监委
inline constexpr char kPoliticsLawUnit[] = "politics-law";      // 政法委
inline constexpr char kCourtsLegalCategory[] = "courts-legal";  // 涉法涉诉

// An earlier case of the same petitioner on the same matter (MatterKey).
struct PriorCase {
  std::string case_id;
  caserelay::v1::CaseState state = caserelay::v1::CASE_STATE_UNSPECIFIED;
  std::string holder_office_code;  // the office holding it now
  bool open = false;               // still being handled
  bool terminated = false;         // 信访终结: 复核意见 issued
  bool within_time_limit = false;  // its current deadline has not passed
};

// What Decide() needs: the new petition's matter and the earlier cases of
// the same petitioner identity and the same MatterKey, as the service found
// them (in any order; the first open one is the one linked).
struct RouteInput {
  caserelay::v1::Matter matter;
  std::vector<PriorCase> same_matter;
};

// Thread safety: immutable; Decide() may be called from any number of
// threads at once.
class Router {
 public:
  // `regions`, `offices` and `routes` are not owned and must outlive the
  // router. REQUIRES: `offices` was loaded over `regions`.
  Router(const region::RegionTree* regions,
         const offices::OfficeDirectory* offices,
         const StatutoryRoutes* routes);

  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // The decision for `in` (the rules above). Pure: the same input gives the
  // same decision. A matter the rules cannot place — no office free of the
  // accused up to the province (every discipline office, or every bureau
  // that would register the transfer, accused), or office data with no
  // competent, discipline or politics-law office up to the province — is
  // never refused: it is triaged as Triage() does, with the reason.
  //
  // Fails as ValidateMatter (matter_validation.h), before any rule:
  // INVALID_ARGUMENT naming the field for an unknown value
  // (matter.region_code, matter.category, matter.other_categories[i],
  // matter.lodged_with, matter.accused_offices[i], matter.other_regions[i],
  // matter.statutory_route); FAILED_PRECONDITION naming accused-excluded
  // when every bureau from the receiving one up to the province is accused
  // or a member of an accused government, so no office may even triage it.
  // Prior cases whose holder is not an office are linked, never an error.
  absl::StatusOr<caserelay::v1::RouteDecision> Decide(
      const RouteInput& in) const;

  // undecided (rules.h): TRIAGE at the receiving bureau (matter_validation.h
  // ReceivingBureau), citing `undecided`, plus accused-excluded when an
  // accused bureau was passed over, with `reason` (for the bureau's triage;
  // operators' English) in undecided_reason. For a matter Decide() cannot
  // place, and for a petition that already holds intake's case number but
  // that Decide() refuses (tables that differ from intake's): registered,
  // never dropped. Fails as ReceivingBureau: INVALID_ARGUMENT for an unknown
  // matter.region_code, FAILED_PRECONDITION naming accused-excluded.
  absl::StatusOr<caserelay::v1::RouteDecision> Triage(
      const caserelay::v1::Matter& m, absl::string_view reason) const;

 private:
  // Who handles the matter by rules 6-9.
  struct Competence {
    offices::Office office;
    std::vector<std::string> rules;
    bool cross_jurisdiction = false;
  };

  absl::Status Validate(const caserelay::v1::Matter& m) const;
  absl::StatusOr<Competence> Competent(const caserelay::v1::Matter& m) const;
  absl::StatusOr<Competence> ForAccusation(
      const caserelay::v1::Matter& m) const;
  absl::StatusOr<Competence> ForCourtMatter(
      const caserelay::v1::Matter& m) const;
  // nullopt when the matter spans one region and one category.
  absl::StatusOr<std::optional<Competence>> ForCrossJurisdiction(
      const caserelay::v1::Matter& m) const;
  // The bureau that registers a case transferred or assigned to `target`.
  absl::StatusOr<ChosenBureau> RegisteringBureau(
      const caserelay::v1::Matter& m, const offices::Office& target) const;
  // How many levels the office `upper` is above `lower`: counted along the
  // tree when `upper`'s region contains `lower`'s (河南省 is one above 济源,
  // 东莞市 one above its towns), else by the levels' difference.
  int LevelsAbove(const offices::Office& upper,
                  const offices::Office& lower) const;

  const region::RegionTree* const regions_;        // not owned
  const offices::OfficeDirectory* const offices_;  // not owned
  const StatutoryRoutes* const routes_;            // not owned
};

}  // namespace caserelay::routing

#endif  // CASERELAY_DOMAIN_ROUTING_ROUTER_H_
