#include "common/time/clock.h"

#include <algorithm>
#include <chrono>

namespace caserelay::time {
namespace {

// Real time left until `real_deadline` on the monotonic clock.
absl::Duration RealRemaining(std::chrono::steady_clock::time_point deadline) {
  return absl::FromChrono(deadline - std::chrono::steady_clock::now());
}

}  // namespace

absl::Time SystemClock::Now() const { return absl::Now(); }

bool SystemClock::WaitUntil(absl::Time t, absl::Duration max_real_wait) const {
  if (absl::Now() >= t) return true;
  if (max_real_wait <= absl::ZeroDuration()) return false;
  // Clamp so that an infinite budget does not overflow the chrono arithmetic.
  const absl::Duration budget = std::min(max_real_wait, absl::Hours(24 * 365));
  const auto real_deadline =
      std::chrono::steady_clock::now() + absl::ToChronoNanoseconds(budget);
  while (true) {
    const absl::Time now = absl::Now();
    if (now >= t) return true;
    const absl::Duration remaining = RealRemaining(real_deadline);
    if (remaining <= absl::ZeroDuration()) return false;
    absl::SleepFor(std::min(t - now, remaining));
  }
}

SimulatedClock::SimulatedClock(absl::Time start) : now_(start) {}

absl::Time SimulatedClock::Now() const {
  absl::MutexLock lock(&mu_);
  return now_;
}

bool SimulatedClock::WaitUntil(absl::Time t,
                               absl::Duration max_real_wait) const {
  absl::MutexLock lock(&mu_);
  if (now_ >= t) return true;
  if (max_real_wait <= absl::ZeroDuration()) return false;
  struct Args {
    const absl::Time* now;
    absl::Time t;
  } args{&now_, t};
  ++waiters_;
  // absl::Mutex re-evaluates the condition whenever mu_ is released by a
  // writer (Set/Advance), so no explicit signal is needed.
  const bool reached =
      mu_.AwaitWithTimeout(absl::Condition(
                               +[](Args* a) { return *a->now >= a->t; }, &args),
                           max_real_wait);
  --waiters_;
  return reached;
}

void SimulatedClock::Set(absl::Time t) {
  absl::MutexLock lock(&mu_);
  now_ = t;
}

void SimulatedClock::Advance(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  now_ += d;
}

bool SimulatedClock::AwaitWaiters(int count,
                                  absl::Duration max_real_wait) const {
  absl::MutexLock lock(&mu_);
  struct Args {
    const int* waiters;
    int count;
  } args{&waiters_, count};
  return mu_.AwaitWithTimeout(
      absl::Condition(
          +[](Args* a) { return *a->waiters >= a->count; }, &args),
      max_real_wait);
}

}  // namespace caserelay::time
