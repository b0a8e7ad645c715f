// Almanac (历书): the dates of the Chinese lunar calendar (农历) and of the
// solar term 清明 in the Gregorian calendar, as China reckons them (GB/T
// 33661-2017 《农历的编算和颁行》: China Standard Time, UTC+8). The
// statutory holidays of common/time/statutory_holidays.h are computed from
// these dates; the implementation that computes them with real calendar
// and astronomy libraries is common/time/astronomical_almanac.h, kept out
// of this pure module.
//
// Thread safety: implementations are thread-safe (const methods may be
// called from any number of threads at once).

#ifndef CASERELAY_COMMON_TIME_ALMANAC_H_
#define CASERELAY_COMMON_TIME_ALMANAC_H_

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace caserelay::time {

class Almanac {
 public:
  virtual ~Almanac() = default;

  // Returns the Gregorian day of day `day` (1..30) of the ordinary (not
  // leap, 非闰) month `month` (1..12) of the lunar year whose first day
  // (正月初一, 春节) falls in Gregorian `year`. Day 1 of month 1 is 春节.
  // Errors: INVALID_ARGUMENT for a month or day out of range, or a day 30
  // of a month that has 29 days (小月); OUT_OF_RANGE for a year the
  // implementation cannot compute; INTERNAL when the library fails.
  virtual absl::StatusOr<absl::CivilDay> LunarDay(absl::civil_year_t year,
                                                  int month, int day) const = 0;

  // Returns the day, in Gregorian `year`, on which the sun reaches
  // apparent ecliptic longitude 15° (the solar term 清明). Errors:
  // OUT_OF_RANGE, INTERNAL as LunarDay().
  virtual absl::StatusOr<absl::CivilDay> Qingming(
      absl::civil_year_t year) const = 0;
};

}  // namespace caserelay::time

#endif  // CASERELAY_COMMON_TIME_ALMANAC_H_
