// casectl's command on accounts (信访工作台账号): `admin bootstrap`, which
// makes an office's first administrator of the console with the office's
// own credential (BootstrapAdmin). The password is read from stdin, never
// from the command line (argv is visible to every user of the machine and
// kept in shell histories). The parse is separate from the call, so bad
// usage sends nothing.
//
// Thread safety: functions are thread-safe; they use only the streams
// they are given.

#ifndef CASERELAY_TOOLS_CASECTL_ADMIN_COMMANDS_H_
#define CASERELAY_TOOLS_CASECTL_ADMIN_COMMANDS_H_

#include <istream>
#include <ostream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caserelay/v1/accounts.grpc.pb.h"
#include "tools/casectl/call.h"
#include "tools/casectl/flags.h"

namespace caserelay::casectl {

// The BootstrapAdminRequest of `admin bootstrap --username U
// --display-name N`, with the password from the first line of `in` (its
// line end removed). INVALID_ARGUMENT for: a first word other than
// "bootstrap" ("admin takes bootstrap"), --username or --display-name
// missing ("--username is required"), an empty password ("no password on
// stdin"). REQUIRES: flags.positional() has one word.
absl::StatusOr<caserelay::v1::BootstrapAdminRequest> BootstrapRequestOf(
    const ParsedFlags& flags, std::istream& in);

// Sends `request` and prints the new administrator ("administrator U (N)
// of OFFICE created") or, with options.json, the User. Returns the
// service's status if the call fails (FAILED_PRECONDITION when the office
// has an administrator already), having printed nothing.
absl::Status RunAdminBootstrap(
    caserelay::v1::AccountsService::StubInterface& accounts,
    const caserelay::v1::BootstrapAdminRequest& request,
    const PrintOptions& options, std::ostream& out);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_ADMIN_COMMANDS_H_
