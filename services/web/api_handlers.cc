// The endpoints of api.h, one method each.

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <string>

#include "domain/names/names.h"
#include "services/web/api.h"
#include "services/web/api_json.h"

namespace caserelay::web {
namespace {

namespace pb = google::protobuf;

// The optional whole non-negative number `key` (the view's version) into
// *out; false if it is there but not one.
bool VersionField(const pb::Struct& body, uint64_t* out) {
  auto it = body.fields().find("version");
  if (it == body.fields().end()) return true;
  if (!it->second.has_number_value()) return false;
  const double v = it->second.number_value();
  if (v < 0 || v > 9007199254740992.0 || v != static_cast<uint64_t>(v)) {
    return false;
  }
  *out = static_cast<uint64_t>(v);
  return true;
}

}  // namespace

HttpAnswer Api::GetSession(Context& c) const {
  Session session = c.session.value_or(Session{SessionCodec::NewId(), "", {}});
  pb::Struct out;
  (*out.mutable_fields())["csrf_token"].set_string_value(
      sessions_->CsrfToken(session));
  (*out.mutable_fields())["petitioner_case"].set_string_value(session.case_id);
  HttpAnswer answer = JsonAnswer(out);
  SetSessionCookie(
      session,
      session.case_id.empty() ? options_.anonymous_ttl : options_.session_ttl,
      &answer);
  return answer;
}

HttpAnswer Api::GetRegions(Context& c) const {
  auto it = c.call.query.find("parent");
  std::vector<const region::Region*> regions;
  if (it == c.call.query.end() || it->second.empty()) {
    regions = regions_->Provinces();
  } else if (regions_->Find(it->second) == nullptr) {
    return ErrorAnswer(404, "unknown_region", "所选地区不存在，请重新选择",
                       "parent");
  } else {
    regions = regions_->Children(it->second);
  }
  pb::Struct out;
  pb::ListValue* list = (*out.mutable_fields())["regions"].mutable_list_value();
  for (const region::Region* r : regions) {
    pb::Struct* row = list->add_values()->mutable_struct_value();
    (*row->mutable_fields())["code"].set_string_value(r->code);
    (*row->mutable_fields())["name"].set_string_value(r->name);
    (*row->mutable_fields())["level"].set_string_value(
        std::string(region::LevelName(r->level)));
    (*row->mutable_fields())["has_children"].set_bool_value(
        !regions_->Children(r->code).empty());
  }
  return JsonAnswer(out);
}

HttpAnswer Api::GetForm(Context& c) const {
  // The limits are intake's effective ones (issue 15 item 2), not a copy.
  v1::DescribeFormResponse limits;
  RpcResult r =
      backends_->DescribeForm(Meta(c, ""), v1::DescribeFormRequest(), &limits);
  if (!r.status.ok()) return RpcFailure(CallKind::kSubmit, "DescribeForm", r);
  pb::Struct out;
  pb::ListValue* categories =
      (*out.mutable_fields())["categories"].mutable_list_value();
  for (const std::string& code : offices_->Categories()) {
    pb::Struct* row = categories->add_values()->mutable_struct_value();
    (*row->mutable_fields())["code"].set_string_value(code);
    (*row->mutable_fields())["name"].set_string_value(
        offices_->CategoryName(code));
  }
  pb::ListValue* classes =
      (*out.mutable_fields())["classes"].mutable_list_value();
  for (const names::EnumName& row : names::MatterClassNames()) {
    if (row.value == v1::MATTER_CLASS_UNSPECIFIED) continue;
    pb::Struct* item = classes->add_values()->mutable_struct_value();
    (*item->mutable_fields())["value"].set_string_value(
        v1::MatterClass_Name(static_cast<v1::MatterClass>(row.value)));
    (*item->mutable_fields())["name"].set_string_value(
        std::string(row.chinese));
  }
  (*out.mutable_fields())["max_title_chars"].set_number_value(
      limits.max_title_chars());
  (*out.mutable_fields())["max_text_chars"].set_number_value(
      limits.max_text_chars());
  return JsonAnswer(out);
}

HttpAnswer Api::PostPhoneCode(Context& c) const {
  v1::SendPhoneCodeRequest request;
  if (!ParseBody(c.call.body, &request)) return BadJson();
  v1::SendPhoneCodeResponse response;
  RpcResult r = backends_->SendPhoneCode(Meta(c, ""), request, &response);
  if (!r.status.ok())
    return RpcFailure(CallKind::kPhoneCode, "SendPhoneCode", r);
  return JsonAnswer(response);
}

HttpAnswer Api::PostPetition(Context& c) const {
  v1::SubmitPetitionRequest request;
  if (!ParseBody(c.call.body, &request)) return BadJson();
  // The channel is the transport's fact: it came through the web.
  request.mutable_matter()->set_channel(v1::CHANNEL_ONLINE);
  v1::SubmitPetitionResponse response;
  RpcResult r = backends_->SubmitPetition(Meta(c, ""), request, &response);
  if (!r.status.ok()) return RpcFailure(CallKind::kSubmit, "SubmitPetition", r);
  return JsonAnswer(response);
}

HttpAnswer Api::PostLookup(Context& c) const {
  v1::GetCaseStatusRequest request;
  if (!ParseBody(c.call.body, &request)) return BadJson();
  v1::GetCaseStatusResponse status;
  RpcResult r = backends_->GetCaseStatus(Meta(c, ""), request, &status);
  if (!r.status.ok()) return RpcFailure(CallKind::kLookup, "GetCaseStatus", r);
  // The look-up proved the case: the session names it from now on. The
  // session id stays, so the page's CSRF token stays valid.
  Session session{c.session->id, status.case_number(), {}};
  // Intake's answer, for as long as routing has not registered the case
  // (ViewAnswer forgets it once routing knows it).
  lookups_.Remember(session.id, status, clock_->Now() + options_.session_ttl);
  return ViewAnswer(c, session);
}

HttpAnswer Api::ViewAnswer(Context& c, const Session& session) const {
  v1::GetPetitionerViewRequest request;
  request.set_case_id(session.case_id);
  v1::PetitionerView view;
  RpcResult r =
      backends_->GetPetitionerView(Meta(c, session.case_id), request, &view);
  std::optional<v1::GetCaseStatusResponse> intake;
  if (r.status.error_code() == grpc::StatusCode::NOT_FOUND) {
    // Intake has it, routing has not registered it yet: intake's answer to
    // this session's look-up, if it made one (lookup_memo.h).
    intake = lookups_.Find(session.id, session.case_id, clock_->Now());
  }
  if (intake.has_value()) {
    view = ViewFromIntake(*intake);
    lookups_.Remember(session.id, *intake,
                      clock_->Now() + options_.session_ttl);
  } else if (!r.status.ok()) {
    return RpcFailure(CallKind::kMyCase, "GetPetitionerView", r);
  } else {
    lookups_.Forget(session.id);
  }
  HttpAnswer answer = JsonAnswer(view);
  SetSessionCookie(session, options_.session_ttl, &answer);
  return answer;
}

HttpAnswer Api::GetMyCase(Context& c) const {
  HttpAnswer refusal;
  const Session* session = CaseSession(c, &refusal);
  if (session == nullptr) return refusal;
  return ViewAnswer(c, *session);
}

namespace {

// The petitioner's action on `case_id` at `version` (0: the current one,
// read first), through routing.Act; nullopt when it went through.
std::optional<HttpAnswer> ActForPetitioner(Backends* backends,
                                           const CallMeta& meta,
                                           v1::ActRequest request) {
  if (request.expected_version() == 0) {
    v1::GetPetitionerViewRequest view_request;
    view_request.set_case_id(request.case_id());
    v1::PetitionerView view;
    RpcResult r = backends->GetPetitionerView(meta, view_request, &view);
    if (!r.status.ok()) {
      return RpcFailure(CallKind::kMyCase, "GetPetitionerView", r);
    }
    request.set_expected_version(view.version());
  }
  v1::CaseView after;
  RpcResult r = backends->Act(meta, request, &after);
  if (!r.status.ok()) return RpcFailure(CallKind::kMyCase, "Act", r);
  return std::nullopt;
}

}  // namespace

HttpAnswer Api::PostRating(Context& c) const {
  HttpAnswer refusal;
  const Session* session = CaseSession(c, &refusal);
  if (session == nullptr) return refusal;
  pb::Struct body;
  if (!ParseBody(c.call.body, &body)) return BadJson();
  std::string satisfaction_name, comment;
  uint64_t version = 0;
  if (!StringField(body, "comment", &comment) ||
      !VersionField(body, &version)) {
    return BadJson();
  }
  v1::Satisfaction satisfaction = v1::SATISFACTION_UNSPECIFIED;
  if (!StringField(body, "satisfaction", &satisfaction_name) ||
      !v1::Satisfaction_Parse(satisfaction_name, &satisfaction) ||
      satisfaction == v1::SATISFACTION_UNSPECIFIED) {
    return ErrorAnswer(400, "invalid_field", "请选择满意、基本满意或不满意",
                       "satisfaction");
  }
  v1::ActRequest request;
  request.set_case_id(session->case_id);
  request.set_expected_version(version);
  request.set_reason(comment);
  request.mutable_evaluate()->set_satisfaction(satisfaction);
  if (auto failed = ActForPetitioner(backends_, Meta(c, session->case_id),
                                     std::move(request))) {
    return *failed;
  }
  return ViewAnswer(c, *session);
}

HttpAnswer Api::PostRequest(Context& c) const {
  HttpAnswer refusal;
  const Session* session = CaseSession(c, &refusal);
  if (session == nullptr) return refusal;
  pb::Struct body;
  if (!ParseBody(c.call.body, &body)) return BadJson();
  std::string kind, reason, office_code;
  uint64_t version = 0;
  if (!StringField(body, "reason", &reason) ||
      !StringField(body, "office_code", &office_code) ||
      !VersionField(body, &version)) {
    return BadJson();
  }
  v1::ActRequest request;
  request.set_case_id(session->case_id);
  request.set_expected_version(version);
  request.set_reason(reason);
  if (!StringField(body, "kind", &kind)) kind.clear();
  if (kind == "review") {
    request.mutable_request_review()->set_office_code(office_code);
  } else if (kind == "rereview") {
    request.mutable_request_rereview()->set_office_code(office_code);
  } else {
    return ErrorAnswer(400, "invalid_field", "请选择申请复查或申请复核",
                       "kind");
  }
  if (auto failed = ActForPetitioner(backends_, Meta(c, session->case_id),
                                     std::move(request))) {
    return *failed;
  }
  return ViewAnswer(c, *session);
}

HttpAnswer Api::PostLogout(Context& c) const {
  // The browser keeps its anonymous session (and its CSRF token); the case
  // is forgotten.
  Session session{c.session->id, "", {}};
  lookups_.Forget(session.id);
  pb::Struct out;
  (*out.mutable_fields())["petitioner_case"].set_string_value("");
  HttpAnswer answer = JsonAnswer(out);
  SetSessionCookie(session, options_.anonymous_ttl, &answer);
  return answer;
}

}  // namespace caserelay::web
