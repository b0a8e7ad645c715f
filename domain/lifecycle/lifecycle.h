// The case life cycle (信访事项办理流程) as an explicit state machine
// (DOMAIN.md "Routing" and "Deadlines"; the binding text is the 2022
// 信访工作条例, "Art." below). transitions.cc holds the one table of legal
// transitions; this class checks actions against it and applies them.
//
//   (new) --REGISTER--> LINKED (重复信访)
//     |
//     +------REGISTER--> NOT_ACCEPTED --CLOSE--> CLOSED
//     |                       ^
//     |                       +--DECLINE (reason, route)--+
//   REGISTER                                              |
//     v                                                   |
//   REGISTERED --TRANSFER / ASSIGN--> TRANSFERRED | ASSIGNED
//     ^                                   |     |
//     +--OBJECT (5 working days)----------+     | ACCEPT
//                                               v
//   EXTENDED <--------EXTEND (once)--------- ACCEPTED
//      | REPLY                                  | REPLY
//      +-------------> REPLIED <----------------+
//                        |  \--EVALUATE (评价)--> EVALUATED
//     REQUEST_REVIEW (复查)|                         | REQUEST_REVIEW
//                        v                          |
//   REVIEW_REQUESTED <------------------------------+
//      | DECIDE_REVIEW
//      v
//   REVIEWED --REQUEST_REREVIEW (复核)--> REREVIEW_REQUESTED
//                                         |   ^      |
//                          START_HEARING  v   | END_HEARING
//                                       HEARING (听证, clock paused)
//                                                    | DECIDE_REREVIEW
//                                                    v
//                              TERMINATED (信访终结) --CLOSE--> CLOSED
//
//   REPLIED, EVALUATED --CLOSE--> CLOSED once the review window passed;
//   REVIEWED --CLOSE--> CLOSED once the re-review window passed. Both
//   windows count from the recorded receipt: SERVE (送达, a self-transition
//   of REPLIED, EVALUATED, REVIEWED) records it; see README.md.
//   Self-transitions: REPORT_RESULT (办结报告, an assigned case, once, by the
//   handler after its REPLY), LINK_REPEAT (a repeat petition linked to an
//   open case), SUPERVISE (督办, recorded in any state: Supervise()) and
//   REPLY_SUPERVISION (the supervised office answers it, in any state but
//   CLOSED and LINKED; a case is not closed while a reply is owed).
//
// Deadlines (RunningDeadline in view.deadlines) start and end with the
// actions: TRANSFER (registered), ACCEPTANCE (transferred/assigned),
// RESULT_REPORT (assigned, until REPORT_RESULT), HANDLING or SIMPLIFIED
// (accepted), SERVICE (REPLY or DECIDE_REVIEW until SERVE or the next
// request), REVIEW, REREVIEW (paused during a hearing), and one
// SUPERVISION_REPLY per supervision (SUPERVISE to REPLY_SUPERVISION, of the
// office supervised, never paused, carried unchanged through every other
// action: the other kinds start and end by the actions, whatever the
// state). Days (日) are
// calendar days, 工作日 working days, both by time::Calendar (first day not
// counted, a last day on a rest day moves to the next working day); a
// deadline falls due at the end of its last day, China time.

#ifndef CASERELAY_DOMAIN_LIFECYCLE_LIFECYCLE_H_
#define CASERELAY_DOMAIN_LIFECYCLE_LIFECYCLE_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/case.pb.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/time/calendar.h"
#include "domain/lifecycle/office_resolver.h"
#include "domain/lifecycle/petitioner.h"
#include "domain/lifecycle/transitions.h"

namespace caserelay::lifecycle {

// The actor code of routing's own events (REGISTER, LINK_REPEAT).
inline constexpr char kRoutingActor[] = "routing";
// The operator of a SUPERVISE event (the actor is the issuing bureau).
inline constexpr char kSupervisionOperator[] = "supervision";

// Every limit of DOMAIN.md "Deadlines" (configurable; the defaults are the
// legal ones). "days" are calendar days (日), "working_days" 工作日.
struct Policy {
  int transfer_days = 15;            // Art. 22: register, then 转送/交办
  int acceptance_days = 15;          // Art. 23: notice of acceptance
  int objection_working_days = 5;    // Art. 23: "not our remit"
  int handling_days = 60;            // Art. 34: 处理意见 after acceptance
  int max_extension_days = 30;       // Art. 34: one extension
  int simplified_working_days = 10;  // 简易办理办法
  int review_request_days = 30;      // Art. 35: petitioner asks for 复查
  int review_days = 30;              // Art. 35: 复查 decision
  int rereview_request_days = 30;    // Art. 36: petitioner asks for 复核
  int rereview_days = 30;           // Art. 36: 复核 decision, hearings paused
  int result_report_days = 90;      // 交办: 办结报告 (local practice)
  int supervision_reply_days = 30;  // 2005 Art. 36: reply to 督办 (supervision)
  // 送达: the office records the petitioner's receipt of its written
  // opinion or review decision (local practice).
  int service_days = 10;
};

// The words of a 督办's ground (SupervisionGround; 2005 Art. 36 items 1-6),
// e.g. "推诿、敷衍、拖延"; "?" for UNSPECIFIED or an unknown value. The one
// list: the SUPERVISE event's reason and domain/access GroundText use it.
absl::string_view GroundWords(caserelay::v1::SupervisionGround ground);

// Returns OK if every limit of `policy` is in 1..3650, else
// INVALID_ARGUMENT naming the field, e.g. "policy.handling_days: ...".
absl::Status ValidatePolicy(const Policy& policy);

// One office's action on a case (routing's ActRequest, typed). Fields an
// action does not use are ignored.
struct Command {
  caserelay::v1::CaseAction action = caserelay::v1::CASE_ACTION_UNSPECIFIED;
  std::string actor_office_code;  // the office acting (authenticated)
  std::string operator_name;      // the person acting
  // Why. Required for OBJECT, DECLINE, EXTEND and REPLY_SUPERVISION (the
  // reply to the supervising bureau).
  std::string reason;
  // TRANSFER, ASSIGN: the office to send to; empty means the decision's
  // target office.
  std::string target_office_code;
  // REPLY, DECIDE_REVIEW, DECIDE_REREVIEW: required.
  caserelay::v1::Outcome outcome = caserelay::v1::OUTCOME_UNSPECIFIED;
  // EVALUATE: required.
  caserelay::v1::Satisfaction satisfaction =
      caserelay::v1::SATISFACTION_UNSPECIFIED;
  int days = 0;             // EXTEND: 1..Policy::max_extension_days
  bool simplified = false;  // ACCEPT: 简易办理
  // REPLY: 当场解决 (issue 18 item 1), resolved on the spot at the leader's
  // reception the visit was registered at: only for a case registered at
  // a reception (view.reception), on the reception's China day
  // (internal::kRuleOnTheSpot); the view and the event record it.
  bool on_the_spot = false;
  std::string route;        // DECLINE: the route the petitioner is told
  // DECLINE: why (不予受理); UNSPECIFIED means OUT_OF_SCOPE (Art. 23).
  caserelay::v1::RefusalGround refusal_ground =
      caserelay::v1::REFUSAL_GROUND_UNSPECIFIED;
  // REPLY_SUPERVISION: the supervision answered; empty means the oldest
  // unanswered one.
  std::string supervision_id;
  // RECOMMEND (改进工作建议 / 追责建议): required. supervision_id names the
  // 督办 it follows; empty: the latest the actor issued (supervision.cc).
  caserelay::v1::RecommendationKind recommendation_kind =
      caserelay::v1::RECOMMENDATION_KIND_UNSPECIFIED;
  // SERVE (送达): how, and when (any time on the China day) the petitioner
  // received the decision; both required.
  caserelay::v1::ServiceMethod service_method =
      caserelay::v1::SERVICE_METHOD_UNSPECIFIED;
  absl::Time received_at = absl::InfinitePast();
  // CORRECT (更正登记): the registered matter with the corrections applied
  // (routing: ActRequest.Correct's fields over view.matter) and routing's
  // decision on it (domain/routing Router::Decide, as for a new petition);
  // both required (escalate_correct.cc).
  struct Correction {
    caserelay::v1::Matter matter;
    caserelay::v1::RouteDecision decision;
  };
  std::optional<Correction> correction;
  // TAKE_CHARGE (领导包案): the leader's name and title (e.g. "副县长"),
  // both required (leaders.cc).
  std::string leader_name;
  std::string leader_title;
  // FOLLOW_UP (回访): how the bureau contacted the petitioner and their
  // view, both required; when (InfinitePast: now), not before the opinion.
  caserelay::v1::FollowUpMethod follow_up_method =
      caserelay::v1::FOLLOW_UP_METHOD_UNSPECIFIED;
  caserelay::v1::FollowUpView follow_up_view =
      caserelay::v1::FOLLOW_UP_VIEW_UNSPECIFIED;
  absl::Time contacted_at = absl::InfinitePast();
  absl::Time now;  // when the action is taken
  // The petitioner takes the action (issue 15, the portal through the web
  // gateway): EVALUATE, REQUEST_REVIEW, REQUEST_REREVIEW only, when
  // Lifecycle::PetitionerMay allows it. actor_office_code is then not the
  // caller's: Apply takes the holder (EVALUATE: the rating of its opinion)
  // or the organ applied to (target_office_code if it is one of the
  // decider's review organs, the first of them if empty). The event says
  // by_petitioner; EVALUATE sets view.rated_by_petitioner.
  bool by_petitioner = false;
};

// Thread-safe: every method is const and the class holds no mutable state.
class Lifecycle {
 public:
  // `calendar` and `offices` are not owned and must outlive this object.
  // REQUIRES: ValidatePolicy(policy).ok(); calendar and offices non-null.
  Lifecycle(Policy policy, const time::Calendar* calendar,
            const OfficeResolver* offices);

  Lifecycle(const Lifecycle&) = delete;
  Lifecycle& operator=(const Lifecycle&) = delete;

  const Policy& policy() const { return policy_; }

  // Records a new petition and routing's decision on it. `record` must be
  // new: its view.state unset or RECEIVED. Keeps what the caller set in
  // record.first_time, matter_key and head_hash, and view.version; fills the
  // view (case_id = petition.case_number, matter, received_at, decision,
  // rules, holder = the decision's registering office, state by disposition:
  // TRANSFER/ASSIGN/TRIAGE -> REGISTERED with a TRANSFER deadline
  // (transfer_days from receipt); NOT_ACCEPTED/REDIRECT/REFUSED_TERMINATED
  // -> NOT_ACCEPTED; LINKED_REPEAT -> LINKED), petitioner and identity_key,
  // and the leader's reception the visit was registered at (view.reception
  // and the event's, issue 18 item 1).
  // Returns the REGISTER event (actor "routing", reason = the decision's
  // rules, with the decision and the case's routing facts).
  // Errors, leaving `record` unchanged:
  //   FAILED_PRECONDITION the record is already registered (citing the
  //     rule), or the calendar has no table for a year it needs;
  //   INVALID_ARGUMENT naming the field: petition.case_number empty,
  //     petition.received_at unset, decision.disposition unspecified,
  //     decision.registering_office_code empty or unknown,
  //     decision.linked_case_id empty for LINKED_REPEAT.
  absl::StatusOr<caserelay::v1::CaseEvent> Register(
      const caserelay::v1::PetitionReceived& petition,
      const caserelay::v1::RouteDecision& decision, absl::Time now,
      caserelay::v1::RoutingCaseRecord& record) const;

  // Applies an office's action to the case in `record`. On success updates
  // `record` (state, holder and past_holders, sender, handler, reviewer,
  // deadlines in view.deadlines, timestamps, flags, view.updated_at = now;
  // never view.version nor head_hash: the service owns those) and returns
  // the event: action, actor code and name, operator, reason, from/to
  // state, holder after, every deadline running after, and the action's
  // details. Checks, in order, each failure leaving `record` unchanged:
  //   INVALID_ARGUMENT "action: ..." for UNSPECIFIED, REGISTER (use
  //     Register()), LINK_REPEAT (use LinkRepeat()) and SUPERVISE (use
  //     Supervise());
  //   FAILED_PRECONDITION "<rule>: ..." if the table has no row for the
  //     action from the case's state;
  //   INVALID_ARGUMENT "actor_office_code: ..." empty or unknown office;
  //   REPLY_SUPERVISION: FAILED_PRECONDITION "<rule>: ..." if no
  //     SUPERVISION_REPLY deadline runs (or none of cmd.supervision_id);
  //   PERMISSION_DENIED if the actor is not an office the row's role names
  //     (the holder, the handler, a review or re-review organ; for
  //     REPLY_SUPERVISION the office of the supervision it answers: the one
  //     of cmd.supervision_id, else the oldest addressed to the actor);
  //   INVALID_ARGUMENT naming the field: reason missing (OBJECT, DECLINE,
  //     EXTEND, REPLY_SUPERVISION), route missing (DECLINE), refusal_ground
  //     unknown (DECLINE), days out of 1..max_extension_days
  //     (EXTEND), outcome or satisfaction unspecified, target office empty
  //     or unknown (TRANSFER, ASSIGN), service_method unspecified or
  //     received_at unset or not between the decision's day and today
  //     (SERVE), now before the case's last update;
  //   FAILED_PRECONDITION "<rule>: ..." if a window or once-only rule is
  //     broken: objection after objection_working_days, simplified handling
  //     of a case that is not first-time, an extension of a simplified case
  //     or after the handling deadline, a review or re-review request after
  //     its window (counted from the recorded receipt, 送达), a close before
  //     it ends or before the receipt is recorded, a decision served twice,
  //     a result report not owed, a close
  //     with a result report or a reply to a supervision outstanding, a
  //     transfer to an accused unit,
  //     a transfer by an office that is not a bureau, no review office;
  //   FAILED_PRECONDITION from the calendar (no table for a needed year);
  //   RECOMMEND (supervision.cc): INVALID_ARGUMENT for recommendation_kind
  //     unspecified or reason missing; FAILED_PRECONDITION "<kRuleRecommend>:
  //     ..." when the actor issued no 督办 on the case (or not the one
  //     named), its reply is not yet due and not answered, or that kind
  //     was given for it already; on success appends view.recommendations
  //     and sets event.recommendation;
  //   other codes from the OfficeResolver.
  absl::StatusOr<caserelay::v1::CaseEvent> Apply(
      const Command& cmd, caserelay::v1::RoutingCaseRecord& record) const;

  // The access rule of the offices' API, asked by routing before anything
  // else (so an office outside the case learns nothing of its state): OK
  // iff `office` holds the case (it may try any action; Apply() answers
  // with the rule) or is a party that a row of `action` names for this
  // case, in whatever state — the office that replied while
  // the case is on (kHandler: REPORT_RESULT of an assigned case, also
  // after it moved on to review), a review or re-review organ of the
  // decisions taken (kReviewOffice, kRereviewOffice), the office a running
  // supervision awaits a reply from (kSupervised). Apply() admits an actor
  // only if MayTake() does; Apply() then checks the state's own row.
  // Errors: PERMISSION_DENIED naming the office, the case and the roles
  // that may take the action (not their offices); INVALID_ARGUMENT
  // "action: ..." for an action no office takes (UNSPECIFIED, REGISTER,
  // LINK_REPEAT, SUPERVISE); other codes from the OfficeResolver.
  // OK iff `office` is a party of the case in any role an office takes
  // (holder, handler, review or re-review organ, supervised office): an
  // office MayTake() admits for some action. Routing lets such an office
  // read the case, e.g. a review organ before it takes the request.
  // PERMISSION_DENIED otherwise; other codes from the OfficeResolver.
  absl::Status IsPartyOf(const std::string& office,
                         const caserelay::v1::RoutingCaseRecord& record) const;

  absl::Status MayTake(const std::string& office,
                       caserelay::v1::CaseAction action,
                       const caserelay::v1::RoutingCaseRecord& record) const;

  // OK iff `action` is to be OFFERED to `office` now (CaseView.
  // allowed_actions): MayTake(), and for REPLY_SUPERVISION (督办回复) a
  // supervision awaits this office's reply (a running SUPERVISION_REPLY
  // deadline of the office; the holder may still try it, and Apply answers
  // with the rule); for RECOMMEND a 督办 the office issued is open to a
  // recommendation at `now` (replied, or its reply due passed; a kind not
  // yet given). Errors: MayTake()'s; FAILED_PRECONDITION
  // "<kRuleReplySupervision>: ..." when no supervision awaits its reply,
  // PERMISSION_DENIED for TAKE_CHARGE / FOLLOW_UP to an office their rows
  // do not name (the holder too), "<kRuleTakeCharge>: ..." once a leader
  // is in charge,
  // "<kRuleRecommend>: ..." when nothing is open to a recommendation.
  absl::Status MayOffer(const std::string& office,
                        caserelay::v1::CaseAction action,
                        const caserelay::v1::RoutingCaseRecord& record,
                        absl::Time now = absl::InfiniteFuture()) const;

  // Links the repeat petition `repeat_case_id` (重复信访) to the open case
  // in `record`: appends it to view.linked_cases, sets view.updated_at; no
  // state change. Returns the LINK_REPEAT event (actor "routing").
  // Errors, leaving `record` unchanged: FAILED_PRECONDITION if the case is
  // not open (no LINK_REPEAT row for its state); INVALID_ARGUMENT if
  // repeat_case_id is empty; ALREADY_EXISTS if it is linked already.
  // Records a supervision instrument (督办: 督办函 or 挂牌督办) that
  // supervision issued to the office that missed a deadline on the case.
  // No state or holder change. Unless the case is final (IsFinal: CLOSED,
  // LINKED), appends a SUPERVISION_REPLY deadline {office: the target,
  // started_at: issued_at, due: supervision_reply_days calendar days later
  // (DueAfterDays), supervision_id}; every running deadline stays. Appends
  // view.supervisions {the instrument, issued_at, the reply's due if one
  // runs} (issue 18 item 4). Sets view.updated_at = now. Returns the
  // SUPERVISE event: actor the issuer (code and name), operator
  // kSupervisionOperator, a reason naming the level, the target, the
  // missed kind and due day — or, for a manual one (source MANUAL), 手动督办
  // with its ground's words and the bureau's reason — (and the reply's due
  // day), `supervision`, and every deadline running after.
  // Errors, leaving `record` unchanged: FAILED_PRECONDITION if the case's
  // state has no SUPERVISE row (not registered); INVALID_ARGUMENT
  // "supervision.<field>: empty" for supervision_id, issuer_office_code,
  // target_office_code, or "issued_at" if not finite; ALREADY_EXISTS if a
  // reply to this supervision_id runs on the case already (a replay: the
  // caller also keeps answered ones from being recorded twice);
  // FAILED_PRECONDITION from the calendar.
  absl::StatusOr<caserelay::v1::CaseEvent> Supervise(
      const caserelay::v1::SupervisionIssued& supervision, absl::Time issued_at,
      absl::Time now, caserelay::v1::RoutingCaseRecord& record) const;

  // What the petitioner may do on the case at `now` (petitioner.h): each
  // action whose table row leaves the case's state and whose window has
  // not ended, in the order RATE, REQUEST_REVIEW, REQUEST_REREVIEW.
  // Errors: the OfficeResolver's (other than NOT_FOUND, which offers no
  // request: nobody reviews the decider).
  absl::StatusOr<std::vector<PetitionerOption>> PetitionerOptions(
      const caserelay::v1::RoutingCaseRecord& record, absl::Time now) const;

  // The petitioner's actions the case's state has a row for whose window
  // ended at or before `now` (issue 15 item 2: the page says why it no
  // longer offers them), in the order RATE, REQUEST_REVIEW,
  // REQUEST_REREVIEW; the reason is PetitionerMay's refusal.
  std::vector<PetitionerClosedOption> PetitionerClosed(
      const caserelay::v1::RoutingCaseRecord& record, absl::Time now) const;

  // The option of `action` if the petitioner may take it now;
  // FAILED_PRECONDITION with a plain-Chinese reason for the petitioner
  // otherwise (not at this stage, rated already, the window ended on a
  // named day); PERMISSION_DENIED for an action no petitioner takes.
  absl::StatusOr<PetitionerOption> PetitionerMay(
      caserelay::v1::CaseAction action,
      const caserelay::v1::RoutingCaseRecord& record, absl::Time now) const;

  absl::StatusOr<caserelay::v1::CaseEvent> LinkRepeat(
      const std::string& repeat_case_id, absl::Time now,
      caserelay::v1::RoutingCaseRecord& record) const;

 private:
  // `cmd` of the petitioner (Command::by_petitioner) with its actor: the
  // holder for EVALUATE, the organ applied to for a request; errors of
  // PetitionerMay, INVALID_ARGUMENT "office_code: ..." for a named office
  // that is not one of the decider's review organs.
  absl::StatusOr<Command> PetitionerCommand(
      const Command& cmd, const caserelay::v1::RoutingCaseRecord& record) const;

  // Const after construction.
  const Policy policy_;
  const time::Calendar* const calendar_;
  const OfficeResolver* const offices_;
};

}  // namespace caserelay::lifecycle

#endif  // CASERELAY_DOMAIN_LIFECYCLE_LIFECYCLE_H_
