// casectl's command line: the global options, the table of commands, and
// the parse of a whole command line into an Invocation that main.cc
// dispatches. Help texts come from the same table, so a command and its
// --help cannot disagree.
//
// Global options may stand before or after the command word:
//   --intake HOST:PORT  --routing HOST:PORT  --supervision HOST:PORT
//   --notification HOST:PORT  --accounts HOST:PORT  --token-file F
//   --tls-ca F  --tls-cert F  --tls-key F  --tls-server-name NAME
//   --json  --help (-h)
//
// Thread safety: the command table is constant; functions are thread-safe.

#ifndef CASERELAY_TOOLS_CASECTL_CLI_H_
#define CASERELAY_TOOLS_CASECTL_CLI_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tools/casectl/flags.h"

namespace caserelay::casectl {

// casectl's exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // the service refused or failed
inline constexpr int kExitUsage = 2;   // bad usage: nothing was sent
inline constexpr int kExitBroken = 3;  // verify found a broken chain

// The options every command accepts, as given on the command line (the
// environment and endpoints files are consulted later, in connect.h).
struct GlobalOptions {
  std::string intake;           // --intake HOST:PORT
  std::string routing;          // --routing HOST:PORT
  std::string supervision;      // --supervision HOST:PORT
  std::string notification;     // --notification HOST:PORT
  std::string statistics;       // --statistics HOST:PORT
  std::string accounts;         // --accounts HOST:PORT
  std::string token_file;       // --token-file: the office's bearer token
  std::string tls_ca;           // --tls-ca: CA of the services' certificates
  std::string tls_cert;         // --tls-cert: the office's client certificate
  std::string tls_key;          // --tls-key: its private key
  std::string tls_server_name;  // --tls-server-name: name to verify
  bool json = false;  // --json: protobuf JSON on stdout instead of text
};

enum class CommandKind {
  kSubmit,      // intake: file a petition
  kStatus,      // intake: the petitioner's look-up
  kReception,   // intake: the leaders' reception schedule (领导接访)
  kRoute,       // routing: PreviewRoute
  kInbox,       // routing: ListInbox
  kCharged,     // routing: ListChargedCases (领导包案)
  kShow,        // routing: GetCase, decoded
  kVerify,      // routing: GetCase, hash chain checked
  kAct,         // routing: Act (one command per action, actions.h)
  kDeadlines,   // supervision: ListDeadlines
  kSupervise,   // supervision: Supervise (督办 by hand, issue 18 item 4)
  kLights,      // supervision: ListRedLights (灭红灯)
  kGroupAlerts, // supervision: ListGroupAlerts (群体访预警)
  kStats,       // supervision: GetIndicators
  kBulletin,    // statistics: IssueBulletin, ListBulletins, GetBulletin
  kSms,         // notification: ListMessages (短信告知)
  kSmsResolve,  // notification: ResolveMessage, an UNKNOWN SMS settled
  kToken,       // local: token add
  kDeadLetters, // a service's admin server: dead-letters list, replay
  kClock,       // local: the simulated clock file (show, set, advance)
  kCalendar,    // local: the holiday calendar and due dates
  kAdmin,       // accounts: admin bootstrap (the console's first admin)
};

struct CommandSpec {
  std::string name;  // the command word, e.g. "decide-review"
  CommandKind kind;
  std::string args;     // the positional arguments, e.g. "CASE LOOKUP_CODE"
  std::string summary;  // what it does, one or more lines
  std::vector<FlagSpec> flags;  // its own flags (not the global ones)
  size_t min_args = 0;          // how many positional arguments it takes
  size_t max_args = 0;
  std::string examples = "";  // command lines for --help, one per line
};

// Every command, in help order: intake's, routing's reads, the actions in
// life-cycle order, supervision's reads, notification's, token, clock,
// calendar. The same object on every call.
const std::vector<CommandSpec>& Commands();
// The command named `name`, or nullptr.
const CommandSpec* FindCommand(absl::string_view name);
// The global flags, as FlagSpecs.
const std::vector<FlagSpec>& GlobalFlags();

// A parsed command line.
struct Invocation {
  GlobalOptions global;
  bool help = false;  // --help or -h was given: print help, do nothing
  // The command; nullptr only when help is set and no command was named.
  const CommandSpec* command = nullptr;
  // The command's flags and positional arguments (global ones included).
  ParsedFlags flags;
};

// Parses `args` (argv without the program name). With --help or -h
// anywhere, returns help set and the command if one is named, checking
// nothing else. Otherwise fails with INVALID_ARGUMENT for: no command,
// an unknown command, a flag error (flags.h; a flag of another command is
// an unknown flag), or the wrong number of positional arguments ("show
// takes CASE").
absl::StatusOr<Invocation> ParseInvocation(
    const std::vector<std::string>& args);

// `casectl --help`: every command's synopsis, the global options, the
// address and credential look-up, exit codes.
std::string MainHelp();
// `casectl CMD --help`: the synopsis, summary, every flag and the examples
// of `command`.
std::string CommandHelp(const CommandSpec& command);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_CLI_H_
