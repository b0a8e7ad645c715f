// Transport credentials on both ends of an office's call (传输安全):
// the services' TLS server credentials, and the channel that casectl and
// tests open as an office, with a bearer token, a client certificate, or
// neither.
//
// Thread safety: stateless functions; the returned credentials and channels
// are gRPC's, safe to share between threads.

#ifndef CASERELAY_COMMON_RPC_CREDENTIALS_H_
#define CASERELAY_COMMON_RPC_CREDENTIALS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/server_credentials.h"

namespace caserelay::rpc {

// PEM files of a TLS server (settings tls.*). All empty: plaintext.
struct ServerTlsFiles {
  std::string cert_path;  // the server's certificate (chain), leaf first
  std::string key_path;   // its private key
  // CA certificates that sign the offices' client certificates. Set: every
  // client must present a certificate that verifies against them, or the
  // handshake fails. Empty: clients are not asked for one.
  std::string client_ca_path;

  bool empty() const {
    return cert_path.empty() && key_path.empty() && client_ca_path.empty();
  }
};

// grpc::InsecureServerCredentials() when `files` is empty; else
// grpc::SslServerCredentials with the server's certificate and key and,
// when client_ca_path is set, GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE
// _AND_VERIFY against it (GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
// otherwise). Fails with:
// - INVALID_ARGUMENT: cert_path without key_path or the reverse,
//   client_ca_path without them, a file that holds no PEM certificate /
//   private key, or a key that does not belong to the certificate;
// - the codes of ReadSmallFile for a file that cannot be read; the key
//   file must be owner-only (FAILED_PRECONDITION with the chmod otherwise).
// Messages name the file's role and path.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const ServerTlsFiles& files);

// How a client reaches a service and proves its office.
struct ClientAuth {
  std::string target;  // host:port of the service

  // A bearer token (token_auth.h), sent as `authorization: Bearer <token>`
  // on every call of the channel; or the path of a file holding it (one
  // line; chmod 600). At most one of the two.
  std::string token;
  std::string token_file;

  // Set: TLS, the server's certificate verified against these CA
  // certificates. Empty: plaintext (then no client certificate either).
  std::string tls_ca_path;
  // The office's client certificate and its key (mTLS); both or neither.
  std::string tls_cert_path;
  std::string tls_key_path;
  // The name the server's certificate must carry when it is not the
  // target's host (e.g. target 10.0.0.5:7001, certificate for
  // routing.caserelay.internal).
  std::string tls_server_name;
};

// A channel to auth.target with the credentials `auth` describes; it does
// not connect until the first call. Fails with INVALID_ARGUMENT for an
// empty target, token and token_file both set, a token that is not
// printable ASCII without spaces, a client certificate without a CA,
// tls_cert_path without tls_key_path or the reverse, or PEM files that do
// not parse or match; with ReadSmallFile's codes for files that cannot be
// read (token_file and tls_key_path must be owner-only).
absl::StatusOr<std::shared_ptr<grpc::Channel>> OfficeChannel(
    const ClientAuth& auth);

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_CREDENTIALS_H_
