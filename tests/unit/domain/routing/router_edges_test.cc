// The router's hard edges: an accusation never reaches the accused at any
// level, bad input names its field, decisions are deterministic.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "domain/routing/matter_validation.h"
#include "domain/routing/router.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/routing/routing_fixture.h"

namespace caserelay::routing::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::StatusOr<v1::RouteDecision> Decide(const v1::Matter& matter) {
  RouteInput in;
  in.matter = matter;
  return TheRouter().Decide(in);
}

// DOMAIN.md Classification: accusations are "never routed to, nor visible
// to, the accused person or unit" (Art. 30) — over every township of
// 沁源县 and of 阳高县 (大同), each office of its chain accused alone and
// the township and county governments together, online and as a visit to
// the provincial bureau.
TEST(RouterAccusationTest, AccusationNeverReachesAccusedUnitAtAnyLevel) {
  int checked = 0;
  for (const std::string& county : {kQinyuan, kYanggao}) {
    for (const region::Region* town : Regions().Children(county)) {
      std::vector<std::string> chain = {town->code};
      for (const region::Region* up : Regions().Ancestors(town->code)) {
        if (up->level != region::Level::kProvince) chain.push_back(up->code);
      }
      std::vector<std::vector<std::string>> accused_sets;
      for (const std::string& region : chain) {
        for (const char* unit : {"gov", "bureau", "discipline"}) {
          accused_sets.push_back({region + ":" + unit});
        }
      }
      accused_sets.push_back({Gov(town->code), Gov(county)});
      accused_sets.push_back(
          {Dep(town->code, "discipline"), Dep(county, "discipline")});
      for (const std::vector<std::string>& accused : accused_sets) {
        for (bool visit : {false, true}) {
          v1::Matter matter = M(town->code, "discipline").Accuse({});
          for (const std::string& code : accused) {
            matter.add_accused_offices(code);
          }
          if (visit) {
            matter.set_channel(v1::CHANNEL_VISIT);
            matter.set_lodged_with(Bureau(kShanxi));
          }
          absl::StatusOr<v1::RouteDecision> d = Decide(matter);
          ASSERT_TRUE(d.ok()) << d.status();
          ASSERT_FALSE(d->target_office_code().empty());
          EXPECT_FALSE(
              Offices().IsAccusedOrMember(d->target_office_code(), accused))
              << town->code << " " << accused[0] << " -> "
              << d->target_office_code();
          EXPECT_FALSE(Offices().IsAccusedOrMember(d->registering_office_code(),
                                                   accused))
              << town->code << " " << accused[0] << " registered by "
              << d->registering_office_code();
          EXPECT_THAT(d->rules(), Contains(kRuleAccusationToDiscipline));
          EXPECT_EQ(Offices().Find(d->target_office_code())->unit,
                    kDisciplineUnit);
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 300);
}

TEST(RouterAccusationTest, AccusedProvinceGovernmentLeavesNoDisciplineOffice) {
  // DOMAIN.md Classification (Art. 30): with the province government
  // accused every office of the province is a member; the tree has no
  // office above (中央纪委 is outside it), so routing does not guess a
  // target. DOMAIN.md Routing (无头事项 to the receiving bureau's triage
  // queue) and issue 22 item 3: the matter is still registered, triaged by
  // the receiving bureau (沁源's, not accused) with the reason, never
  // dropped.
  absl::StatusOr<v1::RouteDecision> d =
      Decide(M(kQinhe, "discipline").Accuse({Gov(kShanxi)}));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->disposition(), v1::DISPOSITION_TRIAGE);
  EXPECT_EQ(d->target_office_code(), "");
  EXPECT_EQ(d->registering_office_code(), Bureau(kQinyuan));
  EXPECT_THAT(d->rules(), ElementsAre(kRuleUndecided));
  EXPECT_THAT(d->undecided_reason(), HasSubstr(kRuleAccusedExcluded));
  EXPECT_FALSE(Offices().IsAccusedOrMember(d->registering_office_code(),
                                           {Gov(kShanxi)}));
}

TEST(RouterAccusationTest, NoFreeBureauToRegisterTheTransferIsTriaged) {
  // Art. 30 and issue 22 item 3: the province's discipline commission is
  // free but every bureau from 沁源 up to 山西 is accused, so none may
  // register the transfer; the letter went to 郓城's bureau, which
  // received it and triages it with the reason.
  absl::StatusOr<v1::RouteDecision> d =
      Decide(M(kQinhe, "discipline")
                 .Accuse({Bureau(kQinyuan), Bureau(kChangzhi), Bureau(kShanxi)})
                 .Letter(Bureau(kYuncheng)));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->disposition(), v1::DISPOSITION_TRIAGE);
  EXPECT_EQ(d->registering_office_code(), Bureau(kYuncheng));
  EXPECT_THAT(d->rules(), ElementsAre(kRuleUndecided));
  EXPECT_THAT(d->undecided_reason(), HasSubstr(Dep(kShanxi, "discipline")));
  EXPECT_THAT(d->undecided_reason(), HasSubstr(kRuleAccusedExcluded));
}

TEST(RouterAccusationTest, EveryBureauUpToTheProvinceAccusedIsRefused) {
  // Art. 30: no bureau of the tree may register it, not even to triage:
  // the one refusal left, which intake makes before a case number
  // (ValidateMatter), naming the field and the rule.
  absl::StatusOr<v1::RouteDecision> d =
      Decide(M(kQinhe, "discipline")
                 .Accuse({Gov(kQinyuan), Gov(kChangzhi), Gov(kShanxi)}));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(), HasSubstr("matter.accused_offices: "));
  EXPECT_THAT(d.status().message(), HasSubstr(kRuleAccusedExcluded));
  // The petitioner is told where it can go (messages for people in
  // Chinese).
  EXPECT_THAT(d.status().message(), HasSubstr("请向国家信访局"));
  EXPECT_EQ(
      ValidateMatter(M(kQinhe, "discipline")
                         .Accuse({Gov(kQinyuan), Gov(kChangzhi), Gov(kShanxi)}),
                     Regions(), Offices())
          .code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST(RouterTriageTest, MatterRoutingRefusesIsTriagedWithTheReason) {
  // Issue 22 item 3: a petition that holds intake's case number but whose
  // category routing's tables do not know is registered at the receiving
  // bureau's triage queue, with the reason; not dropped.
  absl::StatusOr<v1::RouteDecision> d = TheRouter().Triage(
      M(kQinhe, "nosuchcategory"), "matter.category: unknown category");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->disposition(), v1::DISPOSITION_TRIAGE);
  EXPECT_EQ(d->registering_office_code(), Bureau(kQinyuan));
  EXPECT_EQ(d->registering_office_name(),
            Offices().Find(Bureau(kQinyuan))->name);
  EXPECT_THAT(d->rules(), ElementsAre(kRuleUndecided));
  EXPECT_EQ(d->undecided_reason(), "matter.category: unknown category");
  // Received at the bureau it was lodged with, when that is an office.
  d = TheRouter().Triage(M(kQinhe, "nosuch").Letter(Bureau(kChangzhi)), "x");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->registering_office_code(), Bureau(kChangzhi));
  // Without a known region there is no receiving bureau.
  EXPECT_EQ(TheRouter().Triage(M("999999", "labour"), "x").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RouterTriageTest, NoCategoryIsValid) {
  // DOMAIN.md Routing: 无头事项 (no identifiable responsible unit) have no
  // category and go to the receiving bureau's triage queue.
  EXPECT_TRUE(ValidateMatter(M(kQinhe, ""), Regions(), Offices()).ok());
  absl::StatusOr<v1::RouteDecision> d = Decide(M(kQinhe, ""));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->disposition(), v1::DISPOSITION_TRIAGE);
  EXPECT_THAT(d->rules(), ElementsAre(kRuleNoResponsibleUnit));
  EXPECT_EQ(d->undecided_reason(), "");
}

TEST(RouterAccusationTest, AccusedTargetOfAClaimIsNotExcluded) {
  // Only accusations (检举控告类) exclude the accused: a claim about the
  // county 人社局's decision is that bureau's to handle.
  absl::StatusOr<v1::RouteDecision> d =
      Decide(M(kQinyuan, "labour").Against({Dep(kQinyuan, "hrss")}));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->target_office_code(), Dep(kQinyuan, "hrss"));
}

struct BadInput {
  std::string name;
  v1::Matter matter;
  std::string field;
};

void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }

class RouterBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(RouterBadInputTest, NamesTheField) {
  const BadInput& c = GetParam();
  absl::StatusOr<v1::RouteDecision> d = Decide(c.matter);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr(c.field + ":"));
}

std::vector<BadInput> BadInputs() {
  v1::Matter bad_route = M(kQinhe, "labour");
  bad_route.set_statutory_route(static_cast<v1::StatutoryRoute>(99));
  return {
      {"UnknownRegion", M("999999", "labour"), "matter.region_code"},
      {"EmptyRegion", M("", "labour"), "matter.region_code"},
      {"UnknownCategory", M(kQinhe, "nope"), "matter.category"},
      {"UnknownOtherCategory",
       M(kQinhe, "labour").OtherCategories({"housing", "nope"}),
       "matter.other_categories[1]"},
      {"UnknownLodgedWithUnit", M(kQinhe, "labour").Letter("140431:nope"),
       "matter.lodged_with"},
      {"MalformedLodgedWith", M(kQinhe, "labour").Visit("bureau"),
       "matter.lodged_with"},
      {"AbsentAccusedOffice",
       M(kQinhe, "discipline").Accuse({Gov(kQinyuan), Dep(kQinhe, "hrss")}),
       "matter.accused_offices[1]"},
      {"MalformedAccusedOffice", M(kQinhe, "discipline").Accuse({"x"}),
       "matter.accused_offices[0]"},
      {"UnknownOtherRegion", M(kQinhe, "labour").OtherRegions({kGuodao, "1"}),
       "matter.other_regions[1]"},
      {"UnknownStatutoryRoute", bad_route, "matter.statutory_route"},
      {"ValidatedBeforeStatutoryRoute",
       M("999999", "labour").Route(v1::STATUTORY_ROUTE_LITIGATION),
       "matter.region_code"},
  };
}

INSTANTIATE_TEST_SUITE_P(Routing, RouterBadInputTest,
                         ::testing::ValuesIn(BadInputs()),
                         [](const ::testing::TestParamInfo<BadInput>& info) {
                           return info.param.name;
                         });

TEST(RouterTest, SameInputGivesTheSameDecision) {
  RouteInput in;
  in.matter = M(kQinhe, "labour").OtherRegions({kLongquan});
  absl::StatusOr<v1::RouteDecision> first = TheRouter().Decide(in);
  absl::StatusOr<v1::RouteDecision> second = TheRouter().Decide(in);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->SerializeAsString(), second->SerializeAsString());
}

TEST(RouterTest, FirstOpenCaseIsTheOneLinked) {
  // DOMAIN.md Routing, 重复信访: linked to the open case, not a closed one.
  RouteInput in;
  in.matter = M(kQinhe, "labour");
  in.same_matter = {Closed("c-1", Gov(kQinhe)), Open("c-2", Gov(kQinhe)),
                    Open("c-3", Gov(kQinhe))};
  absl::StatusOr<v1::RouteDecision> d = TheRouter().Decide(in);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->disposition(), v1::DISPOSITION_LINKED_REPEAT);
  EXPECT_EQ(d->linked_case_id(), "c-2");
}

}  // namespace
}  // namespace caserelay::routing::testing
