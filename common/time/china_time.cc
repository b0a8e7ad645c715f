#include "common/time/china_time.h"

namespace caserelay::time {

absl::TimeZone ChinaTimeZone() { return absl::FixedTimeZone(8 * 60 * 60); }

absl::CivilDay ChinaDay(absl::Time t) {
  return absl::ToCivilDay(t, ChinaTimeZone());
}

absl::Time StartOf(absl::CivilDay day) {
  return absl::FromCivil(day, ChinaTimeZone());
}

absl::Time EndOf(absl::CivilDay day) { return StartOf(day + 1); }

absl::CivilDay LastDayOf(absl::Time due) {
  return ChinaDay(due - absl::Nanoseconds(1));
}

}  // namespace caserelay::time
