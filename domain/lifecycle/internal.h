// Internals of domain/lifecycle shared by its .cc files; not for use
// outside this module.

#ifndef CASERELAY_DOMAIN_LIFECYCLE_INTERNAL_H_
#define CASERELAY_DOMAIN_LIFECYCLE_INTERNAL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/time/calendar.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/lifecycle.h"
#include "domain/lifecycle/office_resolver.h"
#include "domain/lifecycle/transitions.h"
#include "google/protobuf/timestamp.pb.h"

namespace caserelay::lifecycle::internal {

// Rules cited by checks that are not a row of the table.
inline constexpr char kRuleSimplified[] =
    "国家信访局 简易办理办法: simplified handling (简易办理) is for "
    "first-time clear cases only, within 10 working days";
inline constexpr char kRuleAccusation[] =
    "Art. 30: an accusation (检举控告) is never transferred to the accused "
    "person or unit";
inline constexpr char kRuleOnTheSpot[] =
    "issue 18 item 1 (领导接访): 当场解决 is the outcome of a visit at a "
    "leader's reception, recorded on the reception's day";
inline constexpr char kRuleBureauSends[] =
    "Art. 22: only a petition bureau (信访部门) transfers or assigns";

using time::FromProto;
using time::ToProto;
// "2026-10-13 00:00:00 +08:00".
std::string FormatChinaTime(absl::Time t);

// The instant a period of `days` calendar days (日) after `start` falls
// due: EndOf(calendar.AddCalendarDays(ChinaDay(start), days)). Errors: the
// calendar's.
absl::StatusOr<absl::Time> DueAfterDays(const time::Calendar& calendar,
                                        absl::Time start, int days);
// The same for `days` working days (工作日).
absl::StatusOr<absl::Time> DueAfterWorkingDays(const time::Calendar& calendar,
                                               absl::Time start, int days);

// The state a registration decision leaves a case in, for REGISTER and
// CORRECT alike: REGISTERED for a transfer, an assignment or triage,
// NOT_ACCEPTED for a disposition that does not handle the petition (诉访分离,
// 越级, 信访终结), LINKED for a linked repeat; UNSPECIFIED for an unknown
// disposition (the caller names the field).
v1::CaseState StateAfterDecision(v1::Disposition disposition);

// The running deadline of `kind`, or nullptr.
const v1::RunningDeadline* FindDeadline(const v1::CaseView& view,
                                        v1::DeadlineKind kind);
v1::RunningDeadline* FindDeadline(v1::CaseView& view, v1::DeadlineKind kind);
// Starts (or restarts) the deadline of `kind`.
void StartDeadline(v1::CaseView& view, v1::DeadlineKind kind,
                   absl::string_view office_code, absl::Time started,
                   absl::Time due);
// Ends the deadline of `kind` if it runs.
void EndDeadline(v1::CaseView& view, v1::DeadlineKind kind);
// Ends every deadline of the life cycle's own kinds; the SUPERVISION_REPLY
// deadlines run on until answered (REPLY_SUPERVISION).
void EndLifecycleDeadlines(v1::CaseView& view);

// The open SUPERVISION_REPLY deadline a REPLY_SUPERVISION by `actor` with
// `supervision_id` answers: the one of that id; for an empty id the oldest
// (earliest started, then first listed) addressed to `actor`, or if none
// is, the oldest of all (whose office then is not the actor's). nullptr if
// none matches.
const v1::RunningDeadline* SupervisionReplyToAnswer(
    const v1::CaseView& view, absl::string_view supervision_id,
    absl::string_view actor);
// The open SUPERVISION_REPLY deadline of `supervision_id`, or nullptr.
const v1::RunningDeadline* FindSupervisionReply(
    const v1::CaseView& view, absl::string_view supervision_id);

// 改进工作建议 / 追责建议 (supervision.cc, issue 18 item 4). The 督办 of
// view.supervisions a RECOMMEND of `kind` by `actor` at `now` follows:
// the one of `supervision_id`, or (empty) the latest `actor` issued that
// is open to it; open means replied, or its reply due passed, and `kind`
// not yet given for it (UNSPECIFIED: some kind not yet given).
// FAILED_PRECONDITION "<kRuleRecommend>: ..." naming what is missing.
absl::StatusOr<const v1::CaseSupervision*> RecommendableSupervision(
    const v1::CaseView& view, absl::string_view supervision_id,
    absl::string_view actor, v1::RecommendationKind kind, absl::Time now);
// RECOMMEND: checks kind and reason, then RecommendableSupervision;
// appends view.recommendations and sets event.recommendation.
struct Step;
absl::Status Recommend(Step& step);

// One Apply() in progress. The table row and the actor's role are checked.
struct Step {
  const Policy& policy;
  const time::Calendar& calendar;
  const OfficeResolver& offices;
  const Command& cmd;
  const Transition& row;
  const OfficeRef& actor;
  v1::RoutingCaseRecord& record;  // a working copy: discarded on error
  v1::CaseEvent& event;
  // Set by an action whose decision picks among its rows from the state
  // (CORRECT: REGISTERED or NOT_ACCEPTED); UNSPECIFIED: row.to.
  v1::CaseState to = v1::CASE_STATE_UNSPECIFIED;
};

// Hands the case to `to`, remembering the office that held it in
// record.past_holders (once each).
void HandOver(Step& s, const OfficeRef& to);

// 提级办理 and 更正登记 (escalate_correct.cc). ESCALATE hands the case to the
// actor (a superior organ, checked by the role) and moves every running
// life-cycle deadline to it with its due date; CORRECT replaces the matter
// and the decision by cmd.correction's, hands the case to the decision's
// registering bureau and restarts its deadlines as Register does (step.to:
// REGISTERED or NOT_ACCEPTED). INVALID_ARGUMENT naming a missing field or
// a correction that changes nothing; FAILED_PRECONDITION citing the rule
// for a decision a correction cannot take (a repeat of an open case).
absl::Status Escalate(Step& step);
absl::Status Correct(Step& step);

// The refusals of an action's own checks, for every file of ApplyAction:
// FAILED_PRECONDITION "<the row's rule>: <detail>" when a window or
// once-only rule is broken; INVALID_ARGUMENT "<field>: required for
// <ACTION> (<what>)" when an input is missing.
absl::Status Broken(const Step& s, absl::string_view detail);
absl::Status Missing(const Step& s, absl::string_view field,
                     absl::string_view what);

// 领导包案 and 回访 (leaders.cc): TAKE_CHARGE sets view.leader_in_charge,
// FOLLOW_UP appends to view.follow_ups; both fill the event's detail.
// INVALID_ARGUMENT naming a missing field, FAILED_PRECONDITION citing the
// rule (a leader in charge already; a closed case without an opinion; a
// contact before the opinion or after now).
absl::Status TakeCharge(Step& step);
absl::Status FollowUp(Step& step);

// Checks cmd's input and the action's window and once-only rules, then
// applies the action's effects to step.record (all but view.state and
// view.updated_at) and fills the action's details in step.event.
absl::Status ApplyAction(Step& step);

}  // namespace caserelay::lifecycle::internal

#endif  // CASERELAY_DOMAIN_LIFECYCLE_INTERNAL_H_
