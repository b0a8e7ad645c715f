#include "common/rpc/auth_settings.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/mtls_auth.h"
#include "common/rpc/token_file_auth.h"

namespace caserelay::rpc {
namespace {

absl::Status Prefixed(absl::string_view prefix, const absl::Status& s) {
  return absl::Status(s.code(), absl::StrCat(prefix, ": ", s.message()));
}

absl::Status CheckCombination(const ServerAuthSettings& s) {
  const ServerTlsFiles& tls = s.tls;
  if (s.mode.empty() || s.mode == "none") {
    return absl::InvalidArgumentError(
        "auth.mode: every RPC is authenticated, so a service does not run "
        "without it (there is no auth.mode = none); set auth.mode = token "
        "with auth.tokens_path, or auth.mode = mtls with tls.*");
  }
  if (s.mode != "token" && s.mode != "mtls") {
    return absl::InvalidArgumentError(
        absl::StrCat("auth.mode: \"", s.mode, "\" is not one of token, mtls"));
  }
  if (tls.cert_path.empty() != tls.key_path.empty()) {
    return absl::InvalidArgumentError(
        "tls.cert_path and tls.key_path go together: set both or neither");
  }
  if (!tls.client_ca_path.empty() && tls.cert_path.empty()) {
    return absl::InvalidArgumentError(
        "tls.client_ca_path needs tls.cert_path and tls.key_path");
  }
  if (s.mode == "token" && s.tokens_path.empty()) {
    return absl::InvalidArgumentError(
        "auth.tokens_path: required when auth.mode = token");
  }
  if (s.mode != "token" && !s.tokens_path.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("auth.tokens_path is set but auth.mode = ", s.mode,
                     ": set auth.mode = token or remove auth.tokens_path"));
  }
  if (s.mode == "mtls" && tls.client_ca_path.empty()) {
    return absl::InvalidArgumentError(
        "auth.mode = mtls needs tls.cert_path, tls.key_path and "
        "tls.client_ca_path");
  }
  if (s.mode != "mtls" && !tls.client_ca_path.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tls.client_ca_path is set but auth.mode = ", s.mode,
        ": client certificates would be required but not used; set "
        "auth.mode = mtls or remove tls.client_ca_path"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Authenticator>> CreateAuthenticator(
    const ServerAuthSettings& settings) {
  absl::Status combination = CheckCombination(settings);
  if (!combination.ok()) return combination;
  auto credentials = MakeServerCredentials(settings.tls);
  if (!credentials.ok()) return Prefixed("tls", credentials.status());
  if (settings.mode == "token") {
    auto tokens = TokenFileAuthenticator::Create(settings.tokens_path);
    if (!tokens.ok()) return Prefixed("auth.tokens_path", tokens.status());
    return std::unique_ptr<Authenticator>(*std::move(tokens));
  }
  return std::unique_ptr<Authenticator>(MtlsAuthenticator::Create());
}

}  // namespace caserelay::rpc
