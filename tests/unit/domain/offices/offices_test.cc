// OfficeDirectory over the committed data: names, levels and kinds, Find's
// errors, the 依法分类处理清单, review (Arts. 35-36), supervision and the
// accused (Art. 30).
#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "domain/offices/office_directory.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/offices/offices_fixture.h"

namespace caserelay::offices::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using C = absl::StatusCode;

// ---------------------------------------------------------------------------
// Names, levels and kinds of generated offices.

struct NameCase {
  std::string code;
  std::string name;
  region::Level level;
  OfficeKind kind;
  std::string rule;
};

void PrintTo(const NameCase& c, std::ostream* os) { *os << c.code; }

class OfficeNameTest : public ::testing::TestWithParam<NameCase> {};

TEST_P(OfficeNameTest, FindGeneratesNameLevelAndKind) {
  const NameCase& c = GetParam();
  absl::StatusOr<Office> office = Offices().Find(c.code);
  ASSERT_TRUE(office.ok()) << c.rule << ": " << office.status();
  EXPECT_EQ(office->code, c.code) << c.rule;
  EXPECT_EQ(office->name, c.name) << c.rule;
  EXPECT_EQ(office->level, c.level) << c.rule;
  EXPECT_EQ(office->kind, c.kind) << c.rule;
  EXPECT_EQ(office->region_code, c.code.substr(0, c.code.find(':')));
  EXPECT_EQ(office->unit, c.code.substr(c.code.find(':') + 1));
}

using L = region::Level;
using K = OfficeKind;
const NameCase kNameCases[] = {
    {"140431:hrss", "沁源县人力资源和社会保障局", L::kCounty, K::kDepartment,
     "department = region name + county-level unit name"},
    {"140400:hrss", "长治市人力资源和社会保障局", L::kCity, K::kDepartment,
     "city-level unit name"},
    {"140000:hrss", "山西省人力资源和社会保障厅", L::kProvince, K::kDepartment,
     "province-level departments are 厅"},
    {"110000:hrss", "北京市人力资源和社会保障局", L::kProvince, K::kDepartment,
     "a 直辖市 names its departments like a city (局, not 厅)"},
    {"110000:education", "北京市教育委员会", L::kProvince, K::kDepartment,
     "直辖市 education is a 教育委员会"},
    {"110000:bureau", "北京市信访办公室", L::kProvince, K::kBureau,
     "直辖市 petition bureau is the 信访办公室"},
    {"140000:bureau", "山西省信访局", L::kProvince, K::kBureau,
     "overrides.tsv: the real 山西省信访局"},
    {"140431:bureau", "沁源县信访局", L::kCounty, K::kBureau,
     "county petition bureau 信访局"},
    {"140431100:bureau", "沁河镇信访办", L::kTownship, K::kBureau,
     "township petition office 信访办"},
    {"140431100:gov", "沁河镇人民政府", L::kTownship, K::kGovernment,
     "a 镇 has a 人民政府"},
    {"140431200:gov", "中峪乡人民政府", L::kTownship, K::kGovernment,
     "a 乡 has a 人民政府"},
    {"371725001:gov", "郓州街道办事处", L::kTownship, K::kGovernment,
     "a 街道 has an 办事处"},
    {"110101001:gov", "东华门街道办事处", L::kTownship, K::kGovernment,
     "a 街道 of a municipality district"},
    {"441900101:gov", "石碣镇人民政府", L::kTownship, K::kGovernment,
     "a town of 东莞 (city without counties)"},
    {"140431400:gov", "沁源经济技术开发区管理委员会", L::kTownship,
     K::kGovernment, "a township-level development zone has a 管委会"},
    {"140271:gov", "山西大同经济开发区管理委员会", L::kCounty, K::kGovernment,
     "a county-level development zone has a 管委会"},
    {"152200:gov", "兴安盟行政公署", L::kCity, K::kGovernment,
     "a 盟 has a 行政公署"},
    {"140431:gov", "沁源县人民政府", L::kCounty, K::kGovernment,
     "county people's government"},
    {"110101:gov", "东城区人民政府", L::kCounty, K::kGovernment,
     "a municipality district's people's government"},
    {"419001:gov", "济源市人民政府", L::kCounty, K::kGovernment,
     "province-administered county 济源"},
    {"441900:gov", "东莞市人民政府", L::kCity, K::kGovernment,
     "city without counties"},
    {"140000:gov", "山西省人民政府", L::kProvince, K::kGovernment,
     "province people's government"},
    {"140431:discipline", "中共沁源县纪律检查委员会 沁源县监察委员会",
     L::kCounty, K::kDepartment, "overrides.tsv: 纪委监委 carries both names"},
    {"140431100:discipline", "沁河镇纪律检查委员会", L::kTownship,
     K::kDepartment, "townships have a 纪委"},
    {"140431:politics-law", "中共沁源县委政法委员会", L::kCounty,
     K::kDepartment, "overrides.tsv: party political-legal committee"},
    {"419001:politics-law", "济源市政法委员会", L::kCounty, K::kDepartment,
     "generated politics-law name"},
    {"140400:environment", "长治市生态环境局", L::kCity, K::kDepartment,
     "city environment bureau"},
};

INSTANTIATE_TEST_SUITE_P(Offices, OfficeNameTest,
                         ::testing::ValuesIn(kNameCases));

// ---------------------------------------------------------------------------
// Find's errors.

struct FindErrorCase {
  std::string code;
  absl::StatusCode want;
  std::string why;
};

void PrintTo(const FindErrorCase& c, std::ostream* os) { *os << c.code; }

class FindErrorTest : public ::testing::TestWithParam<FindErrorCase> {};

TEST_P(FindErrorTest, ReturnsTheSpecificCode) {
  const FindErrorCase& c = GetParam();
  absl::StatusOr<Office> office = Offices().Find(c.code);
  EXPECT_EQ(office.status().code(), c.want) << c.why << ": " << office.status();
}

const FindErrorCase kFindErrors[] = {
    {"", C::kInvalidArgument, "empty"},
    {"140431", C::kInvalidArgument, "no unit"},
    {"140431:", C::kInvalidArgument, "empty unit"},
    {":hrss", C::kInvalidArgument, "no region"},
    {"14043:hrss", C::kInvalidArgument, "5-digit region"},
    {"1404310001:gov", C::kInvalidArgument, "10-digit region"},
    {"14043a:gov", C::kInvalidArgument, "non-digit region"},
    {"140431:HRSS", C::kInvalidArgument, "upper-case unit"},
    {"140431:hrss:x", C::kInvalidArgument, "two colons"},
    {"140431:-hrss", C::kInvalidArgument, "unit starting with '-'"},
    {"140431:hrss-", C::kInvalidArgument, "unit ending with '-'"},
    {"999999:gov", C::kNotFound, "unknown region"},
    {"140431999:gov", C::kNotFound, "unknown township"},
    {"140431:nope", C::kNotFound, "unknown unit"},
    {"140431100:hrss", C::kNotFound, "人社 has no township office"},
    {"140431100:politics-law", C::kNotFound, "政法委 has no township office"},
    {"140431:environment", C::kNotFound,
     "environment has no county office (vertical reform)"},
};

INSTANTIATE_TEST_SUITE_P(Offices, FindErrorTest,
                         ::testing::ValuesIn(kFindErrors));

TEST(OfficeDirectoryTest, FindNamesTheMissingUnitAndLevel) {
  absl::StatusOr<Office> office = Offices().Find("140431100:hrss");
  EXPECT_THAT(office.status().message(), HasSubstr("township"));
  EXPECT_THAT(office.status().message(), HasSubstr("hrss"));
}

TEST(OfficeDirectoryTest, BureauAndGovernmentExistForEveryRegion) {
  const region::Region* town = Regions().Find("441900003");
  ASSERT_NE(town, nullptr);
  EXPECT_EQ(Offices().Bureau(*town).code, "441900003:bureau");
  EXPECT_EQ(Offices().Bureau(*town).name, "东城街道信访办");
  EXPECT_EQ(Offices().Government(*town).name, "东城街道办事处");
  EXPECT_EQ(Offices().Government(*town).kind, OfficeKind::kGovernment);
}

TEST(OfficeDirectoryTest, CategoriesListTheClassificationTable) {
  EXPECT_THAT(
      Offices().Categories(),
      IsSupersetOf({"labour", "housing", "land", "agriculture", "environment",
                    "health", "education", "civil-affairs", "transport",
                    "public-security", "market", "discipline", "courts-legal",
                    "suggestion"}));
  std::vector<std::string> sorted = Offices().Categories();
  EXPECT_TRUE(std::is_sorted(sorted.begin(), sorted.end()));
  EXPECT_TRUE(Offices().IsCategory("labour"));
  EXPECT_FALSE(Offices().IsCategory("Labour"));
  EXPECT_FALSE(Offices().IsCategory(""));
  EXPECT_EQ(Offices().CategoryName("courts-legal"), "涉法涉诉");
  EXPECT_EQ(Offices().CategoryName("nope"), "");
}

// ---------------------------------------------------------------------------
// Competent and LowestCompetent: the 依法分类处理清单 and 属地管理、分级负责.

struct CompetentCase {
  std::string category;
  std::string region;
  std::string exact;   // Competent(): office code, or "" for NOT_FOUND
  std::string lowest;  // LowestCompetent()
  std::string rule;
};

void PrintTo(const CompetentCase& c, std::ostream* os) {
  *os << c.category << "@" << c.region;
}

class CompetentTest : public ::testing::TestWithParam<CompetentCase> {};

TEST_P(CompetentTest, FindsTheHandlingOffice) {
  const CompetentCase& c = GetParam();
  absl::StatusOr<Office> exact = Offices().Competent(c.category, c.region);
  if (c.exact.empty()) {
    EXPECT_EQ(exact.status().code(), C::kNotFound) << c.rule;
  } else {
    ASSERT_TRUE(exact.ok()) << c.rule << ": " << exact.status();
    EXPECT_EQ(exact->code, c.exact) << c.rule;
  }
  absl::StatusOr<Office> lowest =
      Offices().LowestCompetent(c.category, c.region);
  ASSERT_TRUE(lowest.ok()) << c.rule << ": " << lowest.status();
  EXPECT_EQ(lowest->code, c.lowest) << c.rule;
}

const CompetentCase kCompetentCases[] = {
    {"labour", "140431", "140431:hrss", "140431:hrss",
     "labour at county: 人社局"},
    {"labour", "140431100", "140431100:gov", "140431100:gov",
     "labour at township: the township government (属地管理)"},
    {"public-security", "140431100", "", "140431:public-security",
     "no township police office: the county 公安局"},
    {"public-security", "110101001", "", "110101:public-security",
     "municipality district's 公安分局 level"},
    {"environment", "140431", "", "140400:environment",
     "no county environment bureau: the city's"},
    {"environment", "419001", "", "410000:environment",
     "济源 hangs off the province: the provincial 生态环境厅"},
    {"environment", "140431100", "140431100:gov", "140431100:gov",
     "township environment matters: the township government"},
    {"courts-legal", "441900101", "", "441900:politics-law",
     "东莞 town: the city's 政法委 is the county-level one"},
    {"discipline", "140431100", "140431100:discipline", "140431100:discipline",
     "townships have a 纪委"},
    {"suggestion", "140000", "140000:gov", "140000:gov",
     "suggestions: the people's government"},
    {"housing", "110000", "110000:housing", "110000:housing",
     "municipality housing (住建委)"},
};

INSTANTIATE_TEST_SUITE_P(Offices, CompetentTest,
                         ::testing::ValuesIn(kCompetentCases));

TEST(OfficeDirectoryTest, CompetentRejectsUnknownCategoryAndRegion) {
  EXPECT_EQ(Offices().Competent("nope", "140431").status().code(),
            C::kInvalidArgument);
  EXPECT_EQ(Offices().Competent("labour", "999999").status().code(),
            C::kInvalidArgument);
  EXPECT_EQ(Offices().LowestCompetent("nope", "140431").status().code(),
            C::kInvalidArgument);
  EXPECT_EQ(Offices().LowestCompetent("labour", "").status().code(),
            C::kInvalidArgument);
}

// ---------------------------------------------------------------------------
// ReviewOfficeOf: Regulation Arts. 35-36.

TEST(OfficeDirectoryTest, ReviewChainRunsUpThroughGovernments) {
  // Township gov -> county gov -> city gov -> province gov -> State Council.
  std::vector<std::string> chain;
  std::string code = "140431100:gov";
  for (;;) {
    absl::StatusOr<Office> reviewer = Offices().ReviewOfficeOf(code);
    if (!reviewer.ok()) {
      EXPECT_EQ(reviewer.status().code(), C::kNotFound);
      break;
    }
    chain.push_back(reviewer->code);
    code = reviewer->code;
    ASSERT_LT(chain.size(), 5u);
  }
  EXPECT_EQ(chain, (std::vector<std::string>{"140431:gov", "140400:gov",
                                             "140000:gov"}));
}

struct ReviewCase {
  std::string office;
  std::string reviewer;  // "" for NOT_FOUND
  std::string rule;
};

void PrintTo(const ReviewCase& c, std::ostream* os) { *os << c.office; }

class ReviewOfficeTest : public ::testing::TestWithParam<ReviewCase> {};

TEST_P(ReviewOfficeTest, FindsTheReviewer) {
  const ReviewCase& c = GetParam();
  absl::StatusOr<Office> reviewer = Offices().ReviewOfficeOf(c.office);
  if (c.reviewer.empty()) {
    EXPECT_EQ(reviewer.status().code(), C::kNotFound) << c.rule;
    return;
  }
  ASSERT_TRUE(reviewer.ok()) << c.rule << ": " << reviewer.status();
  EXPECT_EQ(reviewer->code, c.reviewer) << c.rule;
  EXPECT_EQ(reviewer->kind, OfficeKind::kGovernment) << c.rule;
}

const ReviewCase kReviewCases[] = {
    {"140431:hrss", "140431:gov", "Art. 35: a department -> 本级人民政府"},
    {"140431100:discipline", "140431100:gov",
     "Art. 35: a township department -> the township government"},
    {"140431:bureau", "140400:gov",
     "Art. 35: a bureau -> the parent region's government"},
    {"441900101:gov", "441900:gov", "东莞 town -> the city government"},
    {"441900:gov", "440000:gov", "city -> province"},
    {"419001:gov", "410000:gov", "济源 -> 河南省人民政府"},
    {"110101:gov", "110000:gov", "北京 district -> 北京市人民政府"},
    {"140000:hrss", "140000:gov", "a provincial 厅 -> 省人民政府"},
    {"140000:gov", "", "the State Council is outside the tree"},
    {"140000:bureau", "", "the State Council is outside the tree"},
};

INSTANTIATE_TEST_SUITE_P(Offices, ReviewOfficeTest,
                         ::testing::ValuesIn(kReviewCases));

TEST(OfficeDirectoryTest, ReviewOfficeOfPassesOnFindErrors) {
  EXPECT_EQ(Offices().ReviewOfficeOf("x").status().code(), C::kInvalidArgument);
  EXPECT_EQ(Offices().ReviewOfficeOf("140431100:hrss").status().code(),
            C::kNotFound);
}

TEST(OfficeDirectoryTest, ReviewOrgansOfADepartmentAreItsGovernmentAndItsLine) {
  // Issue 23 item 6: "原办理机关、单位的上一级机关、单位" (Art. 35) of a county
  // department is the county government or the department of the same line
  // one level up; of a government or bureau, the government one level up.
  struct Row {
    const char* rule;
    const char* office;
    std::vector<std::string> organs;  // in order
  };
  const Row rows[] = {
      {"Art. 35: 沁源县人社局 -> 沁源县人民政府 or 长治市人社局", "140431:hrss",
       {"140431:gov", "140400:hrss"}},
      {"Art. 36: 长治市人社局 (the reviewer) -> 长治市人民政府 or 山西省人社厅",
       "140400:hrss", {"140400:gov", "140000:hrss"}},
      {"Art. 35: a provincial 厅 -> 省人民政府 only (no line above in the tree)",
       "140000:hrss", {"140000:gov"}},
      {"Art. 35: a township's department -> the township government, or the "
       "county's department of that line where the county has one",
       "140431100:discipline", {"140431100:gov", "140431:discipline"}},
      {"Art. 35: a government -> the government one level up only",
       "140431:gov", {"140400:gov"}},
      {"Art. 35: a bureau -> the parent region's government only",
       "140431:bureau", {"140400:gov"}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    absl::StatusOr<std::vector<ReviewOrgan>> organs =
        Offices().ReviewOrgansOf(row.office);
    ASSERT_TRUE(organs.ok()) << organs.status();
    std::vector<std::string> codes;
    for (const ReviewOrgan& organ : *organs) {
      codes.push_back(organ.office.code);
      EXPECT_THAT(organ.rule, ::testing::HasSubstr("Arts. 35-36"));
    }
    EXPECT_EQ(codes, row.organs);
    EXPECT_EQ(organs->front().office.code,
              Offices().ReviewOfficeOf(row.office)->code);
  }
  EXPECT_EQ(Offices().ReviewOrgansOf("140000:gov").status().code(),
            C::kNotFound);
  EXPECT_EQ(Offices().ReviewOrgansOf("x").status().code(),
            C::kInvalidArgument);
}

// ---------------------------------------------------------------------------
// Supervises: superiors read their subtree.

struct SuperviseCase {
  std::string reader;
  std::string office;
  bool want;
  std::string rule;
};

void PrintTo(const SuperviseCase& c, std::ostream* os) {
  *os << c.reader << " over " << c.office;
}

class SupervisesTest : public ::testing::TestWithParam<SuperviseCase> {};

TEST_P(SupervisesTest, Decides) {
  const SuperviseCase& c = GetParam();
  EXPECT_EQ(Offices().Supervises(c.reader, c.office), c.want) << c.rule;
}

const SuperviseCase kSuperviseCases[] = {
    {"140431:bureau", "140431100:gov", true, "county bureau over a township"},
    {"140431:bureau", "140431:hrss", true, "bureau over its own region"},
    {"140431:gov", "140431:hrss", true, "government over its departments"},
    {"140400:bureau", "140431100:gov", true, "city bureau two levels down"},
    {"140000:gov", "140431100:bureau", true, "province over everything"},
    {"140431:bureau", "140431:bureau", true, "itself"},
    {"140431:hrss", "140431100:gov", false, "departments supervise nothing"},
    {"140431:discipline", "140431:hrss", false,
     "discipline is a department here"},
    {"140431:bureau", "140400:hrss", false, "not upwards"},
    {"140200:bureau", "140431:hrss", false, "not a sibling city's subtree"},
    {"140431:bureau", "bad", false, "malformed office"},
    {"bad", "140431:hrss", false, "malformed reader"},
    {"140431:bureau", "140431100:hrss", false, "absent office"},
};

INSTANTIATE_TEST_SUITE_P(Offices, SupervisesTest,
                         ::testing::ValuesIn(kSuperviseCases));

// ---------------------------------------------------------------------------
// IsAccusedOrMember: Art. 30.

TEST(OfficeDirectoryTest, AccusedGovernmentHasItsRegionsOfficesAsMembers) {
  const std::vector<std::string> accused = {"140431:gov"};
  EXPECT_TRUE(Offices().IsAccusedOrMember("140431:gov", accused));
  EXPECT_TRUE(Offices().IsAccusedOrMember("140431:hrss", accused));
  EXPECT_TRUE(Offices().IsAccusedOrMember("140431:bureau", accused));
  EXPECT_TRUE(Offices().IsAccusedOrMember("140431:discipline", accused));
  EXPECT_FALSE(Offices().IsAccusedOrMember("140431100:gov", accused));
  EXPECT_FALSE(Offices().IsAccusedOrMember("140400:gov", accused));
  EXPECT_FALSE(Offices().IsAccusedOrMember("140400:discipline", accused));
}

TEST(OfficeDirectoryTest, AccusedDepartmentIsOnlyItself) {
  const std::vector<std::string> accused = {"140431:housing"};
  EXPECT_TRUE(Offices().IsAccusedOrMember("140431:housing", accused));
  EXPECT_FALSE(Offices().IsAccusedOrMember("140431:hrss", accused));
  EXPECT_FALSE(Offices().IsAccusedOrMember("140431:gov", accused));
  EXPECT_FALSE(Offices().IsAccusedOrMember("140400:housing", accused));
  EXPECT_FALSE(Offices().IsAccusedOrMember("140431:housing", {}));
}

TEST(OfficeDirectoryTest, AccusedBureauIsOnlyItself) {
  const std::vector<std::string> accused = {"140431:bureau", "bad"};
  EXPECT_TRUE(Offices().IsAccusedOrMember("140431:bureau", accused));
  EXPECT_FALSE(Offices().IsAccusedOrMember("140431:gov", accused));
  EXPECT_TRUE(Offices().IsAccusedOrMember("bad", accused));
}

}  // namespace
}  // namespace caserelay::offices::testing
