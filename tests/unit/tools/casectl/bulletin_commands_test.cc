// casectl bulletin's command line (issue 17 item 2: `casectl bulletin
// daily|weekly|monthly --office <bureau> --date YYYY-MM-DD [--format
// html|pdf|csv] [--out FILE]`, list and get): what each parses to, and bad
// usage refused before anything is sent.
#include "tools/casectl/bulletin_commands.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/casectl/cli.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;
using ::testing::HasSubstr;

absl::StatusOr<BulletinCommand> Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "bulletin");
  auto inv = ParseInvocation(args);
  if (!inv.ok()) return inv.status();
  return BulletinCommandOf(inv->flags);
}

TEST(BulletinCommandsTest, IssueListAndGetParse) {
  auto weekly = Parse({"weekly", "--office", "140000:bureau", "--date",
                       "2026-03-11", "--format", "pdf", "--out", "w.pdf"});
  ASSERT_TRUE(weekly.ok()) << weekly.status();
  EXPECT_EQ(weekly->verb, BulletinCommand::Verb::kIssue);
  EXPECT_EQ(weekly->issue.bureau_code(), "140000:bureau");
  EXPECT_EQ(weekly->issue.kind(), v1::BULLETIN_KIND_WEEKLY);
  EXPECT_EQ(weekly->issue.day(), "2026-03-11");
  EXPECT_EQ(weekly->get.format(), v1::BULLETIN_FORMAT_PDF);
  EXPECT_EQ(weekly->out, "w.pdf");

  auto daily =
      Parse({"daily", "--office", "140100:bureau", "--date", "2026-10-03"});
  ASSERT_TRUE(daily.ok()) << daily.status();
  EXPECT_EQ(daily->issue.kind(), v1::BULLETIN_KIND_DAILY);
  EXPECT_EQ(daily->get.format(), v1::BULLETIN_FORMAT_HTML);  // the default

  auto list = Parse({"list", "--office", "140000:bureau", "--kind", "monthly",
                     "--year", "2027", "--limit", "20"});
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->verb, BulletinCommand::Verb::kList);
  EXPECT_EQ(list->list.kind(), v1::BULLETIN_KIND_MONTHLY);
  EXPECT_EQ(list->list.year(), 2027);
  EXPECT_EQ(list->list.page_size(), 20);

  auto get =
      Parse({"get", "140000:bureau/weekly/2026-03-09", "--format", "csv"});
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_EQ(get->verb, BulletinCommand::Verb::kGet);
  EXPECT_EQ(get->get.id(), "140000:bureau/weekly/2026-03-09");
  EXPECT_EQ(get->get.format(), v1::BULLETIN_FORMAT_CSV);
}

TEST(BulletinCommandsTest, BadUsageNamesTheWordOrFlag) {
  struct Row {
    std::vector<std::string> args;
    const char* names;
  };
  const Row rows[] = {
      {{"quarterly", "--office", "140000:bureau", "--date", "2026-03-11"},
       "daily, weekly or monthly"},
      {{"weekly", "--date", "2026-03-11"}, "--office"},
      {{"weekly", "--office", "140000", "--date", "2026-03-11"}, "--office"},
      {{"weekly", "--office", "140000:bureau"}, "--date"},
      {{"weekly", "--office", "140000:bureau", "--date", "2026-3-11"},
       "--date"},
      {{"weekly", "--office", "140000:bureau", "--date", "2026-03-11",
        "--format", "docx"},
       "--format"},
      {{"list", "--office", "140000:bureau", "--kind", "yearly"}, "--kind"},
      {{"list", "--office", "140000:bureau", "--year", "0"}, "--year"},
      {{"get"}, "ID"},
      {{"weekly", "X", "--office", "140000:bureau", "--date", "2026-03-11"},
       "takes no ID"},
  };
  for (const Row& row : rows) {
    auto command = Parse(row.args);
    ASSERT_FALSE(command.ok()) << row.names;
    EXPECT_EQ(command.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(command.status().message(), HasSubstr(row.names));
  }
}

}  // namespace
}  // namespace caserelay::casectl
