// The index's keys and period arithmetic (services/statistics/index_keys.h,
// query.h ChangeRatio), table-driven; each row names the rule it pins.
#include "services/statistics/index_keys.h"

#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "services/statistics/query.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::statistics {
namespace {

struct DecomposeRow {
  const char* rule;
  absl::CivilDay from, to;
  std::vector<std::string> want;
};

TEST(IndexKeysTest, DecomposeCoversThePeriodWithTheFewestBuckets) {
  using D = absl::CivilDay;
  const DecomposeRow rows[] = {
      {"index_keys.h: a whole year is one key", D(2026, 1, 1), D(2027, 1, 1),
       {"y2026"}},
      {"a whole month is one key (月分析)", D(2026, 2, 1), D(2026, 3, 1),
       {"m202602"}},
      {"a week (周通报) is its seven days", D(2026, 3, 2), D(2026, 3, 9),
       {"d20260302", "d20260303", "d20260304", "d20260305", "d20260306",
        "d20260307", "d20260308"}},
      {"a week across a month's end stays days", D(2026, 1, 29), D(2026, 2, 3),
       {"d20260129", "d20260130", "d20260131", "d20260201", "d20260202"}},
      {"days, then months, then a year, then months, then days",
       D(2025, 12, 30), D(2027, 2, 2),
       {"d20251230", "d20251231", "y2026", "m202701", "d20270201"}},
      {"leap day is a day of February", D(2028, 2, 28), D(2028, 3, 1),
       {"d20280228", "d20280229"}},
      {"an empty period has no bucket", D(2026, 5, 1), D(2026, 5, 1), {}},
  };
  for (const DecomposeRow& r : rows) {
    EXPECT_EQ(absl::StrJoin(Decompose(r.from, r.to), ","),
              absl::StrJoin(r.want, ","))
        << r.rule;
  }
}

TEST(IndexKeysTest, AnItemCountsInTheChinaDayMonthAndYearOfItsTime) {
  struct Row {
    const char* rule;
    absl::Time t;
    std::vector<std::string> want;
  };
  const Row rows[] = {
      {"00:00 China time is the new day (DOMAIN.md \"Deadlines\": China days)",
       svctest::ChinaTime(2026, 1, 1, 0, 0), {"d20260101", "m202601", "y2026"}},
      {"23:59 China time is still the old year",
       svctest::ChinaTime(2025, 12, 31, 23, 59),
       {"d20251231", "m202512", "y2025"}},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(absl::StrJoin(BucketsOf(r.t), ","), absl::StrJoin(r.want, ","))
        << r.rule;
  }
}

TEST(IndexKeysTest, AnOfficeCountsInItsOwnScopeAndEveryRegionAboveIt) {
  ScopeResolver scopes(&svctest::ShippedRegions());
  struct Row {
    const char* rule;
    std::string office;
    std::vector<std::string> want;
  };
  const Row rows[] = {
      {"a township's office: the township, county, city, province, the "
       "deployment, each also by the township level",
       "140431100:gov",
       {"o:140431100:gov", "r:140431100", "r:140431100/township", "r:140431",
        "r:140431/township", "r:140400", "r:140400/township", "r:140000",
        "r:140000/township", "r:", "r:/township"}},
      {"indicators.h: an office whose region the tree does not know is in no "
       "scope",
       "999999:bureau", {}},
      {"indicators.h: a malformed office code is in no scope", "bureau", {}},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(absl::StrJoin(scopes.ScopesOf(r.office), ","),
              absl::StrJoin(r.want, ","))
        << r.rule;
  }
}

TEST(IndexKeysTest, ChangeRatioIsTheChangeOverTheBase) {
  struct Row {
    const char* rule;
    int64_t now, before;
    std::optional<double> want;
  };
  const Row rows[] = {
      {"同比 up: (125 - 100) / 100", 125, 100, 0.25},
      {"环比 down: (80 - 100) / 100", 80, 100, -0.2},
      {"no base: no ratio (query.h)", 7, 0, std::nullopt},
      {"no change", 3, 3, 0.0},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(ChangeRatio(r.now, r.before), r.want) << r.rule;
  }
}

}  // namespace
}  // namespace caserelay::statistics
