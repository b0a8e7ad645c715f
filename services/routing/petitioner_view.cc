#include "services/routing/petitioner_view.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"

namespace caserelay::routing {
namespace {

namespace v1 = ::caserelay::v1;

std::string MethodText(v1::ServiceMethod method) {
  switch (method) {
    case v1::SERVICE_METHOD_IN_PERSON:
      return "直接送达";
    case v1::SERVICE_METHOD_POST:
      return "邮寄送达";
    case v1::SERVICE_METHOD_PORTAL:
      return "网上信访平台送达";
    case v1::SERVICE_METHOD_SMS:
      return "短信送达";
    default:
      return "送达";
  }
}

std::string DocumentText(v1::CaseAction document) {
  switch (document) {
    case v1::CASE_ACTION_DECIDE_REVIEW:
      return "复查意见";
    case v1::CASE_ACTION_DECIDE_REREVIEW:
      return "复核意见";
    default:
      return "处理意见";
  }
}

std::string ActionText(v1::PetitionerAction action) {
  switch (action) {
    case v1::PETITIONER_ACTION_RATE:
      return "满意度评价";
    case v1::PETITIONER_ACTION_REQUEST_REVIEW:
      return "申请复查";
    case v1::PETITIONER_ACTION_REQUEST_REREVIEW:
      return "申请复核";
    default:
      return "";
  }
}

// What happened, for the petitioner; "" for an office's internal step.
std::string StepText(const v1::CaseEvent& e, const std::string& actor,
                     const std::string& holder) {
  switch (e.action()) {
    case v1::CASE_ACTION_REGISTER:
      if (e.to_state() == v1::CASE_STATE_NOT_ACCEPTED) {
        return e.route().empty()
                   ? "经审查，不予受理。"
                   : absl::StrCat("经审查，不予受理。您可以：", e.route());
      }
      if (e.to_state() == v1::CASE_STATE_LINKED) {
        return "您就同一事项提出的信访正在办理中，本次信访已合并办理。";
      }
      return absl::StrCat("信访事项已登记（", holder, "）。");
    case v1::CASE_ACTION_TRANSFER:
      return absl::StrCat("已转送", holder, "办理。");
    case v1::CASE_ACTION_ASSIGN:
      return absl::StrCat("已交办", holder, "办理。");
    case v1::CASE_ACTION_OBJECT:
      return absl::StrCat("承办机关认为不属于其职责范围，已退回", holder,
                          "重新转送。");
    case v1::CASE_ACTION_ACCEPT:
      return absl::StrCat(actor, "已受理", e.simplified() ? "（简易办理）" : "",
                          "。");
    case v1::CASE_ACTION_DECLINE:
      return absl::StrCat(actor, "决定不予受理。",
                          e.route().empty() ? "" : "您可以：", e.route());
    case v1::CASE_ACTION_EXTEND:
      // Art. 34: the extension's reason is told to the petitioner.
      return absl::StrCat("办理期限延长", e.extension_days(), "日",
                          e.reason().empty() ? "" : "，理由：", e.reason(),
                          "。");
    case v1::CASE_ACTION_REPLY:
    case v1::CASE_ACTION_DECIDE_REVIEW:
    case v1::CASE_ACTION_DECIDE_REREVIEW:
      return absl::StrCat(actor, "出具", DocumentText(e.action()), "：",
                          OutcomeText(e.outcome()),
                          e.action() == v1::CASE_ACTION_DECIDE_REREVIEW
                              ? "。信访事项终结。"
                              : "。");
    case v1::CASE_ACTION_EVALUATE:
      return absl::StrCat(
          e.by_petitioner() ? "您作出满意度评价：" : "记录满意度评价：",
          lifecycle::SatisfactionText(e.satisfaction()), "。");
    case v1::CASE_ACTION_REQUEST_REVIEW:
      return absl::StrCat(e.by_petitioner() ? "您申请复查" : "已申请复查",
                          "，由", actor, "办理。");
    case v1::CASE_ACTION_REQUEST_REREVIEW:
      return absl::StrCat(e.by_petitioner() ? "您申请复核" : "已申请复核",
                          "，由", actor, "办理。");
    case v1::CASE_ACTION_START_HEARING:
      return "举行听证（听证期间不计入复核期限）。";
    case v1::CASE_ACTION_END_HEARING:
      return "听证结束。";
    case v1::CASE_ACTION_CLOSE:
      return "已办结归档。";
    case v1::CASE_ACTION_LINK_REPEAT:
      return "您就同一事项再次提出的信访已合并到本事项办理。";
    case v1::CASE_ACTION_ESCALATE:
      // 提级办理 (issue 18 item 5): who handles it now, as the SMS says.
      return absl::StrCat("已由", holder, "提级办理。");
    case v1::CASE_ACTION_CORRECT:
      // 更正登记 (issue 18 item 6): told as at registration (the office's
      // reason for the correction is its own).
      if (e.to_state() == v1::CASE_STATE_NOT_ACCEPTED) {
        return e.route().empty()
                   ? "登记信息已更正。经审查，不予受理。"
                   : absl::StrCat("登记信息已更正。经审查，不予受理。您可以：",
                                  e.route());
      }
      return absl::StrCat("登记信息已更正，信访事项重新登记（", holder,
                          "）。");
    case v1::CASE_ACTION_SERVE:
      return absl::StrCat(DocumentText(e.service().document()), "已",
                          MethodText(e.service().method()), "，收到日期：",
                          lifecycle::ChineseDay(time::ChinaDay(
                              time::FromProto(e.service().received_on()))),
                          "。");
    default:
      // 办结报告, 督办 and its reply: between offices.
      return "";
  }
}

}  // namespace

std::string DeadlineText(v1::DeadlineKind kind) {
  switch (kind) {
    case v1::DEADLINE_KIND_TRANSFER:
      return "登记转送期限";
    case v1::DEADLINE_KIND_ACCEPTANCE:
      return "受理告知期限";
    case v1::DEADLINE_KIND_HANDLING:
      return "办理期限";
    case v1::DEADLINE_KIND_SIMPLIFIED:
      return "简易办理期限";
    case v1::DEADLINE_KIND_REVIEW:
      return "复查期限";
    case v1::DEADLINE_KIND_REREVIEW:
      return "复核期限";
    case v1::DEADLINE_KIND_SERVICE:
      return "送达期限";
    default:
      return "";
  }
}

std::string OutcomeText(v1::Outcome outcome) {
  switch (outcome) {
    case v1::OUTCOME_SUPPORT:
      return "支持";
    case v1::OUTCOME_EXPLAIN:
      return "解释说明";
    case v1::OUTCOME_REJECT:
      return "不予支持";
    default:
      return "";
  }
}

absl::StatusOr<v1::PetitionerView> BuildPetitionerView(
    const v1::RoutingCaseRecord& record,
    const std::vector<std::string>& history,
    const std::vector<lifecycle::PetitionerOption>& options,
    const OfficeNamer& office_name,
    const std::vector<lifecycle::PetitionerClosedOption>& closed) {
  auto name = [&office_name](const std::string& code) {
    std::optional<std::string> n =
        code.empty() ? std::nullopt : office_name(code);
    return n.has_value() && !n->empty() ? *n : std::string(kUnnamedOffice);
  };
  const v1::CaseView& c = record.view();
  v1::PetitionerView view;
  view.set_case_id(c.case_id());
  view.set_state(c.state());
  view.set_state_text(lifecycle::StateText(c.state()));
  view.set_office_name(name(c.office_code()));
  *view.mutable_received_at() = c.received_at();
  view.set_title(c.matter().title());
  view.set_text(c.matter().text());
  view.set_version(c.version());
  for (const v1::RunningDeadline& d : c.deadlines()) {
    const std::string text = DeadlineText(d.kind());
    if (text.empty()) continue;
    v1::PetitionerView::Deadline* out = view.add_deadlines();
    out->set_kind(d.kind());
    out->set_text(text);
    *out->mutable_due_at() = d.due_at();
    out->set_office_name(name(d.office_code()));
    out->set_paused(d.has_paused_at());
  }
  for (const std::string& bytes : history) {
    v1::Envelope envelope;
    if (!envelope.ParseFromString(bytes) || !envelope.has_case_event()) {
      return absl::DataLossError(absl::StrCat("routing: an event of case ",
                                              c.case_id(), " does not parse"));
    }
    const v1::CaseEvent& e = envelope.case_event();
    const std::string actor = name(e.actor_office_code());
    const std::string text = StepText(e, actor, name(e.holder_office_code()));
    if (!text.empty()) {
      v1::PetitionerView::Step* step = view.add_steps();
      *step->mutable_at() = envelope.occurred_at();
      step->set_text(text);
    }
    if (e.action() == v1::CASE_ACTION_REPLY ||
        e.action() == v1::CASE_ACTION_DECIDE_REVIEW ||
        e.action() == v1::CASE_ACTION_DECIDE_REREVIEW) {
      v1::PetitionerView::Opinion* o = view.mutable_outcome();
      o->set_document(e.action());
      o->set_document_text(DocumentText(e.action()));
      o->set_outcome(e.outcome());
      o->set_outcome_text(OutcomeText(e.outcome()));
      o->set_reason(e.reason());
      *o->mutable_decided_at() = envelope.occurred_at();
      o->set_office_name(actor);
    }
    if (e.action() == v1::CASE_ACTION_EVALUATE && e.by_petitioner()) {
      v1::PetitionerView::Rating* r = view.mutable_rating();
      r->set_satisfaction(e.satisfaction());
      r->set_satisfaction_text(lifecycle::SatisfactionText(e.satisfaction()));
      r->set_comment(e.reason());
      *r->mutable_rated_at() = envelope.occurred_at();
    }
  }
  for (const lifecycle::PetitionerOption& option : options) {
    v1::PetitionerView::Action* a = view.add_actions();
    a->set_action(option.action);
    a->set_text(ActionText(option.action));
    if (option.until.has_value()) {
      *a->mutable_until() = time::ToProto(*option.until);
    }
    for (const lifecycle::ReviewOrgan& organ : option.organs) {
      // An organ the view may not name is not offered (Art. 30).
      if (!office_name(organ.office.code).has_value()) continue;
      v1::PetitionerView::Organ* o = a->add_organs();
      o->set_office_code(organ.office.code);
      o->set_office_name(organ.office.name);
    }
  }
  for (const lifecycle::PetitionerClosedOption& option : closed) {
    v1::PetitionerView::ClosedAction* a = view.add_closed_actions();
    a->set_action(option.action);
    a->set_text(option.reason);
    *a->mutable_closed_at() = time::ToProto(option.closed_at);
  }
  return view;
}

}  // namespace caserelay::routing
