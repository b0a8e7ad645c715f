// RouteToCountyBureau over the real region tree (data/regions).
#include "domain/routing/router.h"

#include "gtest/gtest.h"

namespace caserelay::routing {
namespace {

const region::RegionTree& Regions() {
  static auto* tree = [] {
    auto t = region::RegionTree::Load(CASERELAY_SOURCE_DIR
                                      "/data/regions/regions.tsv");
    EXPECT_TRUE(t.ok()) << t.status();
    return t->release();
  }();
  return *tree;
}

struct Row {
  const char* rule;  // what the row checks, citing DOMAIN.md
  const char* region;
  const char* office_code;
  const char* office_name;
};

class RouteToCountyBureauTest : public testing::TestWithParam<Row> {};

TEST_P(RouteToCountyBureauTest, RoutesToTheCountyLevelBureau) {
  const Row& row = GetParam();
  auto d = RouteToCountyBureau(row.region, Regions());
  ASSERT_TRUE(d.ok()) << row.rule << ": " << d.status();
  EXPECT_EQ(d->office_code, row.office_code) << row.rule;
  EXPECT_EQ(d->office_name, row.office_name) << row.rule;
  ASSERT_EQ(d->rules.size(), 1u);
  EXPECT_EQ(d->rules[0], kRuleTerritorialTiered);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, RouteToCountyBureauTest,
    testing::Values(
        Row{"属地管理: a county matter goes to its own bureau", "140431",
            "140431:bureau", "沁源县信访局"},
        Row{"属地管理、分级负责: a township matter goes to its county",
            "140431100", "140431:bureau", "沁源县信访局"},
        Row{"Regions: towns of a city without counties hang off the city",
            "441900003", "441900:bureau", "东莞市信访局"},
        Row{"a matter located at city level stays with the city bureau",
            "140200", "140200:bureau", "大同市信访局"},
        Row{"属地管理: 郓城县, Shandong", "371725", "371725:bureau",
            "郓城县信访局"}));

TEST(RouteToCountyBureauTest, UnknownRegionIsInvalidArgument) {
  auto d = RouteToCountyBureau("999999", Regions());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caserelay::routing
