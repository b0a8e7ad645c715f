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
#include "absl/time/time.h"
#include "common/rpc/tls_stage.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/server_credentials.h"

namespace caserelay::rpc {

// PEM files of a TLS server (settings tls.*). All empty: plaintext.
// They are checked again every reload_interval and new connections are
// served with what changed and passed (a running connection keeps what it
// was made with); see MakeServerCredentials.
struct ServerTlsFiles {
  std::string cert_path;  // the server's certificate (chain), leaf first
  std::string key_path;   // its private key
  // CA certificates that sign the offices' client certificates. Set: every
  // client must present a certificate that verifies against them, or the
  // handshake fails. Empty: clients are not asked for one.
  std::string client_ca_path;
  // A directory of certificate revocation lists (吊销列表) of those CAs,
  // PEM, named <issuer hash>.r<n> (`openssl rehash <dir>`). Set (needs
  // client_ca_path): a client certificate a CRL lists is refused in the
  // handshake. Empty: no revocation check. Any change of the directory
  // (a CRL added, overwritten or removed) is read like the files above.
  std::string crl_dir = {};
  // How often the files above are read again; 1 s to 24 h, whole seconds.
  absl::Duration reload_interval = absl::Minutes(1);

  bool empty() const {
    return cert_path.empty() && key_path.empty() && client_ca_path.empty() &&
           crl_dir.empty();
  }
};

// The shortest and longest reload_interval (and ClientAuth's).
inline constexpr absl::Duration kMinReloadInterval = absl::Seconds(1);
inline constexpr absl::Duration kMaxReloadInterval = absl::Hours(24);

// What a server needs while it serves: its credentials and, for TLS, the
// TlsStage that keeps the files they read (nullptr for plaintext).
struct ServerTls {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  std::unique_ptr<TlsStage> stage;
};

// grpc::InsecureServerCredentials() when `files` is empty. Otherwise the
// files are read and checked now, and the credentials are gRPC's TLS
// credentials over a FileWatcherCertificateProvider reading a TlsStage
// (tls_stage.h) that checks the files again every reload_interval: a
// renewed certificate and key, client CA or CRL serve the next handshake
// after that (the stage is read every second); files that fail the checks
// leave the ones in use, with an error line. With client_ca_path, clients
// must present a certificate that verifies against it
// (GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY); with
// crl_dir, one a CRL of its CA lists is refused in the handshake. Fails
// with:
// - INVALID_ARGUMENT: cert_path without key_path or the reverse,
//   client_ca_path or crl_dir without them, crl_dir without
//   client_ca_path, reload_interval out of range or not whole seconds, a
//   file that holds no PEM certificate / private key, a key that does not
//   belong to the certificate, or a CRL directory CheckCrlDir refuses;
// - the codes of ReadSmallFile for a file that cannot be read; the key
//   file must be owner-only (FAILED_PRECONDITION with the chmod otherwise).
// - INTERNAL / UNAVAILABLE: the stage's private files cannot be written.
// Messages name the file's role and path.
absl::StatusOr<ServerTls> MakeServerCredentials(const ServerTlsFiles& files);

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
  // How often the CA, certificate and key files are read again for the
  // channel's next connection (a renewed client certificate is used
  // without restarting a long-running client); 1 s to 24 h, whole seconds.
  absl::Duration tls_reload_interval = absl::Minutes(1);
};

// A channel to auth.target with the credentials `auth` describes; it does
// not connect until the first call. Fails with INVALID_ARGUMENT for an
// empty target, token and token_file both set, a token that is not
// printable ASCII without spaces, a client certificate without a CA,
// tls_cert_path without tls_key_path or the reverse, tls_reload_interval
// out of range, or PEM files that do not parse or match; with
// ReadSmallFile's codes for files that cannot be read (token_file and
// tls_key_path must be owner-only). With TLS the channel uses gRPC's TLS
// credentials over a FileWatcherCertificateProvider reading a TlsStage
// the channel keeps, so a connection made after a renewal presents the
// new certificate (checked as here first).
absl::StatusOr<std::shared_ptr<grpc::Channel>> OfficeChannel(
    const ClientAuth& auth);

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_CREDENTIALS_H_
