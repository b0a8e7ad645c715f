// Issue 19 item 3 (the team's contract, item 4): a ConsumeLoop over a
// PartitionedStore drives each partition's lifecycle from the consumer's
// assignment — nothing applied before Acquire, a revoked partition's work
// committed before Release, nothing written after it — and commits one
// WriteBatch per partition. A scripted group consumer (pausing new
// partitions like kafka::ConsumerOptions::pause_assigned) feeds a real
// PartitionedStore in a temp dir with a fake producer; the test drives
// RunOnce() itself, so every step is deterministic.

#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "common/kafka/partitioning.h"
#include "common/metrics/metrics.h"
#include "common/service/consume_loop.h"
#include "common/service/dead_letters.h"
#include "common/service/store_health.h"
#include "common/store/partitioned_store.h"
#include "gtest/gtest.h"
#include "tests/unit/common/store/fake_producer.h"
#include "tests/unit/common/store/fault_file_system.h"
#include "tests/unit/common/store/temp_dir.h"

namespace caserelay::service {
namespace {

using caserelay::v1::Envelope;
using kafka::TopicPartition;

constexpr char kTopic[] = "case-events";
constexpr int32_t kPartitions = 4;

// A group member as the loop sees it: scripted assignments and
// revocations reach the listener inside Poll (as librdkafka's rebalance
// callback does); records of a partition are handed out only once it is
// resumed; records of a revoked partition are dropped.
class ScriptedGroupConsumer : public kafka::Consumer {
 public:
  absl::StatusOr<std::vector<kafka::Message>> Poll(int max_messages,
                                                   absl::Duration) override {
    for (auto& [assign, tps] : rebalances_) {
      if (listener_ == nullptr) continue;
      if (assign) {
        for (const TopicPartition& tp : tps) assigned_.insert(tp);
        listener_->Assigned(tps);
      } else {
        listener_->Revoking(tps);
        for (const TopicPartition& tp : tps) {
          assigned_.erase(tp);
          resumed_.erase(tp);
        }
      }
    }
    rebalances_.clear();
    std::vector<kafka::Message> out;
    std::deque<kafka::Message> kept;
    for (kafka::Message& m : queued_) {
      const TopicPartition tp{m.topic, m.partition};
      if (assigned_.count(tp) == 0 && !deliver_unassigned) continue;
      if (resumed_.count(tp) == 0 && !deliver_unassigned) {
        kept.push_back(std::move(m));  // paused: later
        continue;
      }
      if (static_cast<int>(out.size()) < max_messages) {
        out.push_back(std::move(m));
      } else {
        kept.push_back(std::move(m));
      }
    }
    queued_ = std::move(kept);
    return out;
  }
  std::vector<TopicPartition> Assignment() override {
    return {assigned_.begin(), assigned_.end()};
  }
  absl::Status Resume(const std::vector<TopicPartition>& tps) override {
    for (const TopicPartition& tp : tps) {
      if (assigned_.count(tp) > 0) {
        resumed_.insert(tp);
        resumes.push_back(tp.second);
      }
    }
    return absl::OkStatus();
  }
  void SetRebalanceListener(kafka::RebalanceListener* l) override {
    listener_ = l;
  }
  void Close() override {
    if (listener_ != nullptr && !assigned_.empty()) {
      listener_->Revoking({assigned_.begin(), assigned_.end()});
    }
    assigned_.clear();
    resumed_.clear();
  }

  void Assign(std::vector<TopicPartition> tps) {
    rebalances_.emplace_back(true, std::move(tps));
  }
  void Revoke(std::vector<TopicPartition> tps) {
    rebalances_.emplace_back(false, std::move(tps));
  }
  void Add(kafka::Message m) { queued_.push_back(std::move(m)); }

  bool deliver_unassigned = false;  // a misbehaving consumer
  std::vector<int32_t> resumes;     // partitions, in Resume order

 private:
  kafka::RebalanceListener* listener_ = nullptr;
  std::vector<std::pair<bool, std::vector<TopicPartition>>> rebalances_;
  std::set<TopicPartition> assigned_;
  std::set<TopicPartition> resumed_;
  std::deque<kafka::Message> queued_;
};

// Applies an event by appending its id to "cases"/<case>; records for each
// Apply whether its partition was held (leasable) at that moment, and for
// each TickPartition the partition ticked.
class RecordingHandler : public EventHandler {
 public:
  explicit RecordingHandler(const store::PartitionedStore* partitions)
      : partitions_(partitions) {}
  absl::Status Apply(const Envelope& event, store::WriteBatch& batch) override {
    if (fail_ids.count(event.event_id()) > 0) {
      return absl::NotFoundError("unknown case");  // for good: dead letter
    }
    const int32_t p = partitions_->PartitionOfCase(event.case_id());
    applied.push_back(event.event_id());
    applied_while_held.push_back(partitions_->Lease(p).ok());
    auto log = batch.Get("cases", event.case_id());
    if (!log.ok()) return log.status();
    batch.Put("cases", event.case_id(),
              absl::StrCat(log->value_or(""), event.event_id(), ";"));
    return absl::OkStatus();
  }
  absl::Status TickPartition(int32_t partition, store::Store&,
                             store::WriteBatch&) override {
    ticked.push_back(partition);
    return absl::OkStatus();
  }
  std::set<std::string> fail_ids;  // refused for good (NOT_FOUND)
  std::vector<std::string> applied;
  std::vector<bool> applied_while_held;
  std::vector<int32_t> ticked;

 private:
  const store::PartitionedStore* const partitions_;
};

// A case id living in partition `p` (kafka::PartitionOf).
std::string CaseIn(int32_t p) {
  for (int i = 0;; ++i) {
    std::string id = absl::StrCat("140431-20260105-", i);
    if (kafka::PartitionOf(id, kPartitions) == p) return id;
  }
}

kafka::Message Event(int32_t p, int64_t offset, const std::string& id) {
  Envelope e;
  e.set_event_id(id);
  e.set_case_id(CaseIn(p));
  kafka::Message m;
  m.topic = kTopic;
  m.partition = p;
  m.offset = offset;
  m.key = e.case_id();
  m.value = e.SerializeAsString();
  return m;
}

class PartitionLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::PartitionedStoreOptions options;
    options.path = dir_.path();
    options.partitions = kPartitions;
    options.column_families = {"cases"};
    options.service = "test";
    options.producer_factory = store::testing::FakeProducerFactory(&producer_);
    auto partitions = store::PartitionedStore::Open(options, &registry_);
    ASSERT_TRUE(partitions.ok()) << partitions.status();
    partitions_ = *std::move(partitions);
    handler_ = std::make_unique<RecordingHandler>(partitions_.get());
    auto consumer = std::make_unique<ScriptedGroupConsumer>();
    consumer_ = consumer.get();
    ConsumeLoopOptions loop_options;
    loop_options.topics = {kTopic};
    loop_options.partitions = partitions_.get();
    loop_options.on_held = [this](int32_t p) {
      events_.push_back(absl::StrCat("held ", p));
    };
    loop_options.on_releasing = [this](int32_t p) {
      // What the loop committed of p is in p's DB before it goes.
      auto lease = partitions_->Lease(p);
      std::string offset = "none";
      if (lease.ok()) {
        auto stored = lease->store().Position(kTopic, p);
        if (stored.ok() && stored->has_value()) {
          offset = std::to_string((*stored)->next_offset);
        }
      }
      events_.push_back(absl::StrCat("releasing ", p, " at ", offset));
    };
    loop_ = std::make_unique<ConsumeLoop>(
        "test", std::move(consumer), &partitions_->Local(), nullptr,
        handler_.get(), &registry_, loop_options);
  }
  void TearDown() override { loop_.reset(); }

  // Runs rounds until `done` or 20 rounds passed.
  template <typename Done>
  void RunUntil(Done done) {
    for (int i = 0; i < 20 && !done(); ++i) {
      absl::Status s = loop_->RunOnce();
      ASSERT_TRUE(s.ok()) << s;
    }
  }

  std::string CaseLog(int32_t p) {
    auto lease = partitions_->Lease(p);
    EXPECT_TRUE(lease.ok()) << lease.status();
    if (!lease.ok()) return "";
    auto v = lease->store().Get("cases", CaseIn(p));
    EXPECT_TRUE(v.ok());
    return v.ok() && v->has_value() ? **v : "";
  }

  store::testing::TempDir dir_;
  metrics::Registry registry_;
  store::testing::FakeProducer* producer_ = nullptr;
  std::unique_ptr<store::PartitionedStore> partitions_;
  std::unique_ptr<RecordingHandler> handler_;
  ScriptedGroupConsumer* consumer_ = nullptr;
  std::unique_ptr<ConsumeLoop> loop_;
  std::vector<std::string> events_;
};

TEST_F(PartitionLoopTest, NothingOfAPartitionIsAppliedBeforeItIsAcquired) {
  // Contract item 4: "a partition is never applied before it is restored".
  consumer_->Add(Event(0, 0, "e0"));
  consumer_->Add(Event(1, 0, "e1"));
  consumer_->Add(Event(1, 1, "e2"));
  consumer_->Assign({{kTopic, 0}, {kTopic, 1}});
  ASSERT_NO_FATAL_FAILURE(
      RunUntil([&] { return handler_->applied.size() == 3; }));
  ASSERT_EQ(handler_->applied.size(), 3u);
  for (bool held : handler_->applied_while_held) EXPECT_TRUE(held);
  // One partition acquired per round, each resumed only once held.
  EXPECT_EQ(consumer_->resumes, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(events_, (std::vector<std::string>{"held 0", "held 1"}));
  EXPECT_EQ(partitions_->Held(), (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(CaseLog(0), "e0;");
  EXPECT_EQ(CaseLog(1), "e1;e2;");
  EXPECT_EQ(loop_->HeldPartitions(), (std::vector<int32_t>{0, 1}));
  EXPECT_TRUE(loop_->RestoringPartitions().empty());
}

TEST_F(PartitionLoopTest, ARevokedPartitionsWorkIsCommittedBeforeRelease) {
  // Contract item 4: "on revoked ones it finishes the batch in hand,
  // commits, and calls Release"; offsets live in the partition's own DB.
  consumer_->Assign({{kTopic, 2}});
  consumer_->Add(Event(2, 0, "a"));
  consumer_->Add(Event(2, 1, "b"));
  ASSERT_NO_FATAL_FAILURE(
      RunUntil([&] { return handler_->applied.size() == 2; }));
  consumer_->Revoke({{kTopic, 2}});
  consumer_->Add(Event(2, 2, "c"));  // read by the next owner, not us
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_EQ(events_,
            (std::vector<std::string>{"held 2", "releasing 2 at 2"}));
  EXPECT_TRUE(partitions_->Held().empty());
  EXPECT_EQ(partitions_->Lease(2).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(handler_->applied, (std::vector<std::string>{"a", "b"}));

  // Assigned again: the files kept, it resumes after "b".
  consumer_->Assign({{kTopic, 2}});
  consumer_->Add(Event(2, 1, "b"));  // a redelivery: skipped by offset
  consumer_->Add(Event(2, 2, "c"));
  ASSERT_NO_FATAL_FAILURE(
      RunUntil([&] { return handler_->applied.size() == 3; }));
  EXPECT_EQ(handler_->applied, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(CaseLog(2), "a;b;c;");
}

TEST_F(PartitionLoopTest, NothingIsWrittenToAPartitionAfterItsRelease) {
  // Contract item 4 / partitioned_store.h: after Release no lease, so a
  // record a misbehaving consumer still hands out is not applied.
  consumer_->Assign({{kTopic, 3}});
  consumer_->Add(Event(3, 0, "x"));
  ASSERT_NO_FATAL_FAILURE(
      RunUntil([&] { return handler_->applied.size() == 1; }));
  consumer_->Revoke({{kTopic, 3}});
  ASSERT_TRUE(loop_->RunOnce().ok());
  consumer_->deliver_unassigned = true;
  consumer_->Add(Event(3, 1, "y"));
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_EQ(handler_->applied, (std::vector<std::string>{"x"}));
  ASSERT_TRUE(partitions_->Acquire(3).ok());
  EXPECT_EQ(CaseLog(3), "x;");
}

TEST_F(PartitionLoopTest, EachHeldPartitionIsTickedInItsOwnBatch) {
  // consume_loop.h EventHandler::TickPartition: once per held partition.
  consumer_->Assign({{kTopic, 0}, {kTopic, 3}});
  ASSERT_NO_FATAL_FAILURE(
      RunUntil([&] { return partitions_->Held().size() == 2; }));
  handler_->ticked.clear();
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_EQ(handler_->ticked, (std::vector<int32_t>{0, 3}));
}

TEST_F(PartitionLoopTest, ADeadLetterIsKeptInItsPartitionListedAndReplayed) {
  // consume_loop.h: dead letters live in the partition DB of their input;
  // dead_letters.h lists them with the local DB's; a replay reaches them.
  handler_->fail_ids = {"bad"};
  consumer_->Assign({{kTopic, 1}});
  consumer_->Add(Event(1, 0, "bad"));
  auto letters = [&] {
    auto text = FormatInputDeadLetters(partitions_->Local(), *partitions_);
    EXPECT_TRUE(text.ok()) << text.status();
    return text.ok() ? *text : std::string();
  };
  ASSERT_NO_FATAL_FAILURE(RunUntil([&] {
    return letters().find("case-events/1/0\t") != std::string::npos;
  }));
  EXPECT_NE(letters().find("case-events/1/0\tNOT_FOUND: unknown case"),
            std::string::npos)
      << letters();
  handler_->fail_ids.clear();
  absl::StatusOr<size_t> queued = loop_->RequestReplay("case-events/1/0");
  ASSERT_TRUE(queued.ok()) << queued.status();
  EXPECT_EQ(*queued, 1u);
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_EQ(handler_->applied, (std::vector<std::string>{"bad"}));
  EXPECT_EQ(letters().find("case-events/1/0"), std::string::npos) << letters();
  EXPECT_EQ(CaseLog(1), "bad;");
}

TEST_F(PartitionLoopTest, StoppingReleasesEveryHeldPartition) {
  // consume_loop.h Stop: the consumer's Close revokes what it holds.
  consumer_->Assign({{kTopic, 1}});
  ASSERT_NO_FATAL_FAILURE(
      RunUntil([&] { return partitions_->Held().size() == 1; }));
  loop_->Stop();
  EXPECT_TRUE(partitions_->Held().empty());
  EXPECT_EQ(events_.back(), "releasing 1 at none");
}

}  // namespace
}  // namespace caserelay::service

namespace caserelay::service {
namespace {

TEST(PartitionsHealthTest, AFaultOfAHeldPartitionsDiskFailsHealthNamingIt) {
  // store_health.h: /healthz of a partitioned service covers each held
  // partition's DB (issue 14 item 6's storage faults, per partition).
  store::testing::TempDir dir;
  auto fs = std::make_shared<store::testing::FaultFileSystem>();
  store::PartitionedStoreOptions options;
  options.path = dir.path();
  options.partitions = kPartitions;
  options.column_families = {"cases"};
  options.service = "test";
  options.file_system = fs;
  metrics::Registry registry;
  auto partitions = store::PartitionedStore::Open(options, &registry);
  ASSERT_TRUE(partitions.ok()) << partitions.status();
  ASSERT_TRUE((*partitions)->Acquire(1).ok());
  EXPECT_EQ(PartitionsHealth(**partitions), "");
  fs->Inject(store::testing::InjectedFault::kNoSpace);
  {
    auto lease = (*partitions)->Lease(1);
    ASSERT_TRUE(lease.ok());
    store::WriteBatch batch(&lease->store());
    batch.Put("cases", "c", "v");
    EXPECT_FALSE(lease->store().Commit(batch).ok());
  }
  const std::string health = PartitionsHealth(**partitions);
  EXPECT_NE(health.find("partition 1: store: writes fail (no_space)"),
            std::string::npos)
      << health;
  fs->Clear();
}

}  // namespace
}  // namespace caserelay::service
