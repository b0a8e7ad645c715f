// The role table (角色权限表, issue 16): what a staff member of an office
// may do and read, by the roles accounts gives them (case.proto StaffRole:
// 登记员 REGISTRAR, 承办人 HANDLER, 负责人 HEAD, 督查员 INSPECTOR, 领导
// LEADER, 管理员 ADMIN). The ONE place of these rules: routing asks it for
// every Act, for CaseView.allowed_actions and for ListApprovals; accounts
// for User.views (ConsoleViews). The web gateway and the pages re-implement
// none of it.
//
// Which OFFICE may act on a case stays the life cycle's rule
// (Lifecycle::MayTake: the holder, the handler, a review organ, ...); which
// case an office may read stays CaseAccess's. This table narrows both for
// the person acting: a user acts with the union of their roles.
//
// Acting (Rule):
//   - an action the life cycle has no row for in the case's state is
//     refused whatever the roles (the state's rule, transitions.h);
//   - REGISTER, LINK_REPEAT, SUPERVISE are recorded by routing itself
//     (and supervision's 督办), PROPOSE and RETURN_PROPOSAL by the approval
//     path: no role takes them through Act;
//   - EXTEND (延期, Art. 34 "经本机关、单位负责人批准"), DECLINE (不予受理),
//     REPLY (处理意见) and DECIDE_REREVIEW (复核意见, 信访终结) are the
//     head's decisions (issue 16 item 1): a HEAD takes them at once, a
//     HANDLER without HEAD proposes them and they wait in the head's queue
//     (kNeedsApproval);
//   - TRANSFER and ASSIGN (Art. 22: the bureau registers, then 转送/交办
//     within 15 days) and the review requests (Arts. 35-36: the organ
//     registers the petitioner's request) are also a REGISTRAR's;
//   - every other office action is a HANDLER's or a HEAD's;
//   - RECOMMEND (改进工作建议/追责建议, issue 18 item 4) and a 督办 by hand
//     (supervision's Supervise: MayIssueSupervision) are the supervising
//     bureau's: its INSPECTOR (督查员) or HEAD;
//   - TAKE_CHARGE (领导包案, issue 18 item 2) is the LEADER's own (the
//     government's leader takes the case), and FOLLOW_UP (回访, item 7)
//     the bureau's HANDLER's or HEAD's like its other case work;
//   - ESCALATE (提级办理, issue 18 item 5) is the superior organ's decision:
//     its HEAD's or LEADER's (the LEADER reads the subtree it takes the
//     case from); CORRECT (更正登记, item 6) the registering bureau's
//     REGISTRAR's (who registered it) or HEAD's;
//   - LEADER reads and takes no other action; ADMIN manages the office's
//     users and acts on no case.
// The office's own credential (a direct office principal, common/rpc
// auth.h) acts with EveryRole(), so its actions apply at once.
//
// Reading (ReadScopeOf): REGISTRAR, HANDLER and HEAD read the cases their
// office is named in (holder, past holder, a party of the life cycle);
// INSPECTOR and LEADER read the subtree as the office's bureau does
// (CaseAccess::MayRead: the cases held in the office's region); ADMIN
// reads no case. Art. 30 (an accused unit never sees an accusation) holds
// for every scope.
//
// Pure data and look-ups, no I/O: thread-safe.

#ifndef CASERELAY_DOMAIN_ACCESS_ROLES_H_
#define CASERELAY_DOMAIN_ACCESS_ROLES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "caserelay/v1/case.pb.h"
#include "caserelay/v1/events.pb.h"
#include "domain/access/case_access.h"

namespace caserelay::access {

using StaffRoles = std::vector<caserelay::v1::StaffRole>;

// Every role (REGISTRAR .. ADMIN): the office's own credential.
const StaffRoles& EveryRole();

// The Chinese term of a role ("承办人"), "" for UNSPECIFIED.
std::string RoleText(caserelay::v1::StaffRole role);

// The Chinese term of an action ("延期", "出具处理意见"), names.h's.
std::string ActionText(caserelay::v1::CaseAction action);

// What the table says of an action.
enum class Verdict {
  kAllowed,        // applies at once
  kNeedsApproval,  // recorded as a proposal (PROPOSE) for the head
  kRefused,        // PERMISSION_DENIED or FAILED_PRECONDITION, see below
};

struct Ruling {
  Verdict verdict = Verdict::kRefused;
  // kRefused because the case's state has no row for the action (the
  // life cycle's refusal: FAILED_PRECONDITION), not because of the roles
  // (PERMISSION_DENIED).
  bool by_state = false;
  // For people, in Chinese: why it is refused, or that it waits for the
  // head; empty for kAllowed.
  std::string reason;
  // The source of the rule (DOMAIN.md, the Regulation's article, issue 16).
  std::string rule;
};

// The ruling on `action` in `state` for a person with `roles` (the union
// of what each role may do; no role at all is refused).
Ruling Rule(const StaffRoles& roles, caserelay::v1::CaseAction action,
            caserelay::v1::CaseState state);

// True if `action` needs the head's approval when taken without HEAD
// (EXTEND, DECLINE, REPLY, DECIDE_REREVIEW).
bool HeadApproves(caserelay::v1::CaseAction action);

// Whether `roles` may issue a 督办 by hand (supervision's Supervise, issue
// 18 item 4): the bureau's 督查员 (INSPECTOR) or 负责人 (HEAD). Returns ""
// if they may, else the Chinese reason. Which bureau may is
// supervise_access.h's rule.
std::string MayIssueSupervision(const StaffRoles& roles);

// Whether `roles` may answer a pending proposal (approve or return it):
// only the office head. Returns "" if they may, else the Chinese reason.
std::string MayAnswerProposal(const StaffRoles& roles);

// The cases a person may read.
enum class ReadScope {
  kNone,     // ADMIN alone: no case
  kOffice,   // the cases the office is named in
  kSubtree,  // as the office's bureau: the cases held in its region
};
ReadScope ReadScopeOf(const StaffRoles& roles);

// The read of ONE case by a person with `roles` at `office` (routing's
// GetCase, supervision's ListDeadlines, notification's ListMessages), by
// ReadScopeOf: kNone refused; kOffice only a case `parties` name the
// office in (an acting office, a past holder or a party); kSubtree as the
// office itself. OK means CaseAccess::MayRead decides next (Art. 30 for
// every scope). PERMISSION_DENIED with the Chinese reason otherwise.
absl::Status MayReadCaseAs(const StaffRoles& roles, const std::string& office,
                           const CaseParties& parties);

// The scope of a list over many cases (an inbox, the red-light board, the
// indicators) asked by a person with `roles` at `office` for `*region` and
// `*asked_office` (either may be empty): kNone refused; kOffice only the
// office's own (empty asks become `office`; a region or another office is
// refused); kSubtree unchanged (the office's CaseAccess scope rules next).
// PERMISSION_DENIED with the Chinese reason.
absl::Status NarrowToRoleScope(const StaffRoles& roles,
                               const std::string& office, std::string* region,
                               std::string* asked_office);

// The console sections `roles` open (accounts' User.views), in the enum's
// order: INBOX (every role that reads cases), REGISTER (REGISTRAR),
// APPROVALS (HEAD), RED_LIGHTS (HEAD, INSPECTOR, LEADER), INDICATORS
// (INSPECTOR, LEADER), USERS (ADMIN).
std::vector<caserelay::v1::ConsoleView> ConsoleViews(const StaffRoles& roles);

}  // namespace caserelay::access

#endif  // CASERELAY_DOMAIN_ACCESS_ROLES_H_
