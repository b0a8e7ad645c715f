// casectl calendar (issue 13 item 3): the command line, a year's listing
// with the source of each day, and --due counted as routing counts it, on
// the real data/holidays (notices for 2024-2026; 2027 and later derived
// from the law).

#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/casectl/calendar_commands.h"
#include "tools/casectl/cli.h"

namespace caserelay::casectl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kHolidays[] = CASERELAY_SOURCE_DIR "/data/holidays";

absl::StatusOr<CalendarCommand> Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "calendar");
  args.push_back("--calendar-dir");
  args.push_back(kHolidays);
  absl::StatusOr<Invocation> inv = ParseInvocation(args);
  if (!inv.ok()) return inv.status();
  return CalendarCommandOf(inv->flags);
}

std::string RunCalendarOf(std::vector<std::string> args, bool json = false) {
  absl::StatusOr<CalendarCommand> cmd = Parse(std::move(args));
  EXPECT_TRUE(cmd.ok()) << cmd.status();
  if (!cmd.ok()) return "";
  std::ostringstream out;
  absl::Status s = RunCalendar(*cmd, PrintOptions{json}, out);
  EXPECT_TRUE(s.ok()) << s;
  return out.str();
}

TEST(CalendarCommandTest, ParsesAYearOrADuePeriod) {
  auto year = Parse({"2027"});
  ASSERT_TRUE(year.ok()) << year.status();
  EXPECT_FALSE(year->due);
  EXPECT_EQ(year->year, 2027);
  EXPECT_EQ(year->dir, kHolidays);
  EXPECT_EQ(year->uncovered, time::UncoveredYears::kDeriveFromLaw)
      << "routing's default (calendar.uncovered_years = law)";

  auto due = Parse({"--due", "2027-01-21T09:00:00+08:00", "15", "--working"});
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_TRUE(due->due);
  EXPECT_TRUE(due->working);
  EXPECT_EQ(due->start, absl::CivilDay(2027, 1, 21)) << "the China day";
  EXPECT_EQ(due->days, 15);
  // 2027-01-20T20:00Z is 01-21 04:00 in China.
  auto utc = Parse({"--due", "2027-01-20T20:00:00Z", "0"});
  ASSERT_TRUE(utc.ok()) << utc.status();
  EXPECT_EQ(utc->start, absl::CivilDay(2027, 1, 21));
}

TEST(CalendarCommandTest, BadUsageIsInvalidArgument) {
  struct Row {
    std::vector<std::string> args;
    const char* says;
  } rows[] = {
      {{"2027", "2028"}, "calendar takes YEAR, or --due START DAYS"},
      {{"--due", "2027-01-21"}, "calendar takes YEAR, or --due START DAYS"},
      {{"twenty"}, "YEAR must be a year"},
      {{"2027", "--working"}, "--working goes with --due"},
      {{"--due", "2027-1-21", "15"}, "START must be a China date"},
      {{"--due", "2027-01-21", "-1"}, "DAYS must be a whole number"},
      {{"2027", "--uncovered-years", "guess"}, "--uncovered-years"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.says);
    absl::StatusOr<CalendarCommand> cmd = Parse(row.args);
    EXPECT_EQ(cmd.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(cmd.status().message()), HasSubstr(row.says));
  }
}

TEST(CalendarCommandTest, AYearWithoutANoticeListsTheDerivedDays) {
  const std::string out = RunCalendarOf({"2027"});
  // 放假办法 (2024 revision): 春节 is 除夕 + 初一..初三; HKO: 除夕 02-05.
  EXPECT_THAT(out, HasSubstr("calendar 2027: no State Council notice loaded: "
                             "derived from the law"));
  EXPECT_THAT(out, HasSubstr("2027-02-05  Fri  statutory derived  春节\n"));
  EXPECT_THAT(out, HasSubstr("2027-02-08  Mon  statutory derived  春节\n"));
  EXPECT_THAT(out, HasSubstr("13 statutory days, 0 other rest days, 0 "
                             "make-up working days"));
  EXPECT_THAT(out, Not(HasSubstr("notice  ")));
}

TEST(CalendarCommandTest, AYearWithANoticeListsItsRestAndMakeUpDays) {
  // data/holidays/2026.tsv (国务院办公厅 2025-11-04): 3+9+3+5+3+3+7 days
  // off, 13 statutory, 6 make-up working days.
  const std::string out = RunCalendarOf({"2026"});
  EXPECT_THAT(out, HasSubstr("calendar 2026: State Council notice ("));
  EXPECT_THAT(out,
              HasSubstr("2026-02-14  Sat  make-up   notice  调休 for 春节\n"));
  EXPECT_THAT(out, HasSubstr("2026-02-16  Mon  statutory notice  春节\n"));
  EXPECT_THAT(out, HasSubstr("13 statutory days, 20 other rest days, 6 "
                             "make-up working days"));
}

TEST(CalendarCommandTest, DueIsCountedAsRoutingCountsIt) {
  struct Row {
    const char* rule;
    std::vector<std::string> args;
    const char* want;  // the JSON line
  } rows[] = {
      {"Art. 22 15 days from 2027-01-21 end on 除夕 02-05; 02-05..08 are "
       "statutory: last day Tue 02-09, due at its 24:00 China time",
       {"--due", "2027-01-21", "15"},
       "{\"start\":\"2027-01-21\",\"days\":15,\"working\":false,"
       "\"last_day\":\"2027-02-09\",\"due\":\"2027-02-09T16:00:00Z\","
       "\"years_without_notice\":[2027]}\n"},
      {"Art. 23 5 working days skip the 2027 春节 days",
       {"--due", "2027-02-04", "5", "--working"},
       "{\"start\":\"2027-02-04\",\"days\":5,\"working\":true,"
       "\"last_day\":\"2027-02-15\",\"due\":\"2027-02-15T16:00:00Z\","
       "\"years_without_notice\":[2027]}\n"},
      {"2026 has its notice: 09-01 + 15 = Wed 09-16",
       {"--due", "2026-09-01", "15"},
       "{\"start\":\"2026-09-01\",\"days\":15,\"working\":false,"
       "\"last_day\":\"2026-09-16\",\"due\":\"2026-09-16T16:00:00Z\","
       "\"years_without_notice\":[]}\n"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    EXPECT_EQ(RunCalendarOf(row.args, /*json=*/true), row.want);
  }
  const std::string text = RunCalendarOf({"--due", "2027-01-21", "15"});
  EXPECT_THAT(text, HasSubstr("last day  2027-02-09 Tue"));
  EXPECT_THAT(text, HasSubstr("due       2027-02-10 00:00 China time"));
  EXPECT_THAT(text, HasSubstr("no State Council notice loaded for 2027"));
}

TEST(CalendarCommandTest, RefuseModeRefusesAYearWithoutANotice) {
  absl::StatusOr<CalendarCommand> cmd =
      Parse({"--due", "2027-01-21", "15", "--uncovered-years", "refuse"});
  ASSERT_TRUE(cmd.ok()) << cmd.status();
  std::ostringstream out;
  EXPECT_EQ(RunCalendar(*cmd, PrintOptions{}, out).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace caserelay::casectl
