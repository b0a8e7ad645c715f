// supervision's RocksDB keys (column families in supervision_service.h).
//
//   "timers": 8-byte big-endian µs of the instant the timer fires, one kind
//             byte ('w' warning, 'm' miss), the deadline id. Value: for a
//             warning, the 8-byte big-endian µs of the deadline's due_at it
//             was set for; empty for a miss (it fires at due_at).
//   "lights": 8-byte big-endian µs of the missed deadline's due_at, the
//             deadline id. Value: the deadline's office code.
//
// Both sort by time first, so a scan from the start visits the earliest
// first. Instants before the Unix epoch are stored as the epoch.
//
// Pure. Thread safety: stateless functions.

#ifndef CASERELAY_SERVICES_SUPERVISION_KEYS_H_
#define CASERELAY_SERVICES_SUPERVISION_KEYS_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace caserelay::supervision {

enum class TimerKind : char {
  kWarning = 'w',  // yellow light: due_at - supervision.warning_before
  kMiss = 'm',     // red light: due_at
};

// The 8 bytes that sort like `t` (µs since the epoch, big-endian).
std::string TimeBytes(absl::Time t);

// The timer key of `kind` for `deadline_id`, firing at `at`.
std::string TimerKey(absl::Time at, TimerKind kind,
                     std::string_view deadline_id);

struct ParsedTimer {
  absl::Time at;
  TimerKind kind;
  std::string deadline_id;
};

// The parts of a timer key; nullopt if it is not one (too short, an
// unknown kind byte, an empty id).
std::optional<ParsedTimer> ParseTimerKey(std::string_view key);

// The "lights" key of the missed deadline `deadline_id` due at `due`.
std::string LightKey(absl::Time due, std::string_view deadline_id);

struct ParsedLight {
  absl::Time due;
  std::string deadline_id;
};

// The parts of a lights key; nullopt if it is not one.
std::optional<ParsedLight> ParseLightKey(std::string_view key);

}  // namespace caserelay::supervision

#endif  // CASERELAY_SERVICES_SUPERVISION_KEYS_H_
