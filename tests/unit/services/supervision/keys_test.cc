// keys.h: timer and light keys sort by time, then kind, and read back.

#include "services/supervision/keys.h"

#include "gtest/gtest.h"

namespace caserelay::supervision {
namespace {

const absl::Time kT = absl::FromUnixMicros(1796086800000000);

TEST(KeysTest, TimerKeyReadsBack) {
  std::string key = TimerKey(kT, TimerKind::kWarning, "c/handling/1");
  std::optional<ParsedTimer> parsed = ParseTimerKey(key);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->at, kT);
  EXPECT_EQ(parsed->kind, TimerKind::kWarning);
  EXPECT_EQ(parsed->deadline_id, "c/handling/1");
}

TEST(KeysTest, TimerKeysSortByTimeFirst) {
  EXPECT_LT(TimerKey(kT, TimerKind::kWarning, "z"),
            TimerKey(kT + absl::Microseconds(1), TimerKind::kMiss, "a"));
  EXPECT_LT(TimerKey(kT - absl::Hours(1e5), TimerKind::kMiss, "z"),
            TimerKey(kT, TimerKind::kMiss, "a"));
}

TEST(KeysTest, MalformedTimerKeysAreRefused) {
  EXPECT_FALSE(ParseTimerKey("short").has_value());
  std::string key = TimerKey(kT, TimerKind::kMiss, "id");
  key[8] = 'x';
  EXPECT_FALSE(ParseTimerKey(key).has_value()) << "unknown kind byte";
  EXPECT_FALSE(ParseTimerKey(TimerKey(kT, TimerKind::kMiss, "")).has_value());
}

TEST(KeysTest, LightKeyReadsBackAndSortsByDue) {
  std::optional<ParsedLight> parsed = ParseLightKey(LightKey(kT, "c/x/1"));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->due, kT);
  EXPECT_EQ(parsed->deadline_id, "c/x/1");
  EXPECT_LT(LightKey(kT, "z"), LightKey(kT + absl::Seconds(1), "a"));
  EXPECT_FALSE(ParseLightKey(TimeBytes(kT)).has_value());
}

}  // namespace
}  // namespace caserelay::supervision
