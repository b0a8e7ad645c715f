// ListInbox's console filters (待办的筛选与检索, issue 16): a
// ListInboxRequest's categories, channels, received period, query and
// case_ids as an InboxQuery, and the traffic light of each item answered.
// The inbox index (case_store.h) is ordered by holder and next due: these
// filters are applied to its entries as they are read, bounded by
// routing.inbox_scan_limit entries per call; a case number in `query` and
// `case_ids` read the cases by id instead (at most 100), so they never
// scan.
//
// Pure functions; thread-safe.
#ifndef CASERELAY_SERVICES_ROUTING_INBOX_REQUEST_H_
#define CASERELAY_SERVICES_ROUTING_INBOX_REQUEST_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "caserelay/v1/routing.pb.h"
#include "services/routing/case_store.h"

namespace caserelay::routing {

// ListInbox's settings.
struct InboxSettings {
  // The yellow light (supervision.warning_before, the same setting as
  // supervision's: domain/lifecycle/deadline_light.h).
  absl::Duration warning_before = absl::Hours(72);
  // routing.inbox_scan_limit: the most index entries one call looks at
  // (InboxQuery::scan_limit).
  int scan_limit = 2000;
};

inline constexpr int kMaxInboxCategories = 50;
inline constexpr int kMaxInboxChannels = 8;
inline constexpr int kMaxInboxQueryChars = 200;
inline constexpr int kMaxInboxWords = 10;
inline constexpr int kMaxInboxCaseIds = 100;

// True for a case number as intake makes them: 6 digits, '-', 8 digits,
// '-', 6 digits (e.g. "140431-20261122-000001").
bool IsCaseNumber(std::string_view text);

// Sets `query`'s filters from `req` (office, states, due_before, paging
// and `admit` are the caller's): categories, channels, received_from/to,
// `query` — one word that IsCaseNumber makes case_ids that case (with
// req.case_ids too: that case if it is one of them, else none); otherwise
// its words, split on ASCII whitespace and U+3000 — and case_ids.
// INVALID_ARGUMENT naming the field (Chinese for the clerk): more than
// the kMaxInbox* items or characters, a channel that is not one,
// received_to not after received_from. On error `query` is partly set.
// REQUIRES: `query` non-null.
absl::Status SetInboxFilters(const caserelay::v1::ListInboxRequest& req,
                             InboxQuery* query);

// Sets every item's light at `now` (lifecycle::LightOf of its next_due
// with `warning_before`; DEADLINE_LIGHT_NONE without one).
void SetLights(absl::Time now, absl::Duration warning_before,
               caserelay::v1::ListInboxResponse* resp);

}  // namespace caserelay::routing

#endif  // CASERELAY_SERVICES_ROUTING_INBOX_REQUEST_H_
