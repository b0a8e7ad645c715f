#include "services/notification/intake_client.h"

#include "common/rpc/client_config.h"

namespace caserelay::notification {
namespace {

// The one shape of a service's channel to a peer (common/rpc/client_config.h).
const rpc::PeerClient& IntakeClient() {
  static const auto* const kClient = new rpc::PeerClient{
      "intake", "notification", "asked for the phone number at send time"};
  return *kClient;
}

}  // namespace

std::vector<config::Setting> IntakeClientSettings() {
  return rpc::PeerClientSettings(IntakeClient());
}

absl::StatusOr<rpc::ClientAuth> IntakeClientAuth(const config::Config& cfg) {
  return rpc::PeerClientAuth(cfg, IntakeClient());
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> IntakeChannel(
    const config::Config& cfg) {
  return rpc::PeerChannel(cfg, IntakeClient());
}

}  // namespace caserelay::notification
