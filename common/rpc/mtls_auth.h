// Client certificates for production (证书认证): the server verifies each
// caller's certificate against the client CA during the TLS handshake
// (ServerTlsFiles.client_ca_path, credentials.h), and MtlsAuthenticator
// reads the principal (principal.h) from the verified certificate:
// - a URI subject alternative name `caserelay:office:<office code>` or
//   `caserelay:service:<service name>` if the certificate has one (names
//   of two different principals are refused, also an office and a
//   service); the subject's common name, when it is a person's label and
//   names no principal (not an office code, a service name or
//   service:<name>), is the person (a certificate issued to 王五 of
//   140431:bureau);
// - else the subject's common name, when it is an office code (no
//   person). A service's identity needs its URI: a server certificate
//   whose CN is "routing" names nobody.
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
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/rpc/auth.h"
#include "common/rpc/principal.h"

namespace caserelay::rpc {

// The URI SAN prefix naming an office: "caserelay:office:140431:bureau".
inline constexpr char kOfficeUriPrefix[] = "caserelay:office:";
// The URI SAN prefix naming a service: "caserelay:service:notification".
inline constexpr char kServiceUriPrefix[] = "caserelay:service:";

// The principal a verified certificate names by its URI SANs `uri_sans`
// (every one; other schemes are skipped) and its subject common name
// `common_name` ("" if none or several), by the rules above.
// UNAUTHENTICATED saying why when it names none, two, or a bad one.
absl::StatusOr<Principal> PrincipalOfCertificate(
    const std::vector<absl::string_view>& uri_sans,
    absl::string_view common_name);

// Thread safety: stateless; thread-safe.
class MtlsAuthenticator final : public Authenticator {
 public:
  static std::unique_ptr<MtlsAuthenticator> Create();

  // The principal named by the call's verified client certificate.
  // UNAUTHENTICATED when the call did not come over TLS with a verified
  // client certificate (a server without a client CA), when the
  // certificate's URIs name two principals or one that is not an office
  // code / service name, or when it has none and its common name is not
  // an office code.
  absl::StatusOr<Principal> PrincipalOf(
      const grpc::ServerContext& ctx) const override;

 private:
  MtlsAuthenticator() = default;
};

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_MTLS_AUTH_H_
