// The console's 接访安排 through the gateway (services/web/
// console_api_receptions.cc; issue 18 item 1): the list, the publication and
// the cancellation are intake's, always for the user's own office (from
// accounts' User, never the request), with the user's roles for intake's
// rule of who may; intake's refusals through the error table (errors.h).

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "caserelay/v1/intake.pb.h"
#include "gtest/gtest.h"
#include "tests/unit/services/web/console_fixture.h"

namespace caserelay::web {
namespace {

using webtest::ConsoleTest;
using webtest::ErrorCode;

TEST_F(ConsoleTest, ReceptionsAreTheUsersOfficesAtIntake) {
  AddUser("clerk1", "140431:gov", {v1::STAFF_ROLE_REGISTRAR});
  const std::string token = SessionOf("clerk1");
  auto list = std::make_shared<v1::ListReceptionsResponse>();
  list->add_receptions()->set_reception_id("JF20260301-0001");
  backends_.answers[ConsoleRpc::kListReceptions] = list;

  HttpCall call = Get("/api/v1/console/receptions", token);
  call.query = {{"from", "2026-03-01"}};
  HttpAnswer answer = console_.Handle(call);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(absl::StrContains(answer.body, "JF20260301-0001"));
  auto calls = backends_.Of(ConsoleRpc::kListReceptions);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(absl::StrContains(calls[0].request, "office_code: \"140431:gov\""))
      << calls[0].request;
  EXPECT_TRUE(absl::StrContains(calls[0].request, "from_day: \"2026-03-01\""));

  // Publishing names the user's office whatever the body says, with the
  // user's roles for intake's rule.
  HttpAnswer published = console_.Handle(Post(
      "/api/v1/console/receptions",
      R"({"office_code":"140000:bureau","leader_name":"王某某",)"
      R"("leader_title":"县长","kind":"RECEPTION_KIND_SCHEDULED",)"
      R"("day":"2026-03-04","place":"县信访局接待大厅"})",
      token));
  EXPECT_EQ(published.status, 200) << published.body;
  auto publish = backends_.Of(ConsoleRpc::kPublishReception);
  ASSERT_EQ(publish.size(), 1u);
  EXPECT_TRUE(
      absl::StrContains(publish[0].request, "office_code: \"140431:gov\""))
      << publish[0].request;
  EXPECT_FALSE(absl::StrContains(publish[0].request, "140000:bureau"));
  EXPECT_EQ(publish[0].meta.roles, "registrar");

  HttpAnswer cancelled = console_.Handle(
      Post("/api/v1/console/receptions/JF20260301-0001/cancel", "", token));
  EXPECT_EQ(cancelled.status, 200) << cancelled.body;
  auto cancel = backends_.Of(ConsoleRpc::kCancelReception);
  ASSERT_EQ(cancel.size(), 1u);
  EXPECT_TRUE(absl::StrContains(cancel[0].request, "JF20260301-0001"));
}

TEST_F(ConsoleTest, ReceptionRefusalsAreTheErrorTables) {
  AddUser("handler1", "140431:gov", {v1::STAFF_ROLE_HANDLER});
  const std::string token = SessionOf("handler1");
  backends_.status[ConsoleRpc::kPublishReception] = grpc::Status(
      grpc::StatusCode::PERMISSION_DENIED,
      "只有登记员、负责人或领导才能发布或取消接访安排（issue 18 item 1）");
  HttpAnswer refused = console_.Handle(Post(
      "/api/v1/console/receptions", R"({"leader_name":"王某某"})", token));
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(ErrorCode(refused), "forbidden") << refused.body;
}

}  // namespace
}  // namespace caserelay::web
