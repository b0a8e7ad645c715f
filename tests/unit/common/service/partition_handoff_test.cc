// Issue 19 items 3-4 against Kafka (librdkafka's mock cluster, in
// process): the owners topic through CreateKafkaOwnersLog, and two
// "instances" (a PartitionedStore, a cooperative consumer pausing new
// partitions and a ConsumeLoop each) sharing one group: when the second
// joins, the partitions it takes are restored from the changelog and go on
// from the offsets restored with them, so every input is applied once.

#include <atomic>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "caserelay/v1/events.pb.h"
#include "common/kafka/consumer.h"
#include "common/kafka/partition_reader.h"
#include "common/kafka/partitioning.h"
#include "common/kafka/producer.h"
#include "common/service/consume_loop.h"
#include "common/service/partition_owners.h"
#include "common/service/partitioned_main.h"
#include "common/store/partitioned_store.h"
#include "gtest/gtest.h"
#include "tests/unit/common/kafka/mock_cluster.h"
#include "tests/unit/common/store/temp_dir.h"

namespace caserelay::service {
namespace {

using ::caserelay::kafka::testing::MockCluster;

constexpr int32_t kPartitions = 4;
constexpr char kInput[] = "case-events";
constexpr char kService[] = "handoff";

bool WaitUntil(const std::function<bool()>& done, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return true;
}

TEST(KafkaOwnersLogTest, InstancesLearnEachOthersHoldsThroughTheTopic) {
  // Contract item 5: "<service>-owners", one partition, read whole.
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic(OwnersTopic(kService), 1),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  metrics::Registry ma, mb;
  std::vector<std::unique_ptr<PartitionOwners>> owners;
  for (const char* id : {"a", "b"}) {
    auto log = CreateKafkaOwnersLog(cluster.bootstrap(), OwnersTopic(kService),
                                    {});
    ASSERT_TRUE(log.ok()) << log.status();
    PartitionOwnersOptions o;
    o.service = kService;
    o.instance_id = id;
    o.grpc_address = absl::StrCat("127.0.0.1:", id[0] == 'a' ? 1001 : 1002);
    o.partitions = kPartitions;
    auto made = PartitionOwners::Create(o, *std::move(log),
                                        id[0] == 'a' ? &ma : &mb);
    ASSERT_TRUE(made.ok()) << made.status();
    owners.push_back(*std::move(made));
  }
  ASSERT_TRUE(owners[0]->Held(2).ok());
  EXPECT_TRUE(WaitUntil(
      [&] {
        auto o = owners[1]->Of(2);
        return o.ok() && !o->local() && o->address == "127.0.0.1:1001";
      },
      absl::Seconds(10)));
  ASSERT_TRUE(owners[0]->Released(2).ok());
  EXPECT_TRUE(WaitUntil(
      [&] {
        return owners[1]->Of(2).status().code() ==
               absl::StatusCode::kUnavailable;
      },
      absl::Seconds(10)));
}

TEST(CheckPartitionCountsTest, TopicsThatAreNotCoPartitionedRefuseTheStart) {
  // Contract item 1: "A service checks at start that its topics have
  // equal partition counts and refuses to start otherwise (English error
  // naming the counts)".
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic(kInput, kPartitions),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(cluster.CreateTopic(ChangelogTopic(kService), 2),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(cluster.CreateTopic("other-changelog", kPartitions),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  absl::Status differ = CheckPartitionCounts(
      cluster.bootstrap(), {kInput, ChangelogTopic(kService)}, kPartitions,
      absl::Seconds(10), {});
  EXPECT_EQ(differ.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(differ.message().find("case-events has 4"), std::string::npos)
      << differ;
  EXPECT_NE(differ.message().find("handoff-changelog has 2"),
            std::string::npos)
      << differ;
  absl::Status setting = CheckPartitionCounts(
      cluster.bootstrap(), {kInput, "other-changelog"}, 8, absl::Seconds(10),
      {});
  EXPECT_EQ(setting.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(setting.message().find("kafka.partitions is 8"),
            std::string::npos)
      << setting;
  EXPECT_TRUE(CheckPartitionCounts(cluster.bootstrap(),
                                   {kInput, "other-changelog"}, kPartitions,
                                   absl::Seconds(10), {})
                  .ok());
}

// Appends each event id to "cases"/<case id>; counts applies.
class AppendHandler : public EventHandler {
 public:
  absl::Status Apply(const caserelay::v1::Envelope& event,
                     store::WriteBatch& batch) override {
    auto log = batch.Get("cases", event.case_id());
    if (!log.ok()) return log.status();
    batch.Put("cases", event.case_id(),
              absl::StrCat(log->value_or(""), event.event_id(), ";"));
    ++applied;
    return absl::OkStatus();
  }
  std::atomic<int> applied{0};
};

// One instance of the service.
struct Instance {
  metrics::Registry metrics;
  std::unique_ptr<store::PartitionedStore> partitions;
  AppendHandler handler;
  std::unique_ptr<ConsumeLoop> loop;
};

std::unique_ptr<Instance> StartInstance(const std::string& bootstrap,
                                        const std::string& path) {
  auto in = std::make_unique<Instance>();
  store::PartitionedStoreOptions options;
  options.path = path;
  options.partitions = kPartitions;
  options.column_families = {"cases"};
  options.changelog_topic = ChangelogTopic(kService);
  options.service = kService;
  options.sync = false;
  options.producer_factory = [bootstrap](kafka::DeliveryCallback cb) {
    kafka::ProducerOptions po;
    po.bootstrap = bootstrap;
    return kafka::CreateKafkaProducer(po, std::move(cb));
  };
  options.changelog_reader = [bootstrap] {
    kafka::PartitionReaderOptions ro;
    ro.bootstrap = bootstrap;
    return kafka::CreateKafkaPartitionReader(ro);
  };
  auto partitions = store::PartitionedStore::Open(options, &in->metrics);
  EXPECT_TRUE(partitions.ok()) << partitions.status();
  if (!partitions.ok()) return nullptr;
  in->partitions = *std::move(partitions);
  kafka::ConsumerOptions co;
  co.bootstrap = bootstrap;
  co.group_id = kService;
  co.topics = {kInput};
  PartitionedConsumer(co);
  store::PartitionedStore* parts = in->partitions.get();
  auto consumer = kafka::CreateKafkaConsumerWithPositions(
      co,
      [parts](const std::string& topic, int32_t p)
          -> absl::StatusOr<std::optional<kafka::Position>> {
        auto lease = parts->Lease(p);
        if (!lease.ok()) return lease.status();
        auto stored = lease->store().Position(topic, p);
        if (!stored.ok()) return stored.status();
        if (!stored->has_value()) return std::nullopt;
        return kafka::Position{(*stored)->next_offset, (*stored)->log_id};
      });
  EXPECT_TRUE(consumer.ok()) << consumer.status();
  if (!consumer.ok()) return nullptr;
  ConsumeLoopOptions lo;
  lo.topics = {kInput};
  lo.partitions = parts;
  in->loop = std::make_unique<ConsumeLoop>(
      "case-events", *std::move(consumer), &parts->Local(), nullptr,
      &in->handler, &in->metrics, lo);
  in->loop->Start();
  return in;
}

// Produces `n` events e<from>..e<from+n-1> for cases c0..c19 (keyed).
void Produce(const std::string& bootstrap, int from, int n) {
  std::atomic<int> failed{0};
  kafka::ProducerOptions po;
  po.bootstrap = bootstrap;
  auto producer = kafka::CreateKafkaProducer(
      po, [&](const kafka::DeliveryReport& r) { failed += !r.status.ok(); });
  ASSERT_TRUE(producer.ok()) << producer.status();
  for (int i = from; i < from + n; ++i) {
    caserelay::v1::Envelope e;
    e.set_event_id(absl::StrCat("e", i));
    e.set_case_id(absl::StrCat("c", i % 20));
    ASSERT_TRUE((*producer)
                    ->Produce(kInput, e.case_id(), e.SerializeAsString(), i)
                    .ok());
  }
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  ASSERT_EQ(failed.load(), 0);
}

// The log of case `c` at whichever instance holds its partition.
std::string CaseLog(const std::vector<Instance*>& instances, int c) {
  const std::string id = absl::StrCat("c", c);
  for (Instance* in : instances) {
    auto lease = in->partitions->LeaseForCase(id);
    if (!lease.ok()) continue;
    auto v = lease->store().Get("cases", id);
    return v.ok() && v->has_value() ? **v : "";
  }
  return "(not held)";
}

TEST(PartitionHandoffTest, MovedPartitionsAreRestoredAndAppliedOnce) {
  // Contract item 4: "On assigned partitions the loop pauses them, calls
  // Acquire (restore) and resumes each when restored; on revoked ones it
  // finishes the batch in hand, commits, and calls Release."
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic(kInput, kPartitions),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(cluster.CreateTopic(ChangelogTopic(kService), kPartitions),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  store::testing::TempDir dir;
  ASSERT_NO_FATAL_FAILURE(Produce(cluster.bootstrap(), 0, 40));
  auto a = StartInstance(cluster.bootstrap(), dir.path() + "/a");
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(WaitUntil([&] { return a->handler.applied == 40; },
                        absl::Seconds(30)));
  EXPECT_EQ(a->loop->HeldPartitions().size(),
            static_cast<size_t>(kPartitions));

  const absl::Time joining = absl::Now();
  auto b = StartInstance(cluster.bootstrap(), dir.path() + "/b");
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(WaitUntil(
      [&] {
        return a->loop->HeldPartitions().size() == kPartitions / 2 &&
               b->loop->HeldPartitions().size() == kPartitions / 2;
      },
      absl::Seconds(60)));
  std::cout << "[measured] the second instance held its half (restored) "
            << absl::FormatDuration(absl::Now() - joining)
            << " after it started\n";
  ASSERT_NO_FATAL_FAILURE(Produce(cluster.bootstrap(), 40, 40));
  ASSERT_TRUE(WaitUntil(
      [&] { return a->handler.applied + b->handler.applied >= 80; },
      absl::Seconds(30)));
  absl::SleepFor(absl::Seconds(1));  // a duplicate would show by now
  EXPECT_EQ(a->handler.applied + b->handler.applied, 80)
      << "inputs applied again after the move";
  std::vector<Instance*> both = {a.get(), b.get()};
  for (int c = 0; c < 20; ++c) {
    std::string want;
    for (int i = c; i < 80; i += 20) absl::StrAppend(&want, "e", i, ";");
    EXPECT_EQ(CaseLog(both, c), want) << "case c" << c;
  }
  b->loop->Stop();
  a->loop->Stop();
}

}  // namespace
}  // namespace caserelay::service
