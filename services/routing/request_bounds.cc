#include "services/routing/request_bounds.h"

#include "absl/strings/str_cat.h"

namespace caserelay::routing {

using petition::CheckChars;

absl::Status CheckGetCase(const caserelay::v1::GetCaseRequest& req,
                          const RequestBounds& b) {
  return CheckChars("case_id", req.case_id(), b.max_id_chars);
}

absl::Status CheckListApprovals(
    const caserelay::v1::ListApprovalsRequest& req, const RequestBounds& b) {
  if (absl::Status s = CheckChars("office_code", req.office_code(),
                                  b.max_id_chars);
      !s.ok()) {
    return s;
  }
  return CheckChars("page_token", req.page_token(), b.max_page_token_chars);
}

absl::Status CheckListInbox(const caserelay::v1::ListInboxRequest& req,
                            const RequestBounds& b) {
  if (absl::Status s = CheckChars("office_code", req.office_code(),
                                  b.max_id_chars);
      !s.ok()) {
    return s;
  }
  if (req.states_size() > b.max_states) {
    return absl::InvalidArgumentError(absl::StrCat(
        "states: 最多 ", b.max_states, " 项，收到 ", req.states_size(), " 项"));
  }
  return CheckChars("page_token", req.page_token(), b.max_page_token_chars);
}

absl::Status CheckAct(const caserelay::v1::ActRequest& req,
                      const RequestBounds& b) {
  using caserelay::v1::ActRequest;
  const struct {
    const char* path;
    const std::string& value;
    int max_chars;
  } fields[] = {
      {"case_id", req.case_id(), b.max_id_chars},
      {"operator", req.operator_(), b.max_operator_chars},
      {"reason", req.reason(), b.max_reason_chars},
      {"transfer.office_code", req.transfer().office_code(), b.max_id_chars},
      {"assign.office_code", req.assign().office_code(), b.max_id_chars},
      {"decline.route", req.decline().route(), b.max_reason_chars},
      {"reply_supervision.supervision_id",
       req.reply_supervision().supervision_id(), b.max_id_chars},
      {"request_review.office_code", req.request_review().office_code(),
       b.max_id_chars},
      {"request_rereview.office_code", req.request_rereview().office_code(),
       b.max_id_chars},
      {"correct.category", req.correct().category(), b.max_id_chars},
      {"recommend.supervision_id", req.recommend().supervision_id(),
       b.max_id_chars},
      {"correct.region_code", req.correct().region_code(), b.max_id_chars},
      // 领导包案: a leader's name and title are a person's name's size.
      {"take_charge.leader_name", req.take_charge().leader_name(),
       b.max_operator_chars},
      {"take_charge.leader_title", req.take_charge().leader_title(),
       b.max_operator_chars},
  };
  for (const auto& f : fields) {
    if (absl::Status s = CheckChars(f.path, f.value, f.max_chars); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckPetitionerAct(const caserelay::v1::ActRequest& req,
                                const RequestBounds& b) {
  if (absl::Status s = CheckAct(req, b); !s.ok()) return s;
  return CheckChars("reason", req.reason(), b.max_petitioner_reason_chars);
}

absl::Status CheckGetPetitionerView(
    const caserelay::v1::GetPetitionerViewRequest& req,
    const RequestBounds& b) {
  return CheckChars("case_id", req.case_id(), b.max_id_chars);
}

absl::Status CheckPreviewRoute(const caserelay::v1::PreviewRouteRequest& req,
                               const RequestBounds& b) {
  if (absl::Status s = CheckChars("identity_key", req.identity_key(),
                                  b.max_identity_key_chars);
      !s.ok()) {
    return s;
  }
  return petition::CheckMatterBounds(req.matter(), b.matter);
}

}  // namespace caserelay::routing
