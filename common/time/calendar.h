// Calendar: counts deadlines (期限) in calendar days (日) and working days
// (工作日) against the yearly holiday tables of data/holidays/ (DOMAIN.md
// "Deadlines", "Counting").
//
// The rules, from the 民法典 (Civil Code):
//
//   Art. 201: "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。"
//     (A period counted in days starts on the day after the start day.)
//   Art. 203: "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的
//     最后一日。期间的最后一日的截止时间为二十四时；……"
//     (If the last day is a statutory rest day, the period ends on the day
//     after the rest days end. The last day ends at 24:00.)
//
// What counts as a 法定休假日 (statutory rest day) for Art. 203: every day
// that is not a working day. That is a day of an announced break (statutory
// holiday or 调休 rest day) or a Saturday or Sunday that is not a make-up
// working day. A make-up working day (调休上班) on a weekend is a working day
// and does not move a deadline. This is the usual reading. Weekly rest days
// are rest days fixed by law (劳动法 Art. 38; 国务院关于职工工作时间的规定
// Art. 7: Saturday and Sunday), and the Supreme People's Court's former
// opinion on the General Principles of Civil Law (民通意见 Art. 198) said so
// in words: "期间的最后一天是星期日或者其他法定休假日，而星期日或者其他法定
// 休假日有变通的，以实际休假日的次日为期间的最后一天". The Civil Procedure Law
// is read the same way: "法定休假日后的第一日".
//
// So:
//   AddCalendarDays(start, n) = start + n, moved forward to the first
//                               working day if it is not one.
//   AddWorkingDays(start, n)  = the n-th working day after start.
// Both give a last *day*. The instant the deadline passes is EndOf(day)
// (common/time/china_time.h), and days are China Standard Time days
// (ChinaDay()).
//
// By default the calendar never guesses. A question about a day in a year
// that has no table fails with FAILED_PRECONDITION, because a missing
// notice must be noticed, not silently counted as an ordinary year. A
// deployment may instead choose (CalendarOptions) to count such a year on
// Saturdays and Sundays alone until its table is added: every action whose
// deadline reaches into the new year would otherwise be refused between
// New Year's Eve and the day an operator adds the table. Such deadlines are
// provisional (a holiday of that year does not move them; a make-up working
// day counts as a rest day), and the service says so at start-up.
//
// Thread safety: a Calendar is immutable after Load(). Const methods may be
// called from any number of threads at once. Copying is cheap enough for
// start-up and is allowed.

#ifndef CASERELAY_COMMON_TIME_CALENDAR_H_
#define CASERELAY_COMMON_TIME_CALENDAR_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace caserelay::time {

// What a day is in the calendar.
enum class DayKind {
  kRegularWorkday,  // Monday to Friday, outside any break.
  kWeekend,         // Saturday or Sunday, outside any break.
  kStatutoryHoliday,  // 法定节假日: a day of the 全国年节及纪念日放假办法.
  kRestDay,        // A day off of a break that is not statutory (调休).
  kMakeUpWorkday,  // 调休上班: a weekend day that is a working day.
};

// Returns true for kRegularWorkday and kMakeUpWorkday.
bool IsWorking(DayKind kind);

struct DayInfo {
  DayKind kind = DayKind::kRegularWorkday;
  // The holiday table's name for the day, e.g. "春节" or "调休 for 春节".
  // Empty for kRegularWorkday and kWeekend.
  std::string name;
};

// What to do with a day in a year that has no table.
enum class UncoveredYears {
  kRefuse,        // FAILED_PRECONDITION "no holiday table for year YYYY"
  kWeekendsOnly,  // Saturdays and Sundays are rest days, nothing else
};

struct CalendarOptions {
  UncoveredYears uncovered = UncoveredYears::kRefuse;
};

class Calendar {
 public:
  // Reads every file named YYYY.tsv in `dir` (format: data/holidays/
  // README.md). Other files, such as README.md, are ignored. A year is
  // "covered" iff its YYYY.tsv was loaded.
  //
  // Returns the calendar on success. Errors:
  //   NOT_FOUND         `dir` is not a directory, or it holds no YYYY.tsv.
  //   INVALID_ARGUMENT  a malformed line. The message starts "path:line: "
  //                     and names the problem: the field count, the date,
  //                     the kind, an empty name, a make-up working day on a
  //                     weekday, a date outside the file's year (or the
  //                     December before it), or a date listed twice.
  //   other             a file could not be read (code from errno).
  static absl::StatusOr<Calendar> Load(const std::string& dir,
                                       CalendarOptions options = {});

  // True iff `year` has a table.
  bool Covers(absl::civil_year_t year) const { return years_.contains(year); }

  // Returns what `day` is. Errors: FAILED_PRECONDITION "no holiday table for
  // year YYYY" when day's year is not covered and options.uncovered is
  // kRefuse (with kWeekendsOnly such a day is a weekend or a workday).
  absl::StatusOr<DayInfo> Describe(absl::CivilDay day) const;

  // Returns true iff `day` is a working day (see IsWorking()). Errors: as
  // Describe().
  absl::StatusOr<bool> IsWorkingDay(absl::CivilDay day) const;

  // Returns the last day of a period of `days` calendar days (日) that
  // starts after `start`: start + days, or the first working day after it if
  // start + days is not a working day (Arts. 201, 203 above). With days == 0
  // it is `start`, or the first working day after it. `start` itself needs
  // no table. Errors: INVALID_ARGUMENT if days < 0; FAILED_PRECONDITION
  // "no holiday table for year YYYY" if a day that must be looked at is in a
  // year that is not covered.
  absl::StatusOr<absl::CivilDay> AddCalendarDays(absl::CivilDay start,
                                                 int days) const;

  // Returns the `days`-th working day (工作日) after `start`. `start` itself
  // is never counted. With days == 0 it returns `start`. Errors: as
  // AddCalendarDays().
  absl::StatusOr<absl::CivilDay> AddWorkingDays(absl::CivilDay start,
                                                int days) const;

 private:
  Calendar() = default;

  // Const after Load(): the days the tables list, and the covered years.
  absl::flat_hash_map<absl::CivilDay, DayInfo> listed_;
  absl::flat_hash_set<absl::civil_year_t> years_;
  CalendarOptions options_;
};

}  // namespace caserelay::time

#endif  // CASERELAY_COMMON_TIME_CALENDAR_H_
