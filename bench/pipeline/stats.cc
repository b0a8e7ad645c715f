#include "bench/pipeline/stats.h"

#include <algorithm>
#include <cmath>

namespace caserelay::bench {
namespace {

absl::Duration Rank(const std::vector<absl::Duration>& sorted, double q) {
  size_t rank = static_cast<size_t>(std::ceil(q * sorted.size()));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

}  // namespace

LatencySummary Summarize(std::vector<absl::Duration> samples) {
  LatencySummary out;
  out.count = samples.size();
  if (samples.empty()) return out;
  std::sort(samples.begin(), samples.end());
  out.p50 = Rank(samples, 0.50);
  out.p99 = Rank(samples, 0.99);
  out.max = samples.back();
  return out;
}

}  // namespace caserelay::bench
