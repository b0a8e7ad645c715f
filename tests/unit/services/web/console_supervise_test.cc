// The console's 督办 by hand (issue 18 item 4) through the gateway: a
// transport — the page's case goes to supervision's Supervise for the
// user, who may is supervision's rule (domain/access supervise_access.h),
// its refusals come back in Chinese; the case page carries supervision's
// offer as it is.
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "caserelay/v1/supervision.pb.h"
#include "gtest/gtest.h"
#include "tests/unit/services/web/console_fixture.h"

namespace caserelay::web {
namespace {

using webtest::ConsoleTest;
using webtest::ErrorCode;

TEST_F(ConsoleTest, SuperviseGoesToSupervisionForThePagesCase) {
  const std::string token = SessionOf("handler1");
  auto issued = std::make_shared<v1::SuperviseResponse>();
  issued->mutable_supervision()->set_supervision_id("C-1/supervision/2");
  backends_.answers[ConsoleRpc::kSupervise] = issued;
  // The body names another case: the path's case is the one supervised.
  HttpAnswer answer = console_.Handle(Post(
      "/api/v1/console/cases/C-1/supervise",
      "{\"case_id\":\"C-9\",\"target_office_code\":\"140431:hrss\","
      "\"ground\":\"SUPERVISION_GROUND_SHIRKING\",\"reason\":\"久拖不决\"}",
      token));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(absl::StrContains(answer.body, "C-1/supervision/2"))
      << answer.body;
  auto calls = backends_.Of(ConsoleRpc::kSupervise);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(absl::StrContains(calls[0].request, "case_id: \"C-1\""))
      << calls[0].request;
  EXPECT_TRUE(absl::StrContains(calls[0].request,
                                "ground: SUPERVISION_GROUND_SHIRKING"))
      << calls[0].request;
  EXPECT_TRUE(
      absl::StrContains(calls[0].request, "target_office_code: \"140431:hrss\""))
      << calls[0].request;
}

TEST_F(ConsoleTest, SuperviseRefusalsComeFromSupervisionInChinese) {
  const std::string token = SessionOf("handler1");
  // Whoever may not (DOMAIN.md Supervision): supervision says why.
  backends_.status[ConsoleRpc::kSupervise] = grpc::Status(
      grpc::StatusCode::PERMISSION_DENIED,
      "DOMAIN.md Supervision: 140200:bureau does not supervise 140431:hrss："
      "被督办单位不在本部门辖区内");
  HttpAnswer answer = console_.Handle(
      Post("/api/v1/console/cases/C-1/supervise",
           "{\"ground\":\"SUPERVISION_GROUND_SHIRKING\"}", token));
  EXPECT_EQ(answer.status, 403) << answer.body;
  EXPECT_EQ(ErrorCode(answer), "forbidden");
  EXPECT_TRUE(absl::StrContains(answer.body, "被督办单位不在本部门辖区内"))
      << answer.body;
  // Not JSON of a SuperviseRequest: refused before any service.
  const size_t before = backends_.Of(ConsoleRpc::kSupervise).size();
  HttpAnswer bad = console_.Handle(
      Post("/api/v1/console/cases/C-1/supervise", "{\"ground\":1.5", token));
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(backends_.Of(ConsoleRpc::kSupervise).size(), before);
}

}  // namespace
}  // namespace caserelay::web
