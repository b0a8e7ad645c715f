#include "tools/casectl/clock_commands.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "common/time/file_clock.h"
#include "google/protobuf/struct.pb.h"
#include "tools/casectl/format.h"

namespace caserelay::casectl {

namespace {

// Days are counted up to this many (about 27 years): enough for any replay.
constexpr int64_t kMaxDays = 10000;

absl::Status BadDuration(absl::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat(
      "DURATION must be a positive sum of d (days), h, m and s such as 36h, "
      "15d or 1d12h; got '",
      text, "'"));
}

std::string ClockFileFromEnvironment() {
  const char* value = std::getenv(kClockFileVariable);
  return value == nullptr ? "" : value;
}

}  // namespace

absl::StatusOr<absl::Time> ParseClockTime(absl::string_view text) {
  absl::CivilDay day;
  if (text.size() == 10 && absl::ParseCivilTime(text, &day)) {
    return time::StartOf(day);
  }
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err)) return t;
  return absl::InvalidArgumentError(absl::StrCat(
      "TIME must be RFC 3339 such as 2026-05-01T08:00:00+08:00, or a China "
      "date YYYY-MM-DD; got '",
      text, "'"));
}

absl::StatusOr<absl::Duration> ParseClockDuration(absl::string_view text) {
  absl::Duration total = absl::ZeroDuration();
  absl::string_view rest = text;
  if (size_t d = rest.find('d'); d != absl::string_view::npos) {
    int64_t days = 0;
    absl::string_view number = rest.substr(0, d);
    if (number.empty() || !absl::ascii_isdigit(number[0]) ||
        !absl::SimpleAtoi(number, &days) || days > kMaxDays) {
      return BadDuration(text);
    }
    total += absl::Hours(24) * days;
    rest.remove_prefix(d + 1);
  }
  if (!rest.empty()) {
    absl::Duration more;
    if (!absl::ascii_isdigit(rest[0]) || !absl::ParseDuration(rest, &more) ||
        more <= absl::ZeroDuration()) {
      return BadDuration(text);
    }
    total += more;
  }
  if (total <= absl::ZeroDuration() || total == absl::InfiniteDuration()) {
    return BadDuration(text);
  }
  return total;
}

absl::StatusOr<ClockCommand> ClockCommandOf(const ParsedFlags& flags) {
  const std::vector<std::string>& args = flags.positional();
  ClockCommand cmd;
  const std::string verb = args.empty() ? "" : args[0];
  if (verb == "show") {
    if (args.size() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("clock show takes no argument; got '", args[1], "'"));
    }
    cmd.verb = ClockVerb::kShow;
  } else if (verb == "set" || verb == "advance") {
    const bool set = verb == "set";
    if (args.size() != 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("clock ", verb, " takes ", set ? "TIME" : "DURATION"));
    }
    if (set) {
      absl::StatusOr<absl::Time> t = ParseClockTime(args[1]);
      if (!t.ok()) return t.status();
      cmd.verb = ClockVerb::kSet;
      cmd.time = *t;
    } else {
      absl::StatusOr<absl::Duration> d = ParseClockDuration(args[1]);
      if (!d.ok()) return d.status();
      cmd.verb = ClockVerb::kAdvance;
      cmd.duration = *d;
    }
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "clock takes show, set TIME or advance DURATION; got '", verb, "'"));
  }
  cmd.path = flags.Has("clock-file") ? flags.Value("clock-file")
                                     : ClockFileFromEnvironment();
  if (cmd.path.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "clock needs --clock-file PATH (or $", kClockFileVariable, ")"));
  }
  return cmd;
}

absl::Status RunClock(const ClockCommand& command, const PrintOptions& options,
                      std::ostream& out) {
  absl::StatusOr<std::unique_ptr<time::FileClock>> clock =
      time::FileClock::Open(command.path);
  if (command.verb == ClockVerb::kSet &&
      clock.status().code() == absl::StatusCode::kNotFound) {
    clock = time::FileClock::Create(command.path, command.time);
  } else if (command.verb == ClockVerb::kSet && clock.ok()) {
    (*clock)->Set(command.time);
  }
  if (!clock.ok()) {
    if (clock.status().code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError(absl::StrCat(
          clock.status().message(), " (casectl clock set TIME creates it)"));
    }
    if (command.verb == ClockVerb::kSet &&
        clock.status().code() == absl::StatusCode::kDataLoss) {
      return absl::DataLossError(
          absl::StrCat(clock.status().message(),
                       "; not a clock file, so casectl leaves it alone"));
    }
    return clock.status();
  }
  if (command.verb == ClockVerb::kAdvance) (*clock)->Advance(command.duration);
  const absl::Time now = (*clock)->Now();
  const std::string utc =
      absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", now, absl::UTCTimeZone());
  if (options.json) {
    // By hand: a Struct's fields would come out in any order.
    google::protobuf::Value file;
    file.set_string_value(command.path);
    absl::StatusOr<std::string> quoted = ToJson(file);
    if (!quoted.ok()) return quoted.status();
    out << "{\"now\":\"" << utc << "\",\"file\":" << *quoted << "}\n";
    return absl::OkStatus();
  }
  out << "clock: "
      << absl::FormatTime("%Y-%m-%d %H:%M:%S", now, time::ChinaTimeZone())
      << " China time (" << utc << "), file " << command.path << "\n";
  return absl::OkStatus();
}

}  // namespace caserelay::casectl
