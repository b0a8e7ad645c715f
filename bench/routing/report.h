// bench_routing's tables and its one RESULT line.
#ifndef CASERELAY_BENCH_ROUTING_REPORT_H_
#define CASERELAY_BENCH_ROUTING_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "bench/routing/decisions.h"
#include "bench/routing/flags.h"
#include "bench/routing/inbox.h"
#include "bench/routing/populate.h"
#include "bench/routing/tree.h"

namespace caserelay::bench {

struct DecisionReport {
  std::string load;  // just before timing
  DecisionWorkload workload;
  RateResult decide_1;   // Router::Decide, 1 thread
  RateResult lookups_1;  // the ceiling, 1 thread
  RateResult tree_1;     // Find + Ancestors alone, 1 thread
  RateResult decide_n;   // --threads threads
  RateResult lookups_n;
};

struct InboxReport {
  std::string load;  // just before the queries
  Population population;
  absl::Duration settle;    // waited for background compactions
  uint64_t disk_bytes = 0;  // of the store after populating
  InboxResult result;
};

// Prints the table of each part that ran, then one line
// "RESULT key=value ..." with the figures of both.
void PrintReport(const Tree& tree, const RoutingFlags& flags,
                 const std::optional<DecisionReport>& decisions,
                 const std::optional<InboxReport>& inbox);

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_ROUTING_REPORT_H_
