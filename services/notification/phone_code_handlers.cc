// NotificationServiceImpl's phone-code RPCs (issue 15 item 2): thin
// adapters over PhoneCodeBook (phone_codes.h), which decides and keeps.

#include <string>

#include "absl/strings/str_cat.h"
#include "common/peer/client_address.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/time/timestamp.h"
#include "services/notification/notification_service.h"

namespace caserelay::notification {
namespace {

absl::Status NotConfigured() {
  return absl::FailedPreconditionError(
      "notification: phone codes are not configured "
      "(phone_code.secret_path)");
}

}  // namespace

grpc::Status NotificationServiceImpl::SendPhoneCode(
    grpc::ServerContext* ctx, const caserelay::v1::SendPhoneCodeRequest* req,
    caserelay::v1::SendPhoneCodeResponse* resp) {
  if (ctx == nullptr) {
    return rpc::ToGrpc(absl::UnauthenticatedError("notification: no context"));
  }
  absl::StatusOr<rpc::Principal> caller = rpc::Caller(context_.auth, *ctx);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  // Only the portal's gateway asks for a code: anyone else could make
  // notification send SMS to any number.
  if (!caller->IsService(rpc::kWebService)) {
    return rpc::ToGrpc(absl::PermissionDeniedError(absl::StrCat(
        caller->Name(), ": only service:web asks for phone codes")));
  }
  if (phone_codes_ == nullptr) return rpc::ToGrpc(NotConfigured());
  absl::StatusOr<std::string> address = peer::ClientAddressKey(*ctx, *caller);
  if (!address.ok()) return rpc::ToGrpc(address.status());
  absl::StatusOr<SentCode> sent = phone_codes_->Send(req->phone(), *address);
  if (!sent.ok()) {
    if (auto after = sent.status().GetPayload(kRetryAfterPayload)) {
      ctx->AddTrailingMetadata(rpc::kRetryAfterMetadata, std::string(*after));
    }
    return rpc::ToGrpc(sent.status());
  }
  resp->set_challenge_id(sent->challenge_id);
  *resp->mutable_expires_at() = time::ToProto(sent->expires_at);
  *resp->mutable_resend_after() = time::ToProto(sent->resend_after);
  return grpc::Status::OK;
}

grpc::Status NotificationServiceImpl::RedeemPhoneCode(
    grpc::ServerContext* ctx, const caserelay::v1::RedeemPhoneCodeRequest* req,
    caserelay::v1::RedeemPhoneCodeResponse*) {
  if (ctx == nullptr) {
    return rpc::ToGrpc(absl::UnauthenticatedError("notification: no context"));
  }
  absl::StatusOr<rpc::Principal> caller = rpc::Caller(context_.auth, *ctx);
  if (!caller.ok()) return rpc::ToGrpc(caller.status());
  // Only intake redeems, as it accepts the petition the code proves.
  if (!caller->IsService("intake") || !caller->via.empty()) {
    return rpc::ToGrpc(absl::PermissionDeniedError(absl::StrCat(
        caller->Name(), ": only service:intake redeems phone codes")));
  }
  if (phone_codes_ == nullptr) return rpc::ToGrpc(NotConfigured());
  return rpc::ToGrpc(
      phone_codes_->Redeem(req->challenge_id(), req->phone(), req->code()));
}

}  // namespace caserelay::notification
