// Clock, SystemClock and SimulatedClock (common/time/clock.h).

#include "common/time/clock.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace caserelay::time {
namespace {

// Real time spent running `f`, on the monotonic clock.
template <typename F>
absl::Duration RealTimeOf(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return absl::FromChrono(std::chrono::steady_clock::now() - start);
}

const absl::Time kStart = absl::FromUnixSeconds(1735660800);  // 2025-01-01 CST
// Long enough never to expire on a loaded machine, so a pass proves a wake.
constexpr absl::Duration kGenerous = absl::Seconds(30);

TEST(SimulatedClockTest, StartsAtGivenTimeAndMovesOnlyWhenTold) {
  SimulatedClock clock(kStart);
  EXPECT_EQ(clock.Now(), kStart);
  absl::SleepFor(absl::Milliseconds(5));
  EXPECT_EQ(clock.Now(), kStart);
  clock.Advance(absl::Hours(24));
  EXPECT_EQ(clock.Now(), kStart + absl::Hours(24));
  clock.Set(kStart + absl::Hours(1));
  EXPECT_EQ(clock.Now(), kStart + absl::Hours(1));
}

TEST(SimulatedClockTest, WaitUntilReturnsAtOnceWhenTimeHasCome) {
  SimulatedClock clock(kStart);
  bool reached = false;
  const absl::Duration took =
      RealTimeOf([&] { reached = clock.WaitUntil(kStart, kGenerous); });
  EXPECT_TRUE(reached);
  EXPECT_LT(took, absl::Seconds(5));
}

TEST(SimulatedClockTest, WaitUntilGivesUpAfterMaxRealWait) {
  SimulatedClock clock(kStart);
  bool reached = true;
  const absl::Duration took = RealTimeOf([&] {
    reached =
        clock.WaitUntil(kStart + absl::Seconds(1), absl::Milliseconds(50));
  });
  EXPECT_FALSE(reached);
  EXPECT_GE(took, absl::Milliseconds(50));
  EXPECT_LT(took, absl::Seconds(5));
  EXPECT_EQ(clock.Now(), kStart);
  EXPECT_FALSE(
      clock.WaitUntil(kStart + absl::Seconds(1), absl::ZeroDuration()));
}

TEST(SimulatedClockTest, AdvanceWakesWaiterInAnotherThreadOnlyWhenDue) {
  SimulatedClock clock(kStart);
  std::atomic<bool> done{false};
  bool reached = false;
  std::thread waiter([&] {
    reached = clock.WaitUntil(kStart + absl::Hours(1), kGenerous);
    done = true;
  });
  ASSERT_TRUE(clock.AwaitWaiters(1, kGenerous));

  clock.Advance(absl::Minutes(59));  // Not yet due: the waiter stays.
  EXPECT_TRUE(clock.AwaitWaiters(1, absl::ZeroDuration()));
  EXPECT_FALSE(done);

  const absl::Duration took = RealTimeOf([&] {
    clock.Advance(absl::Minutes(1));
    waiter.join();
  });
  EXPECT_TRUE(reached);
  EXPECT_LT(took, absl::Seconds(5)) << "woken by Advance, not by the timeout";
  EXPECT_FALSE(clock.AwaitWaiters(1, absl::ZeroDuration()));
}

TEST(SimulatedClockTest, SetWakesOnlyTheWaitersWhoseTimeHasCome) {
  SimulatedClock clock(kStart);
  bool early_reached = false;
  bool late_reached = true;
  std::thread early([&] {
    early_reached = clock.WaitUntil(kStart + absl::Hours(1), kGenerous);
  });
  std::thread late([&] {
    late_reached =
        clock.WaitUntil(kStart + absl::Hours(48), absl::Milliseconds(500));
  });
  ASSERT_TRUE(clock.AwaitWaiters(2, kGenerous));
  clock.Set(kStart + absl::Hours(2));
  early.join();
  EXPECT_TRUE(early_reached);
  late.join();
  EXPECT_FALSE(late_reached);
}

TEST(SystemClockTest, NowFollowsRealTime) {
  SystemClock clock;
  const absl::Time before = absl::Now();
  const absl::Time now = clock.Now();
  EXPECT_GE(now, before);
  EXPECT_LT(now - before, absl::Seconds(5));
}

TEST(SystemClockTest, WaitUntilHonoursMaxRealWait) {
  SystemClock clock;
  bool reached = true;
  const absl::Duration took = RealTimeOf([&] {
    reached =
        clock.WaitUntil(clock.Now() + absl::Hours(1), absl::Milliseconds(50));
  });
  EXPECT_FALSE(reached);
  EXPECT_GE(took, absl::Milliseconds(50));
  EXPECT_LT(took, absl::Seconds(5));

  reached = true;
  const absl::Duration infinite_took = RealTimeOf([&] {
    reached = clock.WaitUntil(absl::InfiniteFuture(), absl::Milliseconds(20));
  });
  EXPECT_FALSE(reached);
  EXPECT_LT(infinite_took, absl::Seconds(5));
}

TEST(SystemClockTest, WaitUntilReturnsWhenTimeComes) {
  SystemClock clock;
  const absl::Time target = clock.Now() + absl::Milliseconds(30);
  bool reached = false;
  const absl::Duration took =
      RealTimeOf([&] { reached = clock.WaitUntil(target, kGenerous); });
  EXPECT_TRUE(reached);
  EXPECT_GE(clock.Now(), target);
  EXPECT_LT(took, absl::Seconds(5));
}

TEST(SystemClockTest, WaitUntilPastTimeIsImmediate) {
  SystemClock clock;
  EXPECT_TRUE(
      clock.WaitUntil(clock.Now() - absl::Seconds(1), absl::ZeroDuration()));
  EXPECT_FALSE(
      clock.WaitUntil(clock.Now() + absl::Hours(1), absl::ZeroDuration()));
}

}  // namespace
}  // namespace caserelay::time
