// casectl's group petition flags (群体访/联名, issue 18 item 3): submit's
// --co-representative and --head-count, group-alerts' flags.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tools/casectl/cli.h"
#include "tools/casectl/group_commands.h"
#include "tools/casectl/intake_commands.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;

absl::StatusOr<v1::SubmitPetitionRequest> Submit(
    std::vector<std::string> args) {
  args.insert(args.begin(), "submit");
  absl::StatusOr<Invocation> inv = ParseInvocation(args);
  if (!inv.ok()) return inv.status();
  return SubmitRequestOf(inv->flags);
}

TEST(GroupFlagsTest, RepresentativesAndHeadCountLandInTheRequest) {
  auto req = Submit({"--name", "张三", "--co-representative",
                     "李四|13900139001|沁源县1号", "--co-representative",
                     "王五||沁源县2号|11010519491231002X", "--head-count",
                     "37"});
  ASSERT_TRUE(req.ok()) << req.status();
  ASSERT_EQ(req->co_representatives_size(), 2);
  EXPECT_EQ(req->co_representatives(0).name(), "李四");
  EXPECT_EQ(req->co_representatives(0).phone(), "13900139001");
  EXPECT_EQ(req->co_representatives(0).address(), "沁源县1号");
  EXPECT_EQ(req->co_representatives(1).phone(), "")
      << "a representative without a phone gets no SMS";
  EXPECT_EQ(req->co_representatives(1).id_number(), "11010519491231002X");
  EXPECT_EQ(req->head_count(), 37);
}

TEST(GroupFlagsTest, MalformedGroupFlagsAreRefusedBeforeAnythingIsSent) {
  struct Row {
    const char* rule;
    std::vector<std::string> args;
    const char* flag;
  };
  const std::vector<Row> rows = {
      {"NAME|PHONE|ADDRESS: two fields are too few",
       {"--co-representative", "李四|13900139001"},
       "--co-representative"},
      {"NAME|PHONE|ADDRESS|ID: five fields are too many",
       {"--co-representative", "a|b|c|d|e"},
       "--co-representative"},
      {"head count: a whole number",
       {"--head-count", "many"},
       "--head-count"},
      {"head count: at least one person", {"--head-count", "0"}, "--head-count"},
  };
  for (const Row& row : rows) {
    auto req = Submit(row.args);
    EXPECT_EQ(req.status().code(), absl::StatusCode::kInvalidArgument)
        << row.rule;
    EXPECT_TRUE(absl::StartsWith(req.status().message(), row.flag))
        << row.rule << ": " << req.status();
    // The person's data is never echoed in the error.
    EXPECT_FALSE(absl::StrContains(req.status().message(), "李四")) << row.rule;
  }
}

TEST(GroupFlagsTest, GroupAlertsTakesTheLightsFlags) {
  absl::StatusOr<Invocation> inv = ParseInvocation(
      {"group-alerts", "--region", "140400", "--limit", "20", "--all"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  auto cmd = GroupAlertsCommandOf(inv->flags);
  ASSERT_TRUE(cmd.ok()) << cmd.status();
  EXPECT_EQ(cmd->request.region_code(), "140400");
  EXPECT_EQ(cmd->request.limit(), 20);
  EXPECT_TRUE(cmd->all);
  inv = ParseInvocation({"group-alerts", "--limit", "0"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(GroupAlertsCommandOf(inv->flags).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caserelay::casectl
