// casectl's office commands on routing: inbox (ListInbox), show (GetCase,
// decoded) and the actions (Act; actions.h builds the requests).
//
// Thread safety: functions are thread-safe; a Run function writes only to
// the stream it is given.

#ifndef CASERELAY_TOOLS_CASECTL_OFFICE_COMMANDS_H_
#define CASERELAY_TOOLS_CASECTL_OFFICE_COMMANDS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "tools/casectl/actions.h"
#include "tools/casectl/call.h"
#include "tools/casectl/flags.h"

namespace caserelay::casectl {

// Largest --page-size routing accepts (routing.proto ListInboxRequest).
inline constexpr int kMaxPageSize = 500;

struct InboxCommand {
  caserelay::v1::ListInboxRequest request;
  bool all = false;  // follow next_page_token to the last page
};

// The ListInboxRequest of `inbox`'s flags. --due-before D (a China date)
// becomes one microsecond after the start of D in China Standard Time,
// so a case is listed iff its next deadline's last day (24:00 of which is
// when it falls due) is before D. INVALID_ARGUMENT naming the flag for: a
// --state word that is not a state, --due-before that is not YYYY-MM-DD,
// --page-size that is not 1..kMaxPageSize.
absl::StatusOr<InboxCommand> InboxCommandOf(const ParsedFlags& flags);

// Lists the inbox as a table (case, state, next due, kind, category,
// title) or, with options.json, as one ListInboxResponse (with --all, the
// items of every page in one response). Without --all, a line names the
// next page's token when there is one. Returns the service's status if a
// call fails; with --all, the pages already fetched are not printed.
absl::Status RunInbox(caserelay::v1::RoutingService::StubInterface& routing,
                      const InboxCommand& command, const PrintOptions& options,
                      std::ostream& out);

// The case `case_id` with its history (GetCase), or the call's error.
absl::StatusOr<caserelay::v1::CaseDetail> FetchCase(
    caserelay::v1::RoutingService::StubInterface& routing,
    const std::string& case_id);

// Prints the case's view and every event decoded (format.h), or with
// options.json one object {"view": CaseView, "events": [Envelope, ...]}
// (an event that does not parse appears as {"unparsed": "<base64>"}).
// Returns the service's status if GetCase fails.
absl::Status RunShow(caserelay::v1::RoutingService::StubInterface& routing,
                     const std::string& case_id, const PrintOptions& options,
                     std::ostream& out);

// Sends the action. Without a given version, reads the case first
// (GetCase) and acts on its current version. Prints the case's new state,
// holder and version (or the CaseView as JSON). Returns the status of the
// call that failed (ABORTED when the case moved on since the version).
absl::Status RunAct(caserelay::v1::RoutingService::StubInterface& routing,
                    const ActCommand& command, const PrintOptions& options,
                    std::ostream& out);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_OFFICE_COMMANDS_H_
