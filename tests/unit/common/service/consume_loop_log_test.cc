// ConsumeLoop and the logs it reads (issue 23 item 1), and what it does
// with input it cannot apply now (issue 22 item 5).

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "common/kafka/consumer.h"
#include "common/service/consume_loop.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/service/consume_loop_fixture.h"

namespace caserelay::service {
namespace {

using ::caserelay::service::testing::ConsumeLoopTest;
using ::caserelay::service::testing::Event;
using ::caserelay::service::testing::Eventually;
using ::caserelay::service::testing::kTopic;
using ::caserelay::service::testing::StoredOffset;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;

using Kind = kafka::PositionReset::Kind;

// Commits offset `next` of kTopic/0 in log `log_id`, as an earlier run did.
void StorePosition(store::Store& store, int64_t next,
                   const std::string& log_id) {
  store::WriteBatch batch(&store);
  batch.SetOffset(kTopic, 0, next, log_id);
  ASSERT_TRUE(store.Commit(batch).ok());
}

kafka::PositionReset Reset(Kind kind, int64_t stored, int64_t resumed_at) {
  kafka::PositionReset r;
  r.kind = kind;
  r.topic = kTopic;
  r.partition = 0;
  r.stored_offset = stored;
  r.stored_log_id = "old-cluster";
  r.resumed_at = resumed_at;
  r.log_id = "new-cluster";
  return r;
}

// Issue 23.1: the embedded broker started again; its log begins at 0
// while the store says 5 were read. The new records are not duplicates.
TEST_F(ConsumeLoopTest, NewLogIsReadFromItsStartNotSkippedAsDuplicates) {
  StorePosition(*store_, 5, "old-cluster");
  consumer_->SetLogId("new-cluster");
  consumer_->AddReset(Reset(Kind::kNewLog, 5, 0));
  consumer_->AddBatch({Event(0, "n0"), Event(1, "n1")});
  ASSERT_TRUE(loop_->RunOnce().ok());

  EXPECT_THAT(handler_.applied(), ElementsAre("n0", "n1"));
  EXPECT_EQ(CounterValue("caserelay_events_duplicate_total"), 0u);
  EXPECT_EQ(CounterValue("caserelay_log_resets_total"), 1u);
  auto position = store_->Position(kTopic, 0);
  ASSERT_TRUE(position.ok()) << position.status();
  ASSERT_TRUE(position->has_value());
  EXPECT_EQ((*position)->next_offset, 2);
  EXPECT_EQ((*position)->log_id, "new-cluster");
  // A new log is an event to tell, not a fault: health stays green.
  EXPECT_TRUE(loop_->healthy()) << loop_->Health();
}

// Issue 23.1: a reset is stored even when no record of the new log came
// yet, so a restart does not go back to the old position.
TEST_F(ConsumeLoopTest, NewLogResetIsStoredBeforeAnyRecordOfIt) {
  StorePosition(*store_, 5, "old-cluster");
  consumer_->SetLogId("new-cluster");
  consumer_->AddReset(Reset(Kind::kNewLog, 5, 0));
  ASSERT_TRUE(loop_->RunOnce().ok());
  auto position = store_->Position(kTopic, 0);
  ASSERT_TRUE(position.ok() && position->has_value());
  EXPECT_EQ((*position)->next_offset, 0);
  EXPECT_EQ((*position)->log_id, "new-cluster");
}

// Issue 23.1: offsets are stored with the identity of their log.
TEST_F(ConsumeLoopTest, OffsetsAreStoredWithTheLogTheyCountIn) {
  consumer_->SetLogId("cluster-a");
  consumer_->AddBatch({Event(0, "e0")});
  ASSERT_TRUE(loop_->RunOnce().ok());
  auto position = store_->Position(kTopic, 0);
  ASSERT_TRUE(position.ok() && position->has_value());
  EXPECT_EQ((*position)->next_offset, 1);
  EXPECT_EQ((*position)->log_id, "cluster-a");
}

// Issue 23.1: records deleted before they were read are an alert in
// /healthz and a metric, never a silent skip.
TEST_F(ConsumeLoopTest, RecordsSkippedUnreadAreAnAlertInHealth) {
  consumer_->AddReset(Reset(Kind::kSkippedUnread, 3, 8));
  consumer_->AddBatch({Event(8, "e8")});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_THAT(handler_.applied(), ElementsAre("e8"));
  EXPECT_EQ(CounterValue("caserelay_records_skipped_total"), 5u);
  EXPECT_FALSE(loop_->healthy());
  EXPECT_THAT(loop_->Health(), HasSubstr("records 3..7 of petitions/0"));
  EXPECT_THAT(StoredOffset(*store_, kTopic, 0), Optional(9));
}

// Issue 22.5: a transient Apply error is retried in place, not
// dead-lettered.
TEST_F(ConsumeLoopTest, TransientApplyErrorIsRetriedInPlace) {
  ConsumeLoopOptions options;
  options.retry_initial = absl::Milliseconds(1);
  CreateLoop(options);
  handler_.FailTransiently("e1", 2);
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1"), Event(2, "e2")});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_THAT(handler_.applied(), ElementsAre("e0", "e1", "e2"));
  EXPECT_EQ(handler_.transient_failures("e1"), 2);
  EXPECT_EQ(CounterValue("caserelay_events_dead_letter_total"), 0u);
  EXPECT_EQ(CounterValue("caserelay_loop_retries_total"), 2u);
  EXPECT_EQ(Read("dead-letters", "petitions/0/1"), std::nullopt);
  EXPECT_THAT(StoredOffset(*store_, kTopic, 0), Optional(3));
}

// Issue 22.5: an input retried again and again shows in /healthz.
TEST_F(ConsumeLoopTest, InputRetriedOverAndOverMakesTheLoopUnhealthy) {
  ConsumeLoopOptions options;
  options.retry_initial = absl::Milliseconds(1);
  options.retry_max = absl::Milliseconds(5);
  options.stuck_after = 3;
  CreateLoop(options);
  handler_.FailTransiently("e0", 1000000);
  consumer_->AddBatch({Event(0, "e0")});
  loop_->Start();
  EXPECT_TRUE(Eventually([&] { return !loop_->healthy(); }));
  EXPECT_THAT(loop_->Health(), HasSubstr("stuck: input petitions/0/0"));
  handler_.FailTransiently("e0", 0);  // the disk is back
  EXPECT_TRUE(Eventually([&] { return loop_->healthy(); }));
  loop_->Stop();
  EXPECT_THAT(handler_.applied(), ElementsAre("e0"));
  EXPECT_EQ(CounterValue("caserelay_events_dead_letter_total"), 0u);
}

// Issue 22.5: a batch whose Tick failed is never committed; the inputs
// before it are.
TEST_F(ConsumeLoopTest, BatchOfAFailedTickIsNotCommitted) {
  handler_.tick_writes = true;
  handler_.FailTicks(1);
  consumer_->AddBatch({Event(0, "e0")});
  EXPECT_EQ(loop_->RunOnce().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(StoredOffset(*store_, kTopic, 0), Optional(1));
  EXPECT_THAT(Read("cases", "case-1"), Optional(std::string("e0;")));
  EXPECT_EQ(Read("cases", "ticks"), std::nullopt);  // the failed tick's write
  EXPECT_EQ(CounterValue("caserelay_tick_failures_total"), 1u);
  ASSERT_TRUE(loop_->RunOnce().ok());  // the next tick succeeds
  EXPECT_THAT(Read("cases", "ticks"), Optional(std::string("2")));
}

// Issue 22.5: ticks failing round after round show in /healthz.
TEST_F(ConsumeLoopTest, TicksFailingInARowMakeTheLoopUnhealthy) {
  ConsumeLoopOptions options;
  options.stuck_after = 2;
  CreateLoop(options);
  handler_.FailTicks(2);
  EXPECT_FALSE(loop_->RunOnce().ok());
  EXPECT_TRUE(loop_->healthy());
  EXPECT_FALSE(loop_->RunOnce().ok());
  EXPECT_FALSE(loop_->healthy());
  EXPECT_THAT(loop_->Health(), HasSubstr("tick failed 2 times in a row"));
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_TRUE(loop_->healthy()) << loop_->Health();
}

}  // namespace
}  // namespace caserelay::service
