#include "common/time/calendar.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/time/statutory_holidays.h"

namespace caserelay::time {
namespace {

namespace fs = std::filesystem;

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

// Returns the year of a file named YYYY.tsv, or 0 if the name is not one.
absl::civil_year_t TableYear(const fs::path& path) {
  const std::string name = path.filename().string();
  if (name.size() != 8 || name.substr(4) != ".tsv") return 0;
  const absl::string_view digits = absl::string_view(name).substr(0, 4);
  for (char c : digits) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return 0;
  }
  int year = 0;
  if (!absl::SimpleAtoi(digits, &year) || year == 0) return 0;
  return year;
}

// Parses "YYYY-MM-DD" strictly: it must round-trip, so "2024-2-1" and
// "2024-02-30" are rejected.
bool ParseDay(absl::string_view text, absl::CivilDay* day) {
  return absl::ParseCivilTime(text, day) && absl::FormatCivilTime(*day) == text;
}

// Parses one non-comment line of table `year` into (day, info).
absl::Status ParseLine(absl::string_view line, absl::civil_year_t year,
                       absl::CivilDay* day, DayInfo* info) {
  const std::vector<absl::string_view> fields = absl::StrSplit(line, '\t');
  if (fields.size() < 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected TAB-separated fields 'date kind name ...', got ",
                     fields.size(), " field(s)"));
  }
  if (!ParseDay(fields[0], day)) {
    return absl::InvalidArgumentError(
        absl::StrCat("date '", fields[0], "' is not a YYYY-MM-DD date"));
  }
  const absl::civil_year_t day_year = day->year();
  const bool previous_december = day_year == year - 1 && day->month() == 12;
  if (day_year != year && !previous_december) {
    return absl::InvalidArgumentError(absl::StrCat(
        "date ", fields[0], " is outside the table's year ", year,
        " (only that year and the December before it are allowed)"));
  }
  const absl::string_view kind = fields[1];
  if (fields[2].empty()) {
    return absl::InvalidArgumentError("name (third field) is empty");
  }
  info->name = std::string(fields[2]);
  if (kind == "holiday") {
    if (fields.size() != 4) {
      return absl::InvalidArgumentError(absl::StrCat(
          "a holiday line has 4 fields 'date holiday name statutory|rest', "
          "got ",
          fields.size()));
    }
    if (fields[3] == "statutory") {
      info->kind = DayKind::kStatutoryHoliday;
    } else if (fields[3] == "rest") {
      info->kind = DayKind::kRestDay;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "fourth field '", fields[3], "' is neither 'statutory' nor 'rest'"));
    }
    return absl::OkStatus();
  }
  if (kind == "workday") {
    if (fields.size() != 3) {
      return absl::InvalidArgumentError(
          absl::StrCat("a workday line has 3 fields 'date workday note', got ",
                       fields.size()));
    }
    if (!IsWeekend(*day)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "make-up working day ", fields[0], " is not a Saturday or Sunday"));
    }
    info->kind = DayKind::kMakeUpWorkday;
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("kind '", kind, "' is neither 'holiday' nor 'workday'"));
}

absl::Status NoTable(absl::CivilDay day) {
  return absl::FailedPreconditionError(absl::StrCat(
      "no holiday table for year ", day.year(), " (needed for ",
      absl::FormatCivilTime(day), "); add data/holidays/", day.year(), ".tsv"));
}

DayInfo Ordinary(absl::CivilDay day, DaySource source) {
  DayInfo info;
  info.kind = IsWeekend(day) ? DayKind::kWeekend : DayKind::kRegularWorkday;
  info.source = source;
  return info;
}

}  // namespace

struct Calendar::Derived {
  absl::Mutex mu;
  // Year -> its statutory days (day -> festival name). A std::map: its
  // values never move, and entries are never erased, so a pointer to one
  // stays valid after the lock is released.
  std::map<absl::civil_year_t, absl::flat_hash_map<absl::CivilDay, std::string>>
      years ABSL_GUARDED_BY(mu);
};

const char* DaySourceName(DaySource source) {
  switch (source) {
    case DaySource::kNotice:
      return "notice";
    case DaySource::kLaw:
      return "derived";
    case DaySource::kWeekendsOnly:
      return "weekends-only";
  }
  return "?";
}

Calendar::Calendar(const Calendar&) = default;
Calendar::Calendar(Calendar&&) noexcept = default;
Calendar& Calendar::operator=(const Calendar&) = default;
Calendar& Calendar::operator=(Calendar&&) noexcept = default;
Calendar::~Calendar() = default;

bool IsWorking(DayKind kind) {
  return kind == DayKind::kRegularWorkday || kind == DayKind::kMakeUpWorkday;
}

absl::StatusOr<Calendar> Calendar::Load(const std::string& dir,
                                        CalendarOptions options) {
  if (options.uncovered == UncoveredYears::kDeriveFromLaw &&
      options.almanac == nullptr) {
    return absl::InvalidArgumentError(
        "CalendarOptions: deriving years without a table from the law needs "
        "an almanac");
  }
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(
        absl::StrCat("holiday table directory '", dir, "' does not exist"));
  }
  std::vector<std::pair<absl::civil_year_t, fs::path>> tables;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const absl::civil_year_t year = TableYear(entry.path());
    if (year != 0 && entry.is_regular_file()) {
      tables.emplace_back(year, entry.path());
    }
  }
  if (ec) {
    return absl::ErrnoToStatus(ec.value(), absl::StrCat("listing '", dir, "'"));
  }
  // Read in year order so that error messages do not depend on the order in
  // which the file system lists the directory.
  std::sort(tables.begin(), tables.end());
  if (tables.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no holiday table (YYYY.tsv) in '", dir, "'"));
  }

  Calendar calendar;
  calendar.options_ = std::move(options);
  calendar.derived_ = std::make_shared<Derived>();
  // Where each listed day came from, to name both places of a duplicate.
  absl::flat_hash_map<absl::CivilDay, std::string> origin;
  for (const auto& [year, path] : tables) {
    std::ifstream in(path);
    if (!in) {
      return absl::ErrnoToStatus(errno,
                                 absl::StrCat("opening '", path.string(), "'"));
    }
    calendar.years_.insert(year);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      const std::string where = absl::StrCat(path.string(), ":", number);
      absl::CivilDay day;
      DayInfo info;
      if (absl::Status s = ParseLine(line, year, &day, &info); !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": ", s.message()));
      }
      auto [it, inserted] = origin.emplace(day, where);
      if (!inserted) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": date ", absl::FormatCivilTime(day),
                         " is already listed at ", it->second));
      }
      calendar.listed_.emplace(day, std::move(info));
    }
    if (in.bad()) {
      return absl::ErrnoToStatus(errno,
                                 absl::StrCat("reading '", path.string(), "'"));
    }
  }
  return calendar;
}

absl::StatusOr<DayInfo> Calendar::Describe(absl::CivilDay day) const {
  if (auto it = listed_.find(day); it != listed_.end()) return it->second;
  if (years_.contains(day.year())) return Ordinary(day, DaySource::kNotice);
  switch (options_.uncovered) {
    case UncoveredYears::kRefuse:
      return NoTable(day);
    case UncoveredYears::kWeekendsOnly:
      return Ordinary(day, DaySource::kWeekendsOnly);
    case UncoveredYears::kDeriveFromLaw:
      break;
  }
  auto derived = DerivedYear(day.year());
  if (!derived.ok()) return derived.status();
  if (auto it = (*derived)->find(day); it != (*derived)->end()) {
    return DayInfo{DayKind::kStatutoryHoliday, it->second, DaySource::kLaw};
  }
  return Ordinary(day, DaySource::kLaw);
}

absl::StatusOr<const absl::flat_hash_map<absl::CivilDay, std::string>*>
Calendar::DerivedYear(absl::civil_year_t year) const {
  absl::MutexLock lock(&derived_->mu);
  if (auto it = derived_->years.find(year); it != derived_->years.end()) {
    return &it->second;
  }
  absl::StatusOr<std::vector<StatutoryDay>> days =
      StatutoryHolidays(*options_.almanac, year);
  if (!days.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no holiday table for year ", year,
        ", and its statutory holidays cannot be derived: ",
        days.status().message(), "; add data/holidays/", year, ".tsv"));
  }
  auto& entry = derived_->years[year];
  for (StatutoryDay& d : *days) entry.emplace(d.day, std::move(d.name));
  if (options_.on_derived_year) options_.on_derived_year(year);
  return &entry;
}

std::vector<absl::civil_year_t> Calendar::DerivedYears() const {
  std::vector<absl::civil_year_t> years;
  absl::MutexLock lock(&derived_->mu);
  for (const auto& [year, days] : derived_->years) years.push_back(year);
  return years;
}

absl::StatusOr<bool> Calendar::IsWorkingDay(absl::CivilDay day) const {
  absl::StatusOr<DayInfo> info = Describe(day);
  if (!info.ok()) return info.status();
  return IsWorking(info->kind);
}

absl::StatusOr<absl::CivilDay> Calendar::AddCalendarDays(absl::CivilDay start,
                                                         int days) const {
  if (days < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("days must be >= 0, got ", days));
  }
  // Terminates: the covered years are finite, so the walk ends at the
  // latest on the first day of a year without a table (refused), or within
  // a few weeks of it (no law gives more than a handful of days in a row).
  for (absl::CivilDay day = start + days;; ++day) {
    absl::StatusOr<bool> working = IsWorkingDay(day);
    if (!working.ok()) return working.status();
    if (*working) return day;
  }
}

absl::StatusOr<absl::CivilDay> Calendar::AddWorkingDays(absl::CivilDay start,
                                                        int days) const {
  if (days < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("days must be >= 0, got ", days));
  }
  absl::CivilDay day = start;
  for (int counted = 0; counted < days;) {
    ++day;
    absl::StatusOr<bool> working = IsWorkingDay(day);
    if (!working.ok()) return working.status();
    if (*working) ++counted;
  }
  return day;
}

}  // namespace caserelay::time
