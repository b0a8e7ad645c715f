// bench_timers' workload: the cases whose deadlines become the timers, and
// the clock they come due on.
//
// Case i (0-based) is "140431-20250602-<i+1, 7 digits>", registered (登记)
// at 沁源县信访局 (140431:bureau) with one running deadline: a TRANSFER
// deadline of the bureau for every 14th case, otherwise a HANDLING
// deadline of one of the county's 13 township governments
// (140431100:gov ... 140431400:gov), so a miss issues a 督办函 from
// 长治市信访局 (140400:bureau) or 沁源县信访局. Due dates are spread evenly
// over `spread` (simulated) starting warning_before after the origin, in
// an order shuffled against the case order; case 0 is due first, exactly
// origin + warning_before, so its warning timer is due at the origin.
#ifndef CASERELAY_BENCH_TIMERS_WORKLOAD_H_
#define CASERELAY_BENCH_TIMERS_WORKLOAD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bench/pipeline/stats.h"
#include "caserelay/v1/events.pb.h"
#include "common/time/clock.h"

namespace caserelay::bench {

// A clock for the service that stands still at a set instant until Run(),
// then runs from `origin` at `speed` simulated seconds per real (steady)
// second. Thread-safe.
class ScaledClock final : public time::Clock {
 public:
  ScaledClock(absl::Time origin, double speed);

  absl::Time Now() const override;
  // Sleeps in real time for at most max_real_wait; true iff Now() >= t.
  bool WaitUntil(absl::Time t, absl::Duration max_real_wait) const override;

  // Stands still at `t` until Run().
  void Freeze(absl::Time t);
  // From now on Now() = origin + speed * (real time since this call).
  void Run();
  // The real (steady) instant at which a running clock shows `t`.
  // REQUIRES: Run() was called.
  SteadyTime RealAt(absl::Time t) const;
  double speed() const { return speed_; }

 private:
  const absl::Time origin_;
  const double speed_;
  mutable absl::Mutex mu_;
  bool running_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time frozen_ ABSL_GUARDED_BY(mu_);
  SteadyTime start_ ABSL_GUARDED_BY(mu_);
};

class Workload {
 public:
  // `cases` >= 1. Deadlines fall due over [origin + warning_before,
  // origin + warning_before + spread).
  Workload(int cases, absl::Time origin, absl::Duration warning_before,
           absl::Duration spread);

  int cases() const { return cases_; }
  absl::Time origin() const { return origin_; }
  absl::Duration warning_before() const { return warning_before_; }
  // The instant the last timer comes due.
  absl::Time last_due() const { return origin_ + warning_before_ + spread_; }

  std::string CaseId(int i) const;
  // Case i's deadline's due_at.
  absl::Time Due(int i) const;
  // Case i's REGISTER envelope (sequence 1) listing its running deadline,
  // with every field supervision's UpdateFacts requires on a REGISTER.
  caserelay::v1::Envelope Event(int i) const;

 private:
  const int cases_;
  const absl::Time origin_;
  const absl::Duration warning_before_;
  const absl::Duration spread_;
  uint64_t stride_ = 1;  // coprime to cases_: shuffles the due order
  std::vector<std::string> townships_;
};

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_TIMERS_WORKLOAD_H_
