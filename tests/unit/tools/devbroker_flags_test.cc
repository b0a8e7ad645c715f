// Flag parsing of tools/devbroker (the brief's CLI contract).
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/devbroker/flags.h"

namespace caserelay::devbroker {
namespace {

using ::testing::HasSubstr;

// Issue 19 items 2 and 5: besides the four per-case topics, each service
// that may run as many instances gets its changelog, co-partitioned with
// its input (8), and its owners topic (1 partition, read whole).
TEST(DevbrokerFlagsTest, NoFlagsGiveOneBrokerTheServiceTopicsChangelogsAndOwners) {
  absl::StatusOr<Flags> flags = ParseFlags({});
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_FALSE(flags->help);
  EXPECT_EQ(flags->brokers, 1);
  const std::vector<std::pair<std::string, int>> want = {
      {"petitions", 8},
      {"case-events", 8},
      {"supervision-events", 8},
      {"notification-events", 8},
      {"supervision-changelog", 8},
      {"supervision-owners", 1},
      {"notification-changelog", 8},
      {"notification-owners", 1},
      {"routing-changelog", 8},
      {"routing-owners", 1},
      {"statistics-bulletins", 1}};
  ASSERT_EQ(flags->topics.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(flags->topics[i].name, want[i].first);
    EXPECT_EQ(flags->topics[i].partitions, want[i].second) << want[i].first;
  }
  EXPECT_EQ(flags->control_host, "127.0.0.1");
  EXPECT_EQ(flags->control_port, 0);
  EXPECT_EQ(flags->bootstrap_file, "");
  EXPECT_EQ(flags->info_file, "");
}

TEST(DevbrokerFlagsTest, EveryFlagIsTakenInBothSpellings) {
  absl::StatusOr<Flags> flags =
      ParseFlags({"--brokers", "3", "--topic=orders:3", "--topic", "a.b_c-d:1",
                  "--bootstrap-file", "/tmp/b", "--info-file=/tmp/i",
                  "--control-listen", "127.0.0.2:4567"});
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(flags->brokers, 3);
  ASSERT_EQ(flags->topics.size(), 2u);  // given topics replace the defaults
  EXPECT_EQ(flags->topics[0].name, "orders");
  EXPECT_EQ(flags->topics[0].partitions, 3);
  EXPECT_EQ(flags->topics[1].name, "a.b_c-d");
  EXPECT_EQ(flags->topics[1].partitions, 1);
  EXPECT_EQ(flags->bootstrap_file, "/tmp/b");
  EXPECT_EQ(flags->info_file, "/tmp/i");
  EXPECT_EQ(flags->control_host, "127.0.0.2");
  EXPECT_EQ(flags->control_port, 4567);
}

TEST(DevbrokerFlagsTest, HelpWinsOverEverythingAfterIt) {
  absl::StatusOr<Flags> flags = ParseFlags({"--help", "--bogus"});
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_TRUE(flags->help);
}

TEST(DevbrokerFlagsTest, UsageNamesEveryFlag) {
  const std::string usage = Usage();
  for (const char* flag : {"--brokers", "--topic", "--bootstrap-file",
                           "--info-file", "--control-listen",
                           "--broker-listen", "--help"}) {
    EXPECT_THAT(usage, HasSubstr(flag));
  }
}

struct BadFlagsCase {
  const char* why;
  std::vector<std::string> args;
  const char* message_part;  // the error names the flag or value
};

TEST(DevbrokerFlagsTest, BadFlagsAreInvalidArgumentNamingTheFlag) {
  const BadFlagsCase cases[] = {
      {"unknown flag", {"--bogus"}, "--bogus"},
      {"positional argument", {"petitions"}, "petitions"},
      {"missing value", {"--brokers"}, "--brokers: missing value"},
      {"zero brokers", {"--brokers", "0"}, "--brokers"},
      {"too many brokers", {"--brokers", "17"}, "--brokers"},
      {"brokers not a number", {"--brokers=three"}, "three"},
      {"topic without partitions", {"--topic", "orders"}, "NAME:PARTITIONS"},
      {"zero partitions", {"--topic", "orders:0"}, "partitions"},
      {"too many partitions", {"--topic", "orders:1025"}, "partitions"},
      {"illegal topic character", {"--topic", "or/ders:2"}, "or/ders"},
      {"empty topic name", {"--topic", ":2"}, "illegal topic name"},
      {"repeated topic", {"--topic", "a:1", "--topic", "a:2"}, "twice"},
      {"empty file path", {"--info-file="}, "--info-file"},
      {"control not loopback", {"--control-listen", "0.0.0.0:1"}, "loopback"},
      {"control not IPv4", {"--control-listen", "localhost:1"}, "loopback"},
      {"control bad port", {"--control-listen", "127.0.0.1:70000"}, "port"},
      {"control no port", {"--control-listen", "127.0.0.1"}, "HOST:PORT"},
      // issue 24 item 2: one chosen address is one broker's.
      {"broker address no port", {"--broker-listen", "devbroker"},
       "HOST:PORT"},
      {"broker address empty port", {"--broker-listen", "devbroker:"},
       "HOST:PORT"},
      {"broker address for three brokers",
       {"--brokers", "3", "--broker-listen", "devbroker:9092"},
       "--brokers 1"},
  };
  for (const BadFlagsCase& c : cases) {
    absl::StatusOr<Flags> flags = ParseFlags(c.args);
    EXPECT_EQ(flags.status().code(), absl::StatusCode::kInvalidArgument)
        << c.why;
    EXPECT_THAT(std::string(flags.status().message()),
                HasSubstr(c.message_part))
        << c.why;
  }
}

}  // namespace
}  // namespace caserelay::devbroker
