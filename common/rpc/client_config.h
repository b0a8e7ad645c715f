// The settings of one service's channel to another (对端服务的连接配置),
// read the same way wherever a service calls a peer as its own identity:
// notification calls intake as service:notification, the web gateway calls
// all four services as service:web. For a peer named <peer> the settings
// are:
//   <peer>.address          the peer's gRPC host:port (required)
//   <peer>.token_file       the caller's bearer token (chmod 600)
//   <peer>.tls_ca_path      CA of the peer's server certificate: TLS
//   <peer>.tls_cert_path    the caller's client certificate (mTLS)
//   <peer>.tls_key_path     its key (chmod 600)
//   <peer>.tls_server_name  the name the peer's certificate carries, when
//                           it is not <peer>.address's host
// A token file or a client certificate is required: a peer answers no
// unauthenticated call (common/rpc/auth.h), so start-up fails instead.
//
// Thread safety: stateless functions.

#ifndef CASERELAY_COMMON_RPC_CLIENT_CONFIG_H_
#define CASERELAY_COMMON_RPC_CLIENT_CONFIG_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/config/config.h"
#include "common/rpc/credentials.h"
#include "grpcpp/channel.h"

namespace caserelay::rpc {

// Who calls whom, for the settings' help texts.
struct PeerClient {
  std::string peer;    // "intake": the settings' prefix
  std::string caller;  // "notification": the caller's service:<name>
  std::string why;     // what the caller asks the peer, for --help
};

// The settings above for `client`, to add to the caller's schema.
std::vector<config::Setting> PeerClientSettings(const PeerClient& client);

// The rpc::ClientAuth the settings of `cfg` describe for `client.peer`.
// INVALID_ARGUMENT naming the settings when neither <peer>.token_file nor
// <peer>.tls_cert_path is set. REQUIRES: PeerClientSettings(client) are in
// the schema `cfg` was loaded with.
absl::StatusOr<ClientAuth> PeerClientAuth(const config::Config& cfg,
                                          const PeerClient& client);

// OfficeChannel(PeerClientAuth(cfg, client)): the token file and key are
// read (and checked owner-only) now, so a bad file stops start-up; errors
// are prefixed "<peer> client: ".
absl::StatusOr<std::shared_ptr<grpc::Channel>> PeerChannel(
    const config::Config& cfg, const PeerClient& client);

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_CLIENT_CONFIG_H_
