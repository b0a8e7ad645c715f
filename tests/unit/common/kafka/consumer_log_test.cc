// Tests of the log identity side of common/kafka/consumer.h (issue 23 item
// 1): a stored offset counts in one log, and the consumer never lets Kafka
// move a partition silently. Against the in-process mock cluster; each test
// joins a group of its own (3 s for the first assignment).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/kafka/consumer.h"
#include "common/kafka/producer.h"
#include "gtest/gtest.h"
#include "tests/unit/common/kafka/mock_cluster.h"
#include "tests/unit/common/kafka/report_sink.h"

namespace caserelay::kafka {
namespace {

using ::caserelay::kafka::testing::MockCluster;
using ::caserelay::kafka::testing::ReportSink;

constexpr char kTopic[] = "case-events";

// Produces `n` records of `bytes` bytes each to partition 0 of kTopic;
// returns how many were confirmed.
int Produce(const MockCluster& cluster, int n, size_t bytes = 16) {
  ReportSink sink;
  ProducerOptions options;
  options.bootstrap = cluster.bootstrap();
  options.extra["message.max.bytes"] = "2000000";
  options.extra["linger.ms"] = "0";
  auto producer = CreateKafkaProducer(options, sink.Callback());
  EXPECT_TRUE(producer.ok()) << producer.status();
  if (!producer.ok()) return 0;
  for (int i = 0; i < n; ++i) {
    // One key, so every record lands in the topic's one partition.
    EXPECT_TRUE((*producer)
                    ->Produce(kTopic, "case-1", std::string(bytes, 'x'), i)
                    .ok());
    // One record per batch: the mock's retention counts batches.
    EXPECT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  }
  int ok = 0;
  for (const DeliveryReport& r : sink.reports()) ok += r.status.ok();
  return ok;
}

struct Read {
  std::vector<int64_t> offsets;
  std::vector<PositionReset> resets;
};

// Polls `consumer` until `want` records came or 20 s passed, collecting
// the records' offsets and the resets reported.
Read ReadAtLeast(Consumer& consumer, size_t want) {
  Read read;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (read.offsets.size() < want && absl::Now() < deadline) {
    auto batch = consumer.Poll(100, absl::Milliseconds(200));
    EXPECT_TRUE(batch.ok()) << batch.status();
    if (!batch.ok()) break;
    for (PositionReset& r : consumer.TakeResets()) {
      read.resets.push_back(std::move(r));
    }
    for (const Message& m : *batch) read.offsets.push_back(m.offset);
  }
  return read;
}

std::unique_ptr<Consumer> Consume(const MockCluster& cluster,
                                  const std::string& group,
                                  std::optional<Position> stored) {
  ConsumerOptions options;
  options.bootstrap = cluster.bootstrap();
  options.group_id = group;
  options.topics = {kTopic};
  auto consumer = CreateKafkaConsumerWithPositions(
      options,
      [stored](const std::string&, int32_t)
          -> absl::StatusOr<std::optional<Position>> { return stored; });
  EXPECT_TRUE(consumer.ok()) << consumer.status();
  return consumer.ok() ? *std::move(consumer) : nullptr;
}

std::vector<int64_t> Range(int64_t from, int64_t to) {
  std::vector<int64_t> out;
  for (int64_t i = from; i < to; ++i) out.push_back(i);
  return out;
}

TEST(ConsumerLogTest, StoredOffsetBeyondTheLogIsANewLogReadFromItsStart) {
  // The embedded broker started again (or the topic was recreated): the
  // log holds 5 records, the store says 1000 were read.
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic(kTopic, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(Produce(cluster, 5), 5);
  auto consumer = Consume(cluster, "beyond", Position{1000, ""});
  ASSERT_NE(consumer, nullptr);
  Read read = ReadAtLeast(*consumer, 5);
  EXPECT_EQ(read.offsets, Range(0, 5));
  ASSERT_EQ(read.resets.size(), 1u);
  EXPECT_EQ(read.resets[0].kind, PositionReset::Kind::kNewLog);
  EXPECT_EQ(read.resets[0].topic, kTopic);
  EXPECT_EQ(read.resets[0].partition, 0);
  EXPECT_EQ(read.resets[0].stored_offset, 1000);
  EXPECT_EQ(read.resets[0].resumed_at, 0);
}

TEST(ConsumerLogTest, PositionStoredInAnotherClusterIsANewLog) {
  // The offset (2) is inside this log, but it counts in another one.
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic(kTopic, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(Produce(cluster, 5), 5);
  auto consumer = Consume(cluster, "other-cluster",
                          Position{2, "a-cluster-that-is-gone"});
  ASSERT_NE(consumer, nullptr);
  Read read = ReadAtLeast(*consumer, 5);
  EXPECT_EQ(read.offsets, Range(0, 5));
  ASSERT_EQ(read.resets.size(), 1u);
  EXPECT_EQ(read.resets[0].kind, PositionReset::Kind::kNewLog);
  EXPECT_EQ(read.resets[0].stored_log_id, "a-cluster-that-is-gone");
  EXPECT_EQ(read.resets[0].stored_offset, 2);
  EXPECT_EQ(read.resets[0].resumed_at, 0);
  EXPECT_FALSE(consumer->LogId().empty());
  EXPECT_EQ(read.resets[0].log_id, consumer->LogId());
}

TEST(ConsumerLogTest, PositionInThisLogResumesThereWithoutAReset) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic(kTopic, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(Produce(cluster, 5), 5);
  // Learn this cluster's id, as a service stores it.
  auto first = Consume(cluster, "learn-id", std::nullopt);
  ASSERT_NE(first, nullptr);
  ASSERT_EQ(ReadAtLeast(*first, 5).offsets, Range(0, 5));
  const std::string id = first->LogId();
  ASSERT_FALSE(id.empty());
  first->Close();

  auto consumer = Consume(cluster, "same-log", Position{3, id});
  ASSERT_NE(consumer, nullptr);
  Read read = ReadAtLeast(*consumer, 2);
  EXPECT_EQ(read.offsets, Range(3, 5));
  EXPECT_TRUE(read.resets.empty());
}

TEST(ConsumerLogTest, RecordsDeletedBeforeTheyWereReadAreReportedSkipped) {
  // The mock keeps ~5 MiB per partition: 8 records of 1 MB push the
  // oldest out, as retention would.
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic(kTopic, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(Produce(cluster, 8, 1000000), 8);
  auto consumer = Consume(cluster, "skipped", Position{0, ""});
  ASSERT_NE(consumer, nullptr);
  Read read = ReadAtLeast(*consumer, 1);
  ASSERT_EQ(read.resets.size(), 1u);
  const PositionReset& r = read.resets[0];
  EXPECT_EQ(r.kind, PositionReset::Kind::kSkippedUnread);
  EXPECT_EQ(r.stored_offset, 0);
  EXPECT_GT(r.resumed_at, 0);
  EXPECT_LT(r.resumed_at, 8);
  ASSERT_FALSE(read.offsets.empty());
  EXPECT_EQ(read.offsets.front(), r.resumed_at);
}

TEST(ConsumerLogTest, ResetKindsHaveNamesForLogsAndMetrics) {
  EXPECT_STREQ(ResetKindName(PositionReset::Kind::kNewLog), "new log");
  EXPECT_STREQ(ResetKindName(PositionReset::Kind::kSkippedUnread),
               "skipped unread");
}

}  // namespace
}  // namespace caserelay::kafka
