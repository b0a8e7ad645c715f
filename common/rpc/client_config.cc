#include "common/rpc/client_config.h"

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace caserelay::rpc {
namespace {

// The path setting `key` resolved as the config resolves paths; "" unset.
std::string PathOr(const config::Config& cfg, std::string_view key) {
  return cfg.Has(key) ? cfg.GetPath(key) : std::string();
}

}  // namespace

std::vector<config::Setting> PeerClientSettings(const PeerClient& client) {
  using T = config::Setting::Type;
  const std::string& p = client.peer;
  const std::string who = absl::StrCat("service:", client.caller);
  return {
      {p + ".address", T::kHostPort, "", true,
       absl::StrCat(p, "'s gRPC address, ", client.why)},
      {p + ".token_file", T::kPath, "", false,
       absl::StrCat(client.caller, "'s bearer token for ", p,
                    " (the tokens file's ", who,
                    " line), one line, chmod 600; this or ", p,
                    ".tls_cert_path is required")},
      {p + ".tls_ca_path", T::kPath, "", false,
       absl::StrCat("CA of ", p,
                    "'s server certificate; set: the channel speaks TLS")},
      {p + ".tls_cert_path", T::kPath, "", false,
       absl::StrCat(client.caller, "'s client certificate for ", p,
                    " (URI SAN caserelay:", who, "; needs ", p,
                    ".tls_ca_path)")},
      {p + ".tls_key_path", T::kPath, "", false,
       absl::StrCat("the key of ", p, ".tls_cert_path, chmod 600")},
      {p + ".tls_server_name", T::kString, "", false,
       absl::StrCat("the name ", p, "'s certificate carries, when not ", p,
                    ".address's host")},
  };
}

absl::StatusOr<ClientAuth> PeerClientAuth(const config::Config& cfg,
                                          const PeerClient& client) {
  const std::string& p = client.peer;
  ClientAuth auth;
  auth.target = cfg.GetHostPort(p + ".address").ToString();
  auth.token_file = PathOr(cfg, p + ".token_file");
  auth.tls_ca_path = PathOr(cfg, p + ".tls_ca_path");
  auth.tls_cert_path = PathOr(cfg, p + ".tls_cert_path");
  auth.tls_key_path = PathOr(cfg, p + ".tls_key_path");
  auth.tls_server_name = cfg.GetString(p + ".tls_server_name");
  if (auth.token_file.empty() && auth.tls_cert_path.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config: ", p, ".token_file or ", p, ".tls_cert_path is required: ", p,
        " answers only callers that ",
        "prove who they are, here service:", client.caller));
  }
  return auth;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> PeerChannel(
    const config::Config& cfg, const PeerClient& client) {
  absl::StatusOr<ClientAuth> auth = PeerClientAuth(cfg, client);
  if (!auth.ok()) return auth.status();
  auto channel = OfficeChannel(*auth);
  if (!channel.ok()) {
    return absl::Status(
        channel.status().code(),
        absl::StrCat(client.peer, " client: ", channel.status().message()));
  }
  return channel;
}

}  // namespace caserelay::rpc
