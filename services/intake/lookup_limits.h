// The rules of the petitioner's status look-up limit (查询限次), pure: no
// store, no clock, no gRPC. LookupThrottle (lookup_throttle.h) keeps the
// records and applies these rules under its locks.
//
// Two limits, so that failures cannot be turned against the petitioner
// (issue 14 item 4):
//
// 1. Per client address, a budget (token bucket): an address may have at
//    most `address_burst` failed look-ups unforgiven; each is forgiven
//    `address_refill` after the one before it was (so the sustained rate
//    is one failure per address_refill). An address with no token left is
//    refused every look-up, right code or wrong, until one comes back.
//    Its record is the time its last failure is forgiven (its "debt end");
//    the budget is full when that time has passed.
//
// 2. Per case number, exponential back-off instead of a lock: the first
//    `max_failures` failures of a case number carry no wait; failure
//    number max_failures + i (i >= 0) makes the case number wait
//    min(backoff_first * 2^i, backoff_max) from that failure. While it
//    waits, a look-up of it is refused (right code or wrong) unless it
//    comes from an address whose budget is full; such an address's
//    failure then costs its whole budget (a full refill, address_burst *
//    address_refill). After `quiet_period` without a failure the case
//    number's failures are forgotten; a successful look-up forgets them
//    too.
//
// Bounds these give (defaults: max_failures F = 5, backoff_first 1m,
// backoff_max C = 15m, quiet_period 1h, address_burst B = 20,
// address_refill R = 3m):
//  - The owner, looking up from an address that has no unforgiven failure
//    (a full budget), is never refused, however many failures any other
//    addresses make on the case: an attacker elsewhere cannot lock the
//    owner out at all. An owner who has themselves failed is refused at
//    most until the earlier of: their budget is full again (f * R after
//    their own last of f failures, or B * R = 1h after one made while the
//    case number waited), or the later of C after the last counted
//    failure of anyone (the wait ends) and R after their own last failure
//    (a token is back).
//  - Failures counted against one case number: at most F at once, then
//    one per wait (the waits doubling up to C), plus one per attacking
//    address per B * R (the full-budget exception); sustained, at most
//    1/C + N/(B*R) for N addresses (4/h + N/h with the defaults; against
//    40-bit codes, N = 10,000 addresses need ~6,000 years for an even
//    chance), plus F more after each quiet_period or successful look-up.
//  - Failures from one address, on all case numbers together: at most B
//    at once, then one per R.
// An unknown case number and a wrong code are the same failure under both
// limits, so none of this tells whether a case number exists.
//
// Thread safety: stateless functions and plain values.

#ifndef CASERELAY_SERVICES_INTAKE_LOOKUP_LIMITS_H_
#define CASERELAY_SERVICES_INTAKE_LOOKUP_LIMITS_H_

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace caserelay::intake {

struct LookupLimits {
  // Per case number (lookup.max_failures, lookup.backoff_first,
  // lookup.backoff_max, lookup.quiet_period).
  int max_failures = 5;
  absl::Duration backoff_first = absl::Minutes(1);
  absl::Duration backoff_max = absl::Minutes(15);
  absl::Duration quiet_period = absl::Hours(1);
  // Per client address (lookup.address_burst, lookup.address_refill).
  int address_burst = 20;
  absl::Duration address_refill = absl::Minutes(3);
};

// OK when `limits` are usable: max_failures in [1, 1000]; backoff_first
// in [1s, 1h]; backoff_max in [backoff_first, 24h]; quiet_period in
// [backoff_max, 30d] (a case number is not forgotten while it waits);
// address_burst in [1, 10000]; address_refill in [1s, 24h]. Otherwise
// INVALID_ARGUMENT naming the setting ("lookup.<name>").
absl::Status CheckLookupLimits(const LookupLimits& limits);

// A case number's failed look-ups in the current episode.
struct CaseFailures {
  absl::Time last;       // the last counted failure
  int64_t failures = 0;  // counted since the episode began
};

// The wait that `failures` failures impose from the last of them: zero
// below max_failures, then backoff_first doubled per further failure,
// capped at backoff_max.
absl::Duration CaseWait(const LookupLimits& limits, int64_t failures);

// When the record `c` is forgotten: c.last + quiet_period.
absl::Time CaseForgottenAt(const LookupLimits& limits, const CaseFailures& c);

// True when the case number must wait at `now`: `c` exists, is not
// forgotten, and now < c.last + CaseWait(c.failures).
bool CaseWaiting(const LookupLimits& limits,
                 const std::optional<CaseFailures>& c, absl::Time now);

// The record after one more failure at `now`: {now, 1} when there was
// none or it was forgotten by `now`, else {now, failures + 1}.
CaseFailures AfterCaseFailure(const LookupLimits& limits,
                              const std::optional<CaseFailures>& c,
                              absl::Time now);

// An address's budget is its debt end: when its last failure is forgiven
// (nullopt: never failed, or forgotten). Full when it has passed.
bool BudgetFull(const std::optional<absl::Time>& debt_end, absl::Time now);

// True when the address has at least one token at `now`:
// debt_end - now <= (address_burst - 1) * address_refill.
bool BudgetHasToken(const LookupLimits& limits,
                    const std::optional<absl::Time>& debt_end, absl::Time now);

// The debt end after one failure at `now`: max(debt_end, now) +
// address_refill; or, with `whole_budget`, now + address_burst *
// address_refill (the full-budget exception while a case number waits).
absl::Time AfterAddressFailure(const LookupLimits& limits,
                               const std::optional<absl::Time>& debt_end,
                               absl::Time now, bool whole_budget);

// What to do with one look-up attempt.
enum class LookupVerdict {
  kCheck,             // check the code; a failure counts normally
  kCheckWholeBudget,  // the case waits, the budget is full: check, and a
                      // failure costs the whole budget
  kAddressExhausted,  // refuse: the address has no token
  kCaseWaiting,       // refuse: the case number waits
};
LookupVerdict Decide(const LookupLimits& limits,
                     const std::optional<CaseFailures>& c,
                     const std::optional<absl::Time>& debt_end, absl::Time now);

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_LOOKUP_LIMITS_H_
