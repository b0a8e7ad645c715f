#include "tools/casectl/connect.h"

#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/file/file.h"

namespace caserelay::casectl {

namespace {

std::string Env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value == nullptr ? "" : value;
}

}  // namespace

absl::StatusOr<std::string> ServiceAddress(absl::string_view service,
                                           absl::string_view flag,
                                           absl::string_view run_dir) {
  if (!flag.empty()) return std::string(flag);
  const std::string var =
      absl::StrCat("CASERELAY_", absl::AsciiStrToUpper(service));
  if (std::string env = Env(var); !env.empty()) return env;
  const std::string file = absl::StrCat(run_dir, "/", service, ".endpoints");
  absl::StatusOr<std::string> address = file::ReadKeyValue(file, "grpc");
  if (address.ok() && !address->empty()) return address;
  return absl::InvalidArgumentError(absl::StrCat(
      "no ", service, " address: give --", service, " HOST:PORT, set $", var,
      ", or start scripts/run (it writes ", file, ")"));
}

namespace {

// An office's way to `service` (routing, supervision, notification): its
// address, the token file and the TLS files.
absl::StatusOr<rpc::ClientAuth> OfficeAuth(absl::string_view service,
                                           absl::string_view flag,
                                           const GlobalOptions& global) {
  rpc::ClientAuth auth;
  absl::StatusOr<std::string> target = ServiceAddress(service, flag);
  if (!target.ok()) return target.status();
  auth.target = *target;
  auth.token_file = global.token_file.empty() ? Env("CASERELAY_TOKEN_FILE")
                                              : global.token_file;
  if (global.tls_cert.empty() != global.tls_key.empty()) {
    return absl::InvalidArgumentError(
        "--tls-cert and --tls-key go together: give both or neither");
  }
  if (!global.tls_cert.empty() && global.tls_ca.empty()) {
    return absl::InvalidArgumentError(
        "--tls-cert needs --tls-ca (the CA of the service's certificate)");
  }
  auth.tls_ca_path = global.tls_ca;
  auth.tls_cert_path = global.tls_cert;
  auth.tls_key_path = global.tls_key;
  auth.tls_server_name = global.tls_server_name;
  return auth;
}

}  // namespace

absl::StatusOr<rpc::ClientAuth> RoutingAuth(const GlobalOptions& global) {
  return OfficeAuth("routing", global.routing, global);
}

absl::StatusOr<rpc::ClientAuth> SupervisionAuth(const GlobalOptions& global) {
  return OfficeAuth("supervision", global.supervision, global);
}

absl::StatusOr<rpc::ClientAuth> NotificationAuth(const GlobalOptions& global) {
  return OfficeAuth("notification", global.notification, global);
}

absl::StatusOr<rpc::ClientAuth> StatisticsAuth(const GlobalOptions& global) {
  return OfficeAuth("statistics", global.statistics, global);
}

absl::StatusOr<rpc::ClientAuth> AccountsAuth(const GlobalOptions& global) {
  return OfficeAuth("accounts", global.accounts, global);
}

absl::StatusOr<rpc::ClientAuth> IntakeAuth(const GlobalOptions& global) {
  // Every RPC is authenticated (issue 14): an office registers petitions
  // and looks them up with the same credentials as anywhere else.
  return OfficeAuth("intake", global.intake, global);
}

}  // namespace caserelay::casectl
