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
// so a restart forgives nothing. Ended windows are swept at most once per
// window, on the failure path.
//
// Thread safety: thread-safe; attempts are serialised on one mutex so that
// concurrent guesses cannot slip past the count.

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

struct LookupLimits {
  int max_failures = 5;                               // lookup.max_failures
  absl::Duration failure_window = absl::Minutes(15);  // lookup.failure_window
};

class LookupThrottle {
 public:
  // `store` (opened with kLookupFailures) and `clock` are not owned and
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
  absl::StatusOr<std::optional<Window>> Load(std::string_view case_number) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Deletes the windows that have ended, into `batch`.
  absl::Status Sweep(absl::Time now, store::WriteBatch& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Const after construction.
  store::Store* const store_;
  const time::Clock* const clock_;
  const LookupLimits limits_;

  absl::Mutex mu_;
  absl::Time last_sweep_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_LOOKUP_THROTTLE_H_
