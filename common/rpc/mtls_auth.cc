#include "common/rpc/mtls_auth.h"

#include <grpc/grpc_security_constants.h>

#include <optional>
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

absl::StatusOr<Principal> PrincipalOfCertificate(
    const std::vector<absl::string_view>& uri_sans,
    absl::string_view common_name) {
  std::optional<Principal> from_uri;
  for (absl::string_view value : uri_sans) {
    std::optional<Principal> named;
    if (absl::StartsWith(value, kOfficeUriPrefix)) {
      absl::string_view code = value.substr(sizeof(kOfficeUriPrefix) - 1);
      if (!IsOfficeCode(code)) {
        return absl::UnauthenticatedError(absl::StrCat(
            "client certificate URI \"", value, "\" names no office code"));
      }
      named = Principal::Office(std::string(code));
    } else if (absl::StartsWith(value, kServiceUriPrefix)) {
      absl::string_view name = value.substr(sizeof(kServiceUriPrefix) - 1);
      if (!IsServiceName(name)) {
        return absl::UnauthenticatedError(absl::StrCat(
            "client certificate URI \"", value, "\" names no service"));
      }
      named = Principal::Service(std::string(name));
    } else {
      continue;
    }
    if (from_uri.has_value() && *from_uri != *named) {
      return absl::UnauthenticatedError(absl::StrCat(
          "client certificate names two principals: ", from_uri->Name(),
          " and ", named->Name()));
    }
    from_uri = std::move(named);
  }
  if (from_uri.has_value()) {
    // A CN that names a principal (an office code, a service) is no person.
    if (IsPersonLabel(common_name) && !IsOfficeCode(common_name) &&
        !IsServiceName(common_name) && common_name != from_uri->Name()) {
      from_uri->person = std::string(common_name);
    }
    return *std::move(from_uri);
  }
  if (IsOfficeCode(common_name)) {
    return Principal::Office(std::string(common_name));
  }
  return absl::UnauthenticatedError(
      absl::StrCat("client certificate names no principal: no URI SAN ",
                   kOfficeUriPrefix, "<office code> or ", kServiceUriPrefix,
                   "<service> and its common name \"", common_name,
                   "\" is not an office code"));
}

absl::StatusOr<Principal> MtlsAuthenticator::PrincipalOf(
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
  std::vector<grpc::string_ref> cn =
      auth->FindPropertyValues(GRPC_X509_CN_PROPERTY_NAME);
  std::vector<absl::string_view> uris;
  for (const grpc::string_ref& uri :
       auth->FindPropertyValues(GRPC_PEER_URI_PROPERTY_NAME)) {
    uris.push_back(View(uri));
  }
  return PrincipalOfCertificate(
      uris, cn.size() == 1 ? View(cn[0]) : absl::string_view());
}

}  // namespace caserelay::rpc
