// Calendar::Load on hand-written tables in a temp dir: the format of
// data/holidays/README.md, and that every malformed line is refused loudly.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/time/calendar.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::time {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// A fresh empty directory under the test's temp dir, removed afterwards.
class CalendarLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* test =
        ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           absl::StrCat("calendar_load_", test->name(), "_", ::getpid());
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

TEST_F(CalendarLoadTest, AcceptsCommentsBlankLinesAndCrlf) {
  Write("2025.tsv",
        "# comment\r\n"
        "\r\n"
        "2025-01-01\tholiday\t元旦\tstatutory\r\n"
        "2025-01-26\tworkday\t调休 for 春节\r\n");
  Write("README.md", "not a table\n");
  absl::StatusOr<Calendar> calendar = Calendar::Load(dir_.string());
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_EQ(*calendar->IsWorkingDay(absl::CivilDay(2025, 1, 1)), false);
  EXPECT_EQ(*calendar->IsWorkingDay(absl::CivilDay(2025, 1, 26)), true);
  EXPECT_EQ(*calendar->IsWorkingDay(absl::CivilDay(2025, 1, 2)), true);
  EXPECT_EQ(
      calendar->IsWorkingDay(absl::CivilDay(2024, 12, 31)).status().code(),
      absl::StatusCode::kFailedPrecondition)
      << "README.md must not make any year covered";
}

TEST_F(CalendarLoadTest, AcceptsNewYearBreakStartingInPreviousDecember) {
  // e.g. the 2023 notice: 元旦 2022-12-31..2023-01-02.
  Write("2022.tsv", "2022-10-01\tholiday\t国庆节\tstatutory\n");
  Write("2023.tsv",
        "2022-12-31\tholiday\t元旦\trest\n"
        "2023-01-02\tholiday\t元旦\trest\n");
  absl::StatusOr<Calendar> calendar = Calendar::Load(dir_.string());
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  absl::StatusOr<DayInfo> info =
      calendar->Describe(absl::CivilDay(2022, 12, 31));
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->kind, DayKind::kRestDay);
}

TEST_F(CalendarLoadTest, MalformedLineIsInvalidArgumentWithFileAndLine) {
  struct Row {
    const char* rule;
    const char* line;
    const char* message;
  } rows[] = {
      {"holiday needs 4 fields", "2025-01-01\tholiday\t元旦", "4 fields"},
      {"workday has 3 fields", "2025-01-04\tworkday\tx\ty", "3 fields"},
      {"fields are TAB-separated", "2025-01-01 holiday 元旦 statutory",
       "got 1 field"},
      {"date is zero-padded YYYY-MM-DD", "2025-1-1\tholiday\t元旦\tstatutory",
       "not a YYYY-MM-DD date"},
      {"date exists", "2025-02-30\tholiday\t元旦\tstatutory",
       "not a YYYY-MM-DD date"},
      {"kind is holiday or workday", "2025-01-01\tvacation\t元旦\tstatutory",
       "kind 'vacation'"},
      {"fourth field is statutory or rest", "2025-01-01\tholiday\t元旦\tyes",
       "neither 'statutory' nor 'rest'"},
      {"name is not empty", "2025-01-01\tholiday\t\tstatutory",
       "name (third field) is empty"},
      {"make-up day is a weekend day", "2025-01-02\tworkday\t调休 for 元旦",
       "is not a Saturday or Sunday"},
      {"date in the file's year", "2024-06-01\tholiday\tx\trest",
       "outside the table's year 2025"},
      {"date in the file's year", "2026-01-01\tholiday\tx\trest",
       "outside the table's year 2025"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    Write("2025.tsv", absl::StrCat("# header\n\n", row.line, "\n"));
    absl::StatusOr<Calendar> calendar = Calendar::Load(dir_.string());
    EXPECT_EQ(calendar.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(calendar.status().message()),
                StartsWith((dir_ / "2025.tsv:3: ").string()));
    EXPECT_THAT(std::string(calendar.status().message()),
                HasSubstr(row.message));
  }
}

TEST_F(CalendarLoadTest, DuplicateDateIsInvalidArgumentNamingBothPlaces) {
  Write("2024.tsv", "2024-12-31\tholiday\tx\trest\n");
  Write("2025.tsv",
        "2025-01-01\tholiday\t元旦\tstatutory\n"
        "2024-12-31\tholiday\t元旦\trest\n");
  absl::StatusOr<Calendar> calendar = Calendar::Load(dir_.string());
  EXPECT_EQ(calendar.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(calendar.status().message()),
              HasSubstr("2024-12-31 is already listed at"));
  EXPECT_THAT(std::string(calendar.status().message()),
              HasSubstr("2024.tsv:1"));
  EXPECT_THAT(std::string(calendar.status().message()),
              HasSubstr("2025.tsv:2"));
}

TEST_F(CalendarLoadTest, DirectoryWithoutTablesIsNotFound) {
  Write("README.md", "no tables here\n");
  Write("25.tsv", "2025-01-01\tholiday\t元旦\tstatutory\n");
  EXPECT_EQ(Calendar::Load(dir_.string()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CalendarLoadTest, MissingDirectoryIsNotFound) {
  EXPECT_EQ(Calendar::Load((dir_ / "absent").string()).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace caserelay::time
