// casectl calendar: shows the holiday calendar (节假日安排) that routing
// counts deadlines on, and computes a due date the same way, from the same
// data: the State Council's notices in the calendar directory and, for a
// year without one, the statutory holidays derived from the law
// (common/time/calendar_setup.h).
//
//   casectl calendar YEAR                  every rest day and make-up
//                                          working day of YEAR, with its
//                                          source (notice or derived)
//   casectl calendar --due START DAYS [--working]
//                                          the last day and due instant of
//                                          a period of DAYS days (日) or
//                                          working days (工作日) from START
//
// The directory is --calendar-dir, else $CASERELAY_CALENDAR_DIR (routing's
// calendar.dir), else data/holidays; a year without a table is counted as
// --uncovered-years, else $CASERELAY_CALENDAR_UNCOVERED_YEARS, else "law"
// (routing's default).
//
// Thread safety: functions are thread-safe; RunCalendar writes only to the
// stream it is given.

#ifndef CASERELAY_TOOLS_CASECTL_CALENDAR_COMMANDS_H_
#define CASERELAY_TOOLS_CASECTL_CALENDAR_COMMANDS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/time/calendar.h"
#include "tools/casectl/call.h"
#include "tools/casectl/flags.h"

namespace caserelay::casectl {

inline constexpr char kCalendarDirVariable[] = "CASERELAY_CALENDAR_DIR";
inline constexpr char kUncoveredYearsVariable[] =
    "CASERELAY_CALENDAR_UNCOVERED_YEARS";

struct CalendarCommand {
  std::string dir;  // the holiday tables
  time::UncoveredYears uncovered = time::UncoveredYears::kDeriveFromLaw;
  bool due = false;             // --due: a period; else a year's listing
  absl::civil_year_t year = 0;  // the listing's year
  absl::CivilDay start;         // --due: the day the period starts after
  int days = 0;                 // --due: its length, >= 0
  bool working = false;  // --due: working days (工作日), not days (日)
};

// The CalendarCommand of `calendar`'s arguments and flags. START is a China
// date YYYY-MM-DD or an RFC 3339 instant (a receipt time: its China day).
// INVALID_ARGUMENT for: a wrong number of arguments ("calendar takes YEAR,
// or --due START DAYS"), a YEAR that is not 1..9999, a bad START, DAYS not
// a number in 0..3650, --working without --due, a bad --uncovered-years.
absl::StatusOr<CalendarCommand> CalendarCommandOf(const ParsedFlags& flags);

// Loads the calendar and prints the listing or the due date (text, or one
// JSON line with options.json). Errors: those of time::LoadCalendar
// (NOT_FOUND for a missing directory, INVALID_ARGUMENT for a bad table) and
// of the calendar (FAILED_PRECONDITION for a year it cannot count).
absl::Status RunCalendar(const CalendarCommand& command,
                         const PrintOptions& options, std::ostream& out);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_CALENDAR_COMMANDS_H_
