// The legal day is China Standard Time, a fixed UTC+8
// (common/time/china_time.h).

#include "common/time/china_time.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace caserelay::time {
namespace {

absl::Time Utc(int y, int m, int d, int hh, int mm, int ss) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss),
                         absl::UTCTimeZone());
}

TEST(ChinaTimeTest, ChinaDayStartsAtSixteenHundredUtc) {
  EXPECT_EQ(ChinaDay(Utc(2024, 2, 9, 15, 59, 59)), absl::CivilDay(2024, 2, 9));
  EXPECT_EQ(ChinaDay(Utc(2024, 2, 9, 16, 0, 0)), absl::CivilDay(2024, 2, 10));
}

TEST(ChinaTimeTest, ChinaTimeZoneIsFixedUtcPlusEightAllYear) {
  for (int month : {1, 7}) {  // No daylight saving in either season.
    const absl::TimeZone::CivilInfo info =
        ChinaTimeZone().At(Utc(2025, month, 1, 0, 0, 0));
    EXPECT_EQ(info.offset, 8 * 60 * 60) << "month " << month;
    EXPECT_FALSE(info.is_dst);
  }
}

TEST(ChinaTimeTest, EndOfDayIsTwentyFourHundredChinaTime) {
  // 民法典 Art. 203: the last day ends at 24:00.
  EXPECT_EQ(EndOf(absl::CivilDay(2025, 10, 9)), Utc(2025, 10, 9, 16, 0, 0));
  EXPECT_EQ(StartOf(absl::CivilDay(2025, 10, 9)), Utc(2025, 10, 8, 16, 0, 0));
  EXPECT_EQ(
      ChinaDay(EndOf(absl::CivilDay(2025, 12, 31)) - absl::Nanoseconds(1)),
      absl::CivilDay(2025, 12, 31));
  EXPECT_EQ(ChinaDay(EndOf(absl::CivilDay(2025, 12, 31))),
            absl::CivilDay(2026, 1, 1));
}

}  // namespace
}  // namespace caserelay::time
