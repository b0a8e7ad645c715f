// Which days a bulletin (通报) covers and on which day it is issued
// (issue 17 items 2 and 3; stats-contract.md "Bulletins").
//
// Three kinds, each a series per bureau and year:
//   kDaily    每日信访  issued on every working day (工作日) for the days
//             since the previous working day: a period starts on a working
//             day P and runs to the day before the next working day N, and
//             is issued on N. So a Tuesday's covers Monday, a Monday's
//             covers Friday to Sunday, and the first working day after a
//             holiday covers the last working day before it and the whole
//             holiday (issue 17 item 3: "the first working day after a
//             holiday covers the whole holiday"). No daily is issued on a
//             rest day; a make-up working day (调休上班) has one. The
//             periods tile the calendar: every day is in exactly one.
//   kWeekly   周通报    a week, Monday to Sunday; issued on the Monday after
//             it (issue 17 item 2), or, when that Monday is a rest day, on
//             the first working day after it.
//   kMonthly  月分析    a calendar month; issued on the 1st of the next month
//             (issue 17 item 2), or on the first working day after it.
// "Working day" is the calendar's (common/time/calendar.h: the State
// Council's tables, or the law for a year without one). The weekday and
// the day of the month are the defaults of BulletinSchedule's settings
// (schedule.h), not fixed here: PeriodRules takes them.
//
// Thread safety: pure functions of their arguments; PeriodRules is
// immutable and may be shared.

#ifndef CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_PERIOD_H_
#define CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_PERIOD_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/time/calendar.h"

namespace caserelay::bulletins {

enum class BulletinKind { kDaily, kWeekly, kMonthly };

// "daily", "weekly", "monthly": the words of casectl, the store's keys and
// the settings.
absl::string_view KindWord(BulletinKind kind);
// INVALID_ARGUMENT naming the three words for anything else.
absl::StatusOr<BulletinKind> ParseKind(absl::string_view word);
// 每日信访, 周通报, 月分析: the bulletin's title.
absl::string_view KindTitle(BulletinKind kind);

// A bulletin's period: the days [first, last], both included, and the day
// it is issued on (always after `last`).
struct BulletinPeriod {
  BulletinKind kind = BulletinKind::kDaily;
  absl::CivilDay first;
  absl::CivilDay last;
  absl::CivilDay issue_day;

  // The number of days covered (last - first + 1).
  int days() const { return static_cast<int>(last - first) + 1; }
  friend bool operator==(const BulletinPeriod& a, const BulletinPeriod& b) {
    return a.kind == b.kind && a.first == b.first && a.last == b.last &&
           a.issue_day == b.issue_day;
  }
};

// The covered days in words, e.g. "2026年10月8日", "2026年9月30日至10月7日",
// "2027年1月": for titles.
std::string PeriodWords(const BulletinPeriod& period);

class PeriodRules {
 public:
  // `weekly_issue_weekday`: the weekday a week's bulletin is due (the week
  // it covers ends the day before); `monthly_issue_day`: the day of the
  // month a month's is due (1 to 28: every month has it). Errors:
  // INVALID_ARGUMENT naming the setting when monthly_issue_day is out of
  // range.
  static absl::StatusOr<PeriodRules> Create(
      const time::Calendar& calendar,
      absl::Weekday weekly_issue_weekday = absl::Weekday::monday,
      int monthly_issue_day = 1);

  // The period of `kind` that covers `day`. Errors: FAILED_PRECONDITION
  // from the calendar when a day it must look at is in a year it cannot
  // answer for (common/time/calendar.h).
  absl::StatusOr<BulletinPeriod> Covering(BulletinKind kind,
                                          absl::CivilDay day) const;

  // The period that comes after `period` (same kind). Errors: as
  // Covering().
  absl::StatusOr<BulletinPeriod> Next(const BulletinPeriod& period) const;

 private:
  PeriodRules(const time::Calendar& calendar, absl::Weekday weekday,
              int monthly_issue_day)
      : calendar_(&calendar),
        weekday_(weekday),
        monthly_issue_day_(monthly_issue_day) {}

  // The first working day on or after `day`.
  absl::StatusOr<absl::CivilDay> WorkingOnOrAfter(absl::CivilDay day) const;

  // Const after construction. Not owned; must outlive this.
  const time::Calendar* calendar_;
  absl::Weekday weekday_;
  int monthly_issue_day_;
};

}  // namespace caserelay::bulletins

#endif  // CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_PERIOD_H_
