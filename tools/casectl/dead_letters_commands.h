// casectl dead-letters (死信, issue 22 item 5): the inputs a service could
// not apply, listed and replayed through the service's admin server
// (admin.listen, loopback by default: an operator on the service's host,
// as for /healthz and /metrics).
//
//   casectl dead-letters list --admin HOST:PORT
//   casectl dead-letters replay KEY --admin HOST:PORT
//   casectl dead-letters replay --all --admin HOST:PORT
//
// Thread safety: functions are thread-safe; Run writes only to `out`.

#ifndef CASERELAY_TOOLS_CASECTL_DEAD_LETTERS_COMMANDS_H_
#define CASERELAY_TOOLS_CASECTL_DEAD_LETTERS_COMMANDS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tools/casectl/flags.h"

namespace caserelay::casectl {

struct DeadLettersCommand {
  bool replay = false;  // replay; else list
  std::string key;      // replay: the dead letter's key; empty with --all
  std::string admin;    // HOST:PORT of the service's admin server
};

// The command of `dead-letters list|replay [KEY]` and its flags.
// INVALID_ARGUMENT: a word other than list or replay; --admin missing;
// list with a KEY or --all; replay with neither or both of KEY and --all.
absl::StatusOr<DeadLettersCommand> DeadLettersCommandOf(
    const ParsedFlags& flags);

// GETs the admin server's /dead-letters (one line per letter: key, reason,
// size; never the record, which may hold personal data) or
// /dead-letters/replay and prints the answer. UNAVAILABLE if the server
// cannot be reached; NOT_FOUND (no such dead letter) or the error the
// server answers otherwise, with its text.
absl::Status RunDeadLetters(const DeadLettersCommand& command,
                            std::ostream& out);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_DEAD_LETTERS_COMMANDS_H_
