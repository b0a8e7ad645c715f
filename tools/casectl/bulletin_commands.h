// casectl bulletin: the statistics service's bulletins (通报; issue 17
// item 2).
//
//   casectl bulletin daily|weekly|monthly --office BUREAU --date YYYY-MM-DD
//           [--format html|pdf|csv] [--out FILE]
//       issues (IssueBulletin) the bureau's 每日信访 / 周通报 / 月分析 of the
//       period that covers --date, or finds the one issued before, and
//       writes its document (GetBulletin) to FILE or stdout; a line on
//       stderr says which (期号, id) and whether it was issued now
//   casectl bulletin list --office BUREAU [--kind K] [--year Y]
//           [--limit N] [--page-token T]
//       the bureau's bulletins, the last issued first (ListBulletins)
//   casectl bulletin get ID [--format html|pdf|csv] [--out FILE]
//       one issued bulletin's document, byte for byte (GetBulletin)
// The parse of the flags is separate from the calls: bad usage sends
// nothing.
//
// Thread safety: functions are thread-safe; RunBulletin writes only to the
// streams it is given (and --out).

#ifndef CASERELAY_TOOLS_CASECTL_BULLETIN_COMMANDS_H_
#define CASERELAY_TOOLS_CASECTL_BULLETIN_COMMANDS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/statistics.grpc.pb.h"
#include "tools/casectl/call.h"
#include "tools/casectl/flags.h"

namespace caserelay::casectl {

// How long IssueBulletin may take: it renders a PDF (WeasyPrint), which
// takes seconds, more on a loaded machine.
inline constexpr absl::Duration kIssueTimeout = absl::Seconds(300);

struct BulletinCommand {
  enum class Verb { kIssue, kList, kGet };
  Verb verb = Verb::kIssue;
  caserelay::v1::IssueBulletinRequest issue;  // kIssue
  caserelay::v1::ListBulletinsRequest list;   // kList
  caserelay::v1::GetBulletinRequest get;      // kIssue (its format), kGet
  std::string out;  // --out: the document's file; empty: stdout
};

// The command of `bulletin`'s positional words and flags. INVALID_ARGUMENT
// naming the word or flag for: a first word other than daily, weekly,
// monthly, list or get; get without an ID or another verb with one;
// --office missing or not an office code; --date missing or not
// YYYY-MM-DD; --format other than html, pdf or csv; --kind other than
// daily, weekly or monthly; --year or --limit not a positive number.
absl::StatusOr<BulletinCommand> BulletinCommandOf(const ParsedFlags& flags);

// Runs the command (file comment). With options.json the answers are
// printed as protobuf JSON instead (issue and get: the Bulletin record
// only, no document). Returns the service's status if a call fails, or
// the error of writing --out (the code from errno).
absl::Status RunBulletin(
    caserelay::v1::StatisticsService::StubInterface& statistics,
    const BulletinCommand& command, const PrintOptions& options,
    std::ostream& out, std::ostream& err);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_BULLETIN_COMMANDS_H_
