// Tests of common/kafka/partitioning.h: a case lands in the same partition
// number as librdkafka's murmur2 partitioner (and the Java client) puts its
// records, so every co-partitioned topic holds it in one partition.

#include "common/kafka/partitioning.h"

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/kafka/mock_cluster.h"

namespace caserelay::kafka {
namespace {

using ::caserelay::kafka::testing::JavaMurmur2;
using ::testing::HasSubstr;

// librdkafka's own partitioner: the producers' murmur2_random places every
// keyed record with it (rkt and the opaques are not read).
int32_t Librdkafka(const std::string& key, int32_t partitions) {
  return rd_kafka_msg_partitioner_murmur2(nullptr, key.data(), key.size(),
                                          partitions, nullptr, nullptr);
}

struct Row {
  const char* rule;
  std::string key;
  int32_t partitions;
};

TEST(PartitionOfTest, MatchesLibrdkafkasMurmur2Partitioner) {
  const std::vector<Row> rows = {
      {"issue 19 item 1: a case id, the key of every per-case topic",
       "140431-20261122-000001", 8},
      {"issue 19 item 1: the next case of the same office and day",
       "140431-20261122-000002", 8},
      {"issue 19 item 1: kafka.partitions may differ from 8",
       "140431-20260301-000001", 3},
      {"issue 19 item 1: one partition puts everything in 0",
       "140431-20261122-000001", 1},
      {"issue 19 item 1: keys of 1, 2 and 3 tail bytes", "a", 8},
      {"issue 19 item 1: tail of 2 bytes", "ab", 8},
      {"issue 19 item 1: tail of 3 bytes", "abc", 8},
      {"issue 19 item 1: whole words only", "abcd", 8},
      {"issue 19 item 1: the empty key is hashed, not random", "", 8},
      {"issue 19 item 1: bytes above 0x7f (UTF-8 of 信访)", "信访事项", 8},
      {"issue 19 item 1: a changelog key <cf>\\0<key>",
       std::string("cases\0140431-20261122-000001", 28), 8},
      {"issue 19 item 1: many partitions", "140431-20261122-000001", 999},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(PartitionOf(row.key, row.partitions),
              Librdkafka(row.key, row.partitions))
        << row.rule;
  }
}

TEST(PartitionOfTest, Murmur2IsTheJavaClients) {
  // Values from Kafka's UtilsTest.testMurmur2 (the Java client's hash).
  struct HashRow {
    const char* rule;
    const char* key;
    int32_t java;
  };
  const std::vector<HashRow> rows = {
      {"issue 19 item 1: Java client agreement", "21", -973932308},
      {"issue 19 item 1: Java client agreement", "foobar", -790332482},
      {"issue 19 item 1: Java client agreement", "a-little-bit-long-string",
       -985981536},
      {"issue 19 item 1: Java client agreement", "a-little-bit-longer-string",
       -1486304829},
      {"issue 19 item 1: Java client agreement",
       "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971},
      {"issue 19 item 1: Java client agreement", "abc", 479470107},
  };
  for (const HashRow& row : rows) {
    EXPECT_EQ(Murmur2(row.key), row.java) << row.rule << ": " << row.key;
    EXPECT_EQ(Murmur2(row.key), JavaMurmur2(row.key)) << row.rule;
  }
}

TEST(PartitionOfTest, AgreesWithLibrdkafkaOnRandomKeys) {
  // issue 19 item 1: every key, not only the rows above.
  std::mt19937 rng(19);
  std::uniform_int_distribution<int> length(0, 40);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int32_t> count(1, 64);
  for (int i = 0; i < 5000; ++i) {
    std::string key(static_cast<size_t>(length(rng)), '\0');
    for (char& c : key) c = static_cast<char>(byte(rng));
    const int32_t partitions = count(rng);
    ASSERT_EQ(PartitionOf(key, partitions), Librdkafka(key, partitions))
        << "key of " << key.size() << " bytes, " << partitions << " partitions";
  }
}

TEST(CheckCoPartitionedTest, EqualCountsPassUnequalNameEveryTopic) {
  // issue 19 item 1 (the contract): a service refuses to start when its
  // topics have different partition counts.
  EXPECT_TRUE(CheckCoPartitioned({}).ok());
  EXPECT_TRUE(CheckCoPartitioned({{"case-events", 8}, {"petitions", 8}}).ok());
  absl::Status s = CheckCoPartitioned(
      {{"case-events", 8}, {"petitions", 4}, {"supervision-changelog", 8}});
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("case-events has 8 partitions"));
  EXPECT_THAT(s.message(), HasSubstr("petitions has 4 partitions"));
  EXPECT_THAT(s.message(), HasSubstr("supervision-changelog has 8"));
}

}  // namespace
}  // namespace caserelay::kafka
