// Inbox query latency (ListInbox's store work) on a populated routing
// store, beside the ceiling: a raw prefix scan of the same keys.
#ifndef CASERELAY_BENCH_ROUTING_INBOX_H_
#define CASERELAY_BENCH_ROUTING_INBOX_H_

#include <array>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/pipeline/stats.h"
#include "bench/routing/populate.h"
#include "common/store/store.h"
#include "domain/offices/office_directory.h"

namespace caserelay::bench {

enum class QueryKind {
  kFirstPage,    // no filter
  kLaterPage,    // the page after the first, by its page_token
  kStateFilter,  // states = {one state the office holds}
  kDueBefore,    // due_before = now + 7 days
  // query = a word no case has (issue 16's words filter at its worst: no
  // entry matches, so the query walks the office's inbox up to
  // routing.inbox_scan_limit entries)
  kNoMatchWords,
  // The state filter as it was before the inbox_state index (issue 20 item
  // 4): the same query over the `inbox` index, each entry's state checked
  // as it is read (as `hidden` is), under the same scan bound; beside the
  // old ceiling (the inbox keys from the office's first). A reference row:
  // not in "all".
  kStateByInboxScan,
};
inline constexpr int kQueryKinds = 6;
const char* QueryKindName(QueryKind kind);

struct InboxOptions {
  int queries = 20000;  // timed queries, at least; ceilings come on top
  int warmup = 1000;    // rounds before timing
  int page_size = 50;
  uint64_t seed = 1;
  absl::Time now;  // as given to Populate
};

struct KindResult {
  LatencySummary query;      // CaseStore::Inbox, as ListInbox calls it
  LatencySummary query_cpu;  // the same calls' thread CPU time
  LatencySummary scan;       // the ceiling
  double items = 0;          // mean items per page
  double keys = 0;           // mean inbox keys the query went over (untimed)
  int64_t keys_max = 0;      // the most keys one query went over
};

struct InboxResult {
  std::array<KindResult, kQueryKinds> kinds;
  LatencySummary query;  // over every kind
  LatencySummary scan;
  int rounds = 0;
};

// Rounds until options.queries queries are timed. Each round picks a case
// uniformly — so an office by its load — and queries its holder's inbox
// once per kind (a later page only when the first has one), each query
// beside its ceiling: Store::Scan of the index it reads ("inbox", or
// "inbox_state" for the state filter) from the query's first key over
// page_size + 1 keys — a page and the look-ahead that says
// whether another follows — stopping early where the query must (the
// office's last key; the first key due at or after due_before, read in
// the raw key), touching key and value bytes but decoding nothing. Query
// and ceiling alternate which goes first. Errors of CaseStore::Inbox or
// Store::Scan as they are.
absl::StatusOr<InboxResult> RunInbox(store::Store& store,
                                     const offices::OfficeDirectory& offices,
                                     const Population& population,
                                     const InboxOptions& options);

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_ROUTING_INBOX_H_
