// Clock: the one source of "now" for every service (DESIGN.md "Time").
//
// Services take a Clock& (never call absl::Now() themselves) so that tests
// and replays can run a year of deadlines in seconds with a SimulatedClock.
//
// A service loop that waits for a due time uses WaitUntil with a bounded real
// wait, then re-checks its own state (new timers, shutdown):
//
//   while (!stopping) {
//     absl::Time due = NextDue();
//     if (clock.WaitUntil(due, absl::Milliseconds(200))) FireDue();
//   }
//
// With a SystemClock the loop sleeps in real time; with a SimulatedClock it
// wakes as soon as a test calls Advance() or Set() past `due`.

#ifndef CASERELAY_COMMON_TIME_CLOCK_H_
#define CASERELAY_COMMON_TIME_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace caserelay::time {

// Interface. Implementations must be thread-safe: Now() and WaitUntil() may be
// called from any number of threads at once.
class Clock {
 public:
  virtual ~Clock() = default;

  // Returns the current time of this clock.
  virtual absl::Time Now() const = 0;

  // Blocks the calling thread until Now() >= t, or until `max_real_wait` of
  // real (wall-clock, monotonic) time has passed, whichever comes first.
  // Returns true iff Now() >= t when it returns; false means the real wait
  // ran out first and the caller should look again. Returns at once if
  // Now() >= t already, or (with false) if max_real_wait <= 0. t may be
  // absl::InfiniteFuture(), in which case it always waits max_real_wait and
  // returns false.
  virtual bool WaitUntil(absl::Time t, absl::Duration max_real_wait) const = 0;
};

// The real clock: Now() is absl::Now(). Thread-safe; stateless, so any number
// of instances may exist.
class SystemClock final : public Clock {
 public:
  SystemClock() = default;

  absl::Time Now() const override;

  // Sleeps in slices of at most min(t - Now(), remaining real budget), so a
  // wall-clock step (NTP) during the wait is noticed at the next slice. The
  // real budget is measured on the monotonic clock.
  bool WaitUntil(absl::Time t, absl::Duration max_real_wait) const override;
};

// A clock that moves only when told to. Thread-safe: Set() and Advance() may
// be called while other threads are blocked in WaitUntil(); every such change
// wakes the waiters whose time has come.
class SimulatedClock final : public Clock {
 public:
  // Starts the clock at `start`.
  explicit SimulatedClock(absl::Time start);

  SimulatedClock(const SimulatedClock&) = delete;
  SimulatedClock& operator=(const SimulatedClock&) = delete;

  absl::Time Now() const override;

  // Waits on a condition signalled by Set() and Advance(); the real wait is
  // bounded by max_real_wait as the interface says.
  bool WaitUntil(absl::Time t, absl::Duration max_real_wait) const override;

  // Sets the time to `t`. Moving backwards is allowed (to model a clock
  // step); waiters whose time has not come keep waiting.
  void Set(absl::Time t);

  // Moves the time by `d` (may be negative, as with Set()).
  void Advance(absl::Duration d);

  // Blocks until at least `count` threads are blocked inside WaitUntil(), or
  // until max_real_wait of real time has passed. Returns true iff the count
  // was reached. Lets a test advance the clock only once the loop under test
  // is really waiting, so that the test exercises the wake-up path.
  bool AwaitWaiters(int count, absl::Duration max_real_wait) const;

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
  // Threads currently blocked in WaitUntil().
  mutable int waiters_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace caserelay::time

#endif  // CASERELAY_COMMON_TIME_CLOCK_H_
