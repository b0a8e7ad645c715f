// casectl reception's command line (领导接访安排, issue 18 item 1: publish,
// list, cancel) and submit --reception: what each parses to, and bad usage
// refused before anything is sent.
#include "tools/casectl/reception_commands.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/casectl/cli.h"
#include "tools/casectl/intake_commands.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;
using ::testing::HasSubstr;

absl::StatusOr<ReceptionCommand> Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "reception");
  auto inv = ParseInvocation(args);
  if (!inv.ok()) return inv.status();
  return ReceptionCommandOf(inv->flags);
}

TEST(ReceptionCommandsTest, PublishListAndCancelParse) {
  auto publish = Parse({"publish", "--office", "140431:gov", "--leader",
                        "王某某", "--title", "县长", "--kind", "down-visit",
                        "--day", "2026-03-04", "--place", "某某村村委会",
                        "--topic", "征地拆迁", "--request-id", "r1"});
  ASSERT_TRUE(publish.ok()) << publish.status();
  EXPECT_EQ(publish->verb, ReceptionCommand::Verb::kPublish);
  EXPECT_EQ(publish->publish.office_code(), "140431:gov");
  EXPECT_EQ(publish->publish.leader_name(), "王某某");
  EXPECT_EQ(publish->publish.leader_title(), "县长");
  EXPECT_EQ(publish->publish.kind(), v1::RECEPTION_KIND_DOWN_VISIT);
  EXPECT_EQ(publish->publish.day(), "2026-03-04");
  EXPECT_EQ(publish->publish.place(), "某某村村委会");
  EXPECT_EQ(publish->publish.topic(), "征地拆迁");
  EXPECT_EQ(publish->publish.request_id(), "r1");

  auto list = Parse({"list", "--region", "140431", "--from", "2026-03-01",
                     "--to", "2026-03-31"});
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->verb, ReceptionCommand::Verb::kList);
  EXPECT_EQ(list->list.region_code(), "140431");
  EXPECT_EQ(list->list.from_day(), "2026-03-01");
  EXPECT_EQ(list->list.to_day(), "2026-03-31");

  auto cancel = Parse({"cancel", "JF20260301-0001"});
  ASSERT_TRUE(cancel.ok()) << cancel.status();
  EXPECT_EQ(cancel->verb, ReceptionCommand::Verb::kCancel);
  EXPECT_EQ(cancel->cancel.reception_id(), "JF20260301-0001");
}

TEST(ReceptionCommandsTest, BadUsageIsRefusedNamingTheWordOrFlag) {
  struct Row {
    std::vector<std::string> args;
    const char* says;
  };
  for (const Row& row : std::vector<Row>{
           {{"show"}, "publish, list or cancel"},
           {{"cancel"}, "the reception's ID"},
           {{"list", "JF20260301-0001"}, "takes no ID"},
           {{"publish", "--kind", "weekly"}, "--kind"},
       }) {
    auto got = Parse(row.args);
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument)
        << row.args[0];
    EXPECT_THAT(got.status().message(), HasSubstr(row.says)) << row.args[0];
  }
}

TEST(ReceptionCommandsTest, SubmitTakesTheReception) {
  auto inv = ParseInvocation({"submit", "--channel", "visit", "--reception",
                              "JF20260301-0001"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  auto req = SubmitRequestOf(inv->flags);
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->reception_id(), "JF20260301-0001");
  EXPECT_EQ(req->matter().channel(), v1::CHANNEL_VISIT);
}

TEST(ReceptionCommandsTest, ARowShowsTheScheduleAndACancellation) {
  v1::Reception r;
  r.set_reception_id("JF20260301-0001");
  r.set_day("2026-03-04");
  r.set_kind(v1::RECEPTION_KIND_SCHEDULED);
  r.set_office_code("140431:gov");
  r.set_office_name("沁源县人民政府");
  r.set_leader_name("王某某");
  r.set_leader_title("县长");
  r.set_place("县信访局接待大厅");
  r.set_cancelled(true);
  std::vector<std::string> row = ReceptionRow(r);
  ASSERT_EQ(row.size(), 8u);
  EXPECT_EQ(row[0], "JF20260301-0001");
  EXPECT_THAT(row[2], HasSubstr("领导接访日"));
  EXPECT_EQ(row[4], "县长 王某某");
  EXPECT_EQ(row[7], "已取消");
}

}  // namespace
}  // namespace caserelay::casectl
