// casectl reception: the schedule of leaders' reception days (领导接访安排,
// issue 18 item 1; intake).
//
//   casectl reception publish --leader NAME --title TITLE --kind KIND
//           --day YYYY-MM-DD --place PLACE [--topic T] [--office CODE]
//           [--request-id R]
//       publishes one reception of the office (default: the caller's own);
//       prints its id and what was published
//   casectl reception list [--office CODE] [--region CODE]
//           [--from YYYY-MM-DD] [--to YYYY-MM-DD]
//       the published schedule from --from (default: today) on, by day:
//       id, day, kind, office, leader, place, topic, 已取消
//   casectl reception cancel ID
//       cancels a reception before its day
// The parse of the flags is separate from the calls: bad usage sends
// nothing.
//
// Thread safety: functions are thread-safe; RunReception writes only to
// the stream it is given.

#ifndef CASERELAY_TOOLS_CASECTL_RECEPTION_COMMANDS_H_
#define CASERELAY_TOOLS_CASECTL_RECEPTION_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "tools/casectl/call.h"
#include "tools/casectl/flags.h"

namespace caserelay::casectl {

struct ReceptionCommand {
  enum class Verb { kPublish, kList, kCancel };
  Verb verb = Verb::kList;
  caserelay::v1::PublishReceptionRequest publish;  // kPublish
  caserelay::v1::ListReceptionsRequest list;       // kList
  caserelay::v1::CancelReceptionRequest cancel;    // kCancel
};

// The command of `reception`'s words and flags. INVALID_ARGUMENT naming
// the word or flag for: a first word other than publish, list or cancel;
// cancel without an ID, or another verb with one; --kind not one of
// names::ReceptionKindNames' words. Everything else is intake's to judge.
absl::StatusOr<ReceptionCommand> ReceptionCommandOf(const ParsedFlags& flags);

// Runs the command (file comment); with options.json the answer is
// printed as protobuf JSON. Returns intake's status when it refuses or
// fails, having printed nothing.
absl::Status RunReception(caserelay::v1::IntakeService::StubInterface& intake,
                          const ReceptionCommand& command,
                          const PrintOptions& options, std::ostream& out);

// The lines of one reception: "<id>  <day>  <kind>  <office>  <title> <name>
// <place> [topic] [已取消]" as a table row, for `list` and the tests.
std::vector<std::string> ReceptionRow(const caserelay::v1::Reception& r);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_RECEPTION_COMMANDS_H_
