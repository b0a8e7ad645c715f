// casectl's group-petition pieces (群体访 / 联名, issue 18 item 3): the
// `submit` flags of a group (--co-representative, --head-count) and the
// `group-alerts` command (supervision's ListGroupAlerts: the bureau's
// alerts of large groups, figures only).
//
// Thread safety: functions are thread-safe; a Run function writes only to
// the stream it is given.

#ifndef CASERELAY_TOOLS_CASECTL_GROUP_COMMANDS_H_
#define CASERELAY_TOOLS_CASECTL_GROUP_COMMANDS_H_

#include <ostream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caserelay/v1/intake.pb.h"
#include "caserelay/v1/supervision.grpc.pb.h"
#include "tools/casectl/call.h"
#include "tools/casectl/flags.h"

namespace caserelay::casectl {

// Adds the group of `submit`'s flags to `request`: each
// --co-representative "NAME|PHONE|ADDRESS[|ID]" (repeatable; PHONE may be
// empty) and --head-count N. INVALID_ARGUMENT naming the flag for a
// co-representative without three or four '|'-separated fields, or a head
// count that is not a whole number >= 1. Intake judges the rest (at most
// four co-representatives, Art. 18; each field as the petitioner's).
absl::Status AddGroupFlags(const ParsedFlags& flags,
                           caserelay::v1::SubmitPetitionRequest* request);

struct GroupAlertsCommand {
  caserelay::v1::ListGroupAlertsRequest request;
  bool all = false;  // follow next_page_token to the last page
};

// The request of `group-alerts`'s flags, which are `lights`'s (--region,
// --office, --limit, --page-token, --all; LightsCommandOf checks them).
absl::StatusOr<GroupAlertsCommand> GroupAlertsCommandOf(
    const ParsedFlags& flags);

// Prints the alerts, newest first, one per line: received (China time),
// case, bureau, persons (人次), category, region, class; or with
// options.json one ListGroupAlertsResponse (--all: every page's alerts).
// Without --all, a line names the next page's token. Returns the
// service's status if a call fails (nothing printed).
absl::Status RunGroupAlerts(
    caserelay::v1::SupervisionService::StubInterface& supervision,
    const GroupAlertsCommand& command, const PrintOptions& options,
    std::ostream& out);

}  // namespace caserelay::casectl

#endif  // CASERELAY_TOOLS_CASECTL_GROUP_COMMANDS_H_
