// Deadlines counted against the real tables in data/holidays/.
//
// Every row cites the rule it pins. "Art. 201" and "Art. 203" are the
// 民法典 articles quoted in common/time/calendar.h; the notices are the
// 国务院办公厅 holiday notices cited in data/holidays/README.md.

#include "common/time/calendar.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::time {
namespace {

using ::testing::HasSubstr;

using Day = absl::CivilDay;

struct Row {
  const char* rule;
  Day start;
  int days;
  Day want;
};

class CalendarTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<Calendar> loaded =
        Calendar::Load(CASERELAY_SOURCE_DIR "/data/holidays");
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    calendar_ = new Calendar(*std::move(loaded));
  }
  static void TearDownTestSuite() {
    delete calendar_;
    calendar_ = nullptr;
  }

  static void ExpectWorkingDays(const Row& row) {
    SCOPED_TRACE(row.rule);
    absl::StatusOr<Day> got = calendar_->AddWorkingDays(row.start, row.days);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, row.want);
  }
  static void ExpectCalendarDays(const Row& row) {
    SCOPED_TRACE(row.rule);
    absl::StatusOr<Day> got = calendar_->AddCalendarDays(row.start, row.days);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, row.want);
  }

  static const Calendar* calendar_;
};

const Calendar* CalendarTest::calendar_ = nullptr;

TEST_F(CalendarTest, WorkingDaysSkipTheSpringFestivalBreak) {
  const Row rows[] = {
      {"objection 5 working days (Art. 23) from the day before the 2024 "
       "break 2-10..2-17; 2-18 (Sun) is a make-up day (国办发明电〔2023〕7号)",
       Day(2024, 2, 9), 5, Day(2024, 2, 22)},
      {"5 working days from the day before the 2025 break 1-28..2-04; "
       "2-08 (Sat) is a make-up day (国办发明电〔2024〕12号)",
       Day(2025, 1, 27), 5, Day(2025, 2, 10)},
      {"5 working days from Fri 2026-02-13: 2-14 (Sat) is a make-up day, "
       "then the break 2-15..2-23 (2026 notice)",
       Day(2026, 2, 13), 5, Day(2026, 2, 27)},
      // DOMAIN.md "Deadlines": simplified procedure, 10 working days.
      {"10 working days from Fri 2024-02-09 (the day before the break "
       "2-10..2-17): make-up Sun 2-18 is the 1st, 2-19..2-23 the 2nd..6th, "
       "2-26..2-29 the 7th..10th (leap year) (国办发明电〔2023〕7号)",
       Day(2024, 2, 9), 10, Day(2024, 2, 29)},
      {"10 working days from Mon 2025-01-27 (the day before the break "
       "1-28..2-04): 2-05..2-07 are 1..3, make-up Sat 2-08 the 4th, "
       "2-10..2-14 5..9, Mon 2-17 the 10th (国办发明电〔2024〕12号)",
       Day(2025, 1, 27), 10, Day(2025, 2, 17)},
      {"10 working days from Fri 2026-02-13 count both 调休 Saturdays: 2-14 "
       "the 1st, break 2-15..2-23, 2-24..2-27 2..5, 2-28 the 6th, "
       "3-02..3-05 7..10 (2026 notice)",
       Day(2026, 2, 13), 10, Day(2026, 3, 5)},
  };
  for (const Row& row : rows) ExpectWorkingDays(row);
}

TEST_F(CalendarTest, WorkingDaysSkipTheNationalDayBreak) {
  const Row rows[] = {
      {"5 working days from 2024-09-30 over the break 10-01..10-07; the "
       "5th is make-up Sat 10-12 (国办发明电〔2023〕7号)",
       Day(2024, 9, 30), 5, Day(2024, 10, 12)},
      {"5 working days from 2025-09-30 over the combined 国庆/中秋 break "
       "10-01..10-08; 10-11 (Sat) works, 10-12 (Sun) does not",
       Day(2025, 9, 30), 5, Day(2025, 10, 14)},
      {"5 working days from 2026-09-30 over the break 10-01..10-07; "
       "10-10 (Sat) works (2026 notice)",
       Day(2026, 9, 30), 5, Day(2026, 10, 13)},
      // DOMAIN.md "Deadlines": simplified procedure, 10 working days.
      {"10 working days from Mon 2024-09-30: 10-08..10-11 are 1..4, "
       "make-up Sat 10-12 the 5th, 10-14..10-18 6..10 (国办发明电〔2023〕7号)",
       Day(2024, 9, 30), 10, Day(2024, 10, 18)},
      {"10 working days from Tue 2025-09-30 over 10-01..10-08: 10-09, 10-10 "
       "are 1, 2, make-up Sat 10-11 the 3rd, 10-13..10-17 4..8, 10-20, "
       "10-21 9, 10 (国办发明电〔2024〕12号)",
       Day(2025, 9, 30), 10, Day(2025, 10, 21)},
      {"10 working days from Wed 2026-09-30: 10-08, 10-09 are 1, 2, "
       "make-up Sat 10-10 the 3rd, 10-12..10-16 4..8, 10-19, 10-20 9, 10 "
       "(2026 notice)",
       Day(2026, 9, 30), 10, Day(2026, 10, 20)},
  };
  for (const Row& row : rows) ExpectWorkingDays(row);
}

TEST_F(CalendarTest, MakeUpWeekendDayCountsAsWorkingDay) {
  const Row rows[] = {
      {"调休 Sun 2024-02-04 is the 1st working day after Fri 2-02",
       Day(2024, 2, 2), 5, Day(2024, 2, 8)},
      {"调休 Sun 2024-09-29 is the 1st working day after Fri 9-27",
       Day(2024, 9, 27), 5, Day(2024, 10, 10)},
      {"调休 Sun 2025-01-26 is the 1st working day after Fri 1-24",
       Day(2025, 1, 24), 5, Day(2025, 2, 7)},
      {"调休 Sat 2026-02-28 is the 5th working day after Sat 2-14",
       Day(2026, 2, 14), 5, Day(2026, 2, 28)},
      {"调休 Sun 2026-09-20 is the 2nd working day after Thu 9-17",
       Day(2026, 9, 17), 5, Day(2026, 9, 23)},
      {"10 working days from Fri 2024-09-27 count 调休 Sun 9-29 (1st) and "
       "Sat 10-12 (7th): 9-30, 10-08..10-11, 10-12, 10-14..10-16",
       Day(2024, 9, 27), 10, Day(2024, 10, 16)},
      {"10 working days from Fri 2025-01-24 count 调休 Sun 1-26 (1st) and "
       "Sat 2-08 (6th): 1-27, 2-05..2-07, 2-08, 2-10..2-13",
       Day(2025, 1, 24), 10, Day(2025, 2, 13)},
  };
  for (const Row& row : rows) ExpectWorkingDays(row);
}

TEST_F(CalendarTest, CalendarDayDeadlineInsideBreakMovesToFirstWorkingDay) {
  const Row rows[] = {
      {"15 days (Art. 22) end Sat 2024-10-05 inside the National Day break; "
       "Art. 203 moves them to Tue 10-08",
       Day(2024, 9, 20), 15, Day(2024, 10, 8)},
      {"15 days end 2024-02-15 inside the Spring Festival break; the first "
       "working day after is make-up Sun 2-18 (Art. 203)",
       Day(2024, 1, 31), 15, Day(2024, 2, 18)},
      {"15 days end 2025-10-05 inside the break 10-01..10-08 (Art. 203)",
       Day(2025, 9, 20), 15, Day(2025, 10, 9)},
      {"15 days end 2025-01-30 inside the break 1-28..2-04 (Art. 203)",
       Day(2025, 1, 15), 15, Day(2025, 2, 5)},
      {"15 days end 2026-02-20 inside the break 2-15..2-23 (Art. 203)",
       Day(2026, 2, 5), 15, Day(2026, 2, 24)},
      {"15 days end Mon 2026-10-05 inside the break 10-01..10-07 (Art. 203)",
       Day(2026, 9, 20), 15, Day(2026, 10, 8)},
      {"15 days end Sat 2024-02-17, the last day of the break 2-10..2-17; "
       "the next day, 调休 Sun 2-18, works (Art. 203)",
       Day(2024, 2, 2), 15, Day(2024, 2, 18)},
      {"15 days end Tue 2025-02-04, the last day of the break 1-28..2-04; "
       "moved to Wed 2-05 (Art. 203)",
       Day(2025, 1, 20), 15, Day(2025, 2, 5)},
      {"15 days end Mon 2026-02-23, the last day of the break 2-15..2-23; "
       "moved to Tue 2-24 (Art. 203)",
       Day(2026, 2, 8), 15, Day(2026, 2, 24)},
      {"3 days from Fri 2026-02-13 end on 春节 Mon 2-16; make-up Sat 2-14 "
       "lies before the end, so the first working day after is Tue 2-24",
       Day(2026, 2, 13), 3, Day(2026, 2, 24)},
  };
  for (const Row& row : rows) ExpectCalendarDays(row);
}

TEST_F(CalendarTest, CalendarDaysFromTheDayBeforeABreakCountTheBreak) {
  // DOMAIN.md "Deadlines": transfer and notice, 15 days (Arts. 22, 23).
  // Days of a break count as calendar days (日); only a last day on a rest
  // day moves (Art. 203).
  const Row rows[] = {
      {"Fri 2024-02-09 + 15 = Sat 2-24, an ordinary weekend after the break "
       "2-10..2-17: moved to Mon 2-26",
       Day(2024, 2, 9), 15, Day(2024, 2, 26)},
      {"Mon 2024-09-30 + 15 = Tue 10-15, a working day: the break "
       "10-01..10-07 counts in full",
       Day(2024, 9, 30), 15, Day(2024, 10, 15)},
      {"Mon 2025-01-27 + 15 = Tue 2-11, a working day after the break "
       "1-28..2-04",
       Day(2025, 1, 27), 15, Day(2025, 2, 11)},
      {"Tue 2025-09-30 + 15 = Wed 10-15, after the break 10-01..10-08",
       Day(2025, 9, 30), 15, Day(2025, 10, 15)},
      {"make-up Sat 2026-02-14 + 15 = Sun 3-01, an ordinary weekend (2-28 "
       "was the make-up day): moved to Mon 3-02",
       Day(2026, 2, 14), 15, Day(2026, 3, 2)},
      {"Wed 2026-09-30 + 15 = Thu 10-15, after the break 10-01..10-07",
       Day(2026, 9, 30), 15, Day(2026, 10, 15)},
      {"3 days from Fri 2024-02-09 end on 春节 Mon 2-12: moved to 调休 Sun "
       "2-18",
       Day(2024, 2, 9), 3, Day(2024, 2, 18)},
      {"3 days from Tue 2025-09-30 end on 国庆 Fri 10-03: moved to Thu 10-09",
       Day(2025, 9, 30), 3, Day(2025, 10, 9)},
  };
  for (const Row& row : rows) ExpectCalendarDays(row);
}

TEST_F(CalendarTest, CalendarDayDeadlineOnMakeUpWorkdayDoesNotMove) {
  const Row rows[] = {
      {"15 days end on 调休 Sun 2024-09-29, a working day: no move",
       Day(2024, 9, 14), 15, Day(2024, 9, 29)},
      {"30 days (Art. 35) end on 调休 Sat 2025-02-08: no move", Day(2025, 1, 9),
       30, Day(2025, 2, 8)},
      {"15 days end on 调休 Sun 2026-09-20: no move", Day(2026, 9, 5), 15,
       Day(2026, 9, 20)},
  };
  for (const Row& row : rows) ExpectCalendarDays(row);
}

TEST_F(CalendarTest, CalendarDayDeadlineOnOrdinaryWeekendMovesToMonday) {
  const Row rows[] = {
      {"15 days end Sat 2024-03-16; a weekend is a 法定休假日 for Art. 203",
       Day(2024, 3, 1), 15, Day(2024, 3, 18)},
      {"15 days end Sat 2026-12-26; moved to Mon 12-28", Day(2026, 12, 11), 15,
       Day(2026, 12, 28)},
  };
  for (const Row& row : rows) ExpectCalendarDays(row);
}

TEST_F(CalendarTest, FirstDayIsNotCounted) {
  // Art. 201: the start day is not counted.
  ExpectCalendarDays({"1 day from Tue 2024-03-05 is Wed 3-06", Day(2024, 3, 5),
                      1, Day(2024, 3, 6)});
  ExpectWorkingDays({"1 working day from Fri 2024-03-08 is Mon 3-11",
                     Day(2024, 3, 8), 1, Day(2024, 3, 11)});
  ExpectWorkingDays(
      {"1 working day from holiday Sat 2024-02-10 is make-up "
       "Sun 2-18: the start day is never counted",
       Day(2024, 2, 10), 1, Day(2024, 2, 18)});
  // From the last working day before each break: that day, though a
  // working day, is not the 1st; the 1st is the first working day after
  // the break, and 1 calendar day lands in the break and moves there too.
  const Row before_breaks[] = {
      {"Fri 2024-02-09 -> 调休 Sun 2-18 (春节 2-10..2-17)", Day(2024, 2, 9), 1,
       Day(2024, 2, 18)},
      {"Mon 2024-09-30 -> Tue 10-08 (国庆 10-01..10-07)", Day(2024, 9, 30), 1,
       Day(2024, 10, 8)},
      {"Mon 2025-01-27 -> Wed 2-05 (春节 1-28..2-04)", Day(2025, 1, 27), 1,
       Day(2025, 2, 5)},
      {"Tue 2025-09-30 -> Thu 10-09 (国庆中秋 10-01..10-08)", Day(2025, 9, 30),
       1, Day(2025, 10, 9)},
      {"调休 Sat 2026-02-14 -> Tue 2-24 (春节 2-15..2-23)", Day(2026, 2, 14), 1,
       Day(2026, 2, 24)},
      {"Wed 2026-09-30 -> Thu 10-08 (国庆 10-01..10-07)", Day(2026, 9, 30), 1,
       Day(2026, 10, 8)},
  };
  for (const Row& row : before_breaks) {
    ExpectWorkingDays(row);
    ExpectCalendarDays(row);
  }
}

TEST_F(CalendarTest, ZeroDaysGivesStartOrNextWorkingDay) {
  ExpectWorkingDays({"0 working days: the start day itself", Day(2025, 10, 3),
                     0, Day(2025, 10, 3)});
  ExpectCalendarDays({"0 days on a working day: the start day", Day(2025, 3, 3),
                      0, Day(2025, 3, 3)});
  ExpectCalendarDays({"0 days on a holiday moves like any last day (Art. 203)",
                      Day(2025, 10, 3), 0, Day(2025, 10, 9)});
}

TEST_F(CalendarTest, DeadlineAcrossCoveredYearBoundarySucceeds) {
  ExpectCalendarDays({"4 days end on 元旦 2025-01-01; 2025.tsv is loaded",
                      Day(2024, 12, 28), 4, Day(2025, 1, 2)});
  ExpectCalendarDays(
      {"15 days end on 元旦 2026-01-01, break 1-01..1-03, "
       "first working day is 调休 Sun 1-04",
       Day(2025, 12, 17), 15, Day(2026, 1, 4)});
  ExpectWorkingDays({"3 working days from Fri 2024-12-27 skip 元旦 2025",
                     Day(2024, 12, 27), 3, Day(2025, 1, 2)});
  ExpectCalendarDays({"a deadline on Thu 2026-12-31 needs no 2027 table",
                      Day(2026, 12, 16), 15, Day(2026, 12, 31)});
}

TEST_F(CalendarTest, DeadlineIntoYearWithoutTableFailsPrecondition) {
  absl::StatusOr<Day> calendar_days =
      calendar_->AddCalendarDays(Day(2026, 12, 20), 15);
  EXPECT_EQ(calendar_days.status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(calendar_days.status().message()),
              HasSubstr("no holiday table for year 2027"));

  absl::StatusOr<Day> working_days =
      calendar_->AddWorkingDays(Day(2026, 12, 24), 10);
  EXPECT_EQ(working_days.status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(working_days.status().message()),
              HasSubstr("no holiday table for year 2027"));

  absl::StatusOr<Day> next_day =
      calendar_->AddCalendarDays(Day(2026, 12, 31), 1);
  EXPECT_EQ(next_day.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(CalendarTest, DayInYearWithoutTableFailsPrecondition) {
  for (Day day : {Day(2023, 12, 29), Day(2027, 1, 4), Day(2030, 6, 3)}) {
    SCOPED_TRACE(absl::FormatCivilTime(day));
    absl::StatusOr<bool> working = calendar_->IsWorkingDay(day);
    EXPECT_EQ(working.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(
        std::string(working.status().message()),
        HasSubstr(absl::StrCat("no holiday table for year ", day.year())));
  }
}

TEST_F(CalendarTest, NegativeDaysIsInvalidArgument) {
  EXPECT_EQ(calendar_->AddCalendarDays(Day(2025, 3, 3), -1).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(calendar_->AddWorkingDays(Day(2025, 3, 3), -1).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CalendarTest, DescribeTellsStatutoryFromRestDays) {
  struct DescribeRow {
    const char* rule;
    Day day;
    DayKind kind;
    const char* name;
  } rows[] = {
      {"2025: 除夕 is statutory from 2025 (放假办法 revised 2024-11)",
       Day(2025, 1, 28), DayKind::kStatutoryHoliday, "春节"},
      {"2024: 除夕 is not a day off at all (only encouraged)", Day(2024, 2, 9),
       DayKind::kRegularWorkday, ""},
      {"2025-02-03 (Mon) is a rest day of the 春节 break", Day(2025, 2, 3),
       DayKind::kRestDay, "春节"},
      {"2025-10-06 is 中秋节 inside the combined break", Day(2025, 10, 6),
       DayKind::kStatutoryHoliday, "中秋节"},
      {"2025-01-26 (Sun) is a make-up working day", Day(2025, 1, 26),
       DayKind::kMakeUpWorkday, "调休 for 春节"},
      {"2026-05-02 (Sat): 劳动节 day 2 is statutory from 2025", Day(2026, 5, 2),
       DayKind::kStatutoryHoliday, "劳动节"},
      {"2025-03-08 (Sat) is an ordinary weekend", Day(2025, 3, 8),
       DayKind::kWeekend, ""},
  };
  for (const DescribeRow& row : rows) {
    SCOPED_TRACE(row.rule);
    absl::StatusOr<DayInfo> info = calendar_->Describe(row.day);
    ASSERT_TRUE(info.ok()) << info.status();
    EXPECT_EQ(info->kind, row.kind);
    EXPECT_EQ(info->name, row.name);
  }
}

TEST_F(CalendarTest, TablesMatchTheNoticesDayCounts) {
  struct CountRow {
    const char* rule;
    int year;
    int days_off;  // Sum of the notice's "共N天" breaks.
    int statutory;  // 全国年节及纪念日放假办法: 11 days, 13 from 2025.
    int make_up;  // Weekend days the notice names "上班".
  } rows[] = {
      {"2024 notice: 1+8+3+5+1+3+7 off, 8 make-up, 11 statutory", 2024, 28, 11,
       8},
      {"2025 notice: 1+8+3+5+3+8 off, 5 make-up, 13 statutory", 2025, 28, 13,
       5},
      {"2026 notice: 3+9+3+5+3+3+7 off, 6 make-up, 13 statutory", 2026, 33, 13,
       6},
  };
  for (const CountRow& row : rows) {
    SCOPED_TRACE(row.rule);
    int off = 0, statutory = 0, make_up = 0;
    for (Day day = Day(row.year, 1, 1); day.year() == row.year; ++day) {
      absl::StatusOr<DayInfo> info = calendar_->Describe(day);
      ASSERT_TRUE(info.ok()) << info.status();
      if (info->kind == DayKind::kStatutoryHoliday) ++statutory;
      if (info->kind == DayKind::kStatutoryHoliday ||
          info->kind == DayKind::kRestDay) {
        ++off;
      }
      if (info->kind == DayKind::kMakeUpWorkday) ++make_up;
    }
    EXPECT_EQ(off, row.days_off);
    EXPECT_EQ(statutory, row.statutory);
    EXPECT_EQ(make_up, row.make_up);
  }
}

}  // namespace
}  // namespace caserelay::time

namespace caserelay::time {
namespace {

TEST(CalendarUncoveredYearsTest,
     WeekendsOnlyCountsAYearWithoutATableOnWeekends) {
  // DOMAIN.md "Counting": the State Council publishes each year's table in
  // November; until it is added, a deployment that chose kWeekendsOnly
  // counts that year's Saturdays and Sundays as its only rest days.
  auto calendar = Calendar::Load(CASERELAY_SOURCE_DIR "/data/holidays",
                                 {UncoveredYears::kWeekendsOnly});
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  ASSERT_FALSE(calendar->Covers(2099));
  // 2099-01-03 is a Saturday: a 2-day period from Thursday ends on Monday.
  auto last = calendar->AddCalendarDays(absl::CivilDay(2099, 1, 1), 2);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(*last, absl::CivilDay(2099, 1, 5));
  // Five working days from Thursday 2099-01-01 (not a holiday here).
  auto work = calendar->AddWorkingDays(absl::CivilDay(2099, 1, 1), 5);
  ASSERT_TRUE(work.ok()) << work.status();
  EXPECT_EQ(*work, absl::CivilDay(2099, 1, 8));
  // Covered years keep their tables: 2026-10-01 is National Day.
  auto national = calendar->Describe(absl::CivilDay(2026, 10, 1));
  ASSERT_TRUE(national.ok());
  EXPECT_EQ(national->kind, DayKind::kStatutoryHoliday);
}

TEST(CalendarUncoveredYearsTest, RefuseIsTheDefault) {
  // Issue 4: "Years without a table fail loudly, not silently."
  EXPECT_EQ(CalendarOptions{}.uncovered, UncoveredYears::kRefuse);
  auto calendar = Calendar::Load(CASERELAY_SOURCE_DIR "/data/holidays");
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_EQ(
      calendar->AddCalendarDays(absl::CivilDay(2099, 1, 1), 2).status().code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST(CalendarUncoveredYearsTest, WeekendsOnlyIsOptInAndProvisional) {
  // The same question, default options and kWeekendsOnly: 10 working days
  // from Thu 2026-12-24 reach into 2027, which has no table.
  const absl::CivilDay start(2026, 12, 24);
  auto strict = Calendar::Load(CASERELAY_SOURCE_DIR "/data/holidays");
  ASSERT_TRUE(strict.ok()) << strict.status();
  absl::StatusOr<absl::CivilDay> refused = strict->AddWorkingDays(start, 10);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);

  auto lenient = Calendar::Load(CASERELAY_SOURCE_DIR "/data/holidays",
                                {UncoveredYears::kWeekendsOnly});
  ASSERT_TRUE(lenient.ok()) << lenient.status();
  absl::StatusOr<absl::CivilDay> provisional =
      lenient->AddWorkingDays(start, 10);
  ASSERT_TRUE(provisional.ok()) << provisional.status();
  // 12-25, 12-28..12-31 are 1..5; 2027-01-01 (元旦, unknown without the
  // table, so a plain Friday) the 6th; 1-04..1-07 7..10.
  EXPECT_EQ(*provisional, absl::CivilDay(2027, 1, 7));
}

}  // namespace
}  // namespace caserelay::time
