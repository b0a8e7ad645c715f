// When the sender may send (发送节奏): quiet hours (免打扰时段), when
// non-urgent SMS wait until morning, and the throughput limit of a gateway
// (a token bucket over parts). Pure: the caller passes the time.
//
// Thread safety: QuietHours is immutable; a TokenBucket is not
// thread-safe (the sender's thread owns it).

#ifndef CASERELAY_SERVICES_NOTIFICATION_PACING_H_
#define CASERELAY_SERVICES_NOTIFICATION_PACING_H_

#include <set>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caserelay::notification {

class QuietHours {
 public:
  // No quiet hours.
  QuietHours() = default;
  // `spec` is "" (none) or "HH:MM-HH:MM" in China time (sms.quiet_hours),
  // from the first minute included to the second excluded; it may wrap
  // midnight ("22:00-08:00"). `urgent` names the triggers that are sent
  // anyway (sms.quiet_hours.urgent). INVALID_ARGUMENT naming the setting
  // for anything else, or for equal ends.
  static absl::StatusOr<QuietHours> Parse(std::string_view spec,
                                          std::set<std::string> urgent = {});

  // True iff a message of `trigger` must wait at `now`.
  bool Holds(std::string_view trigger, absl::Time now) const;

 private:
  bool enabled_ = false;
  int start_minute_ = 0;  // minutes after China midnight
  int end_minute_ = 0;
  std::set<std::string> urgent_;
};

// At most `rate` parts per second on average, with bursts of up to
// `burst` parts after a pause.
class TokenBucket {
 public:
  // `rate` <= 0: no limit. REQUIRES burst >= 1.
  TokenBucket(double rate, double burst) : rate_(rate), burst_(burst) {}
  // Takes one token at `now`; returns how long the caller must wait before
  // sending it (zero if a token was there).
  absl::Duration Take(absl::Time now);

 private:
  const double rate_;
  const double burst_;
  bool started_ = false;  // before the first Take the bucket is full
  double tokens_ = 0;     // < 0: in debt, the caller waits it off
  absl::Time last_ = absl::InfinitePast();
};

}  // namespace caserelay::notification

#endif  // CASERELAY_SERVICES_NOTIFICATION_PACING_H_
