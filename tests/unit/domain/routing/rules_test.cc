// domain/routing/rules.h: every rule name has its words (issue 16 item 3
// 登记: "the route routing would take shown before saving (PreviewRoute,
// with the rule each step applied, in words)"), kept in rules.cc only.
#include "domain/routing/rules.h"

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::routing {
namespace {

using ::testing::HasSubstr;

// Each row: a rule of rules.h, the rule it names, and words its text must
// carry (the article or the principle, so the words say that rule).
struct Row {
  const char* name;
  const char* cites;    // where the rule comes from
  const char* carries;  // a part of its words
};

const Row kRows[] = {
    {kRuleStatutoryRoute, "Art. 31 诉访分离", "第三十一条"},
    {kRuleRefusedTerminated, "Art. 36 信访终结", "第三十六条"},
    {kRuleInProgressBelow, "DOMAIN.md Routing: in progress below",
     "下级机关正在"},
    {kRuleRepeatPetition, "DOMAIN.md Routing: 重复信访", "重复信访"},
    {kRuleLevelSkippingVisit, "DOMAIN.md Routing: 越级走访", "越级走访"},
    {kRuleNoResponsibleUnit, "DOMAIN.md Routing: 无头事项", "分办"},
    {kRuleAccusationToDiscipline, "Art. 30 检举控告", "第三十条"},
    {kRuleDisciplineAtAccusedLevel, "DOMAIN.md: 干部管理权限",
     "不低于被检举控告单位层级"},
    {kRuleAccusedExcluded, "Art. 30: never to the accused", "第三十条"},
    {kRuleCourtMattersToPoliticsLaw, "Art. 22(4) 涉法涉诉",
     "第二十二条第四项"},
    {kRuleCrossJurisdiction, "2005 Art. 24 三跨", "共同的上级机关"},
    {kRuleTerritorialTiered, "DOMAIN.md Routing: 属地管理、分级负责",
     "属地管理、分级负责"},
    {kRuleUndecided, "DOMAIN.md Routing: never dropped, triaged", "分办"},
    {kRuleAssignToTownship, "DOMAIN.md Routing: 交办 to a township",
     "交办"},
};

TEST(RuleTextTest, EveryRuleHasItsWords) {
  for (const Row& row : kRows) {
    EXPECT_THAT(std::string(RuleText(row.name)), HasSubstr(row.carries))
        << row.name << " (" << row.cites << ")";
  }
  EXPECT_EQ(RuleText("a-later-rule"), "");
}

// The table above and AllRuleNames cover every name rules.h declares: a
// rule added to the header without words fails here.
TEST(RuleTextTest, EveryNameOfTheHeaderIsListed) {
  std::ifstream in(std::string(CASERELAY_SOURCE_DIR) +
                   "/domain/routing/rules.h");
  ASSERT_TRUE(in) << "rules.h";
  std::stringstream text;
  text << in.rdbuf();
  const std::string header = text.str();
  const std::regex declared(
      R"re(inline constexpr char kRule\w+\[\]\s*=\s*"([^"]+)")re");
  std::vector<std::string> names;
  for (auto it = std::sregex_iterator(header.begin(), header.end(), declared);
       it != std::sregex_iterator(); ++it) {
    names.push_back((*it)[1]);
  }
  ASSERT_EQ(names.size(), std::size(kRows));
  ASSERT_EQ(AllRuleNames().size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(AllRuleNames()[i], names[i]);
    EXPECT_EQ(kRows[i].name, names[i]);
    EXPECT_FALSE(RuleText(names[i]).empty()) << names[i];
  }
}

TEST(RuleTextTest, FillRuleTextsFollowsTheRulesInOrder) {
  v1::RouteDecision decision;
  decision.add_rules(kRuleTerritorialTiered);
  decision.add_rules("a-later-rule");  // shown as it came
  decision.add_rules(kRuleAssignToTownship);
  decision.add_rule_texts("stale");
  FillRuleTexts(&decision);
  ASSERT_EQ(decision.rule_texts_size(), 3);
  EXPECT_EQ(decision.rule_texts(0), RuleText(kRuleTerritorialTiered));
  EXPECT_EQ(decision.rule_texts(1), "a-later-rule");
  EXPECT_EQ(decision.rule_texts(2), RuleText(kRuleAssignToTownship));
}

}  // namespace
}  // namespace caserelay::routing
