#include "domain/lifecycle/lifecycle.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "domain/lifecycle/internal.h"

namespace caserelay::lifecycle {
namespace {

using internal::FormatChinaTime;
using internal::FromProto;
using internal::ToProto;

constexpr int kMaxPolicyDays = 3650;

// FAILED_PRECONDITION for an action with no row from `state`.
absl::Status NotLegal(v1::CaseState state, v1::CaseAction action) {
  std::string legal_from;
  for (const Transition& row : Transitions()) {
    if (row.action != action) continue;
    absl::StrAppend(&legal_from, legal_from.empty() ? "" : ", ",
                    StateName(row.from));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      RuleOf(action), ": ", ActionName(action), " is not legal in state ",
      StateName(state), " (legal in: ", legal_from, ")"));
}

// The bureaus of Role::kFollowUpBureau: the registering bureau, then the
// bureau that sent the case to its organ if another; empty ones left out.
std::vector<std::string> FollowUpBureaus(const v1::RoutingCaseRecord& record) {
  std::vector<std::string> bureaus;
  for (const std::string* code :
       {&record.view().decision().registering_office_code(),
        &record.view().sender_office_code()}) {
    if (!code->empty() &&
        std::find(bureaus.begin(), bureaus.end(), *code) == bureaus.end()) {
      bureaus.push_back(*code);
    }
  }
  return bureaus;
}

// The offices the row's role names for this case (for kSupervised, the
// office of the supervision `cmd` answers; for the review roles, every
// review organ, Arts. 35-36).
absl::StatusOr<std::vector<std::string>> RoleOffices(
    const Transition& row, const v1::RoutingCaseRecord& record,
    const OfficeResolver& offices, const Command& cmd) {
  switch (row.role) {
    case Role::kRouting:
      return std::vector<std::string>{kRoutingActor};
    case Role::kSupervisor: {
      // RECOMMEND: the issuers of the case's 督办 (SUPERVISE itself is
      // recorded through Supervise(); Apply refuses it before).
      std::vector<std::string> issuers;
      for (const v1::CaseSupervision& cs : record.view().supervisions()) {
        const std::string& code = cs.issued().issuer_office_code();
        if (std::find(issuers.begin(), issuers.end(), code) == issuers.end()) {
          issuers.push_back(code);
        }
      }
      if (issuers.empty()) {
        return absl::FailedPreconditionError(
            absl::StrCat(row.rule, ": no 督办 is recorded on this case"));
      }
      return issuers;
    }
    case Role::kSupervised: {
      const v1::RunningDeadline* open = internal::SupervisionReplyToAnswer(
          record.view(), cmd.supervision_id, cmd.actor_office_code);
      if (open != nullptr) return std::vector<std::string>{open->office_code()};
      if (!cmd.supervision_id.empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            row.rule, ": supervision '", cmd.supervision_id,
            "' awaits no reply on this case (answered, or never issued)"));
      }
      return absl::FailedPreconditionError(absl::StrCat(
          row.rule, ": no supervision (督办) on this case awaits a reply"));
    }
    case Role::kHolder:
      return std::vector<std::string>{record.view().office_code()};
    case Role::kHandler:
      return std::vector<std::string>{record.handler_office_code()};
    case Role::kGovernmentOver: {
      // Open-ended (the holder's government and every one above it): the
      // actor if it is one, else the rule's words for the refusal.
      const std::string& holder = record.view().office_code();
      if (offices.IsGovernment(cmd.actor_office_code) &&
          offices.Supervises(cmd.actor_office_code, holder)) {
        return std::vector<std::string>{cmd.actor_office_code};
      }
      return std::vector<std::string>{
          absl::StrCat("人民政府 over ", holder)};
    }
    case Role::kFollowUpBureau:
      return FollowUpBureaus(record);
    case Role::kSuperiorOrgan: {
      // Open-ended, as kGovernmentOver: the actor if it is one.
      const std::string& holder = record.view().office_code();
      if (offices.IsBureau(cmd.actor_office_code) ||
          offices.IsGovernment(cmd.actor_office_code)) {
        if (offices.SupervisesFromAbove(cmd.actor_office_code, holder)) {
          return std::vector<std::string>{cmd.actor_office_code};
        }
      }
      return std::vector<std::string>{
          absl::StrCat("信访部门/人民政府 above ", holder)};
    }
    case Role::kRegisteringBureau:
      return std::vector<std::string>{
          record.view().decision().registering_office_code()};
    case Role::kReviewOffice:
    case Role::kRereviewOffice: {
      const std::string& decided_by = row.role == Role::kReviewOffice
                                          ? record.handler_office_code()
                                          : record.reviewer_office_code();
      absl::StatusOr<std::vector<ReviewOrgan>> organs =
          offices.ReviewOrgansOf(decided_by);
      if (absl::IsNotFound(organs.status())) {
        return absl::FailedPreconditionError(
            absl::StrCat(row.rule, ": no office reviews decisions of '",
                         decided_by, "' (", organs.status().message(), ")"));
      }
      if (!organs.ok()) return organs.status();
      std::vector<std::string> codes;
      for (const ReviewOrgan& organ : *organs)
        codes.push_back(organ.office.code);
      return codes;
    }
  }
  return absl::InternalError("lifecycle: unknown role");
}

// Whether `office` is the office `role` names on this case, whatever its
// state (Lifecycle::MayTake). False for a role whose office is not known
// yet (no handler before REPLY, no reviewer before DECIDE_REVIEW) and for
// the role no office takes through Apply (routing). The supervisor is the
// issuer of a 督办 recorded on the case (RECOMMEND).
absl::StatusOr<bool> IsParty(Role role, std::string_view office,
                             const v1::RoutingCaseRecord& record,
                             const OfficeResolver& offices) {
  switch (role) {
    case Role::kRouting:
      return false;
    case Role::kSupervisor:
      for (const v1::CaseSupervision& cs : record.view().supervisions()) {
        if (cs.issued().issuer_office_code() == office) return true;
      }
      return false;
    case Role::kHolder:
      return record.view().office_code() == office;
    case Role::kHandler:
      return !record.handler_office_code().empty() &&
             record.handler_office_code() == office;
    case Role::kGovernmentOver:
      return offices.IsGovernment(office) &&
             offices.Supervises(office, record.view().office_code());
    case Role::kFollowUpBureau: {
      const std::vector<std::string> bureaus = FollowUpBureaus(record);
      return std::find(bureaus.begin(), bureaus.end(), office) !=
             bureaus.end();
    }
    case Role::kSuperiorOrgan:
      return (offices.IsBureau(office) || offices.IsGovernment(office)) &&
             offices.SupervisesFromAbove(office, record.view().office_code());
    case Role::kRegisteringBureau:
      return !office.empty() &&
             record.view().decision().registering_office_code() == office;
    case Role::kReviewOffice:
    case Role::kRereviewOffice: {
      const std::string& decided_by = role == Role::kReviewOffice
                                          ? record.handler_office_code()
                                          : record.reviewer_office_code();
      if (decided_by.empty()) return false;
      absl::StatusOr<std::vector<ReviewOrgan>> organs =
          offices.ReviewOrgansOf(decided_by);
      if (absl::IsNotFound(organs.status())) return false;
      if (!organs.ok()) return organs.status();
      for (const ReviewOrgan& organ : *organs) {
        if (organ.office.code == office) return true;
      }
      return false;
    }
    case Role::kSupervised:
      for (const v1::RunningDeadline& d : record.view().deadlines()) {
        if (d.kind() == v1::DEADLINE_KIND_SUPERVISION_REPLY &&
            d.office_code() == office) {
          return true;
        }
      }
      return false;
  }
  return absl::InternalError("lifecycle: unknown role");
}

void FillOutcome(const v1::RoutingCaseRecord& record, v1::CaseEvent& event) {
  event.set_to_state(record.view().state());
  event.set_holder_office_code(record.view().office_code());
  event.set_holder_office_name(record.view().office_name());
  *event.mutable_deadlines() = record.view().deadlines();
  if (record.view().has_window()) {
    *event.mutable_window() = record.view().window();
  }
}

// "督办函 (supervision letter): 沁源县人力资源和社会保障局 missed its
// HANDLING deadline due 2026-05-01".
std::string SupervisionReason(const v1::SupervisionIssued& s) {
  absl::string_view level = "督办 (supervision)";
  switch (s.level()) {
    case v1::SUPERVISION_LEVEL_LETTER:
      level = "督办函 (supervision letter)";
      break;
    case v1::SUPERVISION_LEVEL_LISTED:
      level = "挂牌督办 (listed supervision)";
      break;
    default:
      break;
  }
  const std::string& target = s.target_office_name().empty()
                                  ? s.target_office_code()
                                  : s.target_office_name();
  if (s.source() == v1::SUPERVISION_SOURCE_MANUAL) {
    // 手动督办 (issue 18 item 4): the bureau's ground and reason.
    std::string reason = absl::StrCat(level, ", 手动督办 (by hand): ", target,
                                      " — ", GroundWords(s.ground()));
    if (!s.reason().empty()) absl::StrAppend(&reason, ": ", s.reason());
    return reason;
  }
  std::string kind = v1::DeadlineKind_Name(s.missed_kind());
  if (absl::StartsWith(kind, "DEADLINE_KIND_")) {
    kind = kind.substr(sizeof("DEADLINE_KIND_") - 1);
  }
  std::string reason = absl::StrCat(level, ": ", target, " missed its ",
                                    kind.empty() ? "?" : kind, " deadline");
  if (s.has_missed_due_at()) {
    absl::StrAppend(
        &reason, " due ",
        absl::FormatCivilTime(time::LastDayOf(FromProto(s.missed_due_at()))));
  }
  return reason;
}

}  // namespace

absl::Status ValidatePolicy(const Policy& p) {
  const std::pair<const char*, int> fields[] = {
      {"transfer_days", p.transfer_days},
      {"acceptance_days", p.acceptance_days},
      {"objection_working_days", p.objection_working_days},
      {"handling_days", p.handling_days},
      {"max_extension_days", p.max_extension_days},
      {"simplified_working_days", p.simplified_working_days},
      {"review_request_days", p.review_request_days},
      {"review_days", p.review_days},
      {"rereview_request_days", p.rereview_request_days},
      {"rereview_days", p.rereview_days},
      {"result_report_days", p.result_report_days},
      {"supervision_reply_days", p.supervision_reply_days},
      {"service_days", p.service_days},
  };
  for (const auto& [name, value] : fields) {
    if (value < 1 || value > kMaxPolicyDays) {
      return absl::InvalidArgumentError(absl::StrCat(
          "policy.", name, ": must be 1..", kMaxPolicyDays, ", got ", value));
    }
  }
  return absl::OkStatus();
}

Lifecycle::Lifecycle(Policy policy, const time::Calendar* calendar,
                     const OfficeResolver* offices)
    : policy_(policy), calendar_(calendar), offices_(offices) {}

absl::StatusOr<v1::CaseEvent> Lifecycle::Register(
    const v1::PetitionReceived& petition, const v1::RouteDecision& decision,
    absl::Time now, v1::RoutingCaseRecord& record) const {
  const v1::CaseState from = record.view().state();
  if (from != v1::CASE_STATE_UNSPECIFIED && from != v1::CASE_STATE_RECEIVED) {
    return NotLegal(from, v1::CASE_ACTION_REGISTER);
  }
  if (petition.case_number().empty()) {
    return absl::InvalidArgumentError("petition.case_number: empty");
  }
  if (!petition.has_received_at()) {
    return absl::InvalidArgumentError("petition.received_at: unset");
  }
  const v1::CaseState to = internal::StateAfterDecision(decision.disposition());
  if (to == v1::CASE_STATE_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        absl::StrCat("decision.disposition: unspecified or unknown (",
                     decision.disposition(), ")"));
  }
  if (to == v1::CASE_STATE_LINKED && decision.linked_case_id().empty()) {
    return absl::InvalidArgumentError(
        "decision.linked_case_id: empty for LINKED_REPEAT");
  }
  if (decision.registering_office_code().empty()) {
    return absl::InvalidArgumentError(
        "decision.registering_office_code: empty");
  }
  absl::StatusOr<OfficeRef> bureau =
      offices_->Resolve(decision.registering_office_code());
  if (absl::IsNotFound(bureau.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat("decision.registering_office_code: unknown office '",
                     decision.registering_office_code(), "'"));
  }
  if (!bureau.ok()) return bureau.status();

  v1::RoutingCaseRecord next = record;
  v1::CaseView& view = *next.mutable_view();
  view.set_case_id(petition.case_number());
  view.set_state(to);
  view.set_office_code(bureau->code);
  view.set_office_name(bureau->name);
  *view.mutable_matter() = petition.matter();
  *view.mutable_rules() = decision.rules();
  *view.mutable_received_at() = petition.received_at();
  *view.mutable_decision() = decision;
  *view.mutable_updated_at() = ToProto(now);
  if (petition.has_reception()) *view.mutable_reception() = petition.reception();
  // 群体访 / 联名 (issue 18 item 3): as PetitionReceived says (0: one).
  view.set_head_count(petition.head_count());
  view.set_representatives(petition.representatives());
  view.clear_deadlines();
  if (to == v1::CASE_STATE_REGISTERED) {
    const absl::Time received = FromProto(petition.received_at());
    absl::StatusOr<absl::Time> due =
        internal::DueAfterDays(*calendar_, received, policy_.transfer_days);
    if (!due.ok()) return due.status();
    internal::StartDeadline(view, v1::DEADLINE_KIND_TRANSFER, bureau->code,
                            received, *due);
  }
  *next.mutable_petitioner() = petition.petitioner();
  next.set_identity_key(petition.identity_key());

  v1::CaseEvent event;
  event.set_action(v1::CASE_ACTION_REGISTER);
  event.set_actor_office_code(kRoutingActor);
  event.set_actor_office_name(kRoutingActor);
  event.set_reason(absl::StrJoin(decision.rules(), ", "));
  event.set_from_state(v1::CASE_STATE_RECEIVED);
  *event.mutable_decision() = decision;
  *event.mutable_petitioner() = petition.petitioner();
  event.set_channel(petition.matter().channel());
  *event.mutable_received_at() = petition.received_at();
  event.set_region_code(petition.matter().region_code());
  event.set_category(petition.matter().category());
  event.set_matter_class(petition.matter().matter_class());
  // Codes only, never names: supervision and notification keep the
  // accusation from the accused unit (Art. 30, domain/access).
  *event.mutable_accused_office_codes() = petition.matter().accused_offices();
  event.set_route(decision.route());
  event.set_linked_case_id(decision.linked_case_id());
  // 领导接访 (issue 18 item 1): the reception the visit was registered at.
  if (petition.has_reception()) {
    *event.mutable_reception() = petition.reception();
  }
  // 群体访 / 联名 (issue 18 item 3): for 人次 (statistics), the SMS to every
  // representative (notification) and the group alert (supervision).
  event.set_head_count(petition.head_count());
  event.set_representatives(petition.representatives());
  FillOutcome(next, event);
  record = std::move(next);
  return event;
}

absl::StatusOr<v1::CaseEvent> Lifecycle::Apply(
    const Command& given, v1::RoutingCaseRecord& record) const {
  // The petitioner's action: its actor is the life cycle's, not a caller's.
  Command petitioner;
  if (given.by_petitioner) {
    absl::StatusOr<Command> resolved = PetitionerCommand(given, record);
    if (!resolved.ok()) return resolved.status();
    petitioner = *std::move(resolved);
  }
  const Command& cmd = given.by_petitioner ? petitioner : given;
  switch (cmd.action) {
    case v1::CASE_ACTION_UNSPECIFIED:
      return absl::InvalidArgumentError("action: unspecified");
    case v1::CASE_ACTION_REGISTER:
      return absl::InvalidArgumentError(
          "action: REGISTER is taken through Lifecycle::Register()");
    case v1::CASE_ACTION_LINK_REPEAT:
      return absl::InvalidArgumentError(
          "action: LINK_REPEAT is taken through Lifecycle::LinkRepeat()");
    case v1::CASE_ACTION_SUPERVISE:
      return absl::InvalidArgumentError(
          "action: SUPERVISE is recorded through Lifecycle::Supervise()");
    default:
      break;
  }
  const v1::CaseState from = record.view().state();
  const Transition* row = FindTransition(from, cmd.action);
  if (row == nullptr) return NotLegal(from, cmd.action);

  if (cmd.actor_office_code.empty()) {
    return absl::InvalidArgumentError("actor_office_code: empty");
  }
  absl::StatusOr<OfficeRef> actor = offices_->Resolve(cmd.actor_office_code);
  if (absl::IsNotFound(actor.status())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "actor_office_code: unknown office '", cmd.actor_office_code, "'"));
  }
  if (!actor.ok()) return actor.status();
  absl::StatusOr<std::vector<std::string>> allowed =
      RoleOffices(*row, record, *offices_, cmd);
  if (!allowed.ok()) return allowed.status();
  if (std::find(allowed->begin(), allowed->end(), actor->code) ==
      allowed->end()) {
    return absl::PermissionDeniedError(absl::StrCat(
        ActionName(cmd.action), " in state ", StateName(from), " is for the ",
        RoleName(row->role), " '", absl::StrJoin(*allowed, "' or '"),
        "'; office '", actor->code, "' may not take it"));
  }

  if (cmd.now == absl::InfinitePast() || cmd.now == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("now: not a finite time");
  }
  if (record.view().has_updated_at() &&
      cmd.now < FromProto(record.view().updated_at())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "now: ", FormatChinaTime(cmd.now), " is before the case's last update ",
        FormatChinaTime(FromProto(record.view().updated_at()))));
  }

  v1::RoutingCaseRecord next = record;
  v1::CaseEvent event;
  event.set_action(cmd.action);
  event.set_actor_office_code(actor->code);
  event.set_actor_office_name(actor->name);
  event.set_operator_(cmd.operator_name);
  event.set_reason(cmd.reason);
  event.set_from_state(from);
  event.set_by_petitioner(cmd.by_petitioner);
  internal::Step step{policy_, *calendar_, *offices_, cmd,
                      *row,    *actor,     next,      event};
  if (absl::Status status = internal::ApplyAction(step); !status.ok()) {
    return status;
  }
  // The row's state, or the one the action's decision picked (CORRECT).
  next.mutable_view()->set_state(step.to != v1::CASE_STATE_UNSPECIFIED
                                     ? step.to
                                     : row->to);
  *next.mutable_view()->mutable_updated_at() = ToProto(cmd.now);
  FillOutcome(next, event);
  record = std::move(next);
  return event;
}

absl::Status Lifecycle::IsPartyOf(const std::string& office,
                                  const v1::RoutingCaseRecord& record) const {
  for (Role role : {Role::kHolder, Role::kHandler, Role::kReviewOffice,
                    Role::kRereviewOffice, Role::kSupervised}) {
    absl::StatusOr<bool> party = IsParty(role, office, record, *offices_);
    if (!party.ok()) return party.status();
    if (*party) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat(office, " takes no part in case ", record.view().case_id()));
}

absl::Status Lifecycle::MayTake(const std::string& office,
                                v1::CaseAction action,
                                const v1::RoutingCaseRecord& record) const {
  switch (action) {
    case v1::CASE_ACTION_UNSPECIFIED:
    case v1::CASE_ACTION_REGISTER:
    case v1::CASE_ACTION_LINK_REPEAT:
    case v1::CASE_ACTION_SUPERVISE:
      return absl::InvalidArgumentError(absl::StrCat(
          "action: ", ActionName(action), " is taken by no office"));
    default:
      break;
  }
  // The holder sees the case's state anyway: it may try any action, and
  // Apply() answers with the rule (e.g. nothing to REPLY_SUPERVISION).
  if (!office.empty() && record.view().office_code() == office) {
    return absl::OkStatus();
  }
  std::vector<Role> roles;  // the action's roles, in the table's order
  for (const Transition& row : Transitions()) {
    if (row.action != action ||
        std::find(roles.begin(), roles.end(), row.role) != roles.end()) {
      continue;
    }
    roles.push_back(row.role);
    absl::StatusOr<bool> party = IsParty(row.role, office, record, *offices_);
    if (!party.ok()) return party.status();
    if (*party) return absl::OkStatus();
  }
  std::vector<absl::string_view> names;
  for (Role role : roles) names.push_back(RoleName(role));
  return absl::PermissionDeniedError(
      absl::StrCat(office, " takes no part in case ", record.view().case_id(),
                   " that may ", ActionName(action), " (", ActionName(action),
                   " is for the ", absl::StrJoin(names, " or the "), ")"));
}

absl::Status Lifecycle::MayOffer(const std::string& office,
                                 v1::CaseAction action,
                                 const v1::RoutingCaseRecord& record,
                                 absl::Time now) const {
  if (absl::Status s = MayTake(office, action, record); !s.ok()) return s;
  if (action == v1::CASE_ACTION_RECOMMEND) {
    // Restored by R after the 09:55 truncation, from the header's contract:
    // a 督办 the office issued is open to a recommendation at `now`.
    auto open = internal::RecommendableSupervision(
        record.view(), "", office, v1::RECOMMENDATION_KIND_UNSPECIFIED, now);
    return open.ok() ? absl::OkStatus() : open.status();
  }
  if (action == v1::CASE_ACTION_TAKE_CHARGE ||
      action == v1::CASE_ACTION_FOLLOW_UP) {
    // Offered only to the party the rows name (MayTake lets the holder try
    // any action and hear the rule), and 包案 only while no leader is in
    // charge.
    const bool take = action == v1::CASE_ACTION_TAKE_CHARGE;
    absl::StatusOr<bool> party =
        IsParty(take ? Role::kGovernmentOver : Role::kFollowUpBureau, office,
                record, *offices_);
    if (!party.ok()) return party.status();
    if (!*party) {
      return absl::PermissionDeniedError(absl::StrCat(
          ActionName(action), " is for the ",
          RoleName(take ? Role::kGovernmentOver : Role::kFollowUpBureau),
          ", not ", office));
    }
    if (take && record.view().has_leader_in_charge()) {
      return absl::FailedPreconditionError(
          absl::StrCat(kRuleTakeCharge, ": a leader is in charge already"));
    }
    return absl::OkStatus();
  }
  if (action != v1::CASE_ACTION_REPLY_SUPERVISION) return absl::OkStatus();
  absl::StatusOr<bool> awaited =
      IsParty(Role::kSupervised, office, record, *offices_);
  if (!awaited.ok()) return awaited.status();
  if (*awaited) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(kRuleReplySupervision, ": no supervision (督办) on case ",
                   record.view().case_id(), " awaits a reply from ", office));
}

absl::StatusOr<v1::CaseEvent> Lifecycle::LinkRepeat(
    const std::string& repeat_case_id, absl::Time now,
    v1::RoutingCaseRecord& record) const {
  const v1::CaseState state = record.view().state();
  if (FindTransition(state, v1::CASE_ACTION_LINK_REPEAT) == nullptr) {
    return NotLegal(state, v1::CASE_ACTION_LINK_REPEAT);
  }
  if (repeat_case_id.empty()) {
    return absl::InvalidArgumentError("repeat_case_id: empty");
  }
  const auto& linked = record.view().linked_cases();
  if (std::find(linked.begin(), linked.end(), repeat_case_id) != linked.end()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "repeat_case_id: ", repeat_case_id, " is linked to the case already"));
  }
  v1::RoutingCaseRecord next = record;
  next.mutable_view()->add_linked_cases(repeat_case_id);
  *next.mutable_view()->mutable_updated_at() = ToProto(now);

  v1::CaseEvent event;
  event.set_action(v1::CASE_ACTION_LINK_REPEAT);
  event.set_actor_office_code(kRoutingActor);
  event.set_actor_office_name(kRoutingActor);
  event.set_reason(std::string(RuleOf(v1::CASE_ACTION_LINK_REPEAT)));
  event.set_from_state(state);
  event.set_linked_case_id(repeat_case_id);
  FillOutcome(next, event);
  record = std::move(next);
  return event;
}

absl::StatusOr<v1::CaseEvent> Lifecycle::Supervise(
    const v1::SupervisionIssued& supervision, absl::Time issued_at,
    absl::Time now, v1::RoutingCaseRecord& record) const {
  const v1::CaseState state = record.view().state();
  if (FindTransition(state, v1::CASE_ACTION_SUPERVISE) == nullptr) {
    return NotLegal(state, v1::CASE_ACTION_SUPERVISE);
  }
  const std::pair<const char*, const std::string*> required[] = {
      {"supervision_id", &supervision.supervision_id()},
      {"issuer_office_code", &supervision.issuer_office_code()},
      {"target_office_code", &supervision.target_office_code()},
  };
  for (const auto& [field, value] : required) {
    if (value->empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("supervision.", field, ": empty"));
    }
  }
  if (issued_at == absl::InfinitePast() ||
      issued_at == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("issued_at: not a finite time");
  }
  if (internal::FindSupervisionReply(record.view(),
                                     supervision.supervision_id()) != nullptr) {
    return absl::AlreadyExistsError(absl::StrCat(
        "supervision.supervision_id: ", supervision.supervision_id(),
        " is on the case already"));
  }
  v1::RoutingCaseRecord next = record;
  v1::CaseView& view = *next.mutable_view();
  std::string reply_due;
  if (!IsFinal(state)) {
    absl::StatusOr<absl::Time> due = internal::DueAfterDays(
        *calendar_, issued_at, policy_.supervision_reply_days);
    if (!due.ok()) return due.status();
    v1::RunningDeadline* d = view.add_deadlines();
    d->set_kind(v1::DEADLINE_KIND_SUPERVISION_REPLY);
    d->set_office_code(supervision.target_office_code());
    *d->mutable_started_at() = ToProto(issued_at);
    *d->mutable_due_at() = ToProto(*due);
    d->set_supervision_id(supervision.supervision_id());
    reply_due = absl::StrCat("; reply due ",
                             absl::FormatCivilTime(time::LastDayOf(*due)));
  }
  // The case's own list of its 督办 (issue 18 item 4): RECOMMEND's
  // precondition and the case page.
  v1::CaseSupervision* recorded = view.add_supervisions();
  *recorded->mutable_issued() = supervision;
  *recorded->mutable_issued_at() = ToProto(issued_at);
  if (!view.deadlines().empty() &&
      view.deadlines(view.deadlines_size() - 1).supervision_id() ==
          supervision.supervision_id()) {
    *recorded->mutable_reply_due_at() =
        view.deadlines(view.deadlines_size() - 1).due_at();
  }
  *view.mutable_updated_at() = ToProto(now);

  v1::CaseEvent event;
  event.set_action(v1::CASE_ACTION_SUPERVISE);
  event.set_actor_office_code(supervision.issuer_office_code());
  event.set_actor_office_name(supervision.issuer_office_name().empty()
                                  ? supervision.issuer_office_code()
                                  : supervision.issuer_office_name());
  event.set_operator_(kSupervisionOperator);
  event.set_reason(absl::StrCat(SupervisionReason(supervision), reply_due));
  event.set_from_state(state);
  *event.mutable_supervision() = supervision;
  FillOutcome(next, event);
  record = std::move(next);
  return event;
}

namespace internal {

v1::CaseState StateAfterDecision(v1::Disposition disposition) {
  switch (disposition) {
    case v1::DISPOSITION_TRANSFER:
    case v1::DISPOSITION_ASSIGN:
    case v1::DISPOSITION_TRIAGE:
      return v1::CASE_STATE_REGISTERED;
    case v1::DISPOSITION_NOT_ACCEPTED:
    case v1::DISPOSITION_REDIRECT:
    case v1::DISPOSITION_REFUSED_TERMINATED:
      return v1::CASE_STATE_NOT_ACCEPTED;
    case v1::DISPOSITION_LINKED_REPEAT:
      return v1::CASE_STATE_LINKED;
    default:
      return v1::CASE_STATE_UNSPECIFIED;
  }
}

}  // namespace internal
}  // namespace caserelay::lifecycle
