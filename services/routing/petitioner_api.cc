// routing's gRPC handlers for the petitioner of a case (issue 15 item 2):
// the web gateway speaks for them after intake's look-up
// (rpc::Principal::Petitioner). Thin adapters: who may ask is
// domain/access's PetitionerMay, what they may do the life cycle's
// PetitionerOptions, the view petitioner_view.h.
#include "absl/strings/str_cat.h"
#include "common/rpc/convert.h"
#include "common/service/owner_forward.h"
#include "domain/access/petitioner_access.h"
#include "services/routing/act_command.h"
#include "services/routing/petitioner_view.h"
#include "services/routing/request_bounds.h"
#include "services/routing/routing_service.h"

namespace caserelay::routing {

std::optional<std::string> RoutingServiceImpl::NameForPetitioner(
    const caserelay::v1::RoutingCaseRecord& record,
    const std::string& code) const {
  if (!NotAccused(code, record.view().matter().accused_offices(),
                  record.view().case_id())
           .ok()) {
    return std::nullopt;
  }
  auto office = parts_.offices->Find(code);
  if (!office.ok()) return std::nullopt;
  return office->name;
}

grpc::Status RoutingServiceImpl::GetPetitionerView(
    grpc::ServerContext* ctx,
    const caserelay::v1::GetPetitionerViewRequest* req,
    caserelay::v1::PetitionerView* resp) {
  auto caller = rpc::Caller(parts_.auth, *ctx);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  if (!caller->IsPetitioner()) {
    return grpc::Status(
        grpc::StatusCode::PERMISSION_DENIED,
        absl::StrCat(caller->Name(),
                     " is not a petitioner: GetPetitionerView is for the web "
                     "gateway speaking for the petitioner of the case (",
                     rpc::kPetitionerCaseMetadata, ")"));
  }
  if (absl::Status s = CheckGetPetitionerView(*req, parts_.bounds); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  if (absl::Status s = access::PetitionerMay(
          caller->petitioner_case, access::PetitionerCall::kGetPetitionerView,
          req->case_id());
      !s.ok()) {
    return rpc::ToGrpc(s);
  }
  if (auto forwarded = service::ForwardToOwner(
          context_, ctx, req->case_id(),
          &caserelay::v1::RoutingService::Stub::GetPetitionerView, *req,
          resp)) {
    return *forwarded;
  }
  auto db = DbOfCase(req->case_id());
  if (!db.ok()) return rpc::ToGrpc(db.status());
  const CaseStore cases = db->cases();
  auto record = cases.Read(req->case_id());
  if (!record.ok()) return rpc::ToGrpc(record.status());
  if (!record->has_value()) return NoCase(req->case_id());
  auto history = cases.History(req->case_id());
  if (!history.ok()) return rpc::ToGrpc(history.status());
  const absl::Time now = context_.clock->Now();
  auto options = parts_.lifecycle->PetitionerOptions(**record, now);
  if (!options.ok()) return rpc::ToGrpc(options.status());
  const caserelay::v1::RoutingCaseRecord& kept = **record;
  auto view = BuildPetitionerView(
      kept, *history, *options,
      [this, &kept](const std::string& code) {
        return NameForPetitioner(kept, code);
      },
      parts_.lifecycle->PetitionerClosed(kept, now));
  if (!view.ok()) return rpc::ToGrpc(view.status());
  *resp = *std::move(view);
  return grpc::Status::OK;
}

grpc::Status RoutingServiceImpl::PetitionerAct(
    const rpc::Principal& petitioner, const caserelay::v1::ActRequest& req,
    caserelay::v1::CaseView* resp) {
  if (absl::Status s = CheckPetitionerAct(req, parts_.bounds); !s.ok()) {
    return rpc::ToGrpc(s);
  }
  auto cmd = CommandOf(req, petitioner, "", context_.clock->Now());
  if (!cmd.ok()) return rpc::ToGrpc(cmd.status());
  if (absl::Status s = access::PetitionerMay(petitioner.petitioner_case,
                                             access::PetitionerCall::kAct,
                                             req.case_id(), cmd->action);
      !s.ok()) {
    return rpc::ToGrpc(s);
  }
  cmd->by_petitioner = true;
  return ApplyAct(
      req, *std::move(cmd),
      [this](const caserelay::v1::RoutingCaseRecord& before,
             lifecycle::Command& c) -> absl::Status {
        if (c.action == caserelay::v1::CASE_ACTION_EVALUATE) {
          return absl::OkStatus();
        }
        // The organ applied to: never one the petitioner may not be shown
        // (an accused unit, Art. 30); none named, the first of the others.
        if (!c.target_office_code.empty()) {
          if (!NameForPetitioner(before, c.target_office_code).has_value()) {
            return absl::InvalidArgumentError(
                "office_code: not an organ this request may go to");
          }
          return absl::OkStatus();
        }
        auto option = parts_.lifecycle->PetitionerMay(c.action, before, c.now);
        if (!option.ok()) return option.status();
        for (const lifecycle::ReviewOrgan& organ : option->organs) {
          if (NameForPetitioner(before, organ.office.code).has_value()) {
            c.target_office_code = organ.office.code;
            return absl::OkStatus();
          }
        }
        return absl::FailedPreconditionError(
            "本事项没有可以受理您申请的上一级机关，请向原办理机关咨询。");
      },
      resp);
}

}  // namespace caserelay::routing
