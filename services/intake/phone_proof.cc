#include "services/intake/phone_proof.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/rpc/client_config.h"
#include "grpcpp/grpcpp.h"

namespace caserelay::intake {
namespace {

const rpc::PeerClient& NotificationClient() {
  static const auto* const kClient = new rpc::PeerClient{
      "notification", "intake",
      "asked to redeem an online petition's phone code (phone_proof); "
      "unset: no online petition is accepted"};
  return *kClient;
}

}  // namespace

absl::Status NotificationPhoneProofs::Redeem(
    const caserelay::v1::PhoneProof& proof, std::string_view phone) {
  caserelay::v1::RedeemPhoneCodeRequest req;
  req.set_challenge_id(proof.challenge_id());
  req.set_code(proof.code());
  req.set_phone(std::string(phone));
  caserelay::v1::RedeemPhoneCodeResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
  // A notification restarting (or its channel between reconnects) is
  // waited for within the deadline rather than refused at once.
  ctx.set_wait_for_ready(true);
  grpc::Status s = stub_->RedeemPhoneCode(&ctx, req, &resp);
  switch (s.error_code()) {
    case grpc::StatusCode::OK:
      return absl::OkStatus();
    case grpc::StatusCode::INVALID_ARGUMENT:
      return absl::InvalidArgumentError(s.error_message());
    case grpc::StatusCode::FAILED_PRECONDITION:
      return absl::FailedPreconditionError(s.error_message());
    default:
      return absl::UnavailableError(absl::StrCat(
          "phone_proof: notification could not redeem the code (",
          static_cast<int>(s.error_code()), ": ", s.error_message(),
          "); nothing was accepted, try again"));
  }
}

std::vector<config::Setting> PhoneProofSettings() {
  std::vector<config::Setting> settings =
      rpc::PeerClientSettings(NotificationClient());
  for (config::Setting& s : settings) {
    if (s.key == "notification.address") s.required = false;
  }
  settings.push_back({"notification.deadline", config::Setting::Type::kDuration,
                      "2s", false,
                      "deadline of each RedeemPhoneCode call (100ms..30s)"});
  return settings;
}

absl::StatusOr<std::unique_ptr<PhoneProofs>> PhoneProofsFromConfig(
    const config::Config& cfg) {
  if (!cfg.Has("notification.address")) return nullptr;
  const absl::Duration deadline = cfg.GetDuration("notification.deadline");
  if (deadline < absl::Milliseconds(100) || deadline > absl::Seconds(30)) {
    return absl::InvalidArgumentError(
        "config: notification.deadline must be within 100ms..30s");
  }
  auto channel = rpc::PeerChannel(cfg, NotificationClient());
  if (!channel.ok()) return channel.status();
  return std::make_unique<NotificationPhoneProofs>(
      caserelay::v1::NotificationService::NewStub(*channel), deadline);
}

}  // namespace caserelay::intake
