// Fail-over time of supervision run as N instances (issue 19/20): the
// last instance is SIGKILLed in the middle of a paced run, and the time is
// measured until every partition of case-events it had applied is applied
// further by another instance (the group rebalanced, the new owner restored
// the partition and went on).
#ifndef CASERELAY_BENCH_PIPELINE_FAILOVER_H_
#define CASERELAY_BENCH_PIPELINE_FAILOVER_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/integration/harness.h"

namespace caserelay::bench {

struct FailoverResult {
  // Partitions of case-events the killed instance had applied.
  int partitions = 0;
  // From the kill until the last of them was applied past where the
  // killed instance stopped.
  absl::Duration time;
};

// Reads the partitions instance `instances` of supervision has applied
// (its /metrics), SIGKILLs it, then reads the other instances' /metrics
// every 5 ms until each of those partitions is applied further. Returns the
// figures; FAILED_PRECONDITION for fewer than 2 instances or an instance
// that shows no partition; DEADLINE_EXCEEDED naming the partitions still
// waiting after `timeout` (cases must keep arriving meanwhile: run it
// during a paced run). REQUIRES: `system` runs `instances` instances of
// supervision.
absl::StatusOr<FailoverResult> KillSupervisionAndMeasure(
    caserelay::testing::System& system, int instances, absl::Duration timeout);

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_PIPELINE_FAILOVER_H_
