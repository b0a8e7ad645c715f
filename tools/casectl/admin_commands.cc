#include "tools/casectl/admin_commands.h"

#include <string>

namespace caserelay::casectl {

namespace v1 = caserelay::v1;

absl::StatusOr<v1::BootstrapAdminRequest> BootstrapRequestOf(
    const ParsedFlags& flags, std::istream& in) {
  if (flags.positional().empty() || flags.positional()[0] != "bootstrap") {
    return absl::InvalidArgumentError("admin takes bootstrap");
  }
  v1::BootstrapAdminRequest req;
  req.set_username(flags.Value("username"));
  req.set_display_name(flags.Value("display-name"));
  if (req.username().empty()) {
    return absl::InvalidArgumentError("--username is required");
  }
  if (req.display_name().empty()) {
    return absl::InvalidArgumentError("--display-name is required");
  }
  std::string password;
  std::getline(in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) {
    return absl::InvalidArgumentError(
        "no password on stdin (give it as the first line of stdin)");
  }
  req.set_password(password);
  return req;
}

absl::Status RunAdminBootstrap(v1::AccountsService::StubInterface& accounts,
                               const v1::BootstrapAdminRequest& request,
                               const PrintOptions& options, std::ostream& out) {
  v1::User user;
  absl::Status s = Call([&](grpc::ClientContext* ctx) {
    return accounts.BootstrapAdmin(ctx, request, &user);
  });
  if (!s.ok()) return s;
  if (options.json) return PrintJson(user, out);
  out << "administrator " << user.username() << " (" << user.display_name()
      << ") of " << user.office_code()
      << (user.office_name().empty() ? "" : " " + user.office_name())
      << " created\n";
  return absl::OkStatus();
}

}  // namespace caserelay::casectl
