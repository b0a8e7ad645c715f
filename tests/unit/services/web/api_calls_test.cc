// What the gateway's JSON API sends the services and answers when they
// accept (services/web/api.h; issue 15 items 1-3, web-contract.md): the
// session cookie, the look-up naming the case, the petitioner's own
// actions through routing, the region tree and the form's lists.

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/unit/services/web/api_fixture.h"

namespace caserelay::web {
namespace {

using webtest::ApiTest;
using webtest::ErrorCode;
using webtest::Header;
using webtest::kStart;

TEST_F(ApiTest, SessionSetsAStrictHttpOnlyCookieAndItsToken) {
  // web-contract.md "Cookies": HttpOnly, SameSite=Strict, signed.
  HttpCall call;
  call.method = "GET";
  call.path = "/api/v1/session";
  HttpAnswer answer = api_.Handle(call);
  ASSERT_EQ(answer.status, 200);
  const std::string cookie = Header(answer, "Set-Cookie");
  EXPECT_TRUE(absl::StartsWith(cookie, "cr_session=v1.")) << cookie;
  EXPECT_TRUE(absl::StrContains(cookie, "; HttpOnly")) << cookie;
  EXPECT_TRUE(absl::StrContains(cookie, "; SameSite=Strict")) << cookie;
  EXPECT_TRUE(absl::StrContains(cookie, "; Path=/")) << cookie;
  EXPECT_FALSE(absl::StrContains(cookie, "Secure")) << cookie;
  EXPECT_TRUE(absl::StrContains(answer.body, "\"csrf_token\":\""))
      << answer.body;
  EXPECT_TRUE(absl::StrContains(answer.body, "\"petitioner_case\":\"\""));
}

TEST_F(ApiTest, SecureCookiesAddSecure) {
  // issue 15 item 3: Secure in compose (web.secure_cookies).
  ApiOptions options = Options();
  options.secure_cookies = true;
  Api api(options, &codec_, &backends_, regions_, offices_, &clock_);
  HttpAnswer answer = api.Handle(Get("/api/v1/session"));
  EXPECT_TRUE(absl::StrContains(Header(answer, "Set-Cookie"), "; Secure"));
}

TEST_F(ApiTest, LookupNamesTheCaseInTheSessionAndRoutingGetsIt) {
  // web-contract.md: GetCaseStatus, then GetPetitionerView with
  // x-caserelay-petitioner-case; the session cookie names the case.
  HttpAnswer answer = api_.Handle(Post(
      "/api/v1/lookups",
      "{\"case_number\":\"SX-2026-000042\",\"lookup_code\":\"ABCD-EFGH\"}"));
  ASSERT_EQ(answer.status, 200) << answer.body;
  ASSERT_EQ(backends_.calls.size(), 2u);
  EXPECT_EQ(backends_.calls[0].rpc, "GetCaseStatus");
  EXPECT_EQ(backends_.calls[0].meta.client_address, "203.0.113.7");
  EXPECT_EQ(backends_.calls[0].meta.petitioner_case, "");
  EXPECT_EQ(backends_.calls[1].rpc, "GetPetitionerView");
  EXPECT_EQ(backends_.calls[1].meta.petitioner_case, "SX-2026-000042");
  // The view as routing gave it; data stays data (escaped by JSON only).
  EXPECT_TRUE(absl::StrContains(answer.body, "\"state_text\":\"正在办理\""));
  EXPECT_TRUE(absl::StrContains(answer.body, "\\u003cscript\\u003e") ||
              absl::StrContains(answer.body, "<script>"))
      << answer.body;
  const std::string cookie = Header(answer, "Set-Cookie");
  std::string value = cookie.substr(cookie.find('=') + 1);
  value = value.substr(0, value.find(';'));
  auto session = codec_.Decode(value, kStart);
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_EQ(session->case_id, "SX-2026-000042");
  EXPECT_EQ(session->id, id_);  // the page's CSRF token stays valid
  EXPECT_EQ(session->expires_at, kStart + absl::Minutes(15));
}

TEST_F(ApiTest, WrongCodeIs404ChineseAndNoSession) {
  backends_.status = grpc::Status(grpc::StatusCode::NOT_FOUND, "no case");
  HttpAnswer answer = api_.Handle(Post(
      "/api/v1/lookups", "{\"case_number\":\"SX-1\",\"lookup_code\":\"X\"}"));
  EXPECT_EQ(answer.status, 404);
  EXPECT_EQ(ErrorCode(answer), "lookup_failed");
  EXPECT_TRUE(absl::StrContains(answer.body, "案件编号或查询码不正确"));
  EXPECT_EQ(Header(answer, "Set-Cookie"), "");
  EXPECT_EQ(backends_.calls.size(), 1u);
}

TEST_F(ApiTest, LockedLookupIs429WithRetryAfter) {
  backends_.status =
      grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "too many");
  backends_.retry_after = 300;
  HttpAnswer answer = api_.Handle(Post(
      "/api/v1/lookups", "{\"case_number\":\"SX-1\",\"lookup_code\":\"X\"}"));
  EXPECT_EQ(answer.status, 429);
  EXPECT_EQ(Header(answer, "Retry-After"), "300");
}

TEST_F(ApiTest, BeforeRoutingKnowsTheCaseBothEndpointsShowIntakesState) {
  // Issue 15 item 2 (C3): a look-up before routing registered the case
  // shows intake's state and its plain-Chinese text; my-case then shows
  // the same for the session that looked it up (the gateway cannot ask
  // intake again: it keeps no look-up code), and routing's view once
  // routing knows the case.
  backends_.view_status = grpc::Status(grpc::StatusCode::NOT_FOUND, "none");
  HttpAnswer lookup = api_.Handle(Post(
      "/api/v1/lookups",
      "{\"case_number\":\"SX-2026-000042\",\"lookup_code\":\"ABCD-EFGH\"}"));
  ASSERT_EQ(lookup.status, 200) << lookup.body;
  struct Row {
    const char* rule;
    bool routing_knows;
    bool same_session;
    int status;
    const char* state_text;  // "" for an error answer
  };
  for (const Row& row : std::vector<Row>{
           {"issue 15 item 2: my-case falls back to the look-up's answer",
            false, true, 200, "已收到，等待登记"},
           {"web-contract.md: a session that made no look-up gets no "
            "other session's answer",
            false, false, 0, ""},
           {"routing's view once routing knows the case", true, true, 200,
            "正在办理"},
           {"and no stale fallback after it", false, true, 0, ""},
       }) {
    backends_.view_status =
        row.routing_knows ? grpc::Status::OK
                          : grpc::Status(grpc::StatusCode::NOT_FOUND, "none");
    backends_.calls.clear();
    HttpCall call = Get("/api/v1/my-case", "SX-2026-000042");
    if (!row.same_session) {
      call.cookie = absl::StrCat(
          kSessionCookie, "=",
          codec_.Encode(Session{SessionCodec::NewId(), "SX-2026-000042",
                                kStart + absl::Minutes(15)}));
    }
    HttpAnswer answer = api_.Handle(call);
    if (row.status == 200) {
      ASSERT_EQ(answer.status, 200) << row.rule << answer.body;
      EXPECT_TRUE(absl::StrContains(
          answer.body, absl::StrCat("\"state_text\":\"", row.state_text, "\"")))
          << row.rule << answer.body;
      EXPECT_TRUE(
          absl::StrContains(answer.body, "\"case_id\":\"SX-2026-000042\""))
          << row.rule;
    } else {
      EXPECT_NE(answer.status, 200) << row.rule << answer.body;
      EXPECT_FALSE(absl::StrContains(answer.body, "已收到")) << row.rule;
    }
    // Only routing is asked: intake is never asked without the code.
    ASSERT_EQ(backends_.calls.size(), 1u) << row.rule;
    EXPECT_EQ(backends_.calls[0].rpc, "GetPetitionerView") << row.rule;
  }
  // The look-up itself showed intake's text.
  EXPECT_TRUE(
      absl::StrContains(lookup.body, "\"state_text\":\"已收到，等待登记\""))
      << lookup.body;
  EXPECT_TRUE(
      absl::StrContains(lookup.body, "\"state\":\"CASE_STATE_RECEIVED\""));
}

TEST_F(ApiTest, MyCaseAsksRoutingForTheSessionsCaseOnly) {
  HttpAnswer answer = api_.Handle(Get("/api/v1/my-case", "SX-2026-000042"));
  ASSERT_EQ(answer.status, 200) << answer.body;
  ASSERT_EQ(backends_.calls.size(), 1u);
  EXPECT_EQ(backends_.calls[0].meta.petitioner_case, "SX-2026-000042");
  EXPECT_EQ(backends_.calls[0].request, "case_id: \"SX-2026-000042\"");
  // The session is renewed by its use.
  EXPECT_TRUE(absl::StrContains(Header(answer, "Set-Cookie"), "Max-Age=900"));
}

TEST_F(ApiTest, RatingIsRoutingsActEvaluateForThePetitioner) {
  HttpAnswer answer = api_.Handle(
      Post("/api/v1/my-case/rating",
           "{\"satisfaction\":\"SATISFACTION_BASICALLY\",\"comment\":\"还行\","
           "\"version\":9}",
           "SX-2026-000042"));
  ASSERT_EQ(answer.status, 200) << answer.body;
  ASSERT_EQ(backends_.calls.size(), 2u);  // Act, then the view again
  EXPECT_EQ(backends_.calls[0].rpc, "Act");
  EXPECT_EQ(backends_.calls[0].meta.petitioner_case, "SX-2026-000042");
  const std::string& act = backends_.calls[0].request;
  EXPECT_TRUE(absl::StrContains(act, "case_id: \"SX-2026-000042\"")) << act;
  EXPECT_TRUE(absl::StrContains(act, "expected_version: 9")) << act;
  EXPECT_TRUE(absl::StrContains(
      act, "evaluate { satisfaction: SATISFACTION_BASICALLY }"))
      << act;
  EXPECT_EQ(backends_.calls[1].rpc, "GetPetitionerView");
}

TEST_F(ApiTest, RequestWithoutVersionActsOnTheVersionRoutingShows) {
  backends_.version = 12;
  HttpAnswer answer = api_.Handle(
      Post("/api/v1/my-case/requests",
           "{\"kind\":\"review\",\"reason\":\"不服\"}", "SX-2026-000042"));
  ASSERT_EQ(answer.status, 200) << answer.body;
  ASSERT_EQ(backends_.calls.size(), 3u);
  EXPECT_EQ(backends_.calls[0].rpc, "GetPetitionerView");
  EXPECT_EQ(backends_.calls[1].rpc, "Act");
  EXPECT_TRUE(
      absl::StrContains(backends_.calls[1].request, "expected_version: 12"));
  EXPECT_TRUE(absl::StrContains(backends_.calls[1].request, "request_review"));
}

TEST_F(ApiTest, WindowPassedIs409WithRoutingsReason) {
  backends_.status = grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                  "Art. 35: 复查申请期限已过");
  HttpAnswer answer = api_.Handle(Post("/api/v1/my-case/requests",
                                       "{\"kind\":\"review\",\"version\":3}",
                                       "SX-2026-000042"));
  EXPECT_EQ(answer.status, 409);
  EXPECT_TRUE(absl::StrContains(answer.body, "复查申请期限已过"))
      << answer.body;
}

TEST_F(ApiTest, PetitionGoesToIntakeAsOnline) {
  HttpAnswer answer = api_.Handle(
      Post("/api/v1/petitions",
           "{\"petitioner\":{\"name\":\"张三\"},\"matter\":{\"text\":\"x\"},"
           "\"phone_proof\":{\"challenge_id\":\"ch-1\",\"code\":\"123456\"}}"));
  ASSERT_EQ(answer.status, 200) << answer.body;
  ASSERT_EQ(backends_.calls.size(), 1u);
  EXPECT_TRUE(absl::StrContains(backends_.calls[0].request, "CHANNEL_ONLINE"));
  EXPECT_TRUE(absl::StrContains(backends_.calls[0].request, "123456"));
  EXPECT_TRUE(
      absl::StrContains(answer.body, "\"case_number\":\"SX-2026-000042\""));
  EXPECT_TRUE(absl::StrContains(answer.body, "\"lookup_code\":\"ABCD-EFGH\""));
}

TEST_F(ApiTest, LogoutForgetsTheCaseButKeepsTheToken) {
  HttpAnswer answer = api_.Handle(Post("/api/v1/logout", "", "SX-2026-000042"));
  ASSERT_EQ(answer.status, 200) << answer.body;
  const std::string cookie = Header(answer, "Set-Cookie");
  std::string value = cookie.substr(cookie.find('=') + 1);
  value = value.substr(0, value.find(';'));
  auto session = codec_.Decode(value, kStart);
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->case_id, "");
  EXPECT_EQ(session->id, id_);
}

TEST_F(ApiTest, RegionsWalkTheSharedTree) {
  HttpAnswer provinces = api_.Handle(Get("/api/v1/regions"));
  ASSERT_EQ(provinces.status, 200);
  EXPECT_TRUE(absl::StrContains(provinces.body, "\"name\":\"山西省\""));
  HttpCall call = Get("/api/v1/regions");
  call.query["parent"] = "140431";  // 沁源县: its townships
  HttpAnswer townships = api_.Handle(call);
  ASSERT_EQ(townships.status, 200);
  EXPECT_TRUE(absl::StrContains(townships.body, "\"code\":\"140431100\""))
      << townships.body.substr(0, 200);
  EXPECT_TRUE(absl::StrContains(townships.body, "\"has_children\":false"));
}

TEST_F(ApiTest, FormOffersTheSharedCategoriesClassesAndLimits) {
  HttpAnswer answer = api_.Handle(Get("/api/v1/form"));
  ASSERT_EQ(answer.status, 200);
  for (const std::string& code : offices_->Categories()) {
    EXPECT_TRUE(
        absl::StrContains(answer.body, absl::StrCat("\"code\":\"", code, "\"")))
        << code;
  }
  EXPECT_TRUE(absl::StrContains(answer.body, "MATTER_CLASS_ACCUSATION"));
  EXPECT_TRUE(absl::StrContains(answer.body, "检举控告类"));
  EXPECT_FALSE(absl::StrContains(answer.body, "MATTER_CLASS_UNSPECIFIED"));
  EXPECT_TRUE(absl::StrContains(answer.body, "\"max_text_chars\":10000"));
}

// Issue 15 item 2: the page counts against the limits intake enforces,
// asked of intake (DescribeForm), not the gateway's copy of the defaults.
TEST_F(ApiTest, FormShowsIntakesLimits) {
  backends_.form_limits.set_max_title_chars(80);
  backends_.form_limits.set_max_text_chars(2500);
  HttpAnswer answer = api_.Handle(Get("/api/v1/form"));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(absl::StrContains(answer.body, "\"max_title_chars\":80"))
      << answer.body;
  EXPECT_TRUE(absl::StrContains(answer.body, "\"max_text_chars\":2500"));
  ASSERT_EQ(backends_.calls.size(), 1u);
  EXPECT_EQ(backends_.calls[0].rpc, "DescribeForm");
}

TEST_F(ApiTest, FormWithIntakeUnavailableIs503) {
  backends_.status = grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
  HttpAnswer answer = api_.Handle(Get("/api/v1/form"));
  EXPECT_EQ(answer.status, 503);
  EXPECT_TRUE(absl::StrContains(answer.body, "系统繁忙，请稍后再试"))
      << answer.body;
}

}  // namespace
}  // namespace caserelay::web
