// The console's 领导包案 list (issue 18 item 2): the gateway passes the
// user's query to routing's ListChargedCases and answers routing's list as
// it came (whose list and which cases are routing's rule, not the
// gateway's).

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/unit/services/web/console_fixture.h"

namespace caserelay::web {
namespace {

using webtest::ConsoleTest;

TEST_F(ConsoleTest, ChargedListIsRoutingsListForTheUser) {
  const std::string token = SessionOf("handler1");
  auto listed = std::make_shared<v1::ListChargedCasesResponse>();
  v1::ChargedCase* item = listed->add_cases();
  item->set_case_id("QY-2026-000018");
  item->set_state(v1::CASE_STATE_ASSIGNED);
  item->mutable_leader()->set_leader_name("王某某");
  item->mutable_leader()->set_leader_title("县长");
  v1::LeaderQuota* quota = listed->add_leaders();
  quota->set_leader_name("王某某");
  quota->set_taken(1);
  quota->set_quota(3);
  listed->set_quarter("2026Q1");
  backends_.answers[ConsoleRpc::kListChargedCases] = listed;

  HttpCall call = Get("/api/v1/console/charged", token);
  call.query = {{"leader", "王某某"}, {"page_size", "20"}};
  HttpAnswer answer = console_.Handle(call);
  ASSERT_EQ(answer.status, 200) << answer.body;
  auto calls = backends_.Of(ConsoleRpc::kListChargedCases);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(absl::StrContains(calls[0].request, "page_size: 20"))
      << calls[0].request;
  EXPECT_FALSE(absl::StrContains(calls[0].request, "office_code"))
      << "the office is routing's to decide from the user: "
      << calls[0].request;
  // The user's office and roles travel as the call's metadata.
  EXPECT_FALSE(calls[0].meta.office.empty());
  EXPECT_TRUE(absl::StrContains(answer.body, "QY-2026-000018")) << answer.body;
  EXPECT_TRUE(absl::StrContains(answer.body, "\"taken\":1")) << answer.body;
  EXPECT_TRUE(absl::StrContains(answer.body, "2026Q1")) << answer.body;
}

TEST_F(ConsoleTest, ChargedListRefusalIsRoutingsInChinese) {
  const std::string token = SessionOf("handler1");
  backends_.status[ConsoleRpc::kListChargedCases] = grpc::Status(
      grpc::StatusCode::PERMISSION_DENIED, "office_code: 只能查看本单位或所辖单位的领导包案");
  HttpCall call = Get("/api/v1/console/charged", token);
  call.query = {{"office", "140200:gov"}};
  HttpAnswer answer = console_.Handle(call);
  EXPECT_EQ(answer.status, 403) << answer.body;
  auto calls = backends_.Of(ConsoleRpc::kListChargedCases);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(absl::StrContains(calls[0].request, "140200:gov"));
}

}  // namespace
}  // namespace caserelay::web
