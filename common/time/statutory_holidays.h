// Statutory holidays (法定节假日) of any year, derived from the law itself:
// the 《全国年节及纪念日放假办法》 (State Council), Art. 2, 全体公民放假的节日.
//
//   as revised 2013-12-11, in force 2014-01-01 to 2024-12-31 (11 days):
//     元旦 1 (01-01), 春节 3 (正月初一..初三), 清明节 1 (清明 solar term),
//     劳动节 1 (05-01), 端午节 1 (五月初五), 中秋节 1 (八月十五),
//     国庆节 3 (10-01..10-03);
//   as revised 2024-11-10, in force from 2025-01-01 (13 days):
//     the same, but 春节 4 (除夕 = the last day of the twelfth lunar month,
//     the 29th or the 30th, and 正月初一..初三) and 劳动节 2 (05-01, 05-02).
//
// The lunar and solar-term dates come from an Almanac (common/time/
// almanac.h); nothing here is a table of dates. What the law leaves to each
// year's notice of the 国务院办公厅 (关于YYYY年部分节假日安排的通知) is not
// derived: the bridging rest days and make-up working days (调休), and on
// which working day a statutory day that falls on a weekend is given back
// (补假, Art. 6). common/time/calendar.h uses a year's notice table when it
// has one, and these days only for a year without one.
//
// Pure: no I/O. Thread-compatible (free functions over const data).

#ifndef CASERELAY_COMMON_TIME_STATUTORY_HOLIDAYS_H_
#define CASERELAY_COMMON_TIME_STATUTORY_HOLIDAYS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/time/almanac.h"

namespace caserelay::time {

// One statutory holiday day. `name` is the festival (节日), e.g. "春节";
// when two festivals fall on one day, both, joined by "、" in the law's
// order (中秋节、国庆节 on 2031-10-01).
struct StatutoryDay {
  absl::CivilDay day;
  std::string name;

  friend bool operator==(const StatutoryDay& a, const StatutoryDay& b) {
    return a.day == b.day && a.name == b.name;
  }
};

// The first year the rules above cover.
inline constexpr absl::civil_year_t kFirstStatutoryYear = 2014;

// Returns the statutory holiday days of Gregorian `year`, in date order, each
// day once, under the revision of the 放假办法 in force that year. Errors:
// OUT_OF_RANGE for a year before kFirstStatutoryYear (no rule known here);
// otherwise the Almanac's error, unchanged.
absl::StatusOr<std::vector<StatutoryDay>> StatutoryHolidays(
    const Almanac& almanac, absl::civil_year_t year);

// Names the revision in force in `year`, for operators, e.g.
// "全国年节及纪念日放假办法 (2024 revision, in force 2025-01-01)"; empty before
// kFirstStatutoryYear.
std::string StatutoryRuleName(absl::civil_year_t year);

}  // namespace caserelay::time

#endif  // CASERELAY_COMMON_TIME_STATUTORY_HOLIDAYS_H_
