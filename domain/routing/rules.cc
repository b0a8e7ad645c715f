#include "domain/routing/rules.h"

#include <string>

namespace caserelay::routing {
namespace {

struct Rule {
  std::string_view name;
  std::string_view text;
};

// The one place of the rules' words (issue 16: the route shown before saving
// "with the rule each step applied, in words"), in the order of rules.h.
constexpr Rule kRules[] = {
    {kRuleStatutoryRoute,
     "诉访分离：属于诉讼、仲裁、行政复议等法定途径的事项，告知信访人依法提出"
     "（《信访工作条例》第三十一条）"},
    {kRuleRefusedTerminated,
     "信访终结：同一事项已经复核终结，不再受理（第三十六条）"},
    {kRuleInProgressBelow,
     "下级机关正在法定期限内办理的事项，上级机关不再受理"},
    {kRuleRepeatPetition, "重复信访：同一事项正在办理，关联到已有事项"},
    {kRuleLevelSkippingVisit,
     "逐级走访：越级走访不予受理，引导到有权处理的机关"},
    {kRuleNoResponsibleUnit, "无明确责任单位：由收到的信访部门分办"},
    {kRuleAccusationToDiscipline,
     "检举控告类事项交纪检监察机关办理（第三十条）"},
    {kRuleDisciplineAtAccusedLevel,
     "由不低于被检举控告单位层级的纪检监察机关办理"},
    {kRuleAccusedExcluded,
     "不交给、也不让被检举控告的单位或个人看到（第三十条）"},
    {kRuleCourtMattersToPoliticsLaw,
     "涉法涉诉事项交同级政法部门（第二十二条第四项）"},
    {kRuleCrossJurisdiction, "跨地区、跨部门事项：由共同的上级机关协调"},
    {kRuleTerritorialTiered,
     "属地管理、分级负责，谁主管、谁负责：交有权处理的最低一级机关"},
    {kRuleUndecided, "规则无法确定承办机关：由收到的信访部门分办"},
    {kRuleAssignToTownship,
     "承办机关是乡镇（街道）政府时交办，并要求报送办结报告"},
};

}  // namespace

const std::vector<std::string_view>& AllRuleNames() {
  static const auto* names = [] {
    auto* v = new std::vector<std::string_view>();
    for (const Rule& r : kRules) v->push_back(r.name);
    return v;
  }();
  return *names;
}

std::string_view RuleText(std::string_view name) {
  for (const Rule& r : kRules) {
    if (r.name == name) return r.text;
  }
  return {};
}

void FillRuleTexts(caserelay::v1::RouteDecision* decision) {
  decision->clear_rule_texts();
  for (const std::string& name : decision->rules()) {
    std::string_view text = RuleText(name);
    decision->add_rule_texts(std::string(text.empty() ? name : text));
  }
}

}  // namespace caserelay::routing
