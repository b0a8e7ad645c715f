// The console's JSON API (信访工作台接口, issue 16; the lead's
// console-contract.md), under /api/v1/console/, independent of the HTTP
// library like the portal's (api.h hands it every call under that prefix).
//
// The staff session (console_session.cc): cookie `cr_staff` holds the
// accounts session token (HttpOnly, SameSite=Strict, Path=/, Secure with
// web.secure_cookies); the gateway keeps nothing of it and asks accounts'
// Authenticate on EVERY request but the session read, so a disabled user is
// out at once. Login always sets the NEW token accounts gives (no session
// fixation) and ends the session of a cookie the browser brought. The CSRF
// token of a staff session is SessionCodec::StaffCsrfToken (an HMAC of the
// session token), so it changes with every login; before a login the
// console's page uses the portal's anonymous session (cr_session) and its
// token, which GET /api/v1/console/session gives.
//
// Speaking for the user: after Authenticate, every call to routing,
// intake, supervision and notification carries x-caserelay-user-bin = the
// username, x-caserelay-office = the User's office_code and
// x-caserelay-roles = its roles (backends.h CallMeta): the office comes
// only from accounts' User, never from the request. The services decide
// every rule; the gateway re-implements none.
//
// Refusals before any handler, in this order:
//   404 not_found / 405 method_not_allowed (Allow) / 413 body_too_large /
//   415 unsupported_media_type                     as the portal's;
//   401 no_session        no cr_staff cookie (but GET session, POST login);
//   403 csrf_failed       a POST whose X-CSRF-Token is not the session's;
//   401 session_expired   accounts refused the session (unknown, expired,
//                         disabled); the cookie is cleared.
// then each handler's 400 bad_json / invalid_field / bad_query and the
// services' refusals through errors.h (CallKind kStaffLogin, kAccounts,
// kConsole).
//
// Thread safety: Handle is const and may run on any number of threads; the
// pointers given to the constructor must outlive the ConsoleApi and be
// thread-safe (ConsoleBackends) or immutable (the rest).

#ifndef CASERELAY_SERVICES_WEB_CONSOLE_API_H_
#define CASERELAY_SERVICES_WEB_CONSOLE_API_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "caserelay/v1/accounts.pb.h"
#include "common/time/clock.h"
#include "services/web/api.h"
#include "services/web/console_backends.h"
#include "services/web/session.h"

namespace caserelay::web {

// The console's session cookie.
inline constexpr char kStaffCookie[] = "cr_staff";
// Every console endpoint lies under it.
inline constexpr char kConsolePrefix[] = "/api/v1/console/";

// The value of x-caserelay-roles for `user` (rpc::RolesMetadataValue of
// its roles: lower-case names, sorted, comma-separated).
std::string RolesMetadata(const caserelay::v1::User& user);

class ConsoleApi {
 public:
  struct Options {
    bool secure_cookies = false;  // cookies get "Secure"
    size_t max_body_bytes = 64 * 1024;
    // The life of the anonymous portal session the login page gets.
    absl::Duration anonymous_ttl = absl::Hours(2);
  };

  // None of the pointers is owned; all must outlive the ConsoleApi.
  ConsoleApi(Options options, const SessionCodec* sessions,
             ConsoleBackends* backends, const time::Clock* clock);

  // The answer to `call` (its path under kConsolePrefix); never fails.
  HttpAnswer Handle(const HttpCall& call) const;

  // The endpoint pattern `path` matches ("/api/v1/console/cases/*"), for
  // metrics labels (no case id or username in a label); "other" if none.
  static std::string RouteLabel(const std::string& path);

 private:
  struct Context {
    const HttpCall& call;
    std::vector<std::string> params;  // the path's "*" segments, in order
    std::string token;                // the cr_staff cookie; "" if none
    std::optional<caserelay::v1::User> user;  // once authenticated
  };
  using Handler = HttpAnswer (ConsoleApi::*)(Context&) const;
  struct Route {
    const char* method;
    const char* pattern;  // "*" matches one non-empty path segment
    Handler handler;
    bool needs_user;  // the cr_staff session must authenticate
  };
  static const std::vector<Route>& Routes();

  // The session (console_session.cc).
  HttpAnswer GetSession(Context& c) const;
  HttpAnswer PostLogin(Context& c) const;
  HttpAnswer PostLogout(Context& c) const;
  HttpAnswer PostPassword(Context& c) const;
  // Cases (console_api_cases.cc).
  HttpAnswer GetInbox(Context& c) const;
  HttpAnswer GetApprovals(Context& c) const;
  HttpAnswer GetCharged(Context& c) const;  // 领导包案
  HttpAnswer PostPreview(Context& c) const;
  HttpAnswer PostRegistration(Context& c) const;
  HttpAnswer GetCase(Context& c) const;
  HttpAnswer PostAction(Context& c) const;
  // 督办 by hand (issue 18 item 4): the body is a SuperviseRequest for the
  // page's case, passed to supervision for the user (who may: supervision).
  HttpAnswer PostSupervise(Context& c) const;
  // Supervision and administration (console_api_admin.cc).
  HttpAnswer GetRedLights(Context& c) const;
  // 群体访预警 (issue 18 item 3): supervision's ListGroupAlerts for the
  // user, with red-lights' query parameters.
  HttpAnswer GetGroupAlerts(Context& c) const;
  HttpAnswer GetIndicators(Context& c) const;
  HttpAnswer GetUsers(Context& c) const;
  HttpAnswer PostUsers(Context& c) const;
  HttpAnswer PostUser(Context& c) const;
  // Bulletins (console_api_bulletins.cc).
  HttpAnswer GetBulletins(Context& c) const;
  HttpAnswer GetBulletin(Context& c) const;
  // 领导接访安排 of the user's office (console_api_receptions.cc).
  HttpAnswer GetReceptions(Context& c) const;
  HttpAnswer PostReception(Context& c) const;
  HttpAnswer PostReceptionCancel(Context& c) const;

  // Helpers (console_api.cc).
  // The metadata of a call for the authenticated user (REQUIRES: c.user);
  // accounts' own calls use AccountsMeta (the end user's address only).
  CallMeta UserMeta(const Context& c) const;
  CallMeta AccountsMeta(const Context& c) const;
  RpcResult Call(ConsoleRpc rpc, const CallMeta& meta,
                 const google::protobuf::Message& request,
                 google::protobuf::Message* response) const;
  // `request` sent as `rpc` (named `name` in errors) for the user; the
  // answer is `response` as JSON, or the call's failure in Chinese.
  HttpAnswer AnswerForUser(Context& c, ConsoleRpc rpc, const char* name,
                           const google::protobuf::Message& request,
                           google::protobuf::Message* response) const;
  // Set-Cookie of cr_staff = `token` for as long as the browser runs
  // (accounts decides when the session ends); an empty token clears the
  // cookie.
  void SetStaffCookie(const std::string& token, HttpAnswer* answer) const;

  // Const after construction.
  const Options options_;
  const SessionCodec* const sessions_;
  ConsoleBackends* const backends_;
  const time::Clock* const clock_;
};

}  // namespace caserelay::web

#endif  // CASERELAY_SERVICES_WEB_CONSOLE_API_H_
