// The gateway's JSON API (services/web/api.h): every handler's refusals
// (bad JSON, missing or wrong CSRF token, oversize body, wrong method,
// unknown path, unknown region, no session) and what reaches the services
// (issue 15 items 1-3, web-contract.md). A recording Backends stands in for
// the services: a refused request must reach none of them.

#include "services/web/api.h"

#include <google/protobuf/util/json_util.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"

namespace caserelay::web {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1796000000);

// What reached the services, and what they answer.
class RecordingBackends : public Backends {
 public:
  struct Call {
    std::string rpc;
    CallMeta meta;
    std::string request;  // DebugString of the request
  };
  std::vector<Call> calls;
  grpc::Status status = grpc::Status::OK;  // every call's answer
  grpc::Status view_status = grpc::Status::OK;
  int retry_after = 0;
  uint64_t version = 7;

  RpcResult SubmitPetition(const CallMeta& meta,
                           const v1::SubmitPetitionRequest& request,
                           v1::SubmitPetitionResponse* response) override {
    Record("SubmitPetition", meta, request);
    response->set_case_number("SX-2026-000042");
    response->set_lookup_code("ABCD-EFGH");
    return {status, retry_after};
  }
  RpcResult GetCaseStatus(const CallMeta& meta,
                          const v1::GetCaseStatusRequest& request,
                          v1::GetCaseStatusResponse* response) override {
    Record("GetCaseStatus", meta, request);
    response->set_case_number(request.case_number());
    response->set_state(v1::CASE_STATE_RECEIVED);
    return {status, retry_after};
  }
  RpcResult SendPhoneCode(const CallMeta& meta,
                          const v1::SendPhoneCodeRequest& request,
                          v1::SendPhoneCodeResponse* response) override {
    Record("SendPhoneCode", meta, request);
    response->set_challenge_id("ch-1");
    return {status, retry_after};
  }
  RpcResult GetPetitionerView(const CallMeta& meta,
                              const v1::GetPetitionerViewRequest& request,
                              v1::PetitionerView* response) override {
    Record("GetPetitionerView", meta, request);
    response->set_case_id(request.case_id());
    response->set_state_text("正在办理");
    response->set_text("<script>alert(1)</script>");
    response->set_version(version);
    return {view_status, 0};
  }
  RpcResult Act(const CallMeta& meta, const v1::ActRequest& request,
                v1::CaseView* response) override {
    Record("Act", meta, request);
    response->set_case_id(request.case_id());
    return {status, retry_after};
  }

 private:
  void Record(const char* rpc, const CallMeta& meta,
              const google::protobuf::Message& request) {
    calls.push_back({rpc, meta, request.ShortDebugString()});
  }
};

class ApiTest : public ::testing::Test {
 public:  // the rows of RefusalsReachNoService call the helpers
  static void SetUpTestSuite() {
    auto regions = region::RegionTree::Load(
        absl::StrCat(CASERELAY_SOURCE_DIR, "/data/regions/regions.tsv"));
    ASSERT_TRUE(regions.ok()) << regions.status();
    regions_ = regions->release();
    auto offices = offices::OfficeDirectory::Load(
        absl::StrCat(CASERELAY_SOURCE_DIR, "/data/offices"), regions_);
    ASSERT_TRUE(offices.ok()) << offices.status();
    offices_ = offices->release();
  }
  static void TearDownTestSuite() {
    delete offices_;
    delete regions_;
  }

  ApiTest()
      : codec_(*SessionCodec::Create(std::string(32, 'k'))),
        clock_(kStart),
        api_(Options(), &codec_, &backends_, regions_, offices_, &clock_) {}

  static ApiOptions Options() {
    ApiOptions options;
    options.max_body_bytes = 1024;
    return options;
  }

  // A cookie header for a session with `case_id` (empty: anonymous).
  std::string Cookie(const std::string& case_id,
                     absl::Duration ttl = absl::Minutes(15)) {
    return absl::StrCat(kSessionCookie, "=",
                        codec_.Encode(Session{id_, case_id, kStart + ttl}));
  }
  std::string Token() { return codec_.CsrfToken(Session{id_, "", {}}); }

  HttpCall Post(const std::string& path, const std::string& body,
                const std::string& case_id = "") {
    HttpCall call;
    call.method = "POST";
    call.path = path;
    call.body = body;
    call.content_type = "application/json";
    call.cookie = Cookie(case_id);
    call.csrf_token = Token();
    call.client_address = "203.0.113.7";
    return call;
  }
  HttpCall Get(const std::string& path, const std::string& case_id = "") {
    HttpCall call;
    call.method = "GET";
    call.path = path;
    call.cookie = Cookie(case_id);
    call.client_address = "203.0.113.7";
    return call;
  }

  static const region::RegionTree* regions_;
  static const offices::OfficeDirectory* offices_;
  const std::string id_ = SessionCodec::NewId();
  SessionCodec codec_;
  time::SimulatedClock clock_;
  RecordingBackends backends_;
  Api api_;
};

const region::RegionTree* ApiTest::regions_ = nullptr;
const offices::OfficeDirectory* ApiTest::offices_ = nullptr;

// The error code of an answer's JSON body.
std::string ErrorCode(const HttpAnswer& answer) {
  const std::string key = "\"code\":\"";
  size_t at = answer.body.find(key);
  if (at == std::string::npos) return "";
  at += key.size();
  return answer.body.substr(at, answer.body.find('"', at) - at);
}

std::string Header(const HttpAnswer& answer, const std::string& name) {
  for (const auto& [key, value] : answer.headers) {
    if (key == name) return value;
  }
  return "";
}

TEST_F(ApiTest, RefusalsReachNoService) {
  const std::string petition = "{\"petitioner\":{\"name\":\"张三\"}}";
  struct Row {
    const char* why;
    std::function<HttpCall(ApiTest*)> call;
    int status;
    const char* code;
  };
  const std::vector<Row> rows = {
      {"w1: unknown path 404", [](ApiTest* t) { return t->Get("/api/v1/nope"); },
       404, "not_found"},
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
       [](ApiTest* t) { return t->Post("/api/v1/petitions", "{\"petitioner\":"); },
       400, "bad_json"},
      {"w1: bad JSON 400 (an unknown field is refused, not dropped)",
       [](ApiTest* t) {
         return t->Post("/api/v1/lookups", "{\"case_numbr\":\"SX-1\"}");
       },
       400, "bad_json"},
      {"w1: bad JSON 400 (phone-codes)",
       [](ApiTest* t) { return t->Post("/api/v1/phone-codes", "[1,2]"); },
       400, "bad_json"},
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
  EXPECT_TRUE(absl::StrContains(answer.body, "\"csrf_token\":\"")) << answer.body;
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
  EXPECT_TRUE(absl::StrContains(act, "evaluate { satisfaction: SATISFACTION_BASICALLY }"))
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
  EXPECT_TRUE(absl::StrContains(backends_.calls[1].request,
                                "expected_version: 12"));
  EXPECT_TRUE(absl::StrContains(backends_.calls[1].request, "request_review"));
}

TEST_F(ApiTest, WindowPassedIs409WithRoutingsReason) {
  backends_.status = grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                  "Art. 35: 复查申请期限已过");
  HttpAnswer answer = api_.Handle(
      Post("/api/v1/my-case/requests", "{\"kind\":\"review\",\"version\":3}",
           "SX-2026-000042"));
  EXPECT_EQ(answer.status, 409);
  EXPECT_TRUE(absl::StrContains(answer.body, "复查申请期限已过")) << answer.body;
}

TEST_F(ApiTest, PetitionGoesToIntakeAsOnline) {
  HttpAnswer answer = api_.Handle(Post(
      "/api/v1/petitions",
      "{\"petitioner\":{\"name\":\"张三\"},\"matter\":{\"text\":\"x\"},"
      "\"phone_proof\":{\"challenge_id\":\"ch-1\",\"code\":\"123456\"}}"));
  ASSERT_EQ(answer.status, 200) << answer.body;
  ASSERT_EQ(backends_.calls.size(), 1u);
  EXPECT_TRUE(absl::StrContains(backends_.calls[0].request, "CHANNEL_ONLINE"));
  EXPECT_TRUE(absl::StrContains(backends_.calls[0].request, "123456"));
  EXPECT_TRUE(absl::StrContains(answer.body, "\"case_number\":\"SX-2026-000042\""));
  EXPECT_TRUE(absl::StrContains(answer.body, "\"lookup_code\":\"ABCD-EFGH\""));
}

TEST_F(ApiTest, LogoutForgetsTheCaseButKeepsTheToken) {
  HttpAnswer answer =
      api_.Handle(Post("/api/v1/logout", "", "SX-2026-000042"));
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
    EXPECT_TRUE(absl::StrContains(answer.body,
                                  absl::StrCat("\"code\":\"", code, "\"")))
        << code;
  }
  EXPECT_TRUE(absl::StrContains(answer.body, "MATTER_CLASS_ACCUSATION"));
  EXPECT_TRUE(absl::StrContains(answer.body, "检举控告类"));
  EXPECT_FALSE(absl::StrContains(answer.body, "MATTER_CLASS_UNSPECIFIED"));
  EXPECT_TRUE(absl::StrContains(answer.body, "\"max_text_chars\":10000"));
}

}  // namespace
}  // namespace caserelay::web
