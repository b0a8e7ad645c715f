// Who may issue a 督办 by hand (手动督办, issue 18 item 4) and on what
// ground: the one rule of supervision's Supervise RPC and of the offer the
// console shows (ListDeadlinesResponse.supervise_offer).
//
// DOMAIN.md "Supervision" (Regulation Arts. 39-40; 2005 Art. 36: "县级以上
// 人民政府信访工作机构发现有关行政机关有下列情形之一的，应当及时督办"):
//   - the issuer is a petition bureau (信访部门) of county level or above
//     (a township's 信访办 supervises nothing: a township's organs answer to
//     the county's bureau, as the automatic 督办 rule has it);
//   - the target is an office of the issuer's subtree
//     (OfficeDirectory::Supervises: its region within the issuer's), not
//     the issuer itself, and an office acting on the case: its holder or an
//     office one of its running deadlines binds (the late office);
//   - never about an accused unit (Art. 30): the issuer must not be one of
//     the case's accused units or a member of one, and the target neither
//     (a 督办 to the accused unit would hand it the accusation); with the
//     accused unknown (a record kept before they were) nobody issues;
//   - the case is not final (CLOSED, LINKED): a 督办 there would start no
//     reply deadline (Lifecycle::Supervise);
//   - the ground is one of 2005 Art. 36 items 1-6 (SupervisionGround);
//     OTHER (item 6, 其他需要督办的情形) needs a reason.
//
// Messages: for operators in English, for the console's users the
// Chinese reason after "：" is what the gateway shows. They name the
// calling office and the case, never an accused office.
//
// Pure: no I/O. Thread safety: stateless functions over an immutable
// directory.
#ifndef CASERELAY_DOMAIN_ACCESS_SUPERVISE_ACCESS_H_
#define CASERELAY_DOMAIN_ACCESS_SUPERVISE_ACCESS_H_

#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "caserelay/v1/events.pb.h"
#include "domain/offices/office_directory.h"

namespace caserelay::access {

// The rules, cited by messages and tests.
inline constexpr char kRuleSuperviseIssuer[] =
    "2005 Art. 36 (Regulation Arts. 39-40): 县级以上信访部门 supervise";
inline constexpr char kRuleSuperviseSubtree[] =
    "DOMAIN.md Supervision: a bureau supervises the offices of its subtree";
inline constexpr char kRuleSuperviseGround[] =
    "2005 Art. 36 items 1-6: the grounds of 督办; item 6 (其他) needs a reason";

// What the rule needs of one case.
struct SuperviseCase {
  std::string case_id;
  std::string holder_office_code;
  // Offices bound by a running (armed, paused or missed, not ended)
  // deadline of the case, in the order first seen.
  std::vector<std::string> deadline_offices;
  // The accused units; nullopt if unknown.
  std::optional<std::vector<std::string>> accused;
  bool final_state = false;  // CLOSED or LINKED
};

// OK if `issuer` may issue a 督办 by hand on the case at all (a bureau of
// county level or above, not accused, the case open and its accused
// known). PERMISSION_DENIED (issuer, accused), FAILED_PRECONDITION (final
// case), each "<rule>: <English>：<Chinese>".
absl::Status MayIssueSupervision(const offices::OfficeDirectory& offices,
                                 const std::string& issuer,
                                 const SuperviseCase& c);

// OK if `issuer` may issue one to `target` on the case:
// MayIssueSupervision, then the target is an acting office of the case
// (FAILED_PRECONDITION otherwise), in the issuer's subtree and not the
// issuer (PERMISSION_DENIED), not accused (PERMISSION_DENIED, Art. 30).
absl::Status MaySupervise(const offices::OfficeDirectory& offices,
                          const std::string& issuer, const std::string& target,
                          const SuperviseCase& c);

// The offices `issuer` may supervise on the case (MaySupervise OK), the
// holder first then the deadline offices, each once; empty if none.
std::vector<std::string> SupervisableTargets(
    const offices::OfficeDirectory& offices, const std::string& issuer,
    const SuperviseCase& c);

// OK if `ground` is one of 2005 Art. 36's (not UNSPECIFIED, a known
// value) and, for OTHER, `reason` is not blank. INVALID_ARGUMENT naming
// the field ("ground" or "reason") otherwise.
absl::Status CheckSupervisionGround(caserelay::v1::SupervisionGround ground,
                                    absl::string_view reason);

// Every ground a bureau may give by hand, in the enum's order.
const std::vector<caserelay::v1::SupervisionGround>& ManualGrounds();

// The Chinese words of a ground ("推诿、敷衍、拖延"); "" for UNSPECIFIED.
std::string GroundText(caserelay::v1::SupervisionGround ground);

}  // namespace caserelay::access

#endif  // CASERELAY_DOMAIN_ACCESS_SUPERVISE_ACCESS_H_
