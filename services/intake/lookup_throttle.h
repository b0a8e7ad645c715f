// The limit on the petitioner's status look-up (查询限次): DESIGN.md
// "Security" keeps the look-up code hashed and the attempts rate-limited,
// so 8 characters from 32 symbols cannot be guessed by trying, and issue
// 14 item 4 wants a limit that an attacker cannot turn against the
// petitioner. The rules, and the bounds they give, are lookup_limits.h:
// a budget per client address and exponential back-off per case number
// (no hard lock); a look-up from an address with a full budget is never
// refused because of other addresses' failures.
//
// Records (so a restart forgives nothing):
//  - "lookup-failures": case number -> 8-byte last failure in µs since
//    the epoch + 8-byte count (CaseFailures), big-endian;
//  - "lookup-addresses": address key (common/peer/client_address.h) -> 8-byte
//  debt
//    end in µs;
//  - "lookup-failure-windows" and "lookup-address-ends" index them by
//    when they are forgotten (20-digit µs, 0x1f, the key -> ""), so that
//    forgotten records are swept a few at a time (kLookupSweepBatch) after
//    a failure, without scanning every record.
//
// Thread safety: thread-safe. Attempts on one case number are serialised
// (so concurrent guesses cannot slip past its count) on one of
// kLookupStripes mutexes chosen by the case number, and attempts from one
// address on one of kLookupStripes chosen by the address (taken after the
// case number's; nothing takes them in the other order): attempts on
// other case numbers from other addresses, and the store's fsync of one,
// do not wait for each other. One sweep runs at a time; it takes each
// swept record's mutex.

#ifndef CASERELAY_SERVICES_INTAKE_LOOKUP_THROTTLE_H_
#define CASERELAY_SERVICES_INTAKE_LOOKUP_THROTTLE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/store/store.h"
#include "common/time/clock.h"
#include "services/intake/lookup_limits.h"

namespace caserelay::intake {

inline constexpr char kLookupFailures[] = "lookup-failures";
inline constexpr char kLookupWindows[] = "lookup-failure-windows";
inline constexpr char kLookupAddresses[] = "lookup-addresses";
inline constexpr char kLookupAddressEnds[] = "lookup-address-ends";
inline constexpr int kLookupStripes = 64;
inline constexpr int kLookupSweepBatch = 16;

class LookupThrottle {
 public:
  // `store` (opened with the four families above) and `clock` are not
  // owned and outlive the throttle. REQUIRES: CheckLookupLimits(limits)
  // is OK (checked by the service's settings).
  LookupThrottle(store::Store* store, const time::Clock* clock,
                 LookupLimits limits);

  // One look-up attempt on `case_number` from the client `address` (a key
  // of common/peer/client_address.h). Unless Decide (lookup_limits.h) refuses
  // it, calls `check` (which answers whether the case exists and the code
  // matches) and counts a false answer against both the case number and
  // the address. Returns:
  //   OK if `check` answered true (the case number's failures are
  //     forgotten; the address's are not);
  //   NOT_FOUND if it answered false (the failure is counted first);
  //   RESOURCE_EXHAUSTED if the address has no budget left or the case
  //     number waits (`check` not called, nothing counted; the message,
  //     for operators, does not say which);
  //   `check`'s own error, or UNAVAILABLE if the store fails, unchanged
  //     (nothing counted).
  absl::Status Attempt(std::string_view case_number, std::string_view address,
                       const std::function<absl::StatusOr<bool>()>& check);

 private:
  absl::StatusOr<std::optional<CaseFailures>> LoadCase(
      std::string_view case_number) const;
  absl::StatusOr<std::optional<absl::Time>> LoadAddress(
      std::string_view address) const;
  static absl::Mutex& Stripe(absl::Mutex* stripes, std::string_view key);
  // Deletes up to kLookupSweepBatch case and address records each that
  // are forgotten by `now`, each under its mutex; returns at once if a
  // sweep is running. Failures are left for the next sweep.
  void Sweep(absl::Time now);
  void SweepCases(absl::Time now);
  void SweepAddresses(absl::Time now);

  // Const after construction.
  store::Store* const store_;
  const time::Clock* const clock_;
  const LookupLimits limits_;

  absl::Mutex case_stripes_[kLookupStripes];
  absl::Mutex address_stripes_[kLookupStripes];
  absl::Mutex sweep_mu_;
};

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_LOOKUP_THROTTLE_H_
