// The rules of login throttling (登录限制), pure: no store, no clock.
// accounts counts failed logins per username and per client address
// (common/peer/client_address.h); each has a LockRule:
//
//  - a failure within `window` of the previous one adds to the count, one
//    after a quieter spell starts a new count at 1;
//  - the failure that brings the count to `max_failures` locks the key for
//    `lock` from then; while locked every login of it is refused, right
//    password or wrong, without checking it (so guessing goes no faster);
//  - once the lock has passed, the next failure starts a new count;
//  - a successful login forgets the username's count (not the address's:
//    one good account must not let an address guess at others).
//
// With the defaults (username: 5 failures in 15 min -> locked 15 min;
// address: 30 failures in 15 min -> locked 15 min) a password is guessed
// at most 5 times per 15 minutes per username, and one address tries at
// most 30 passwords per 15 minutes across all usernames.
//
// Thread safety: stateless functions and plain values.

#ifndef CASERELAY_SERVICES_ACCOUNTS_LOGIN_LIMITS_H_
#define CASERELAY_SERVICES_ACCOUNTS_LOGIN_LIMITS_H_

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace caserelay::accounts {

struct LockRule {
  int max_failures = 5;
  absl::Duration window = absl::Minutes(15);
  absl::Duration lock = absl::Minutes(15);
};

struct LoginLimits {
  // accounts.user_max_failures, accounts.user_lock (window = lock).
  LockRule user{5, absl::Minutes(15), absl::Minutes(15)};
  // accounts.address_max_failures, accounts.address_lock.
  LockRule address{30, absl::Minutes(15), absl::Minutes(15)};
};

// OK when both rules are usable: max_failures in [1, 10000], window and
// lock in [1s, 24h]; otherwise INVALID_ARGUMENT naming `setting_prefix`
// and the field (e.g. "accounts.user_max_failures").
absl::Status CheckLockRule(const LockRule& rule, const char* setting_prefix);

// The failures of one key.
struct FailureCount {
  int64_t failures = 0;
  absl::Time last_failure;
  std::optional<absl::Time> locked_until;
};

// When the key's lock ends, if it is locked at `now`; nullopt otherwise.
std::optional<absl::Time> LockedUntil(const std::optional<FailureCount>& c,
                                      absl::Time now);

// The count after one more failure at `now` (see the rules above).
FailureCount AfterFailure(const LockRule& rule,
                          const std::optional<FailureCount>& c, absl::Time now);

// When the count `c` is forgotten: once its lock has passed and `window`
// after its last failure (from then on AfterFailure starts anew and
// LockedUntil is nullopt, so deleting it changes nothing).
absl::Time ForgottenAt(const LockRule& rule, const FailureCount& c);

// Whole seconds until `until`, at least 1 (for x-caserelay-retry-after).
int64_t RetryAfterSeconds(absl::Time until, absl::Time now);

}  // namespace caserelay::accounts

#endif  // CASERELAY_SERVICES_ACCOUNTS_LOGIN_LIMITS_H_
