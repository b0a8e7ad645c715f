// The services' auth settings, checked together: which Authenticator a
// service uses and how its gRPC server speaks TLS. The keys are the
// services' common settings (common/service/service_main.cc):
//
//   auth.mode          token | mtls (required: every RPC is authenticated)
//   auth.tokens_path   tokens file (token_auth.h); required for token
//   tls.cert_path      server certificate; with tls.key_path: TLS
//   tls.key_path       its private key
//   tls.client_ca_path CA of the offices' client certificates; required
//                      for mtls, which it implies
//   tls.crl_dir        revocation lists of that CA (credentials.h); mtls
//   tls.reload_interval how often the tls.* files are read again (1m)
//
// Valid combinations: token (TLS optional, no client CA: the token is the
// proof); mtls (all three tls.*). There is no unauthenticated mode, not
// even for development (issue 14 item 1): every handler asks rpc::Caller,
// which could only answer UNAUTHENTICATED, and a switch that let calls
// through without a principal would be the very hole this closes. Local
// runs and tests use tokens (scripts/run and the integration harness make
// them), which cost nothing.
//
// Thread safety: stateless function.

#ifndef CASERELAY_COMMON_RPC_AUTH_SETTINGS_H_
#define CASERELAY_COMMON_RPC_AUTH_SETTINGS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/rpc/auth.h"
#include "common/rpc/credentials.h"

namespace caserelay::rpc {

struct ServerAuthSettings {
  std::string mode;         // auth.mode as written
  std::string tokens_path;  // auth.tokens_path
  ServerTlsFiles tls;       // tls.*
};

// Checks `settings` as a whole, loads the tokens file and reads the TLS
// files (so that a bad file stops start-up before anything else runs).
// Returns the Authenticator (never nullptr): for mode token a
// TokenFileAuthenticator, which reloads the tokens file when it changes and
// on Reload(); for mtls a MtlsAuthenticator. Fails with
// INVALID_ARGUMENT naming the settings of a bad combination, a missing,
// "none" or unknown mode; with TokenAuthenticator::Load's or
// MakeServerCredentials' status, prefixed by the setting, for a bad file. One
// line in every case.
absl::StatusOr<std::unique_ptr<Authenticator>> CreateAuthenticator(
    const ServerAuthSettings& settings);

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_AUTH_SETTINGS_H_
