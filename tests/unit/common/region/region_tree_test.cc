// Tests of caserelay::region::RegionTree on the committed
// data/regions/regions.tsv (DOMAIN.md "Regions", china-division 2.7.0).
#include "common/region/region_tree.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::region {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kRegionsPath[] =
    CASERELAY_SOURCE_DIR "/data/regions/regions.tsv";

// The codes of `regions`, for readable assertions.
std::vector<std::string> Codes(const std::vector<const Region*>& regions) {
  std::vector<std::string> codes;
  for (const Region* region : regions) codes.push_back(region->code);
  return codes;
}

// The code of `region`, or "null".
std::string CodeOrNull(const Region* region) {
  return region == nullptr ? "null" : region->code;
}

class RegionTreeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    absl::StatusOr<std::unique_ptr<RegionTree>> tree =
        RegionTree::Load(kRegionsPath);
    const double cpu_ms = 1000.0 * (std::clock() - cpu_start) / CLOCKS_PER_SEC;
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(tree.ok()) << tree.status();
    tree_ = tree->release();
    // Measured, not asserted (a loaded machine stretches the wall time):
    // start-up wants this well under a second.
    std::printf(
        "[   INFO   ] loaded %zu regions from %s in %.1f ms (%.1f ms CPU)\n",
        tree_->size(), kRegionsPath,
        std::chrono::duration<double, std::milli>(elapsed).count(), cpu_ms);
  }
  static void TearDownTestSuite() {
    delete tree_;
    tree_ = nullptr;
  }

  static const RegionTree* tree_;
};

const RegionTree* RegionTreeTest::tree_ = nullptr;

TEST_F(RegionTreeTest, CountsPerLevelMatchThePackageMinusPseudoRegions) {
  // china-division 2.7.0 has 31/342/2978/41352; the tree drops its 9
  // pseudo-cities (市辖区, 县, 省直辖县级行政区划) and the 4 pseudo-counties of
  // cities without counties (data/regions/README.md).
  std::map<Level, int> counts;
  std::ifstream in(kRegionsPath);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    ASSERT_EQ(fields.size(), 4u) << line;
    const Region* region = tree_->Find(fields[0]);
    ASSERT_NE(region, nullptr) << fields[0];
    ++counts[region->level];
  }
  EXPECT_EQ(counts[Level::kProvince], 31);
  EXPECT_EQ(counts[Level::kCity], 333);
  EXPECT_EQ(counts[Level::kCounty], 2974);
  EXPECT_EQ(counts[Level::kTownship], 41352);
  EXPECT_EQ(tree_->size(), 44690u);
}

TEST_F(RegionTreeTest, ProvincesAreTheThirtyOneRootsInCodeOrder) {
  // DOMAIN.md "Regions": the province is the top of the tree; the portal's
  // region picker starts from them (issue 15 item 2).
  std::vector<const Region*> provinces = tree_->Provinces();
  ASSERT_EQ(provinces.size(), 31u);
  EXPECT_EQ(provinces.front()->code, "110000");
  EXPECT_EQ(provinces.front()->name, "北京市");
  EXPECT_EQ(provinces.back()->code, "650000");
  for (size_t i = 0; i < provinces.size(); ++i) {
    EXPECT_EQ(provinces[i]->level, Level::kProvince) << provinces[i]->code;
    EXPECT_TRUE(provinces[i]->parent_code.empty()) << provinces[i]->code;
    if (i > 0) {
      EXPECT_LT(provinces[i - 1]->code, provinces[i]->code);
    }
  }
}

struct FindRow {
  const char* code;
  const char* name;
  Level level;
  const char* parent_code;
  const char* why;
};

TEST_F(RegionTreeTest, FindReturnsNameLevelAndRealParent) {
  const FindRow rows[] = {
      {"140000", "山西省", Level::kProvince, "", "a province"},
      {"140200", "大同市", Level::kCity, "140000", "a city of 山西"},
      {"140431", "沁源县", Level::kCounty, "140400", "a county of 长治市"},
      {"140431100", "沁河镇", Level::kTownship, "140431", "a town of 沁源县"},
      {"371725", "郓城县", Level::kCounty, "371700", "a county of 菏泽市"},
      {"441900", "东莞市", Level::kCity, "440000", "city without counties"},
      {"441900101", "石碣镇", Level::kTownship, "441900",
       "town of 东莞 hangs off the city"},
      {"620201001", "雄关街道", Level::kTownship, "620200",
       "嘉峪关's towns hang off the city despite their 620201 prefix"},
      {"419001", "济源市", Level::kCounty, "410000",
       "province-administered county (PP90xx): parent is the province"},
      {"429004", "仙桃市", Level::kCounty, "420000", "PP90xx of 湖北"},
      {"469002", "琼海市", Level::kCounty, "460000", "PP90xx of 海南"},
      {"659001", "石河子市", Level::kCounty, "650000", "PP90xx of 新疆"},
      {"110101", "东城区", Level::kCounty, "110000",
       "municipality district: parent is the municipality"},
      {"500229", "城口县", Level::kCounty, "500000",
       "重庆 county, not under the pseudo-city 5002 县"},
  };
  for (const FindRow& row : rows) {
    SCOPED_TRACE(row.why);
    const Region* region = tree_->Find(row.code);
    ASSERT_NE(region, nullptr) << row.code;
    EXPECT_EQ(region->code, row.code);
    EXPECT_EQ(region->name, row.name);
    EXPECT_EQ(region->level, row.level);
    EXPECT_EQ(region->parent_code, row.parent_code);
  }
}

TEST_F(RegionTreeTest, FindReturnsNullForUnknownAndPseudoRegions) {
  for (const char* code : {"", "14", "999999", "140431999", "110100", "500200",
                           "419000", "429000", "469000", "659000", "620201"}) {
    EXPECT_EQ(tree_->Find(code), nullptr) << code;
  }
}

TEST_F(RegionTreeTest, AncestorsRunFromParentUpToProvince) {
  EXPECT_THAT(Codes(tree_->Ancestors("140431100")),
              ElementsAre("140431", "140400", "140000"));
  EXPECT_THAT(Codes(tree_->Ancestors("441900101")),
              ElementsAre("441900", "440000"));
  EXPECT_THAT(Codes(tree_->Ancestors("419001001")),
              ElementsAre("419001", "410000"));
  EXPECT_THAT(Codes(tree_->Ancestors("140200")), ElementsAre("140000"));
  EXPECT_THAT(tree_->Ancestors("140000"), IsEmpty());
  EXPECT_THAT(tree_->Ancestors("999999"), IsEmpty());
}

TEST_F(RegionTreeTest, CountyOfIsTheCountyLevelPetitionBureauRegion) {
  const struct {
    const char* code;
    const char* county;
    const char* why;
  } rows[] = {
      {"140431", "140431", "a county is its own county"},
      {"140431100", "140431", "a township's county is its parent"},
      {"441900101", "441900", "东莞 town: the city without counties"},
      {"620201001", "620200", "嘉峪关 town: the city without counties"},
      {"419001", "419001", "province-administered county is a county"},
      {"419001001", "419001", "town of 济源"},
      {"110101001", "110101", "town of a 北京 district"},
      {"140400", "null", "a city has no county"},
      {"441900", "null", "a city without counties is still a city"},
      {"140000", "null", "a province has no county"},
      {"999999", "null", "unknown code"},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(CodeOrNull(tree_->CountyOf(row.code)), row.county)
        << row.code << ": " << row.why;
  }
}

TEST_F(RegionTreeTest,
       EveryTownshipHasACountyOfAndEveryRegionReachesAProvince) {
  std::ifstream in(kRegionsPath);
  std::string line;
  int townships = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::string code = line.substr(0, line.find('\t'));
    const Region* region = tree_->Find(code);
    ASSERT_NE(region, nullptr) << code;
    std::vector<const Region*> ancestors = tree_->Ancestors(code);
    if (region->level == Level::kProvince) {
      EXPECT_THAT(ancestors, IsEmpty()) << code;
    } else {
      ASSERT_FALSE(ancestors.empty()) << code;
      EXPECT_EQ(ancestors.back()->level, Level::kProvince) << code;
    }
    if (region->level == Level::kTownship) {
      ++townships;
      const Region* county = tree_->CountyOf(code);
      ASSERT_NE(county, nullptr) << code;
      EXPECT_TRUE(county->level == Level::kCounty ||
                  county->level == Level::kCity)
          << code;
    }
  }
  EXPECT_EQ(townships, 41352);
}

TEST_F(RegionTreeTest, LowestCommonAncestorIsTheSmallestSharedRegion) {
  const struct {
    const char* a;
    const char* b;
    const char* lca;
    const char* why;
  } rows[] = {
      {"140431100", "140403103", "140400",
       "townships of 沁源县 and 潞州区: their city 长治市"},
      {"140431100", "140431101", "140431", "two townships of 沁源县"},
      {"140431100", "140431", "140431", "a township and its county"},
      {"140431", "140431100", "140431", "argument order does not matter"},
      {"140431100", "140200", "140000", "长治 township and 大同市"},
      {"110101001", "110102001", "110000",
       "北京 districts meet at the municipality"},
      {"419001001", "410100", "410000", "济源 town and 郑州市 meet at 河南"},
      {"441900101", "441900003", "441900", "two towns of 东莞"},
      {"140431", "140431", "140431", "a region with itself"},
      {"140431", "371725", "null", "different provinces"},
      {"140431", "999999", "null", "unknown code"},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(CodeOrNull(tree_->LowestCommonAncestor(row.a, row.b)), row.lca)
        << row.a << " " << row.b << ": " << row.why;
  }
}

TEST_F(RegionTreeTest, ChildrenAreTheDirectChildrenSortedByCode) {
  std::vector<const Region*> cities = tree_->Children("140000");
  ASSERT_EQ(cities.size(), 11u);  // 山西's 11 prefecture-level cities
  EXPECT_EQ(cities.front()->code, "140100");
  EXPECT_EQ(cities[1]->code, "140200");
  for (const Region* city : cities) EXPECT_EQ(city->level, Level::kCity);

  EXPECT_THAT(
      Codes(tree_->Children("140400")),
      ElementsAre("140403", "140404", "140405", "140406", "140423", "140425",
                  "140426", "140427", "140428", "140429", "140430", "140431"));

  // 河南: 17 cities plus 济源, administered by the province itself.
  std::vector<const Region*> henan = tree_->Children("410000");
  ASSERT_EQ(henan.size(), 18u);
  EXPECT_EQ(henan.back()->code, "419001");
  EXPECT_EQ(henan.back()->level, Level::kCounty);

  EXPECT_EQ(tree_->Children("441900").size(), 36u);  // 东莞's towns
  EXPECT_EQ(tree_->Children("110000").size(), 16u);  // 北京's districts
  EXPECT_THAT(tree_->Children("140431100"), IsEmpty());
  EXPECT_THAT(tree_->Children("999999"), IsEmpty());
}

TEST_F(RegionTreeTest, IsWithinHoldsForItselfAndDescendantsOnly) {
  const struct {
    const char* code;
    const char* ancestor;
    bool within;
  } rows[] = {
      {"140431100", "140431", true},  {"140431100", "140400", true},
      {"140431100", "140000", true},  {"140431", "140431", true},
      {"441900101", "440000", true},  {"419001001", "410000", true},
      {"140431", "140431100", false}, {"140403103", "140431", false},
      {"140431", "371700", false},    {"140431", "999999", false},
      {"999999", "140000", false},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(tree_->IsWithin(row.code, row.ancestor), row.within)
        << row.code << " within " << row.ancestor;
  }
}

TEST(LevelNameTest, NamesAreTheDataFileWords) {
  EXPECT_EQ(LevelName(Level::kProvince), "province");
  EXPECT_EQ(LevelName(Level::kCity), "city");
  EXPECT_EQ(LevelName(Level::kCounty), "county");
  EXPECT_EQ(LevelName(Level::kTownship), "township");
}

// Writes `contents` to a fresh file in the test's temp dir; returns its path.
std::string WriteTempFile(const std::string& name,
                          const std::string& contents) {
  const std::string path = ::testing::TempDir() + "/region_tree_test_" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  return path;
}

TEST(RegionTreeLoadTest, AcceptsLinesInAnyOrderWithCommentsAndBlankLines) {
  const std::string path = WriteTempFile("unordered.tsv",
                                         "# test data\n"
                                         "140431100\t140431\ttownship\t沁河镇\n"
                                         "\n"
                                         "140431\t140400\tcounty\t沁源县\n"
                                         "140000\t\tprovince\t山西省\n"
                                         "140400\t140000\tcity\t长治市\n");
  absl::StatusOr<std::unique_ptr<RegionTree>> tree = RegionTree::Load(path);
  ASSERT_TRUE(tree.ok()) << tree.status();
  EXPECT_EQ((*tree)->size(), 4u);
  EXPECT_THAT(Codes((*tree)->Ancestors("140431100")),
              ElementsAre("140431", "140400", "140000"));
}

TEST(RegionTreeLoadTest, MissingFileIsNotFound) {
  const std::string path = ::testing::TempDir() + "/region_tree_test_missing";
  std::remove(path.c_str());
  absl::StatusOr<std::unique_ptr<RegionTree>> tree = RegionTree::Load(path);
  EXPECT_EQ(tree.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(tree.status().message(), HasSubstr(path));
}

TEST(RegionTreeLoadTest, RejectsBadFilesNamingFileAndLine) {
  const std::string kProvince = "140000\t\tprovince\t山西省\n";
  const std::string kCity = "140400\t140000\tcity\t长治市\n";
  const struct {
    const char* name;
    std::string contents;
    const char* where;  // "file:line" suffix expected in the message
    const char* what;
  } rows[] = {
      {"three_fields", kProvince + "140400\t140000\tcity\n", ":2:", "4 tab"},
      {"five_fields", kProvince + "140400\t140000\tcity\t长治市\tx\n",
       ":2:", "4 tab"},
      {"unknown_level", kProvince + "140400\t140000\tprefecture\t长治市\n",
       ":2:", "unknown level"},
      {"code_not_digits", kProvince + "14040x\t140000\tcity\t长治市\n",
       ":2:", "digits"},
      {"township_code_too_short",
       kProvince + kCity + "140431\t140400\ttownship\t沁河镇\n",
       ":3:", "9 digits"},
      {"province_with_parent", "140000\t100000\tprovince\t山西省\n",
       ":1:", "provinces have none"},
      {"city_without_parent", kProvince + "140400\t\tcity\t长治市\n",
       ":2:", "empty parent_code"},
      {"empty_name", kProvince + "140400\t140000\tcity\t\n",
       ":2:", "empty name"},
      {"crlf_line_end", kProvince + "140400\t140000\tcity\t长治市\r\n",
       ":2:", "control characters"},
      {"unknown_parent", kProvince + "140400\t149900\tcity\t长治市\n",
       ":2:", "unknown parent 149900"},
      {"parent_not_higher",
       kProvince + kCity + "140431\t140400\tcity\t沁源县\n",
       ":3:", "higher level"},
      {"duplicate_code", kProvince + kCity + "140400\t140000\tcity\t潞安\n",
       ":3:", "duplicate code 140400 (first on line 2)"},
      {"only_comments", "# nothing here\n\n", "", "no regions"},
      // Issue 22 item 2: a name in GBK (长治 as B3 A4 D6 CE) would
      // reach every CaseEvent as a proto3 string that does not parse.
      {"name_in_gbk", kProvince + "140400\t140000\tcity\t\xB3\xA4\xD6\xCE\n",
       ":2:", "not valid UTF-8 at byte 20"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    const std::string path = WriteTempFile(row.name, row.contents);
    absl::StatusOr<std::unique_ptr<RegionTree>> tree = RegionTree::Load(path);
    EXPECT_EQ(tree.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(tree.status().message(), HasSubstr(path + row.where));
    EXPECT_THAT(tree.status().message(), HasSubstr(row.what));
  }
}

}  // namespace
}  // namespace caserelay::region
