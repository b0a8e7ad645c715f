// The console's supervision and administration endpoints (console_api.h):
// the red-light board, the indicators (JSON or CSV) and the office's users.

#include <google/protobuf/struct.pb.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "caserelay/v1/accounts.pb.h"
#include "caserelay/v1/supervision.pb.h"
#include "services/web/api_json.h"
#include "services/web/console_api.h"
#include "services/web/console_query.h"
#include "services/web/indicators_csv.h"

namespace caserelay::web {
namespace {

namespace pb = google::protobuf;
using Kind = QueryParam::Kind;

HttpAnswer BadQuery(const std::string& param) {
  return ErrorAnswer(400, "bad_query", "查询条件有误，请检查后重试", param);
}

}  // namespace

HttpAnswer ConsoleApi::GetRedLights(Context& c) const {
  static const auto* const kParams = new std::vector<QueryParam>{
      {"region", "region_code", Kind::kString},
      {"office", "office_code", Kind::kString},
      {"limit", "limit", Kind::kNumber},
      {"page_token", "page_token", Kind::kString},
  };
  v1::ListRedLightsRequest request;
  if (absl::Status s = QueryToRequest(c.call.query, *kParams, {}, &request);
      !s.ok()) {
    return BadQuery(std::string(s.message()));
  }
  v1::ListRedLightsResponse response;
  return AnswerForUser(c, ConsoleRpc::kListRedLights, "supervision.ListRedLights", request, &response);
}

HttpAnswer ConsoleApi::GetGroupAlerts(Context& c) const {
  // The same parameters as the red lights; supervision decides the scope.
  static const auto* const kParams = new std::vector<QueryParam>{
      {"region", "region_code", Kind::kString},
      {"office", "office_code", Kind::kString},
      {"limit", "limit", Kind::kNumber},
      {"page_token", "page_token", Kind::kString},
  };
  v1::ListGroupAlertsRequest request;
  if (absl::Status s = QueryToRequest(c.call.query, *kParams, {}, &request);
      !s.ok()) {
    return BadQuery(std::string(s.message()));
  }
  v1::ListGroupAlertsResponse response;
  return AnswerForUser(c, ConsoleRpc::kListGroupAlerts,
                       "supervision.ListGroupAlerts", request, &response);
}

HttpAnswer ConsoleApi::GetIndicators(Context& c) const {
  // scope: an office code ("140431:bureau") or a region code (its
  // subtree); empty: the whole deployment. statistics answers from its
  // index and says what the user's office may see.
  static const auto* const kParams = new std::vector<QueryParam>{
      {"level", "scope.level", Kind::kString},
      {"from", "from", Kind::kTime},
      {"to", "to", Kind::kTime},
      {"breakdown", "breakdown", Kind::kString},
  };
  v1::GetIndicatorsRequest request;
  if (absl::Status s =
          QueryToRequest(c.call.query, *kParams, {"scope", "format"}, &request);
      !s.ok()) {
    return BadQuery(std::string(s.message()));
  }
  auto param = [&](const char* key) {
    auto it = c.call.query.find(key);
    return it == c.call.query.end() ? std::string() : it->second;
  };
  const std::string scope = param("scope");
  if (absl::StrContains(scope, ':')) {
    request.mutable_scope()->set_office_code(scope);
  } else {
    request.mutable_scope()->set_region_code(scope);
  }
  const std::string format = param("format");
  if (!format.empty() && format != "csv" && format != "json") {
    return BadQuery("format");
  }
  v1::GetIndicatorsResponse response;
  RpcResult r =
      Call(ConsoleRpc::kGetIndicators, UserMeta(c), request, &response);
  if (!r.status.ok()) {
    return RpcFailure(CallKind::kConsole, "statistics.GetIndicators", r);
  }
  if (format != "csv") return JsonAnswer(response);
  HttpAnswer answer;
  answer.content_type = "text/csv; charset=utf-8";
  answer.body = IndicatorsCsv(response);
  answer.headers.emplace_back("Content-Disposition",
                              "attachment; filename=\"indicators.csv\"");
  return answer;
}

HttpAnswer ConsoleApi::GetUsers(Context& c) const {
  v1::ListUsersRequest request;
  request.set_session_token(c.token);
  v1::ListUsersResponse response;
  RpcResult r =
      Call(ConsoleRpc::kListUsers, AccountsMeta(c), request, &response);
  if (!r.status.ok())
    return RpcFailure(CallKind::kAccounts, "accounts.ListUsers", r);
  return JsonAnswer(response);
}

HttpAnswer ConsoleApi::PostUsers(Context& c) const {
  v1::CreateUserRequest request;
  if (!ParseBody(c.call.body, &request)) return BadJson();
  // accounts authenticates the actor by the session, never by the body.
  request.set_session_token(c.token);
  v1::User user;
  RpcResult r = Call(ConsoleRpc::kCreateUser, AccountsMeta(c), request, &user);
  if (!r.status.ok())
    return RpcFailure(CallKind::kAccounts, "accounts.CreateUser", r);
  return JsonAnswer(user);
}

HttpAnswer ConsoleApi::PostUser(Context& c) const {
  // {"password"}: ResetPassword; {"roles","disabled"}: UpdateUser.
  pb::Struct body;
  if (!ParseBody(c.call.body, &body)) return BadJson();
  const std::string& username = c.params[0];
  if (body.fields().count("password") > 0) {
    v1::ResetPasswordRequest request;
    if (!ParseBody(c.call.body, &request)) return BadJson();
    request.set_session_token(c.token);
    request.set_username(username);
    v1::ResetPasswordResponse response;
    RpcResult r =
        Call(ConsoleRpc::kResetPassword, AccountsMeta(c), request, &response);
    if (!r.status.ok()) {
      return RpcFailure(CallKind::kAccounts, "accounts.ResetPassword", r);
    }
    return JsonAnswer(response);
  }
  v1::UpdateUserRequest request;
  if (!ParseBody(c.call.body, &request)) return BadJson();
  request.set_session_token(c.token);
  request.set_username(username);
  v1::User user;
  RpcResult r = Call(ConsoleRpc::kUpdateUser, AccountsMeta(c), request, &user);
  if (!r.status.ok())
    return RpcFailure(CallKind::kAccounts, "accounts.UpdateUser", r);
  return JsonAnswer(user);
}

}  // namespace caserelay::web
