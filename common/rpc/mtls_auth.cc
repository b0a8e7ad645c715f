#include "common/rpc/mtls_auth.h"

#include <grpc/grpc_security_constants.h>

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "grpcpp/security/auth_context.h"

namespace caserelay::rpc {
namespace {

absl::string_view View(const grpc::string_ref& ref) {
  return absl::string_view(ref.data(), ref.size());
}

}  // namespace

std::unique_ptr<MtlsAuthenticator> MtlsAuthenticator::Create() {
  return std::unique_ptr<MtlsAuthenticator>(new MtlsAuthenticator());
}

absl::StatusOr<std::string> MtlsAuthenticator::OfficeOf(
    const grpc::ServerContext& ctx) const {
  std::shared_ptr<const grpc::AuthContext> auth = ctx.auth_context();
  std::vector<grpc::string_ref> transport =
      auth == nullptr ? std::vector<grpc::string_ref>{}
                      : auth->FindPropertyValues(
                            GRPC_TRANSPORT_SECURITY_TYPE_PROPERTY_NAME);
  if (auth == nullptr || !auth->IsPeerAuthenticated() ||
      transport.size() != 1 ||
      (View(transport[0]) != GRPC_SSL_TRANSPORT_SECURITY_TYPE &&
       View(transport[0]) != GRPC_TLS_TRANSPORT_SECURITY_TYPE)) {
    return absl::UnauthenticatedError(
        "no verified client certificate on the call (the server needs TLS "
        "with tls.client_ca_path for auth.mode = mtls)");
  }

  std::string from_uri;
  for (const grpc::string_ref& uri :
       auth->FindPropertyValues(GRPC_PEER_URI_PROPERTY_NAME)) {
    absl::string_view value = View(uri);
    if (!absl::StartsWith(value, kOfficeUriPrefix)) continue;
    absl::string_view code = value.substr(sizeof(kOfficeUriPrefix) - 1);
    if (!IsOfficeCode(code)) {
      return absl::UnauthenticatedError(absl::StrCat(
          "client certificate URI \"", value, "\" names no office code"));
    }
    if (!from_uri.empty() && from_uri != code) {
      return absl::UnauthenticatedError(absl::StrCat(
          "client certificate names two offices: ", from_uri, " and ", code));
    }
    from_uri = std::string(code);
  }
  if (!from_uri.empty()) return from_uri;

  std::vector<grpc::string_ref> cn =
      auth->FindPropertyValues(GRPC_X509_CN_PROPERTY_NAME);
  if (cn.size() == 1 && IsOfficeCode(View(cn[0]))) {
    return std::string(View(cn[0]));
  }
  return absl::UnauthenticatedError(
      absl::StrCat("client certificate names no office: no URI SAN ",
                   kOfficeUriPrefix, "<office code> and its common name \"",
                   cn.size() == 1 ? View(cn[0]) : absl::string_view(),
                   "\" is not an office code"));
}

}  // namespace caserelay::rpc
