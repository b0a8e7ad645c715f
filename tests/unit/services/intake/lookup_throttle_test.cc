// LookupThrottle (lookup_throttle.h, "LT" below; its rules
// lookup_limits.h, "LL") over a real temp-dir store and a simulated
// clock: issue 22 item 8, "unauthenticated failed look-ups take one
// process-wide lock across an fsync and a full sweep", and issue 14 item
// 4, a limit that an attacker cannot turn against the petitioner.

#include "services/intake/lookup_throttle.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "services/intake/intake_service.h"
#include "tests/unit/services/store_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::intake {
namespace {

class LookupThrottleTest : public svctest::StoreFixture {
 protected:
  LookupThrottleTest() : StoreFixture(ColumnFamilies()) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreFixture::SetUp());
    Reset(Limits());
  }

  // The defaults but quiet_period = backoff_max = 15m.
  static LookupLimits Limits() {
    LookupLimits l;
    l.quiet_period = absl::Minutes(15);
    return l;
  }

  void Reset(LookupLimits limits) {
    throttle_ =
        std::make_unique<LookupThrottle>(&t_->store(), &t_->clock(), limits);
  }

  absl::Status Fail(const std::string& case_number,
                    const std::string& address = "ipv4:192.0.2.1") {
    return throttle_->Attempt(case_number, address, [] { return false; });
  }
  absl::Status Succeed(const std::string& case_number,
                       const std::string& address) {
    return throttle_->Attempt(case_number, address, [] { return true; });
  }
  static std::string Address(int i) {
    return absl::StrCat("ipv4:198.51.", i / 256, ".", i % 256);
  }

  size_t Count(const char* family) {
    size_t n = 0;
    EXPECT_TRUE(t_->store()
                    .Scan(family, "", "",
                          [&](std::string_view, std::string_view) {
                            ++n;
                            return true;
                          })
                    .ok());
    return n;
  }

  std::unique_ptr<LookupThrottle> throttle_;
};

TEST_F(LookupThrottleTest, AttemptsOnOtherCaseNumbersDoNotWait) {
  // LT thread safety: one case number's attempt (its check, its commit)
  // does not hold up another's from another address.
  absl::Notification in_check, release;
  std::thread slow([&] {
    absl::Status s = throttle_->Attempt(
        "140431-20261122-000001", "ipv4:192.0.2.9",
        [&]() -> absl::StatusOr<bool> {
          in_check.Notify();
          release.WaitForNotificationWithTimeout(absl::Seconds(5));
          return false;
        });
    EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  });
  in_check.WaitForNotification();
  // Pick a case number on another stripe than the slow one.
  std::string other;
  for (int i = 2; other.empty() && i < 1000; ++i) {
    std::string c = absl::StrCat("140431-20261122-", 100000 + i);
    if (std::hash<std::string_view>()(c) % kLookupStripes !=
        std::hash<std::string_view>()("140431-20261122-000001") %
            kLookupStripes) {
      other = c;
    }
  }
  // And from an address on another stripe than the slow one's.
  std::string address;
  for (int i = 0; address.empty() && i < 1000; ++i) {
    if (std::hash<std::string_view>()(Address(i)) % kLookupStripes !=
        std::hash<std::string_view>()("ipv4:192.0.2.9") % kLookupStripes) {
      address = Address(i);
    }
  }
  const absl::Time start = absl::Now();
  EXPECT_EQ(Fail(other, address).code(), absl::StatusCode::kNotFound);
  const absl::Duration took = absl::Now() - start;
  release.Notify();
  slow.join();
  EXPECT_LT(took, absl::Seconds(1)) << "waited for another case number";
}

TEST_F(LookupThrottleTest, EndedWindowsAreSweptAFewAtATime) {
  // LT: ended windows go kLookupSweepBatch per failure, not all at once,
  // and all of them in the end.
  const int n = 2 * kLookupSweepBatch + 1;
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(
        Fail(absl::StrCat("140431-20261122-", 100000 + i), Address(i)).code(),
        absl::StatusCode::kNotFound);
  }
  EXPECT_EQ(Count(kLookupFailures), static_cast<size_t>(n));
  t_->clock().Advance(absl::Minutes(15));
  ASSERT_EQ(Fail("140431-20261122-999999").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Count(kLookupFailures),
            static_cast<size_t>(n + 1 - kLookupSweepBatch));
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(Fail("140431-20261122-999999").code(),
              absl::StatusCode::kNotFound);
  }
  EXPECT_EQ(Count(kLookupFailures), 1u) << "only the open window is left";
  EXPECT_EQ(Count(kLookupWindows), 1u);
}

TEST_F(LookupThrottleTest, AWindowOpenedAgainIsNotSweptByItsOldEntry) {
  // LT: the ended window's index entry must not delete the newer window.
  const int n = kLookupSweepBatch + 1;
  for (int i = 0; i < n; ++i) {
    EXPECT_EQ(
        Fail(absl::StrCat("140431-20261122-", 100000 + i), Address(i)).code(),
        absl::StatusCode::kNotFound);
  }
  t_->clock().Advance(absl::Minutes(15));
  // Its old entry sorts last: a new window opens before it is swept.
  const std::string last = absl::StrCat("140431-20261122-", 100000 + n - 1);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Fail(last).code(), absl::StatusCode::kNotFound) << i;
  }
  EXPECT_EQ(Succeed(last, "ipv4:192.0.2.1").code(),
            absl::StatusCode::kResourceExhausted)
      << "five failures in the new window lock it";
}

}  // namespace
}  // namespace caserelay::intake
