// routing's approvals (报批与审批, issue 16): the steps of Act that record a
// handler's proposal, the head's approval and the head's return, and what
// a caller may do on a case now (CaseView.allowed_actions). The rules are
// the role table's (domain/access/roles.h) and the life cycle's; this file
// only turns them into events on the case.
//
//   handler takes EXTEND/DECLINE/REPLY/DECIDE_REREVIEW (Verdict
//   kNeedsApproval)  -> PROPOSE: view.pending = the proposal; no state,
//                       holder or deadline change (deadlines keep running)
//   head: approve     -> the proposed action as the life cycle applies it
//                       now, operator the proposer, approved_by the head;
//                       pending cleared
//   head: return_proposal (reason) -> RETURN_PROPOSAL; pending cleared
//
// One proposal at a time: a second one while one pends is refused. A
// proposal lapses (pending cleared) when another action leaves the case in
// a state the proposed action is no longer legal from, e.g. the head took
// it directly; the PROPOSE event stays in the history.
//
// Pure functions over records and requests: thread-safe.
#ifndef CASERELAY_SERVICES_ROUTING_APPROVALS_H_
#define CASERELAY_SERVICES_ROUTING_APPROVALS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caserelay/v1/records.pb.h"
#include "caserelay/v1/routing.pb.h"
#include "common/rpc/principal.h"
#include "domain/access/roles.h"
#include "domain/lifecycle/lifecycle.h"

namespace caserelay::routing {

// The person acting at an office, as the role table sees them.
struct Actor {
  std::string office;        // the office acted for (authenticated)
  access::StaffRoles roles;  // access::EveryRole() for the office itself
  std::string person;        // rpc::Principal::Operator()
};

// The actor `caller` is at `office`: its roles, or every role for the
// office's own credential (rpc::Principal::HasEveryRole).
Actor ActorFor(const rpc::Principal& caller, std::string office);

// The office step of Act for `cmd` on the case `before` (already admitted
// by the office access check): by the role table, applies it to `after`
// (a copy of `before`) and returns its event, or records a proposal.
// Errors, leaving `after` as the life cycle leaves it on error:
//   PERMISSION_DENIED with the table's Chinese reason when the roles may
//     not take the action;
//   FAILED_PRECONDITION when a proposal is pending and another would be
//     recorded;
//   the life cycle's errors (a proposal is checked by applying it to a
//     copy first, so a handler learns at once what the head would).
absl::StatusOr<caserelay::v1::CaseEvent> OfficeStep(
    const lifecycle::Lifecycle& lifecycle, const Actor& actor,
    const caserelay::v1::ActRequest& req, const lifecycle::Command& cmd,
    const caserelay::v1::RoutingCaseRecord& before,
    caserelay::v1::RoutingCaseRecord& after);

// The command the pending proposal of `record` asks for, by its proposer,
// at `now`, for the head `actor` to approve. FAILED_PRECONDITION
// "没有待审批的报批事项" if none pends; PERMISSION_DENIED with the Chinese
// reason if `actor` may not answer proposals (not the head).
absl::StatusOr<lifecycle::Command> ApprovalCommand(
    const Actor& actor, const caserelay::v1::RoutingCaseRecord& record,
    absl::Time now);

// The approve step: applies `cmd` (ApprovalCommand's) to `after` and
// returns its event with approved_by = the head; clears the pending
// proposal. The life cycle's errors otherwise (e.g. its window closed).
absl::StatusOr<caserelay::v1::CaseEvent> ApproveStep(
    const lifecycle::Lifecycle& lifecycle, const Actor& actor,
    const lifecycle::Command& cmd, caserelay::v1::RoutingCaseRecord& after);

// The return step: RETURN_PROPOSAL with the head's `reason`, the proposal
// cleared from `after`, nothing else changed. INVALID_ARGUMENT "reason:
// ..." if `reason` is empty; FAILED_PRECONDITION if none pends;
// PERMISSION_DENIED if `actor` is not the head.
absl::StatusOr<caserelay::v1::CaseEvent> ReturnStep(
    const Actor& actor, const std::string& reason, absl::Time now,
    caserelay::v1::RoutingCaseRecord& after);

// Clears a pending proposal the case's state no longer allows (see the
// file comment). Call after every applied action.
void LapseStaleProposal(caserelay::v1::RoutingCaseRecord& after);

// What `actor` may do on `record` now, in the life cycle's order, each
// with its Chinese text, whether it needs approval, the request fields it
// needs and the ActRequest oneof field to send; then, for the head while
// a proposal pends, "approve" and "return_proposal". `may_take` is the
// office access check (routing's MayAct). Windows and once-only rules are
// checked when the action is taken.
std::vector<caserelay::v1::AllowedAction> AllowedActions(
    const Actor& actor, const caserelay::v1::RoutingCaseRecord& record,
    const std::function<bool(caserelay::v1::CaseAction)>& may_take);

}  // namespace caserelay::routing

#endif  // CASERELAY_SERVICES_ROUTING_APPROVALS_H_
