#include "services/web/console_api.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/rpc/auth.h"
#include "services/web/api_json.h"

namespace caserelay::web {
namespace {

// The "*" segments of `path` when it matches `pattern` (segment by segment,
// "*" any non-empty one); nullopt when it does not.
std::optional<std::vector<std::string>> Match(absl::string_view pattern,
                                              absl::string_view path) {
  std::vector<absl::string_view> want = absl::StrSplit(pattern, '/');
  std::vector<absl::string_view> got = absl::StrSplit(path, '/');
  if (want.size() != got.size()) return std::nullopt;
  std::vector<std::string> params;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i] == "*") {
      if (got[i].empty()) return std::nullopt;
      params.emplace_back(got[i]);
    } else if (want[i] != got[i]) {
      return std::nullopt;
    }
  }
  return params;
}

}  // namespace

std::string RolesMetadata(const v1::User& user) {
  std::vector<v1::StaffRole> roles;
  for (int role : user.roles()) {
    const auto staff_role = static_cast<v1::StaffRole>(role);
    // A role the gateway cannot name is not sent (accounts never gives one).
    if (!rpc::RoleName(staff_role).empty()) roles.push_back(staff_role);
  }
  return rpc::RolesMetadataValue(roles);
}

ConsoleApi::ConsoleApi(Options options, const SessionCodec* sessions,
                       ConsoleBackends* backends, const time::Clock* clock)
    : options_(options),
      sessions_(sessions),
      backends_(backends),
      clock_(clock) {}

const std::vector<ConsoleApi::Route>& ConsoleApi::Routes() {
  static const auto* const kRoutes = new std::vector<Route>{
      {"GET", "/api/v1/console/session", &ConsoleApi::GetSession, false},
      {"POST", "/api/v1/console/login", &ConsoleApi::PostLogin, false},
      {"POST", "/api/v1/console/logout", &ConsoleApi::PostLogout, true},
      {"POST", "/api/v1/console/password", &ConsoleApi::PostPassword, true},
      {"GET", "/api/v1/console/inbox", &ConsoleApi::GetInbox, true},
      {"GET", "/api/v1/console/approvals", &ConsoleApi::GetApprovals, true},
      {"GET", "/api/v1/console/charged", &ConsoleApi::GetCharged, true},
      {"POST", "/api/v1/console/preview", &ConsoleApi::PostPreview, true},
      {"POST", "/api/v1/console/registrations", &ConsoleApi::PostRegistration,
       true},
      {"GET", "/api/v1/console/cases/*", &ConsoleApi::GetCase, true},
      {"POST", "/api/v1/console/cases/*/actions", &ConsoleApi::PostAction,
       true},
      {"POST", "/api/v1/console/cases/*/supervise", &ConsoleApi::PostSupervise,
       true},
      {"GET", "/api/v1/console/red-lights", &ConsoleApi::GetRedLights, true},
      {"GET", "/api/v1/console/group-alerts", &ConsoleApi::GetGroupAlerts,
       true},
      {"GET", "/api/v1/console/indicators", &ConsoleApi::GetIndicators, true},
      {"GET", "/api/v1/console/users", &ConsoleApi::GetUsers, true},
      {"POST", "/api/v1/console/users", &ConsoleApi::PostUsers, true},
      {"POST", "/api/v1/console/users/*", &ConsoleApi::PostUser, true},
      {"GET", "/api/v1/console/bulletins", &ConsoleApi::GetBulletins, true},
      // 领导接访安排 (issue 18 item 1): the office's reception days.
      {"GET", "/api/v1/console/receptions", &ConsoleApi::GetReceptions, true},
      {"POST", "/api/v1/console/receptions", &ConsoleApi::PostReception, true},
      {"POST", "/api/v1/console/receptions/*/cancel",
       &ConsoleApi::PostReceptionCancel, true},
      // The bulletin's id "<bureau>/<kind>/<first day>" as three segments.
      {"GET", "/api/v1/console/bulletins/*/*/*", &ConsoleApi::GetBulletin,
       true},
  };
  return *kRoutes;
}

std::string ConsoleApi::RouteLabel(const std::string& path) {
  for (const Route& route : Routes()) {
    if (Match(route.pattern, path).has_value()) return route.pattern;
  }
  return "other";
}

HttpAnswer ConsoleApi::Handle(const HttpCall& call) const {
  const Route* route = nullptr;
  std::vector<std::string> allowed;
  std::vector<std::string> params;
  for (const Route& r : Routes()) {
    auto matched = Match(r.pattern, call.path);
    if (!matched.has_value()) continue;
    allowed.push_back(r.method);
    if (call.method == r.method) {
      route = &r;
      params = *std::move(matched);
    }
  }
  if (allowed.empty()) {
    return ErrorAnswer(404, "not_found", "您访问的页面不存在");
  }
  if (route == nullptr) {
    HttpAnswer answer =
        ErrorAnswer(405, "method_not_allowed", "不支持该操作，请从页面上办理");
    answer.headers.emplace_back("Allow", absl::StrJoin(allowed, ", "));
    return answer;
  }
  if (call.body.size() > options_.max_body_bytes) {
    return ErrorAnswer(413, "body_too_large", "提交的内容过长，请删减后重试");
  }
  if (call.method == "POST" && !call.body.empty() &&
      !IsJson(call.content_type)) {
    return ErrorAnswer(415, "unsupported_media_type",
                       "请求格式不正确，请刷新页面后重试");
  }

  Context c{call, std::move(params), CookieValue(call.cookie, kStaffCookie),
            std::nullopt};
  if (route->needs_user) {
    if (c.token.empty()) {
      return ErrorAnswer(401, "no_session", "请先登录信访工作台");
    }
    // CSRF (issue 16): the token bound to this login, which another site
    // cannot read; checked before the session costs a call.
    if (call.method == "POST" &&
        !sessions_->StaffCsrfMatches(c.token, call.csrf_token)) {
      return ErrorAnswer(403, "csrf_failed", "页面已过期，请刷新页面后重试");
    }
    // Every request: a disabled user or an ended session is out at once.
    v1::AuthenticateRequest request;
    request.set_session_token(c.token);
    v1::User user;
    RpcResult r =
        Call(ConsoleRpc::kAuthenticate, AccountsMeta(c), request, &user);
    if (!r.status.ok()) {
      HttpAnswer answer =
          RpcFailure(CallKind::kStaffSession, "accounts.Authenticate", r);
      if (answer.status == 401)
        SetStaffCookie("", &answer);
      return answer;
    }
    c.user = std::move(user);
  }
  return (this->*(route->handler))(c);
}

CallMeta ConsoleApi::UserMeta(const Context& c) const {
  CallMeta meta;
  meta.client_address = c.call.client_address;
  meta.user = c.user->username();
  meta.office = c.user->office_code();
  meta.roles = RolesMetadata(*c.user);
  return meta;
}

CallMeta ConsoleApi::AccountsMeta(const Context& c) const {
  CallMeta meta;
  meta.client_address = c.call.client_address;
  return meta;
}

RpcResult ConsoleApi::Call(ConsoleRpc rpc, const CallMeta& meta,
                           const google::protobuf::Message& request,
                           google::protobuf::Message* response) const {
  return backends_->Call(rpc, meta, request, response);
}

HttpAnswer ConsoleApi::AnswerForUser(Context& c, ConsoleRpc rpc,
                                     const char* name,
                                     const google::protobuf::Message& request,
                                     google::protobuf::Message* response) const {
  RpcResult r = Call(rpc, UserMeta(c), request, response);
  if (!r.status.ok()) return RpcFailure(CallKind::kConsole, name, r);
  return JsonAnswer(*response);
}

void ConsoleApi::SetStaffCookie(const std::string& token,
                                HttpAnswer* answer) const {
  // A live session's cookie lasts while the browser runs: accounts ends the
  // session (idle and absolute limits, on its own clock) and Authenticate
  // says so on the next request. Login's expires_at is accounts' time and
  // is not compared with this gateway's clock (under a simulated accounts
  // clock a fresh cookie would expire at once). An empty token deletes it.
  answer->headers.emplace_back(
      "Set-Cookie",
      absl::StrCat(kStaffCookie, "=", token, "; Path=/",
                   token.empty() ? "; Max-Age=0" : "",
                   "; HttpOnly; SameSite=Strict",
                   options_.secure_cookies ? "; Secure" : ""));
}

}  // namespace caserelay::web
