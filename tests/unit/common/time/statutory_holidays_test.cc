// The statutory holidays derived from the 全国年节及纪念日放假办法
// (common/time/statutory_holidays.h) with the real almanac: equal to the
// statutory days of the State Council's notices where there is one
// (data/holidays/2024..2026.tsv), and the 2027 Spring Festival.

#include "common/time/statutory_holidays.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/time/astronomical_almanac.h"
#include "common/time/calendar.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/time/almanac_fixture.h"

namespace caserelay::time {
namespace {

using Day = absl::CivilDay;
using ::testing::ElementsAreArray;

class StatutoryHolidaysTest : public AlmanacFixture {};

TEST_F(StatutoryHolidaysTest, DerivedDaysEqualTheNoticesStatutoryDays) {
  // Each notice marks its statutory days (data/holidays/README.md); the law
  // alone must give exactly those, with the same festival names.
  auto notices = Calendar::Load(CASERELAY_SOURCE_DIR "/data/holidays");
  ASSERT_TRUE(notices.ok()) << notices.status();
  struct Row {
    const char* rule;
    absl::civil_year_t year;
    size_t days;
  } rows[] = {
      {"2024 notice, 放假办法 2013 revision: 11 days", 2024, 11},
      {"2025 notice, 放假办法 2024 revision: 13 days", 2025, 13},
      {"2026 notice, 放假办法 2024 revision: 13 days", 2026, 13},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    std::vector<StatutoryDay> from_notice;
    for (Day day(row.year, 1, 1); day.year() == row.year; ++day) {
      absl::StatusOr<DayInfo> info = notices->Describe(day);
      ASSERT_TRUE(info.ok()) << info.status();
      if (info->kind == DayKind::kStatutoryHoliday) {
        from_notice.push_back({day, info->name});
      }
    }
    ASSERT_EQ(from_notice.size(), row.days);
    absl::StatusOr<std::vector<StatutoryDay>> derived =
        StatutoryHolidays(*almanac_, row.year);
    ASSERT_TRUE(derived.ok()) << derived.status();
    EXPECT_THAT(*derived, ElementsAreArray(from_notice));
  }
}

TEST_F(StatutoryHolidaysTest, SpringFestival2027IsChuxiToChusan) {
  // 放假办法 (2024 revision) Art. 2: 春节 4 days, 除夕 and 初一..初三. HKO
  // T2027: 初一 is 2027-02-06, so 除夕 (腊月廿九) is 02-05.
  absl::StatusOr<std::vector<StatutoryDay>> days =
      StatutoryHolidays(*almanac_, 2027);
  ASSERT_TRUE(days.ok()) << days.status();
  const std::vector<StatutoryDay> want = {
      {Day(2027, 1, 1), "元旦"},    {Day(2027, 2, 5), "春节"},
      {Day(2027, 2, 6), "春节"},    {Day(2027, 2, 7), "春节"},
      {Day(2027, 2, 8), "春节"},    {Day(2027, 4, 5), "清明节"},
      {Day(2027, 5, 1), "劳动节"},  {Day(2027, 5, 2), "劳动节"},
      {Day(2027, 6, 9), "端午节"},  {Day(2027, 9, 15), "中秋节"},
      {Day(2027, 10, 1), "国庆节"}, {Day(2027, 10, 2), "国庆节"},
      {Day(2027, 10, 3), "国庆节"},
  };
  EXPECT_THAT(*days, ElementsAreArray(want));
}

TEST_F(StatutoryHolidaysTest, EveryYearHasTheLawsThirteenDays) {
  // 放假办法 (2024 revision): 13 days a year from 2025 — 12 distinct days
  // when 中秋 falls on 国庆 (HKO: 八月十五 is 2028-10-03 and 2031-10-01),
  // named for both in the law's order.
  for (absl::civil_year_t year = 2025; year <= 2035; ++year) {
    SCOPED_TRACE(year);
    absl::StatusOr<std::vector<StatutoryDay>> days =
        StatutoryHolidays(*almanac_, year);
    ASSERT_TRUE(days.ok()) << days.status();
    EXPECT_EQ(days->size(), year == 2028 || year == 2031 ? 12u : 13u);
    for (size_t i = 1; i < days->size(); ++i) {
      EXPECT_LT((*days)[i - 1].day, (*days)[i].day) << "in date order, once";
    }
  }
  auto y2031 = StatutoryHolidays(*almanac_, 2031);
  ASSERT_TRUE(y2031.ok());
  EXPECT_THAT(*y2031, ::testing::Contains(
                          StatutoryDay{Day(2031, 10, 1), "中秋节、国庆节"}));
}

TEST_F(StatutoryHolidaysTest, YearBeforeTheKnownRulesIsOutOfRange) {
  // statutory_holidays.h: the rules known here start in 2014.
  EXPECT_EQ(StatutoryHolidays(*almanac_, 2013).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(StatutoryRuleName(2013), "");
  EXPECT_THAT(StatutoryRuleName(2027), ::testing::HasSubstr("2025-01-01"));
  EXPECT_THAT(StatutoryRuleName(2024), ::testing::HasSubstr("2014-01-01"));
}

}  // namespace
}  // namespace caserelay::time
