// Tests of caserelay::service::ConsumeLoop, the consumer side of DESIGN.md
// "One recipe for consistency": a scripted FakeConsumer, a real Store in a
// temp dir, a real OutboxPublisher over a FakeProducer, and a small
// EventHandler that keeps a per-case log of applied event ids.

#include "common/service/consume_loop.h"

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "common/metrics/metrics.h"
#include "common/store/outbox_publisher.h"
#include "common/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/service/fake_consumer.h"
#include "tests/unit/common/store/fake_producer.h"
#include "tests/unit/common/store/temp_dir.h"

namespace caserelay::service {
namespace {

using caserelay::v1::Envelope;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::StartsWith;

constexpr char kTopic[] = "petitions";
constexpr char kLoop[] = "test";
constexpr absl::Duration kWait = absl::Seconds(10);

// Applies an event by appending its id to the case's log in "cases" and
// emitting "<id>/routed" on "case-events". Fails (without writing) for
// ids in fail_ids. Tick() counts calls and, if tick_writes, stores the
// count under "cases"/"ticks".
class TestHandler : public EventHandler {
 public:
  absl::Status Apply(const Envelope& event, store::WriteBatch& batch) override {
    if (fail_ids.count(event.event_id()) > 0) {
      return absl::NotFoundError(
          absl::StrCat("unknown case ", event.case_id()));
    }
    auto log = batch.Get("cases", event.case_id());
    if (!log.ok()) return log.status();
    batch.Put("cases", event.case_id(),
              absl::StrCat(log->value_or(""), event.event_id(), ";"));
    Envelope out;
    out.set_event_id(absl::StrCat(event.event_id(), "/routed"));
    out.set_case_id(event.case_id());
    out.set_producer("routing");
    batch.AddOutbox("case-events", event.case_id(), out.SerializeAsString());
    absl::MutexLock lock(&mu_);
    applied_.push_back(event.event_id());
    return absl::OkStatus();
  }

  bool MoreDue() const override { return more_due; }

  absl::Status Tick(store::WriteBatch& batch) override {
    absl::MutexLock lock(&mu_);
    ++ticks_;
    if (tick_writes) batch.Put("cases", "ticks", std::to_string(ticks_));
    return absl::OkStatus();
  }

  void Committed() override {
    absl::MutexLock lock(&mu_);
    ++commits_;
  }

  std::vector<std::string> applied() const {
    absl::MutexLock lock(&mu_);
    return applied_;
  }
  int ticks() const {
    absl::MutexLock lock(&mu_);
    return ticks_;
  }
  int commits() const {
    absl::MutexLock lock(&mu_);
    return commits_;
  }

  // Set before the loop runs.
  std::set<std::string> fail_ids;
  bool tick_writes = false;
  bool more_due = false;  // MoreDue()'s answer

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> applied_ ABSL_GUARDED_BY(mu_);
  int ticks_ ABSL_GUARDED_BY(mu_) = 0;
  int commits_ ABSL_GUARDED_BY(mu_) = 0;
};

// A record at `offset` of petitions/`partition` carrying event `id` of
// case "case-1".
kafka::Message Event(int64_t offset, const std::string& id,
                     int32_t partition = 0) {
  Envelope e;
  e.set_event_id(id);
  e.set_case_id("case-1");
  e.set_producer("intake");
  kafka::Message m;
  m.topic = kTopic;
  m.partition = partition;
  m.offset = offset;
  m.key = "case-1";
  m.value = e.SerializeAsString();
  return m;
}

class ConsumeLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OpenStore();
    CreateLoop(ConsumeLoopOptions{});
  }

  void OpenStore() {
    store::StoreOptions options;
    options.path = absl::StrCat(dir_.path(), "/db");
    options.column_families = {"cases"};
    auto store = store::Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  // (Re)creates the publisher and the loop over store_.
  void CreateLoop(ConsumeLoopOptions options) {
    loop_.reset();
    publisher_.reset();
    auto publisher = store::OutboxPublisher::Create(
        store_.get(), store::testing::FakeProducerFactory(&producer_));
    ASSERT_TRUE(publisher.ok()) << publisher.status();
    publisher_ = *std::move(publisher);
    auto consumer = std::make_unique<testing::FakeConsumer>();
    consumer_ = consumer.get();
    loop_ = std::make_unique<ConsumeLoop>(kLoop, std::move(consumer),
                                          store_.get(), publisher_.get(),
                                          &handler_, &registry_, options);
  }

  // A "crash": loop, publisher (which never saw a report) and store go
  // away; the store is opened again from disk.
  void Restart() {
    loop_.reset();
    publisher_.reset();
    store_.reset();
    OpenStore();
    CreateLoop(ConsumeLoopOptions{});
  }

  uint64_t CounterValue(const std::string& name) {
    return registry_.GetCounter(name, "", {{"loop", kLoop}}).Value();
  }

  std::vector<std::string> OutboxEventIds() {
    auto pending = store_->PendingOutbox();
    EXPECT_TRUE(pending.ok()) << pending.status();
    std::vector<std::string> ids;
    if (!pending.ok()) return ids;
    for (const auto& r : *pending) {
      Envelope e;
      EXPECT_TRUE(e.ParseFromString(r.value));
      ids.push_back(e.event_id());
    }
    return ids;
  }

  std::optional<std::string> Read(std::string_view cf, std::string_view key) {
    auto got = store_->Get(cf, key);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? *got : std::nullopt;
  }

  // Destroyed in reverse: the loop first, the directory last.
  store::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  metrics::Registry registry_;
  TestHandler handler_;
  store::testing::FakeProducer* producer_ = nullptr;  // owned by publisher_
  std::unique_ptr<store::OutboxPublisher> publisher_;
  testing::FakeConsumer* consumer_ = nullptr;  // owned by loop_
  std::unique_ptr<ConsumeLoop> loop_;
};

TEST_F(ConsumeLoopTest, AppliesEachMessageOnceAndStoresTheNextOffset) {
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1"), Event(2, "e2")});
  ASSERT_TRUE(loop_->RunOnce().ok());

  EXPECT_THAT(handler_.applied(), ElementsAre("e0", "e1", "e2"));
  // Each Apply read the state the earlier ones left in the same batch.
  EXPECT_THAT(Read("cases", "case-1"), Optional(std::string("e0;e1;e2;")));
  EXPECT_THAT(store_->StoredOffset(kTopic, 0), Optional(3));
  EXPECT_EQ(CounterValue("caserelay_events_applied_total"), 3u);
  EXPECT_EQ(handler_.commits(), 1);
}

TEST_F(ConsumeLoopTest, OutputsAreHandedToTheProducerAfterCommit) {
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1")});
  ASSERT_TRUE(loop_->RunOnce().ok());

  std::vector<std::string> produced;
  for (const auto& r : producer_->produced()) {
    Envelope e;
    ASSERT_TRUE(e.ParseFromString(r.value));
    EXPECT_EQ(r.topic, "case-events");
    EXPECT_EQ(r.key, "case-1");
    produced.push_back(e.event_id());
  }
  EXPECT_THAT(produced, ElementsAre("e0/routed", "e1/routed"));
}

TEST_F(ConsumeLoopTest, RedeliveredBatchIsSkippedAsDuplicate) {
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1"), Event(2, "e2")});
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1"), Event(2, "e2")});
  ASSERT_TRUE(loop_->RunOnce().ok());
  ASSERT_TRUE(loop_->RunOnce().ok());

  EXPECT_THAT(handler_.applied(), ElementsAre("e0", "e1", "e2"));
  EXPECT_THAT(OutboxEventIds(),
              ElementsAre("e0/routed", "e1/routed", "e2/routed"));
  EXPECT_THAT(store_->StoredOffset(kTopic, 0), Optional(3));
  EXPECT_EQ(CounterValue("caserelay_events_duplicate_total"), 3u);
  EXPECT_THAT(registry_.Render(),
              HasSubstr("caserelay_events_duplicate_total{loop=\"test\"} 3\n"));
}

TEST_F(ConsumeLoopTest, RedeliveryFromBeforeTheStoredOffsetAppliesOnlyNew) {
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1"), Event(2, "e2")});
  consumer_->AddBatch(
      {Event(1, "e1"), Event(2, "e2"), Event(3, "e3"), Event(4, "e4")});
  ASSERT_TRUE(loop_->RunOnce().ok());
  ASSERT_TRUE(loop_->RunOnce().ok());

  EXPECT_THAT(handler_.applied(), ElementsAre("e0", "e1", "e2", "e3", "e4"));
  EXPECT_THAT(store_->StoredOffset(kTopic, 0), Optional(5));
  EXPECT_EQ(CounterValue("caserelay_events_duplicate_total"), 2u);
}

TEST_F(ConsumeLoopTest, MessageRepeatedWithinOneBatchIsAppliedOnce) {
  consumer_->AddBatch(
      {Event(0, "e0"), Event(1, "e1"), Event(1, "e1"), Event(2, "e2")});
  ASSERT_TRUE(loop_->RunOnce().ok());

  EXPECT_THAT(handler_.applied(), ElementsAre("e0", "e1", "e2"));
  EXPECT_EQ(CounterValue("caserelay_events_duplicate_total"), 1u);
}

TEST_F(ConsumeLoopTest, OffsetsAreKeptPerPartition) {
  consumer_->AddBatch(
      {Event(0, "p0-0", 0), Event(1, "p0-1", 0), Event(0, "p1-0", 1)});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_THAT(store_->StoredOffset(kTopic, 0), Optional(2));
  EXPECT_THAT(store_->StoredOffset(kTopic, 1), Optional(1));

  // Partition 1's record again, and the next record of partition 0.
  consumer_->AddBatch({Event(0, "p1-0", 1), Event(2, "p0-2", 0)});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_THAT(handler_.applied(), ElementsAre("p0-0", "p0-1", "p1-0", "p0-2"));
  EXPECT_THAT(store_->StoredOffset(kTopic, 0), Optional(3));
  EXPECT_EQ(CounterValue("caserelay_events_duplicate_total"), 1u);
}

TEST_F(ConsumeLoopTest, MessageThatIsNotAnEnvelopeGoesToDeadLetters) {
  kafka::Message garbage = Event(0, "unused");
  // A length-delimited field 1 claiming 5 bytes but holding 2.
  garbage.value = std::string(
      "\x0a\x05"
      "ab",
      4);
  consumer_->AddBatch({garbage, Event(1, "e1")});
  ASSERT_TRUE(loop_->RunOnce().ok());

  std::optional<std::string> dead = Read("dead-letters", "petitions/0/0");
  ASSERT_TRUE(dead.has_value());
  EXPECT_THAT(*dead, StartsWith("INVALID_ARGUMENT: not an Envelope\n"));
  EXPECT_TRUE(absl::EndsWith(*dead, garbage.value));
  // The loop moved on past it.
  EXPECT_THAT(handler_.applied(), ElementsAre("e1"));
  EXPECT_THAT(store_->StoredOffset(kTopic, 0), Optional(2));
  EXPECT_EQ(CounterValue("caserelay_events_dead_letter_total"), 1u);
}

TEST_F(ConsumeLoopTest, HandlerErrorGoesToDeadLettersAndTheLoopMovesOn) {
  handler_.fail_ids = {"e1"};
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1"), Event(2, "e2")});
  ASSERT_TRUE(loop_->RunOnce().ok());

  std::optional<std::string> dead = Read("dead-letters", "petitions/0/1");
  ASSERT_TRUE(dead.has_value());
  EXPECT_THAT(*dead, StartsWith("NOT_FOUND: unknown case case-1\n"));
  EXPECT_TRUE(absl::EndsWith(*dead, Event(1, "e1").value));
  EXPECT_EQ(Read("dead-letters", "petitions/0/0"), std::nullopt);
  EXPECT_THAT(handler_.applied(), ElementsAre("e0", "e2"));
  EXPECT_THAT(OutboxEventIds(), ElementsAre("e0/routed", "e2/routed"));
  EXPECT_THAT(store_->StoredOffset(kTopic, 0), Optional(3));
  EXPECT_EQ(CounterValue("caserelay_events_applied_total"), 2u);
  EXPECT_EQ(CounterValue("caserelay_events_dead_letter_total"), 1u);
}

TEST_F(ConsumeLoopTest, OutputsAreCommittedWithTheOffsetsAndSurviveACrash) {
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1")});
  ASSERT_TRUE(loop_->RunOnce().ok());
  // No delivery report ever arrives before the "crash".
  ASSERT_EQ(producer_->outstanding().size(), 2u);

  Restart();
  EXPECT_THAT(store_->StoredOffset(kTopic, 0), Optional(2));
  EXPECT_THAT(OutboxEventIds(), ElementsAre("e0/routed", "e1/routed"));
  // The new publisher republishes them...
  EXPECT_EQ(producer_->produced().size(), 2u);
  // ...and Kafka's redelivery of the inputs is not applied again.
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1")});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_THAT(handler_.applied(), ElementsAre("e0", "e1"));
  EXPECT_THAT(OutboxEventIds(), ElementsAre("e0/routed", "e1/routed"));
}

TEST_F(ConsumeLoopTest, ConfirmedOutputsLeaveTheOutbox) {
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1")});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_EQ(producer_->DeliverAll(absl::OkStatus()), 2);
  EXPECT_THAT(OutboxEventIds(), IsEmpty());
  EXPECT_TRUE(publisher_->Flush(absl::ZeroDuration()).ok());
}

TEST_F(ConsumeLoopTest, TickIsCalledOnEveryRunOnce) {
  ASSERT_TRUE(loop_->RunOnce().ok());  // nothing polled
  ASSERT_TRUE(loop_->RunOnce().ok());
  consumer_->AddBatch({Event(0, "e0")});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_EQ(handler_.ticks(), 3);
}

TEST_F(ConsumeLoopTest, DueWorkLeftByTickIsNotKeptWaitingForInput) {
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_GT(consumer_->last_timeout(), absl::ZeroDuration());
  handler_.more_due = true;  // the last Tick stopped at its bound
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_EQ(consumer_->last_timeout(), absl::ZeroDuration());
}

TEST_F(ConsumeLoopTest, TickWritesAreCommittedEvenWithoutMessages) {
  handler_.tick_writes = true;
  ASSERT_TRUE(loop_->RunOnce().ok());
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_THAT(Read("cases", "ticks"), Optional(std::string("2")));
  EXPECT_EQ(handler_.commits(), 2);
}

TEST_F(ConsumeLoopTest, NothingIsCommittedWhenNothingWasWritten) {
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_EQ(handler_.commits(), 0);
  EXPECT_EQ(store_->StoredOffset(kTopic, 0), std::nullopt);
}

TEST_F(ConsumeLoopTest, PollErrorIsReturnedAndNothingIsApplied) {
  consumer_->AddBatch({Event(0, "e0")});
  consumer_->FailNextPoll(absl::PermissionDeniedError("topic authorization"));
  absl::Status s = loop_->RunOnce();
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(handler_.applied(), IsEmpty());
  EXPECT_EQ(store_->StoredOffset(kTopic, 0), std::nullopt);
}

TEST_F(ConsumeLoopTest, PollsWithTheConfiguredBatchSize) {
  ConsumeLoopOptions options;
  options.max_batch = 2;
  CreateLoop(options);
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1"), Event(2, "e2")});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_EQ(consumer_->last_max_messages(), 2);
  EXPECT_THAT(handler_.applied(), ElementsAre("e0", "e1"));
  EXPECT_THAT(store_->StoredOffset(kTopic, 0), Optional(2));
}

TEST_F(ConsumeLoopTest, AssignedFollowsTheConsumersAssignment) {
  EXPECT_FALSE(loop_->assigned());
  consumer_->SetAssignment({{kTopic, 0}});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_TRUE(loop_->assigned());
  consumer_->SetAssignment({});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_FALSE(loop_->assigned());
}

// Polls `done` every millisecond until it holds or kWait passes.
template <typename F>
bool Eventually(F done) {
  absl::Time deadline = absl::Now() + kWait;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return true;
}

TEST_F(ConsumeLoopTest, StartAppliesInTheBackgroundAndStopClosesTheConsumer) {
  loop_->Start();
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1")});
  consumer_->AddBatch({Event(2, "e2")});
  EXPECT_TRUE(Eventually([&] {
    return store_->StoredOffset(kTopic, 0) == std::optional<int64_t>(3);
  }));
  loop_->Stop();
  EXPECT_TRUE(consumer_->closed());
  EXPECT_THAT(handler_.applied(), ElementsAre("e0", "e1", "e2"));
}

TEST_F(ConsumeLoopTest, LoopIsUnhealthyWhilePollFailsAndRecovers) {
  consumer_->FailNextPoll(absl::InternalError("fatal client error"));
  loop_->Start();
  EXPECT_TRUE(Eventually([&] { return !loop_->healthy(); }));
  // The loop retries after a second, and the next Poll succeeds.
  EXPECT_TRUE(Eventually([&] { return loop_->healthy(); }));
  loop_->Stop();
}

}  // namespace
}  // namespace caserelay::service
