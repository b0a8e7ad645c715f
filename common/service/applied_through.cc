#include "common/service/applied_through.h"

#include <algorithm>

#include "absl/time/clock.h"

namespace caserelay::service {
namespace {

// How long a probe may wait for the broker's end offsets (it holds up the
// loop's round).
constexpr absl::Duration kEndOffsetsTimeout = absl::Seconds(2);

}  // namespace

void AppliedThroughProbe::Round(kafka::Consumer& consumer,
                                const CommittedPosition& position,
                                bool nothing_held) {
  if (interval_ == absl::InfiniteDuration()) return;  // not tracked
  if (!pending_.has_value()) {
    const absl::Time real_now = absl::Now();
    if (real_now - last_probe_ < interval_) return;
    last_probe_ = real_now;
    Probe probe;
    probe.at = clock_ != nullptr ? clock_->Now() : real_now;
    auto ends = consumer.EndOffsets(kEndOffsetsTimeout);
    // Not assigned yet, or the broker busy: the next probe tries again.
    if (!ends.ok() || ends->empty()) return;
    probe.ends = *std::move(ends);
    pending_ = std::move(probe);
  }
  if (!nothing_held) return;
  for (const auto& [partition, end] : pending_->ends) {
    if (end <= 0) continue;  // an empty partition
    auto next = position(partition.first, partition.second);
    if (!next.ok() || !next->has_value() || **next < end) return;
  }
  const int64_t us = absl::ToUnixMicros(pending_->at);
  int64_t seen = applied_through_us_->load();
  while (seen < us && !applied_through_us_->compare_exchange_weak(seen, us)) {
  }
  if (gauge_ != nullptr) {
    gauge_->Set(absl::ToDoubleSeconds(AppliedThrough() - absl::UnixEpoch()));
  }
  pending_.reset();
}

void LoopProgress::Add(const std::string& name,
                       const AppliedThroughProbe& probe) {
  absl::MutexLock lock(&mu_);
  values_[name] = probe.value();
}

absl::Time LoopProgress::AppliedThrough(const std::string& name) const {
  absl::MutexLock lock(&mu_);
  auto it = values_.find(name);
  return it == values_.end() ? absl::InfinitePast()
                             : AppliedThroughProbe::Read(*it->second);
}

}  // namespace caserelay::service
