// Tests of common/kafka/producer.h against the in-process mock cluster.

#include "common/kafka/producer.h"

#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/kafka/mock_cluster.h"
#include "tests/unit/common/kafka/report_sink.h"

namespace caserelay::kafka {
namespace {

using ::caserelay::kafka::testing::JavaMurmur2;
using ::caserelay::kafka::testing::JavaPartition;
using ::caserelay::kafka::testing::MockCluster;
using ::caserelay::kafka::testing::ReportSink;
using ::testing::HasSubstr;

constexpr int32_t kBroker = 1;  // the mock's only broker

ProducerOptions Options(const MockCluster& cluster,
                        std::map<std::string, std::string> extra = {}) {
  ProducerOptions options;
  options.bootstrap = cluster.bootstrap();
  options.client_id = "kafka_test";
  options.extra = std::move(extra);
  // Reconnect quickly once a downed broker is back (default max: 10 s).
  options.extra.emplace("reconnect.backoff.max.ms", "200");
  return options;
}

std::unique_ptr<Producer> MustCreate(const ProducerOptions& options,
                                     ReportSink& sink) {
  absl::StatusOr<std::unique_ptr<Producer>> producer =
      CreateKafkaProducer(options, sink.Callback());
  EXPECT_TRUE(producer.ok()) << producer.status();
  return producer.ok() ? *std::move(producer) : nullptr;
}

std::string KeyOf(int i, int keys) { return absl::StrCat("case-", i % keys); }

TEST(ProducerTest, EveryDeliveryReportIsOkWithDistinctPartitionAndOffset) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic("petitions", 4), RD_KAFKA_RESP_ERR_NO_ERROR);
  ReportSink sink;
  std::unique_ptr<Producer> producer = MustCreate(Options(cluster), sink);
  ASSERT_NE(producer, nullptr);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(
        producer->Produce("petitions", KeyOf(i, 37), absl::StrCat("v", i), i)
            .ok());
  }
  ASSERT_TRUE(producer->Flush(absl::Seconds(30)).ok());

  const std::vector<DeliveryReport> reports = sink.reports();
  ASSERT_EQ(reports.size(), 1000u);
  std::set<uint64_t> tokens;
  std::set<std::pair<int32_t, int64_t>> places;
  for (const DeliveryReport& r : reports) {
    EXPECT_TRUE(r.status.ok()) << r.status;
    EXPECT_EQ(r.topic, "petitions");
    EXPECT_GE(r.partition, 0);
    EXPECT_LT(r.partition, 4);
    EXPECT_GE(r.offset, 0);
    tokens.insert(r.token);
    places.emplace(r.partition, r.offset);
  }
  EXPECT_EQ(tokens.size(), 1000u);
  EXPECT_EQ(*tokens.rbegin(), 999u);
  EXPECT_EQ(places.size(), 1000u);
}

TEST(ProducerTest, RecordsWithOneKeyLandInOnePartitionInProduceOrder) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic("case-events", 4), RD_KAFKA_RESP_ERR_NO_ERROR);
  ReportSink sink;
  std::unique_ptr<Producer> producer = MustCreate(Options(cluster), sink);
  ASSERT_NE(producer, nullptr);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(producer->Produce("case-events", KeyOf(i, 10), "x", i).ok());
  }
  ASSERT_TRUE(producer->Flush(absl::Seconds(30)).ok());

  std::map<uint64_t, DeliveryReport> by_token;
  for (const DeliveryReport& r : sink.reports()) by_token.emplace(r.token, r);
  ASSERT_EQ(by_token.size(), 1000u);
  // Tokens i, i+10, i+20, ... share a key: one partition, rising offsets.
  for (int key = 0; key < 10; ++key) {
    const DeliveryReport& first = by_token.at(key);
    for (int i = key + 10; i < 1000; i += 10) {
      const DeliveryReport& prev = by_token.at(i - 10);
      const DeliveryReport& cur = by_token.at(i);
      ASSERT_TRUE(cur.status.ok()) << cur.status;
      EXPECT_EQ(cur.partition, first.partition) << "token " << i;
      EXPECT_GT(cur.offset, prev.offset) << "token " << i;
    }
  }
}

TEST(ProducerTest, KeysMapToTheSamePartitionsAsTheJavaClient) {
  // The reference itself, from Kafka's UtilsTest.testMurmur2.
  ASSERT_EQ(JavaMurmur2("21"), -973932308);
  ASSERT_EQ(JavaMurmur2("foobar"), -790332482);
  ASSERT_EQ(JavaMurmur2("a-little-bit-long-string"), -985981536);
  ASSERT_EQ(JavaMurmur2("abc"), 479470107);

  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic("petitions", 12), RD_KAFKA_RESP_ERR_NO_ERROR);
  ReportSink sink;
  std::unique_ptr<Producer> producer = MustCreate(Options(cluster), sink);
  ASSERT_NE(producer, nullptr);
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(producer->Produce("petitions", KeyOf(i, 200), "x", i).ok());
  }
  ASSERT_TRUE(producer->Flush(absl::Seconds(30)).ok());
  const std::vector<DeliveryReport> reports = sink.reports();
  ASSERT_EQ(reports.size(), 200u);
  for (const DeliveryReport& r : reports) {
    EXPECT_EQ(r.partition, JavaPartition(KeyOf(r.token, 200), 12))
        << "key " << KeyOf(r.token, 200);
  }
}

TEST(ProducerTest, ProduceRejectsIllegalTopicNames) {
  MockCluster cluster(1);
  ReportSink sink;
  std::unique_ptr<Producer> producer = MustCreate(Options(cluster), sink);
  ASSERT_NE(producer, nullptr);
  for (const std::string& topic :
       {std::string(""), std::string("."), std::string(".."),
        std::string("case events"), std::string("事件"),
        std::string(250, 'a')}) {
    absl::Status s = producer->Produce(topic, "k", "v", 1);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << topic;
  }
  ASSERT_TRUE(producer->Flush(absl::Seconds(1)).ok());
  EXPECT_TRUE(sink.reports().empty());
}

TEST(ProducerTest, CreateRejectsMissingBootstrapAndUnknownProperties) {
  ReportSink sink;
  ProducerOptions no_bootstrap;
  EXPECT_EQ(CreateKafkaProducer(no_bootstrap, sink.Callback()).status().code(),
            absl::StatusCode::kInvalidArgument);

  ProducerOptions bad_property;
  bad_property.bootstrap = "127.0.0.1:1";
  bad_property.extra = {{"no.such.property", "1"}};
  absl::Status s = CreateKafkaProducer(bad_property, sink.Callback()).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("no.such.property"));

  ProducerOptions no_callback;
  no_callback.bootstrap = "127.0.0.1:1";
  EXPECT_EQ(CreateKafkaProducer(no_callback, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ProducerTest, ProduceReturnsUnavailableWhenTheLocalQueueIsFull) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.SetBrokerDown(kBroker), RD_KAFKA_RESP_ERR_NO_ERROR);
  ReportSink sink;
  ProducerOptions options =
      Options(cluster, {{"queue.buffering.max.messages", "3"}});
  options.close_timeout = absl::Milliseconds(100);
  std::unique_ptr<Producer> producer = MustCreate(options, sink);
  ASSERT_NE(producer, nullptr);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(producer->Produce("petitions", "k", "v", i).ok());
  }
  EXPECT_EQ(producer->Produce("petitions", "k", "v", 3).code(),
            absl::StatusCode::kUnavailable);
}

TEST(ProducerTest, DestructionReportsUnsentRecordsAsCancelled) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.SetBrokerDown(kBroker), RD_KAFKA_RESP_ERR_NO_ERROR);
  ReportSink sink;
  ProducerOptions options = Options(cluster);
  options.close_timeout = absl::Milliseconds(200);
  std::unique_ptr<Producer> producer = MustCreate(options, sink);
  ASSERT_NE(producer, nullptr);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(producer->Produce("petitions", "k", "v", i).ok());
  }
  producer.reset();
  const std::vector<DeliveryReport> reports = sink.reports();
  ASSERT_EQ(reports.size(), 3u);
  for (const DeliveryReport& r : reports) {
    EXPECT_EQ(r.status.code(), absl::StatusCode::kCancelled) << r.status;
  }
}

TEST(ProducerTest, ProductionCompletesAfterTheBrokerIsBackUp) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic("petitions", 2), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(cluster.SetBrokerDown(kBroker), RD_KAFKA_RESP_ERR_NO_ERROR);
  ReportSink sink;
  std::unique_ptr<Producer> producer = MustCreate(Options(cluster), sink);
  ASSERT_NE(producer, nullptr);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(producer->Produce("petitions", KeyOf(i, 7), "v", i).ok());
  }
  EXPECT_EQ(producer->Flush(absl::Seconds(1)).code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_TRUE(sink.reports().empty());

  ASSERT_EQ(cluster.SetBrokerUp(kBroker), RD_KAFKA_RESP_ERR_NO_ERROR);
  const absl::Time up = absl::Now();
  ASSERT_TRUE(producer->Flush(absl::Seconds(30)).ok());
  std::cout << "[measured] 100 records delivered "
            << absl::FormatDuration(absl::Now() - up)
            << " after the broker came back\n";
  const std::vector<DeliveryReport> reports = sink.reports();
  ASSERT_EQ(reports.size(), 100u);
  for (const DeliveryReport& r : reports) {
    EXPECT_TRUE(r.status.ok()) << r.status;
  }
}

TEST(ProducerTest, FlushTimesOutWhileTheOnlyBrokerIsDown) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic("petitions", 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(cluster.SetBrokerDown(kBroker), RD_KAFKA_RESP_ERR_NO_ERROR);
  ReportSink sink;
  std::unique_ptr<Producer> producer =
      MustCreate(Options(cluster, {{"message.timeout.ms", "600000"}}), sink);
  ASSERT_NE(producer, nullptr);
  ASSERT_TRUE(producer->Produce("petitions", "k", "v", 7).ok());

  absl::Status s = producer->Flush(absl::Milliseconds(500));
  EXPECT_EQ(s.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(s.message(), HasSubstr("1 record"));
  EXPECT_TRUE(sink.reports().empty());
  // The record was only delayed, not lost.
  ASSERT_EQ(cluster.SetBrokerUp(kBroker), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_TRUE(producer->Flush(absl::Seconds(30)).ok());
  ASSERT_EQ(sink.reports().size(), 1u);
  EXPECT_TRUE(sink.reports()[0].status.ok());
}

TEST(ProducerTest, RecordOutlivingMessageTimeoutIsReportedDeadlineExceeded) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.SetBrokerDown(kBroker), RD_KAFKA_RESP_ERR_NO_ERROR);
  ReportSink sink;
  std::unique_ptr<Producer> producer =
      MustCreate(Options(cluster, {{"message.timeout.ms", "300"}}), sink);
  ASSERT_NE(producer, nullptr);
  ASSERT_TRUE(producer->Produce("petitions", "k", "v", 9).ok());
  ASSERT_TRUE(producer->Flush(absl::Seconds(10)).ok());
  const std::vector<DeliveryReport> reports = sink.reports();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].token, 9u);
  EXPECT_EQ(reports[0].status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(reports[0].offset, -1);
}

TEST(ProducerTest, PermanentBrokerErrorIsReportedNotSwallowed) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic("petitions", 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_mock_push_request_errors(
      cluster.raw(), /*ApiKey Produce=*/0, 1,
      RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
  ReportSink sink;
  std::unique_ptr<Producer> producer = MustCreate(Options(cluster), sink);
  ASSERT_NE(producer, nullptr);
  ASSERT_TRUE(producer->Produce("petitions", "k", "v", 5).ok());
  ASSERT_TRUE(producer->Flush(absl::Seconds(10)).ok());
  const std::vector<DeliveryReport> reports = sink.reports();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].status.code(), absl::StatusCode::kPermissionDenied)
      << reports[0].status;
}

}  // namespace
}  // namespace caserelay::kafka

namespace caserelay::kafka {
namespace {

// Issue 14 item 6: "an outbox record that Kafka rejects permanently goes to
// a dead-letter record": the broker's refusals of one record reach the
// outbox as INVALID_ARGUMENT, the code OutboxPublisher dead-letters on
// (a retried code would retry the record for ever); the producer goes on
// with the next record.
TEST(ProducerTest, ABrokersRefusalOfTheRecordIsInvalidArgumentAndLaterOnesGoOn) {
  struct Row {
    const char* rule;
    rd_kafka_resp_err_t error;
  };
  const Row rows[] = {
      {"MESSAGE_TOO_LARGE: over the broker's message.max.bytes",
       RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE},
      {"INVALID_RECORD: the broker's validation refused it",
       RD_KAFKA_RESP_ERR_INVALID_RECORD},
      {"RECORD_LIST_TOO_LARGE: the batch with it is too large",
       RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    MockCluster cluster(1);
    ASSERT_EQ(cluster.CreateTopic("petitions", 1), RD_KAFKA_RESP_ERR_NO_ERROR);
    rd_kafka_mock_push_request_errors(cluster.raw(), /*ApiKey Produce=*/0, 1,
                                      row.error);
    ReportSink sink;
    std::unique_ptr<Producer> producer = MustCreate(Options(cluster), sink);
    ASSERT_NE(producer, nullptr);
    ASSERT_TRUE(producer->Produce("petitions", "k", "v", 5).ok());
    (void)producer->Flush(absl::Seconds(10));
    const std::vector<DeliveryReport> reports = sink.reports();
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].status.code(), absl::StatusCode::kInvalidArgument)
        << reports[0].status;
    ASSERT_TRUE(producer->Produce("petitions", "k", "v2", 6).ok());
    EXPECT_TRUE(producer->Flush(absl::Seconds(10)).ok());
    ASSERT_EQ(sink.reports().size(), 2u);
    EXPECT_EQ(sink.reports()[1].token, 6u);
    EXPECT_TRUE(sink.reports()[1].status.ok()) << sink.reports()[1].status;
  }
}

}  // namespace
}  // namespace caserelay::kafka
