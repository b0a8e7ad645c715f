// An attacker cannot turn the look-up limit against the petitioner (issue
// 14 item 4): LookupThrottle (lookup_throttle.h) under the bounds its
// rules state (lookup_limits.h, "LL"), on a real temp-dir store and a
// simulated clock. Limits: the defaults (max_failures 5, backoff 1m..15m,
// quiet_period 1h, address_burst 20, address_refill 3m) unless a test
// says otherwise.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/intake/lookup_throttle.h"
#include "tests/unit/services/store_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::intake {
namespace {

constexpr char kCase[] = "140431-20261122-000001";
constexpr char kOwner[] = "ipv4:203.0.113.50";

class LookupAttackTest : public svctest::StoreFixture {
 protected:
  LookupAttackTest()
      : StoreFixture({kLookupFailures, kLookupWindows, kLookupAddresses,
                      kLookupAddressEnds}) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreFixture::SetUp());
    Use(LookupLimits{});
  }

  void Use(LookupLimits limits) {
    limits_ = limits;
    throttle_ =
        std::make_unique<LookupThrottle>(&t_->store(), &t_->clock(), limits);
  }

  // A guess from attacking address `i`; counts the guesses that reached
  // the code check (the failures counted against the case).
  absl::StatusCode Guess(int i) {
    return throttle_
        ->Attempt(kCase, absl::StrCat("ipv4:198.51.", i / 256, ".", i % 256),
                  [&]() -> absl::StatusOr<bool> {
                    ++checked_;
                    return false;
                  })
        .code();
  }
  // The owner's look-up with the right code from `address`.
  absl::StatusCode Owner(const std::string& address = kOwner) {
    return throttle_->Attempt(kCase, address, [] { return true; }).code();
  }
  absl::StatusCode OwnerTypo(const std::string& address = kOwner) {
    return throttle_->Attempt(kCase, address, [] { return false; }).code();
  }

  LookupLimits limits_;
  std::unique_ptr<LookupThrottle> throttle_;
  int checked_ = 0;
};

TEST_F(LookupAttackTest, OwnerGetsInWhileAnAttackerHammersFromOtherAddresses) {
  // LL bound 1: a look-up from an address with a full budget is never
  // refused, however many failures other addresses make. The attacker
  // guesses from 500 addresses, 5 guesses every 10 s for 3 hours; the
  // owner looks up every 15 minutes. (Against the old design, a hard lock
  // per case number, the owner is refused from the attacker's 5th guess
  // on: every look-up here but none.)
  int owner_tries = 0, owner_in = 0, next = 0;
  for (int step = 0; step < 3 * 360; ++step) {
    for (int k = 0; k < 5; ++k) {
      absl::StatusCode c = Guess(next++ % 500);
      ASSERT_TRUE(c == absl::StatusCode::kNotFound ||
                  c == absl::StatusCode::kResourceExhausted)
          << c;
    }
    if (step % 90 == 89) {
      ++owner_tries;
      if (Owner() == absl::StatusCode::kOk) ++owner_in;
    }
    t_->clock().Advance(absl::Seconds(10));
  }
  EXPECT_EQ(owner_tries, 12);
  EXPECT_EQ(owner_in, owner_tries) << "the owner was refused";
  EXPECT_GT(checked_, 5) << "the attacker's guesses were counted";
}

TEST_F(LookupAttackTest, OwnerWhoMistypedWaitsAtMostAFullRefill) {
  // LL bound 1: an owner who failed is refused at most until their budget
  // is full again, address_burst * address_refill (1h) after their own
  // last failure, while the attacker keeps the case number waiting.
  for (int i = 0; i < 5; ++i) Guess(i);  // the case waits
  // A typo while it waits, from a full budget: checked, costs it all.
  EXPECT_EQ(OwnerTypo(), absl::StatusCode::kNotFound);
  const absl::Time last_typo = t_->clock().Now();
  absl::Time in = absl::InfiniteFuture();
  int refused = 0, next = 100;
  for (int step = 0; step < 3 * 360 && in == absl::InfiniteFuture(); ++step) {
    t_->clock().Advance(absl::Seconds(10));
    for (int k = 0; k < 3; ++k) Guess(next++ % 400);
    if (Owner() == absl::StatusCode::kOk) {
      in = t_->clock().Now();
    } else {
      ++refused;
    }
  }
  EXPECT_GT(refused, 0) << "the attacker kept the case waiting";
  EXPECT_LE(in - last_typo, limits_.address_burst * limits_.address_refill)
      << "refused longer than a full refill";
}

TEST_F(LookupAttackTest, OwnerWaitsAtMostTheCapAfterTheAttackersLastFailure) {
  // LL bound 1, the other leg: with the owner's budget not full for long
  // (address_refill 2h), the owner gets in at most backoff_max after the
  // attacker's last counted failure, whoever attacked.
  LookupLimits l;
  l.address_refill = absl::Hours(2);
  l.address_burst = 3;
  Use(l);
  ASSERT_EQ(OwnerTypo(), absl::StatusCode::kNotFound);  // budget not full
  absl::Time last_counted;
  for (int step = 0; step < 360; ++step) {  // an hour of guessing
    const int before = checked_;
    Guess(step % 50);
    if (checked_ > before) last_counted = t_->clock().Now();
    t_->clock().Advance(absl::Seconds(10));
  }
  EXPECT_EQ(Owner(), absl::StatusCode::kResourceExhausted)
      << "the case number waits";
  absl::Time in = absl::InfiniteFuture();
  while (in == absl::InfiniteFuture() &&
         t_->clock().Now() < last_counted + absl::Hours(1)) {
    t_->clock().Advance(absl::Seconds(10));
    if (Owner() == absl::StatusCode::kOk) in = t_->clock().Now();
  }
  EXPECT_LE(in - last_counted, l.backoff_max);
}

TEST_F(LookupAttackTest, CountedGuessesAgainstOneCaseAreBounded) {
  // LL bound 2: against one case number, at most max_failures, then one
  // per wait (1, 2, 4, 8 minutes, then one per backoff_max), plus one per
  // attacking address per address_burst * address_refill. 100 addresses,
  // each guessing every 30 s for 6 hours (72,000 guesses).
  const int n = 100;
  const int hours = 6;
  for (int step = 0; step < hours * 120; ++step) {
    for (int i = 0; i < n; ++i) Guess(i);
    t_->clock().Advance(absl::Seconds(30));
  }
  const absl::Duration refill_all =
      limits_.address_burst * limits_.address_refill;  // 1h
  const int bound = limits_.max_failures + 4 + hours * 60 / 15 +
                    n * (hours * absl::Hours(1) / refill_all + 1);
  EXPECT_LE(checked_, bound);
  EXPECT_GT(checked_, n) << "each address got its full-budget guess";
}

}  // namespace
}  // namespace caserelay::intake
