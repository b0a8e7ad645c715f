#include "services/notification/intake_client.h"

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace caserelay::notification {

std::vector<config::Setting> IntakeClientSettings() {
  using T = config::Setting::Type;
  return {
      {"intake.address", T::kHostPort, "", true,
       "intake's gRPC address, asked for the phone number at send time"},
      {"intake.token_file", T::kPath, "", false,
       "notification's bearer token for intake (the tokens file's "
       "service:notification line), one line, chmod 600; this or "
       "intake.tls_cert_path is required"},
      {"intake.tls_ca_path", T::kPath, "", false,
       "CA of intake's server certificate; set: the channel speaks TLS"},
      {"intake.tls_cert_path", T::kPath, "", false,
       "notification's client certificate for intake (URI SAN "
       "caserelay:service:notification; needs intake.tls_ca_path)"},
      {"intake.tls_key_path", T::kPath, "", false,
       "the key of intake.tls_cert_path, chmod 600"},
      {"intake.tls_server_name", T::kString, "", false,
       "the name intake's certificate carries, when not intake.address's "
       "host"},
  };
}

namespace {

// The path setting `key` resolved as the config resolves paths; "" unset.
std::string PathOr(const config::Config& cfg, std::string_view key) {
  return cfg.Has(key) ? cfg.GetPath(key) : std::string();
}

}  // namespace

absl::StatusOr<rpc::ClientAuth> IntakeClientAuth(const config::Config& cfg) {
  rpc::ClientAuth auth;
  auth.target = cfg.GetHostPort("intake.address").ToString();
  auth.token_file = PathOr(cfg, "intake.token_file");
  auth.tls_ca_path = PathOr(cfg, "intake.tls_ca_path");
  auth.tls_cert_path = PathOr(cfg, "intake.tls_cert_path");
  auth.tls_key_path = PathOr(cfg, "intake.tls_key_path");
  auth.tls_server_name = cfg.GetString("intake.tls_server_name");
  if (auth.token_file.empty() && auth.tls_cert_path.empty()) {
    return absl::InvalidArgumentError(
        "config: intake.token_file or intake.tls_cert_path is required: "
        "intake answers ResolveContact only to service:notification, which "
        "must prove it");
  }
  return auth;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> IntakeChannel(
    const config::Config& cfg) {
  absl::StatusOr<rpc::ClientAuth> auth = IntakeClientAuth(cfg);
  if (!auth.ok()) return auth.status();
  auto channel = rpc::OfficeChannel(*auth);
  if (!channel.ok()) {
    return absl::Status(
        channel.status().code(),
        absl::StrCat("intake client: ", channel.status().message()));
  }
  return channel;
}

}  // namespace caserelay::notification
