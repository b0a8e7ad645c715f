#include "tools/casectl/calendar_commands.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/time/calendar_setup.h"
#include "common/time/china_time.h"
#include "common/time/statutory_holidays.h"
#include "google/protobuf/struct.pb.h"
#include "tools/casectl/format.h"

namespace caserelay::casectl {
namespace {

constexpr int kMaxDays = 3650;

std::string FromEnvironment(const char* variable, const char* fallback) {
  const char* value = std::getenv(variable);
  return value == nullptr || *value == '\0' ? fallback : value;
}

absl::Status Usage() {
  return absl::InvalidArgumentError(
      "calendar takes YEAR, or --due START DAYS [--working]");
}

absl::StatusOr<absl::CivilDay> ParseStart(const std::string& text) {
  absl::CivilDay day;
  if (text.size() == 10 && absl::ParseCivilTime(text, &day) &&
      absl::FormatCivilTime(day) == text) {
    return day;
  }
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err)) {
    return time::ChinaDay(t);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "START must be a China date YYYY-MM-DD or an RFC 3339 time such as "
      "2027-01-21T09:00:00+08:00; got '",
      text, "'"));
}

const char* Weekday(absl::CivilDay day) {
  static const char* const kNames[] = {"Mon", "Tue", "Wed", "Thu",
                                       "Fri", "Sat", "Sun"};
  return kNames[static_cast<int>(absl::GetWeekday(day))];
}

// "statutory", "rest" or "make-up" for the days a listing shows; "" for
// the others (ordinary weekdays and weekends).
const char* ListedKind(time::DayKind kind) {
  switch (kind) {
    case time::DayKind::kStatutoryHoliday:
      return "statutory";
    case time::DayKind::kRestDay:
      return "rest";
    case time::DayKind::kMakeUpWorkday:
      return "make-up";
    default:
      return "";
  }
}

absl::StatusOr<std::string> Quote(const std::string& text) {
  google::protobuf::Value value;
  value.set_string_value(text);
  return ToJson(value);
}

// How the year is counted, for the listing's first line.
std::string YearSource(const time::Calendar& calendar,
                       const CalendarCommand& command) {
  if (calendar.Covers(command.year)) {
    return absl::StrCat("State Council notice (", command.dir, "/",
                        command.year, ".tsv)");
  }
  switch (command.uncovered) {
    case time::UncoveredYears::kDeriveFromLaw:
      return absl::StrCat(
          "no State Council notice loaded: derived from the law (",
          time::StatutoryRuleName(command.year),
          "); statutory days and weekends rest, no make-up working days, "
          "until ",
          command.dir, "/", command.year, ".tsv is added");
    case time::UncoveredYears::kWeekendsOnly:
      return "no State Council notice loaded: Saturdays and Sundays only "
             "(provisional)";
    case time::UncoveredYears::kRefuse:
      break;
  }
  return "no State Council notice loaded";
}

absl::Status RunYear(const time::Calendar& calendar,
                     const CalendarCommand& command,
                     const PrintOptions& options, std::ostream& out) {
  struct Listed {
    absl::CivilDay day;
    time::DayInfo info;
  };
  std::vector<Listed> listed;
  int weekends = 0;
  for (absl::CivilDay day(command.year, 1, 1); day.year() == command.year;
       ++day) {
    absl::StatusOr<time::DayInfo> info = calendar.Describe(day);
    if (!info.ok()) return info.status();
    if (info->kind == time::DayKind::kWeekend) ++weekends;
    if (*ListedKind(info->kind) != '\0') listed.push_back({day, *info});
  }
  const std::string source = YearSource(calendar, command);
  if (options.json) {
    std::vector<std::string> days;
    for (const Listed& l : listed) {
      absl::StatusOr<std::string> name = Quote(l.info.name);
      if (!name.ok()) return name.status();
      days.push_back(absl::StrCat("{\"date\":\"", absl::FormatCivilTime(l.day),
                                  "\",\"weekday\":\"", Weekday(l.day),
                                  "\",\"kind\":\"", ListedKind(l.info.kind),
                                  "\",\"name\":", *name, ",\"source\":\"",
                                  time::DaySourceName(l.info.source), "\"}"));
    }
    absl::StatusOr<std::string> quoted = Quote(source);
    if (!quoted.ok()) return quoted.status();
    out << "{\"year\":" << command.year
        << ",\"notice\":" << (calendar.Covers(command.year) ? "true" : "false")
        << ",\"counted_by\":" << *quoted << ",\"days\":["
        << absl::StrJoin(days, ",") << "],\"other_weekend_days\":" << weekends
        << "}\n";
    return absl::OkStatus();
  }
  out << "calendar " << command.year << ": " << source << "\n";
  int statutory = 0, rest = 0, make_up = 0;
  for (const Listed& l : listed) {
    const char* kind = ListedKind(l.info.kind);
    out << absl::FormatCivilTime(l.day) << "  " << Weekday(l.day) << "  "
        << kind << std::string(10 - std::string(kind).size(), ' ')
        << time::DaySourceName(l.info.source) << "  " << l.info.name << "\n";
    if (l.info.kind == time::DayKind::kStatutoryHoliday) ++statutory;
    if (l.info.kind == time::DayKind::kRestDay) ++rest;
    if (l.info.kind == time::DayKind::kMakeUpWorkday) ++make_up;
  }
  out << statutory << " statutory days, " << rest << " other rest days, "
      << make_up << " make-up working days; and " << weekends
      << " other Saturdays and Sundays\n";
  return absl::OkStatus();
}

absl::Status RunDue(const time::Calendar& calendar,
                    const CalendarCommand& command, const PrintOptions& options,
                    std::ostream& out) {
  absl::StatusOr<absl::CivilDay> last =
      command.working ? calendar.AddWorkingDays(command.start, command.days)
                      : calendar.AddCalendarDays(command.start, command.days);
  if (!last.ok()) return last.status();
  const absl::Time due = time::EndOf(*last);
  // The years looked at without a notice: the answer stands until their
  // notices are loaded.
  std::vector<std::string> derived;
  for (absl::civil_year_t y = command.start.year(); y <= last->year(); ++y) {
    if (!calendar.Covers(y)) derived.push_back(std::to_string(y));
  }
  const std::string due_utc =
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", due, absl::UTCTimeZone());
  if (options.json) {
    out << "{\"start\":\"" << absl::FormatCivilTime(command.start)
        << "\",\"days\":" << command.days
        << ",\"working\":" << (command.working ? "true" : "false")
        << ",\"last_day\":\"" << absl::FormatCivilTime(*last) << "\",\"due\":\""
        << due_utc << "\",\"years_without_notice\":["
        << absl::StrJoin(derived, ",") << "]}\n";
    return absl::OkStatus();
  }
  out << "start     " << absl::FormatCivilTime(command.start) << " "
      << Weekday(command.start) << " (not counted, 民法典 Art. 201)\n"
      << "period    " << command.days
      << (command.working ? " working days (工作日)" : " days (日)") << "\n"
      << "last day  " << absl::FormatCivilTime(*last) << " " << Weekday(*last)
      << (command.working
              ? ""
              : " (a last day on a rest day moves to the next working day, "
                "Art. 203)")
      << "\n"
      << "due       "
      << absl::FormatTime("%Y-%m-%d %H:%M", due, time::ChinaTimeZone())
      << " China time (" << due_utc << "), the end of the last day\n";
  if (!derived.empty() && command.uncovered != time::UncoveredYears::kRefuse) {
    out << "note      no State Council notice loaded for "
        << absl::StrJoin(derived, ", ") << ": counted "
        << (command.uncovered == time::UncoveredYears::kDeriveFromLaw
                ? "from the law alone"
                : "on Saturdays and Sundays only")
        << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CalendarCommand> CalendarCommandOf(const ParsedFlags& flags) {
  const std::vector<std::string>& args = flags.positional();
  CalendarCommand cmd;
  cmd.due = flags.Has("due");
  cmd.working = flags.Has("working");
  if (cmd.due) {
    if (args.size() != 2) return Usage();
    absl::StatusOr<absl::CivilDay> start = ParseStart(args[0]);
    if (!start.ok()) return start.status();
    cmd.start = *start;
    if (!absl::SimpleAtoi(args[1], &cmd.days) || cmd.days < 0 ||
        cmd.days > kMaxDays) {
      return absl::InvalidArgumentError(
          absl::StrCat("DAYS must be a whole number 0..", kMaxDays, "; got '",
                       args[1], "'"));
    }
  } else {
    if (args.size() != 1) return Usage();
    if (cmd.working) {
      return absl::InvalidArgumentError("--working goes with --due");
    }
    int year = 0;
    if (!absl::SimpleAtoi(args[0], &year) || year < 1 || year > 9999) {
      return absl::InvalidArgumentError(absl::StrCat(
          "YEAR must be a year such as 2027; got '", args[0], "'"));
    }
    cmd.year = year;
  }
  cmd.dir = flags.Has("calendar-dir")
                ? flags.Value("calendar-dir")
                : FromEnvironment(kCalendarDirVariable, "data/holidays");
  const std::string mode =
      flags.Has("uncovered-years")
          ? flags.Value("uncovered-years")
          : FromEnvironment(kUncoveredYearsVariable, "law");
  absl::StatusOr<time::UncoveredYears> uncovered =
      time::ParseUncoveredYears(mode);
  if (!uncovered.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--uncovered-years: ", uncovered.status().message()));
  }
  cmd.uncovered = *uncovered;
  return cmd;
}

absl::Status RunCalendar(const CalendarCommand& command,
                         const PrintOptions& options, std::ostream& out) {
  absl::StatusOr<time::Calendar> calendar =
      time::LoadCalendar(command.dir, command.uncovered);
  if (!calendar.ok()) return calendar.status();
  return command.due ? RunDue(*calendar, command, options, out)
                     : RunYear(*calendar, command, options, out);
}

}  // namespace caserelay::casectl
