// The portal's 领导接访安排 (issue 18 item 1): GET /api/v1/receptions passes
// the filters to intake's ListReceptions and answers its schedule with the
// kind's Chinese term; intake's refusals are the error table's.
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/unit/services/web/api_fixture.h"

namespace caserelay::web {
namespace {

using webtest::ApiTest;

TEST_F(ApiTest, ReceptionsAreIntakesScheduleWithTheKindInChinese) {
  v1::Reception* r = backends_.receptions.add_receptions();
  r->set_reception_id("JF20260301-0001");
  r->set_day("2026-03-04");
  r->set_kind(v1::RECEPTION_KIND_DOWN_VISIT);
  r->set_office_code("140431:gov");
  r->set_office_name("沁源县人民政府");
  r->set_leader_name("王某某");
  r->set_leader_title("县长");
  r->set_place("某某村村委会");
  r->set_cancelled(true);
  HttpCall call = Get("/api/v1/receptions");
  call.query = {{"region", "140431"}, {"from", "2026-03-01"}};
  HttpAnswer answer = api_.Handle(call);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(absl::StrContains(answer.body, "\"reception_id\":\"JF20260301-0001\""));
  EXPECT_TRUE(absl::StrContains(answer.body, "\"kind_text\":\"下访\""));
  EXPECT_TRUE(absl::StrContains(answer.body, "\"leader_title\":\"县长\""));
  EXPECT_TRUE(absl::StrContains(answer.body, "\"cancelled\":true"));
  ASSERT_EQ(backends_.calls.size(), 1u);
  EXPECT_EQ(backends_.calls[0].rpc, "ListReceptions");
  EXPECT_TRUE(absl::StrContains(backends_.calls[0].request, "140431"));
  EXPECT_TRUE(absl::StrContains(backends_.calls[0].request, "2026-03-01"));
  // The portal speaks for nobody: no petitioner's case, no staff user.
  EXPECT_TRUE(backends_.calls[0].meta.petitioner_case.empty());
  EXPECT_TRUE(backends_.calls[0].meta.user.empty());
}

TEST_F(ApiTest, ReceptionsRefusedByIntakeNameTheField) {
  backends_.status = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                  "from_day: 请按 年-月-日 填写日期，例如 2026-03-04");
  HttpAnswer bad = api_.Handle(Get("/api/v1/receptions"));
  EXPECT_EQ(bad.status, 400) << bad.body;
  backends_.status = grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
  HttpAnswer down = api_.Handle(Get("/api/v1/receptions"));
  EXPECT_EQ(down.status, 503);
  EXPECT_TRUE(absl::StrContains(down.body, "系统繁忙，请稍后再试"));
}

}  // namespace
}  // namespace caserelay::web
