#include "services/accounts/sessions.h"

#include <sodium.h>

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/digest/digest.h"

namespace caserelay::accounts {

absl::Status CheckSessionLimits(const SessionLimits& limits) {
  if (limits.idle < absl::Minutes(1) || limits.idle > absl::Hours(24)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config: accounts.session_idle ", absl::FormatDuration(limits.idle),
        " is outside [1m, 24h]"));
  }
  if (limits.max < limits.idle || limits.max > absl::Hours(24 * 7)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config: accounts.session_max ", absl::FormatDuration(limits.max),
        " is outside [accounts.session_idle, 7d]"));
  }
  return absl::OkStatus();
}

absl::Time SessionEnd(const SessionLimits& limits, const SessionTimes& t) {
  return std::min(t.last_seen_at + limits.idle, t.created_at + limits.max);
}

bool SessionLive(const SessionLimits& limits, const SessionTimes& t,
                 absl::Time now) {
  return now < SessionEnd(limits, t);
}

bool SessionNeedsTouch(const SessionTimes& t, absl::Time now) {
  return now - t.last_seen_at >= kTouchStep;
}

absl::StatusOr<std::string> NewSessionToken() {
  if (sodium_init() < 0) {
    return absl::InternalError("accounts: libsodium failed to start");
  }
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof(bytes));
  return absl::WebSafeBase64Escape(
      std::string(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

std::string TokenDigest(std::string_view token) {
  return digest::Sha256(std::string(token));
}

}  // namespace caserelay::accounts
