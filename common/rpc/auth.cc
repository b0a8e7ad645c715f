#include "common/rpc/auth.h"

#include "absl/status/status.h"

namespace caserelay::rpc {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

}  // namespace

bool IsOfficeCode(absl::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  size_t colon = code.find(':');
  if (colon == absl::string_view::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    if (!IsDigit(code[i])) return false;
  }
  absl::string_view unit = code.substr(colon + 1);
  if (unit.empty() || !IsLower(unit[0])) return false;
  for (char c : unit) {
    if (!(IsLower(c) || IsDigit(c) || c == '_' || c == '-')) return false;
  }
  return true;
}

absl::StatusOr<std::string> CallerOffice(const Authenticator* auth,
                                         const grpc::ServerContext& ctx) {
  if (auth == nullptr) {
    return absl::UnauthenticatedError(
        "this service runs with auth.mode = none and cannot tell which "
        "office calls; set auth.mode to token or mtls");
  }
  return auth->OfficeOf(ctx);
}

}  // namespace caserelay::rpc
