// The console's case endpoints (console_api.h): inbox, approvals, route
// preview, registration, the case page and actions. Each is one or a few
// service calls for the signed-in user; every rule is the services'.

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/intake.pb.h"
#include "caserelay/v1/notification.pb.h"
#include "caserelay/v1/routing.pb.h"
#include "caserelay/v1/supervision.pb.h"
#include "domain/chain/history.h"
#include "services/web/api_json.h"
#include "services/web/console_api.h"
#include "services/web/console_query.h"

namespace caserelay::web {
namespace {

namespace pb = google::protobuf;
using Kind = QueryParam::Kind;

HttpAnswer BadQuery(const std::string& param) {
  return ErrorAnswer(400, "bad_query", "查询条件有误，请检查后重试", param);
}

// The inbox's filters (console-contract.md) and ListInboxRequest's fields.
const std::vector<QueryParam>& InboxParams() {
  static const auto* const kParams = new std::vector<QueryParam>{
      {"office", "office_code", Kind::kString},
      {"state", "states", Kind::kList},
      {"category", "categories", Kind::kList},
      {"channel", "channels", Kind::kList},
      {"due_before", "due_before", Kind::kTime},
      {"received_from", "received_from", Kind::kTime},
      {"received_to", "received_to", Kind::kTime},
      {"q", "query", Kind::kString},
      {"page_size", "page_size", Kind::kNumber},
      {"page_token", "page_token", Kind::kString},
  };
  return *kParams;
}

// The chain check as the case page shows it: a verdict and plain Chinese.
pb::Value ChainJson(const chain::HistoryCheck& check) {
  pb::Value out;
  auto& f = *out.mutable_struct_value()->mutable_fields();
  f["verified"].set_bool_value(check.verdict.intact);
  f["events"].set_number_value(static_cast<double>(check.events));
  std::string message;
  if (check.verdict.intact) {
    message =
        absl::StrCat("办理记录完整：共", check.events, "条，逐条哈希校验通过");
  } else if (check.verdict.altered_sequence > 0) {
    message =
        absl::StrCat("办理记录校验未通过：第", check.verdict.altered_sequence,
                     "条记录与哈希链不符，请联系系统管理员");
  } else {
    message = "办理记录校验未通过：记录条数与案件版本不符，请联系系统管理员";
  }
  f["message"].set_string_value(message);
  return out;
}

}  // namespace

HttpAnswer ConsoleApi::GetInbox(Context& c) const {
  v1::ListInboxRequest request;
  if (absl::Status s = QueryToRequest(c.call.query, InboxParams(),
                                      {"name", "phone"}, &request);
      !s.ok()) {
    return BadQuery(std::string(s.message()));
  }
  // The petitioner's name or phone: intake finds the cases, routing lists
  // those this user's office may see the petitioner of (console-contract
  // .md; the query never reaches routing, nor a log).
  v1::FindCasesRequest find;
  for (const auto& [key, value] : c.call.query) {
    if (key == "name") find.set_name(value);
    if (key == "phone") find.set_phone(value);
  }
  if (!find.name().empty() || !find.phone().empty()) {
    v1::FindCasesResponse found;
    RpcResult r = Call(ConsoleRpc::kFindCases, UserMeta(c), find, &found);
    if (!r.status.ok()) {
      return RpcFailure(CallKind::kConsole, "intake.FindCases", r);
    }
    if (found.case_ids().empty()) return JsonAnswer(v1::ListInboxResponse());
    *request.mutable_case_ids() = found.case_ids();
  }
  v1::ListInboxResponse response;
  RpcResult r = Call(ConsoleRpc::kListInbox, UserMeta(c), request, &response);
  if (!r.status.ok())
    return RpcFailure(CallKind::kConsole, "routing.ListInbox", r);
  return JsonAnswer(response);
}

HttpAnswer ConsoleApi::GetApprovals(Context& c) const {
  static const auto* const kParams = new std::vector<QueryParam>{
      {"office", "office_code", Kind::kString},
      {"page_size", "page_size", Kind::kNumber},
      {"page_token", "page_token", Kind::kString},
  };
  v1::ListApprovalsRequest request;
  if (absl::Status s = QueryToRequest(c.call.query, *kParams, {}, &request);
      !s.ok()) {
    return BadQuery(std::string(s.message()));
  }
  v1::ListApprovalsResponse response;
  return AnswerForUser(c, ConsoleRpc::kListApprovals, "routing.ListApprovals", request, &response);
}

// 领导包案 (issue 18 item 2): routing's ListChargedCases for the user; whose
// list and which cases is routing's rule.
HttpAnswer ConsoleApi::GetCharged(Context& c) const {
  static const auto* const kParams = new std::vector<QueryParam>{
      {"office", "office_code", Kind::kString},
      {"leader", "leader_name", Kind::kString},
      {"page_size", "page_size", Kind::kNumber},
      {"page_token", "page_token", Kind::kString},
  };
  v1::ListChargedCasesRequest request;
  if (absl::Status s = QueryToRequest(c.call.query, *kParams, {}, &request);
      !s.ok()) {
    return BadQuery(std::string(s.message()));
  }
  v1::ListChargedCasesResponse response;
  return AnswerForUser(c, ConsoleRpc::kListChargedCases,
                       "routing.ListChargedCases", request, &response);
}

HttpAnswer ConsoleApi::PostPreview(Context& c) const {
  // {"matter": Matter, "channel": Channel}: the channel the clerk chose
  // goes into the matter, as on the registration.
  pb::Struct body;
  if (!ParseBody(c.call.body, &body)) return BadJson();
  v1::PreviewRouteRequest request;
  for (const auto& [key, value] : body.fields()) {
    if (key == "matter") {
      std::string json;
      if (!value.has_struct_value() ||
          !pb::util::MessageToJsonString(value.struct_value(), &json).ok() ||
          !ParseBody(json, request.mutable_matter())) {
        return BadJson();
      }
    } else if (key != "channel") {
      return BadJson();
    }
  }
  std::string channel_name;
  if (!StringField(body, "channel", &channel_name)) return BadJson();
  if (!channel_name.empty()) {
    v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
    if (!v1::Channel_Parse(channel_name, &channel)) {
      return ErrorAnswer(400, "invalid_field", "请选择信访形式", "channel");
    }
    request.mutable_matter()->set_channel(channel);
  }
  v1::RouteDecision decision;
  RpcResult r =
      Call(ConsoleRpc::kPreviewRoute, UserMeta(c), request, &decision);
  if (!r.status.ok()) {
    return RpcFailure(CallKind::kConsole, "routing.PreviewRoute", r);
  }
  return JsonAnswer(decision);
}

HttpAnswer ConsoleApi::PostRegistration(Context& c) const {
  v1::SubmitPetitionRequest request;
  if (!ParseBody(c.call.body, &request)) return BadJson();
  // The console registers what comes in person, by letter, fax or phone;
  // online petitions come through the portal (console-contract.md).
  switch (request.matter().channel()) {
    case v1::CHANNEL_VISIT:
    case v1::CHANNEL_LETTER:
    case v1::CHANNEL_FAX:
    case v1::CHANNEL_PHONE:
      break;
    default:
      return ErrorAnswer(400, "invalid_field",
                         "请选择信访形式：走访、来信、传真或来电",
                         "matter.channel");
  }
  v1::SubmitPetitionResponse response;
  RpcResult r =
      Call(ConsoleRpc::kSubmitPetition, UserMeta(c), request, &response);
  if (!r.status.ok()) {
    return RpcFailure(CallKind::kSubmit, "intake.SubmitPetition", r);
  }
  return JsonAnswer(response);
}

HttpAnswer ConsoleApi::GetCase(Context& c) const {
  const std::string& case_id = c.params[0];
  const CallMeta meta = UserMeta(c);
  v1::GetCaseRequest get;
  get.set_case_id(case_id);
  v1::CaseDetail detail;
  RpcResult r = Call(ConsoleRpc::kGetCase, meta, get, &detail);
  if (!r.status.ok())
    return RpcFailure(CallKind::kConsole, "routing.GetCase", r);

  pb::Struct out;
  auto& f = *out.mutable_fields();
  f["case"] = JsonValue(detail.view());
  pb::ListValue* history = f["history"].mutable_list_value();
  for (const std::string& bytes : detail.events()) {
    v1::Envelope event;
    if (!event.ParseFromString(bytes)) {
      // The chain check below names it; the page shows the gap.
      history->add_values()->set_null_value(pb::NULL_VALUE);
      continue;
    }
    *history->add_values() = JsonValue(event);
  }
  // The same check as casectl verify (domain/chain/history.h).
  f["chain"] = ChainJson(chain::CheckHistory(detail));

  // What the other services hold on the case, each only where the service
  // lets this user read it: a refusal leaves the part out; a service that
  // does not answer is named in "unavailable" and the rest still shows.
  pb::ListValue* unavailable = f["unavailable"].mutable_list_value();
  auto part = [&](ConsoleRpc rpc, const char* key, const pb::Message& request,
                  pb::Message* response) {
    RpcResult result = Call(rpc, meta, request, response);
    if (result.status.ok()) {
      f[key] = JsonValue(*response);
    } else if (FromRpc(CallKind::kConsole, result.status).http_status >= 500) {
      (void)RpcFailure(CallKind::kConsole, ConsoleRpcName(rpc), result);
      unavailable->add_values()->set_string_value(key);
    }
  };
  v1::ListDeadlinesRequest deadlines_request;
  deadlines_request.set_case_id(case_id);
  v1::ListDeadlinesResponse deadlines;
  part(ConsoleRpc::kListDeadlines, "deadlines", deadlines_request, &deadlines);
  v1::ListMessagesRequest messages_request;
  messages_request.set_case_id(case_id);
  v1::ListMessagesResponse messages;
  part(ConsoleRpc::kListMessages, "messages", messages_request, &messages);
  // The petitioner, where intake lets this user's office contact them
  // (CaseAccess::MaySeePetitioner); never the look-up code.
  v1::GetPetitionerRequest petitioner_request;
  petitioner_request.set_case_id(case_id);
  v1::GetPetitionerResponse petitioner;
  part(ConsoleRpc::kGetPetitioner, "petitioner", petitioner_request,
       &petitioner);
  return JsonAnswer(out);
}

HttpAnswer ConsoleApi::PostAction(Context& c) const {
  v1::ActRequest request;
  if (!ParseBody(c.call.body, &request)) return BadJson();
  request.set_case_id(c.params[0]);  // the page's case, as the path says
  // Two people may work on one case: the action is for the version the
  // page showed, never silently for a newer one.
  if (request.expected_version() == 0) {
    return ErrorAnswer(400, "invalid_field", "请刷新页面后重新办理",
                       "expected_version");
  }
  v1::CaseView view;
  RpcResult r = Call(ConsoleRpc::kAct, UserMeta(c), request, &view);
  if (!r.status.ok()) return RpcFailure(CallKind::kConsole, "routing.Act", r);
  return JsonAnswer(view);
}

HttpAnswer ConsoleApi::PostSupervise(Context& c) const {
  v1::SuperviseRequest request;
  if (!ParseBody(c.call.body, &request)) return BadJson();
  request.set_case_id(c.params[0]);  // the page's case, as the path says
  v1::SuperviseResponse response;
  RpcResult r = Call(ConsoleRpc::kSupervise, UserMeta(c), request, &response);
  if (!r.status.ok()) {
    return RpcFailure(CallKind::kConsole, "supervision.Supervise", r);
  }
  return JsonAnswer(response);
}

}  // namespace caserelay::web
