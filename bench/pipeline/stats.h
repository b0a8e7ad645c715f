// Latency summaries for the benchmark's tables.
#ifndef CASERELAY_BENCH_PIPELINE_STATS_H_
#define CASERELAY_BENCH_PIPELINE_STATS_H_

#include <chrono>
#include <cstddef>
#include <vector>

#include "absl/time/time.h"

namespace caserelay::bench {

// The one clock of the benchmark: monotonic, shared by all its threads.
using SteadyClock = std::chrono::steady_clock;
using SteadyTime = SteadyClock::time_point;

inline absl::Duration Since(SteadyTime from, SteadyTime to) {
  return absl::FromChrono(to - from);
}

struct LatencySummary {
  size_t count = 0;
  absl::Duration p50;
  absl::Duration p99;
  absl::Duration max;
};

// Nearest-rank percentiles of `samples` (p50 is the ceil(n/2)-th smallest,
// p99 the ceil(0.99 n)-th). All zero for no samples.
LatencySummary Summarize(std::vector<absl::Duration> samples);

// `d` in milliseconds, as a double.
inline double Ms(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_PIPELINE_STATS_H_
