// China Standard Time: the time zone of the legal day.
//
// Every deadline (期限) in DOMAIN.md is counted in days of China Standard
// Time (北京时间, UTC+8, no daylight saving since 1991). The zone is a fixed
// offset, so nothing here depends on the tzdata installed on the machine.
//
// All functions are pure and thread-safe.

#ifndef CASERELAY_COMMON_TIME_CHINA_TIME_H_
#define CASERELAY_COMMON_TIME_CHINA_TIME_H_

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace caserelay::time {

// Returns the fixed UTC+8 zone, absl::FixedTimeZone(8 * 3600).
absl::TimeZone ChinaTimeZone();

// Returns the day in China Standard Time that contains `t`. For example,
// 2024-02-09T16:00:00Z is the first instant of 2024-02-10 in China.
absl::CivilDay ChinaDay(absl::Time t);

// Returns the first instant of `day` in China Standard Time (00:00 +08:00).
absl::Time StartOf(absl::CivilDay day);

// Returns the instant at which the legal day `day` ends: 24:00 of that day in
// China Standard Time, which is the first instant of the next day
// (民法典 Art. 203 para. 2: "期间的最后一日的截止时间为二十四时"). A
// deadline whose last day is `day` is met by any instant strictly before
// EndOf(day).
absl::Time EndOf(absl::CivilDay day);

// The last day of a deadline that passes at `due`: the China day of the
// instant just before it, so LastDayOf(EndOf(day)) == day.
absl::CivilDay LastDayOf(absl::Time due);

}  // namespace caserelay::time

#endif  // CASERELAY_COMMON_TIME_CHINA_TIME_H_
