// The rate limit on the petitioner's status look-up (查询限次): DESIGN.md
// "Security" keeps the look-up code hashed and the attempts rate-limited,
// so 8 characters from 32 symbols cannot be guessed by trying.
//
// Per case number, failed attempts are counted in a fixed window that
// opens at the first failure and lasts `failure_window`. Once
// `max_failures` failures fall in the window, every attempt on that case
// number is refused (RESOURCE_EXHAUSTED, even with the right code) until
// the window has passed; refused attempts are not counted. An unknown
// case number and a wrong code are one and the same failure, so a look-up
// never reveals which case numbers exist. A successful look-up clears the
// count.
//
// The counts live in the store's "lookup-failures" family (case number
// -> 8-byte window start in µs since the epoch + 8-byte count, big-endian),
// so a restart forgives nothing. "lookup-failure-windows" indexes them by
// window start (20-digit µs, 0x1f, case number -> ""), so that ended
// windows are swept a few at a time (kLookupSweepBatch) after a failure,
// without scanning every count.
//
// Thread safety: thread-safe. Attempts on one case number are serialised
// (so concurrent guesses cannot slip past its count) on one of
// kLookupStripes mutexes chosen by the case number: attempts on other
// case numbers, and the store's fsync of one, do not wait for each other.
// One sweep runs at a time; it takes each swept case number's mutex.

#ifndef CASERELAY_SERVICES_INTAKE_LOOKUP_THROTTLE_H_
#define CASERELAY_SERVICES_INTAKE_LOOKUP_THROTTLE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/store/store.h"
#include "common/time/clock.h"

namespace caserelay::intake {

inline constexpr char kLookupFailures[] = "lookup-failures";
inline constexpr char kLookupWindows[] = "lookup-failure-windows";
inline constexpr int kLookupStripes = 64;
inline constexpr int kLookupSweepBatch = 16;

struct LookupLimits {
  int max_failures = 5;                               // lookup.max_failures
  absl::Duration failure_window = absl::Minutes(15);  // lookup.failure_window
};

class LookupThrottle {
 public:
  // `store` (opened with kLookupFailures and kLookupWindows) and `clock`
  // are not owned and
  // outlive the throttle. REQUIRES: limits.max_failures >= 1 and
  // limits.failure_window > 0 (checked by the service's settings).
  LookupThrottle(store::Store* store, const time::Clock* clock,
                 LookupLimits limits);

  // One look-up attempt on `case_number`. Unless the case number is
  // locked, calls `check` (which answers whether the case exists and the
  // code matches) and counts a false answer as a failure. Returns:
  //   OK if `check` answered true (the count is cleared);
  //   NOT_FOUND if it answered false (the failure is counted first);
  //   RESOURCE_EXHAUSTED if the case number is locked (`check` not called);
  //   `check`'s own error, or UNAVAILABLE if the store fails, unchanged.
  absl::Status Attempt(std::string_view case_number,
                       const std::function<absl::StatusOr<bool>()>& check);

 private:
  struct Window {
    absl::Time start;
    int64_t failures = 0;
  };
  // REQUIRES: the case number's stripe is held.
  absl::StatusOr<std::optional<Window>> Load(
      std::string_view case_number) const;
  absl::Mutex& Stripe(std::string_view case_number);
  // Deletes up to kLookupSweepBatch windows that ended before `now`, each
  // under its case number's stripe; returns at once if a sweep is running.
  // Failures are left for the next sweep.
  void Sweep(absl::Time now);

  // Const after construction.
  store::Store* const store_;
  const time::Clock* const clock_;
  const LookupLimits limits_;

  absl::Mutex stripes_[kLookupStripes];
  absl::Mutex sweep_mu_;
};

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_LOOKUP_THROTTLE_H_
