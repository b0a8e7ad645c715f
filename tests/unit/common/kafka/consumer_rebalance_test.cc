// Issue 19 item 3 (the team's contract, item 4): a consumer that pauses
// newly assigned partitions until the caller restored them, tells the
// caller of assignments and revocations, and hands out nothing of a
// partition before Resume(). Against the in-process mock cluster with the
// cooperative-sticky protocol the services use.

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
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
constexpr int kPartitions = 4;

// What the listener was told, in order ("+case-events/1", "-case-events/1").
class RecordingListener : public RebalanceListener {
 public:
  void Assigned(const std::vector<TopicPartition>& partitions) override {
    absl::MutexLock lock(&mu_);
    for (const auto& [topic, p] : partitions) {
      events_.push_back(absl::StrCat("+", topic, "/", p));
      held_.insert(p);
    }
  }
  void Revoking(const std::vector<TopicPartition>& partitions) override {
    absl::MutexLock lock(&mu_);
    for (const auto& [topic, p] : partitions) {
      events_.push_back(absl::StrCat("-", topic, "/", p));
      held_.erase(p);
    }
  }
  std::set<int32_t> held() const {
    absl::MutexLock lock(&mu_);
    return held_;
  }
  std::vector<std::string> events() const {
    absl::MutexLock lock(&mu_);
    return events_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> events_ ABSL_GUARDED_BY(mu_);
  std::set<int32_t> held_ ABSL_GUARDED_BY(mu_);
};

// Produces `n` records keyed case-<i % 40>; returns partition -> count.
std::map<int32_t, int> Produce(const MockCluster& cluster, int n) {
  ReportSink sink;
  ProducerOptions options;
  options.bootstrap = cluster.bootstrap();
  auto producer = CreateKafkaProducer(options, sink.Callback());
  EXPECT_TRUE(producer.ok()) << producer.status();
  if (!producer.ok()) return {};
  for (int i = 0; i < n; ++i) {
    EXPECT_TRUE((*producer)
                    ->Produce(kTopic, absl::StrCat("case-", i % 40),
                              absl::StrCat("value-", i), i)
                    .ok());
  }
  EXPECT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  std::map<int32_t, int> counts;
  for (const DeliveryReport& r : sink.reports()) ++counts[r.partition];
  return counts;
}

ConsumerOptions Cooperative(const MockCluster& cluster,
                            RebalanceListener* listener) {
  ConsumerOptions options;
  options.bootstrap = cluster.bootstrap();
  options.group_id = "loop";
  options.topics = {kTopic};
  options.extra["partition.assignment.strategy"] = "cooperative-sticky";
  options.pause_assigned = true;
  options.listener = listener;
  return options;
}

TEST(ConsumerRebalanceTest, PauseAssignedNeedsTheCooperativeProtocol) {
  // Contract item 4: pause/resume is built on incremental assignment.
  MockCluster cluster(1);
  ConsumerOptions options = Cooperative(cluster, nullptr);
  options.extra.erase("partition.assignment.strategy");
  auto consumer = CreateKafkaConsumer(
      options, [](const std::string&, int32_t) { return std::nullopt; });
  ASSERT_FALSE(consumer.ok());
  EXPECT_EQ(consumer.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ConsumerRebalanceTest,
     PausedPartitionsAreReadOnlyAfterResumeFromTheirStoredPosition) {
  // Contract item 4: "a partition is never applied before it is restored";
  // its stored position is looked up only at Resume (after the restore).
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic(kTopic, kPartitions),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  const std::map<int32_t, int> counts = Produce(cluster, 80);
  ASSERT_EQ(counts.size(), static_cast<size_t>(kPartitions));
  RecordingListener listener;
  std::map<int32_t, int> lookups;  // partition -> times looked up
  auto consumer = CreateKafkaConsumer(
      Cooperative(cluster, &listener),
      [&lookups](const std::string&, int32_t p) -> std::optional<int64_t> {
        ++lookups[p];
        return int64_t{2};  // "restored": two records already applied
      });
  ASSERT_TRUE(consumer.ok()) << consumer.status();

  // Assigned, but nothing read while paused.
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (listener.held().size() < static_cast<size_t>(kPartitions) &&
         absl::Now() < deadline) {
    auto batch = (*consumer)->Poll(100, absl::Milliseconds(100));
    ASSERT_TRUE(batch.ok()) << batch.status();
    EXPECT_TRUE(batch->empty()) << "a paused partition was read";
  }
  ASSERT_EQ(listener.held().size(), static_cast<size_t>(kPartitions));
  EXPECT_EQ((*consumer)->Assignment().size(),
            static_cast<size_t>(kPartitions));
  for (int i = 0; i < 5; ++i) {
    auto batch = (*consumer)->Poll(100, absl::Milliseconds(100));
    ASSERT_TRUE(batch.ok()) << batch.status();
    EXPECT_TRUE(batch->empty()) << "a paused partition was read";
  }
  EXPECT_TRUE(lookups.empty()) << "looked up before Resume";

  // Resume partition 1 only: its records from offset 2 on, nothing else.
  ASSERT_TRUE((*consumer)->Resume({{kTopic, 1}}).ok());
  EXPECT_EQ(lookups[1], 1);
  std::vector<Message> got;
  const absl::Time read_deadline = absl::Now() + absl::Seconds(15);
  while (static_cast<int>(got.size()) < counts.at(1) - 2 &&
         absl::Now() < read_deadline) {
    auto batch = (*consumer)->Poll(100, absl::Milliseconds(100));
    ASSERT_TRUE(batch.ok()) << batch.status();
    got.insert(got.end(), batch->begin(), batch->end());
  }
  ASSERT_EQ(static_cast<int>(got.size()), counts.at(1) - 2);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].partition, 1);
    EXPECT_EQ(got[i].offset, static_cast<int64_t>(i) + 2);
  }
  // Resuming again (or a partition not paused) is a no-op.
  ASSERT_TRUE((*consumer)->Resume({{kTopic, 1}, {kTopic, 99}}).ok());
  EXPECT_EQ(lookups[1], 1);
}

TEST(ConsumerRebalanceTest, ASecondMemberTakesPartitionsOnlyAfterRevoking) {
  // Contract item 4: on revoked partitions the loop finishes and releases
  // before another member may read them; with cooperative-sticky the first
  // member keeps what it is not asked to give up.
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic(kTopic, kPartitions),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  RecordingListener a_listener;
  RecordingListener b_listener;
  auto from_start = [](const std::string&, int32_t) {
    return std::optional<int64_t>();
  };
  auto a = CreateKafkaConsumer(Cooperative(cluster, &a_listener), from_start);
  ASSERT_TRUE(a.ok()) << a.status();
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (a_listener.held().size() < static_cast<size_t>(kPartitions) &&
         absl::Now() < deadline) {
    ASSERT_TRUE((*a)->Poll(100, absl::Milliseconds(100)).ok());
  }
  ASSERT_EQ(a_listener.held().size(), static_cast<size_t>(kPartitions));
  std::vector<TopicPartition> all;
  for (int p = 0; p < kPartitions; ++p) all.emplace_back(kTopic, p);
  ASSERT_TRUE((*a)->Resume(all).ok());

  auto b = CreateKafkaConsumer(Cooperative(cluster, &b_listener), from_start);
  ASSERT_TRUE(b.ok()) << b.status();
  const absl::Time settle = absl::Now() + absl::Seconds(30);
  while (absl::Now() < settle &&
         !(b_listener.held().size() == kPartitions / 2 &&
           a_listener.held().size() == kPartitions / 2)) {
    ASSERT_TRUE((*a)->Poll(100, absl::Milliseconds(50)).ok());
    ASSERT_TRUE((*b)->Poll(100, absl::Milliseconds(50)).ok());
  }
  EXPECT_EQ(a_listener.held().size(), static_cast<size_t>(kPartitions / 2));
  EXPECT_EQ(b_listener.held().size(), static_cast<size_t>(kPartitions / 2));
  for (int32_t p : b_listener.held()) {
    EXPECT_EQ(a_listener.held().count(p), 0u) << "partition " << p
                                              << " held twice";
  }
  // a was told of every partition it gave up, and only those.
  int revoked = 0;
  for (const std::string& e : a_listener.events()) revoked += e[0] == '-';
  EXPECT_EQ(revoked, kPartitions / 2);
  // b's partitions are paused until b resumes them.
  EXPECT_EQ((*b)->Assignment().size(), static_cast<size_t>(kPartitions / 2));

  // Close revokes the rest, telling the listener first.
  (*a)->Close();
  EXPECT_TRUE(a_listener.held().empty());
}

}  // namespace
}  // namespace caserelay::kafka
