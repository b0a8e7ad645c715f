// Tests of common/kafka/consumer.h against the in-process mock cluster.
// The mock makes a new group wait 3 s before its first assignment
// (PLATFORM-NOTES.md), so only a few tests join a group, each with a group
// id of its own.

#include "common/kafka/consumer.h"

#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/kafka/producer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/kafka/mock_cluster.h"
#include "tests/unit/common/kafka/report_sink.h"

namespace caserelay::kafka {
namespace {

using ::caserelay::kafka::testing::MockCluster;
using ::caserelay::kafka::testing::ReportSink;
using ::testing::ElementsAre;
using ::testing::Pair;

constexpr char kTopic[] = "petitions";
constexpr int kPartitions = 3;

// (partition, offset) -> value of every record written.
using Written = std::map<std::pair<int32_t, int64_t>, std::string>;

// Produces `n` keyed records to kTopic and returns where each one landed.
Written ProduceRecords(const MockCluster& cluster, int n) {
  ReportSink sink;
  ProducerOptions options;
  options.bootstrap = cluster.bootstrap();
  absl::StatusOr<std::unique_ptr<Producer>> producer =
      CreateKafkaProducer(options, sink.Callback());
  EXPECT_TRUE(producer.ok()) << producer.status();
  if (!producer.ok()) return {};
  for (int i = 0; i < n; ++i) {
    EXPECT_TRUE((*producer)
                    ->Produce(kTopic, absl::StrCat("case-", i % 50),
                              absl::StrCat("value-", i), i)
                    .ok());
  }
  EXPECT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  Written written;
  for (const DeliveryReport& r : sink.reports()) {
    EXPECT_TRUE(r.status.ok()) << r.status;
    written[{r.partition, r.offset}] = absl::StrCat("value-", r.token);
  }
  return written;
}

ConsumerOptions Options(const MockCluster& cluster, const std::string& group) {
  ConsumerOptions options;
  options.bootstrap = cluster.bootstrap();
  options.group_id = group;
  options.topics = {kTopic};
  return options;
}

// Polls until `want` records arrived or `timeout` passed, then once more
// briefly to catch any surplus. Fails the test on a Poll error.
std::vector<Message> ConsumeAtLeast(Consumer& consumer, size_t want,
                                    absl::Duration timeout) {
  std::vector<Message> got;
  const absl::Time deadline = absl::Now() + timeout;
  while (got.size() < want && absl::Now() < deadline) {
    absl::StatusOr<std::vector<Message>> batch =
        consumer.Poll(100, absl::Milliseconds(200));
    EXPECT_TRUE(batch.ok()) << batch.status();
    if (!batch.ok()) break;
    got.insert(got.end(), batch->begin(), batch->end());
  }
  absl::StatusOr<std::vector<Message>> more =
      consumer.Poll(100, absl::Milliseconds(500));
  EXPECT_TRUE(more.ok()) << more.status();
  if (more.ok()) got.insert(got.end(), more->begin(), more->end());
  return got;
}

TEST(ConsumerTest, ResumesExactlyAfterTheStoredOffsets) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic(kTopic, kPartitions),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  const Written written = ProduceRecords(cluster, 300);
  ASSERT_EQ(written.size(), 300u);
  std::map<int32_t, int64_t> end;  // next offset of each partition
  for (const auto& [place, value] : written)
    end[place.first] = place.second + 1;
  ASSERT_EQ(end.size(), static_cast<size_t>(kPartitions));
  // Partition 0 half read, partition 1 one read, partition 2 fully read.
  const std::map<int32_t, int64_t> stored = {
      {0, end[0] / 2}, {1, 1}, {2, end[2]}};
  Written expected;
  for (const auto& [place, value] : written) {
    if (place.second >= stored.at(place.first)) expected[place] = value;
  }

  std::map<int32_t, int> lookups;
  const absl::Time start = absl::Now();
  absl::Time first_lookup;
  absl::StatusOr<std::unique_ptr<Consumer>> consumer =
      CreateKafkaConsumer(Options(cluster, "resume-group"),
                          [&](const std::string& topic, int32_t partition) {
                            EXPECT_EQ(topic, kTopic);
                            if (lookups.empty()) first_lookup = absl::Now();
                            ++lookups[partition];
                            return std::optional<int64_t>(stored.at(partition));
                          });
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  EXPECT_TRUE((*consumer)->Assignment().empty());

  const std::vector<Message> got =
      ConsumeAtLeast(**consumer, expected.size(), absl::Seconds(20));
  std::cout << "[measured] first assignment "
            << absl::FormatDuration(first_lookup - start)
            << " after CreateKafkaConsumer\n";
  Written read;
  for (const Message& m : got) {
    EXPECT_EQ(m.topic, kTopic);
    EXPECT_TRUE(
        read.emplace(std::make_pair(m.partition, m.offset), m.value).second)
        << "replayed " << m.partition << "/" << m.offset;
    EXPECT_NE(m.timestamp, absl::InfinitePast());
  }
  EXPECT_EQ(read, expected);
  EXPECT_THAT(lookups, ElementsAre(Pair(0, 1), Pair(1, 1), Pair(2, 1)));
  EXPECT_THAT((*consumer)->Assignment(),
              ElementsAre(Pair(kTopic, 0), Pair(kTopic, 1), Pair(kTopic, 2)));
  (*consumer)->Close();
  EXPECT_TRUE((*consumer)->Assignment().empty());
}

TEST(ConsumerTest, NoStoredOffsetReadsEachPartitionFromTheBeginningInOrder) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic(kTopic, kPartitions),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  const Written written = ProduceRecords(cluster, 150);
  ASSERT_EQ(written.size(), 150u);

  absl::StatusOr<std::unique_ptr<Consumer>> consumer = CreateKafkaConsumer(
      Options(cluster, "beginning-group"),
      [](const std::string&, int32_t) { return std::optional<int64_t>(); });
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  const std::vector<Message> got =
      ConsumeAtLeast(**consumer, written.size(), absl::Seconds(20));

  std::map<int32_t, int64_t> next;  // per partition, the offset expected next
  Written read;
  for (const Message& m : got) {
    EXPECT_EQ(m.offset, next[m.partition]) << "partition " << m.partition;
    next[m.partition] = m.offset + 1;
    read[{m.partition, m.offset}] = m.value;
  }
  EXPECT_EQ(read, written);
}

TEST(ConsumerTest, TwoMembersOfOneGroupSplitThePartitionsWithoutSkipping) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic(kTopic, kPartitions),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  const Written written = ProduceRecords(cluster, 90);
  ASSERT_EQ(written.size(), 90u);
  auto from_beginning = [](const std::string&, int32_t) {
    return std::optional<int64_t>();
  };
  absl::StatusOr<std::unique_ptr<Consumer>> a =
      CreateKafkaConsumer(Options(cluster, "shared-group"), from_beginning);
  absl::StatusOr<std::unique_ptr<Consumer>> b =
      CreateKafkaConsumer(Options(cluster, "shared-group"), from_beginning);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();

  // Both members must be polled for the group to settle.
  Written read;  // redeliveries after the rebalance collapse here
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + absl::Seconds(25);
  std::vector<std::pair<std::string, int32_t>> owned_a, owned_b;
  while (absl::Now() < deadline) {
    for (Consumer* c : {a->get(), b->get()}) {
      absl::StatusOr<std::vector<Message>> batch =
          c->Poll(100, absl::Milliseconds(100));
      ASSERT_TRUE(batch.ok()) << batch.status();
      for (const Message& m : *batch) read[{m.partition, m.offset}] = m.value;
    }
    owned_a = (*a)->Assignment();
    owned_b = (*b)->Assignment();
    if (!owned_a.empty() && !owned_b.empty() &&
        owned_a.size() + owned_b.size() == kPartitions &&
        read.size() == written.size()) {
      break;
    }
  }
  std::cout << "[measured] two members settled and read everything in "
            << absl::FormatDuration(absl::Now() - start) << "\n";
  EXPECT_FALSE(owned_a.empty());
  EXPECT_FALSE(owned_b.empty());
  EXPECT_EQ(owned_a.size() + owned_b.size(), static_cast<size_t>(kPartitions));
  std::set<std::pair<std::string, int32_t>> all(owned_a.begin(), owned_a.end());
  all.insert(owned_b.begin(), owned_b.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kPartitions));
  EXPECT_EQ(read, written);
}

// Issue 19 (statistics as replicas): consumers with assign_all read every
// partition each, from their stored positions, though they name the same
// group; the partitions come from the metadata at once (no group's 3 s).
TEST(ConsumerTest, AssignAllReadsEveryPartitionInEachConsumer) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic(kTopic, kPartitions),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  const Written written = ProduceRecords(cluster, 90);
  ASSERT_EQ(written.size(), 90u);
  ConsumerOptions options = Options(cluster, "replica-group");
  options.assign_all = true;
  // The first replica has read partition 1 up to its fifth record.
  auto partly_read = [](const std::string&, int32_t partition) {
    return partition == 1 ? std::optional<int64_t>(5) : std::nullopt;
  };
  auto from_beginning = [](const std::string&, int32_t) {
    return std::optional<int64_t>();
  };
  const absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<Consumer>> a =
      CreateKafkaConsumer(options, partly_read);
  absl::StatusOr<std::unique_ptr<Consumer>> b =
      CreateKafkaConsumer(options, from_beginning);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  Written expected_a;
  for (const auto& [place, value] : written) {
    if (place.first != 1 || place.second >= 5) expected_a[place] = value;
  }
  Written read_a, read_b;
  for (const Message& m : ConsumeAtLeast(**a, expected_a.size(),
                                         absl::Seconds(20))) {
    EXPECT_TRUE(read_a.emplace(std::make_pair(m.partition, m.offset), m.value)
                    .second);
  }
  for (const Message& m :
       ConsumeAtLeast(**b, written.size(), absl::Seconds(20))) {
    EXPECT_TRUE(read_b.emplace(std::make_pair(m.partition, m.offset), m.value)
                    .second);
  }
  std::cout << "[measured] two assign_all consumers read everything in "
            << absl::FormatDuration(absl::Now() - start) << "\n";
  EXPECT_EQ(read_a, expected_a);
  EXPECT_EQ(read_b, written);
  const std::vector<TopicPartition> all = {
      {kTopic, 0}, {kTopic, 1}, {kTopic, 2}};
  EXPECT_EQ((*a)->Assignment(), all);
  EXPECT_EQ((*b)->Assignment(), all);
}

TEST(ConsumerTest, AssignAllCannotPauseAssigned) {
  MockCluster cluster(1);
  ConsumerOptions options = Options(cluster, "replica-group");
  options.assign_all = true;
  options.pause_assigned = true;
  options.extra["partition.assignment.strategy"] = "cooperative-sticky";
  absl::StatusOr<std::unique_ptr<Consumer>> consumer = CreateKafkaConsumer(
      options, [](const std::string&, int32_t) { return std::nullopt; });
  EXPECT_EQ(consumer.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ConsumerTest, BrokerOutageGivesEmptyBatchesThenReadingResumes) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic(kTopic, kPartitions),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  const Written before = ProduceRecords(cluster, 30);
  ASSERT_EQ(before.size(), 30u);
  absl::StatusOr<std::unique_ptr<Consumer>> consumer = CreateKafkaConsumer(
      Options(cluster, "outage-group"),
      [](const std::string&, int32_t) { return std::optional<int64_t>(); });
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  Written read;
  for (const Message& m :
       ConsumeAtLeast(**consumer, before.size(), absl::Seconds(20))) {
    read[{m.partition, m.offset}] = m.value;
  }
  ASSERT_EQ(read, before);

  ASSERT_EQ(cluster.SetBrokerDown(1), RD_KAFKA_RESP_ERR_NO_ERROR);
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<std::vector<Message>> batch =
        (*consumer)->Poll(100, absl::Milliseconds(200));
    ASSERT_TRUE(batch.ok()) << batch.status();
    EXPECT_TRUE(batch->empty());
  }
  ASSERT_EQ(cluster.SetBrokerUp(1), RD_KAFKA_RESP_ERR_NO_ERROR);
  const Written after = ProduceRecords(cluster, 60);  // 60 more, same keys
  ASSERT_EQ(after.size(), 60u);
  Written expected = before;
  expected.insert(after.begin(), after.end());
  const absl::Time up = absl::Now();
  for (const Message& m :
       ConsumeAtLeast(**consumer, after.size(), absl::Seconds(20))) {
    read[{m.partition, m.offset}] = m.value;
  }
  std::cout << "[measured] reading resumed within "
            << absl::FormatDuration(absl::Now() - up)
            << " after the broker came back\n";
  EXPECT_EQ(read, expected);
}

// consumer.h: EndOffsets' timeout bounds the whole call. With the broker
// down and many partitions assigned, asking each partition for the full
// timeout kept the loop's thread (and a SIGTERM waiting for it) for one
// timeout per partition.
TEST(ConsumerTest, EndOffsetsWithTheBrokerDownAnswersWithinItsTimeout) {
  constexpr int kMany = 32;
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic(kTopic, kMany), RD_KAFKA_RESP_ERR_NO_ERROR);
  absl::StatusOr<std::unique_ptr<Consumer>> consumer = CreateKafkaConsumer(
      Options(cluster, "end-offsets-group"),
      [](const std::string&, int32_t) { return std::optional<int64_t>(); });
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  const absl::Time joined_by = absl::Now() + absl::Seconds(30);
  while ((*consumer)->Assignment().size() < kMany && absl::Now() < joined_by) {
    ASSERT_TRUE((*consumer)->Poll(10, absl::Milliseconds(100)).ok());
  }
  ASSERT_EQ((*consumer)->Assignment().size(), static_cast<size_t>(kMany));
  absl::StatusOr<std::map<std::pair<std::string, int32_t>, int64_t>> up =
      (*consumer)->EndOffsets(absl::Seconds(10));
  ASSERT_TRUE(up.ok()) << up.status();
  EXPECT_EQ(up->size(), static_cast<size_t>(kMany));

  ASSERT_EQ(cluster.SetBrokerDown(1), RD_KAFKA_RESP_ERR_NO_ERROR);
  const absl::Duration timeout = absl::Milliseconds(500);
  const absl::Time start = absl::Now();
  absl::StatusOr<std::map<std::pair<std::string, int32_t>, int64_t>> down =
      (*consumer)->EndOffsets(timeout);
  const absl::Duration took = absl::Now() - start;
  std::cout << "[measured] EndOffsets with the broker down: "
            << absl::FormatDuration(took) << " (" << down.status() << ")\n";
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable);
  // One timeout plus scheduling slack; per partition it would be 16 s.
  EXPECT_LT(took, timeout + absl::Seconds(3));
  ASSERT_EQ(cluster.SetBrokerUp(1), RD_KAFKA_RESP_ERR_NO_ERROR);
}

TEST(ConsumerTest, PollAfterCloseFailsPrecondition) {
  MockCluster cluster(1);
  absl::StatusOr<std::unique_ptr<Consumer>> consumer = CreateKafkaConsumer(
      Options(cluster, "closed-group"),
      [](const std::string&, int32_t) { return std::optional<int64_t>(); });
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  (*consumer)->Close();
  (*consumer)->Close();  // idempotent
  EXPECT_EQ((*consumer)->Poll(10, absl::Milliseconds(10)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE((*consumer)->Assignment().empty());
}

TEST(ConsumerTest, PollRejectsMaxMessagesBelowOne) {
  MockCluster cluster(1);
  absl::StatusOr<std::unique_ptr<Consumer>> consumer = CreateKafkaConsumer(
      Options(cluster, "max-group"),
      [](const std::string&, int32_t) { return std::optional<int64_t>(); });
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  EXPECT_EQ((*consumer)->Poll(0, absl::Milliseconds(10)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ConsumerTest, CreateRejectsIncompleteOptions) {
  const OffsetLookup lookup = [](const std::string&, int32_t) {
    return std::optional<int64_t>();
  };
  ConsumerOptions good;
  good.bootstrap = "127.0.0.1:1";
  good.group_id = "g";
  good.topics = {kTopic};
  struct Row {
    const char* what;
    ConsumerOptions options;
    OffsetLookup lookup;
  };
  std::vector<Row> rows;
  rows.push_back({"empty bootstrap", good, lookup});
  rows.back().options.bootstrap.clear();
  rows.push_back({"empty group_id", good, lookup});
  rows.back().options.group_id.clear();
  rows.push_back({"no topics", good, lookup});
  rows.back().options.topics.clear();
  rows.push_back({"illegal topic name", good, lookup});
  rows.back().options.topics = {"case events"};
  rows.push_back({"unknown librdkafka property", good, lookup});
  rows.back().options.extra = {{"no.such.property", "1"}};
  rows.push_back({"no lookup", good, nullptr});
  for (const Row& row : rows) {
    EXPECT_EQ(CreateKafkaConsumer(row.options, row.lookup).status().code(),
              absl::StatusCode::kInvalidArgument)
        << row.what;
  }
}

}  // namespace
}  // namespace caserelay::kafka
