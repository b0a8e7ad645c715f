// The routing table of router_test.cc and router_rules_test.cc: one Row
// per petition with the decision the rules require, citing DOMAIN.md.
#ifndef CASERELAY_TESTS_UNIT_DOMAIN_ROUTING_ROUTE_TABLE_H_
#define CASERELAY_TESTS_UNIT_DOMAIN_ROUTING_ROUTE_TABLE_H_

#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "domain/routing/router.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/routing/routing_fixture.h"

namespace caserelay::routing::testing {

// The rules of DOMAIN.md each row checks.
inline const char kArt31[] =
    "DOMAIN.md Classification: statutory route not handled as a petition, "
    "诉访分离 (Art. 31 items 1-5)";
inline const char kTerminated[] =
    "DOMAIN.md Routing: after 复核 the same request is not accepted again, "
    "信访终结 (Art. 36)";
inline const char kInProgress[] =
    "DOMAIN.md Routing: a higher organ does not accept an item in progress "
    "below within its time limit (Arts. 22-24)";
inline const char kRepeat[] =
    "DOMAIN.md Routing: 重复信访 — the same matter in progress is linked to "
    "the open case";
inline const char kSameMatter[] =
    "DOMAIN.md Routing: 重复信访 — what counts as the same matter (MatterKey)";
inline const char kVisit[] =
    "DOMAIN.md Routing: 依法逐级走访 — a visit goes to the competent level or "
    "the one above; 越级走访 is directed to the competent organ";
inline const char kTriage[] =
    "DOMAIN.md Routing: 无头事项 go to the receiving bureau's triage queue";
inline const char kAccusation[] =
    "DOMAIN.md Classification: 检举控告 to 纪检监察, never to the accused "
    "(Art. 30; 2005 Arts. 23, 44)";
inline const char kCourts[] =
    "DOMAIN.md Classification: 涉法涉诉 to the same-level 政法部门 "
    "(Art. 22(4))";
inline const char kCross[] =
    "DOMAIN.md Routing: 三跨 — the lowest common superior decides "
    "(2005 Art. 24)";
inline const char kTerritorial[] =
    "DOMAIN.md Routing: 属地管理、分级负责，谁主管、谁负责 — the lowest "
    "competent organ (Arts. 22-24)";

using D = v1::Disposition;
inline const D kTransfer = v1::DISPOSITION_TRANSFER;
inline const D kAssign = v1::DISPOSITION_ASSIGN;
inline const D kNotAccepted = v1::DISPOSITION_NOT_ACCEPTED;
inline const D kRedirect = v1::DISPOSITION_REDIRECT;
inline const D kLinked = v1::DISPOSITION_LINKED_REPEAT;
inline const D kRefused = v1::DISPOSITION_REFUSED_TERMINATED;
inline const D kTriageD = v1::DISPOSITION_TRIAGE;

inline const std::string kStatutory = kRuleStatutoryRoute;
inline const std::string kRefusedR = kRuleRefusedTerminated;
inline const std::string kInProgressR = kRuleInProgressBelow;
inline const std::string kRepeatR = kRuleRepeatPetition;
inline const std::string kSkip = kRuleLevelSkippingVisit;
inline const std::string kNoUnit = kRuleNoResponsibleUnit;
inline const std::string kToDiscipline = kRuleAccusationToDiscipline;
inline const std::string kAtLevel = kRuleDisciplineAtAccusedLevel;
inline const std::string kExcluded = kRuleAccusedExcluded;
inline const std::string kPoliticsLaw = kRuleCourtMattersToPoliticsLaw;
inline const std::string kCrossR = kRuleCrossJurisdiction;
inline const std::string kTiered = kRuleTerritorialTiered;
inline const std::string kToTownship = kRuleAssignToTownship;

// One row: a petition and the decision the rules require.
struct Row {
  Row(std::string name, std::string rule, v1::Matter matter, D want,
      std::string target, std::string registering,
      std::vector<std::string> rules)
      : name(std::move(name)),
        rule(std::move(rule)),
        matter(std::move(matter)),
        want(want),
        target(std::move(target)),
        registering(std::move(registering)),
        rules(std::move(rules)) {}
  Row& Prior(std::vector<PriorCase> cases) {
    prior = std::move(cases);
    return *this;
  }
  Row& Linked(std::string id) {
    linked = std::move(id);
    return *this;
  }
  Row& Cross() {
    cross = true;
    return *this;
  }
  Row& RouteHas(std::string text) {
    route_has = std::move(text);
    return *this;
  }
  // An open case of `earlier_matter`; it is the row's prior case only if
  // MatterKey says the two are the same matter, as the service looks it up.
  Row& Earlier(v1::Matter earlier_matter, PriorCase earlier_case) {
    earlier = std::make_pair(std::move(earlier_matter), earlier_case);
    return *this;
  }
  // The target's name, when the row pins it.
  Row& TargetName(std::string name) {
    target_name = std::move(name);
    return *this;
  }

  std::string name;
  std::string rule;
  v1::Matter matter;
  D want;
  std::string target;
  std::string registering;
  std::vector<std::string> rules;
  std::vector<PriorCase> prior;
  std::string linked;
  bool cross = false;
  std::string route_has;
  std::optional<std::pair<v1::Matter, PriorCase>> earlier;
  std::string target_name;
};

inline void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

// Rows for rules 1-5 (router_test.cc) and 6-9 (router_rules_test.cc).
std::vector<Row> ProcedureRows();
std::vector<Row> CompetenceRows();

class RouterTableTest : public ::testing::TestWithParam<Row> {};

}  // namespace caserelay::routing::testing

#endif  // CASERELAY_TESTS_UNIT_DOMAIN_ROUTING_ROUTE_TABLE_H_
