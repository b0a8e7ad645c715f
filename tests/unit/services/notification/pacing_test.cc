// pacing.h: quiet hours (issue 5 #6: "configurable, e.g. 22:00-08:00
// local: non-urgent SMS wait until morning", in China time) and the
// throughput limit of a gateway (issue 5 #3: "Throughput limit per
// gateway"), a token bucket over parts.

#include "services/notification/pacing.h"

#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/time/china_time.h"
#include "gtest/gtest.h"

namespace caserelay::notification {
namespace {

// The instant of `hour`:`minute`:`second` on 2026-11-22 in China.
absl::Time China(int hour, int minute, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 22, hour, minute, second),
                         time::ChinaTimeZone());
}

// ---------------------------------------------------------------- Parse

TEST(QuietHoursTest, ParseAcceptsEmptyAndTwoDifferentTimes) {
  const char* const accepted[] = {
      "",             // pacing.h: "" (none)
      "22:00-08:00",  // wraps midnight
      "00:00-06:30",  // does not wrap
      "23:59-00:00",  // one minute
      "12:00-12:01",  // one minute, not wrapping
  };
  for (const char* spec : accepted) {
    auto q = QuietHours::Parse(spec);
    EXPECT_TRUE(q.ok()) << "\"" << spec << "\": " << q.status();
  }
}

TEST(QuietHoursTest, ParseRefusesAnythingElseNamingTheSetting) {
  struct Row {
    const char* spec;
    const char* rule;
  };
  const Row rows[] = {
      {"08:00-08:00", "equal ends (pacing.h)"},
      {"24:00-01:00", "no hour 24"},
      {"22:60-08:00", "no minute 60"},
      {"8:00-9:00", "HH:MM, two digits"},
      {"+1:00-02:00", "digits only (SimpleAtoi would take '+')"},
      {"22:00-+8:00", "digits only"},
      {"-1:00-02:00", "no sign"},
      {"22:00", "two ends"},
      {"22:00-", "two ends"},
      {"-08:00", "two ends"},
      {"22:00-08:00-09:00", "one range"},
      {"22:00 - 08:00", "no spaces"},
      {" 22:00-08:00", "no spaces"},
      {"22.00-08.00", "':' between hours and minutes"},
      {"2200-0800", "':' between hours and minutes"},
      {"ab:cd-ef:gh", "junk"},
      {"quiet", "junk"},
      {"-", "junk"},
  };
  for (const Row& row : rows) {
    auto q = QuietHours::Parse(row.spec);
    EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument)
        << "\"" << row.spec << "\": " << row.rule;
    EXPECT_NE(q.status().message().find("sms.quiet_hours"), std::string::npos)
        << q.status();
  }
}

// ---------------------------------------------------------------- Holds

struct HoldRow {
  absl::Time at;
  bool holds;
  const char* rule;
};

void ExpectHolds(const QuietHours& q, const HoldRow* rows, size_t n,
                 const char* spec) {
  for (size_t i = 0; i < n; ++i) {
    EXPECT_EQ(q.Holds("accepted", rows[i].at), rows[i].holds)
        << spec << " at " << absl::FormatTime(rows[i].at, time::ChinaTimeZone())
        << ": " << rows[i].rule;
  }
}

TEST(QuietHoursTest, WindowOverMidnightHoldsFromFirstMinuteToLastExcluded) {
  auto q = QuietHours::Parse("22:00-08:00");
  ASSERT_TRUE(q.ok()) << q.status();
  const HoldRow rows[] = {
      {China(21, 59), false, "before the first minute"},
      {China(21, 59, 59), false, "the last second before"},
      {China(22, 0), true, "the first minute is included"},
      {China(23, 59, 59), true, "before midnight"},
      {China(0, 0), true, "midnight"},
      {China(3, 30), true, "at night"},
      {China(7, 59), true, "the last minute held"},
      {China(7, 59, 59), true, "the last second held"},
      {China(8, 0), false, "the second end is excluded"},
      {China(12, 0), false, "midday"},
  };
  ExpectHolds(*q, rows, sizeof(rows) / sizeof(rows[0]), "22:00-08:00");
}

TEST(QuietHoursTest, WindowWithinADayHoldsOnlyInside) {
  auto q = QuietHours::Parse("00:00-06:30");
  ASSERT_TRUE(q.ok()) << q.status();
  const HoldRow rows[] = {
      {China(23, 59), false, "before midnight"},
      {China(0, 0), true, "the first minute"},
      {China(6, 29, 59), true, "the last second held"},
      {China(6, 30), false, "the second end is excluded"},
      {China(22, 0), false, "not wrapping: the evening is free"},
  };
  ExpectHolds(*q, rows, sizeof(rows) / sizeof(rows[0]), "00:00-06:30");
}

TEST(QuietHoursTest, HoursAreChinaTimeNotUtc) {
  auto q = QuietHours::Parse("22:00-08:00");
  ASSERT_TRUE(q.ok()) << q.status();
  // 22:00 in China is 14:00 UTC; 23:00 UTC is 07:00 next day in China.
  const absl::Time utc_14 = absl::FromCivil(
      absl::CivilSecond(2026, 11, 22, 14, 0, 0), absl::UTCTimeZone());
  EXPECT_TRUE(q->Holds("accepted", utc_14));
  EXPECT_FALSE(q->Holds("accepted", utc_14 - absl::Seconds(1)));
  EXPECT_TRUE(q->Holds("accepted", utc_14 + absl::Hours(9)));
  EXPECT_FALSE(q->Holds("accepted", utc_14 + absl::Hours(10)));
}

TEST(QuietHoursTest, UrgentTriggersAreNeverHeld) {
  auto q = QuietHours::Parse("22:00-08:00", {"received", "extended"});
  ASSERT_TRUE(q.ok()) << q.status();
  for (absl::Time at : {China(22, 0), China(3, 0), China(7, 59)}) {
    EXPECT_FALSE(q->Holds("received", at)) << "sms.quiet_hours.urgent";
    EXPECT_FALSE(q->Holds("extended", at)) << "sms.quiet_hours.urgent";
    EXPECT_TRUE(q->Holds("replied", at)) << "not urgent";
  }
}

TEST(QuietHoursTest, NoWindowHoldsNothing) {
  QuietHours none;
  auto empty = QuietHours::Parse("", {"received"});
  ASSERT_TRUE(empty.ok()) << empty.status();
  for (absl::Time at : {China(0, 0), China(3, 0), China(22, 30)}) {
    EXPECT_FALSE(none.Holds("replied", at));
    EXPECT_FALSE(empty->Holds("replied", at));
  }
}

// ---------------------------------------------------------------- bucket

const absl::Time kT0 = absl::FromUnixSeconds(1795000000);

// `wait` is `ms` milliseconds, to the nanosecond (the bucket counts in
// doubles).
::testing::AssertionResult Waits(absl::Duration wait, double ms) {
  if (absl::AbsDuration(wait - absl::Microseconds(ms * 1000)) <=
      absl::Nanoseconds(1)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "waits " << absl::FormatDuration(wait) << ", not " << ms << "ms";
}

TEST(TokenBucketTest, RateZeroIsNoLimit) {
  TokenBucket bucket(0, 1);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(bucket.Take(kT0), absl::ZeroDuration()) << "take " << i;
  }
}

TEST(TokenBucketTest, BurstIsFreeThenEachPartWaitsItsShare) {
  TokenBucket bucket(10, 10);  // 10 parts/s, bursts of 10
  for (int i = 1; i <= 10; ++i) {
    EXPECT_EQ(bucket.Take(kT0), absl::ZeroDuration()) << "take " << i;
  }
  EXPECT_TRUE(Waits(bucket.Take(kT0), 100)) << "the 11th";
}

TEST(TokenBucketTest, WaitsAccumulateAsDebt) {
  TokenBucket bucket(10, 10);
  for (int i = 0; i < 10; ++i) bucket.Take(kT0);
  EXPECT_TRUE(Waits(bucket.Take(kT0), 100));
  EXPECT_TRUE(Waits(bucket.Take(kT0), 200));
  EXPECT_TRUE(Waits(bucket.Take(kT0), 300));
  // A caller that waited as told for the 13th (0.3 s) pays 0.1 s for the
  // next one: 10 parts/s on average.
  EXPECT_TRUE(Waits(bucket.Take(kT0 + absl::Milliseconds(300)), 100));
}

TEST(TokenBucketTest, PacedCallerSendsAtTheRate) {
  TokenBucket bucket(10, 10);
  absl::Time now = kT0;
  int sent = 0;
  while (now < kT0 + absl::Seconds(10)) {
    now += bucket.Take(now);
    if (now < kT0 + absl::Seconds(10)) ++sent;
  }
  // 10 in the first burst, then 10 per second for the rest.
  EXPECT_GE(sent, 100);
  EXPECT_LE(sent, 110);
}

TEST(TokenBucketTest, PauseRefillsUpToTheBurst) {
  TokenBucket bucket(10, 10);
  for (int i = 0; i < 10; ++i) bucket.Take(kT0);
  // 0.5 s later: 5 tokens back.
  const absl::Time later = kT0 + absl::Milliseconds(500);
  for (int i = 1; i <= 5; ++i) {
    EXPECT_EQ(bucket.Take(later), absl::ZeroDuration()) << "take " << i;
  }
  EXPECT_TRUE(Waits(bucket.Take(later), 100));

  // A long pause refills only up to the burst.
  const absl::Time much_later = later + absl::Hours(1);
  for (int i = 1; i <= 10; ++i) {
    EXPECT_EQ(bucket.Take(much_later), absl::ZeroDuration()) << "take " << i;
  }
  EXPECT_TRUE(Waits(bucket.Take(much_later), 100));
}

TEST(TokenBucketTest, DebtIsPaidBackBeforeTheNextFreeToken) {
  TokenBucket bucket(10, 10);
  for (int i = 0; i < 12; ++i) bucket.Take(kT0);  // 2 in debt
  // 0.1 s later the debt is 1: the next part waits 0.2 s.
  EXPECT_TRUE(Waits(bucket.Take(kT0 + absl::Milliseconds(100)), 200));
}

TEST(TokenBucketTest, BurstOfOneSpacesEveryPart) {
  TokenBucket bucket(2, 1);  // 2 parts/s, no burst
  EXPECT_EQ(bucket.Take(kT0), absl::ZeroDuration());
  EXPECT_TRUE(Waits(bucket.Take(kT0), 500));
  EXPECT_EQ(bucket.Take(kT0 + absl::Seconds(5)), absl::ZeroDuration());
}

TEST(TokenBucketTest, ClockGoingBackRefillsNothing) {
  TokenBucket bucket(10, 1);
  EXPECT_EQ(bucket.Take(kT0), absl::ZeroDuration());
  EXPECT_TRUE(Waits(bucket.Take(kT0 - absl::Seconds(5)), 100));
}

}  // namespace
}  // namespace caserelay::notification
