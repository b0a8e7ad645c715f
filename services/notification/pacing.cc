#include "services/notification/pacing.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/time/china_time.h"

namespace caserelay::notification {
namespace {

// "HH:MM" as minutes after midnight, or -1.
int ParseMinute(std::string_view hhmm) {
  if (hhmm.size() != 5 || hhmm[2] != ':') return -1;
  for (size_t i : {0, 1, 3, 4}) {
    if (hhmm[i] < '0' || hhmm[i] > '9') return -1;
  }
  int h = 0, m = 0;
  if (!absl::SimpleAtoi(absl::string_view(hhmm.data(), 2), &h) ||
      !absl::SimpleAtoi(absl::string_view(hhmm.data() + 3, 2), &m) || h < 0 ||
      h > 23 || m < 0 || m > 59) {
    return -1;
  }
  return h * 60 + m;
}

}  // namespace

absl::StatusOr<QuietHours> QuietHours::Parse(std::string_view spec,
                                             std::set<std::string> urgent) {
  QuietHours q;
  q.urgent_ = std::move(urgent);
  if (spec.empty()) return q;
  size_t dash = spec.find('-');
  int start =
      dash == std::string_view::npos ? -1 : ParseMinute(spec.substr(0, dash));
  int end =
      dash == std::string_view::npos ? -1 : ParseMinute(spec.substr(dash + 1));
  if (start < 0 || end < 0 || start == end) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sms.quiet_hours: \"", std::string(spec),
        "\" is not HH:MM-HH:MM with two different times (e.g. 22:00-08:00), "
        "nor empty"));
  }
  q.enabled_ = true;
  q.start_minute_ = start;
  q.end_minute_ = end;
  return q;
}

bool QuietHours::Holds(std::string_view trigger, absl::Time now) const {
  if (!enabled_ || urgent_.count(std::string(trigger)) > 0) return false;
  absl::CivilSecond local = absl::ToCivilSecond(now, time::ChinaTimeZone());
  int minute = local.hour() * 60 + local.minute();
  if (start_minute_ < end_minute_) {
    return minute >= start_minute_ && minute < end_minute_;
  }
  return minute >= start_minute_ || minute < end_minute_;  // over midnight
}

absl::Duration TokenBucket::Take(absl::Time now) {
  if (rate_ <= 0) return absl::ZeroDuration();
  if (!started_) {
    started_ = true;
    tokens_ = burst_;
  } else {
    double refill = absl::ToDoubleSeconds(now - last_) * rate_;
    tokens_ = std::min(burst_, tokens_ + std::max(0.0, refill));
  }
  last_ = now;
  tokens_ -= 1;
  if (tokens_ >= 0) return absl::ZeroDuration();
  // In debt: wait until the debt is paid back.
  return absl::Seconds(-tokens_ / rate_);
}

}  // namespace caserelay::notification
