// The console's staff session through the gateway (services/web/
// console_api.h; issue 16 items 1-2, console-contract.md "JSON API of the
// console"): accounts authenticates every request, CSRF is bound to the
// login, a login never keeps a session the browser brought, and the office
// a call speaks for is only ever the User's.

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/unit/services/web/console_fixture.h"

namespace caserelay::web {
namespace {

using webtest::ConsoleTest;
using webtest::ErrorCode;
using webtest::SetCookieValue;

// console-contract.md: "the gateway calls it on EVERY console request, so a
// disabled user is out at once"; no session, an ended one or a disabled
// user's is 401 and reaches no service but accounts.
TEST_F(ConsoleTest, NoExpiredOrDisabledSessionIs401) {
  const std::string live = SessionOf("handler1");
  struct Row {
    const char* why;
    std::string cookie_token;
    bool disable_user;
    const char* code;
  };
  const std::vector<Row> rows = {
      {"no cr_staff cookie (contract: no_session)", "", false, "no_session"},
      {"a token accounts does not know: expired or logged out "
       "(accounts.Authenticate UNAUTHENTICATED)",
       "token-ended", false, "session_expired"},
      {"the user was disabled after logging in (issue 16 item 1: "
       "\"a user can be disabled at once\")",
       live, true, "session_expired"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    backends_.calls.clear();
    backends_.users.at("handler1").first.set_disabled(row.disable_user);
    HttpAnswer answer =
        console_.Handle(Get("/api/v1/console/inbox", row.cookie_token));
    EXPECT_EQ(answer.status, 401) << answer.body;
    EXPECT_EQ(ErrorCode(answer), row.code);
    EXPECT_TRUE(backends_.Of(ConsoleRpc::kListInbox).empty());
    if (!row.cookie_token.empty()) {
      // The dead cookie is cleared.
      EXPECT_EQ(SetCookieValue(answer, kStaffCookie), "");
    }
  }
}

// console-contract.md: "POST needs X-CSRF-Token"; the staff token is the
// HMAC of the session token, so neither nothing, the portal's token nor
// another login's token will do.
TEST_F(ConsoleTest, PostWithoutTheSessionsCsrfTokenIs403) {
  const std::string token = SessionOf("handler1");
  struct Row {
    const char* why;
    std::string csrf;
  };
  const std::vector<Row> rows = {
      {"header missing", ""},
      {"another session's token", codec_.StaffCsrfToken("live-someone")},
      {"the portal's token of an anonymous session",
       codec_.CsrfToken(Session{SessionCodec::NewId(), "", {}})},
      {"the session token itself, not its HMAC", token},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    backends_.calls.clear();
    HttpCall call = Post("/api/v1/console/cases/C-1/actions",
                         "{\"expected_version\":3,\"accept\":{}}", token);
    call.csrf_token = row.csrf;
    HttpAnswer answer = console_.Handle(call);
    EXPECT_EQ(answer.status, 403) << answer.body;
    EXPECT_EQ(ErrorCode(answer), "csrf_failed");
    EXPECT_TRUE(backends_.calls.empty());  // nothing reached a service
  }
  // With it, the action goes through.
  HttpAnswer ok =
      console_.Handle(Post("/api/v1/console/cases/C-1/actions",
                           "{\"expected_version\":3,\"accept\":{}}", token));
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(backends_.Of(ConsoleRpc::kAct).size(), 1u);
}

// Session fixation (issue 16 "Must show": "CSRF and session-fixation
// attempts fail"): a cr_staff value planted before the login is never the
// session after it; the planted one is ended at accounts, and the CSRF
// token changes with the login.
TEST_F(ConsoleTest, LoginSetsANewCookieAndEndsThePlantedOne) {
  const std::string planted = SessionOf("handler1");
  HttpCall login = Post("/api/v1/console/login",
                        "{\"username\":\"handler1\",\"password\":"
                        "\"correct-horse-1\"}",
                        planted);
  HttpAnswer answer = console_.Handle(login);
  ASSERT_EQ(answer.status, 200) << answer.body;
  const std::string fresh = SetCookieValue(answer, kStaffCookie);
  EXPECT_FALSE(fresh.empty());
  EXPECT_NE(fresh, planted);
  EXPECT_TRUE(absl::StrContains(answer.body, codec_.StaffCsrfToken(fresh)));
  EXPECT_FALSE(absl::StrContains(answer.body, codec_.StaffCsrfToken(planted)));
  ASSERT_EQ(backends_.Of(ConsoleRpc::kLogout).size(), 1u);
  EXPECT_TRUE(
      absl::StrContains(backends_.Of(ConsoleRpc::kLogout)[0].request, planted));
  EXPECT_EQ(backends_.sessions.count(planted), 0u);
  // The planted value no longer opens anything.
  HttpAnswer after = console_.Handle(Get("/api/v1/console/inbox", planted));
  EXPECT_EQ(after.status, 401);
  // The cookie is HttpOnly, SameSite=Strict, Path=/ (contract).
  for (const auto& [key, value] : answer.headers) {
    if (key != "Set-Cookie") continue;
    EXPECT_TRUE(absl::StrContains(value, "; HttpOnly")) << value;
    EXPECT_TRUE(absl::StrContains(value, "; SameSite=Strict")) << value;
    EXPECT_TRUE(absl::StrContains(value, "; Path=/")) << value;
  }
}

// Login CSRF: before any login the page's token is its anonymous portal
// session's, from GET /api/v1/console/session.
TEST_F(ConsoleTest, LoginNeedsTheLoginPagesToken) {
  HttpAnswer session = console_.Handle(Get("/api/v1/console/session", ""));
  ASSERT_EQ(session.status, 200) << session.body;
  EXPECT_TRUE(absl::StrContains(session.body, "\"user\":null")) << session.body;
  const std::string portal = SetCookieValue(session, kSessionCookie);
  ASSERT_NE(portal, "-");
  auto decoded = codec_.Decode(portal, webtest::kStart);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  const std::string body =
      "{\"username\":\"handler1\",\"password\":\"correct-horse-1\"}";

  HttpCall without = Post("/api/v1/console/login", body, "");
  without.cookie = absl::StrCat(kSessionCookie, "=", portal);
  without.csrf_token = "";
  EXPECT_EQ(console_.Handle(without).status, 403);
  EXPECT_TRUE(backends_.Of(ConsoleRpc::kLogin).empty());

  HttpCall with = without;
  with.csrf_token = codec_.CsrfToken(*decoded);
  HttpAnswer ok = console_.Handle(with);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(
      absl::StrContains(ok.body, "\"office_code\":\"140431001:government\""));
}

// accounts' refusals in its Chinese words (errors.h): a wrong password is
// 401 with 用户名或密码错误, a lock 429 with Retry-After.
TEST_F(ConsoleTest, LoginRefusalsAreChinese) {
  HttpAnswer session = console_.Handle(Get("/api/v1/console/session", ""));
  const std::string portal = SetCookieValue(session, kSessionCookie);
  auto decoded = codec_.Decode(portal, webtest::kStart);
  ASSERT_TRUE(decoded.ok());
  HttpCall call =
      Post("/api/v1/console/login",
           "{\"username\":\"handler1\",\"password\":\"wrong\"}", "");
  call.cookie = absl::StrCat(kSessionCookie, "=", portal);
  call.csrf_token = codec_.CsrfToken(*decoded);
  HttpAnswer wrong = console_.Handle(call);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(ErrorCode(wrong), "login_failed");
  EXPECT_TRUE(absl::StrContains(wrong.body, "用户名或密码错误")) << wrong.body;
  EXPECT_EQ(SetCookieValue(wrong, kStaffCookie), "-");  // no cookie set

  backends_.status[ConsoleRpc::kLogin] =
      grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "locked");
  backends_.retry_after = 900;
  HttpAnswer locked = console_.Handle(call);
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(webtest::Header(locked, "Retry-After"), "900");
}

// issue 16 item 2: "a client cannot name a user or an office it is not":
// whatever the request says, every call for the user carries accounts'
// User: its username, its office and its roles.
TEST_F(ConsoleTest, TheOfficeComesOnlyFromAccountsUser) {
  const std::string token = SessionOf("handler1");
  struct Row {
    const char* why;
    HttpCall call;
    ConsoleRpc rpc;
  };
  HttpCall forged_query = Get("/api/v1/console/inbox", token);
  forged_query.query = {{"office", "140000:bureau"}};
  HttpCall forged_operator = Post(
      "/api/v1/console/cases/C-1/actions",
      "{\"expected_version\":2,\"operator\":\"head9\",\"accept\":{}}", token);
  HttpCall registration = Post(
      "/api/v1/console/registrations",
      "{\"petitioner\":{\"name\":\"张三\",\"address\":\"某村\"},"
      "\"matter\":{\"region_code\":\"140431001\",\"channel\":\"CHANNEL_VISIT\","
      "\"title\":\"t\",\"text\":\"x\"}}",
      token);
  HttpCall case_page = Get("/api/v1/console/cases/C-1", token);
  const std::vector<Row> rows = {
      {"inbox naming another office: routing decides on the office_code "
       "field, the caller stays the user's office",
       forged_query, ConsoleRpc::kListInbox},
      {"an action naming another operator (ActRequest.operator is refused "
       "by routing; the metadata stays the user)",
       forged_operator, ConsoleRpc::kAct},
      {"a registration", registration, ConsoleRpc::kSubmitPetition},
      {"the case page", case_page, ConsoleRpc::kGetCase},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    backends_.calls.clear();
    HttpAnswer answer = console_.Handle(row.call);
    EXPECT_EQ(answer.status, 200) << answer.body;
    std::vector<webtest::FakeConsoleBackends::Record> calls =
        backends_.Of(row.rpc);
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].meta.user, "handler1");
    EXPECT_EQ(calls[0].meta.office, "140431001:government");
    EXPECT_EQ(calls[0].meta.roles, "handler,head");
    EXPECT_EQ(calls[0].meta.client_address, "203.0.113.9");
    EXPECT_EQ(calls[0].meta.petitioner_case, "");
  }
}

// Accounts' own calls name the session in the request, never a user in
// the metadata (accounts authenticates the actor itself).
TEST_F(ConsoleTest, AdministrationActsByTheSessionNotTheBody) {
  const std::string token = SessionOf("handler1");
  HttpAnswer answer = console_.Handle(
      Post("/api/v1/console/users/clerk2",
           "{\"session_token\":\"live-admin\",\"password\":\"a-new-pass-1\"}",
           token));
  EXPECT_EQ(answer.status, 200) << answer.body;
  auto resets = backends_.Of(ConsoleRpc::kResetPassword);
  ASSERT_EQ(resets.size(), 1u);
  EXPECT_TRUE(absl::StrContains(resets[0].request, "\"live-handler1\""))
      << resets[0].request;
  EXPECT_FALSE(absl::StrContains(resets[0].request, "live-admin"));
  EXPECT_TRUE(absl::StrContains(resets[0].request, "username: \"clerk2\""));
  EXPECT_EQ(resets[0].meta.user, "");
  EXPECT_EQ(resets[0].meta.office, "");

  // Without a password: UpdateUser with the roles and disabled flag.
  HttpAnswer update = console_.Handle(
      Post("/api/v1/console/users/clerk2",
           "{\"roles\":[\"STAFF_ROLE_REGISTRAR\"],\"disabled\":true}", token));
  EXPECT_EQ(update.status, 200) << update.body;
  ASSERT_EQ(backends_.Of(ConsoleRpc::kUpdateUser).size(), 1u);
  EXPECT_TRUE(absl::StrContains(
      backends_.Of(ConsoleRpc::kUpdateUser)[0].request, "disabled: true"));

  // accounts' refusal in its own Chinese words.
  backends_.status[ConsoleRpc::kCreateUser] = grpc::Status(
      grpc::StatusCode::INVALID_ARGUMENT, "password: 密码至少需要10个字符");
  HttpAnswer weak = console_.Handle(
      Post("/api/v1/console/users",
           "{\"username\":\"clerk3\",\"display_name\":\"李四\",\"roles\":["
           "\"STAFF_ROLE_REGISTRAR\"],\"password\":\"short\"}",
           token));
  EXPECT_EQ(weak.status, 400);
  EXPECT_TRUE(absl::StrContains(weak.body, "密码至少需要10个字符"))
      << weak.body;
  EXPECT_TRUE(absl::StrContains(weak.body, "\"field\":\"password\""));
}

TEST_F(ConsoleTest, LogoutEndsTheSessionAndClearsTheCookie) {
  const std::string token = SessionOf("handler1");
  HttpAnswer answer =
      console_.Handle(Post("/api/v1/console/logout", "", token));
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(SetCookieValue(answer, kStaffCookie), "");
  EXPECT_EQ(backends_.sessions.count(token), 0u);
}

TEST_F(ConsoleTest, SessionShowsTheUserAndTheStaffToken) {
  const std::string token = SessionOf("handler1");
  HttpAnswer answer = console_.Handle(Get("/api/v1/console/session", token));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(absl::StrContains(answer.body, codec_.StaffCsrfToken(token)));
  EXPECT_TRUE(absl::StrContains(answer.body, "\"username\":\"handler1\""));
}

}  // namespace
}  // namespace caserelay::web
