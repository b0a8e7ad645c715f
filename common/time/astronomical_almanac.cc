#include "common/time/astronomical_almanac.h"

#include <libnova/dynamical_time.h>
#include <libnova/julian_day.h>
#include <libnova/lunar.h>
#include <libnova/nutation.h>
#include <libnova/solar.h>
#include <unicode/calendar.h>
#include <unicode/locid.h>
#include <unicode/timezone.h>

#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace caserelay::time {

struct AstronomicalAlmanac::IcuCalendars {
  std::unique_ptr<icu::Calendar> chinese;
  std::unique_ptr<icu::Calendar> gregorian;
};

namespace {

constexpr double kArcsecond = 1.0 / 3600.0;  // degrees
constexpr double kChinaOffsetDays = 8.0 / 24.0;

// Wraps an angle in degrees to (-180, 180].
double Wrap(double degrees) {
  degrees = std::fmod(degrees, 360.0);
  if (degrees > 180.0) degrees -= 360.0;
  if (degrees <= -180.0) degrees += 360.0;
  return degrees;
}

// Terrestrial time (TT, libnova's "JDE") for a Julian day of UT.
double Jde(double jd_ut) {
  return jd_ut + ln_get_dynamical_time_diff(jd_ut) / 86400.0;
}

// The sun's apparent ecliptic longitude of date, degrees (see the header).
double SunApparentLongitude(double jd_ut) {
  const double jde = Jde(jd_ut);
  ln_helio_posn sun;
  ln_get_solar_geom_coords(jde, &sun);
  ln_nutation nutation;
  ln_get_nutation(jde, &nutation);
  const double t = (jde - 2451545.0) / 36525.0;
  const double precession = (5029.0966 * t + 1.11113 * t * t) * kArcsecond;
  return sun.L + precession + nutation.longitude - 20.4898 * kArcsecond / sun.R;
}

// The moon's apparent longitude minus the sun's, degrees: both are referred
// to the same equinox, so precession and nutation cancel and the sun's
// aberration remains.
double Elongation(double jd_ut) {
  const double jde = Jde(jd_ut);
  ln_helio_posn sun;
  ln_get_solar_geom_coords(jde, &sun);
  ln_lnlat_posn moon;
  ln_get_lunar_ecl_coords(jde, &moon, 0);
  return Wrap(moon.lng - sun.L + 20.4898 * kArcsecond / sun.R);
}

// The instant in [lo, hi] (JD of UT) at which f crosses 0 going up; f must
// be negative at lo and positive at hi. 32 halvings of at most 16 days:
// well below a second.
template <typename F>
double Crossing(F f, double lo, double hi) {
  for (int i = 0; i < 32; ++i) {
    const double mid = (lo + hi) / 2;
    if (f(mid) < 0) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return (lo + hi) / 2;
}

double JulianDay(absl::CivilDay day) {
  ln_date date{static_cast<int>(day.year()), day.month(), day.day(), 0, 0, 0};
  return ln_get_julian_day(&date);  // 00:00 UT of `day`
}

// The China (UTC+8) day of an instant given as a JD of UT.
absl::CivilDay ChinaDayOfJd(double jd_ut) {
  ln_date date;
  ln_get_date(jd_ut + kChinaOffsetDays, &date);
  return absl::CivilDay(date.years, date.months, date.days);
}

// The China day of the new moon nearest to noon (China) of `near`; the
// month that starts near `near` starts that day.
absl::CivilDay NewMoonDay(absl::CivilDay near) {
  const double noon = JulianDay(near) + 0.5 - kChinaOffsetDays;
  // The elongation grows ~12.2° a day: -30° .. +30° is within ±2.5 days.
  return ChinaDayOfJd(Crossing(Elongation, noon - 2.5, noon + 2.5));
}

absl::Status IcuError(UErrorCode code, absl::string_view what) {
  return absl::InternalError(
      absl::StrCat("ICU: ", what, ": ", u_errorName(code)));
}

absl::Status CheckYear(absl::civil_year_t year) {
  if (year < AstronomicalAlmanac::kFirstYear ||
      year > AstronomicalAlmanac::kLastYear) {
    return absl::OutOfRangeError(absl::StrCat(
        "year ", year, " is outside the almanac's ",
        AstronomicalAlmanac::kFirstYear, "..", AstronomicalAlmanac::kLastYear));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<AstronomicalAlmanac>>
AstronomicalAlmanac::Create() {
  std::unique_ptr<icu::TimeZone> china(
      icu::TimeZone::createTimeZone("GMT+08:00"));
  auto icu = std::make_unique<IcuCalendars>();
  UErrorCode code = U_ZERO_ERROR;
  icu->chinese.reset(icu::Calendar::createInstance(
      *china, icu::Locale("zh_CN@calendar=chinese"), code));
  if (U_FAILURE(code) || icu->chinese == nullptr) {
    return IcuError(code, "creating the Chinese calendar");
  }
  if (std::string(icu->chinese->getType()) != "chinese") {
    return absl::InternalError(absl::StrCat(
        "ICU: asked for the Chinese calendar, got '", icu->chinese->getType(),
        "' (is ICU's data library installed?)"));
  }
  icu->gregorian.reset(icu::Calendar::createInstance(
      *china, icu::Locale("en_US@calendar=gregorian"), code));
  if (U_FAILURE(code) || icu->gregorian == nullptr) {
    return IcuError(code, "creating the Gregorian calendar");
  }
  return std::unique_ptr<AstronomicalAlmanac>(
      new AstronomicalAlmanac(std::move(icu)));
}

AstronomicalAlmanac::AstronomicalAlmanac(std::unique_ptr<IcuCalendars> icu)
    : icu_(std::move(icu)) {}

AstronomicalAlmanac::~AstronomicalAlmanac() = default;

absl::StatusOr<absl::CivilDay> AstronomicalAlmanac::IcuMonthStart(
    absl::civil_year_t year, int month) const {
  icu::Calendar& chinese = *icu_->chinese;
  icu::Calendar& gregorian = *icu_->gregorian;
  UErrorCode code = U_ZERO_ERROR;
  // June 1 lies in the lunar year that starts in the same Gregorian year
  // (春节 is always between January 21 and February 20).
  gregorian.clear();
  gregorian.set(static_cast<int32_t>(year), UCAL_JUNE, 1, 12, 0);
  chinese.setTime(gregorian.getTime(code), code);
  const int32_t lunar_year = chinese.get(UCAL_EXTENDED_YEAR, code);
  chinese.clear();
  chinese.set(UCAL_EXTENDED_YEAR, lunar_year);
  chinese.set(UCAL_MONTH, month - 1);
  chinese.set(UCAL_IS_LEAP_MONTH, 0);
  chinese.set(UCAL_DATE, 1);
  gregorian.setTime(chinese.getTime(code), code);
  const absl::CivilDay start(gregorian.get(UCAL_YEAR, code),
                             gregorian.get(UCAL_MONTH, code) + 1,
                             gregorian.get(UCAL_DATE, code));
  if (U_FAILURE(code)) return IcuError(code, "converting a lunar date");
  return start;
}

absl::StatusOr<absl::CivilDay> AstronomicalAlmanac::LunarDay(
    absl::civil_year_t year, int month, int day) const {
  if (absl::Status s = CheckYear(year); !s.ok()) return s;
  if (month < 1 || month > 12) {
    return absl::InvalidArgumentError(
        absl::StrCat("lunar month ", month, " is not 1..12"));
  }
  if (day < 1 || day > 30) {
    return absl::InvalidArgumentError(
        absl::StrCat("lunar day ", day, " is not 1..30"));
  }
  absl::MutexLock lock(&mu_);
  absl::StatusOr<absl::CivilDay> icu_start = IcuMonthStart(year, month);
  if (!icu_start.ok()) return icu_start.status();
  const absl::CivilDay start = NewMoonDay(*icu_start);
  if (start - *icu_start > 1 || *icu_start - start > 1) {
    return absl::InternalError(
        absl::StrCat("lunar month ", month, " of ", year, ": ICU starts it on ",
                     absl::FormatCivilTime(*icu_start), ", the new moon is on ",
                     absl::FormatCivilTime(start)));
  }
  if (day == 30 && NewMoonDay(start + 29) == start + 29) {
    return absl::InvalidArgumentError(absl::StrCat(
        "lunar month ", month, " of ", year, " has 29 days (小月)"));
  }
  return start + (day - 1);
}

absl::StatusOr<absl::CivilDay> AstronomicalAlmanac::Qingming(
    absl::civil_year_t year) const {
  if (absl::Status s = CheckYear(year); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  // 清明 is April 4-6; the sun is near 8° on March 28 and 20° on April 12.
  const double jd =
      Crossing([](double t) { return Wrap(SunApparentLongitude(t) - 15.0); },
               JulianDay(absl::CivilDay(year, 3, 28)),
               JulianDay(absl::CivilDay(year, 4, 12)));
  return ChinaDayOfJd(jd);
}

}  // namespace caserelay::time
