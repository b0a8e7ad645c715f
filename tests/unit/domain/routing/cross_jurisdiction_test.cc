// 三跨 (DOMAIN.md "Routing"): a matter spanning several regions goes to
// their lowest common superior (2005 Art. 24) — the lowest region whose
// subtree holds every region of the matter — at every pair of levels:
// township+township, county+county, city+city, across provinces, and
// mixed levels; in either order and with more than two regions.
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/routing/route_table.h"
#include "tests/unit/domain/routing/routing_fixture.h"

namespace caserelay::routing::testing {
namespace {

using ::testing::Contains;

// Further real regions of data/regions/regions.tsv.
const std::string kLuzhou = "140403";        // 潞州区 (长治市)
const std::string kMachang = "140403103";    // 潞州区马厂镇
const std::string kTaiyuan = "140100";       // 太原市
const std::string kHeze = "371700";          // 菏泽市 (山东)
const std::string kShandong = "370000";      // 山东省
const std::string kZhengzhou = "410100";     // 郑州市 (河南)
const std::string kXicheng = "110102";       // 北京市西城区
const std::string kXichangan = "110102001";  // 西长安街街道 (西城区)

struct Span {
  std::string name;
  std::string region;                   // the matter's own region
  std::vector<std::string> others;      // Matter.other_regions
  std::vector<std::string> categories;  // category, then other_categories
  std::string target;                   // the competent office
  std::string common;                   // the lowest common superior
};

void PrintTo(const Span& s, std::ostream* os) { *os << s.name; }

std::vector<Span> Spans() {
  return {
      // township + township
      {"TownshipsOfOneCounty",
       kQinhe,
       {kGuodao},
       {"labour"},
       Dep(kQinyuan, "hrss"),
       kQinyuan},
      {"ThreeTownshipsOfOneCounty",
       kQinhe,
       {kGuodao, kZhongyu},
       {"labour"},
       Dep(kQinyuan, "hrss"),
       kQinyuan},
      {"TownshipsOfTwoCountiesOfOneCity",
       kQinhe,
       {kMachang},
       {"labour"},
       Dep(kChangzhi, "hrss"),
       kChangzhi},
      {"TownshipsOfTwoCities",
       kQinhe,
       {kLongquan},
       {"labour"},
       Dep(kShanxi, "hrss"),
       kShanxi},
      {"TownshipsOfTwoProvinces",
       kQinhe,
       {kYunzhou},
       {"labour"},
       Dep(kShanxi, "hrss"),
       kShanxi},
      {"TownsOfACityWithoutCounties",
       kShijie,
       {kDongchengDG},
       {"labour"},
       Dep(kDongguan, "hrss"),
       kDongguan},
      {"StreetsOfOneBeijingDistrict",
       kDonghuamen,
       {kJingshan},
       {"labour"},
       Dep(kDongcheng, "hrss"),
       kDongcheng},
      {"StreetsOfTwoBeijingDistricts",
       kDonghuamen,
       {kXichangan},
       {"labour"},
       Dep(kBeijing, "hrss"),
       kBeijing},
      {"TownshipsOfOneCountyTwoCategories",
       kQinhe,
       {kGuodao},
       {"labour", "housing"},
       Gov(kQinyuan),
       kQinyuan},
      // county + county
      {"CountiesOfOneCity",
       kQinyuan,
       {kLuzhou},
       {"labour"},
       Dep(kChangzhi, "hrss"),
       kChangzhi},
      {"CountiesOfTwoCities",
       kQinyuan,
       {kYanggao},
       {"labour"},
       Dep(kShanxi, "hrss"),
       kShanxi},
      {"CountiesOfOneCityOfDatong",
       kPingcheng,
       {kYanggao},
       {"labour"},
       Dep(kDatong, "hrss"),
       kDatong},
      {"CountiesOfTwoProvinces",
       kQinyuan,
       {kYuncheng},
       {"labour"},
       Dep(kShanxi, "hrss"),
       kShanxi},
      {"BeijingDistricts",
       kDongcheng,
       {kXicheng},
       {"labour"},
       Dep(kBeijing, "hrss"),
       kBeijing},
      {"JiyuanAndACityOfHenan",
       kJiyuan,
       {kZhengzhou},
       {"labour"},
       Dep(kHenan, "hrss"),
       kHenan},
      {"CountiesOfOneCityTwoCategories",
       kQinyuan,
       {kLuzhou},
       {"labour", "land"},
       Gov(kChangzhi),
       kChangzhi},
      // city + city
      {"CitiesOfOneProvince",
       kChangzhi,
       {kDatong},
       {"labour"},
       Dep(kShanxi, "hrss"),
       kShanxi},
      {"ThreeCitiesOfOneProvince",
       kChangzhi,
       {kDatong, kTaiyuan},
       {"labour"},
       Dep(kShanxi, "hrss"),
       kShanxi},
      {"CitiesOfTwoProvinces",
       kChangzhi,
       {kHeze},
       {"labour"},
       Dep(kShanxi, "hrss"),
       kShanxi},
      {"TwoProvinces",
       kShanxi,
       {kShandong},
       {"labour"},
       Dep(kShanxi, "hrss"),
       kShanxi},
      // mixed levels
      {"TownshipAndItsCounty",
       kQinhe,
       {kQinyuan},
       {"labour"},
       Dep(kQinyuan, "hrss"),
       kQinyuan},
      {"CountyAndItsTownship",
       kQinyuan,
       {kQinhe},
       {"labour"},
       Dep(kQinyuan, "hrss"),
       kQinyuan},
      {"TownshipAndAnotherCountyOfItsCity",
       kQinhe,
       {kLuzhou},
       {"labour"},
       Dep(kChangzhi, "hrss"),
       kChangzhi},
      {"CountyAndATownshipOfAnotherCounty",
       kLuzhou,
       {kQinhe},
       {"labour"},
       Dep(kChangzhi, "hrss"),
       kChangzhi},
      {"TownshipAndItsCity",
       kQinhe,
       {kChangzhi},
       {"labour"},
       Dep(kChangzhi, "hrss"),
       kChangzhi},
      {"TownshipAndAnotherCity",
       kQinhe,
       {kDatong},
       {"labour"},
       Dep(kShanxi, "hrss"),
       kShanxi},
      {"CountyAndItsCity",
       kQinyuan,
       {kChangzhi},
       {"labour"},
       Dep(kChangzhi, "hrss"),
       kChangzhi},
      {"CityAndACountyOfIt",
       kChangzhi,
       {kQinyuan},
       {"labour"},
       Dep(kChangzhi, "hrss"),
       kChangzhi},
      {"CountyAndAnotherCity",
       kQinyuan,
       {kDatong},
       {"labour"},
       Dep(kShanxi, "hrss"),
       kShanxi},
      {"CityAndItsProvince",
       kChangzhi,
       {kShanxi},
       {"labour"},
       Dep(kShanxi, "hrss"),
       kShanxi},
      {"TownshipCountyAndTownshipOfOneCounty",
       kQinhe,
       {kQinyuan, kGuodao},
       {"labour"},
       Dep(kQinyuan, "hrss"),
       kQinyuan},
      {"TownshipOfACityWithoutCountiesAndTheCity",
       kShijie,
       {kDongguan},
       {"labour"},
       Dep(kDongguan, "hrss"),
       kDongguan},
      {"JiyuanTownAndJiyuan",
       kKejing,
       {kJiyuan},
       {"labour"},
       Dep(kJiyuan, "hrss"),
       kJiyuan},
      {"TownshipAndItsCountyTwoCategories",
       kQinhe,
       {kQinyuan},
       {"labour", "housing"},
       Gov(kQinyuan),
       kQinyuan},
      // a category with no office at the common level: that level's
      // government decides, never the next level's office
      {"EnvironmentTownshipsOfOneCounty",
       kQinhe,
       {kGuodao},
       {"environment"},
       Gov(kQinyuan),
       kQinyuan},
      {"EnvironmentTownshipAndItsCounty",
       kQinhe,
       {kQinyuan},
       {"environment"},
       Gov(kQinyuan),
       kQinyuan},
      {"EnvironmentCountiesOfOneCity",
       kQinyuan,
       {kLuzhou},
       {"environment"},
       Dep(kChangzhi, "environment"),
       kChangzhi},
      {"EnvironmentTownshipsOfTwoCounties",
       kQinhe,
       {kMachang},
       {"environment"},
       Dep(kChangzhi, "environment"),
       kChangzhi},
      {"PoliceTownshipsOfOneCounty",
       kQinhe,
       {kGuodao},
       {"public-security"},
       Dep(kQinyuan, "public-security"),
       kQinyuan},
      {"PoliceStreetsOfTwoBeijingDistricts",
       kDonghuamen,
       {kXichangan},
       {"public-security"},
       Dep(kBeijing, "public-security"),
       kBeijing},
  };
}

class CrossJurisdictionTest : public ::testing::TestWithParam<Span> {};

TEST_P(CrossJurisdictionTest, GoesToTheLowestCommonSuperior) {
  const Span& s = GetParam();
  M builder(s.region, s.categories.front());
  for (const std::string& other : s.others) builder.OtherRegions({other});
  for (size_t i = 1; i < s.categories.size(); ++i) {
    builder.OtherCategories({s.categories[i]});
  }
  absl::StatusOr<v1::RouteDecision> d = TheRouter().Decide({builder, {}});
  ASSERT_TRUE(d.ok()) << kCross << ": " << d.status();
  EXPECT_EQ(d->target_office_code(), s.target) << kCross << "\n"
                                               << d->DebugString();
  EXPECT_EQ(Offices().Find(d->target_office_code())->region_code, s.common)
      << kCross;
  EXPECT_TRUE(d->cross_jurisdiction()) << kCross;
  EXPECT_THAT(d->rules(), Contains(kCrossR)) << kCross;
}

INSTANTIATE_TEST_SUITE_P(LevelPairs, CrossJurisdictionTest,
                         ::testing::ValuesIn(Spans()),
                         [](const ::testing::TestParamInfo<Span>& info) {
                           return info.param.name;
                         });

// The lowest common superior by its definition: the first region up from
// `a` (itself included) whose subtree holds `b`; for another province, the
// matter's own province leads (router.h rule 8).
std::string ByDefinition(const std::string& a, const std::string& b) {
  std::vector<std::string> up = {a};
  for (const region::Region* r : Regions().Ancestors(a)) up.push_back(r->code);
  for (const std::string& c : up) {
    if (Regions().IsWithin(b, c)) return c;
  }
  return up.back();
}

TEST(CrossJurisdictionPropertyTest, EveryPairOfTwoCitiesStaysAtTheirLevel) {
  // DOMAIN.md Routing: 三跨 — the lowest common superior decides (2005
  // Art. 24). Every ordered pair of 长治 and 大同, their counties and three
  // townships of each county, for a category every level handles, one
  // without a county office (environment) and one without a township
  // office (public-security): the office is always of the common region.
  std::vector<std::string> sample;
  for (const std::string& city : {kChangzhi, kDatong}) {
    sample.push_back(city);
    for (const region::Region* county : Regions().Children(city)) {
      sample.push_back(county->code);
      std::vector<const region::Region*> towns =
          Regions().Children(county->code);
      for (size_t i = 0; i < towns.size() && i < 3; ++i) {
        sample.push_back(towns[i]->code);
      }
    }
  }
  int checked = 0;
  for (const char* category : {"labour", "environment", "public-security"}) {
    for (const std::string& a : sample) {
      for (const std::string& b : sample) {
        if (a == b) continue;
        absl::StatusOr<v1::RouteDecision> d =
            TheRouter().Decide({M(a, category).OtherRegions({b}), {}});
        ASSERT_TRUE(d.ok())
            << kCross << ": " << a << " " << b << " " << d.status();
        absl::StatusOr<offices::Office> target =
            Offices().Find(d->target_office_code());
        ASSERT_TRUE(target.ok()) << target.status();
        EXPECT_EQ(target->region_code, ByDefinition(a, b))
            << kCross << ": " << category << " " << a << " + " << b;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 10000);
}

}  // namespace
}  // namespace caserelay::routing::testing
