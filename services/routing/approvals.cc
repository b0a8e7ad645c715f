// routing's approvals (approvals.h).
#include "services/routing/approvals.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/principal.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/transitions.h"
#include "services/routing/act_command.h"

namespace caserelay::routing {
namespace {

using caserelay::v1::ActRequest;
using caserelay::v1::CaseAction;
using caserelay::v1::CaseEvent;
using caserelay::v1::RoutingCaseRecord;

// An event that records an answer or a proposal on the case as it stands:
// same state, holder, deadlines and window (so supervision, notification
// and intake, which take those from every event, see nothing change).
CaseEvent Unchanged(const RoutingCaseRecord& record, CaseAction action,
                    const Actor& actor) {
  const caserelay::v1::CaseView& view = record.view();
  CaseEvent e;
  e.set_action(action);
  e.set_actor_office_code(actor.office);
  if (actor.office == view.office_code()) {
    e.set_actor_office_name(view.office_name());
  }
  e.set_operator_(actor.person);
  e.set_from_state(view.state());
  e.set_to_state(view.state());
  e.set_holder_office_code(view.office_code());
  e.set_holder_office_name(view.office_name());
  *e.mutable_deadlines() = view.deadlines();
  if (view.has_window()) *e.mutable_window() = view.window();
  return e;
}

// The request fields an action needs (AllowedAction.fields).
std::vector<std::string> FieldsOf(CaseAction action) {
  switch (action) {
    case caserelay::v1::CASE_ACTION_TRANSFER:
      return {"transfer.office_code"};
    case caserelay::v1::CASE_ACTION_ASSIGN:
      return {"assign.office_code"};
    case caserelay::v1::CASE_ACTION_OBJECT:
      return {"reason"};
    case caserelay::v1::CASE_ACTION_ACCEPT:
      return {"accept.simplified"};
    case caserelay::v1::CASE_ACTION_DECLINE:
      return {"reason", "decline.route", "decline.ground"};
    case caserelay::v1::CASE_ACTION_EXTEND:
      return {"reason", "extend.days"};
    case caserelay::v1::CASE_ACTION_REPLY:
      return {"reply.outcome", "reason"};
    case caserelay::v1::CASE_ACTION_EVALUATE:
      return {"evaluate.satisfaction"};
    case caserelay::v1::CASE_ACTION_DECIDE_REVIEW:
      return {"decide_review.outcome", "reason"};
    case caserelay::v1::CASE_ACTION_DECIDE_REREVIEW:
      return {"decide_rereview.outcome", "reason"};
    case caserelay::v1::CASE_ACTION_SERVE:
      return {"serve.method", "serve.received_at"};
    case caserelay::v1::CASE_ACTION_REPLY_SUPERVISION:
      return {"reason", "reply_supervision.supervision_id"};
    case caserelay::v1::CASE_ACTION_TAKE_CHARGE:
      return {"take_charge.leader_name", "take_charge.leader_title"};
    case caserelay::v1::CASE_ACTION_FOLLOW_UP:
      // The contact is recorded when it happened: now (the form asks no
      // date; casectl and the RPC may give contacted_at).
      return {"record_follow_up.method", "record_follow_up.view", "reason"};
    case caserelay::v1::CASE_ACTION_RECOMMEND:
      return {"recommend.kind", "recommend.supervision_id", "reason"};
    case caserelay::v1::CASE_ACTION_ESCALATE:
      return {"reason"};
    case caserelay::v1::CASE_ACTION_CORRECT:
      return {"correct.category", "correct.matter_class", "correct.region_code",
              "correct.statutory_route", "reason"};
    default:
      return {};
  }
}

// The ActRequest oneof field of an action: "decide_review" for
// CASE_ACTION_DECIDE_REVIEW.
std::string RequestField(CaseAction action) {
  // 回访's oneof field names what the office does: it records the contact.
  if (action == caserelay::v1::CASE_ACTION_FOLLOW_UP) return "record_follow_up";
  return absl::AsciiStrToLower(lifecycle::ActionName(action));
}

std::string Pending(const caserelay::v1::Proposal& p) {
  return absl::StrCat("已有待审批的“", access::ActionText(p.action()), "”（",
                      p.proposed_by(), "提交），请等待负责人审批或退回");
}

}  // namespace

Actor ActorFor(const rpc::Principal& caller, std::string office) {
  Actor actor;
  actor.office = std::move(office);
  actor.roles = caller.HasEveryRole() ? access::EveryRole() : caller.roles;
  actor.person = caller.Operator();
  return actor;
}

absl::StatusOr<CaseEvent> OfficeStep(const lifecycle::Lifecycle& lifecycle,
                                     const Actor& actor, const ActRequest& req,
                                     const lifecycle::Command& cmd,
                                     const RoutingCaseRecord& before,
                                     RoutingCaseRecord& after) {
  const access::Ruling ruling =
      access::Rule(actor.roles, cmd.action, before.view().state());
  if (ruling.verdict == access::Verdict::kRefused) {
    // Not legal in this state: the life cycle refuses, naming its rule.
    if (ruling.by_state) return lifecycle.Apply(cmd, after);
    return absl::PermissionDeniedError(ruling.reason);
  }
  if (ruling.verdict == access::Verdict::kAllowed) {
    absl::StatusOr<CaseEvent> event = lifecycle.Apply(cmd, after);
    if (event.ok()) LapseStaleProposal(after);
    return event;
  }
  if (before.view().has_pending()) {
    return absl::FailedPreconditionError(Pending(before.view().pending()));
  }
  // What the head would approve must apply now (fields, windows).
  RoutingCaseRecord trial = before;
  absl::StatusOr<CaseEvent> would = lifecycle.Apply(cmd, trial);
  if (!would.ok()) return would.status();

  CaseEvent e = Unchanged(before, caserelay::v1::CASE_ACTION_PROPOSE, actor);
  e.set_proposed_action(cmd.action);
  e.set_reason(cmd.reason);
  e.set_extension_days(would->extension_days());
  e.set_outcome(would->outcome());
  e.set_route(would->route());
  e.set_refusal_ground(would->refusal_ground());

  caserelay::v1::Proposal* p = after.mutable_view()->mutable_pending();
  p->set_action(cmd.action);
  *p->mutable_request() = req;
  p->mutable_request()->clear_case_id();
  p->mutable_request()->clear_expected_version();
  p->mutable_request()->clear_operator_();
  p->set_proposed_by(actor.person);
  *p->mutable_proposed_at() = time::ToProto(cmd.now);
  p->set_reason(cmd.reason);
  p->set_proposed_version(before.view().version() + 1);
  *after.mutable_view()->mutable_updated_at() = time::ToProto(cmd.now);
  return e;
}

absl::StatusOr<lifecycle::Command> ApprovalCommand(
    const Actor& actor, const RoutingCaseRecord& record, absl::Time now) {
  if (std::string why = access::MayAnswerProposal(actor.roles); !why.empty()) {
    return absl::PermissionDeniedError(why);
  }
  if (!record.view().has_pending()) {
    return absl::FailedPreconditionError("没有待审批的报批事项");
  }
  const caserelay::v1::Proposal& p = record.view().pending();
  return CommandOf(p.request(),
                   rpc::Principal::Office(actor.office, p.proposed_by()),
                   actor.office, now);
}

absl::StatusOr<CaseEvent> ApproveStep(const lifecycle::Lifecycle& lifecycle,
                                      const Actor& actor,
                                      const lifecycle::Command& cmd,
                                      RoutingCaseRecord& after) {
  absl::StatusOr<CaseEvent> event = lifecycle.Apply(cmd, after);
  if (!event.ok()) return event.status();
  event->set_approved_by(actor.person);
  after.mutable_view()->clear_pending();
  return event;
}

absl::StatusOr<CaseEvent> ReturnStep(const Actor& actor,
                                     const std::string& reason, absl::Time now,
                                     RoutingCaseRecord& after) {
  if (std::string why = access::MayAnswerProposal(actor.roles); !why.empty()) {
    return absl::PermissionDeniedError(why);
  }
  if (!after.view().has_pending()) {
    return absl::FailedPreconditionError("没有待审批的报批事项");
  }
  if (reason.empty()) {
    return absl::InvalidArgumentError("reason: 退回报批须说明理由");
  }
  CaseEvent e =
      Unchanged(after, caserelay::v1::CASE_ACTION_RETURN_PROPOSAL, actor);
  e.set_proposed_action(after.view().pending().action());
  e.set_reason(reason);
  after.mutable_view()->clear_pending();
  *after.mutable_view()->mutable_updated_at() = time::ToProto(now);
  return e;
}

void LapseStaleProposal(RoutingCaseRecord& after) {
  if (!after.view().has_pending()) return;
  if (lifecycle::FindTransition(after.view().state(),
                                after.view().pending().action()) == nullptr) {
    after.mutable_view()->clear_pending();
  }
}

std::vector<caserelay::v1::AllowedAction> AllowedActions(
    const Actor& actor, const RoutingCaseRecord& record,
    const std::function<bool(CaseAction)>& may_take) {
  std::vector<caserelay::v1::AllowedAction> out;
  const caserelay::v1::CaseView& view = record.view();
  std::set<CaseAction> seen;
  for (const lifecycle::Transition& row : lifecycle::Transitions()) {
    if (row.from != view.state() || !seen.insert(row.action).second) continue;
    const access::Ruling ruling =
        access::Rule(actor.roles, row.action, view.state());
    if (ruling.verdict == access::Verdict::kRefused) continue;
    const bool proposal = ruling.verdict == access::Verdict::kNeedsApproval;
    if (proposal && view.has_pending()) continue;  // one at a time
    if (!may_take(row.action)) continue;
    caserelay::v1::AllowedAction a;
    a.set_action(row.action);
    a.set_text(access::ActionText(row.action));
    a.set_needs_approval(proposal);
    for (std::string& f : FieldsOf(row.action)) a.add_fields(std::move(f));
    // 当场解决 (issue 18 item 1) is asked only of a case registered at a
    // leader's reception; the life cycle checks its day (kRuleOnTheSpot).
    if (row.action == caserelay::v1::CASE_ACTION_REPLY && view.has_reception()) {
      a.add_fields("reply.on_the_spot");
    }
    a.set_request(RequestField(row.action));
    out.push_back(std::move(a));
  }
  if (view.has_pending() && access::MayAnswerProposal(actor.roles).empty() &&
      may_take(view.pending().action())) {
    const std::string what = access::ActionText(view.pending().action());
    caserelay::v1::AllowedAction approve;
    approve.set_action(view.pending().action());
    approve.set_text(absl::StrCat("批准：", what));
    approve.set_request("approve");
    out.push_back(std::move(approve));
    caserelay::v1::AllowedAction give_back;
    give_back.set_action(caserelay::v1::CASE_ACTION_RETURN_PROPOSAL);
    give_back.set_text(absl::StrCat("退回：", what));
    give_back.add_fields("reason");
    give_back.set_request("return_proposal");
    out.push_back(std::move(give_back));
  }
  return out;
}

}  // namespace caserelay::routing
