// The names of the routing rules (DOMAIN.md "Routing", "Classification"),
// cited in RouteDecision.rules in the order they decided. Stable: stored in
// case histories and counted by supervision. Their words for people
// (RuleText) are in rules.cc, the one place; routing answers them in
// RouteDecision.rule_texts (FillRuleTexts), never stores them.
#ifndef CASERELAY_DOMAIN_ROUTING_RULES_H_
#define CASERELAY_DOMAIN_ROUTING_RULES_H_

#include <string_view>
#include <vector>

#include "caserelay/v1/events.pb.h"

namespace caserelay::routing {

// 诉访分离: a matter with a statutory route (Art. 31 items 1-5) is not
// handled as a petition; the petitioner is told the route.
inline constexpr char kRuleStatutoryRoute[] = "statutory-route";
// 信访终结: the same matter was terminated after 复核 (Art. 36).
inline constexpr char kRuleRefusedTerminated[] = "refused-terminated";
// A higher organ does not accept a matter in progress below within its
// time limit.
inline constexpr char kRuleInProgressBelow[] = "in-progress-below";
// 重复信访: the same matter is open; linked to it.
inline constexpr char kRuleRepeatPetition[] = "repeat-petition";
// 越级走访: a visit more than one level above the competent office.
inline constexpr char kRuleLevelSkippingVisit[] = "level-skipping-visit";
// 无头事项: no identifiable responsible unit; the receiving bureau triages.
inline constexpr char kRuleNoResponsibleUnit[] = "no-responsible-unit";
// 检举控告 go to 纪检监察 (Art. 30).
inline constexpr char kRuleAccusationToDiscipline[] =
    "accusation-to-discipline";
// The discipline office is at least at the level of the accused unit: a
// commission holds to account the units of its own region and below
// (干部管理权限), so an accusation against a county unit is not the
// township's.
inline constexpr char kRuleDisciplineAtAccusedLevel[] =
    "discipline-at-accused-level";
// An accused office, or a member of an accused government, was passed
// over (never routed to, nor registered by, the accused, Art. 30).
inline constexpr char kRuleAccusedExcluded[] = "accused-excluded";
// 涉法涉诉 go to the same-level 政法委 at county level (Art. 22(4)).
inline constexpr char kRuleCourtMattersToPoliticsLaw[] =
    "court-matters-to-politics-law";
// 三跨: several regions or categories; the lowest common superior
// (2005 Art. 24).
inline constexpr char kRuleCrossJurisdiction[] = "cross-jurisdiction";
// 属地管理、分级负责，谁主管、谁负责: the lowest competent office.
inline constexpr char kRuleTerritorialTiered[] = "territorial-tiered";
// The rules could name no office (every discipline office up to the
// province accused, office data without a competent office) or no bureau
// free of the accused to register the transfer, or routing's tables refuse
// a matter intake registered: the receiving bureau triages it, with the
// reason (RouteDecision.undecided_reason); never dropped.
inline constexpr char kRuleUndecided[] = "undecided";
// 交办 rather than 转送 when the target is a township government.
inline constexpr char kRuleAssignToTownship[] = "assign-to-township";

// Every rule name above, in the order of this header.
const std::vector<std::string_view>& AllRuleNames();

// The Chinese words of rule `name` (citing the 《信访工作条例》 article where
// there is one); "" for a name that is not one of the above (a later
// version's name is shown as it came).
std::string_view RuleText(std::string_view name);

// Sets decision->rule_texts to RuleText of each of decision->rules, same
// order (an unknown name: the name itself). For answers only: a stored
// decision carries no rule_texts.
void FillRuleTexts(caserelay::v1::RouteDecision* decision);

}  // namespace caserelay::routing

#endif  // CASERELAY_DOMAIN_ROUTING_RULES_H_
