// The calendar as the services and casectl build it: the holiday tables of
// data/holidays (the State Council's notices) and, for a year without one,
// the statutory holidays derived from the law with the AstronomicalAlmanac
// (ICU and libnova). Kept apart from calendar.h so that the pure Calendar
// does not depend on those libraries.

#ifndef CASERELAY_COMMON_TIME_CALENDAR_SETUP_H_
#define CASERELAY_COMMON_TIME_CALENDAR_SETUP_H_

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/time/calendar.h"

namespace caserelay::time {

// The words of the setting calendar.uncovered_years: "law" (the default),
// "weekends", "refuse". Errors: INVALID_ARGUMENT naming the accepted words.
absl::StatusOr<UncoveredYears> ParseUncoveredYears(std::string_view text);
const char* UncoveredYearsName(UncoveredYears mode);

// Loads the tables in `dir` (Calendar::Load) with `mode`; for
// kDeriveFromLaw with a new AstronomicalAlmanac and `on_derived_year` (see
// CalendarOptions). Errors: those of Calendar::Load and of
// AstronomicalAlmanac::Create, unchanged.
absl::StatusOr<Calendar> LoadCalendar(
    const std::string& dir, UncoveredYears mode,
    std::function<void(absl::civil_year_t)> on_derived_year = nullptr);

}  // namespace caserelay::time

#endif  // CASERELAY_COMMON_TIME_CALENDAR_SETUP_H_
