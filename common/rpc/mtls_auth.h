// Client certificates for production (证书认证): the server verifies each
// office's certificate against the client CA during the TLS handshake
// (ServerTlsFiles.client_ca_path, credentials.h), and MtlsAuthenticator
// reads the office code from the verified certificate:
// - a URI subject alternative name `caserelay:office:<office code>` if the
//   certificate has one (exactly one such name; two are refused);
// - else the subject's common name, when it is an office code.
//
// Sound only behind a server that verifies client certificates
// (MakeServerCredentials with client_ca_path; CreateAuthenticator refuses
// mtls without it): gRPC reports a peer as authenticated and fills in its
// names even when the server was told not to verify, so this class cannot
// tell a verified certificate from a self-made one.
//
// gRPC 1.51 exposes the verified peer's names on the call's AuthContext as
// "peer_uri" (URI SANs only) and "x509_common_name"; the authenticator reads
// no other property, so a DNS or e-mail name cannot pose as an office.

#ifndef CASERELAY_COMMON_RPC_MTLS_AUTH_H_
#define CASERELAY_COMMON_RPC_MTLS_AUTH_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/rpc/auth.h"

namespace caserelay::rpc {

// The URI SAN prefix naming an office: "caserelay:office:140431:bureau".
inline constexpr char kOfficeUriPrefix[] = "caserelay:office:";

// Thread safety: stateless; thread-safe.
class MtlsAuthenticator final : public Authenticator {
 public:
  static std::unique_ptr<MtlsAuthenticator> Create();

  // The office named by the call's verified client certificate.
  // UNAUTHENTICATED when the call did not come over TLS with a verified
  // client certificate (a server without a client CA), when the
  // certificate has two office URIs or one that is not an office code, or
  // when it has none and its common name is not an office code.
  absl::StatusOr<std::string> OfficeOf(
      const grpc::ServerContext& ctx) const override;

 private:
  MtlsAuthenticator() = default;
};

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_MTLS_AUTH_H_
