// The effects of each office action (ApplyAction of internal.h): input
// checks, window and once-only rules, deadlines. Role and table are
// checked by Lifecycle::Apply before.

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "domain/lifecycle/internal.h"

namespace caserelay::lifecycle::internal {

absl::Status Broken(const Step& s, absl::string_view detail) {
  return absl::FailedPreconditionError(absl::StrCat(s.row.rule, ": ", detail));
}

absl::Status Missing(const Step& s, absl::string_view field,
                     absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": required for ", ActionName(s.cmd.action), " (", what, ")"));
}

namespace {

std::string FormatDay(absl::CivilDay day) { return absl::FormatCivilTime(day); }

}  // namespace

void HandOver(Step& s, const OfficeRef& to) {
  v1::CaseView& view = *s.record.mutable_view();
  const std::string& from = view.office_code();
  const auto& past = s.record.past_holders();
  if (!from.empty() && from != to.code &&
      std::find(past.begin(), past.end(), from) == past.end()) {
    s.record.add_past_holders(from);
  }
  view.set_office_code(to.code);
  view.set_office_name(to.name);
}

namespace {

// Resolves an office named by the command; NOT_FOUND becomes
// INVALID_ARGUMENT naming `field`.
absl::StatusOr<OfficeRef> ResolveInput(const Step& s, const std::string& code,
                                       absl::string_view field) {
  absl::StatusOr<OfficeRef> office = s.offices.Resolve(code);
  if (absl::IsNotFound(office.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": unknown office '", code, "'"));
  }
  return office;
}

absl::Status CheckOutcome(const Step& s) {
  if (s.cmd.outcome == v1::OUTCOME_UNSPECIFIED ||
      !v1::Outcome_IsValid(s.cmd.outcome)) {
    return Missing(s, "outcome", "支持/解释说明/不予支持");
  }
  return absl::OkStatus();
}

// After a written decision (REPLY, DECIDE_REVIEW): the SERVICE deadline of
// the actor starts, and the petitioner's window for `request` opens with
// its receipt not yet recorded (Arts. 35-36 count from receipt).
absl::Status AwaitService(Step& s, v1::CaseAction request) {
  absl::StatusOr<absl::Time> due =
      DueAfterDays(s.calendar, s.cmd.now, s.policy.service_days);
  if (!due.ok()) return due.status();
  v1::CaseView& view = *s.record.mutable_view();
  StartDeadline(view, v1::DEADLINE_KIND_SERVICE, s.actor.code, s.cmd.now, *due);
  view.clear_window();
  view.mutable_window()->set_request(request);
  return absl::OkStatus();
}

// TRANSFER (转送) and ASSIGN (交办).
absl::Status Send(Step& s) {
  v1::CaseView& view = *s.record.mutable_view();
  const bool assign = s.cmd.action == v1::CASE_ACTION_ASSIGN;
  const std::string& target = s.cmd.target_office_code.empty()
                                  ? view.decision().target_office_code()
                                  : s.cmd.target_office_code;
  if (target.empty()) {
    return absl::InvalidArgumentError(
        "target_office_code: empty, and the case's decision names no target "
        "office");
  }
  absl::StatusOr<OfficeRef> to = ResolveInput(s, target, "target_office_code");
  if (!to.ok()) return to.status();
  if (!s.offices.IsBureau(s.actor.code)) {
    return absl::FailedPreconditionError(absl::StrCat(
        kRuleBureauSends, ": ", s.actor.code, " is not a petition bureau"));
  }
  const auto& accused = view.matter().accused_offices();
  if (std::find(accused.begin(), accused.end(), to->code) != accused.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat(kRuleAccusation, ": ", to->code, " is accused"));
  }
  absl::StatusOr<absl::Time> acceptance_due =
      DueAfterDays(s.calendar, s.cmd.now, s.policy.acceptance_days);
  if (!acceptance_due.ok()) return acceptance_due.status();
  absl::StatusOr<absl::Time> report_due =
      DueAfterDays(s.calendar, s.cmd.now, s.policy.result_report_days);
  if (assign && !report_due.ok()) return report_due.status();

  EndDeadline(view, v1::DEADLINE_KIND_TRANSFER);
  StartDeadline(view, v1::DEADLINE_KIND_ACCEPTANCE, to->code, s.cmd.now,
                *acceptance_due);
  if (assign) {
    StartDeadline(view, v1::DEADLINE_KIND_RESULT_REPORT, to->code, s.cmd.now,
                  *report_due);
    view.set_result_reported(false);
  }
  view.set_sender_office_code(s.actor.code);
  *s.record.mutable_transferred_at() = ToProto(s.cmd.now);
  HandOver(s, *to);
  return absl::OkStatus();
}

// OBJECT (异议): back to the sending bureau within the working-day window.
absl::Status Object(Step& s) {
  v1::CaseView& view = *s.record.mutable_view();
  if (s.cmd.reason.empty()) return Missing(s, "reason", "Art. 23");
  const absl::CivilDay sent =
      time::ChinaDay(FromProto(s.record.transferred_at()));
  absl::StatusOr<absl::CivilDay> last =
      s.calendar.AddWorkingDays(sent, s.policy.objection_working_days);
  if (!last.ok()) return last.status();
  if (s.cmd.now >= time::EndOf(*last)) {
    return Broken(
        s, absl::StrCat("the window of ", s.policy.objection_working_days,
                        " working days after the transfer on ", FormatDay(sent),
                        " ended with ", FormatDay(*last)));
  }
  if (view.sender_office_code().empty()) {
    return Broken(s, "the case has no sending bureau to return to");
  }
  absl::StatusOr<OfficeRef> sender =
      s.offices.Resolve(view.sender_office_code());
  if (!sender.ok()) return sender.status();
  absl::StatusOr<absl::Time> transfer_due =
      DueAfterDays(s.calendar, s.cmd.now, s.policy.transfer_days);
  if (!transfer_due.ok()) return transfer_due.status();

  EndLifecycleDeadlines(view);  // ACCEPTANCE and RESULT_REPORT end
  StartDeadline(view, v1::DEADLINE_KIND_TRANSFER, sender->code, s.cmd.now,
                *transfer_due);
  view.clear_sender_office_code();
  HandOver(s, *sender);
  return absl::OkStatus();
}

// ACCEPT (受理), or 简易办理 when simplified.
absl::Status Accept(Step& s) {
  v1::CaseView& view = *s.record.mutable_view();
  if (s.cmd.simplified && !s.record.first_time()) {
    return absl::FailedPreconditionError(
        absl::StrCat(kRuleSimplified,
                     ": the petitioner has petitioned on this matter "
                     "before (record.first_time is false)"));
  }
  absl::StatusOr<absl::Time> due =
      s.cmd.simplified
          ? DueAfterWorkingDays(s.calendar, s.cmd.now,
                                s.policy.simplified_working_days)
          : DueAfterDays(s.calendar, s.cmd.now, s.policy.handling_days);
  if (!due.ok()) return due.status();

  EndDeadline(view, v1::DEADLINE_KIND_ACCEPTANCE);
  StartDeadline(view,
                s.cmd.simplified ? v1::DEADLINE_KIND_SIMPLIFIED
                                 : v1::DEADLINE_KIND_HANDLING,
                view.office_code(), s.cmd.now, *due);
  view.set_simplified(s.cmd.simplified);
  s.event.set_simplified(s.cmd.simplified);
  return absl::OkStatus();
}

// DECLINE (不予受理): every deadline of the life cycle ends (a reply to a
// supervision still runs). The event names the ground: the office's, or
// OUT_OF_SCOPE (Art. 23) when it gave none.
absl::Status Decline(Step& s) {
  if (s.cmd.reason.empty()) return Missing(s, "reason", "Art. 23");
  if (s.cmd.route.empty()) {
    return Missing(s, "route", "the route the petitioner is told, Art. 23");
  }
  if (!v1::RefusalGround_IsValid(s.cmd.refusal_ground)) {
    return absl::InvalidArgumentError(
        absl::StrCat("refusal_ground: unknown ground ", s.cmd.refusal_ground));
  }
  EndLifecycleDeadlines(*s.record.mutable_view());
  s.event.set_route(s.cmd.route);
  s.event.set_refusal_ground(s.cmd.refusal_ground ==
                                     v1::REFUSAL_GROUND_UNSPECIFIED
                                 ? v1::REFUSAL_GROUND_OUT_OF_SCOPE
                                 : s.cmd.refusal_ground);
  return absl::OkStatus();
}

// EXTEND (延期): the handling deadline's last day moves by cmd.days
// calendar days (and on to a working day).
absl::Status Extend(Step& s) {
  v1::CaseView& view = *s.record.mutable_view();
  if (s.cmd.reason.empty()) return Missing(s, "reason", "Art. 34");
  if (s.cmd.days < 1 || s.cmd.days > s.policy.max_extension_days) {
    return absl::InvalidArgumentError(
        absl::StrCat("days: must be 1..", s.policy.max_extension_days,
                     " for EXTEND (Art. 34), got ", s.cmd.days));
  }
  if (view.simplified()) {
    return Broken(s, "a simplified case (简易办理) is not extended");
  }
  if (view.extended()) return Broken(s, "the case was extended already");
  v1::RunningDeadline* handling =
      FindDeadline(view, v1::DEADLINE_KIND_HANDLING);
  if (handling == nullptr) {
    return Broken(s, "no handling deadline is running");
  }
  const absl::Time due = FromProto(handling->due_at());
  if (s.cmd.now >= due) {
    return Broken(s, absl::StrCat("the handling deadline passed at ",
                                  FormatChinaTime(due)));
  }
  const absl::CivilDay last = time::LastDayOf(due);
  absl::StatusOr<absl::CivilDay> new_last =
      s.calendar.AddCalendarDays(last, s.cmd.days);
  if (!new_last.ok()) return new_last.status();

  *handling->mutable_due_at() = ToProto(time::EndOf(*new_last));
  view.set_extended(true);
  s.event.set_extension_days(s.cmd.days);
  return absl::OkStatus();
}

// 当场解决 (issue 18 item 1): only a case registered at a leader's
// reception, and only on the reception's day.
absl::Status CheckOnTheSpot(const Step& s) {
  const v1::CaseView& view = s.record.view();
  if (!view.has_reception()) {
    return absl::FailedPreconditionError(absl::StrCat(
        kRuleOnTheSpot,
        ": 该事项不是在领导接访中登记的，不能记为当场解决 (the case was not "
        "registered at a leader's reception)"));
  }
  const absl::CivilDay day =
      time::ChinaDay(FromProto(view.reception().day()));
  if (time::ChinaDay(s.cmd.now) != day) {
    return absl::FailedPreconditionError(absl::StrCat(
        kRuleOnTheSpot, ": 只能在接访当天（", FormatDay(day),
        "）记为当场解决 (not the reception's day)"));
  }
  return absl::OkStatus();
}

// REPLY (出具处理意见).
absl::Status Reply(Step& s) {
  if (absl::Status st = CheckOutcome(s); !st.ok()) return st;
  if (s.cmd.on_the_spot) {
    if (absl::Status st = CheckOnTheSpot(s); !st.ok()) return st;
  }
  v1::CaseView& view = *s.record.mutable_view();
  EndDeadline(view, v1::DEADLINE_KIND_HANDLING);
  EndDeadline(view, v1::DEADLINE_KIND_SIMPLIFIED);
  if (absl::Status st = AwaitService(s, v1::CASE_ACTION_REQUEST_REVIEW);
      !st.ok()) {
    return st;
  }
  view.set_outcome(s.cmd.outcome);
  s.record.set_handler_office_code(view.office_code());
  *s.record.mutable_replied_at() = ToProto(s.cmd.now);
  s.event.set_outcome(s.cmd.outcome);
  view.set_on_the_spot(s.cmd.on_the_spot);
  s.event.set_on_the_spot(s.cmd.on_the_spot);
  return absl::OkStatus();
}

// REPORT_RESULT (办结报告): owed iff a RESULT_REPORT deadline runs.
absl::Status ReportResult(Step& s) {
  v1::CaseView& view = *s.record.mutable_view();
  if (view.result_reported())
    return Broken(s, "the result was reported already");
  if (FindDeadline(view, v1::DEADLINE_KIND_RESULT_REPORT) == nullptr) {
    return Broken(s, "the case was not assigned (交办): no report is owed");
  }
  EndDeadline(view, v1::DEADLINE_KIND_RESULT_REPORT);
  view.set_result_reported(true);
  return absl::OkStatus();
}

// EVALUATE (满意度评价).
absl::Status Evaluate(Step& s) {
  if (s.cmd.satisfaction == v1::SATISFACTION_UNSPECIFIED ||
      !v1::Satisfaction_IsValid(s.cmd.satisfaction)) {
    return Missing(s, "satisfaction", "满意/基本满意/不满意");
  }
  // From EVALUATED only the petitioner's own rating over an office-entered
  // one (issue 15 item 2): a petitioner rates once, an office never twice.
  if (s.row.from == v1::CASE_STATE_EVALUATED &&
      (!s.cmd.by_petitioner || s.record.view().rated_by_petitioner())) {
    return Broken(s, s.record.view().rated_by_petitioner()
                         ? "the petitioner rated the opinion already"
                         : "a rating is recorded already; only the "
                           "petitioner's own may replace it");
  }
  s.record.mutable_view()->set_satisfaction(s.cmd.satisfaction);
  // Whose rating it is: the petitioner's own is what 参评率/满意率 count
  // (issue 15).
  s.record.mutable_view()->set_rated_by_petitioner(s.cmd.by_petitioner);
  s.event.set_satisfaction(s.cmd.satisfaction);
  return absl::OkStatus();
}

// REQUEST_REVIEW (复查) and REQUEST_REREVIEW (复核): within the window after
// the decision; the case goes to the actor (the review organ the
// petitioner applied to, checked by the role) with a decision deadline.
absl::Status RequestReview(Step& s) {
  const bool rereview = s.cmd.action == v1::CASE_ACTION_REQUEST_REREVIEW;
  const int window_days =
      rereview ? s.policy.rereview_request_days : s.policy.review_request_days;
  // Counted from the petitioner's receipt (送达). While receipt is not
  // recorded the window cannot have ended: the request is in time (and
  // shows the decision reached the petitioner).
  const v1::PetitionerWindow& window = s.record.view().window();
  if (window.has_ends_at() && s.cmd.now >= FromProto(window.ends_at())) {
    return Broken(
        s, absl::StrCat(
               "the window of ", window_days, " days after the ",
               rereview ? "review" : "opinion", " was received on ",
               FormatDay(
                   time::ChinaDay(FromProto(window.service().received_on()))),
               " ended at ", FormatChinaTime(FromProto(window.ends_at()))));
  }
  absl::StatusOr<absl::Time> due =
      DueAfterDays(s.calendar, s.cmd.now,
                   rereview ? s.policy.rereview_days : s.policy.review_days);
  if (!due.ok()) return due.status();

  // The organ the petitioner applied to (the actor, one of the organs the
  // role admits): the event names the rule that makes it one (Arts. 35-36).
  absl::StatusOr<std::vector<ReviewOrgan>> organs =
      s.offices.ReviewOrgansOf(rereview ? s.record.reviewer_office_code()
                                        : s.record.handler_office_code());
  if (!organs.ok()) return organs.status();
  for (const ReviewOrgan& organ : *organs) {
    if (organ.office.code == s.actor.code) s.event.set_review_rule(organ.rule);
  }
  v1::CaseView& view = *s.record.mutable_view();
  StartDeadline(
      view, rereview ? v1::DEADLINE_KIND_REREVIEW : v1::DEADLINE_KIND_REVIEW,
      s.actor.code, s.cmd.now, *due);
  EndDeadline(view, v1::DEADLINE_KIND_SERVICE);
  view.clear_window();
  HandOver(s, s.actor);
  return absl::OkStatus();
}

// DECIDE_REVIEW (复查意见).
absl::Status DecideReview(Step& s) {
  if (absl::Status st = CheckOutcome(s); !st.ok()) return st;
  v1::CaseView& view = *s.record.mutable_view();
  EndDeadline(view, v1::DEADLINE_KIND_REVIEW);
  if (absl::Status st = AwaitService(s, v1::CASE_ACTION_REQUEST_REREVIEW);
      !st.ok()) {
    return st;
  }
  view.set_outcome(s.cmd.outcome);
  s.record.set_reviewer_office_code(s.actor.code);
  *s.record.mutable_reviewed_at() = ToProto(s.cmd.now);
  s.event.set_outcome(s.cmd.outcome);
  return absl::OkStatus();
}

// START_HEARING / END_HEARING (听证): pause the re-review deadline, then
// move its due time by exactly the paused time.
absl::Status Hearing(Step& s) {
  v1::RunningDeadline* rereview =
      FindDeadline(*s.record.mutable_view(), v1::DEADLINE_KIND_REREVIEW);
  if (rereview == nullptr) return Broken(s, "no re-review deadline is running");
  if (s.cmd.action == v1::CASE_ACTION_START_HEARING) {
    if (rereview->has_paused_at()) return Broken(s, "the clock is paused");
    *rereview->mutable_paused_at() = ToProto(s.cmd.now);
    return absl::OkStatus();
  }
  if (!rereview->has_paused_at()) return Broken(s, "the clock is not paused");
  const absl::Duration paused = s.cmd.now - FromProto(rereview->paused_at());
  *rereview->mutable_due_at() = ToProto(FromProto(rereview->due_at()) + paused);
  rereview->clear_paused_at();
  return absl::OkStatus();
}

// DECIDE_REREVIEW (复核意见): 信访终结.
absl::Status DecideRereview(Step& s) {
  if (absl::Status st = CheckOutcome(s); !st.ok()) return st;
  v1::CaseView& view = *s.record.mutable_view();
  EndDeadline(view, v1::DEADLINE_KIND_REREVIEW);
  view.clear_window();
  view.set_outcome(s.cmd.outcome);
  *s.record.mutable_terminated_at() = ToProto(s.cmd.now);
  s.event.set_outcome(s.cmd.outcome);
  return absl::OkStatus();
}

// CLOSE (办结归档): after the window the petitioner has to go on, and never
// with a result report or a reply to a supervision (督办) outstanding.
absl::Status Close(Step& s) {
  v1::CaseView& view = *s.record.mutable_view();
  const v1::CaseState from = s.row.from;
  if (from == v1::CASE_STATE_REPLIED || from == v1::CASE_STATE_EVALUATED ||
      from == v1::CASE_STATE_REVIEWED) {
    const bool reviewed = from == v1::CASE_STATE_REVIEWED;
    const int days = reviewed ? s.policy.rereview_request_days
                              : s.policy.review_request_days;
    const v1::PetitionerWindow& window = view.window();
    if (!window.has_ends_at()) {
      return Broken(s,
                    absl::StrCat("the ", reviewed ? "re-review" : "review",
                                 " window of ", days,
                                 " days has not started: the petitioner's "
                                 "receipt is not yet recorded (尚未登记送达; "
                                 "SERVE first)"));
    }
    if (s.cmd.now < FromProto(window.ends_at())) {
      return Broken(s,
                    absl::StrCat("the ", reviewed ? "re-review" : "review",
                                 " window of ", days, " days is open until ",
                                 FormatChinaTime(FromProto(window.ends_at()))));
    }
  }
  if (FindDeadline(view, v1::DEADLINE_KIND_RESULT_REPORT) != nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(RuleOf(v1::CASE_ACTION_REPORT_RESULT),
                     ": the result report of this assigned case is "
                     "outstanding; CLOSE waits for REPORT_RESULT"));
  }
  for (const v1::RunningDeadline& d : view.deadlines()) {
    if (d.kind() != v1::DEADLINE_KIND_SUPERVISION_REPLY) continue;
    return absl::FailedPreconditionError(
        absl::StrCat(kRuleReplySupervision, ": the reply of ", d.office_code(),
                     " to supervision ", d.supervision_id(),
                     " is outstanding; CLOSE waits for REPLY_SUPERVISION"));
  }
  view.clear_deadlines();
  view.clear_window();
  return absl::OkStatus();
}

// SERVE (送达): the petitioner received the decision of the open window on
// cmd.received_at's China day, by cmd.service_method. Once per decision;
// the day lies between the decision's day and today. The window's end is
// `days` calendar days after that day (first day not counted).
absl::Status Serve(Step& s) {
  if (s.cmd.service_method == v1::SERVICE_METHOD_UNSPECIFIED ||
      !v1::ServiceMethod_IsValid(s.cmd.service_method)) {
    return Missing(s, "service_method", "直接送达/邮寄/网上信访平台/短信");
  }
  if (s.cmd.received_at == absl::InfinitePast() ||
      s.cmd.received_at == absl::InfiniteFuture()) {
    return Missing(s, "received_at", "the day the petitioner received it");
  }
  v1::CaseView& view = *s.record.mutable_view();
  // The decision of the state (SERVE's rows: REPLIED, EVALUATED: the
  // opinion; REVIEWED: the review). A case decided before windows were
  // kept has none yet: its window opens here.
  const bool rereview = s.row.from == v1::CASE_STATE_REVIEWED;
  if (!view.has_window()) {
    view.mutable_window()->set_request(rereview
                                           ? v1::CASE_ACTION_REQUEST_REREVIEW
                                           : v1::CASE_ACTION_REQUEST_REVIEW);
  }
  if (view.window().has_service()) {
    return Broken(s,
                  absl::StrCat("the decision was served already, received on ",
                               FormatDay(time::ChinaDay(FromProto(
                                   view.window().service().received_on())))));
  }
  const absl::Time decided =
      FromProto(rereview ? s.record.reviewed_at() : s.record.replied_at());
  const absl::CivilDay received = time::ChinaDay(s.cmd.received_at);
  if (received < time::ChinaDay(decided) ||
      received > time::ChinaDay(s.cmd.now)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "received_at: ", FormatDay(received),
        " is not between the decision on ", FormatDay(time::ChinaDay(decided)),
        " and today ", FormatDay(time::ChinaDay(s.cmd.now))));
  }
  const absl::Time received_on = time::StartOf(received);
  absl::StatusOr<absl::Time> ends = DueAfterDays(
      s.calendar, received_on,
      rereview ? s.policy.rereview_request_days : s.policy.review_request_days);
  if (!ends.ok()) return ends.status();
  EndDeadline(view, v1::DEADLINE_KIND_SERVICE);
  v1::Service& service = *view.mutable_window()->mutable_service();
  service.set_document(rereview ? v1::CASE_ACTION_DECIDE_REVIEW
                                : v1::CASE_ACTION_REPLY);
  service.set_method(s.cmd.service_method);
  *service.mutable_received_on() = ToProto(received_on);
  *view.mutable_window()->mutable_ends_at() = ToProto(*ends);
  *s.event.mutable_service() = service;
  return absl::OkStatus();
}

// REPLY_SUPERVISION (督办回复): the supervised office answers; its
// SUPERVISION_REPLY deadline ends. Lifecycle::Apply has checked that the
// deadline runs and that the actor is its office.
absl::Status ReplySupervision(Step& s) {
  if (s.cmd.reason.empty()) {
    return Missing(s, "reason", "the reply to the supervising bureau");
  }
  v1::CaseView& view = *s.record.mutable_view();
  const v1::RunningDeadline* answered =
      SupervisionReplyToAnswer(view, s.cmd.supervision_id, s.actor.code);
  if (answered == nullptr || answered->office_code() != s.actor.code) {
    return absl::InternalError(
        "lifecycle: REPLY_SUPERVISION without a supervision of the actor");
  }
  const std::string id = answered->supervision_id();
  auto* deadlines = view.mutable_deadlines();
  for (int i = deadlines->size() - 1; i >= 0; --i) {
    const v1::RunningDeadline& d = deadlines->Get(i);
    if (d.kind() == v1::DEADLINE_KIND_SUPERVISION_REPLY &&
        d.supervision_id() == id) {
      deadlines->DeleteSubrange(i, 1);
    }
  }
  // The case's record of the 督办 (issue 18 item 4): answered now.
  for (v1::CaseSupervision& cs : *view.mutable_supervisions()) {
    if (cs.issued().supervision_id() == id) {
      *cs.mutable_replied_at() = ToProto(s.cmd.now);
    }
  }
  s.event.mutable_supervision()->set_supervision_id(id);
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyAction(Step& s) {
  switch (s.cmd.action) {
    case v1::CASE_ACTION_TRANSFER:
    case v1::CASE_ACTION_ASSIGN:
      return Send(s);
    case v1::CASE_ACTION_OBJECT:
      return Object(s);
    case v1::CASE_ACTION_ACCEPT:
      return Accept(s);
    case v1::CASE_ACTION_DECLINE:
      return Decline(s);
    case v1::CASE_ACTION_EXTEND:
      return Extend(s);
    case v1::CASE_ACTION_REPLY:
      return Reply(s);
    case v1::CASE_ACTION_REPORT_RESULT:
      return ReportResult(s);
    case v1::CASE_ACTION_EVALUATE:
      return Evaluate(s);
    case v1::CASE_ACTION_REQUEST_REVIEW:
    case v1::CASE_ACTION_REQUEST_REREVIEW:
      return RequestReview(s);
    case v1::CASE_ACTION_DECIDE_REVIEW:
      return DecideReview(s);
    case v1::CASE_ACTION_START_HEARING:
    case v1::CASE_ACTION_END_HEARING:
      return Hearing(s);
    case v1::CASE_ACTION_DECIDE_REREVIEW:
      return DecideRereview(s);
    case v1::CASE_ACTION_CLOSE:
      return Close(s);
    case v1::CASE_ACTION_REPLY_SUPERVISION:
      return ReplySupervision(s);
    case v1::CASE_ACTION_RECOMMEND:
      return Recommend(s);
    case v1::CASE_ACTION_SERVE:
      return Serve(s);
    case v1::CASE_ACTION_TAKE_CHARGE:
      return TakeCharge(s);
    case v1::CASE_ACTION_FOLLOW_UP:
      return FollowUp(s);
    case v1::CASE_ACTION_ESCALATE:
      return Escalate(s);
    case v1::CASE_ACTION_CORRECT:
      return Correct(s);
    default:
      // REGISTER, LINK_REPEAT and SUPERVISE have their own methods; Apply
      // refuses them.
      return absl::InternalError(absl::StrCat(
          "lifecycle: no effect defined for ", ActionName(s.cmd.action)));
  }
}

}  // namespace caserelay::lifecycle::internal
