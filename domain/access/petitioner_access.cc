#include "domain/access/petitioner_access.h"

#include "absl/strings/str_cat.h"

namespace caserelay::access {
namespace {

absl::Status Refused(absl::string_view what) {
  return absl::PermissionDeniedError(
      absl::StrCat(kRulePetitioner, " (", what, ")"));
}

}  // namespace

absl::Status PetitionerMay(std::string_view own_case, PetitionerCall call,
                           std::string_view case_id,
                           caserelay::v1::CaseAction action) {
  if (own_case.empty()) return Refused("no petitioner's case is named");
  switch (call) {
    case PetitionerCall::kGetPetitionerView:
    case PetitionerCall::kAct:
      break;
    case PetitionerCall::kGetCase:
      return Refused("GetCase's full detail is for offices");
    case PetitionerCall::kListInbox:
      return Refused("an inbox is an office's");
    case PetitionerCall::kPreviewRoute:
      return Refused("PreviewRoute is for offices");
  }
  // The other case is not named: a petitioner learns nothing of it.
  if (case_id != own_case) return Refused("not their case");
  if (call == PetitionerCall::kAct &&
      action != caserelay::v1::CASE_ACTION_EVALUATE &&
      action != caserelay::v1::CASE_ACTION_REQUEST_REVIEW &&
      action != caserelay::v1::CASE_ACTION_REQUEST_REREVIEW) {
    return Refused(
        "only evaluate, request_review and request_rereview are a "
        "petitioner's");
  }
  return absl::OkStatus();
}

}  // namespace caserelay::access
