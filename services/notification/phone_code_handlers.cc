// NotificationServiceImpl's phone-code RPCs (issue 15 item 2): thin
// adapters over PhoneCodeBook (phone_codes.h), which decides and keeps.

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/peer/client_address.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/rpc/forwarder.h"
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
  absl::StatusOr<SentCode> sent;
  if (context_.partitions != nullptr && rpc::WasForwarded(*ctx)) {
    // Passed on by the instance the portal reached, which asked the
    // per-address throttle (instance-local) and counts it.
    sent = phone_codes_->SendForwarded(req->phone());
  } else {
    absl::StatusOr<std::string> address =
        peer::ClientAddressKey(*ctx, *caller);
    if (!address.ok()) return rpc::ToGrpc(address.status());
    absl::StatusOr<std::string> key =
        context_.partitions == nullptr
            ? absl::StatusOr<std::string>(absl::NotFoundError("one instance"))
            : phone_codes_->PartitionKey(req->phone());
    std::optional<grpc::Status> forwarded;
    if (key.ok()) {
      // Several instances: the phone's records are with the owner of its
      // partition; this instance's own address budget is asked first and
      // counted once the owner sent the code.
      absl::Status budget = phone_codes_->CheckAddress(*address);
      if (!budget.ok()) {
        sent = budget;
      } else {
        forwarded = ForwardPhoneCode(ctx, *key, req, resp, nullptr, nullptr);
      }
    }
    if (forwarded.has_value()) {
      if (forwarded->ok()) {
        if (absl::Status s = phone_codes_->CountAddress(*address); !s.ok()) {
          log::Warn("phone code sent but its client address not counted",
                    {{"error", std::string(s.message())}});
        }
      }
      return *forwarded;
    }
    if (sent.ok() || !absl::IsResourceExhausted(sent.status())) {
      sent = phone_codes_->Send(req->phone(), *address);
    }
  }
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
    caserelay::v1::RedeemPhoneCodeResponse* resp) {
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
  if (context_.partitions != nullptr) {
    // The challenge is kept in the partition of its phone (a malformed
    // phone is refused here, by Redeem).
    absl::StatusOr<std::string> key = phone_codes_->PartitionKey(req->phone());
    if (key.ok()) {
      if (auto forwarded =
              ForwardPhoneCode(ctx, *key, nullptr, nullptr, req, resp)) {
        return *forwarded;
      }
    }
  }
  return rpc::ToGrpc(
      phone_codes_->Redeem(req->challenge_id(), req->phone(), req->code()));
}

}  // namespace caserelay::notification
