// Console sessions (会话), the pure part: the token a browser holds, the
// digest accounts keeps instead of it, and when a session ends.
//
// A session ends at the earlier of `idle` after its last request (sliding:
// each Authenticate moves it) and `max` after login (absolute), and at
// once when it is ended (logout), its user disabled, or the password reset.
// To spare a disk write per request, the last request is written only when
// it moved by kTouchStep or more: a session may end up to kTouchStep
// earlier than idle after the very last request, never later.
//
// Thread safety: stateless functions and plain values.

#ifndef CASERELAY_SERVICES_ACCOUNTS_SESSIONS_H_
#define CASERELAY_SERVICES_ACCOUNTS_SESSIONS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caserelay::accounts {

struct SessionLimits {
  absl::Duration idle = absl::Minutes(15);  // accounts.session_idle
  absl::Duration max = absl::Hours(8);      // accounts.session_max
};

inline constexpr absl::Duration kTouchStep = absl::Seconds(30);

// OK when idle is in [1m, 24h] and max in [idle, 7d]; else
// INVALID_ARGUMENT naming the setting.
absl::Status CheckSessionLimits(const SessionLimits& limits);

struct SessionTimes {
  absl::Time created_at;
  absl::Time last_seen_at;
};

// When the session ends if nothing ends it sooner.
absl::Time SessionEnd(const SessionLimits& limits, const SessionTimes& t);

// True while the session is live at `now` (now < SessionEnd).
bool SessionLive(const SessionLimits& limits, const SessionTimes& t,
                 absl::Time now);

// True when a request at `now` should write the session's last request.
bool SessionNeedsTouch(const SessionTimes& t, absl::Time now);

// A new session token: 32 random bytes (libsodium's randombytes_buf),
// base64url without padding (43 characters). INTERNAL if libsodium
// fails to start.
absl::StatusOr<std::string> NewSessionToken();

// The key a token is kept under: its SHA-256 (raw, 32 bytes).
std::string TokenDigest(std::string_view token);

}  // namespace caserelay::accounts

#endif  // CASERELAY_SERVICES_ACCOUNTS_SESSIONS_H_
