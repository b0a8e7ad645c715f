// Where casectl's services are and how it proves its office: the global
// flags, else the environment, else the endpoints files scripts/run writes.
//
// Thread safety: functions read the environment and files; thread-safe as
// long as nothing changes the environment meanwhile.

#ifndef CASERELAY_TOOLS_CASECTL_CONNECT_H_
#define CASERELAY_TOOLS_CASECTL_CONNECT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/rpc/credentials.h"
#include "tools/casectl/cli.h"

namespace caserelay::casectl {

// The directory whose <service>.endpoints files scripts/run writes,
// relative to the working directory.
inline constexpr char kRunDir[] = "run";

// The address of `service` ("intake", "routing", "supervision",
// "notification" or "accounts"): `flag` if not empty, else $CASERELAY_<SERVICE> if set and
// not empty, else the grpc= line of `run_dir`/<service>.endpoints.
// INVALID_ARGUMENT naming the flag, the variable and the file when none gives
// one.
absl::StatusOr<std::string> ServiceAddress(absl::string_view service,
                                           absl::string_view flag,
                                           absl::string_view run_dir = kRunDir);

// How to reach routing as an office: the address as above; the token file
// from --token-file, else $CASERELAY_TOKEN_FILE; the TLS files from the
// flags. Files are not read here (rpc::OfficeChannel does). Errors: those
// of ServiceAddress; INVALID_ARGUMENT for --tls-cert or --tls-key without
// the other, or without --tls-ca.
absl::StatusOr<rpc::ClientAuth> RoutingAuth(const GlobalOptions& global);

// How to reach supervision as an office: as RoutingAuth, with --supervision,
// $CASERELAY_SUPERVISION or `run`/supervision.endpoints for the address.
absl::StatusOr<rpc::ClientAuth> SupervisionAuth(const GlobalOptions& global);

// How to reach notification as an office: as RoutingAuth, with
// --notification, $CASERELAY_NOTIFICATION or `run`/notification.endpoints
// for the address.
absl::StatusOr<rpc::ClientAuth> NotificationAuth(const GlobalOptions& global);

// How to reach statistics as an office: as RoutingAuth, with --statistics,
// $CASERELAY_STATISTICS or `run`/statistics.endpoints for the address.
absl::StatusOr<rpc::ClientAuth> StatisticsAuth(const GlobalOptions& global);

// How to reach accounts as an office (admin bootstrap): as RoutingAuth,
// with --accounts, $CASERELAY_ACCOUNTS or `run`/accounts.endpoints for the
// address.
absl::StatusOr<rpc::ClientAuth> AccountsAuth(const GlobalOptions& global);

// How to reach intake as an office: as RoutingAuth, with --intake,
// $CASERELAY_INTAKE or `run`/intake.endpoints for the address (every RPC
// of every service is authenticated, issue 14).
absl::StatusOr<rpc::ClientAuth> IntakeAuth(const GlobalOptions& global);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_CONNECT_H_
