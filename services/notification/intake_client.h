// notification's channel to intake (身份：service:notification): intake
// answers ResolveContact only to notification's own identity (issue 14
// item 1), so notification presents it on every call, as a bearer token
// (auth.mode = token at intake) or a client certificate whose URI SAN is
// caserelay:service:notification (auth.mode = mtls), over plaintext or
// TLS (rpc::ClientAuth, common/rpc/credentials.h).
//
// Settings:
//   intake.address          intake's gRPC host:port (required)
//   intake.token_file       file holding notification's token (chmod 600)
//   intake.tls_ca_path      CA of intake's server certificate: TLS
//   intake.tls_cert_path    notification's client certificate (mTLS)
//   intake.tls_key_path     its key (chmod 600)
//   intake.tls_server_name  the name intake's certificate carries, when it
//                           is not intake.address's host
// A token file or a client certificate is required: without either,
// every send would fail with UNAUTHENTICATED, so start-up fails instead.
//
// Thread safety: stateless functions.

#ifndef CASERELAY_SERVICES_NOTIFICATION_INTAKE_CLIENT_H_
#define CASERELAY_SERVICES_NOTIFICATION_INTAKE_CLIENT_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "common/config/config.h"
#include "common/rpc/credentials.h"
#include "grpcpp/channel.h"

namespace caserelay::notification {

// The settings above, for the service's definition.
std::vector<config::Setting> IntakeClientSettings();

// The rpc::ClientAuth the settings of `cfg` describe. INVALID_ARGUMENT
// naming the settings when neither intake.token_file nor
// intake.tls_cert_path is set.
absl::StatusOr<rpc::ClientAuth> IntakeClientAuth(const config::Config& cfg);

// rpc::OfficeChannel(IntakeClientAuth(cfg)): the token file and key are
// read (and checked owner-only) now, so a bad file stops start-up; errors
// are prefixed "intake client: ".
absl::StatusOr<std::shared_ptr<grpc::Channel>> IntakeChannel(
    const config::Config& cfg);

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_INTAKE_CLIENT_H_
