// The one table of legal transitions of the case life cycle (DOMAIN.md
// "Routing" and "Deadlines"); transitions.cc holds it, lifecycle.h draws it.
//
// A row says: from state `from`, the office in `role` may take `action`,
// and the case is then in `to`. Self-transitions (from == to) record an
// action that changes no state (REPORT_RESULT, LINK_REPEAT, SUPERVISE,
// REPLY_SUPERVISION, SERVE, ESCALATE; CORRECT of a registered case). Only
// REGISTER and CORRECT have several rows from one state (the routing
// decision's disposition picks the row; FindTransition gives the first);
// every other (from, action) pair has at most one row. An action with no row for
// the case's state is refused with FAILED_PRECONDITION naming the rule.
//
// Pure data and look-ups: thread-safe.

#ifndef CASERELAY_DOMAIN_LIFECYCLE_TRANSITIONS_H_
#define CASERELAY_DOMAIN_LIFECYCLE_TRANSITIONS_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "caserelay/v1/case.pb.h"
#include "caserelay/v1/events.pb.h"

namespace caserelay::lifecycle {

// Who may take an action.
enum class Role {
  kRouting,  // routing itself (actor "routing"): REGISTER, LINK_REPEAT
  kHolder,   // the office that holds the case (view.office_code)
  // The office that issued the opinion (record.handler_office_code): it
  // owes the result report (办结报告) of an assigned case even after the
  // case has moved on to review.
  kHandler,
  // An organ that reviews decisions of the handler (复查机关, Art. 35), the
  // one the petitioner applied to: any of
  // OfficeResolver::ReviewOrgansOf(handler_office_code).
  kReviewOffice,
  // An organ that re-reviews (复核机关, Art. 36): any of
  // OfficeResolver::ReviewOrgansOf(reviewer_office_code).
  kRereviewOffice,
  // A supervising bureau (督办): supervision issues the instrument and
  // routing records it (Lifecycle::Supervise); the actor is the issuer.
  // For RECOMMEND: the issuer of a 督办 recorded on the case
  // (view.supervisions).
  kSupervisor,
  // The office a supervision on the case is addressed to, while its reply
  // is open: the office_code of a running SUPERVISION_REPLY deadline.
  kSupervised,
  // 领导包案 (issue 18 item 2): a people's government (人民政府) whose region
  // contains the holder's, its own or a superior one
  // (OfficeResolver::IsGovernment and Supervises of the holder).
  kGovernmentOver,
  // 回访 (issue 18 item 7): the petition bureau that registered the case
  // (its decision's registering office) or that transferred / assigned it
  // to the organ (view.sender_office_code) — the bureaus of Art. 22 that
  // follow the matter to its result.
  kFollowUpBureau,
  // 提级办理 (issue 18 item 5): a petition bureau or people's government of
  // a region strictly above the holder's that contains it
  // (OfficeResolver::Supervises of the holder, not of the holder's own
  // region): an organ of a higher level takes the case up.
  kSuperiorOrgan,
  // 更正登记 (issue 18 item 6): the bureau that registered the case, its
  // decision's registering_office_code (after a correction, the new
  // decision's).
  kRegisteringBureau,
};

// The rules of ESCALATE and CORRECT (escalate_correct.cc cites them too).
inline constexpr char kRuleEscalate[] =
    "DOMAIN.md Routing (属地管理、分级负责) and issue 18 item 5 (提级办理): a "
    "petition bureau or people's government of a higher level over the "
    "holder takes the case up from it while it is handled (transferred, "
    "assigned, accepted or extended), with a reason; the running deadlines "
    "keep their due dates and pass to it (no state change)";
inline constexpr char kRuleCorrect[] =
    "Arts. 22-23 and issue 18 item 6 (更正登记): the bureau that registered "
    "the case corrects the registered matter (category, class, region, "
    "statutory route) before the organ accepts it (受理, Art. 23), with a "
    "reason; the case is routed again by the rules (DOMAIN.md Routing) and "
    "registered anew at the bureau they name, or not accepted";

// The rules of TAKE_CHARGE and FOLLOW_UP (leaders.cc cites them too).
inline constexpr char kRuleTakeCharge[] =
    "DOMAIN.md Routing (属地管理、分级负责, 谁主管、谁负责) and issue 18 item 2: "
    "a leader of the people's government of the holder's region or of a "
    "superior one takes charge (领导包案) of an open case, with name and "
    "title, once while one is in charge (no state change)";
inline constexpr char kRuleFollowUp[] =
    "Arts. 22, 34 and issue 18 item 7: after the 处理意见 the bureau that "
    "registered the case or transferred/assigned it follows up (回访) by "
    "phone or visit and records the petitioner's view "
    "(认同/基本认同/不认同); may repeat (no state change)";

// The rule of REPLY_SUPERVISION, also cited by CLOSE while a reply to a
// supervision is outstanding.
inline constexpr char kRuleReplySupervision[] =
    "DOMAIN.md Deadlines: reply to a supervision proposal (督办) 30 days "
    "(2005 Art. 36), by the office supervised, in any state until the case "
    "is closed (no state change)";

// The rule of RECOMMEND (改进工作建议 / 追责建议, issue 18 item 4), also
// cited by its preconditions (supervision.cc).
inline constexpr char kRuleRecommend[] =
    "DOMAIN.md Supervision (Regulation Arts. 39-40; 2005 Arts. 36, 38): the "
    "bureau that issued a 督办 proposes 改进工作建议 or 追责建议 once the "
    "reply deadline passed unanswered or after a reply it finds "
    "unsatisfactory (no state change)";

struct Transition {
  caserelay::v1::CaseState from;
  caserelay::v1::CaseAction action;
  caserelay::v1::CaseState to;
  Role role;
  // The rule that allows the action, citing its source, e.g.
  // "Art. 34: extension once, at most 30 days, with a reason". Refusals
  // start with it. Numbers are the legal defaults; Policy may change them.
  const char* rule;
};

// The table, in life-cycle order. Never empty; the same object on each call.
const std::vector<Transition>& Transitions();

// Returns the first row for (from, action), or nullptr if the action is not
// legal from `from`.
const Transition* FindTransition(caserelay::v1::CaseState from,
                                 caserelay::v1::CaseAction action);

// True if no row leads out of `state` (CLOSED, LINKED): the case is over
// and no deadline runs in it.
bool IsFinal(caserelay::v1::CaseState state);

// The rule of the first row of `action` (what a refusal of `action` in a
// state it is not legal from cites); for PROPOSE and RETURN_PROPOSAL,
// which have no row (routing's approvals record them, no state changes),
// the approval rule; "" for any other action without a row.
absl::string_view RuleOf(caserelay::v1::CaseAction action);

// Short names for messages: "EXTENDED" for CASE_STATE_EXTENDED, "EXTEND"
// for CASE_ACTION_EXTEND, "holder" for Role::kHolder. An unknown enum
// value gives "?".
absl::string_view StateName(caserelay::v1::CaseState state);
absl::string_view ActionName(caserelay::v1::CaseAction action);
absl::string_view RoleName(Role role);

}  // namespace caserelay::lifecycle

#endif  // CASERELAY_DOMAIN_LIFECYCLE_TRANSITIONS_H_
