// Fills a real routing store (services/routing/case_store.h) with cases
// (信访事项) held by real offices, as routing's own writes leave them: each
// case registered (登记) at its county bureau, then — for most — assigned
// (交办) to its township government, accepted (受理) and extended (延期),
// each step a CaseStore::Append in a later WriteBatch, so the inbox index
// holds the deletions a moving case leaves behind.
#ifndef CASERELAY_BENCH_ROUTING_POPULATE_H_
#define CASERELAY_BENCH_ROUTING_POPULATE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/routing/tree.h"
#include "caserelay/v1/case.pb.h"
#include "common/store/store.h"

namespace caserelay::bench {

struct PopulateOptions {
  int cases = 1000000;
  uint64_t seed = 1;
  int batch_cases = 1000;  // new cases per WriteBatch
  // The benchmark's "today": due dates fall in [now - 30 d, now + 60 d).
  absl::Time now;
  // Cases per township ~ 1 / rank^zipf over the townships of the tree in
  // an order shuffled with `seed`.
  double zipf = 0.8;
  // Called each time another 100000 cases are registered.
  std::function<void(int registered, absl::Duration elapsed)> progress;
};

// Where a case ended: its holder (an index into Population::offices) and
// its state.
struct Holding {
  uint32_t office = 0;
  caserelay::v1::CaseState state = caserelay::v1::CASE_STATE_UNSPECIFIED;
};

struct Population {
  std::vector<std::string> offices;  // holders' office codes
  std::vector<Holding> cases;        // one per case, in creation order
  int64_t events = 0;                // appended to the cases' histories
  int64_t inbox_moves = 0;           // inbox entries a later event deleted
  int64_t batches = 0;
  absl::Duration wall;
};

// Writes options.cases cases into `store` (opened with case_store.h's
// column families) through CaseStore::Append and Store::Commit, deleting
// each batch's outbox records after the commit as routing's publisher
// does. Final shares: 25% REGISTERED and 5% NOT_ACCEPTED at the county
// bureau (a city without counties is its own county), 28% ASSIGNED, 35%
// ACCEPTED and 7% EXTENDED at the township government. Deterministic for
// a seed. Returns what was written; Commit's or DeleteOutbox's error
// (UNAVAILABLE) as it is.
absl::StatusOr<Population> Populate(store::Store& store, const Tree& tree,
                                    const PopulateOptions& options);

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_ROUTING_POPULATE_H_
