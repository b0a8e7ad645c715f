// What the petitioner of a case may ask of routing (issue 15 item 2; Art.
// 30): the web gateway speaks for "the petitioner of case <id>" after
// intake's look-up (common/rpc/auth.h x-caserelay-petitioner-case,
// rpc::Principal::Petitioner). That petitioner
//   - reads only the petitioner's view of their own case
//     (GetPetitionerView: no internal note, operator or accused unit);
//   - takes only the petitioner's own actions on it: EVALUATE (满意度评价),
//     REQUEST_REVIEW (复查, Art. 35), REQUEST_REREVIEW (复核, Art. 36),
//     each then subject to the life cycle's windows
//     (lifecycle::Lifecycle::PetitionerMay);
//   - never reads GetCase's full detail (the history, the accused, the
//     operators), never lists an inbox, never touches another case.
// Messages are for operators (English) and never name the other case.
//
// Pure: no I/O. Thread safety: stateless functions.
#ifndef CASERELAY_DOMAIN_ACCESS_PETITIONER_ACCESS_H_
#define CASERELAY_DOMAIN_ACCESS_PETITIONER_ACCESS_H_

#include <string_view>

#include "absl/status/status.h"
#include "caserelay/v1/events.pb.h"

namespace caserelay::access {

// The rule cited by the messages and the tests.
inline constexpr char kRulePetitioner[] =
    "issue 15: a petitioner reads only the petitioner's view of their own "
    "case and takes only the petitioner's actions on it";

// The calls of routing a petitioner might make.
enum class PetitionerCall {
  kGetPetitionerView,
  kAct,
  kGetCase,
  kListInbox,
  kPreviewRoute,
};

// OK iff the petitioner of case `own_case` may make `call` on case
// `case_id` (for kAct: taking `action`): GetPetitionerView of `own_case`,
// or Act on `own_case` with EVALUATE, REQUEST_REVIEW or REQUEST_REREVIEW.
// PERMISSION_DENIED "<kRulePetitioner>: ..." otherwise (another case, another
// action, any other call). An empty `own_case` is no petitioner: refused.
absl::Status PetitionerMay(
    std::string_view own_case, PetitionerCall call, std::string_view case_id,
    caserelay::v1::CaseAction action = caserelay::v1::CASE_ACTION_UNSPECIFIED);

}  // namespace caserelay::access

#endif  // CASERELAY_DOMAIN_ACCESS_PETITIONER_ACCESS_H_
