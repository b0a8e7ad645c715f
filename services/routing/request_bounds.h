// Bounds on every field of routing's gRPC requests (请求字段上限), checked
// before anything else is done with them (issue 22 item 1: an office's
// 2 MB ActRequest.reason became an event Kafka never took, and routing's
// output stalled for good). Sizes and counts, and that every string is
// valid UTF-8 (issue 22 item 2, petition::CheckChars); whether an office or
// a case exists is for the handlers.
//
// Pure functions, thread-safe. INVALID_ARGUMENT messages start with the
// field's path; the rest is in Chinese for the clerk at the console.

#ifndef CASERELAY_SERVICES_ROUTING_REQUEST_BOUNDS_H_
#define CASERELAY_SERVICES_ROUTING_REQUEST_BOUNDS_H_

#include "absl/status/status.h"
#include "caserelay/v1/routing.pb.h"
#include "domain/petition/matter_bounds.h"

namespace caserelay::routing {

struct RequestBounds {
  // ActRequest.reason and Decline.route: free text an office writes
  // (routing.max_reason_chars).
  int max_reason_chars = 2000;
  // ActRequest.reason from the petitioner (issue 15: the rating's comment,
  // the request's reason), stored as data.
  int max_petitioner_reason_chars = 500;
  int max_operator_chars = 100;  // a person's name
  // Case ids, office codes, supervision ids.
  int max_id_chars = 64;
  int max_page_token_chars = 512;
  int max_states = 32;  // ListInboxRequest.states (CaseState has 17)
  petition::MatterBounds matter;
  int max_identity_key_chars = 128;
};

absl::Status CheckGetCase(const caserelay::v1::GetCaseRequest& req,
                          const RequestBounds& bounds);
absl::Status CheckListInbox(const caserelay::v1::ListInboxRequest& req,
                            const RequestBounds& bounds);
absl::Status CheckListApprovals(
    const caserelay::v1::ListApprovalsRequest& req,
    const RequestBounds& bounds);
absl::Status CheckAct(const caserelay::v1::ActRequest& req,
                      const RequestBounds& bounds);
// CheckAct, and the reason within max_petitioner_reason_chars.
absl::Status CheckPetitionerAct(const caserelay::v1::ActRequest& req,
                                const RequestBounds& bounds);
absl::Status CheckGetPetitionerView(
    const caserelay::v1::GetPetitionerViewRequest& req,
    const RequestBounds& bounds);
absl::Status CheckPreviewRoute(const caserelay::v1::PreviewRouteRequest& req,
                               const RequestBounds& bounds);

}  // namespace caserelay::routing

#endif  // CASERELAY_SERVICES_ROUTING_REQUEST_BOUNDS_H_
