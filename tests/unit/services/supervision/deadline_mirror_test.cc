// deadline_mirror.h: what each listing does to a known deadline and to its
// timer, without a store.

#include "services/supervision/deadline_mirror.h"

#include <string>

#include "common/time/timestamp.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::supervision {
namespace {

using caserelay::v1::Deadline;
using caserelay::v1::RunningDeadline;
using google::protobuf::RepeatedPtrField;

constexpr char kCase[] = "140431-20261122-000001";
const absl::Time kStart = absl::FromUnixSeconds(1795312800);  // 2026-11-22
const absl::Time kDue = kStart + absl::Hours(24 * 60);

RunningDeadline Handling(absl::Time due) {
  RunningDeadline d;
  d.set_kind(caserelay::v1::DEADLINE_KIND_HANDLING);
  d.set_office_code("140431:labour");
  *d.mutable_started_at() = time::ToProto(kStart);
  *d.mutable_due_at() = time::ToProto(due);
  return d;
}

RepeatedPtrField<RunningDeadline> Listed(
    std::initializer_list<RunningDeadline> l) {
  RepeatedPtrField<RunningDeadline> out;
  for (const RunningDeadline& d : l) *out.Add() = d;
  return out;
}

std::string Id() {
  return DeadlineId(kCase, caserelay::v1::DEADLINE_KIND_HANDLING, kStart);
}

TEST(DeadlineMirrorTest, IdIsCaseKindAndStart) {
  EXPECT_EQ(Id(), "140431-20261122-000001/handling/1795312800000000");
  EXPECT_EQ(CaseOfDeadline(Id()), kCase);
  EXPECT_EQ(
      DeadlineId(kCase, caserelay::v1::DEADLINE_KIND_SUPERVISION_REPLY, kStart),
      "140431-20261122-000001/supervision_reply/1795312800000000");
}

TEST(DeadlineMirrorTest, NewDeadlineIsArmedWithATimer) {
  RepeatedPtrField<Deadline> known;
  TimerChanges c = Mirror(kCase, Listed({Handling(kDue)}), kStart, &known);
  ASSERT_EQ(known.size(), 1);
  EXPECT_EQ(known[0].state(), caserelay::v1::DEADLINE_STATE_ARMED);
  EXPECT_TRUE(c.disarm.empty());
  ASSERT_EQ(c.arm.size(), 1u);
  EXPECT_EQ(c.arm[0].due, kDue);
  EXPECT_EQ(c.arm[0].id, Id());
}

TEST(DeadlineMirrorTest, SameListingChangesNoTimer) {
  RepeatedPtrField<Deadline> known;
  Mirror(kCase, Listed({Handling(kDue)}), kStart, &known);
  TimerChanges c = Mirror(kCase, Listed({Handling(kDue)}), kStart, &known);
  EXPECT_TRUE(c.arm.empty());
  EXPECT_TRUE(c.disarm.empty());
  EXPECT_EQ(known[0].state(), caserelay::v1::DEADLINE_STATE_ARMED);
}

// 提级办理 (issue 18 item 5): routing lists the same deadline (same start
// and due) under the superior organ that took the case: the timer stays,
// and a miss is then the new office's.
TEST(DeadlineMirrorTest, EscalatedDeadlineKeepsItsTimerAndTakesTheNewOffice) {
  RepeatedPtrField<Deadline> known;
  Mirror(kCase, Listed({Handling(kDue)}), kStart, &known);
  RunningDeadline escalated = Handling(kDue);
  escalated.set_office_code("140400:bureau");
  TimerChanges c =
      Mirror(kCase, Listed({escalated}), kStart + absl::Hours(1), &known);
  EXPECT_TRUE(c.arm.empty());
  EXPECT_TRUE(c.disarm.empty());
  ASSERT_EQ(known.size(), 1);
  EXPECT_EQ(known[0].state(), caserelay::v1::DEADLINE_STATE_ARMED);
  EXPECT_EQ(known[0].office_code(), "140400:bureau");
  EXPECT_EQ(time::FromProto(known[0].due_at()), kDue);
}

TEST(DeadlineMirrorTest, MovedDueMovesTheTimer) {
  RepeatedPtrField<Deadline> known;
  Mirror(kCase, Listed({Handling(kDue)}), kStart, &known);
  absl::Time later = kDue + absl::Hours(24 * 30);
  TimerChanges c = Mirror(kCase, Listed({Handling(later)}), kStart, &known);
  ASSERT_EQ(c.disarm.size(), 1u);
  EXPECT_EQ(c.disarm[0].due, kDue);
  ASSERT_EQ(c.arm.size(), 1u);
  EXPECT_EQ(c.arm[0].due, later);
}

TEST(DeadlineMirrorTest, PausedListingRemovesTheTimer) {
  RepeatedPtrField<Deadline> known;
  Mirror(kCase, Listed({Handling(kDue)}), kStart, &known);
  RunningDeadline paused = Handling(kDue);
  *paused.mutable_paused_at() = time::ToProto(kStart + absl::Hours(24));
  TimerChanges c = Mirror(kCase, Listed({paused}), kStart, &known);
  EXPECT_EQ(c.disarm.size(), 1u);
  EXPECT_TRUE(c.arm.empty());
  EXPECT_EQ(known[0].state(), caserelay::v1::DEADLINE_STATE_PAUSED);
}

TEST(DeadlineMirrorTest, FirstListedPausedHasNoTimer) {
  RepeatedPtrField<Deadline> known;
  RunningDeadline paused = Handling(kDue);
  *paused.mutable_paused_at() = time::ToProto(kStart);
  TimerChanges c = Mirror(kCase, Listed({paused}), kStart, &known);
  EXPECT_TRUE(c.arm.empty());
  EXPECT_EQ(known[0].state(), caserelay::v1::DEADLINE_STATE_PAUSED);
}

TEST(DeadlineMirrorTest, UnlistedArmedIsDoneAndDisarmed) {
  RepeatedPtrField<Deadline> known;
  Mirror(kCase, Listed({Handling(kDue)}), kStart, &known);
  absl::Time replied = kStart + absl::Hours(24 * 20);
  TimerChanges c = Mirror(kCase, Listed({}), replied, &known);
  ASSERT_EQ(c.disarm.size(), 1u);
  EXPECT_EQ(c.disarm[0].due, kDue);
  EXPECT_EQ(known[0].state(), caserelay::v1::DEADLINE_STATE_DONE);
  EXPECT_EQ(time::FromProto(known[0].ended_at()), replied);
}

TEST(DeadlineMirrorTest, UnlistedPausedIsDoneWithoutTimerChange) {
  RepeatedPtrField<Deadline> known;
  RunningDeadline paused = Handling(kDue);
  *paused.mutable_paused_at() = time::ToProto(kStart);
  Mirror(kCase, Listed({paused}), kStart, &known);
  TimerChanges c = Mirror(kCase, Listed({}), kStart + absl::Hours(1), &known);
  EXPECT_TRUE(c.disarm.empty());
  EXPECT_EQ(known[0].state(), caserelay::v1::DEADLINE_STATE_DONE);
  EXPECT_FALSE(known[0].has_paused_at());
}

TEST(DeadlineMirrorTest, MissedIsFinal) {
  RepeatedPtrField<Deadline> known;
  Mirror(kCase, Listed({Handling(kDue)}), kStart, &known);
  known[0].set_state(caserelay::v1::DEADLINE_STATE_MISSED);  // as Tick does
  TimerChanges c = Mirror(kCase, Listed({Handling(kDue + absl::Hours(48))}),
                          kDue + absl::Hours(1), &known);
  EXPECT_TRUE(c.arm.empty());
  EXPECT_TRUE(c.disarm.empty());
  EXPECT_EQ(known[0].state(), caserelay::v1::DEADLINE_STATE_MISSED);
  EXPECT_EQ(time::FromProto(known[0].due_at()), kDue) << "the due it missed";
}

TEST(DeadlineMirrorTest, MovedDueClearsWarned) {
  RepeatedPtrField<Deadline> known;
  Mirror(kCase, Listed({Handling(kDue)}), kStart, &known);
  known[0].set_warned(true);  // as Tick does
  Mirror(kCase, Listed({Handling(kDue)}), kStart + absl::Hours(1), &known);
  EXPECT_TRUE(known[0].warned()) << "same due: the warning stands";
  Mirror(kCase, Listed({Handling(kDue + absl::Hours(24 * 30))}),
         kStart + absl::Hours(2), &known);
  EXPECT_FALSE(known[0].warned()) << "extended: a warning is owed again";
}

TEST(DeadlineMirrorTest, ResumedWithALaterDueClearsWarned) {
  RepeatedPtrField<Deadline> known;
  Mirror(kCase, Listed({Handling(kDue)}), kStart, &known);
  known[0].set_warned(true);
  RunningDeadline paused = Handling(kDue);
  *paused.mutable_paused_at() = time::ToProto(kStart + absl::Hours(24));
  Mirror(kCase, Listed({paused}), kStart + absl::Hours(24), &known);
  EXPECT_TRUE(known[0].warned());
  TimerChanges c = Mirror(kCase, Listed({Handling(kDue + absl::Hours(48))}),
                          kStart + absl::Hours(72), &known);
  EXPECT_FALSE(known[0].warned());
  ASSERT_EQ(c.arm.size(), 1u);
  EXPECT_EQ(c.arm[0].due, kDue + absl::Hours(48));
}

TEST(DeadlineMirrorTest, UnlistedMissedPutsOutItsLightOnce) {
  RepeatedPtrField<Deadline> known;
  Mirror(kCase, Listed({Handling(kDue)}), kStart, &known);
  known[0].set_state(caserelay::v1::DEADLINE_STATE_MISSED);
  TimerChanges c = Mirror(kCase, Listed({}), kDue + absl::Hours(5), &known);
  ASSERT_EQ(c.lights_out.size(), 1u);
  EXPECT_EQ(c.lights_out[0].id, Id());
  EXPECT_EQ(c.lights_out[0].due, kDue);
  EXPECT_TRUE(c.disarm.empty());
  c = Mirror(kCase, Listed({}), kDue + absl::Hours(6), &known);
  EXPECT_TRUE(c.lights_out.empty()) << "already out";
  EXPECT_EQ(time::FromProto(known[0].ended_at()), kDue + absl::Hours(5));
}

TEST(DeadlineMirrorTest, UnlistedArmedPutsOutNoLight) {
  RepeatedPtrField<Deadline> known;
  Mirror(kCase, Listed({Handling(kDue)}), kStart, &known);
  TimerChanges c = Mirror(kCase, Listed({}), kStart + absl::Hours(5), &known);
  EXPECT_TRUE(c.lights_out.empty());
}

TEST(DeadlineMirrorTest, SupervisionReplyKeepsItsSupervisionId) {
  RunningDeadline reply = Handling(kDue);
  reply.set_kind(caserelay::v1::DEADLINE_KIND_SUPERVISION_REPLY);
  reply.set_supervision_id(std::string(kCase) + "/supervision/1");
  RepeatedPtrField<Deadline> known;
  Mirror(kCase, Listed({reply}), kStart, &known);
  ASSERT_EQ(known.size(), 1);
  EXPECT_EQ(known[0].supervision_id(), std::string(kCase) + "/supervision/1");
}

TEST(DeadlineMirrorTest, CheckListedNamesTheMissingField) {
  RunningDeadline no_kind = Handling(kDue);
  no_kind.set_kind(caserelay::v1::DEADLINE_KIND_UNSPECIFIED);
  RunningDeadline no_start = Handling(kDue);
  no_start.clear_started_at();
  EXPECT_EQ(CheckListed(Listed({Handling(kDue)})).code(),
            absl::StatusCode::kOk);
  absl::Status s = CheckListed(Listed({Handling(kDue), no_kind}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), ::testing::HasSubstr("deadlines[1].kind"));
  s = CheckListed(Listed({no_start}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), ::testing::HasSubstr("deadlines[0].started_at"));
}

}  // namespace
}  // namespace caserelay::supervision
