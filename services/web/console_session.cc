// The console's session endpoints (console_api.h "The staff session"):
// session, login, logout, password.

#include <google/protobuf/struct.pb.h>

#include <string>

#include "caserelay/v1/accounts.pb.h"
#include "services/web/api_json.h"
#include "services/web/console_api.h"

namespace caserelay::web {
namespace {

namespace pb = google::protobuf;

// {"csrf_token": token, "user": user or null}.
HttpAnswer SessionAnswer(const std::string& csrf_token, const v1::User* user) {
  pb::Struct out;
  (*out.mutable_fields())["csrf_token"].set_string_value(csrf_token);
  if (user == nullptr) {
    (*out.mutable_fields())["user"].set_null_value(pb::NULL_VALUE);
  } else {
    (*out.mutable_fields())["user"] = JsonValue(*user);
  }
  return JsonAnswer(out);
}

}  // namespace

HttpAnswer ConsoleApi::GetSession(Context& c) const {
  if (!c.token.empty()) {
    v1::AuthenticateRequest request;
    request.set_session_token(c.token);
    v1::User user;
    RpcResult r =
        Call(ConsoleRpc::kAuthenticate, AccountsMeta(c), request, &user);
    if (r.status.ok()) {
      return SessionAnswer(sessions_->StaffCsrfToken(c.token), &user);
    }
    HttpAnswer failed =
        RpcFailure(CallKind::kStaffSession, "accounts.Authenticate", r);
    if (failed.status != 401) return failed;
    // The session ended: the login page's anonymous session below, and the
    // dead cookie goes.
  }
  // Not signed in: the login form's CSRF token is the portal's anonymous
  // session's (the same cookie the portal uses), kept if the browser has a
  // valid one.
  HttpAnswer answer;
  auto portal = sessions_->Decode(CookieValue(c.call.cookie, kSessionCookie),
                                  clock_->Now());
  if (portal.ok()) {
    answer = SessionAnswer(sessions_->CsrfToken(*portal), nullptr);
  } else {
    Session fresh{SessionCodec::NewId(), "", {}};
    answer = SessionAnswer(sessions_->CsrfToken(fresh), nullptr);
    answer.headers.emplace_back(
        "Set-Cookie",
        SessionCookie(*sessions_, fresh, clock_->Now(), options_.anonymous_ttl,
                      options_.secure_cookies));
  }
  if (!c.token.empty()) SetStaffCookie("", &answer);
  return answer;
}

HttpAnswer ConsoleApi::PostLogin(Context& c) const {
  // CSRF: the token GET session gave, of the browser's current staff
  // session or, before any login, of its anonymous portal session.
  auto portal = sessions_->Decode(CookieValue(c.call.cookie, kSessionCookie),
                                  clock_->Now());
  const bool csrf_ok =
      sessions_->StaffCsrfMatches(c.token, c.call.csrf_token) ||
      (portal.ok() && sessions_->CsrfMatches(*portal, c.call.csrf_token));
  if (!csrf_ok) {
    return ErrorAnswer(403, "csrf_failed", "页面已过期，请刷新页面后重试");
  }
  v1::LoginRequest request;
  if (!ParseBody(c.call.body, &request)) return BadJson();
  v1::LoginResponse login;
  RpcResult r = Call(ConsoleRpc::kLogin, AccountsMeta(c), request, &login);
  if (!r.status.ok())
    return RpcFailure(CallKind::kStaffLogin, "accounts.Login", r);
  // No session fixation: the cookie now holds the NEW token accounts gave,
  // and a session the browser came with is ended.
  if (!c.token.empty() && c.token != login.session_token()) {
    v1::LogoutRequest logout;
    logout.set_session_token(c.token);
    v1::LogoutResponse ignored;
    (void)Call(ConsoleRpc::kLogout, AccountsMeta(c), logout, &ignored);
  }
  HttpAnswer answer = SessionAnswer(
      sessions_->StaffCsrfToken(login.session_token()), &login.user());
  SetStaffCookie(login.session_token(), &answer);
  return answer;
}

HttpAnswer ConsoleApi::PostLogout(Context& c) const {
  v1::LogoutRequest request;
  request.set_session_token(c.token);
  v1::LogoutResponse response;
  RpcResult r = Call(ConsoleRpc::kLogout, AccountsMeta(c), request, &response);
  if (!r.status.ok())
    return RpcFailure(CallKind::kAccounts, "accounts.Logout", r);
  HttpAnswer answer = SessionAnswer("", nullptr);
  SetStaffCookie("", &answer);
  return answer;
}

HttpAnswer ConsoleApi::PostPassword(Context& c) const {
  v1::ChangePasswordRequest request;
  if (!ParseBody(c.call.body, &request)) return BadJson();
  request.set_session_token(c.token);  // the user's own, never the body's
  v1::ChangePasswordResponse response;
  RpcResult r =
      Call(ConsoleRpc::kChangePassword, AccountsMeta(c), request, &response);
  if (!r.status.ok()) {
    return RpcFailure(CallKind::kAccounts, "accounts.ChangePassword", r);
  }
  return JsonAnswer(response);
}

}  // namespace caserelay::web
