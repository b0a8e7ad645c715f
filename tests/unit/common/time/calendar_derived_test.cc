// The Calendar for years without a notice (CalendarOptions kDeriveFromLaw,
// common/time/calendar.h): statutory days from the 放假办法 and weekends
// are rest days, a notice's table overrides them for its year, and
// deadlines across the 2027 and 2028 Spring Festivals move past the
// statutory days (民法典 Arts. 201, 203). Built as the services build it
// (common/time/calendar_setup.h), on the real data/holidays (2024-2026).

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/time/calendar.h"
#include "common/time/calendar_setup.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::time {
namespace {

namespace fs = std::filesystem;
using Day = absl::CivilDay;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kHolidays[] = CASERELAY_SOURCE_DIR "/data/holidays";

struct DeadlineRow {
  const char* rule;
  Day start;
  int days;
  bool working;  // 工作日 (AddWorkingDays) or 日 (AddCalendarDays)
  Day want;
};

TEST(CalendarDerivedTest, DeadlinesAcrossSpringFestivalsWithoutANotice) {
  auto calendar = LoadCalendar(kHolidays, UncoveredYears::kDeriveFromLaw);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  ASSERT_FALSE(calendar->Covers(2027));
  ASSERT_FALSE(calendar->Covers(2028));
  const DeadlineRow rows[] = {
      {"Art. 22 15 days: 01-21 + 15 = 除夕 Fri 2027-02-05; 02-05..08 are "
       "statutory (春节 4 days), so the last day is Tue 02-09 (Art. 203)",
       Day(2027, 1, 21), 15, false, Day(2027, 2, 9)},
      {"2027-01-20 + 15 = Thu 02-04, the day before 除夕: a working day",
       Day(2027, 1, 20), 15, false, Day(2027, 2, 4)},
      {"Art. 23 5 working days from Thu 2027-02-04 skip 02-05..08: "
       "02-09,10,11,12,15",
       Day(2027, 2, 4), 5, true, Day(2027, 2, 15)},
      {"2028: 01-10 + 15 = 除夕 Tue 01-25; 01-25..28 statutory, 01-29/30 "
       "weekend: Mon 01-31 (Art. 203)",
       Day(2028, 1, 10), 15, false, Day(2028, 1, 31)},
      {"2028: 5 working days from Mon 01-24: 01-31, 02-01..04",
       Day(2028, 1, 24), 5, true, Day(2028, 2, 4)},
      {"元旦 2027 (Fri 01-01, derived) moves a last day to Mon 01-04",
       Day(2026, 12, 17), 15, false, Day(2027, 1, 4)},
      {"Art. 34 60 days from 2026-12-20 end Sat 2027-02-18? no: 02-18 is a "
       "Thursday, a working day (the break ended 02-08)",
       Day(2026, 12, 20), 60, false, Day(2027, 2, 18)},
  };
  for (const DeadlineRow& row : rows) {
    SCOPED_TRACE(row.rule);
    absl::StatusOr<Day> got =
        row.working ? calendar->AddWorkingDays(row.start, row.days)
                    : calendar->AddCalendarDays(row.start, row.days);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, row.want);
  }
}

TEST(CalendarDerivedTest, EveryDayOfAYearWithoutANoticeSaysItIsDerived) {
  auto calendar = LoadCalendar(kHolidays, UncoveredYears::kDeriveFromLaw);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  struct Row {
    const char* rule;
    Day day;
    DayKind kind;
    const char* name;
    DaySource source;
  } rows[] = {
      {"除夕 2027 is statutory by the law", Day(2027, 2, 5),
       DayKind::kStatutoryHoliday, "春节", DaySource::kLaw},
      {"初一 2027 on a Saturday is still statutory", Day(2027, 2, 6),
       DayKind::kStatutoryHoliday, "春节", DaySource::kLaw},
      {"no notice: no make-up working day, a Sunday is a weekend",
       Day(2027, 2, 14), DayKind::kWeekend, "", DaySource::kLaw},
      {"no notice: no bridging rest day, Tue after 春节 works", Day(2027, 2, 9),
       DayKind::kRegularWorkday, "", DaySource::kLaw},
      {"a year with a notice keeps its source", Day(2026, 2, 16),
       DayKind::kStatutoryHoliday, "春节", DaySource::kNotice},
      {"and its ordinary days too", Day(2026, 3, 3), DayKind::kRegularWorkday,
       "", DaySource::kNotice},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.rule);
    absl::StatusOr<DayInfo> info = calendar->Describe(row.day);
    ASSERT_TRUE(info.ok()) << info.status();
    EXPECT_EQ(info->kind, row.kind);
    EXPECT_EQ(info->name, row.name);
    EXPECT_EQ(info->source, row.source);
  }
  EXPECT_STREQ(DaySourceName(DaySource::kLaw), "derived");
  EXPECT_STREQ(DaySourceName(DaySource::kNotice), "notice");
}

TEST(CalendarDerivedTest, EachDerivedYearIsReportedOnce) {
  std::vector<absl::civil_year_t> told;
  auto calendar =
      LoadCalendar(kHolidays, UncoveredYears::kDeriveFromLaw,
                   [&told](absl::civil_year_t year) { told.push_back(year); });
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_TRUE(calendar->DerivedYears().empty());
  ASSERT_TRUE(calendar->AddCalendarDays(Day(2027, 1, 21), 15).ok());
  ASSERT_TRUE(calendar->AddCalendarDays(Day(2027, 12, 20), 30).ok());
  ASSERT_TRUE(calendar->Describe(Day(2026, 6, 1)).ok());  // has a notice
  EXPECT_THAT(told, ElementsAre(2027, 2028));
  EXPECT_THAT(calendar->DerivedYears(), ElementsAre(2027, 2028));
}

TEST(CalendarDerivedTest, DerivingNeedsAnAlmanacAndAKnownLaw) {
  CalendarOptions options;
  options.uncovered = UncoveredYears::kDeriveFromLaw;
  EXPECT_EQ(Calendar::Load(kHolidays, options).status().code(),
            absl::StatusCode::kInvalidArgument);

  auto calendar = LoadCalendar(kHolidays, UncoveredYears::kDeriveFromLaw);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  // statutory_holidays.h: no rule before 2014; the almanac ends in 2100.
  for (Day day : {Day(2013, 6, 3), Day(2101, 1, 3)}) {
    SCOPED_TRACE(absl::FormatCivilTime(day));
    absl::StatusOr<DayInfo> info = calendar->Describe(day);
    EXPECT_EQ(info.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(
        std::string(info.status().message()),
        HasSubstr(absl::StrCat("no holiday table for year ", day.year())));
  }
}

TEST(CalendarDerivedTest, UncoveredYearsSettingWords) {
  struct Row {
    const char* word;
    UncoveredYears want;
  } rows[] = {{"law", UncoveredYears::kDeriveFromLaw},
              {"weekends", UncoveredYears::kWeekendsOnly},
              {"refuse", UncoveredYears::kRefuse}};
  for (const Row& row : rows) {
    SCOPED_TRACE(row.word);
    absl::StatusOr<UncoveredYears> got = ParseUncoveredYears(row.word);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, row.want);
    EXPECT_STREQ(UncoveredYearsName(*got), row.word);
  }
  EXPECT_EQ(ParseUncoveredYears("guess").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// A notice table for a year overrides what the law would give that year.
class CalendarNoticeOverrideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           absl::StrCat("calendar_notice_", ::getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& contents) {
    std::ofstream out(dir_ / name, std::ios::binary);
    out << contents;
    ASSERT_TRUE(out.good()) << name;
  }
  fs::path dir_;
};

TEST_F(CalendarNoticeOverrideTest, ANoticeTableOverridesTheDerivedDays) {
  // A notice for 2027 (made up for the test, in the format of data/holidays/
  // README.md): a 春节 break 02-05..02-11 and a make-up Sunday 02-14, and
  // nothing else. 2028 has no table and is derived.
  Write("2027.tsv",
        "2027-02-05\tholiday\t春节\tstatutory\n"
        "2027-02-06\tholiday\t春节\tstatutory\n"
        "2027-02-07\tholiday\t春节\tstatutory\n"
        "2027-02-08\tholiday\t春节\tstatutory\n"
        "2027-02-09\tholiday\t春节\trest\n"
        "2027-02-10\tholiday\t春节\trest\n"
        "2027-02-11\tholiday\t春节\trest\n"
        "2027-02-14\tworkday\t调休 for 春节\n");
  auto calendar = LoadCalendar(dir_.string(), UncoveredYears::kDeriveFromLaw);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  struct Row {
    const char* rule;
    Day day;
    DayKind kind;
    DaySource source;
  } rows[] = {
      {"the notice's bridging rest day", Day(2027, 2, 10), DayKind::kRestDay,
       DaySource::kNotice},
      {"the notice's make-up Sunday works", Day(2027, 2, 14),
       DayKind::kMakeUpWorkday, DaySource::kNotice},
      {"the law's 元旦 is not used where the notice has a table",
       Day(2027, 1, 1), DayKind::kRegularWorkday, DaySource::kNotice},
      {"2028 has no table: its 元旦 (a Saturday) comes from the law",
       Day(2028, 1, 1), DayKind::kStatutoryHoliday, DaySource::kLaw},
      {"2028-01-25 is 除夕 by the law", Day(2028, 1, 25),
       DayKind::kStatutoryHoliday, DaySource::kLaw},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.rule);
    absl::StatusOr<DayInfo> info = calendar->Describe(row.day);
    ASSERT_TRUE(info.ok()) << info.status();
    EXPECT_EQ(info->kind, row.kind);
    EXPECT_EQ(info->source, row.source);
  }
  // 15 days from 01-27 end on 02-11, inside the notice's break: Fri 02-12.
  absl::StatusOr<Day> last = calendar->AddCalendarDays(Day(2027, 1, 27), 15);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(*last, Day(2027, 2, 12));
  EXPECT_THAT(calendar->DerivedYears(), ElementsAre(2028));
}

}  // namespace
}  // namespace caserelay::time
