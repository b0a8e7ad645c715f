// 提级办理 (ESCALATE) and 更正登记 (CORRECT), issue 18 items 5 and 6: the
// two office actions that move a case to another office without the
// life cycle's own hand-over (转送/交办, 异议). Role and table row are
// checked by Lifecycle::Apply before (internal.h).
//
// ESCALATE: a superior organ (Role::kSuperiorOrgan) takes the case; every
// running deadline of the old holder keeps its start and due date and is
// now the new holder's, so supervision's timers (keyed by case, kind and
// start) run on and fire at the new office; a proposal pending at the old
// holder lapses. No state change.
//
// CORRECT: the registering bureau corrects the matter before acceptance;
// routing decided the corrected matter by the same rules as a new petition
// (Command::correction). The case is registered anew as Register() does
// it: holder the decision's registering bureau; REGISTERED with the
// TRANSFER deadline counted from the original receipt (Art. 22: 15 days
// from receipt, so a correction gains no time), or NOT_ACCEPTED. A reply
// owed to a 督办 runs on.

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "domain/lifecycle/internal.h"

namespace caserelay::lifecycle::internal {
namespace {

absl::Status ReasonRequired(const Step& s, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      "reason: required for ", ActionName(s.cmd.action), " (", what, ")"));
}

v1::MatterCorrection CorrectionOf(const v1::Matter& before,
                                  const v1::Matter& after) {
  v1::MatterCorrection c;
  c.set_old_region_code(before.region_code());
  c.set_new_region_code(after.region_code());
  c.set_old_category(before.category());
  c.set_new_category(after.category());
  c.set_old_matter_class(before.matter_class());
  c.set_new_matter_class(after.matter_class());
  c.set_old_statutory_route(before.statutory_route());
  c.set_new_statutory_route(after.statutory_route());
  return c;
}

bool ChangesNothing(const v1::MatterCorrection& c) {
  return c.old_region_code() == c.new_region_code() &&
         c.old_category() == c.new_category() &&
         c.old_matter_class() == c.new_matter_class() &&
         c.old_statutory_route() == c.new_statutory_route();
}

}  // namespace

absl::Status Escalate(Step& s) {
  if (s.cmd.reason.empty()) {
    return ReasonRequired(s, "why the superior organ takes the case up");
  }
  v1::CaseView& view = *s.record.mutable_view();
  const auto& accused = view.matter().accused_offices();
  if (std::find(accused.begin(), accused.end(), s.actor.code) !=
      accused.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat(kRuleAccusation, ": ", s.actor.code, " is accused"));
  }
  const std::string from_code = view.office_code();
  const std::string from_name = view.office_name();
  for (v1::RunningDeadline& d : *view.mutable_deadlines()) {
    // The holder's time limits pass on unchanged; a reply owed to a 督办
    // stays the supervised office's.
    if (d.kind() != v1::DEADLINE_KIND_SUPERVISION_REPLY &&
        d.office_code() == from_code) {
      d.set_office_code(s.actor.code);
    }
  }
  HandOver(s, s.actor);
  // A proposal waiting for the old holder's head (报批, issue 16) was that
  // office's own: it lapses (its PROPOSE stays in the history).
  view.clear_pending();
  view.set_escalated_from_office_code(from_code);
  s.event.set_escalated_from_office_code(from_code);
  s.event.set_escalated_from_office_name(from_name);
  return absl::OkStatus();
}

absl::Status Correct(Step& s) {
  if (s.cmd.reason.empty()) {
    return ReasonRequired(s, "what was registered wrongly");
  }
  if (!s.cmd.correction.has_value()) {
    return absl::InvalidArgumentError(
        "correction: required for CORRECT (the corrected matter and the "
        "routing decision on it)");
  }
  const v1::Matter& matter = s.cmd.correction->matter;
  const v1::RouteDecision& decision = s.cmd.correction->decision;
  v1::MatterCorrection correction =
      CorrectionOf(s.record.view().matter(), matter);
  if (ChangesNothing(correction)) {
    return absl::InvalidArgumentError(
        "correct: the corrected category, class, region and statutory route "
        "are those registered; nothing to correct");
  }
  const v1::CaseState to = StateAfterDecision(decision.disposition());
  if (to == v1::CASE_STATE_LINKED) {
    // A repeat is linked when it is registered (LinkRepeat on the open
    // case); this case has its own history, so it is not turned into one.
    return absl::FailedPreconditionError(absl::StrCat(
        kRuleCorrect, ": the corrected matter is that of the open case ",
        decision.linked_case_id(),
        " (重复信访); a case registered on its own is not linked afterwards"));
  }
  if (to == v1::CASE_STATE_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        absl::StrCat("correction.decision.disposition: unspecified or "
                     "unknown (",
                     decision.disposition(), ")"));
  }
  bool legal = false;
  for (const Transition& row : Transitions()) {
    legal |= row.from == s.row.from && row.action == s.cmd.action &&
             row.to == to;
  }
  if (!legal) {
    return absl::InternalError(absl::StrCat("lifecycle: no CORRECT row from ",
                                            StateName(s.row.from), " to ",
                                            StateName(to)));
  }
  absl::StatusOr<OfficeRef> bureau =
      s.offices.Resolve(decision.registering_office_code());
  if (absl::IsNotFound(bureau.status())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "correction.decision.registering_office_code: unknown office '",
        decision.registering_office_code(), "'"));
  }
  if (!bureau.ok()) return bureau.status();

  v1::CaseView& view = *s.record.mutable_view();
  EndLifecycleDeadlines(view);
  if (to == v1::CASE_STATE_REGISTERED) {
    const absl::Time received = FromProto(view.received_at());
    absl::StatusOr<absl::Time> due =
        DueAfterDays(s.calendar, received, s.policy.transfer_days);
    if (!due.ok()) return due.status();
    StartDeadline(view, v1::DEADLINE_KIND_TRANSFER, bureau->code, received,
                  *due);
  }
  *view.mutable_matter() = matter;
  *view.mutable_decision() = decision;
  *view.mutable_rules() = decision.rules();
  view.clear_sender_office_code();
  HandOver(s, *bureau);
  s.to = to;

  *s.event.mutable_correction() = std::move(correction);
  *s.event.mutable_decision() = decision;
  s.event.set_region_code(matter.region_code());
  s.event.set_category(matter.category());
  s.event.set_matter_class(matter.matter_class());
  *s.event.mutable_accused_office_codes() = matter.accused_offices();
  s.event.set_route(decision.route());
  s.event.set_linked_case_id(decision.linked_case_id());
  return absl::OkStatus();
}

}  // namespace caserelay::lifecycle::internal
