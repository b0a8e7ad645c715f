// ConsumeLoop and per-case sequence gaps (issue 22 item 5): an event that
// comes before an earlier event of its case is held, not applied out of
// order and not dead-lettered; it is applied once the gap closes.

#include <string>

#include "absl/time/time.h"
#include "common/service/consume_loop.h"
#include "common/service/held_events.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/service/consume_loop_fixture.h"

namespace caserelay::service {
namespace {

using ::caserelay::service::testing::ConsumeLoopTest;
using ::caserelay::service::testing::Event;
using ::caserelay::service::testing::kTopic;
using ::caserelay::service::testing::Sequenced;
using ::caserelay::service::testing::StoredOffset;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;

TEST(SequenceGapErrorTest, IsRecognisedAndNotTransient) {
  const absl::Status gap = SequenceGapError("case-1", 1, 3);
  EXPECT_TRUE(IsSequenceGap(gap));
  EXPECT_EQ(gap.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(IsTransient(gap));
  EXPECT_FALSE(IsSequenceGap(absl::FailedPreconditionError("other")));
}

// Event 3 before event 2: held; applied right after 2, in order.
TEST_F(ConsumeLoopTest, EventAfterASequenceGapIsHeldThenAppliedInOrder) {
  handler_.check_sequence = true;
  consumer_->AddBatch({Sequenced(0, "s1", 1), Sequenced(1, "s3", 3)});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_THAT(handler_.applied(), ElementsAre("s1"));
  EXPECT_EQ(CounterValue("caserelay_sequence_gaps_total"), 1u);
  EXPECT_EQ(CounterValue("caserelay_events_dead_letter_total"), 0u);
  EXPECT_THAT(StoredOffset(*store_, kTopic, 0), Optional(2));

  consumer_->AddBatch({Sequenced(2, "s2", 2)});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_THAT(handler_.applied(), ElementsAre("s1", "s2", "s3"));
  EXPECT_THAT(Read("cases", "case-1"), Optional(std::string("s1;s2;s3;")));
  EXPECT_EQ(CounterValue("caserelay_events_applied_total"), 3u);
}

// The held event is in the store with the offset that moved past it.
TEST_F(ConsumeLoopTest, HeldEventSurvivesARestart) {
  handler_.check_sequence = true;
  consumer_->AddBatch({Sequenced(0, "s1", 1), Sequenced(1, "s3", 3)});
  ASSERT_TRUE(loop_->RunOnce().ok());
  Restart();
  consumer_->AddBatch({Sequenced(2, "s2", 2)});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_THAT(Read("cases", "case-1"), Optional(std::string("s1;s2;s3;")));
}

// A case left waiting for its missing event shows in /healthz.
TEST_F(ConsumeLoopTest, CaseWaitingForAMissingEventMakesTheLoopUnhealthy) {
  ConsumeLoopOptions options;
  options.gap_alert_after = absl::ZeroDuration();
  CreateLoop(options);
  handler_.check_sequence = true;
  consumer_->AddBatch({Sequenced(0, "s2", 2)});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_FALSE(loop_->healthy());
  EXPECT_THAT(loop_->Health(), HasSubstr("sequence gap"));
  EXPECT_THAT(loop_->Health(), HasSubstr("case-1"));
  consumer_->AddBatch({Sequenced(1, "s1", 1)});
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_TRUE(loop_->healthy()) << loop_->Health();
  EXPECT_THAT(handler_.applied(), ElementsAre("s1", "s2"));
}

// Issue 22 item 5: an operator can replay a dead letter once its cause is
// fixed (casectl dead-letters replay); it then leaves the dead letters.
TEST_F(ConsumeLoopTest, DeadLetterIsAppliedAgainOnRequest) {
  ConsumeLoopOptions options;
  options.topics = {kTopic};
  CreateLoop(options);
  handler_.fail_ids = {"e1"};
  consumer_->AddBatch({Event(0, "e0"), Event(1, "e1"), Event(2, "e2")});
  ASSERT_TRUE(loop_->RunOnce().ok());
  ASSERT_NE(Read("dead-letters", "petitions/0/1"), std::nullopt);
  EXPECT_EQ(loop_->RequestReplay("petitions/0/9").status().code(),
            absl::StatusCode::kNotFound);

  handler_.fail_ids.clear();  // the cause is fixed
  auto queued = loop_->RequestReplay("petitions/0/1");
  ASSERT_TRUE(queued.ok()) << queued.status();
  EXPECT_EQ(*queued, 1u);
  ASSERT_TRUE(loop_->RunOnce().ok());
  EXPECT_THAT(handler_.applied(), ElementsAre("e0", "e2", "e1"));
  EXPECT_EQ(Read("dead-letters", "petitions/0/1"), std::nullopt);
  EXPECT_EQ(CounterValue("caserelay_dead_letters_replayed_total"), 1u);
}

// A replayed letter refused again stays, with the reason of this try.
TEST_F(ConsumeLoopTest, DeadLetterRefusedAgainStaysWithTheNewReason) {
  ConsumeLoopOptions options;
  options.topics = {kTopic};
  CreateLoop(options);
  handler_.fail_ids = {"e0"};
  consumer_->AddBatch({Event(0, "e0")});
  ASSERT_TRUE(loop_->RunOnce().ok());
  auto all = loop_->RequestReplay("");
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(*all, 1u);
  ASSERT_TRUE(loop_->RunOnce().ok());
  auto letter = Read("dead-letters", "petitions/0/0");
  ASSERT_NE(letter, std::nullopt);
  EXPECT_THAT(*letter, ::testing::StartsWith("NOT_FOUND: unknown case"));
  EXPECT_EQ(CounterValue("caserelay_dead_letters_replayed_total"), 0u);
  EXPECT_TRUE(handler_.applied().empty());
}

}  // namespace
}  // namespace caserelay::service
