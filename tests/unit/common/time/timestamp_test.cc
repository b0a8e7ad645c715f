#include "common/time/timestamp.h"

#include "common/time/china_time.h"
#include "gtest/gtest.h"

namespace caserelay::time {
namespace {

TEST(TimestampTest, RoundTripsToTheNanosecondBothSidesOfTheEpoch) {
  for (absl::Time t :
       {absl::UnixEpoch(), absl::FromUnixNanos(1795000000123456789),
        absl::FromUnixNanos(-1), absl::FromUnixNanos(-1500000001)}) {
    google::protobuf::Timestamp ts = ToProto(t);
    EXPECT_GE(ts.nanos(), 0);
    EXPECT_LT(ts.nanos(), 1000000000);
    EXPECT_EQ(FromProto(ts), t);
  }
  google::protobuf::Timestamp before = ToProto(absl::FromUnixNanos(-1));
  EXPECT_EQ(before.seconds(), -1);
  EXPECT_EQ(before.nanos(), 999999999);
}

TEST(TimestampTest, LastDayOfInvertsEndOf) {
  // 民法典 Art. 203: the last day ends at 24:00, the next day's first instant.
  const absl::CivilDay day(2026, 12, 7);
  EXPECT_EQ(LastDayOf(EndOf(day)), day);
  EXPECT_EQ(LastDayOf(EndOf(day) + absl::Nanoseconds(1)), day + 1);
}

}  // namespace
}  // namespace caserelay::time
