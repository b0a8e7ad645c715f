#include "services/intake/intake_service.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/log/log.h"
#include "common/peer/client_address.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/service/held_events.h"
#include "common/service/payload.h"
#include "common/store/store.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "domain/access/case_access.h"
#include "domain/access/case_parties.h"
#include "domain/lifecycle/petitioner.h"
#include "domain/petition/group_petition.h"
#include "services/intake/identity_key.h"
#include "services/intake/petitioner_vault.h"

namespace caserelay::intake {

using caserelay::v1::IntakeCaseRecord;

IntakeServiceImpl::IntakeServiceImpl(const service::Context& context,
                                     const region::RegionTree* regions,
                                     const offices::OfficeDirectory* offices,
                                     const PiiCipher* pii, LookupCodes codes,
                                     Limits limits, LookupLimits lookup_limits,
                                     RequestIdOptions request_ids,
                                     PhoneProofs* phone_proofs,
                                     int find_max_cases, int group_commit_max)
    : context_(context),
      regions_(regions),
      offices_(offices),
      pii_(pii),
      codes_(std::move(codes)),
      identity_hmac_(pii->identity_secret()),
      limits_(limits),
      request_ids_(request_ids),
      phone_proofs_(phone_proofs),
      find_max_cases_(find_max_cases),
      throttle_(context.store, context.clock, lookup_limits),
      group_(context.store, context.publisher, context.metrics, [&] {
        GroupCommitOptions options;
        options.max_group = group_commit_max;
        options.finish = [this](store::WriteBatch& batch, int submissions) {
          return SweepExpiredRequests(batch, submissions);
        };
        return options;
      }()) {}

absl::StatusOr<std::optional<IntakeCaseRecord>> IntakeServiceImpl::LoadCase(
    std::string_view case_number) const {
  auto raw = context_.store->Get(kCases, case_number);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::nullopt;
  IntakeCaseRecord record;
  if (!record.ParseFromString(**raw)) {
    return absl::DataLossError(
        absl::StrCat("intake: corrupt case ", std::string(case_number)));
  }
  return record;
}

absl::StatusOr<rpc::Principal> IntakeServiceImpl::Authorize(
    const grpc::ServerContext* ctx, IntakeCall call) const {
  if (ctx == nullptr) {
    return absl::UnauthenticatedError("intake: a call without its context");
  }
  absl::StatusOr<rpc::Principal> caller = rpc::Caller(context_.auth, *ctx);
  if (!caller.ok()) return caller.status();
  switch (call) {
    case IntakeCall::kSubmitOrLookUp:
      if (caller->IsOffice() || caller->IsService(rpc::kWebService)) {
        return caller;
      }
      return absl::PermissionDeniedError(
          absl::StrCat(caller->Name(),
                       ": only an office or the web gateway submits and looks "
                       "up petitions"));
    case IntakeCall::kResolveContact:
      if (caller->IsService("notification") && caller->via.empty()) {
        return caller;
      }
      return absl::PermissionDeniedError(absl::StrCat(
          caller->Name(), ": only service:notification resolves contacts"));
    case IntakeCall::kFindCases:
    case IntakeCall::kGetPetitioner:
      // An office itself, or the web gateway for a user of an office.
      if (caller->IsOffice()) return caller;
      return absl::PermissionDeniedError(
          absl::StrCat(caller->Name(),
                       ": only an office searches or reads petitioners"));
  }
  return absl::InternalError("intake: unknown call");
}

grpc::Status IntakeServiceImpl::SubmitPetition(
    grpc::ServerContext* ctx, const caserelay::v1::SubmitPetitionRequest* req,
    caserelay::v1::SubmitPetitionResponse* resp) {
  // An office, or the web gateway for a petitioner on the portal; each
  // caller has request_ids of its own.
  auto caller = Authorize(ctx, IntakeCall::kSubmitOrLookUp);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  // Online (a phone proof first): the portal's petitioner, i.e. the
  // gateway itself. An office's user through the console (issue 16)
  // registers a visit, letter, fax or call as that office, with the
  // petitioner in front of them, like the office's own credential.
  auto result =
      Submit(*req, caller->Name(), caller->IsService(rpc::kWebService));
  if (!result.ok()) return rpc::ToGrpc(result.status());
  *resp = *std::move(result);
  return grpc::Status::OK;
}

absl::Status IntakeServiceImpl::CheckPhoneProof(
    const caserelay::v1::SubmitPetitionRequest& req) const {
  if (req.petitioner().phone().empty()) {
    return absl::FailedPreconditionError(
        "petitioner.phone: 网上信访须填写手机号码，并用短信验证码验证。");
  }
  if (req.phone_proof().challenge_id().empty() ||
      req.phone_proof().code().empty()) {
    return absl::FailedPreconditionError(
        "phone_proof: 请先验证手机号码：获取短信验证码并填写后再提交。");
  }
  if (phone_proofs_ == nullptr) {
    return absl::UnavailableError(
        "phone_proof: intake has no notification client "
        "(notification.address), so it takes no online petition");
  }
  return phone_proofs_->Redeem(req.phone_proof(), req.petitioner().phone());
}

namespace {

// Intake writes case numbers in digits and hyphens; a string with other
// characters than letters, digits and hyphens (or too long) cannot be a
// case and is not worth a failure counter.
bool MayBeCaseNumber(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
      return false;
    }
  }
  return true;
}

}  // namespace

grpc::Status IntakeServiceImpl::GetCaseStatus(
    grpc::ServerContext* ctx, const caserelay::v1::GetCaseStatusRequest* req,
    caserelay::v1::GetCaseStatusResponse* resp) {
  auto caller = Authorize(ctx, IntakeCall::kSubmitOrLookUp);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  // The client's address: the peer's, or for the web gateway the end
  // user's it names (common/peer/client_address.h), believed from the
  // gateway only.
  absl::StatusOr<std::string> address = peer::ClientAddressKey(*ctx, *caller);
  if (!address.ok()) return rpc::ToGrpc(address.status());
  auto answer = LookUp(*req, *address);
  if (absl::IsResourceExhausted(answer.status())) {
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, kTooManyLookUps);
  }
  if (!answer.ok()) return rpc::ToGrpc(answer.status());
  *resp = *std::move(answer);
  return grpc::Status::OK;
}

absl::StatusOr<caserelay::v1::GetCaseStatusResponse> IntakeServiceImpl::LookUp(
    const caserelay::v1::GetCaseStatusRequest& req, std::string_view address) {
  // The same answer for an unknown case and a wrong code: a look-up must
  // not reveal which case numbers exist.
  const absl::Status not_found =
      absl::NotFoundError("no case with that number and look-up code");
  if (!MayBeCaseNumber(req.case_number())) return not_found;
  std::optional<IntakeCaseRecord> found;
  absl::Status s = throttle_.Attempt(
      req.case_number(), address, [&]() -> absl::StatusOr<bool> {
        auto record = LoadCase(req.case_number());
        if (!record.ok()) return record.status();
        if (!record->has_value() ||
            !codes_.Verify(req.case_number(), req.lookup_code())) {
          return false;
        }
        found = **std::move(record);
        return true;
      });
  if (absl::IsNotFound(s)) return not_found;
  if (!s.ok()) return s;
  const IntakeCaseRecord& r = *found;
  caserelay::v1::GetCaseStatusResponse resp;
  resp.set_case_number(r.case_number());
  resp.set_state(r.state());
  // The same plain-Chinese text routing's PetitionerView carries (issue 15
  // item 2): the portal shows it before routing has registered the case.
  resp.set_state_text(lifecycle::StateText(r.state()));
  if (r.has_window()) *resp.mutable_window() = r.window();
  resp.set_office_code(r.office_code());
  resp.set_office_name(r.office_name());
  *resp.mutable_received_at() = r.received_at();
  *resp.mutable_updated_at() = r.updated_at();
  return resp;
}

grpc::Status IntakeServiceImpl::ResolveContact(
    grpc::ServerContext* ctx, const caserelay::v1::ResolveContactRequest* req,
    caserelay::v1::ResolveContactResponse* resp) {
  // The phone number goes to notification only (issue 14 item 1).
  auto caller = Authorize(ctx, IntakeCall::kResolveContact);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  std::optional<IntakeCaseRecord> record;
  if (!req->case_number().empty()) {
    auto loaded = LoadCase(req->case_number());
    if (!loaded.ok()) return rpc::ToGrpc(loaded.status());
    record = *std::move(loaded);
  }
  // Only the case's own petitioner gets its code, and reaches its
  // co-representatives (issue 18 item 3).
  const bool own_case =
      record.has_value() && record->petitioner().id() == req->petitioner().id();
  std::string ref = req->petitioner().id();
  if (req->representative() != 0) {
    if (!own_case || req->representative() < 0 ||
        req->representative() > record->co_representatives_size()) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          "representative: the case has no such representative");
    }
    ref = record->co_representatives(req->representative() - 1).id();
  }
  auto raw = context_.store->Get(kPetitioners, ref);
  if (!raw.ok()) return rpc::ToGrpc(raw.status());
  if (!raw->has_value()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "petitioner.id: unknown");
  }
  auto petitioner = OpenPetitioner(*pii_, ref, **raw);
  if (!petitioner.ok()) return rpc::ToGrpc(petitioner.status());
  resp->set_phone(petitioner->phone());
  if (own_case) resp->set_lookup_code(codes_.Derive(req->case_number()));
  return grpc::Status::OK;
}

grpc::Status IntakeServiceImpl::DescribeForm(
    grpc::ServerContext* ctx, const caserelay::v1::DescribeFormRequest*,
    caserelay::v1::DescribeFormResponse* resp) {
  auto caller = Authorize(ctx, IntakeCall::kSubmitOrLookUp);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  resp->set_max_title_chars(limits_.max_title_chars);
  resp->set_max_text_chars(limits_.max_text_chars);
  resp->set_max_name_chars(limits_.max_name_chars);
  resp->set_max_address_chars(limits_.max_address_chars);
  // matter.accused is checked against the name limit (validation.cc).
  resp->set_max_accused_chars(limits_.max_name_chars);
  resp->set_max_request_id_chars(limits_.max_request_id_chars);
  resp->set_max_list_items(limits_.max_list_items);
  return grpc::Status::OK;
}

grpc::Status IntakeServiceImpl::FindCases(
    grpc::ServerContext* ctx, const caserelay::v1::FindCasesRequest* req,
    caserelay::v1::FindCasesResponse* resp) {
  auto caller = Authorize(ctx, IntakeCall::kFindCases);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  // Only the cases whose petitioner this office may see (domain/access,
  // over the parties kept from case events): an office outside them
  // learns nothing, not even that a case exists.
  const std::string office = caller->id;
  absl::Status read_error;
  auto visible = [&](const std::string& id) {
    auto record = LoadCase(id);
    if (!record.ok()) {
      read_error = record.status();
      return false;
    }
    return record->has_value() && MayContactPetitioner(office, **record).ok();
  };
  auto found =
      FindPetitionerCases(*context_.store, identity_hmac_, req->name(),
                          req->phone(), find_max_cases_, visible);
  if (!found.ok()) return rpc::ToGrpc(found.status());
  if (!read_error.ok()) return rpc::ToGrpc(read_error);
  for (std::string& id : found->case_ids) resp->add_case_ids(std::move(id));
  resp->set_truncated(found->truncated);
  return grpc::Status::OK;
}

absl::Status IntakeServiceImpl::Apply(const caserelay::v1::Envelope& event,
                                      store::WriteBatch& batch) {
  // A record on case-events that is no CaseEvent is poison: refused, so
  // the loop dead-letters it with this reason (issue 14 item 5).
  if (absl::Status s = service::ExpectPayload(
          event, caserelay::v1::Envelope::kCaseEvent, "case-events");
      !s.ok()) {
    return s;
  }
  if (event.sequence() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "case-events: event ", event.event_id(), " has no sequence"));
  }
  auto raw = batch.Get(kCases, event.case_id());
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("case-events: unknown case ", event.case_id()));
  }
  IntakeCaseRecord record;
  if (!record.ParseFromString(**raw)) {
    return absl::DataLossError(absl::StrCat("corrupt case ", event.case_id()));
  }
  if (event.sequence() <= record.last_sequence()) return absl::OkStatus();
  if (event.sequence() > record.last_sequence() + 1) {
    // An earlier event of the case is missing: held by the consume loop,
    // never applied out of order (issue 22 item 5).
    return service::SequenceGapError(event.case_id(), record.last_sequence(),
                                     event.sequence());
  }
  const caserelay::v1::CaseEvent& e = event.case_event();
  // A case stored before the look-up code stopped being hashed still has
  // its salt and hash (fields 3, 4, now reserved): drop that oracle.
  auto* unknown = record.GetReflection()->MutableUnknownFields(&record);
  unknown->DeleteByNumber(3);
  unknown->DeleteByNumber(4);
  record.set_last_sequence(event.sequence());
  record.set_state(e.to_state());
  if (e.has_window()) {
    *record.mutable_window() = e.window();
  } else {
    record.clear_window();
  }
  record.set_office_code(e.holder_office_code());
  record.set_office_name(e.holder_office_name());
  if (e.action() == caserelay::v1::CASE_ACTION_CORRECT && e.has_correction()) {
    // 更正登记 (issue 18 item 6): the record keeps the matter as corrected
    // (the petition's title and text stay as submitted).
    const caserelay::v1::MatterCorrection& c = e.correction();
    caserelay::v1::Matter& m = *record.mutable_matter();
    m.set_region_code(c.new_region_code());
    m.set_category(c.new_category());
    m.set_matter_class(c.new_matter_class());
    m.set_statutory_route(c.new_statutory_route());
  }
  access::UpdateParties(e, event.sequence(), record.mutable_parties());
  *record.mutable_updated_at() = event.occurred_at();
  batch.Put(kCases, event.case_id(), record.SerializeAsString());
  return absl::OkStatus();
}

}  // namespace caserelay::intake
