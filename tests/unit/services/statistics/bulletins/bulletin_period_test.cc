// Which days each bulletin covers and when it is issued, over the 2026
// table (国务院办公厅 notice of 2025-11-04) and 2027 derived from the law
// (no notice loaded yet), as the services load the calendar.
#include "services/statistics/bulletins/bulletin_period.h"

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/time/calendar_setup.h"
#include "gtest/gtest.h"

namespace caserelay::bulletins {
namespace {

using absl::CivilDay;

const time::Calendar& TheCalendar() {
  static const time::Calendar* calendar = [] {
    absl::StatusOr<time::Calendar> loaded =
        time::LoadCalendar(CASERELAY_SOURCE_DIR "/data/holidays",
                           time::UncoveredYears::kDeriveFromLaw);
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return new time::Calendar(*std::move(loaded));
  }();
  return *calendar;
}

struct Row {
  const char* rule;
  BulletinKind kind;
  CivilDay day;  // a day the period covers
  CivilDay first, last, issue_day;
};

TEST(BulletinPeriodTest, CoversTheDaysTheRuleSays) {
  const Row rows[] = {
      {"item 3: a Tuesday's daily covers the previous working day",
       BulletinKind::kDaily, CivilDay(2026, 3, 9), CivilDay(2026, 3, 9),
       CivilDay(2026, 3, 9), CivilDay(2026, 3, 10)},
      {"item 3: Monday's daily covers Friday and the weekend after it",
       BulletinKind::kDaily, CivilDay(2026, 3, 14), CivilDay(2026, 3, 13),
       CivilDay(2026, 3, 15), CivilDay(2026, 3, 16)},
      {"item 3: after 国庆 2026 (10-01..10-07, notice) the first working day "
       "covers the whole holiday",
       BulletinKind::kDaily, CivilDay(2026, 10, 3), CivilDay(2026, 9, 30),
       CivilDay(2026, 10, 7), CivilDay(2026, 10, 8)},
      {"item 3: 春节 2026 (02-15..02-23) after the make-up Saturday 02-14",
       BulletinKind::kDaily, CivilDay(2026, 2, 20), CivilDay(2026, 2, 14),
       CivilDay(2026, 2, 23), CivilDay(2026, 2, 24)},
      {"item 3: a make-up working day (调休 Saturday 2026-02-14) has a daily",
       BulletinKind::kDaily, CivilDay(2026, 2, 13), CivilDay(2026, 2, 13),
       CivilDay(2026, 2, 13), CivilDay(2026, 2, 14)},
      {"item 3: the make-up Saturday 2026-10-10 covers Friday 10-09",
       BulletinKind::kDaily, CivilDay(2026, 10, 9), CivilDay(2026, 10, 9),
       CivilDay(2026, 10, 9), CivilDay(2026, 10, 10)},
      {"item 3: 元旦 2026, issued on the make-up Sunday 01-04",
       BulletinKind::kDaily, CivilDay(2026, 1, 2), CivilDay(2025, 12, 31),
       CivilDay(2026, 1, 3), CivilDay(2026, 1, 4)},
      {"item 3: across the year: 元旦 2027 (law) and its weekend",
       BulletinKind::kDaily, CivilDay(2027, 1, 1), CivilDay(2026, 12, 31),
       CivilDay(2027, 1, 3), CivilDay(2027, 1, 4)},
      {"item 3: 春节 2027 by the law (除夕 02-05 to 初三 02-08)",
       BulletinKind::kDaily, CivilDay(2027, 2, 6), CivilDay(2027, 2, 4),
       CivilDay(2027, 2, 8), CivilDay(2027, 2, 9)},
      {"item 2: 周通报 on Monday for Monday to Sunday", BulletinKind::kWeekly,
       CivilDay(2026, 3, 11), CivilDay(2026, 3, 9), CivilDay(2026, 3, 15),
       CivilDay(2026, 3, 16)},
      {"items 2, 3: the Monday is 国庆 (10-05): the first working day after",
       BulletinKind::kWeekly, CivilDay(2026, 10, 1), CivilDay(2026, 9, 28),
       CivilDay(2026, 10, 4), CivilDay(2026, 10, 8)},
      {"items 2, 3: two weeks of 春节 2026 both issued on 02-24",
       BulletinKind::kWeekly, CivilDay(2026, 2, 10), CivilDay(2026, 2, 9),
       CivilDay(2026, 2, 15), CivilDay(2026, 2, 24)},
      {"items 2, 3: two weeks of 春节 2026 both issued on 02-24 (second)",
       BulletinKind::kWeekly, CivilDay(2026, 2, 22), CivilDay(2026, 2, 16),
       CivilDay(2026, 2, 22), CivilDay(2026, 2, 24)},
      {"items 2, 3: 初三 2027 (02-08, law) is a Monday", BulletinKind::kWeekly,
       CivilDay(2027, 2, 7), CivilDay(2027, 2, 1), CivilDay(2027, 2, 7),
       CivilDay(2027, 2, 9)},
      {"item 2: 月分析 on the 1st for the calendar month",
       BulletinKind::kMonthly, CivilDay(2026, 5, 20), CivilDay(2026, 5, 1),
       CivilDay(2026, 5, 31), CivilDay(2026, 6, 1)},
      {"items 2, 3: 10-01 is 国庆: September's on 10-08",
       BulletinKind::kMonthly, CivilDay(2026, 9, 15), CivilDay(2026, 9, 1),
       CivilDay(2026, 9, 30), CivilDay(2026, 10, 8)},
      {"items 2, 3: December 2026's after 元旦 2027 (law) and the weekend",
       BulletinKind::kMonthly, CivilDay(2026, 12, 31), CivilDay(2026, 12, 1),
       CivilDay(2026, 12, 31), CivilDay(2027, 1, 4)},
      {"item 2: February 2027 (28 days)", BulletinKind::kMonthly,
       CivilDay(2027, 2, 1), CivilDay(2027, 2, 1), CivilDay(2027, 2, 28),
       CivilDay(2027, 3, 1)},
  };
  absl::StatusOr<PeriodRules> rules = PeriodRules::Create(TheCalendar());
  ASSERT_TRUE(rules.ok()) << rules.status();
  for (const Row& row : rows) {
    absl::StatusOr<BulletinPeriod> period = rules->Covering(row.kind, row.day);
    ASSERT_TRUE(period.ok()) << row.rule << ": " << period.status();
    EXPECT_EQ(period->kind, row.kind) << row.rule;
    EXPECT_EQ(period->first, row.first) << row.rule;
    EXPECT_EQ(period->last, row.last) << row.rule;
    EXPECT_EQ(period->issue_day, row.issue_day) << row.rule;
  }
}

// Item 3: no daily on a rest day, one on every working day, and every day
// of 2026 and 2027 in exactly one daily period (none lost, none twice).
TEST(BulletinPeriodTest, DailyPeriodsTileTheYearsAndIssueOnWorkingDaysOnly) {
  absl::StatusOr<PeriodRules> rules = PeriodRules::Create(TheCalendar());
  ASSERT_TRUE(rules.ok()) << rules.status();
  absl::StatusOr<BulletinPeriod> period =
      rules->Covering(BulletinKind::kDaily, CivilDay(2026, 1, 1));
  ASSERT_TRUE(period.ok()) << period.status();
  std::map<CivilDay, int> covered;
  int issues = 0;
  while (period->first <= CivilDay(2027, 12, 31)) {
    for (CivilDay d = period->first; d <= period->last; ++d) ++covered[d];
    EXPECT_TRUE(*TheCalendar().IsWorkingDay(period->issue_day))
        << period->issue_day;
    EXPECT_TRUE(*TheCalendar().IsWorkingDay(period->first)) << period->first;
    if (period->issue_day.year() == 2026) ++issues;
    absl::StatusOr<BulletinPeriod> next = rules->Next(*period);
    ASSERT_TRUE(next.ok()) << next.status();
    EXPECT_EQ(next->first, period->issue_day);
    period = next;
  }
  int working_2026 = 0;
  for (CivilDay d(2026, 1, 1); d <= CivilDay(2027, 12, 31); ++d) {
    EXPECT_EQ(covered[d], 1) << d;
    if (d.year() == 2026 && *TheCalendar().IsWorkingDay(d)) ++working_2026;
  }
  EXPECT_EQ(issues, working_2026);
  // 2026 from its notice: 261 weekdays, 19 of them in breaks, and 6
  // make-up weekend days: 248 working days, so 248 dailies issued in 2026.
  EXPECT_EQ(working_2026, 248);
}

TEST(BulletinPeriodTest, ConfiguredWeekdayAndDayOfMonth) {
  absl::StatusOr<PeriodRules> rules =
      PeriodRules::Create(TheCalendar(), absl::Weekday::friday, 5);
  ASSERT_TRUE(rules.ok()) << rules.status();
  // Friday 2026-03-13 is due: the week Friday 03-06 to Thursday 03-12.
  absl::StatusOr<BulletinPeriod> week =
      rules->Covering(BulletinKind::kWeekly, CivilDay(2026, 3, 12));
  ASSERT_TRUE(week.ok());
  EXPECT_EQ(week->first, CivilDay(2026, 3, 6));
  EXPECT_EQ(week->issue_day, CivilDay(2026, 3, 13));
  absl::StatusOr<BulletinPeriod> month =
      rules->Covering(BulletinKind::kMonthly, CivilDay(2026, 3, 3));
  ASSERT_TRUE(month.ok());
  EXPECT_EQ(month->first, CivilDay(2026, 2, 5));
  EXPECT_EQ(month->last, CivilDay(2026, 3, 4));
  EXPECT_EQ(month->issue_day, CivilDay(2026, 3, 5));
  EXPECT_EQ(PeriodRules::Create(TheCalendar(), absl::Weekday::monday, 29)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(BulletinPeriodTest, PeriodWordsForTitles) {
  absl::StatusOr<PeriodRules> rules = PeriodRules::Create(TheCalendar());
  ASSERT_TRUE(rules.ok());
  const std::vector<std::pair<BulletinPeriod, std::string>> rows = {
      {*rules->Covering(BulletinKind::kDaily, CivilDay(2026, 3, 9)),
       "2026年3月9日"},
      {*rules->Covering(BulletinKind::kDaily, CivilDay(2026, 10, 3)),
       "2026年9月30日至10月7日"},
      {*rules->Covering(BulletinKind::kDaily, CivilDay(2027, 1, 1)),
       "2026年12月31日至2027年1月3日"},
      {*rules->Covering(BulletinKind::kMonthly, CivilDay(2027, 1, 9)),
       "2027年1月"},
  };
  for (const auto& [period, words] : rows) {
    EXPECT_EQ(PeriodWords(period), words);
  }
}

TEST(BulletinPeriodTest, KindWords) {
  EXPECT_EQ(*ParseKind("weekly"), BulletinKind::kWeekly);
  EXPECT_EQ(KindTitle(BulletinKind::kMonthly), "月分析");
  EXPECT_EQ(ParseKind("quarterly").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caserelay::bulletins
