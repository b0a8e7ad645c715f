// The routing rules (DOMAIN.md "Classification", "Routing") as one table
// over real regions: each row is a petition and the decision the rules
// require, citing the rule and its article. This file: the test, and the
// rows of rules 1-5 (statutory routes, 信访终结, repeats and items in
// progress below, the same matter, 越级走访, 无头事项).
#include "domain/routing/router.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/routing/route_table.h"
#include "tests/unit/domain/routing/routing_fixture.h"

namespace caserelay::routing::testing {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

std::vector<Row> StatutoryRows() {
  return {
      Row("LitigationTold", kArt31,
          M(kQinhe, "labour").Route(v1::STATUTORY_ROUTE_LITIGATION),
          kNotAccepted, "", Bureau(kQinyuan), {kStatutory})
          .RouteHas("请依法向人民法院提起诉讼"),
      Row("ArbitrationTold", kArt31,
          M(kLongquan, "labour").Route(v1::STATUTORY_ROUTE_ARBITRATION),
          kNotAccepted, "", Bureau(kYanggao), {kStatutory})
          .RouteHas("仲裁"),
      Row("AdminReviewTold", kArt31,
          M(kYunzhou, "land").Route(v1::STATUTORY_ROUTE_ADMIN_REVIEW),
          kNotAccepted, "", Bureau(kYuncheng), {kStatutory})
          .RouteHas("行政复议"),
      Row("AdminRulingToldInDongguan", kArt31,
          M(kShijie, "land").Route(v1::STATUTORY_ROUTE_ADMIN_RULING),
          kNotAccepted, "", Bureau(kDongguan), {kStatutory})
          .RouteHas("行政裁决"),
      Row("PartyAppealToldInJiyuan", kArt31,
          M(kKejing, "discipline").Route(v1::STATUTORY_ROUTE_PARTY_APPEAL),
          kNotAccepted, "", Bureau(kJiyuan), {kStatutory})
          .RouteHas("申诉"),
      Row("StatutoryRouteBeatsLevelSkipping", kArt31,
          M(kQinhe, "labour")
              .Visit(Bureau(kShanxi))
              .Route(v1::STATUTORY_ROUTE_LITIGATION),
          kNotAccepted, "", Bureau(kShanxi), {kStatutory}),
      Row("StatutoryRouteBeatsTermination", kArt31,
          M(kQinhe, "labour").Route(v1::STATUTORY_ROUTE_LITIGATION),
          kNotAccepted, "", Bureau(kQinyuan), {kStatutory})
          .Prior({Terminated("c-1", Gov(kQinyuan))}),
  };
}

std::vector<Row> PriorCaseRows() {
  return {
      Row("TerminatedRefused", kTerminated, M(kQinhe, "labour"), kRefused, "",
          Bureau(kQinyuan), {kRefusedR})
          .Prior({Terminated("c-1", Gov(kQinyuan))})
          .Linked("c-1")
          .RouteHas("终结"),
      Row("TerminationBeatsOpenCase", kTerminated, M(kQinhe, "labour"),
          kRefused, "", Bureau(kQinyuan), {kRefusedR})
          .Prior({Open("c-2", Dep(kQinyuan, "hrss")),
                  Terminated("c-1", Gov(kQinyuan))})
          .Linked("c-1"),
      Row("TerminatedRefusedByTheBureauWritten", kTerminated,
          M(kDonghuamen, "labour").Letter(Bureau(kBeijing)), kRefused, "",
          Bureau(kBeijing), {kRefusedR})
          .Prior({Terminated("c-9", Gov(kDongcheng))})
          .Linked("c-9"),
      Row("ClosedCaseDoesNotBlockANewOne", kRepeat, M(kQinhe, "labour"),
          kAssign, Gov(kQinhe), Bureau(kQinyuan), {kTiered, kToTownship})
          .Prior({Closed("c-0", Gov(kQinhe))}),
      Row("InProgressBelowNotAcceptedAbove", kInProgress,
          M(kQinyuan, "labour").Letter(Bureau(kChangzhi)), kNotAccepted,
          Dep(kQinyuan, "hrss"), Bureau(kChangzhi), {kInProgressR})
          .Prior({Open("c-2", Dep(kQinyuan, "hrss"))})
          .Linked("c-2")
          .RouteHas("沁源县人力资源和社会保障局"),
      Row("OverdueBelowIsLinkedNotTurnedAway", kInProgress,
          M(kQinyuan, "labour").Letter(Bureau(kChangzhi)), kLinked, "",
          Bureau(kChangzhi), {kRepeatR})
          .Prior({Open("c-2", Dep(kQinyuan, "hrss"), false)})
          .Linked("c-2"),
      Row("SameLevelIsARepeat", kRepeat,
          M(kQinyuan, "labour").Letter(Bureau(kQinyuan)), kLinked, "",
          Bureau(kQinyuan), {kRepeatR})
          .Prior({Open("c-2", Dep(kQinyuan, "hrss"))})
          .Linked("c-2"),
      Row("NotLodgedIsARepeat", kRepeat, M(kQinyuan, "labour"), kLinked, "",
          Bureau(kQinyuan), {kRepeatR})
          .Prior({Open("c-2", Dep(kQinyuan, "hrss"))})
          .Linked("c-2"),
      Row("VisitToCountyAboutTownshipCase", kInProgress,
          M(kQinhe, "labour").Visit(Gov(kQinyuan)), kNotAccepted, Gov(kQinhe),
          Bureau(kQinyuan), {kInProgressR})
          .Prior({Open("c-3", Gov(kQinhe))})
          .Linked("c-3")
          .RouteHas("沁河镇人民政府"),
      Row("LodgedBelowTheHolderIsARepeat", kRepeat,
          M(kQinyuan, "labour").Letter(Bureau(kQinyuan)), kLinked, "",
          Bureau(kQinyuan), {kRepeatR})
          .Prior({Open("c-4", Dep(kChangzhi, "hrss"))})
          .Linked("c-4"),
      Row("UnknownHolderIsLinkedNotAnError", kRepeat,
          M(kQinyuan, "labour").Letter(Bureau(kChangzhi)), kLinked, "",
          Bureau(kChangzhi), {kRepeatR})
          .Prior({Open("c-5", "routing")})
          .Linked("c-5"),
      Row("ProvinceDoesNotTakeDongguanTownCase", kInProgress,
          M(kShijie, "housing").Letter(Bureau(kGuangdong)), kNotAccepted,
          Gov(kShijie), Bureau(kGuangdong), {kInProgressR})
          .Prior({Closed("c-6", Gov(kShijie)), Open("c-7", Gov(kShijie))})
          .Linked("c-7"),
      Row("OpenCaseBeatsTriage", kRepeat, M(kQinhe, ""), kLinked, "",
          Bureau(kQinyuan), {kRepeatR})
          .Prior({Open("c-8", Bureau(kQinyuan))})
          .Linked("c-8"),
  };
}

std::vector<Row> SameMatterRows() {
  const v1::Matter earlier = M(kQinhe, "labour");
  const PriorCase open = Open("c-base", Gov(kQinhe));
  const v1::Matter earlier_accused =
      M(kQinhe, "labour").Against({Dep(kQinyuan, "hrss"), Gov(kQinhe)});
  return {
      Row("SameMatterOtherWordsAndChannelIsARepeat", kSameMatter,
          M(kQinhe, "labour")
              .Words("又来反映", "换个说法")
              .Channel(v1::CHANNEL_PHONE),
          kLinked, "", Bureau(kQinyuan), {kRepeatR})
          .Earlier(earlier, open)
          .Linked("c-base"),
      Row("SameMatterSpanningMoreIsStillARepeat", kSameMatter,
          M(kQinhe, "labour").OtherRegions({kGuodao}), kLinked, "",
          Bureau(kQinyuan), {kRepeatR})
          .Earlier(earlier, open)
          .Linked("c-base"),
      Row("OtherTownshipIsANewMatter", kSameMatter, M(kGuodao, "labour"),
          kAssign, Gov(kGuodao), Bureau(kQinyuan), {kTiered, kToTownship})
          .Earlier(earlier, open),
      Row("CountyInsteadOfTownshipIsANewMatter", kSameMatter,
          M(kQinyuan, "labour"), kTransfer, Dep(kQinyuan, "hrss"),
          Bureau(kQinyuan), {kTiered})
          .Earlier(earlier, open),
      Row("OtherCategoryIsANewMatter", kSameMatter, M(kQinhe, "housing"),
          kAssign, Gov(kQinhe), Bureau(kQinyuan), {kTiered, kToTownship})
          .Earlier(earlier, open),
      Row("OtherClassIsANewMatter", kSameMatter,
          M(kQinhe, "labour").Class(v1::MATTER_CLASS_SUGGESTION), kAssign,
          Gov(kQinhe), Bureau(kQinyuan), {kTiered, kToTownship})
          .Earlier(earlier, open),
      Row("OtherAccusedSetIsANewMatter", kSameMatter,
          M(kQinhe, "labour").Against({Dep(kQinyuan, "hrss")}), kAssign,
          Gov(kQinhe), Bureau(kQinyuan), {kTiered, kToTownship})
          .Earlier(earlier_accused, open),
      Row("AccusedInAnyOrderIsTheSameMatter", kSameMatter,
          M(kQinhe, "labour")
              .Against({Gov(kQinhe), Dep(kQinyuan, "hrss"), Gov(kQinhe)}),
          kLinked, "", Bureau(kQinyuan), {kRepeatR})
          .Earlier(earlier_accused, open)
          .Linked("c-base"),
      Row("SameMatterTerminatedIsRefused", kSameMatter, M(kQinhe, "labour"),
          kRefused, "", Bureau(kQinyuan), {kRefusedR})
          .Earlier(earlier, Terminated("c-end", Gov(kQinyuan)))
          .Linked("c-end"),
  };
}

std::vector<Row> VisitRows() {
  return {
      Row("VisitOneLevelUpIsAccepted", kVisit,
          M(kQinhe, "labour").Visit(Bureau(kQinyuan)), kAssign, Gov(kQinhe),
          Bureau(kQinyuan), {kTiered, kToTownship}),
      Row("VisitTwoLevelsUpIsRedirected", kVisit,
          M(kQinhe, "labour").Visit(Bureau(kChangzhi)), kRedirect, Gov(kQinhe),
          Bureau(kChangzhi), {kTiered, kSkip})
          .RouteHas("沁河镇人民政府"),
      Row("VisitToProvinceIsRedirected", kVisit,
          M(kQinhe, "labour").Visit(Gov(kShanxi)), kRedirect, Gov(kQinhe),
          Bureau(kShanxi), {kTiered, kSkip}),
      Row("LetterToProvinceIsNotLevelSkipping", kVisit,
          M(kQinhe, "labour").Letter(Bureau(kShanxi)), kAssign, Gov(kQinhe),
          Bureau(kQinyuan), {kTiered, kToTownship}),
      Row("VisitCityAboutCountyMatterIsAccepted", kVisit,
          M(kQinyuan, "labour").Visit(Dep(kChangzhi, "hrss")), kTransfer,
          Dep(kQinyuan, "hrss"), Bureau(kQinyuan), {kTiered}),
      Row("VisitProvinceAboutCountyMatterIsRedirected", kVisit,
          M(kQinyuan, "labour").Visit(Bureau(kShanxi)), kRedirect,
          Dep(kQinyuan, "hrss"), Bureau(kShanxi), {kTiered, kSkip}),
      Row("VisitAtTheCompetentLevelIsAccepted", kVisit,
          M(kQinhe, "labour").Visit(Bureau(kQinhe)), kAssign, Gov(kQinhe),
          Bureau(kQinyuan), {kTiered, kToTownship}),
      Row("ProvinceIsOneAboveJiyuan", kVisit,
          M(kJiyuan, "labour").Visit(Bureau(kHenan)), kTransfer,
          Dep(kJiyuan, "hrss"), Bureau(kJiyuan), {kTiered}),
      Row("ProvinceIsTwoAboveAJiyuanTown", kVisit,
          M(kKejing, "labour").Visit(Bureau(kHenan)), kRedirect, Gov(kKejing),
          Bureau(kHenan), {kTiered, kSkip}),
      Row("DongguanIsOneAboveItsTowns", kVisit,
          M(kShijie, "labour").Visit(Bureau(kDongguan)), kAssign, Gov(kShijie),
          Bureau(kDongguan), {kTiered, kToTownship}),
      Row("GuangdongIsTwoAboveADongguanTown", kVisit,
          M(kShijie, "labour").Visit(Bureau(kGuangdong)), kRedirect,
          Gov(kShijie), Bureau(kGuangdong), {kTiered, kSkip}),
      Row("BeijingIsTwoAboveAStreet", kVisit,
          M(kDonghuamen, "labour").Visit(Bureau(kBeijing)), kRedirect,
          Gov(kDonghuamen), Bureau(kBeijing), {kTiered, kSkip})
          .RouteHas("东华门街道办事处"),
      Row("BeijingIsOneAboveADistrict", kVisit,
          M(kDongcheng, "labour").Visit(Dep(kBeijing, "hrss")), kTransfer,
          Dep(kDongcheng, "hrss"), Bureau(kDongcheng), {kTiered}),
      Row("VisitToAnotherCityCountsLevels", kVisit,
          M(kQinhe, "labour").Visit(Bureau(kDatong)), kRedirect, Gov(kQinhe),
          Bureau(kDatong), {kTiered, kSkip}),
      Row("CourtMatterVisitToProvinceIsRedirected", kVisit,
          M(kQinhe, "courts-legal").Visit(Bureau(kShanxi)), kRedirect,
          Dep(kQinyuan, "politics-law"), Bureau(kShanxi),
          {kPoliticsLaw, kSkip}),
  };
}

std::vector<Row> TriageRows() {
  return {
      Row("NoCategoryTriagedByCountyBureau", kTriage, M(kQinhe, ""), kTriageD,
          "", Bureau(kQinyuan), {kNoUnit}),
      Row("NoCategoryTriagedWhereLodged", kTriage,
          M(kDongchengDG, "").Letter(Bureau(kDongguan)), kTriageD, "",
          Bureau(kDongguan), {kNoUnit}),
      Row("NoCategoryVisitIsTriagedNotRedirected", kTriage,
          M(kYongtai, "").Visit(Bureau(kShanxi)), kTriageD, "", Bureau(kShanxi),
          {kNoUnit}),
      Row("NoCategoryCityMatterTriagedByCityBureau", kTriage, M(kDatong, ""),
          kTriageD, "", Bureau(kDatong), {kNoUnit}),
      Row("NoCategoryAtTownshipOfficeTriagedThere", kTriage,
          M(kHuangan, "").Letter(Gov(kHuangan)), kTriageD, "", Bureau(kHuangan),
          {kNoUnit}),
  };
}

}  // namespace

std::vector<Row> ProcedureRows() {
  std::vector<Row> rows;
  for (auto part :
       {StatutoryRows, PriorCaseRows, SameMatterRows, VisitRows, TriageRows}) {
    for (Row& row : part()) rows.push_back(std::move(row));
  }
  return rows;
}

namespace {

TEST_P(RouterTableTest, DecidesAsTheRulesRequire) {
  const Row& row = GetParam();
  RouteInput in;
  in.matter = row.matter;
  in.same_matter = row.prior;
  if (row.earlier.has_value() &&
      MatterKey(row.earlier->first) == MatterKey(row.matter)) {
    in.same_matter.push_back(row.earlier->second);
  }
  absl::StatusOr<v1::RouteDecision> d = TheRouter().Decide(in);
  ASSERT_TRUE(d.ok()) << row.rule << ": " << d.status();
  EXPECT_EQ(d->disposition(), row.want) << row.rule << "\n" << d->DebugString();
  EXPECT_EQ(d->target_office_code(), row.target) << row.rule;
  EXPECT_EQ(d->registering_office_code(), row.registering) << row.rule;
  EXPECT_THAT(d->rules(), ElementsAreArray(row.rules)) << row.rule;
  EXPECT_EQ(d->linked_case_id(), row.linked) << row.rule;
  EXPECT_EQ(d->cross_jurisdiction(), row.cross) << row.rule;
  // Each refusal names its own ground (不予受理的理由), not 诉访分离 for all.
  auto has = [&](const std::string& rule) {
    return std::find(row.rules.begin(), row.rules.end(), rule) !=
           row.rules.end();
  };
  v1::RefusalGround ground = v1::REFUSAL_GROUND_UNSPECIFIED;
  if (has(kStatutory)) ground = v1::REFUSAL_GROUND_STATUTORY_ROUTE;
  if (has(kInProgressR)) ground = v1::REFUSAL_GROUND_IN_PROGRESS_BELOW;
  if (has(kRefusedR)) ground = v1::REFUSAL_GROUND_TERMINATED;
  if (has(kSkip)) ground = v1::REFUSAL_GROUND_LEVEL_SKIPPING;
  EXPECT_EQ(d->refusal_ground(), ground) << row.rule;
  if (!row.route_has.empty()) {
    EXPECT_THAT(d->route(), HasSubstr(row.route_has)) << row.rule;
  }
  if (!row.target_name.empty()) {
    EXPECT_EQ(d->target_office_name(), row.target_name) << row.rule;
  }
  // Names always match the codes.
  if (!row.target.empty()) {
    EXPECT_EQ(d->target_office_name(), Offices().Find(row.target)->name);
  } else {
    EXPECT_EQ(d->target_office_name(), "");
  }
  EXPECT_EQ(d->registering_office_name(),
            Offices().Find(row.registering)->name);
  // Turned away means told why; handled means nothing to tell.
  const bool told = row.want == kNotAccepted || row.want == kRedirect ||
                    row.want == kRefused || row.want == kLinked;
  EXPECT_EQ(d->route().empty(), !told) << row.rule << ": " << d->route();
}

INSTANTIATE_TEST_SUITE_P(Procedure, RouterTableTest,
                         ::testing::ValuesIn(ProcedureRows()),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return info.param.name;
                         });

TEST(RouterTableSizeTest, TableHasAtLeastSixtyRows) {
  EXPECT_GE(ProcedureRows().size() + CompetenceRows().size(), 60u);
}

}  // namespace
}  // namespace caserelay::routing::testing
