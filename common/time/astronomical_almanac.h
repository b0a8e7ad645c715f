// AstronomicalAlmanac: the Almanac (common/time/almanac.h) computed by real
// calendar and astronomy libraries, for China Standard Time (UTC+8, the
// 120°E meridian the Chinese calendar is reckoned on):
//
//  - ICU's Chinese calendar (icu::Calendar "@calendar=chinese", libicu)
//    numbers the lunar months: which new moon starts 正月, 五月, 八月, and
//    which months are leap months (闰月, by the 中气 rule).
//  - libnova (VSOP87 for the sun, ELP 2000-82B for the moon) gives the
//    instants: the new moon (朔) that starts each month, and the sun's
//    apparent longitude for 清明 (15°). ICU's own astronomy is of low
//    precision: it puts the new moon of 2027-02-06 23:56 CST after
//    midnight and so 春节 2027 on 02-07 instead of 02-06 (and 2030's
//    new moon of 02-03 00:07 CST on 02-02). Each month therefore starts on
//    the China day of the precise new moon nearest to ICU's month start.
//    libnova's longitudes are referred to the mean equinox of J2000; the
//    apparent longitude of date adds the general precession in longitude
//    (IAU 1976: 5029.0966″T + 1.11113″T², T in Julian centuries of TT from
//    J2000), the nutation in longitude and the annual aberration
//    (−20.4898″/R).
//
// Dates agree with the Hong Kong Observatory's and the Purple Mountain
// Observatory's tables except where a new moon or 清明 falls within a
// minute or two of midnight (tests/unit/common/time/almanac_test.cc checks
// 2014-2035).
//
// Thread safety: thread-safe. One mutex serializes every computation: ICU's
// calendar objects are not thread-safe, and libnova keeps static caches
// (e.g. of the last nutation it computed).

#ifndef CASERELAY_COMMON_TIME_ASTRONOMICAL_ALMANAC_H_
#define CASERELAY_COMMON_TIME_ASTRONOMICAL_ALMANAC_H_

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/time/almanac.h"

namespace caserelay::time {

class AstronomicalAlmanac final : public Almanac {
 public:
  // The years it answers for (outside: OUT_OF_RANGE).
  static constexpr absl::civil_year_t kFirstYear = 1901;
  static constexpr absl::civil_year_t kLastYear = 2100;

  // Returns the almanac. Errors: INTERNAL when ICU cannot create its
  // Chinese or Gregorian calendar (e.g. its data library is missing).
  static absl::StatusOr<std::unique_ptr<AstronomicalAlmanac>> Create();

  ~AstronomicalAlmanac() override;

  // Almanac. Errors as there; INTERNAL also when ICU's month start and the
  // precise new moon are more than a day apart (a broken library).
  absl::StatusOr<absl::CivilDay> LunarDay(absl::civil_year_t year, int month,
                                          int day) const override;
  absl::StatusOr<absl::CivilDay> Qingming(
      absl::civil_year_t year) const override;

 private:
  // ICU's Chinese and Gregorian calendars (defined in the .cc, so that
  // ICU's headers stay out of this one).
  struct IcuCalendars;

  explicit AstronomicalAlmanac(std::unique_ptr<IcuCalendars> icu);

  // The ICU day on which ordinary month `month` of the lunar year starting
  // in `year` begins.
  absl::StatusOr<absl::CivilDay> IcuMonthStart(absl::civil_year_t year,
                                               int month) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  const std::unique_ptr<IcuCalendars> icu_ ABSL_GUARDED_BY(mu_);
};

}  // namespace caserelay::time

#endif  // CASERELAY_COMMON_TIME_ASTRONOMICAL_ALMANAC_H_
