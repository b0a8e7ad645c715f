// intake's reads of the petitioner for offices (issue 16, the console):
// the one access check FindCases and GetPetitioner share, and
// GetPetitioner itself (intake_service.h states the contracts).

#include <string>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/rpc/convert.h"
#include "domain/access/case_access.h"
#include "domain/access/case_parties.h"
#include "domain/access/roles.h"
#include "services/intake/intake_service.h"
#include "services/intake/petitioner_vault.h"

namespace caserelay::intake {

absl::Status IntakeServiceImpl::MayContactPetitioner(
    std::string_view office,
    const caserelay::v1::IntakeCaseRecord& record) const {
  const access::CaseAccess access(offices_);
  return access.MaySeePetitioner(
      office, access::FromKept(record.case_number(), record.parties()));
}

grpc::Status IntakeServiceImpl::GetPetitioner(
    grpc::ServerContext* ctx, const caserelay::v1::GetPetitionerRequest* req,
    caserelay::v1::GetPetitionerResponse* resp) {
  auto caller = Authorize(ctx, IntakeCall::kGetPetitioner);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  const std::string& office = caller->id;
  // The audit line (who read whose contact): the office, its user and the
  // case; nothing of the petitioner (issue 14 item 3). A string that names
  // no case intake has is not repeated: it may be anything a client typed.
  auto audit = [&](const char* outcome, bool known_case) {
    log::Info("petitioner read",
              {{"office", office},
               {"user", caller->person},
               {"case", known_case ? req->case_id() : "(no such case)"},
               {"outcome", outcome}});
  };
  // One refusal for every reason: an office learns neither whether the
  // case exists nor that it is accused in it.
  const grpc::Status refused(
      grpc::StatusCode::PERMISSION_DENIED,
      absl::StrCat(office, " may not see the petitioner of case ",
                   req->case_id()));
  if (req->case_id().empty() || req->case_id().size() > 64) {
    audit("refused", false);
    return refused;
  }
  auto record = LoadCase(req->case_id());
  if (!record.ok()) return rpc::ToGrpc(record.status());
  if (!record->has_value()) {
    audit("refused", false);
    return refused;
  }
  // A console user reads only within their roles' scope (roles.h
  // MayReadCaseAs: an administrator reads no case, a registrar, handler or
  // head only the cases their office is named in), as routing's GetCase;
  // the office's own credential has every role.
  const access::StaffRoles& roles =
      caller->HasEveryRole() ? access::EveryRole() : caller->roles;
  if (!access::MayReadCaseAs(roles, office,
                             access::FromKept(req->case_id(),
                                              (*record)->parties()))
           .ok() ||
      !MayContactPetitioner(office, **record).ok()) {
    audit("refused", true);
    return refused;
  }
  const std::string& ref = (*record)->petitioner().id();
  auto raw = context_.store->Get(kPetitioners, ref);
  if (!raw.ok()) return rpc::ToGrpc(raw.status());
  if (!raw->has_value()) {
    return grpc::Status(
        grpc::StatusCode::DATA_LOSS,
        absl::StrCat("intake: case ", req->case_id(),
                     " names a petitioner record that is not stored"));
  }
  auto petitioner = OpenPetitioner(*pii_, ref, **raw);
  if (!petitioner.ok()) return rpc::ToGrpc(petitioner.status());
  resp->set_name(petitioner->name());
  resp->set_phone(petitioner->phone());
  resp->set_address(petitioner->address());
  if (!petitioner->id_number().empty()) {
    resp->set_id_number_masked(log::MaskIdNumber(petitioner->id_number()));
  }
  audit("shown", true);
  return grpc::Status::OK;
}

}  // namespace caserelay::intake
