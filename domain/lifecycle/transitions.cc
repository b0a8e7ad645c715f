#include "domain/lifecycle/transitions.h"

#include <string>

#include "absl/strings/match.h"

namespace caserelay::lifecycle {
namespace {

using v1::CaseAction;
using v1::CaseState;

// Rules cited by several rows.
constexpr char kRuleObject[] =
    "Art. 23: an organ may object (异议) within 5 working days of the "
    "transfer, with reasons; the case returns to the sending bureau";
constexpr char kRuleAccept[] =
    "Art. 23: the organ accepts (受理) within 15 days of the transfer; "
    "简易办理 (first-time clear cases only) takes 10 working days";
constexpr char kRuleDecline[] =
    "Art. 23: the organ does not accept (不予受理), with the reason and the "
    "route the petitioner is told";
constexpr char kRuleReply[] =
    "Art. 34: the organ issues its opinion (处理意见: 支持/解释说明/不予支持) "
    "within 60 days of acceptance (plus an extension)";
constexpr char kRuleReportResult[] =
    "Art. 22: the organ reports the result (办结报告) of an assigned case "
    "(交办) to the assigning bureau, once, after its opinion";
constexpr char kRuleRequestReview[] =
    "Art. 35: review (复查) is requested within 30 days of the opinion, with "
    "an organ one level up (ReviewOrgansOf the handler: for a department "
    "its government or the same line one level up, as the petitioner asks)";
constexpr char kRuleCloseAfterReview[] =
    "Art. 35: a replied case is closed (办结归档) only after the 30-day review "
    "window has passed";
constexpr char kRuleLinkRepeat[] =
    "DOMAIN.md Routing: a repeat petition (重复信访) is linked to the open "
    "case of its matter (no state change)";

constexpr char kRuleServe[] =
    "Arts. 35-36: the office records the service (送达) of its written "
    "decision, the day the petitioner received it and how; the 30-day "
    "windows to ask for 复查/复核 count from that day (no state change)";

// 督办 (DOMAIN.md "Supervision", "Deadlines").
constexpr char kRuleSupervise[] =
    "DOMAIN.md Supervision (Arts. 39-40): the bureau supervises (督办: 督办函, "
    "挂牌督办) an organ that missed a deadline; routing records it on the "
    "case and starts the organ's reply deadline (no state change)";

// 报批 / 退回 (issue 16).
constexpr char kRuleApproval[] =
    "Art. 34 and issue 16 item 1: the office head (负责人) approves a "
    "handler's 延期, 不予受理, 处理意见 and 终结; the proposal and its return "
    "are recorded without a state change (no row: routing's approvals)";

constexpr CaseAction kRegister = v1::CASE_ACTION_REGISTER;
constexpr CaseAction kTransfer = v1::CASE_ACTION_TRANSFER;
constexpr CaseAction kAssign = v1::CASE_ACTION_ASSIGN;
constexpr CaseAction kObject = v1::CASE_ACTION_OBJECT;
constexpr CaseAction kAccept = v1::CASE_ACTION_ACCEPT;
constexpr CaseAction kDecline = v1::CASE_ACTION_DECLINE;
constexpr CaseAction kExtend = v1::CASE_ACTION_EXTEND;
constexpr CaseAction kReply = v1::CASE_ACTION_REPLY;
constexpr CaseAction kReportResult = v1::CASE_ACTION_REPORT_RESULT;
constexpr CaseAction kEvaluate = v1::CASE_ACTION_EVALUATE;
constexpr CaseAction kRequestReview = v1::CASE_ACTION_REQUEST_REVIEW;
constexpr CaseAction kDecideReview = v1::CASE_ACTION_DECIDE_REVIEW;
constexpr CaseAction kRequestRereview = v1::CASE_ACTION_REQUEST_REREVIEW;
constexpr CaseAction kStartHearing = v1::CASE_ACTION_START_HEARING;
constexpr CaseAction kEndHearing = v1::CASE_ACTION_END_HEARING;
constexpr CaseAction kDecideRereview = v1::CASE_ACTION_DECIDE_REREVIEW;
constexpr CaseAction kClose = v1::CASE_ACTION_CLOSE;
constexpr CaseAction kLinkRepeat = v1::CASE_ACTION_LINK_REPEAT;
constexpr CaseAction kSupervise = v1::CASE_ACTION_SUPERVISE;
constexpr CaseAction kReplySupervision = v1::CASE_ACTION_REPLY_SUPERVISION;
constexpr CaseAction kServe = v1::CASE_ACTION_SERVE;

constexpr CaseState kReceived = v1::CASE_STATE_RECEIVED;
constexpr CaseState kRegistered = v1::CASE_STATE_REGISTERED;
constexpr CaseState kTransferred = v1::CASE_STATE_TRANSFERRED;
constexpr CaseState kAssigned = v1::CASE_STATE_ASSIGNED;
constexpr CaseState kAccepted = v1::CASE_STATE_ACCEPTED;
constexpr CaseState kNotAccepted = v1::CASE_STATE_NOT_ACCEPTED;
constexpr CaseState kExtended = v1::CASE_STATE_EXTENDED;
constexpr CaseState kReplied = v1::CASE_STATE_REPLIED;
constexpr CaseState kEvaluated = v1::CASE_STATE_EVALUATED;
constexpr CaseState kReviewRequested = v1::CASE_STATE_REVIEW_REQUESTED;
constexpr CaseState kReviewed = v1::CASE_STATE_REVIEWED;
constexpr CaseState kRereviewRequested = v1::CASE_STATE_REREVIEW_REQUESTED;
constexpr CaseState kHearing = v1::CASE_STATE_HEARING;
constexpr CaseState kTerminated = v1::CASE_STATE_TERMINATED;
constexpr CaseState kClosed = v1::CASE_STATE_CLOSED;
constexpr CaseState kLinked = v1::CASE_STATE_LINKED;

std::vector<Transition>* BuildTable() {
  auto* t = new std::vector<Transition>{
      // 登记: routing decides a new petition (Register()).
      {kReceived, kRegister, kRegistered, Role::kRouting,
       "Art. 22: the bureau registers (登记) a petition, then transfers or "
       "assigns it within 15 days of receipt"},
      {kReceived, kRegister, kNotAccepted, Role::kRouting,
       "Arts. 22, 31: a matter with a statutory route, a level-skipping "
       "visit or a terminated matter is not accepted; the petitioner is "
       "told the route"},
      {kReceived, kRegister, kLinked, Role::kRouting, kRuleLinkRepeat},
      // 转送 / 交办 by the bureau that holds the case.
      {kRegistered, kTransfer, kTransferred, Role::kHolder,
       "Art. 22: the bureau transfers (转送) the case to the competent organ, "
       "which must accept it within 15 days or object"},
      {kRegistered, kAssign, kAssigned, Role::kHolder,
       "Art. 22: the bureau assigns (交办) the case to the competent organ, "
       "which owes a result report (办结报告) within 90 days"},
      // 异议, 受理, 不予受理 by the organ the case was sent to.
      {kTransferred, kObject, kRegistered, Role::kHolder, kRuleObject},
      {kAssigned, kObject, kRegistered, Role::kHolder, kRuleObject},
      {kTransferred, kAccept, kAccepted, Role::kHolder, kRuleAccept},
      {kAssigned, kAccept, kAccepted, Role::kHolder, kRuleAccept},
      {kTransferred, kDecline, kNotAccepted, Role::kHolder, kRuleDecline},
      {kAssigned, kDecline, kNotAccepted, Role::kHolder, kRuleDecline},
      // 延期 and 处理意见.
      {kAccepted, kExtend, kExtended, Role::kHolder,
       "Art. 34: extension (延期) once, at most 30 days, with a reason, "
       "before the handling deadline; not for 简易办理"},
      {kAccepted, kReply, kReplied, Role::kHolder, kRuleReply},
      {kExtended, kReply, kReplied, Role::kHolder, kRuleReply},
      // 办结报告: any time after the opinion, by the organ that gave it.
      {kReplied, kReportResult, kReplied, Role::kHandler, kRuleReportResult},
      {kEvaluated, kReportResult, kEvaluated, Role::kHandler,
       kRuleReportResult},
      {kReviewRequested, kReportResult, kReviewRequested, Role::kHandler,
       kRuleReportResult},
      {kReviewed, kReportResult, kReviewed, Role::kHandler, kRuleReportResult},
      {kRereviewRequested, kReportResult, kRereviewRequested, Role::kHandler,
       kRuleReportResult},
      {kHearing, kReportResult, kHearing, Role::kHandler, kRuleReportResult},
      {kTerminated, kReportResult, kTerminated, Role::kHandler,
       kRuleReportResult},
      // 送达 of the opinion or the review decision: the windows count from it.
      {kReplied, kServe, kReplied, Role::kHolder, kRuleServe},
      {kEvaluated, kServe, kEvaluated, Role::kHolder, kRuleServe},
      {kReviewed, kServe, kReviewed, Role::kHolder, kRuleServe},
      // 满意度评价.
      {kReplied, kEvaluate, kEvaluated, Role::kHolder,
       "DOMAIN.md Notifying, Supervision: the petitioner rates the opinion "
       "(满意/基本满意/不满意), recorded by the organ that gave it"},
      {kEvaluated, kEvaluate, kEvaluated, Role::kHolder,
       "DOMAIN.md Supervision, issue 15 item 2: the petitioner's own rating "
       "replaces an office-entered one (the source of 参评率/满意率), once, "
       "inside the rating window; an office never rates twice"},
      // 复查 (Art. 35).
      {kReplied, kRequestReview, kReviewRequested, Role::kReviewOffice,
       kRuleRequestReview},
      {kEvaluated, kRequestReview, kReviewRequested, Role::kReviewOffice,
       kRuleRequestReview},
      {kReviewRequested, kDecideReview, kReviewed, Role::kHolder,
       "Art. 35: the review office decides (复查意见) within 30 days"},
      // 复核 (Art. 36), with 听证.
      {kReviewed, kRequestRereview, kRereviewRequested, Role::kRereviewOffice,
       "Art. 36: re-review (复核) is requested within 30 days of the review, "
       "with the organ one level above the reviewer"},
      {kRereviewRequested, kStartHearing, kHearing, Role::kHolder,
       "Art. 36: a hearing (听证) pauses the re-review clock"},
      {kHearing, kEndHearing, kRereviewRequested, Role::kHolder,
       "Art. 36: hearing time is not counted; the re-review clock resumes"},
      {kRereviewRequested, kDecideRereview, kTerminated, Role::kHolder,
       "Art. 36: the re-review decision (复核意见) within 30 days ends the "
       "matter (信访终结)"},
      // 办结归档.
      {kTerminated, kClose, kClosed, Role::kHolder,
       "Art. 36: a terminated matter (信访终结) is closed once its result "
       "report, if any, is in"},
      {kNotAccepted, kClose, kClosed, Role::kHolder,
       "Arts. 23, 31: a case not accepted is closed"},
      {kReplied, kClose, kClosed, Role::kHolder, kRuleCloseAfterReview},
      {kEvaluated, kClose, kClosed, Role::kHolder, kRuleCloseAfterReview},
      {kReviewed, kClose, kClosed, Role::kHolder,
       "Art. 36: a reviewed case is closed (办结归档) only after the 30-day "
       "re-review window has passed"},
  };
  // 重复信访 on every open case.
  for (CaseState open : {kRegistered, kTransferred, kAssigned, kAccepted,
                         kExtended, kReplied, kEvaluated, kReviewRequested,
                         kReviewed, kRereviewRequested, kHearing}) {
    t->push_back({open, kLinkRepeat, open, Role::kRouting, kRuleLinkRepeat});
  }
  // 提级办理 while an organ handles the case, before its opinion.
  for (CaseState handled : {kTransferred, kAssigned, kAccepted, kExtended}) {
    t->push_back({handled, v1::CASE_ACTION_ESCALATE, handled,
                  Role::kSuperiorOrgan, kRuleEscalate});
  }
  // 更正登记 before acceptance: registered anew (REGISTERED, first: the row
  // FindTransition gives) or, when the corrected matter is not accepted by
  // the rules (e.g. a statutory route, Art. 31), NOT_ACCEPTED.
  for (CaseState unaccepted : {kRegistered, kTransferred, kAssigned}) {
    t->push_back({unaccepted, v1::CASE_ACTION_CORRECT, kRegistered,
                  Role::kRegisteringBureau, kRuleCorrect});
    t->push_back({unaccepted, v1::CASE_ACTION_CORRECT, kNotAccepted,
                  Role::kRegisteringBureau, kRuleCorrect});
  }
  // 领导包案 while the case is open (the states LINK_REPEAT links to).
  for (CaseState open : {kRegistered, kTransferred, kAssigned, kAccepted,
                         kExtended, kReplied, kEvaluated, kReviewRequested,
                         kReviewed, kRereviewRequested, kHearing}) {
    t->push_back({open, v1::CASE_ACTION_TAKE_CHARGE, open,
                  Role::kGovernmentOver, kRuleTakeCharge});
  }
  // 回访 after the 处理意见: every state from REPLIED on, CLOSED included
  // (leaders.cc refuses a closed case that never had an opinion).
  for (CaseState replied :
       {kReplied, kEvaluated, kReviewRequested, kReviewed, kRereviewRequested,
        kHearing, kTerminated, kClosed}) {
    t->push_back({replied, v1::CASE_ACTION_FOLLOW_UP, replied,
                  Role::kFollowUpBureau, kRuleFollowUp});
  }
  // 督办 is recorded in every state a case can be in; in a final one
  // (CLOSED, LINKED) it starts no reply deadline, so there it cannot be
  // answered either.
  for (CaseState any :
       {kRegistered, kTransferred, kAssigned, kAccepted, kNotAccepted,
        kExtended, kReplied, kEvaluated, kReviewRequested, kReviewed,
        kRereviewRequested, kHearing, kTerminated, kClosed, kLinked}) {
    t->push_back({any, kSupervise, any, Role::kSupervisor, kRuleSupervise});
  }
  for (CaseState any :
       {kRegistered, kTransferred, kAssigned, kAccepted, kNotAccepted,
        kExtended, kReplied, kEvaluated, kReviewRequested, kReviewed,
        kRereviewRequested, kHearing, kTerminated}) {
    t->push_back({any, kReplySupervision, any, Role::kSupervised,
                  kRuleReplySupervision});
  }
  // 改进工作建议 / 追责建议 after a 督办, in every state but LINKED (a linked
  // repeat is handled, and supervised, on its open case); also CLOSED: a
  // reply found unsatisfactory may be followed up after the case closed.
  for (CaseState any :
       {kRegistered, kTransferred, kAssigned, kAccepted, kNotAccepted,
        kExtended, kReplied, kEvaluated, kReviewRequested, kReviewed,
        kRereviewRequested, kHearing, kTerminated, kClosed}) {
    t->push_back({any, v1::CASE_ACTION_RECOMMEND, any, Role::kSupervisor,
                  kRuleRecommend});
  }
  return t;
}

absl::string_view StripPrefix(const std::string& name,
                              absl::string_view prefix) {
  if (name.empty()) return "?";
  absl::string_view view(name);
  if (absl::StartsWith(view, prefix)) view.remove_prefix(prefix.size());
  return view;
}

}  // namespace

const std::vector<Transition>& Transitions() {
  static const std::vector<Transition>* const kTable = BuildTable();
  return *kTable;
}

bool IsFinal(CaseState state) {
  for (const Transition& row : Transitions()) {
    if (row.from == state && row.to != state) return false;
  }
  return true;
}

const Transition* FindTransition(CaseState from, CaseAction action) {
  for (const Transition& row : Transitions()) {
    if (row.from == from && row.action == action) return &row;
  }
  return nullptr;
}

absl::string_view RuleOf(CaseAction action) {
  for (const Transition& row : Transitions()) {
    if (row.action == action) return row.rule;
  }
  // Recorded by routing's approvals (services/routing/approvals.h), never
  // applied here: they change no state, so they have no row.
  if (action == v1::CASE_ACTION_PROPOSE ||
      action == v1::CASE_ACTION_RETURN_PROPOSAL) {
    return kRuleApproval;
  }
  return "";
}

absl::string_view StateName(CaseState state) {
  // CaseState_Name returns a reference to a string that lives as long as
  // the program (the descriptor pool), or a static empty string.
  return StripPrefix(v1::CaseState_Name(state), "CASE_STATE_");
}

absl::string_view ActionName(CaseAction action) {
  return StripPrefix(v1::CaseAction_Name(action), "CASE_ACTION_");
}

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kRouting:
      return "routing";
    case Role::kHolder:
      return "holder";
    case Role::kHandler:
      return "handler";
    case Role::kReviewOffice:
      return "review office";
    case Role::kRereviewOffice:
      return "re-review office";
    case Role::kSupervisor:
      return "supervising bureau";
    case Role::kSupervised:
      return "supervised office";
    case Role::kGovernmentOver:
      return "people's government of the holder's region or above";
    case Role::kFollowUpBureau:
      return "registering or sending bureau";
    case Role::kSuperiorOrgan:
      return "superior bureau or people's government";
    case Role::kRegisteringBureau:
      return "registering bureau";
  }
  return "?";
}

}  // namespace caserelay::lifecycle
