// 督办 by hand (手动督办, issue 18 item 4): the pure parts of supervision's
// Supervise RPC and of ListDeadlines' supervise_offer. Who may issue it is
// domain/access supervise_access.h's rule (a 信访部门 of county level or
// above over its subtree, never about an accused unit), by whom within the
// bureau roles.h MayIssueSupervision (督查员, 负责人).
//
// A manual 督办 is numbered with the automatic ones, one counter per case
// ("<case>/supervision/<n>", n = the instruments on the case after it), is
// published as SupervisionIssued{source MANUAL, ground, reason, issued_by}
// with no missed_* fields, and is kept on the case's record like an
// automatic one: escalation.h's ladder counts it (a manual 督办函 to an
// office that then misses its reply is followed by 挂牌督办). Routing records
// it as SUPERVISE and starts its SUPERVISION_REPLY deadline (30 days, 2005
// Art. 36), which supervision arms like any other: unanswered, it turns red
// and is supervised in turn.
//
// Pure: no I/O. Thread safety: stateless functions.
#ifndef CASERELAY_SERVICES_SUPERVISION_MANUAL_SUPERVISION_H_
#define CASERELAY_SERVICES_SUPERVISION_MANUAL_SUPERVISION_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "caserelay/v1/records.pb.h"
#include "caserelay/v1/supervision.pb.h"
#include "domain/access/roles.h"
#include "domain/access/supervise_access.h"
#include "domain/offices/office_directory.h"

namespace caserelay::supervision {

// At most this many characters (code points) in SuperviseRequest.reason.
inline constexpr int kMaxSuperviseReasonChars = 500;

// The rule's view of the case in `record`: holder, the offices of its
// deadlines not ended (armed, paused, or missed and still listed), the
// accused (unknown unless its REGISTER was applied with parties), and
// whether it is CLOSED or LINKED.
access::SuperviseCase SuperviseCaseOf(
    const caserelay::v1::SupervisionCaseRecord& record);

// INVALID_ARGUMENT naming the field for a request that is malformed on its
// face: case_id empty or over 64 characters, target_office_code over 64,
// level other than UNSPECIFIED/LETTER/LISTED, reason over
// kMaxSuperviseReasonChars, the ground (CheckSupervisionGround).
absl::Status CheckSuperviseRequest(const caserelay::v1::SuperviseRequest& req);

// The instrument `issuer` issues to `target` on the case of `record` as
// `req` asks (level UNSPECIFIED: LETTER), by `issued_by` (the person, or
// the office for its own credential). REQUIRES: CheckSuperviseRequest(req)
// and access::MaySupervise(issuer, target, SuperviseCaseOf(record)) are OK.
caserelay::v1::SupervisionIssued ManualInstrument(
    const caserelay::v1::SupervisionCaseRecord& record,
    const offices::Office& issuer, const offices::Office& target,
    const caserelay::v1::SuperviseRequest& req, const std::string& issued_by);

// What the 督办 form offers `caller` with `roles` on the case: the targets
// the rule allows (names from the directory), every ground, both levels;
// nullopt when the roles do not issue 督办 or no target is allowed.
std::optional<caserelay::v1::SuperviseOffer> OfferFor(
    const offices::OfficeDirectory& offices, const std::string& caller,
    const access::StaffRoles& roles,
    const caserelay::v1::SupervisionCaseRecord& record);

}  // namespace caserelay::supervision

#endif  // CASERELAY_SERVICES_SUPERVISION_MANUAL_SUPERVISION_H_
