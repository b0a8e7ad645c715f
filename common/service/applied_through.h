// How far a consume loop has applied its inputs, on the service's clock
// (issue 17 item 3: statistics issues a bulletin only once its index has
// applied case-events through the end of the period).
//
// The signal is "applied up to", taken from the consumer lag: at clock
// time T the loop asks the broker for the end offset of every partition
// assigned to it (kafka::Consumer::EndOffsets; every record produced
// before T is below it); once the loop's committed positions reach every
// one of those ends with no event held for a sequence gap, every record
// that was in its partitions at T is applied and committed, and
// AppliedThrough() moves to T. A probe is made at most every `interval`
// (real time), one at a time; one that cannot be made (no assignment yet,
// the broker not answering, a consumer without end offsets) is made again
// later, and the signal stays where it was. It covers the partitions
// assigned to this instance: a read model that is the only member of its
// group (statistics) covers the whole topic.
//
// Thread safety: Round() on the loop's thread only; AppliedThrough() from
// any thread. LoopProgress is thread-safe.

#ifndef CASERELAY_COMMON_SERVICE_APPLIED_THROUGH_H_
#define CASERELAY_COMMON_SERVICE_APPLIED_THROUGH_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/kafka/consumer.h"
#include "common/metrics/metrics.h"
#include "common/time/clock.h"

namespace caserelay::service {

// The committed next offset of a partition (nullopt: nothing stored);
// an error: the store cannot tell now (the probe waits).
using CommittedPosition = std::function<absl::StatusOr<std::optional<int64_t>>(
    const std::string& topic, int32_t partition)>;

class AppliedThroughProbe {
 public:
  // `clock` may be null (the system clock); `gauge` (not owned) shows the
  // signal in Unix seconds, as caserelay_loop_applied_through_seconds.
  // `interval` InfiniteDuration: never probes (the signal stays
  // InfinitePast), for the loops nobody asks.
  AppliedThroughProbe(absl::Duration interval, const time::Clock* clock,
                      metrics::Gauge* gauge)
      : interval_(interval), clock_(clock), gauge_(gauge) {}

  // After each round of the loop: starts a probe when one is due (asking
  // `consumer` for its end offsets), and completes the pending one once
  // `position` reaches every end and `nothing_held`.
  void Round(kafka::Consumer& consumer, const CommittedPosition& position,
             bool nothing_held);

  // The latest T established (see the file comment); InfinitePast before
  // the first.
  absl::Time AppliedThrough() const { return Read(*applied_through_us_); }

  // The signal's value (Unix µs, kNone before the first), shared so that a
  // reader may outlive the probe (LoopProgress).
  static constexpr int64_t kNone = INT64_MIN;
  std::shared_ptr<const std::atomic<int64_t>> value() const {
    return applied_through_us_;
  }
  static absl::Time Read(const std::atomic<int64_t>& value) {
    const int64_t us = value.load();
    return us == kNone ? absl::InfinitePast() : absl::FromUnixMicros(us);
  }

 private:
  struct Probe {
    absl::Time at;  // the service's clock before the ends were asked
    std::map<std::pair<std::string, int32_t>, int64_t> ends;
  };

  // Const after construction.
  const absl::Duration interval_;
  const time::Clock* const clock_;
  metrics::Gauge* const gauge_;

  // The loop's thread only.
  std::optional<Probe> pending_;
  absl::Time last_probe_ = absl::InfinitePast();  // real time

  const std::shared_ptr<std::atomic<int64_t>> applied_through_us_ =
      std::make_shared<std::atomic<int64_t>>(kNone);
};

// The consume loops of a process by subscription name, for a service that
// needs to know how far one has applied (statistics' bulletins). Filled by
// RunServiceMain as it makes the loops; it keeps the probes' values, so a
// read after a loop is gone answers its last value.
class LoopProgress {
 public:
  void Add(const std::string& name, const AppliedThroughProbe& probe);
  // The named loop's AppliedThrough(); InfinitePast for an unknown name
  // (or before the loops exist).
  absl::Time AppliedThrough(const std::string& name) const;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<const std::atomic<int64_t>>> values_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace caserelay::service

#endif  // CASERELAY_COMMON_SERVICE_APPLIED_THROUGH_H_
