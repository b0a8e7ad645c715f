// casectl clock: TIME and DURATION, the command line, and the clock file.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "common/time/file_clock.h"
#include "gtest/gtest.h"
#include "tools/casectl/cli.h"
#include "tools/casectl/clock_commands.h"

namespace caserelay::casectl {
namespace {

absl::Time Utc(int y, int m, int d, int hh, int mm = 0, int ss = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss),
                         absl::UTCTimeZone());
}

TEST(ClockTimeTest, Rfc3339OrAChinaDate) {
  struct Row {
    std::string text;
    absl::Time want;
  };
  const Row rows[] = {
      {"2026-05-01T08:00:00+08:00", Utc(2026, 5, 1, 0)},
      {"2026-05-01T00:00:00Z", Utc(2026, 5, 1, 0)},
      {"2026-05-01T00:00:00.5Z", Utc(2026, 5, 1, 0) + absl::Milliseconds(500)},
      // A date is 00:00 China time (UTC+8): 16:00 UTC the day before.
      {"2026-05-01", Utc(2026, 4, 30, 16)},
  };
  for (const Row& row : rows) {
    absl::StatusOr<absl::Time> t = ParseClockTime(row.text);
    ASSERT_TRUE(t.ok()) << row.text << ": " << t.status();
    EXPECT_EQ(*t, row.want) << row.text;
  }
  for (const char* bad : {"2026-05-01 08:00", "2026-5-1", "yesterday", "",
                          "2026-05-01T08:00:00"}) {
    absl::StatusOr<absl::Time> t = ParseClockTime(bad);
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(t.status().message(),
              "TIME must be RFC 3339 such as 2026-05-01T08:00:00+08:00, or a "
              "China date YYYY-MM-DD; got '" +
                  std::string(bad) + "'");
  }
}

TEST(ClockDurationTest, DaysAndAbslDurations) {
  struct Row {
    std::string text;
    absl::Duration want;
  };
  const Row rows[] = {
      {"36h", absl::Hours(36)},   {"15d", absl::Hours(15 * 24)},
      {"1d12h", absl::Hours(36)}, {"1h30m", absl::Minutes(90)},
      {"90s", absl::Seconds(90)}, {"365d", absl::Hours(365 * 24)},
  };
  for (const Row& row : rows) {
    absl::StatusOr<absl::Duration> d = ParseClockDuration(row.text);
    ASSERT_TRUE(d.ok()) << row.text << ": " << d.status();
    EXPECT_EQ(*d, row.want) << row.text;
  }
  for (const char* bad : {"", "0d", "0s", "-1h", "1d-1h", "d", "1.5d", "15",
                          "1w", "inf", "99999999d", "1dd"}) {
    absl::StatusOr<absl::Duration> d = ParseClockDuration(bad);
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(d.status().message(),
              "DURATION must be a positive sum of d (days), h, m and s such as "
              "36h, 15d or 1d12h; got '" +
                  std::string(bad) + "'");
  }
}

class ClockCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv(kClockFileVariable);
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("casectl_clock_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "clock").string();
  }
  void TearDown() override {
    ::unsetenv(kClockFileVariable);
    std::filesystem::remove_all(dir_);
  }

  absl::StatusOr<ClockCommand> Parse(const std::vector<std::string>& args) {
    absl::StatusOr<Invocation> inv = ParseInvocation(args);
    if (!inv.ok()) return inv.status();
    return ClockCommandOf(inv->flags);
  }

  // Parses and runs `args`; the printed text, or the error.
  absl::StatusOr<std::string> Run(const std::vector<std::string>& args,
                                  bool json = false) {
    absl::StatusOr<ClockCommand> cmd = Parse(args);
    if (!cmd.ok()) return cmd.status();
    std::ostringstream out;
    absl::Status s = RunClock(*cmd, PrintOptions{json}, out);
    if (!s.ok()) return s;
    return out.str();
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(ClockCommandTest, UsageErrors) {
  struct Row {
    std::vector<std::string> args;
    std::string message;
  };
  const std::string f = "--clock-file=" + path_;
  const Row rows[] = {
      {{"clock", "stop", f},
       "clock takes show, set TIME or advance DURATION; got 'stop'"},
      {{"clock", "show", "now", f}, "clock show takes no argument; got 'now'"},
      {{"clock", "set", f}, "clock set takes TIME"},
      {{"clock", "advance", f}, "clock advance takes DURATION"},
      {{"clock", "show"},
       "clock needs --clock-file PATH (or "
       "$CASERELAY_CLOCK_FILE)"},
      {{"clock", "set", "tomorrow", f},
       "TIME must be RFC 3339 such as 2026-05-01T08:00:00+08:00, or a China "
       "date YYYY-MM-DD; got 'tomorrow'"},
  };
  for (const Row& row : rows) {
    absl::StatusOr<ClockCommand> cmd = Parse(row.args);
    EXPECT_EQ(cmd.status().code(), absl::StatusCode::kInvalidArgument)
        << row.message;
    EXPECT_EQ(cmd.status().message(), row.message);
  }
}

TEST_F(ClockCommandTest, PathComesFromTheServicesVariableWithoutTheFlag) {
  ::setenv(kClockFileVariable, "/env/clock", 1);
  absl::StatusOr<ClockCommand> cmd = Parse({"clock", "show"});
  ASSERT_TRUE(cmd.ok()) << cmd.status();
  EXPECT_EQ(cmd->path, "/env/clock");
  cmd = Parse({"clock", "show", "--clock-file", "/flag/clock"});
  ASSERT_TRUE(cmd.ok()) << cmd.status();
  EXPECT_EQ(cmd->path, "/flag/clock");
}

TEST_F(ClockCommandTest, SetCreatesAdvanceMovesShowReads) {
  const std::string f = "--clock-file=" + path_;
  absl::StatusOr<std::string> out = Run({"clock", "set", "2026-01-01", f});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out,
            "clock: 2026-01-01 00:00:00 China time "
            "(2025-12-31T16:00:00Z), file " +
                path_ + "\n");
  out = Run({"clock", "advance", "15d", f});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out,
            "clock: 2026-01-16 00:00:00 China time "
            "(2026-01-15T16:00:00Z), file " +
                path_ + "\n");
  out = Run({"clock", "advance", "36h", f});
  ASSERT_TRUE(out.ok()) << out.status();
  out = Run({"clock", "show", f}, /*json=*/true);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out,
            "{\"now\":\"2026-01-17T04:00:00Z\",\"file\":\"" + path_ + "\"}\n");
  // Another process's view of the same file (the services'): the same time.
  auto clock = time::FileClock::Open(path_);
  ASSERT_TRUE(clock.ok()) << clock.status();
  EXPECT_EQ((*clock)->Now(), Utc(2026, 1, 17, 4));
  // set moves an existing clock, backwards too, keeping the file.
  out = Run({"clock", "set", "2026-01-01T08:00:00+08:00", f});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*clock)->Now(), Utc(2026, 1, 1, 0));
}

TEST_F(ClockCommandTest, ShowAndAdvanceNeedAnExistingClockFile) {
  for (const char* verb : {"show", "advance"}) {
    std::vector<std::string> args = {"clock", verb, "--clock-file", path_};
    if (std::string(verb) == "advance") args.push_back("1d");
    absl::StatusOr<std::string> out = Run(args);
    EXPECT_EQ(out.status().code(), absl::StatusCode::kNotFound) << verb;
    EXPECT_NE(out.status().message().find("casectl clock set TIME creates it"),
              absl::string_view::npos)
        << out.status().message();
  }
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(ClockCommandTest, SetNeverReplacesAFileThatIsNotAClock) {
  std::ofstream(path_) << "not a clock\n";
  absl::StatusOr<std::string> out =
      Run({"clock", "set", "2026-01-01", "--clock-file", path_});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss);
  std::ifstream in(path_);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "not a clock");
}

}  // namespace
}  // namespace caserelay::casectl
