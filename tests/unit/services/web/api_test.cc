// The gateway's JSON API (services/web/api.h): every handler's refusals
// (bad JSON, missing or wrong CSRF token, oversize body, wrong method,
// unknown path, unknown region, no session) and what reaches the services
// (issue 15 items 1-3, web-contract.md). A recording Backends stands in for
// the services: a refused request must reach none of them.

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

TEST_F(ApiTest, RefusalsReachNoService) {
  const std::string petition = "{\"petitioner\":{\"name\":\"张三\"}}";
  struct Row {
    const char* why;
    std::function<HttpCall(ApiTest*)> call;
    int status;
    const char* code;
  };
  const std::vector<Row> rows = {
      {"w1: unknown path 404",
       [](ApiTest* t) { return t->Get("/api/v1/nope"); }, 404, "not_found"},
      {"w1: wrong method 405 (GET of a POST endpoint)",
       [](ApiTest* t) { return t->Get("/api/v1/petitions"); }, 405,
       "method_not_allowed"},
      {"w1: wrong method 405 (DELETE)",
       [](ApiTest* t) {
         HttpCall c = t->Get("/api/v1/my-case", "SX-2026-000042");
         c.method = "DELETE";
         return c;
       },
       405, "method_not_allowed"},
      {"issue 15 item 3: body over web.max_body_bytes is 413",
       [](ApiTest* t) {
         return t->Post("/api/v1/petitions", std::string(1025, ' '));
       },
       413, "body_too_large"},
      {"issue 15 item 3: POST without X-CSRF-Token is 403",
       [&](ApiTest* t) {
         HttpCall c = t->Post("/api/v1/petitions", petition);
         c.csrf_token.clear();
         return c;
       },
       403, "csrf_failed"},
      {"issue 15 item 3: a wrong CSRF token is 403",
       [&](ApiTest* t) {
         HttpCall c = t->Post("/api/v1/lookups", "{}");
         c.csrf_token = std::string(64, '0');
         return c;
       },
       403, "csrf_failed"},
      {"issue 15 item 3: a token without its session cookie is 403",
       [&](ApiTest* t) {
         HttpCall c = t->Post("/api/v1/phone-codes", "{}");
         c.cookie.clear();
         return c;
       },
       403, "csrf_failed"},
      {"a token of an expired session is 403",
       [&](ApiTest* t) {
         HttpCall c = t->Post("/api/v1/phone-codes", "{}");
         c.cookie = t->Cookie("", absl::ZeroDuration());
         return c;
       },
       403, "csrf_failed"},
      {"a POST that is not JSON (a cross-site form) is 415",
       [&](ApiTest* t) {
         HttpCall c = t->Post("/api/v1/lookups", "case_number=1");
         c.content_type = "application/x-www-form-urlencoded";
         return c;
       },
       415, "unsupported_media_type"},
      {"w1: bad JSON 400 (petitions)",
       [](ApiTest* t) {
         return t->Post("/api/v1/petitions", "{\"petitioner\":");
       },
       400, "bad_json"},
      {"w1: bad JSON 400 (an unknown field is refused, not dropped)",
       [](ApiTest* t) {
         return t->Post("/api/v1/lookups", "{\"case_numbr\":\"SX-1\"}");
       },
       400, "bad_json"},
      {"w1: bad JSON 400 (phone-codes)",
       [](ApiTest* t) { return t->Post("/api/v1/phone-codes", "[1,2]"); }, 400,
       "bad_json"},
      {"w1: bad JSON 400 (rating)",
       [](ApiTest* t) {
         return t->Post("/api/v1/my-case/rating", "not json", "SX-2026-000042");
       },
       400, "bad_json"},
      {"w1: bad JSON 400 (requests: reason not a string)",
       [](ApiTest* t) {
         return t->Post("/api/v1/my-case/requests",
                        "{\"kind\":\"review\",\"reason\":5}", "SX-2026-000042");
       },
       400, "bad_json"},
      {"rating needs one of the three satisfactions",
       [](ApiTest* t) {
         return t->Post("/api/v1/my-case/rating",
                        "{\"satisfaction\":\"SATISFACTION_UNSPECIFIED\"}",
                        "SX-2026-000042");
       },
       400, "invalid_field"},
      {"a request is review or rereview",
       [](ApiTest* t) {
         return t->Post("/api/v1/my-case/requests", "{\"kind\":\"appeal\"}",
                        "SX-2026-000042");
       },
       400, "invalid_field"},
      {"w1: unknown region 404",
       [](ApiTest* t) {
         HttpCall c = t->Get("/api/v1/regions");
         c.query["parent"] = "999999";
         return c;
       },
       404, "unknown_region"},
      {"w1: no session: my-case 401",
       [](ApiTest* t) { return t->Get("/api/v1/my-case"); }, 401, "no_session"},
      {"no session: rating 401 (anonymous session, CSRF fine)",
       [](ApiTest* t) {
         return t->Post("/api/v1/my-case/rating",
                        "{\"satisfaction\":\"SATISFACTION_SATISFIED\"}");
       },
       401, "no_session"},
      {"no session: requests 401",
       [](ApiTest* t) {
         return t->Post("/api/v1/my-case/requests", "{\"kind\":\"review\"}");
       },
       401, "no_session"},
      {"web.session_ttl: an expired case session is 401 session_expired",
       [](ApiTest* t) {
         HttpCall c = t->Get("/api/v1/my-case");
         c.cookie = t->Cookie("SX-2026-000042", absl::ZeroDuration());
         return c;
       },
       401, "session_expired"},
      {"a forged case in the cookie is no session",
       [](ApiTest* t) {
         HttpCall c = t->Get("/api/v1/my-case");
         c.cookie = absl::StrCat(kSessionCookie, "=v1.AAAA.BBBB");
         return c;
       },
       401, "no_session"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    backends_.calls.clear();
    HttpAnswer answer = api_.Handle(row.call(this));
    EXPECT_EQ(answer.status, row.status) << answer.body;
    EXPECT_EQ(ErrorCode(answer), row.code) << answer.body;
    EXPECT_TRUE(backends_.calls.empty()) << backends_.calls.front().rpc;
    EXPECT_EQ(answer.content_type, "application/json; charset=utf-8");
  }
}

TEST_F(ApiTest, WrongMethodNamesTheAllowedOne) {
  HttpAnswer answer = api_.Handle(Get("/api/v1/lookups"));
  EXPECT_EQ(answer.status, 405);
  EXPECT_EQ(Header(answer, "Allow"), "POST");
}

}  // namespace
}  // namespace caserelay::web
