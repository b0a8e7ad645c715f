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
#include "tests/unit/common/service/consume_loop_fixture.h"
#include "tests/unit/common/service/fake_consumer.h"
#include "tests/unit/common/store/fake_producer.h"
#include "tests/unit/common/store/temp_dir.h"

namespace caserelay::service {
namespace {

using ::caserelay::service::testing::ConsumeLoopTest;
using ::caserelay::service::testing::Event;
using ::caserelay::service::testing::Eventually;
using ::caserelay::service::testing::kLoop;
using ::caserelay::service::testing::kTopic;
using ::caserelay::service::testing::StoredOffset;
using caserelay::v1::Envelope;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::StartsWith;

TEST_F(ConsumeLoopTest, AppliesEachMessageOnceAndStoresTheNextOffset) {
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1"), Event(2, "e2")});
  ASSERT_TRUE(loop_->RunOnce().ok());

  EXPECT_THAT(handler_.applied(), ElementsAre("e0", "e1", "e2"));
  // Each Apply read the state the earlier ones left in the same batch.
  EXPECT_THAT(Read("cases", "case-1"), Optional(std::string("e0;e1;e2;")));
  EXPECT_THAT(StoredOffset(*store_, kTopic, 0), Optional(3));
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
  EXPECT_THAT(StoredOffset(*store_, kTopic, 0), Optional(3));
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
  EXPECT_THAT(StoredOffset(*store_, kTopic, 0), Optional(5));
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
  EXPECT_THAT(StoredOffset(*store_, kTopic, 0), Optional(2));
  EXPECT_THAT(StoredOffset(*store_, kTopic, 1), Optional(1));

  // Partition 1's record again, and the next record of partition 0.
  consumer_->AddBatch({Event(0, "p1-0", 1), Event(2, "p0-2", 0)});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_THAT(handler_.applied(), ElementsAre("p0-0", "p0-1", "p1-0", "p0-2"));
  EXPECT_THAT(StoredOffset(*store_, kTopic, 0), Optional(3));
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
  EXPECT_THAT(StoredOffset(*store_, kTopic, 0), Optional(2));
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
  EXPECT_THAT(StoredOffset(*store_, kTopic, 0), Optional(3));
  EXPECT_EQ(CounterValue("caserelay_events_applied_total"), 2u);
  EXPECT_EQ(CounterValue("caserelay_events_dead_letter_total"), 1u);
}

TEST_F(ConsumeLoopTest, OutputsAreCommittedWithTheOffsetsAndSurviveACrash) {
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1")});
  ASSERT_TRUE(loop_->RunOnce().ok());
  // No delivery report ever arrives before the "crash".
  ASSERT_EQ(producer_->outstanding().size(), 2u);

  Restart();
  EXPECT_THAT(StoredOffset(*store_, kTopic, 0), Optional(2));
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
  EXPECT_EQ(StoredOffset(*store_, kTopic, 0), std::nullopt);
}

TEST_F(ConsumeLoopTest, PollErrorIsReturnedAndNothingIsApplied) {
  consumer_->AddBatch({Event(0, "e0")});
  consumer_->FailNextPoll(absl::PermissionDeniedError("topic authorization"));
  absl::Status s = loop_->RunOnce();
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(handler_.applied(), IsEmpty());
  EXPECT_EQ(StoredOffset(*store_, kTopic, 0), std::nullopt);
}

TEST_F(ConsumeLoopTest, PollsWithTheConfiguredBatchSize) {
  ConsumeLoopOptions options;
  options.max_batch = 2;
  CreateLoop(options);
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1"), Event(2, "e2")});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_EQ(consumer_->last_max_messages(), 2);
  EXPECT_THAT(handler_.applied(), ElementsAre("e0", "e1"));
  EXPECT_THAT(StoredOffset(*store_, kTopic, 0), Optional(2));
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

TEST_F(ConsumeLoopTest, StartAppliesInTheBackgroundAndStopClosesTheConsumer) {
  loop_->Start();
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1")});
  consumer_->AddBatch({Event(2, "e2")});
  EXPECT_TRUE(Eventually([&] {
    return StoredOffset(*store_, kTopic, 0) == std::optional<int64_t>(3);
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
