// casectl clock: shows and moves the simulated clock (模拟时钟) that the
// services share through a clock file (common/time/file_clock.h; the
// services' setting clock.file, environment CASERELAY_CLOCK_FILE).
//
//   casectl clock show              --clock-file PATH
//   casectl clock set TIME          --clock-file PATH
//   casectl clock advance DURATION  --clock-file PATH
//
// Thread safety: functions are thread-safe; RunClock writes only to the
// stream it is given (and the clock file).

#ifndef CASERELAY_TOOLS_CASECTL_CLOCK_COMMANDS_H_
#define CASERELAY_TOOLS_CASECTL_CLOCK_COMMANDS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tools/casectl/call.h"
#include "tools/casectl/flags.h"

namespace caserelay::casectl {

// The variable the services read clock.file from (common/config): casectl
// takes it when --clock-file is not given.
inline constexpr char kClockFileVariable[] = "CASERELAY_CLOCK_FILE";

enum class ClockVerb { kShow, kSet, kAdvance };

struct ClockCommand {
  ClockVerb verb = ClockVerb::kShow;
  std::string path;                                // the clock file
  absl::Time time;                                 // kSet: the new time
  absl::Duration duration = absl::ZeroDuration();  // kAdvance: > 0
};

// TIME of `clock set`: RFC 3339 with an offset ("2026-05-01T08:00:00+08:00",
// "2026-05-01T00:00:00Z", fractions allowed) or a China date YYYY-MM-DD,
// meaning 00:00 China time. INVALID_ARGUMENT naming both forms otherwise.
absl::StatusOr<absl::Time> ParseClockTime(absl::string_view text);

// DURATION of `clock advance`: a sum of whole days ("15d", 24 hours each)
// and/or an absl duration ("36h", "1h30m", "90s"), days first: "1d12h".
// INVALID_ARGUMENT unless it parses and is positive and finite.
absl::StatusOr<absl::Duration> ParseClockDuration(absl::string_view text);

// The ClockCommand of `clock`'s positional arguments and flags; the path
// is --clock-file, else $CASERELAY_CLOCK_FILE. INVALID_ARGUMENT for: an
// unknown verb, a missing or extra argument ("clock set takes TIME"), no
// path, a bad TIME or DURATION.
absl::StatusOr<ClockCommand> ClockCommandOf(const ParsedFlags& flags);

// Runs the command on the clock file, then prints its time:
// "clock: 2026-05-01 08:00:00 China time (2026-05-01T00:00:00Z), file
// PATH", or with options.json {"now": RFC 3339 UTC, "file": PATH}.
// show and advance open an existing file: NOT_FOUND naming it if it is
// missing (set creates it), DATA_LOSS if it is not a clock file. set
// creates a missing file, but never replaces a file that is not a clock
// file (DATA_LOSS). Other errors: file_clock.h's codes.
absl::Status RunClock(const ClockCommand& command, const PrintOptions& options,
                      std::ostream& out);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_CLOCK_COMMANDS_H_
