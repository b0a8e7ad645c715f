#include "common/time/statutory_holidays.h"

#include <map>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace caserelay::time {
namespace {

// Where a festival's first day comes from.
enum class Anchor {
  kGregorian,  // month/day of the Gregorian year
  kLunar,      // month/day of the lunar year starting in the Gregorian year
  kChuxi,      // 除夕: the day before 正月初一
  kQingming,   // the day of the solar term 清明
};

struct Festival {
  const char* name;
  Anchor anchor;
  int month;  // kGregorian, kLunar only
  int day;    // kGregorian, kLunar only
  int days;   // consecutive days from the first
};

struct Revision {
  absl::civil_year_t first_year;
  const char* name;
  std::vector<Festival> festivals;
};

// The 放假办法's Art. 2 (全体公民放假的节日), newest revision first.
const std::vector<Revision>& Revisions() {
  static const auto* revisions = new std::vector<Revision>{
      {2025,
       "全国年节及纪念日放假办法 (2024-11-10 revision, in force 2025-01-01)",
       {{"元旦", Anchor::kGregorian, 1, 1, 1},
        {"春节", Anchor::kChuxi, 0, 0, 4},
        {"清明节", Anchor::kQingming, 0, 0, 1},
        {"劳动节", Anchor::kGregorian, 5, 1, 2},
        {"端午节", Anchor::kLunar, 5, 5, 1},
        {"中秋节", Anchor::kLunar, 8, 15, 1},
        {"国庆节", Anchor::kGregorian, 10, 1, 3}}},
      {kFirstStatutoryYear,
       "全国年节及纪念日放假办法 (2013-12-11 revision, in force 2014-01-01)",
       {{"元旦", Anchor::kGregorian, 1, 1, 1},
        {"春节", Anchor::kLunar, 1, 1, 3},
        {"清明节", Anchor::kQingming, 0, 0, 1},
        {"劳动节", Anchor::kGregorian, 5, 1, 1},
        {"端午节", Anchor::kLunar, 5, 5, 1},
        {"中秋节", Anchor::kLunar, 8, 15, 1},
        {"国庆节", Anchor::kGregorian, 10, 1, 3}}},
  };
  return *revisions;
}

const Revision* RevisionFor(absl::civil_year_t year) {
  for (const Revision& r : Revisions()) {
    if (year >= r.first_year) return &r;
  }
  return nullptr;
}

absl::StatusOr<absl::CivilDay> FirstDay(const Almanac& almanac,
                                        absl::civil_year_t year,
                                        const Festival& f) {
  switch (f.anchor) {
    case Anchor::kGregorian:
      return absl::CivilDay(year, f.month, f.day);
    case Anchor::kLunar:
      return almanac.LunarDay(year, f.month, f.day);
    case Anchor::kChuxi: {
      absl::StatusOr<absl::CivilDay> new_year = almanac.LunarDay(year, 1, 1);
      if (!new_year.ok()) return new_year.status();
      return *new_year - 1;
    }
    case Anchor::kQingming:
      return almanac.Qingming(year);
  }
  return absl::InternalError("unknown festival anchor");
}

}  // namespace

absl::StatusOr<std::vector<StatutoryDay>> StatutoryHolidays(
    const Almanac& almanac, absl::civil_year_t year) {
  const Revision* revision = RevisionFor(year);
  if (revision == nullptr) {
    return absl::OutOfRangeError(absl::StrCat(
        "no rule of the 全国年节及纪念日放假办法 is known here for ", year,
        " (the first year covered is ", kFirstStatutoryYear, ")"));
  }
  std::map<absl::CivilDay, std::string> days;
  for (const Festival& f : revision->festivals) {
    absl::StatusOr<absl::CivilDay> first = FirstDay(almanac, year, f);
    if (!first.ok()) return first.status();
    for (int i = 0; i < f.days; ++i) {
      std::string& name = days[*first + i];
      name = name.empty() ? f.name : absl::StrCat(name, "、", f.name);
    }
  }
  std::vector<StatutoryDay> out;
  out.reserve(days.size());
  for (auto& [day, name] : days) out.push_back({day, std::move(name)});
  return out;
}

std::string StatutoryRuleName(absl::civil_year_t year) {
  const Revision* revision = RevisionFor(year);
  return revision == nullptr ? "" : revision->name;
}

}  // namespace caserelay::time
