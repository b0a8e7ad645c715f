// The offices' actions on a case (DOMAIN.md "Routing", routing.proto Act):
// one casectl command per ActRequest action, and the parse of its command
// line into an ActRequest.
//
//   casectl ACTION CASE [--version V] [--reason R] ...
//
// Thread safety: the table is constant; functions are thread-safe.

#ifndef CASERELAY_TOOLS_CASECTL_ACTIONS_H_
#define CASERELAY_TOOLS_CASECTL_ACTIONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "caserelay/v1/routing.pb.h"
#include "tools/casectl/flags.h"

namespace caserelay::casectl {

struct ActionSpec {
  std::string name;  // the command word: the oneof field, '_' as '-'
  std::string summary;
  std::vector<FlagSpec> flags;  // the action's own flags
  // Sets the action's oneof field of `request` from `flags`. Fails with
  // INVALID_ARGUMENT naming the flag that is missing or bad.
  absl::Status (*fill)(const ParsedFlags& flags,
                       caserelay::v1::ActRequest* request);
  std::string examples = "";  // command lines for --help, one per line
};

// Every action of ActRequest, in the oneof's order. The same object on
// every call.
const std::vector<ActionSpec>& Actions();
// The action named `name`, or nullptr.
const ActionSpec* FindAction(absl::string_view name);
// The flags every action takes: --version, --reason (and --operator,
// only to refuse it: the person acting comes from the credentials).
const std::vector<FlagSpec>& CommonActionFlags();

// An ActRequest ready to send, but for the version when none was given.
struct ActCommand {
  // case_id, reason, the action, and expected_version if given.
  caserelay::v1::ActRequest request;
  // False: the caller reads the case (GetCase) and sets expected_version
  // to its version before sending.
  bool version_given = false;
};

// Builds the ActRequest of action `action` from `flags` (parsed with the
// action's and the common flags; positional()[0] is the case id).
// INVALID_ARGUMENT naming what is wrong: an unknown action, no case id
// (or an empty one), --version that is not a decimal number, or the
// action's own flags (e.g. "decline needs --route R").
absl::StatusOr<ActCommand> ActCommandOf(absl::string_view action,
                                        const ParsedFlags& flags);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_ACTIONS_H_
