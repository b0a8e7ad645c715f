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

}  // namespace
}  // namespace caserelay::service
