// AstronomicalAlmanac (ICU's Chinese calendar + libnova) against a source
// that does not use it.
//
// Expected dates: the Hong Kong Observatory's "Gregorian-Lunar Calendar
// Conversion Table" (香港天文台 公曆與農曆日期對照表), one file a year,
// https://www.hko.gov.hk/en/gts/time/conversion.htm (T2025e.txt ..
// T2035e.txt), computed from the HM Nautical Almanac Office's and the US
// Naval Observatory's ephemerides and agreeing with the Purple Mountain
// Observatory's 《中国天文年历》 for these years (HKO, "Which day is the
// Tuen Ng Festival for this year (2013)?", 2013-05-03, lists the years
// where folk calendars differ). 除夕 is the day before 正月初一 (the last
// day of 腊月, whether the 29th or the 30th). For 2025 and 2026 the 除夕
// dates are also those the State Council's notices name (data/holidays/
// README.md). Every row was also checked, when this test was written,
// against a second table: the HKO-derived lunar month lengths and solar
// term days of jjonline/calendar.js (lunarInfo and sTermInfo, 1900-2100,
// widely used in China), decoded by hand: the same dates (its 清明 data
// was read for 2025-2034).
//
// This is a table of expected values for a test; the production code
// computes every date.

#include <memory>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/time/astronomical_almanac.h"
#include "gtest/gtest.h"
#include "tests/unit/common/time/almanac_fixture.h"

namespace caserelay::time {
namespace {

using Day = absl::CivilDay;

class AlmanacTest : public AlmanacFixture {};

TEST_F(AlmanacTest, LunarDatesAndQingmingMatchTheHongKongObservatory) {
  struct Row {
    const char* note;
    Day chuxi;     // 除夕, last day of 腊月 of the previous lunar year
    Day qingming;  // 清明 solar term
    Day duanwu;    // 五月初五
    Day zhongqiu;  // 八月十五
  } rows[] = {
      {"HKO T2025: 初一 01-29", Day(2025, 1, 28), Day(2025, 4, 4),
       Day(2025, 5, 31), Day(2025, 10, 6)},
      {"HKO T2026: 初一 02-17", Day(2026, 2, 16), Day(2026, 4, 5),
       Day(2026, 6, 19), Day(2026, 9, 25)},
      {"HKO T2027: 初一 02-06 (new moon 23:56 CST; 腊月 has 29 days)",
       Day(2027, 2, 5), Day(2027, 4, 5), Day(2027, 6, 9), Day(2027, 9, 15)},
      {"HKO T2028: 初一 01-26", Day(2028, 1, 25), Day(2028, 4, 4),
       Day(2028, 5, 28), Day(2028, 10, 3)},
      {"HKO T2029: 初一 02-13", Day(2029, 2, 12), Day(2029, 4, 4),
       Day(2029, 6, 16), Day(2029, 9, 22)},
      {"HKO T2030: 初一 02-03 (new moon 00:07 CST)", Day(2030, 2, 2),
       Day(2030, 4, 5), Day(2030, 6, 5), Day(2030, 9, 12)},
      {"HKO T2031: 初一 01-23", Day(2031, 1, 22), Day(2031, 4, 5),
       Day(2031, 6, 24), Day(2031, 10, 1)},
      {"HKO T2032: 初一 02-11", Day(2032, 2, 10), Day(2032, 4, 4),
       Day(2032, 6, 12), Day(2032, 9, 19)},
      {"HKO T2033: 初一 01-31", Day(2033, 1, 30), Day(2033, 4, 4),
       Day(2033, 6, 1), Day(2033, 9, 8)},
      {"HKO T2034: 初一 02-19 (after 闰十一月 of 2033)", Day(2034, 2, 18),
       Day(2034, 4, 5), Day(2034, 6, 20), Day(2034, 9, 27)},
      {"HKO T2035: 初一 02-08", Day(2035, 2, 7), Day(2035, 4, 5),
       Day(2035, 6, 10), Day(2035, 9, 16)},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.note);
    const absl::civil_year_t year = row.chuxi.year();
    absl::StatusOr<Day> new_year = almanac_->LunarDay(year, 1, 1);
    ASSERT_TRUE(new_year.ok()) << new_year.status();
    EXPECT_EQ(*new_year - 1, row.chuxi);
    absl::StatusOr<Day> qingming = almanac_->Qingming(year);
    ASSERT_TRUE(qingming.ok()) << qingming.status();
    EXPECT_EQ(*qingming, row.qingming);
    absl::StatusOr<Day> duanwu = almanac_->LunarDay(year, 5, 5);
    ASSERT_TRUE(duanwu.ok()) << duanwu.status();
    EXPECT_EQ(*duanwu, row.duanwu);
    absl::StatusOr<Day> zhongqiu = almanac_->LunarDay(year, 8, 15);
    ASSERT_TRUE(zhongqiu.ok()) << zhongqiu.status();
    EXPECT_EQ(*zhongqiu, row.zhongqiu);
  }
}

TEST_F(AlmanacTest, ThirtiethOfAShortMonthIsInvalidArgument) {
  // HKO T2027: 腊月 (the twelfth month) of the lunar year that began on
  // 2026-02-17 runs 2027-01-08..02-05, 29 days: its 29th is 除夕
  // 2027-02-05, and it has no 30th (Almanac::LunarDay).
  absl::StatusOr<Day> last = almanac_->LunarDay(2026, 12, 29);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(*last, Day(2027, 2, 5));
  EXPECT_EQ(almanac_->LunarDay(2026, 12, 30).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(AlmanacTest, OutOfRangeArgumentsAreRefused) {
  struct Row {
    const char* rule;
    absl::civil_year_t year;
    int month;
    int day;
    absl::StatusCode code;
  } rows[] = {
      {"almanac.h: month 1..12", 2027, 13, 1,
       absl::StatusCode::kInvalidArgument},
      {"almanac.h: day 1..30", 2027, 1, 31, absl::StatusCode::kInvalidArgument},
      {"astronomical_almanac.h: years 1901..2100", 2101, 1, 1,
       absl::StatusCode::kOutOfRange},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    EXPECT_EQ(almanac_->LunarDay(row.year, row.month, row.day).status().code(),
              row.code);
  }
  EXPECT_EQ(almanac_->Qingming(1900).status().code(),
            absl::StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace caserelay::time
