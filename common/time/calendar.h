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
// A year with a table (data/holidays/YYYY.tsv, from the State Council's
// notice) is counted by its table alone: the notice is the authority. A
// year without one is counted as CalendarOptions say:
//   kDeriveFromLaw  from the law alone: the statutory holidays of the
//                   全国年节及纪念日放假办法 for that year (common/time/
//                   statutory_holidays.h, lunar dates from an Almanac) and
//                   Saturdays and Sundays are rest days; there are no
//                   make-up working days and no bridging rest days (the
//                   notice adds those). Every day says so (DaySource::kLaw),
//                   and options.on_derived_year is told once per year, so a
//                   service can warn and show it until the notice is loaded.
//                   This is what the services do by default.
//   kWeekendsOnly   Saturdays and Sundays alone (provisional; a holiday does
//                   not move a deadline).
//   kRefuse         FAILED_PRECONDITION: the question is refused. This is
//                   the default of CalendarOptions, because this module
//                   holds no Almanac; common/time/calendar_setup.h builds the
//                   services' calendar with one.
// Days that a table lists outside its own year (a 元旦 break starting in the
// December before) are the notice's in every mode.
//
// Thread safety: a Calendar is thread-safe. It is immutable after Load()
// except for the cache of derived years, which is guarded by a mutex. Copies
// share that cache; copying is cheap enough for start-up and is allowed.

#ifndef CASERELAY_COMMON_TIME_CALENDAR_H_
#define CASERELAY_COMMON_TIME_CALENDAR_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/time/almanac.h"

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

// Where the calendar's answer for a day comes from.
enum class DaySource {
  kNotice,  // the year's table (the State Council's notice)
  kLaw,     // derived from the 放假办法 (no notice loaded for the year)
  kWeekendsOnly,  // no table; Saturdays and Sundays only (provisional)
};

// "notice", "derived" or "weekends-only", for operators and logs.
const char* DaySourceName(DaySource source);

struct DayInfo {
  DayKind kind = DayKind::kRegularWorkday;
  // The holiday table's name for the day, e.g. "春节" or "调休 for 春节", or
  // the festival of a derived statutory day. Empty for kRegularWorkday and
  // kWeekend.
  std::string name;
  DaySource source = DaySource::kNotice;
};

// What to do with a day in a year that has no table (see the top comment).
enum class UncoveredYears {
  kRefuse,         // FAILED_PRECONDITION "no holiday table for year YYYY"
  kWeekendsOnly,   // Saturdays and Sundays are rest days, nothing else
  kDeriveFromLaw,  // statutory holidays from the law, and weekends
};

struct CalendarOptions {
  CalendarOptions() = default;
  // Implicit, so that `{UncoveredYears::kWeekendsOnly}` reads as the
  // options it is.
  CalendarOptions(UncoveredYears mode)  // NOLINT(google-explicit-constructor)
      : uncovered(mode) {}

  UncoveredYears uncovered = UncoveredYears::kRefuse;
  // Required for kDeriveFromLaw, unused otherwise.
  std::shared_ptr<const Almanac> almanac;
  // kDeriveFromLaw: called once per year, the first time a day of a year
  // without a table is derived, with that year, from the thread that asked,
  // while the calendar's cache lock is held: it must not call the Calendar.
  std::function<void(absl::civil_year_t)> on_derived_year;
};

class Calendar {
 public:
  // Reads every file named YYYY.tsv in `dir` (format: data/holidays/
  // README.md). Other files, such as README.md, are ignored. A year is
  // "covered" iff its YYYY.tsv was loaded.
  //
  // Returns the calendar on success. Errors:
  //   NOT_FOUND         `dir` is not a directory, or it holds no YYYY.tsv.
  //   INVALID_ARGUMENT  kDeriveFromLaw without an almanac; or a malformed
  //                     line: the message starts "path:line: "
  //                     and names the problem: the field count, the date,
  //                     the kind, an empty name, a make-up working day on a
  //                     weekday, a date outside the file's year (or the
  //                     December before it), or a date listed twice.
  //   other             a file could not be read (code from errno).
  static absl::StatusOr<Calendar> Load(const std::string& dir,
                                       CalendarOptions options = {});

  // Out of line: inlined into callers, the hash maps' destructors trip a
  // false -Wfree-nonheap-object of GCC 12.
  Calendar(const Calendar&);
  Calendar(Calendar&&) noexcept;
  Calendar& operator=(const Calendar&);
  Calendar& operator=(Calendar&&) noexcept;
  ~Calendar();

  // True iff `year` has a table.
  bool Covers(absl::civil_year_t year) const { return years_.contains(year); }

  // Returns what `day` is, and where that comes from. Errors:
  // FAILED_PRECONDITION "no holiday table for year YYYY" when day's year is
  // not covered and options.uncovered is kRefuse, or is kDeriveFromLaw and
  // the law or the almanac cannot give that year (the message says why).
  absl::StatusOr<DayInfo> Describe(absl::CivilDay day) const;

  // The years without a table that have been derived from the law so far,
  // ascending: the years in use without a notice.
  std::vector<absl::civil_year_t> DerivedYears() const;

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

  struct Derived;  // the cache of derived years (calendar.cc)

  // Returns the derived statutory days of `year` (festival names), deriving
  // them on first use.
  absl::StatusOr<const absl::flat_hash_map<absl::CivilDay, std::string>*>
  DerivedYear(absl::civil_year_t year) const;

  // Const after Load(): the days the tables list, and the covered years.
  absl::flat_hash_map<absl::CivilDay, DayInfo> listed_;
  absl::flat_hash_set<absl::civil_year_t> years_;
  CalendarOptions options_;
  // Shared by copies; has its own mutex.
  std::shared_ptr<Derived> derived_;
};

}  // namespace caserelay::time

#endif  // CASERELAY_COMMON_TIME_CALENDAR_H_
