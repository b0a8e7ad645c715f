#include "services/web/api.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/web/console_api.h"

namespace caserelay::web {

std::string CookieValue(const std::string& header, absl::string_view name) {
  for (absl::string_view part : absl::StrSplit(header, ';')) {
    part = absl::StripAsciiWhitespace(part);
    if (absl::ConsumePrefix(&part, name) && absl::ConsumePrefix(&part, "=")) {
      return std::string(part);
    }
  }
  return "";
}

bool IsJson(const std::string& content_type) {
  absl::string_view media = content_type;
  media = media.substr(0, media.find(';'));
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(media)) ==
         "application/json";
}

HttpAnswer ErrorAnswer(const ApiError& error) {
  HttpAnswer answer;
  answer.status = error.http_status;
  answer.body = ErrorJson(error);
  if (error.retry_after_seconds > 0) {
    answer.headers.emplace_back("Retry-After",
                                std::to_string(error.retry_after_seconds));
  }
  return answer;
}

HttpAnswer ErrorAnswer(int http_status, const std::string& code,
                       const std::string& message, const std::string& field) {
  return ErrorAnswer(ApiError{http_status, code, message, field, 0});
}

Api::Api(ApiOptions options, const SessionCodec* sessions, Backends* backends,
         const region::RegionTree* regions,
         const offices::OfficeDirectory* offices, const time::Clock* clock,
         const ConsoleApi* console)
    : options_(options),
      sessions_(sessions),
      backends_(backends),
      regions_(regions),
      offices_(offices),
      clock_(clock),
      console_(console) {}

const std::vector<Api::Route>& Api::Routes() {
  static const auto* const kRoutes = new std::vector<Route>{
      {"GET", "/api/v1/session", &Api::GetSession},
      {"GET", "/api/v1/regions", &Api::GetRegions},
      {"GET", "/api/v1/form", &Api::GetForm},
      {"GET", "/api/v1/receptions", &Api::GetReceptions},
      {"POST", "/api/v1/phone-codes", &Api::PostPhoneCode},
      {"POST", "/api/v1/petitions", &Api::PostPetition},
      {"POST", "/api/v1/lookups", &Api::PostLookup},
      {"GET", "/api/v1/my-case", &Api::GetMyCase},
      {"POST", "/api/v1/my-case/rating", &Api::PostRating},
      {"POST", "/api/v1/my-case/requests", &Api::PostRequest},
      {"POST", "/api/v1/logout", &Api::PostLogout},
  };
  return *kRoutes;
}

std::string Api::RouteLabel(const std::string& path) {
  if (absl::StartsWith(path, kConsolePrefix)) {
    return ConsoleApi::RouteLabel(path);
  }
  for (const Route& route : Routes()) {
    if (path == route.path) return route.path;
  }
  return "other";
}

HttpAnswer Api::Handle(const HttpCall& call) const {
  if (console_ != nullptr && absl::StartsWith(call.path, kConsolePrefix)) {
    return console_->Handle(call);
  }
  const Route* route = nullptr;
  std::vector<std::string> allowed;
  for (const Route& r : Routes()) {
    if (call.path != r.path) continue;
    allowed.push_back(r.method);
    if (call.method == r.method) route = &r;
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

  Context c{call, std::nullopt, false};
  const std::string cookie = CookieValue(call.cookie, kSessionCookie);
  if (!cookie.empty()) {
    absl::StatusOr<Session> session = sessions_->Decode(cookie, clock_->Now());
    if (session.ok()) {
      c.session = *std::move(session);
    } else if (absl::IsDeadlineExceeded(session.status())) {
      c.session_expired = true;
    }
  }

  if (call.method == "POST") {
    if (!call.body.empty() && !IsJson(call.content_type)) {
      return ErrorAnswer(415, "unsupported_media_type",
                         "请求格式不正确，请刷新页面后重试");
    }
    // CSRF (issue 15 item 3): a state-changing request carries the token
    // bound to this browser's session, which another site cannot read.
    if (!c.session.has_value() ||
        !sessions_->CsrfMatches(*c.session, call.csrf_token)) {
      return ErrorAnswer(403, "csrf_failed", "页面已过期，请刷新页面后重试");
    }
  }
  return (this->*(route->handler))(c);
}

const Session* Api::CaseSession(Context& c, HttpAnswer* refusal) const {
  if (c.session.has_value() && !c.session->case_id.empty()) {
    return &*c.session;
  }
  *refusal = c.session_expired
                 ? ErrorAnswer(401, "session_expired",
                               "查询已超时，请重新输入案件编号和查询码")
                 : ErrorAnswer(401, "no_session",
                               "请先输入案件编号和查询码查询您的信访事项");
  return nullptr;
}

std::string SessionCookie(const SessionCodec& codec, Session session,
                          absl::Time now, absl::Duration ttl, bool secure) {
  session.expires_at = now + ttl;
  return absl::StrCat(kSessionCookie, "=", codec.Encode(session),
                      "; Path=/; Max-Age=", absl::ToInt64Seconds(ttl),
                      "; HttpOnly; SameSite=Strict", secure ? "; Secure" : "");
}

void Api::SetSessionCookie(Session session, absl::Duration ttl,
                           HttpAnswer* answer) const {
  answer->headers.emplace_back(
      "Set-Cookie", SessionCookie(*sessions_, std::move(session), clock_->Now(),
                                  ttl, options_.secure_cookies));
}

CallMeta Api::Meta(const Context& c, const std::string& petitioner_case) const {
  CallMeta meta;
  meta.client_address = c.call.client_address;
  meta.petitioner_case = petitioner_case;
  return meta;
}

}  // namespace caserelay::web
