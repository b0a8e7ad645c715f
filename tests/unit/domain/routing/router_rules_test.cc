// The routing table (route_table.h), rows of rules 6-9: accusations to
// 纪检监察 never the accused (Art. 30), 涉法涉诉 to 政法委 (Art. 22(4)),
// 三跨 to the lowest common superior, and the territorial, tiered rule.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/unit/domain/routing/route_table.h"
#include "tests/unit/domain/routing/routing_fixture.h"

namespace caserelay::routing::testing {
namespace {

std::vector<Row> AccusationRows() {
  return {
      Row("AccusationToTownshipDiscipline", kAccusation,
          M(kQinhe, "discipline").Accuse({}), kTransfer,
          Dep(kQinhe, "discipline"), Bureau(kQinyuan), {kToDiscipline})
          .TargetName("沁河镇纪律检查委员会"),
      Row("AccusedTownshipGovernmentSkipsItsDiscipline", kAccusation,
          M(kQinhe, "discipline").Accuse({Gov(kQinhe)}), kTransfer,
          Dep(kQinyuan, "discipline"), Bureau(kQinyuan),
          {kToDiscipline, kExcluded}),
      Row("AccusedCountyDepartmentGoesToCountyDiscipline", kAccusation,
          M(kQinhe, "housing").Accuse({Dep(kQinyuan, "housing")}), kTransfer,
          Dep(kQinyuan, "discipline"), Bureau(kQinyuan),
          {kToDiscipline, kAtLevel})
          .TargetName("中共沁源县纪律检查委员会 沁源县监察委员会"),
      Row("AccusedCountyGovernmentGoesToCityDiscipline", kAccusation,
          M(kQinhe, "discipline").Accuse({Gov(kQinyuan)}), kTransfer,
          Dep(kChangzhi, "discipline"), Bureau(kChangzhi),
          {kToDiscipline, kAtLevel, kExcluded}),
      Row("AccusedBureauNeverRegistersIt", kAccusation,
          M(kQinyuan, "discipline").Accuse({Bureau(kQinyuan)}), kTransfer,
          Dep(kQinyuan, "discipline"), Bureau(kChangzhi),
          {kToDiscipline, kExcluded}),
      Row("AccusedCityDisciplineGoesToProvince", kAccusation,
          M(kQinhe, "discipline").Accuse({Dep(kChangzhi, "discipline")}),
          kTransfer, Dep(kShanxi, "discipline"), Bureau(kShanxi),
          {kToDiscipline, kAtLevel, kExcluded})
          .TargetName("中共山西省纪律检查委员会 山西省监察委员会"),
      Row("AccusedDatongCountyGoesToDatongDiscipline", kAccusation,
          M(kLongquan, "discipline").Accuse({Gov(kYanggao)}), kTransfer,
          Dep(kDatong, "discipline"), Bureau(kDatong),
          {kToDiscipline, kAtLevel, kExcluded}),
      Row("AccusedDongguanTownGoesToDongguanDiscipline", kAccusation,
          M(kShijie, "discipline").Accuse({Gov(kShijie)}), kTransfer,
          Dep(kDongguan, "discipline"), Bureau(kDongguan),
          {kToDiscipline, kExcluded}),
      Row("AccusedJiyuanPoliceGoesToJiyuanDiscipline", kAccusation,
          M(kKejing, "public-security")
              .Accuse({Dep(kJiyuan, "public-security")}),
          kTransfer, Dep(kJiyuan, "discipline"), Bureau(kJiyuan),
          {kToDiscipline, kAtLevel}),
      Row("AccusedBeijingDistrictGoesToBeijingDiscipline", kAccusation,
          M(kDonghuamen, "discipline").Accuse({Gov(kDongcheng)}), kTransfer,
          Dep(kBeijing, "discipline"), Bureau(kBeijing),
          {kToDiscipline, kAtLevel, kExcluded}),
      Row("AccusationWithStatutoryRouteNotRegisteredByAccused", kAccusation,
          M(kQinhe, "discipline")
              .Accuse({Gov(kQinyuan)})
              .Letter(Bureau(kQinyuan))
              .Route(v1::STATUTORY_ROUTE_PARTY_APPEAL),
          kNotAccepted, "", Bureau(kChangzhi), {kStatutory, kExcluded}),
      Row("AccusationVisitToProvinceIsRedirected", kAccusation,
          M(kQinhe, "housing")
              .Accuse({Dep(kQinyuan, "housing")})
              .Visit(Bureau(kShanxi)),
          kRedirect, Dep(kQinyuan, "discipline"), Bureau(kShanxi),
          {kToDiscipline, kAtLevel, kSkip}),
      Row("AccusationBeatsCrossJurisdiction", kAccusation,
          M(kQinhe, "discipline").Accuse({}).OtherRegions({kLongquan}),
          kTransfer, Dep(kQinhe, "discipline"), Bureau(kQinyuan),
          {kToDiscipline}),
      Row("AccusationBeatsCourtMatters", kAccusation,
          M(kQinhe, "courts-legal").Accuse({}), kTransfer,
          Dep(kQinhe, "discipline"), Bureau(kQinyuan), {kToDiscipline}),
      Row("AccusationWithoutCategoryTriagedAwayFromAccused", kAccusation,
          M(kQinhe, "").Accuse({Gov(kQinyuan)}), kTriageD, "",
          Bureau(kChangzhi), {kNoUnit, kExcluded}),
      Row("AccusedTownshipOfficeDoesNotTriageIt", kAccusation,
          M(kQinhe, "").Accuse({Bureau(kQinhe)}).Letter(Bureau(kQinhe)),
          kTriageD, "", Bureau(kQinyuan), {kNoUnit, kExcluded}),
  };
}

std::vector<Row> CourtAndCrossRows() {
  return {
      Row("CourtMatterToCountyPoliticsLaw", kCourts, M(kQinhe, "courts-legal"),
          kTransfer, Dep(kQinyuan, "politics-law"), Bureau(kQinyuan),
          {kPoliticsLaw})
          .TargetName("中共沁源县委政法委员会"),
      Row("CourtMatterInDongguanToCityPoliticsLaw", kCourts,
          M(kShijie, "courts-legal"), kTransfer, Dep(kDongguan, "politics-law"),
          Bureau(kDongguan), {kPoliticsLaw}),
      Row("CourtMatterAtCityToCityPoliticsLaw", kCourts,
          M(kDatong, "courts-legal"), kTransfer, Dep(kDatong, "politics-law"),
          Bureau(kDatong), {kPoliticsLaw}),
      Row("CourtMatterInYunchengStreet", kCourts, M(kYunzhou, "courts-legal"),
          kTransfer, Dep(kYuncheng, "politics-law"), Bureau(kYuncheng),
          {kPoliticsLaw}),
      Row("CourtMatterBeatsCrossJurisdiction", kCourts,
          M(kQinhe, "courts-legal").OtherCategories({"labour"}), kTransfer,
          Dep(kQinyuan, "politics-law"), Bureau(kQinyuan), {kPoliticsLaw}),
      Row("TwoTownshipsOneCategoryToCounty", kCross,
          M(kQinhe, "labour").OtherRegions({kGuodao}), kTransfer,
          Dep(kQinyuan, "hrss"), Bureau(kQinyuan), {kCrossR})
          .Cross(),
      Row("TwoCitiesToProvince", kCross,
          M(kQinhe, "labour").OtherRegions({kLongquan}), kTransfer,
          Dep(kShanxi, "hrss"), Bureau(kShanxi), {kCrossR})
          .Cross()
          .TargetName("山西省人力资源和社会保障厅"),
      Row("TwoCategoriesInATownshipAssigned", kCross,
          M(kQinhe, "labour").OtherCategories({"housing"}), kAssign,
          Gov(kQinhe), Bureau(kQinyuan), {kCrossR, kToTownship})
          .Cross(),
      Row("TwoCategoriesTwoTownshipsToCountyGovernment", kCross,
          M(kQinhe, "labour")
              .OtherRegions({kZhongyu})
              .OtherCategories({"housing"}),
          kTransfer, Gov(kQinyuan), Bureau(kQinyuan), {kCrossR})
          .Cross(),
      Row("TwoCountiesOfDatongToDatong", kCross,
          M(kYongtai, "labour").OtherRegions({kLongquan}), kTransfer,
          Dep(kDatong, "hrss"), Bureau(kDatong), {kCrossR})
          .Cross(),
      // Two townships of 沁源: the county is their lowest common superior;
      // with no county environment office its government decides, not
      // 长治市生态环境局 a level above (issue 13 item 5).
      Row("CrossTownshipEnvironmentToCountyGovernment", kCross,
          M(kQinhe, "environment").OtherRegions({kGuodao}), kTransfer,
          Gov(kQinyuan), Bureau(kQinyuan), {kCrossR})
          .Cross(),
      Row("CrossCountyEnvironmentToCity", kCross,
          M(kQinyuan, "environment").OtherRegions({"140403"}), kTransfer,
          Dep(kChangzhi, "environment"), Bureau(kChangzhi), {kCrossR})
          .Cross(),
      Row("OtherProvinceLeftToTheMattersProvince", kCross,
          M(kQinhe, "labour").OtherRegions({kYunzhou}), kTransfer,
          Dep(kShanxi, "hrss"), Bureau(kShanxi), {kCrossR})
          .Cross(),
      Row("SameRegionAndCategoryRepeatedIsNotCross", kCross,
          M(kQinhe, "labour")
              .OtherRegions({kQinhe})
              .OtherCategories({"labour"}),
          kAssign, Gov(kQinhe), Bureau(kQinyuan), {kTiered, kToTownship}),
      Row("TwoDongguanTownsToDongguan", kCross,
          M(kShijie, "labour").OtherRegions({kDongchengDG}), kTransfer,
          Dep(kDongguan, "hrss"), Bureau(kDongguan), {kCrossR})
          .Cross(),
      Row("TwoBeijingStreetsToTheDistrict", kCross,
          M(kDonghuamen, "labour").OtherRegions({kJingshan}), kTransfer,
          Dep(kDongcheng, "hrss"), Bureau(kDongcheng), {kCrossR})
          .Cross(),
  };
}

std::vector<Row> TerritorialRows() {
  return {
      Row("TownshipLabourAssignedToTownship", kTerritorial, M(kQinhe, "labour"),
          kAssign, Gov(kQinhe), Bureau(kQinyuan), {kTiered, kToTownship})
          .TargetName("沁河镇人民政府"),
      Row("CountyLabourToCountyHrss", kTerritorial, M(kQinyuan, "labour"),
          kTransfer, Dep(kQinyuan, "hrss"), Bureau(kQinyuan), {kTiered})
          .TargetName("沁源县人力资源和社会保障局"),
      Row("TownshipPoliceToCountyPolice", kTerritorial,
          M(kQinhe, "public-security"), kTransfer,
          Dep(kQinyuan, "public-security"), Bureau(kQinyuan), {kTiered}),
      Row("CountyEnvironmentToCityBureau", kTerritorial,
          M(kQinyuan, "environment"), kTransfer, Dep(kChangzhi, "environment"),
          Bureau(kChangzhi), {kTiered}),
      Row("JiyuanEnvironmentToProvince", kTerritorial,
          M(kJiyuan, "environment"), kTransfer, Dep(kHenan, "environment"),
          Bureau(kHenan), {kTiered}),
      Row("CityLabourToCityHrss", kTerritorial, M(kChangzhi, "labour"),
          kTransfer, Dep(kChangzhi, "hrss"), Bureau(kChangzhi), {kTiered}),
      Row("ProvinceLabourToProvinceHrss", kTerritorial, M(kShanxi, "labour"),
          kTransfer, Dep(kShanxi, "hrss"), Bureau(kShanxi), {kTiered}),
      Row("SuggestionToTownshipGovernment", kTerritorial,
          M(kZhongyu, "suggestion").Class(v1::MATTER_CLASS_SUGGESTION), kAssign,
          Gov(kZhongyu), Bureau(kQinyuan), {kTiered, kToTownship})
          .TargetName("中峪乡人民政府"),
      Row("DongguanTownHousingAssigned", kTerritorial, M(kShijie, "housing"),
          kAssign, Gov(kShijie), Bureau(kDongguan), {kTiered, kToTownship}),
      Row("DongguanCityHousing", kTerritorial, M(kDongguan, "housing"),
          kTransfer, Dep(kDongguan, "housing"), Bureau(kDongguan), {kTiered}),
      Row("DongguanStreetPoliceToCityPolice", kTerritorial,
          M(kDongchengDG, "public-security"), kTransfer,
          Dep(kDongguan, "public-security"), Bureau(kDongguan), {kTiered}),
      Row("YunchengStreetAssignedToItsOffice", kTerritorial,
          M(kYunzhou, "labour"), kAssign, Gov(kYunzhou), Bureau(kYuncheng),
          {kTiered, kToTownship})
          .TargetName("郓州街道办事处"),
      Row("YunchengTownLand", kTerritorial, M(kHuangan, "land"), kAssign,
          Gov(kHuangan), Bureau(kYuncheng), {kTiered, kToTownship}),
      Row("BeijingStreetAssigned", kTerritorial, M(kDonghuamen, "labour"),
          kAssign, Gov(kDonghuamen), Bureau(kDongcheng),
          {kTiered, kToTownship}),
      Row("BeijingStreetPoliceToDistrict", kTerritorial,
          M(kDonghuamen, "public-security"), kTransfer,
          Dep(kDongcheng, "public-security"), Bureau(kDongcheng), {kTiered}),
      Row("JiyuanTownAssigned", kTerritorial, M(kKejing, "labour"), kAssign,
          Gov(kKejing), Bureau(kJiyuan), {kTiered, kToTownship}),
      Row("DisciplineClaimToTownshipDiscipline", kTerritorial,
          M(kQinhe, "discipline"), kTransfer, Dep(kQinhe, "discipline"),
          Bureau(kQinyuan), {kTiered}),
      Row("DatongTownAssigned", kTerritorial, M(kXinrong, "labour"), kAssign,
          Gov(kXinrong), Bureau("140212"), {kTiered, kToTownship}),
      Row("DatongStreetEducationAssigned", kTerritorial,
          M(kYongtai, "education"), kAssign, Gov(kYongtai), Bureau(kPingcheng),
          {kTiered, kToTownship}),
      Row("DevelopmentZoneTownshipAssigned", kTerritorial,
          M(kQinyuanZone, "labour"), kAssign, Gov(kQinyuanZone),
          Bureau(kQinyuan), {kTiered, kToTownship})
          .TargetName("沁源经济技术开发区管理委员会"),
      Row("CountyLevelZoneDepartment", kTerritorial, M(kDatongZone, "labour"),
          kTransfer, Dep(kDatongZone, "hrss"), Bureau(kDatongZone), {kTiered}),
  };
}

}  // namespace

std::vector<Row> CompetenceRows() {
  std::vector<Row> rows;
  for (auto part : {AccusationRows, CourtAndCrossRows, TerritorialRows}) {
    for (Row& row : part()) rows.push_back(std::move(row));
  }
  return rows;
}

INSTANTIATE_TEST_SUITE_P(Competence, RouterTableTest,
                         ::testing::ValuesIn(CompetenceRows()),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return info.param.name;
                         });

}  // namespace caserelay::routing::testing
