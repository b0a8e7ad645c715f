// The console's 接访安排 (issue 18 item 1; console_api.h): the user's office's
// leaders' reception days, listed, published and cancelled at intake. Who
// may publish or cancel is intake's rule (domain/access MayManageReception
// over the user's roles); the office is always the user's own, from
// accounts' User, never from the request.

#include <string>
#include <vector>

#include "caserelay/v1/intake.pb.h"
#include "services/web/api_json.h"
#include "services/web/console_api.h"
#include "services/web/console_query.h"

namespace caserelay::web {
namespace {

using Kind = QueryParam::Kind;

}  // namespace

HttpAnswer ConsoleApi::GetReceptions(Context& c) const {
  static const auto* const kParams = new std::vector<QueryParam>{
      {"from", "from_day", Kind::kString},
      {"to", "to_day", Kind::kString},
  };
  v1::ListReceptionsRequest request;
  if (absl::Status s = QueryToRequest(c.call.query, *kParams, {}, &request);
      !s.ok()) {
    return ErrorAnswer(400, "bad_query", "查询条件有误，请检查后重试",
                       std::string(s.message()));
  }
  request.set_office_code(c.user->office_code());
  v1::ListReceptionsResponse response;
  return AnswerForUser(c, ConsoleRpc::kListReceptions, "intake.ListReceptions",
                       request, &response);
}

HttpAnswer ConsoleApi::PostReception(Context& c) const {
  v1::PublishReceptionRequest request;
  if (!ParseBody(c.call.body, &request)) return BadJson();
  request.set_office_code(c.user->office_code());
  v1::Reception response;
  RpcResult r =
      Call(ConsoleRpc::kPublishReception, UserMeta(c), request, &response);
  if (!r.status.ok()) {
    return RpcFailure(CallKind::kConsole, "intake.PublishReception", r);
  }
  return JsonAnswer(response);
}

HttpAnswer ConsoleApi::PostReceptionCancel(Context& c) const {
  v1::CancelReceptionRequest request;
  request.set_reception_id(c.params[0]);
  v1::Reception response;
  RpcResult r =
      Call(ConsoleRpc::kCancelReception, UserMeta(c), request, &response);
  if (!r.status.ok()) {
    return RpcFailure(CallKind::kConsole, "intake.CancelReception", r);
  }
  return JsonAnswer(response);
}

}  // namespace caserelay::web
