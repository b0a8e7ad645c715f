// SupervisionServiceImpl with a real temp-dir Store and a simulated clock:
// case events' deadlines become durable timers; a timer that comes due is
// reported missed exactly once (DESIGN.md One recipe; DOMAIN.md
// "Deadlines" and "Supervision"). The yellow light (DeadlineWarning):
// deadline_warning_test.cc; red lights and 督办: red_lights_test.cc.

#include "services/supervision/supervision_service.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "caserelay/v1/events.pb.h"
#include "common/store/store.h"
#include "common/time/timestamp.h"
#include "gmock/gmock.h"
#include "common/service/held_events.h"
#include "gtest/gtest.h"
#include "services/supervision/deadline_mirror.h"
#include "tests/unit/services/supervision/supervision_fixture.h"

namespace caserelay::supervision::testing {
namespace {

using SupervisionServiceTest = SupervisionTest;

TEST_F(SupervisionServiceTest, ListedDeadlineIsArmed) {
  ApplyAndCommit(Event(1, Received(), {Transfer()}));
  std::vector<Deadline> d = List();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(
      d[0].deadline_id(),
      DeadlineId(kCase, caserelay::v1::DEADLINE_KIND_TRANSFER, Received()));
  EXPECT_EQ(d[0].case_id(), kCase);
  EXPECT_EQ(d[0].kind(), caserelay::v1::DEADLINE_KIND_TRANSFER);
  EXPECT_EQ(d[0].office_code(), "140431:bureau");
  EXPECT_EQ(d[0].state(), caserelay::v1::DEADLINE_STATE_ARMED);
  EXPECT_EQ(time::FromProto(d[0].started_at()), Received());
  EXPECT_EQ(time::FromProto(d[0].due_at()), TransferDue());
  EXPECT_EQ(Timers(), 2) << "its miss and its warning";
}

TEST_F(SupervisionServiceTest, DeadlineNoLongerListedIsDoneAndNeverFires) {
  ApplyAndCommit(Event(1, Received(), {Transfer()}));
  absl::Time transferred = svctest::ChinaTime(2026, 11, 25, 9, 0);
  ApplyAndCommit(Event(2, transferred, {}));
  std::vector<Deadline> d = List();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].state(), caserelay::v1::DEADLINE_STATE_DONE);
  EXPECT_EQ(time::FromProto(d[0].ended_at()), transferred);
  EXPECT_EQ(Timers(), 0);

  t_->clock().Set(TransferDue() + absl::Hours(1));
  TickAndCommit();
  EXPECT_TRUE(Missed().empty());
}

TEST_F(SupervisionServiceTest, ArmedDeadlinePastDueIsMissedOnce) {
  ApplyAndCommit(Event(1, Received(), {Transfer()}));
  t_->clock().Set(TransferDue() - absl::Microseconds(1));
  TickAndCommit();
  EXPECT_TRUE(Missed().empty()) << "met by any instant before due_at";

  t_->clock().Set(TransferDue());
  TickAndCommit();
  TickAndCommit();
  std::vector<Envelope> missed = Missed();
  ASSERT_EQ(missed.size(), 1u);
  const std::string id =
      DeadlineId(kCase, caserelay::v1::DEADLINE_KIND_TRANSFER, Received());
  EXPECT_EQ(missed[0].event_id(), "supervision/" + id + "/missed");
  EXPECT_EQ(missed[0].case_id(), kCase);
  EXPECT_EQ(missed[0].deadline_missed().deadline_id(), id);
  EXPECT_EQ(missed[0].deadline_missed().kind(),
            caserelay::v1::DEADLINE_KIND_TRANSFER);
  EXPECT_EQ(missed[0].deadline_missed().office_code(), "140431:bureau");
  EXPECT_EQ(time::FromProto(missed[0].deadline_missed().due_at()),
            TransferDue());
  EXPECT_EQ(List()[0].state(), caserelay::v1::DEADLINE_STATE_MISSED);
  EXPECT_EQ(Timers(), 0);
}

TEST_F(SupervisionServiceTest, MissedDeadlineStaysMissedWhenListedOrEnded) {
  ApplyAndCommit(Event(1, Received(), {Transfer()}));
  t_->clock().Set(TransferDue() + absl::Hours(1));
  TickAndCommit();
  ASSERT_EQ(Missed().size(), 1u);

  // Still listed, even with a later due: reported once, never re-armed.
  RunningDeadline later = Transfer();
  *later.mutable_due_at() = time::ToProto(TransferDue() + absl::Hours(48));
  ApplyAndCommit(Event(2, TransferDue() + absl::Hours(2), {later}));
  EXPECT_EQ(Timers(), 0);
  t_->clock().Set(TransferDue() + absl::Hours(72));
  TickAndCommit();
  EXPECT_EQ(Missed().size(), 1u);

  absl::Time ended = TransferDue() + absl::Hours(80);
  ApplyAndCommit(Event(3, ended, {}));
  std::vector<Deadline> d = List();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].state(), caserelay::v1::DEADLINE_STATE_MISSED);
  EXPECT_EQ(time::FromProto(d[0].ended_at()), ended) << "transferred late";
}

TEST_F(SupervisionServiceTest, ExtensionReArmsWithTheNewDue) {
  // DOMAIN.md Deadlines: handling 60 days, extension at most 30 (Art. 34).
  absl::Time accepted = svctest::ChinaTime(2026, 12, 1, 9, 0);
  absl::Time due = svctest::ChinaTime(2027, 1, 31, 0, 0);
  absl::Time extended_due = due + absl::Hours(24 * 30);
  RunningDeadline handling = Running(caserelay::v1::DEADLINE_KIND_HANDLING,
                                     accepted, due, "140431:labour");
  ApplyAndCommit(Event(1, accepted, {handling}));
  *handling.mutable_due_at() = time::ToProto(extended_due);
  ApplyAndCommit(Event(2, accepted + absl::Hours(24 * 50), {handling}));

  std::vector<Deadline> d = List();
  ASSERT_EQ(d.size(), 1u) << "the same deadline, moved";
  EXPECT_EQ(d[0].state(), caserelay::v1::DEADLINE_STATE_ARMED);
  EXPECT_EQ(time::FromProto(d[0].due_at()), extended_due);
  EXPECT_EQ(Timers(), 2) << "the old timers are gone";

  t_->clock().Set(due + absl::Hours(1));
  TickAndCommit();
  EXPECT_TRUE(Missed().empty()) << "the old due no longer counts";
  t_->clock().Set(extended_due);
  TickAndCommit();
  ASSERT_EQ(Missed().size(), 1u);
  EXPECT_EQ(time::FromProto(Missed()[0].deadline_missed().due_at()),
            extended_due);
}

TEST_F(SupervisionServiceTest, PausedDeadlineDoesNotFireAndResumesWithNewDue) {
  // DOMAIN.md Deadlines: re-review 30 days, hearing (听证) time not counted.
  absl::Time requested = svctest::ChinaTime(2027, 3, 1, 9, 0);
  absl::Time due = svctest::ChinaTime(2027, 4, 1, 0, 0);
  RunningDeadline rereview = Running(caserelay::v1::DEADLINE_KIND_REREVIEW,
                                     requested, due, "140400:bureau");
  ApplyAndCommit(Event(1, requested, {rereview}));

  absl::Time hearing = svctest::ChinaTime(2027, 3, 20, 9, 0);
  *rereview.mutable_paused_at() = time::ToProto(hearing);
  ApplyAndCommit(Event(2, hearing, {rereview}));
  std::vector<Deadline> d = List();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].state(), caserelay::v1::DEADLINE_STATE_PAUSED);
  EXPECT_EQ(time::FromProto(d[0].paused_at()), hearing);
  EXPECT_EQ(Timers(), 0);

  t_->clock().Set(due + absl::Hours(24 * 5));
  TickAndCommit();
  EXPECT_TRUE(Missed().empty()) << "a paused deadline's timer must not fire";

  // The hearing took 10 days: the due moves 10 days later.
  absl::Time resumed = hearing + absl::Hours(24 * 10);
  absl::Time new_due = due + absl::Hours(24 * 10);
  rereview.clear_paused_at();
  *rereview.mutable_due_at() = time::ToProto(new_due);
  t_->clock().Set(resumed);
  ApplyAndCommit(Event(3, resumed, {rereview}));
  d = List();
  EXPECT_EQ(d[0].state(), caserelay::v1::DEADLINE_STATE_ARMED);
  EXPECT_FALSE(d[0].has_paused_at());
  EXPECT_EQ(time::FromProto(d[0].due_at()), new_due);

  t_->clock().Set(new_due - absl::Seconds(1));
  TickAndCommit();
  EXPECT_TRUE(Missed().empty());
  t_->clock().Set(new_due);
  TickAndCommit();
  EXPECT_EQ(Missed().size(), 1u);
}

TEST_F(SupervisionServiceTest, AppliedSequenceIsSkipped) {
  ApplyAndCommit(Event(1, Received(), {Transfer()}));
  ApplyAndCommit(Event(2, Received() + absl::Hours(1), {Transfer()}));
  for (uint64_t seq : {1u, 2u}) {
    store::WriteBatch batch(&t_->store());
    ASSERT_EQ(
        service_->Apply(Event(seq, Received() + absl::Hours(2), {}), batch)
            .code(),
        absl::StatusCode::kOk);
    EXPECT_TRUE(batch.empty()) << "sequence " << seq << " was applied";
  }
  EXPECT_EQ(List()[0].state(), caserelay::v1::DEADLINE_STATE_ARMED);
}

// Issue 22 item 5: event 3 before event 2 is a gap: not applied out of
// order (the consume loop holds it), nothing written.
TEST_F(SupervisionServiceTest, EventAfterAMissingOneIsASequenceGapAndWritesNothing) {
  ApplyAndCommit(Event(1, Received(), {Transfer()}));
  store::WriteBatch batch(&t_->store());
  absl::Status gap =
      service_->Apply(Event(3, Received() + absl::Hours(2), {}), batch);
  EXPECT_TRUE(service::IsSequenceGap(gap)) << gap;
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(List()[0].state(), caserelay::v1::DEADLINE_STATE_ARMED);
}

TEST_F(SupervisionServiceTest, EventsOfOneCaseInOneBatchBuildOnEachOther) {
  // A poll brings REGISTER and TRANSFER together: the second must see the
  // first's uncommitted writes.
  store::WriteBatch batch(&t_->store());
  ASSERT_EQ(service_->Apply(Event(1, Received(), {Transfer()}), batch).code(),
            absl::StatusCode::kOk);
  absl::Time transferred = Received() + absl::Hours(3);
  RunningDeadline acceptance =
      Running(caserelay::v1::DEADLINE_KIND_ACCEPTANCE, transferred,
              svctest::ChinaTime(2026, 12, 8, 0, 0), "140431:labour");
  ASSERT_EQ(service_->Apply(Event(2, transferred, {acceptance}), batch).code(),
            absl::StatusCode::kOk);
  ASSERT_EQ(service_->Apply(Event(2, transferred, {}), batch).code(),
            absl::StatusCode::kOk);  // duplicate within the batch: skipped
  ASSERT_EQ(t_->publisher().Commit(batch).code(), absl::StatusCode::kOk);

  std::vector<Deadline> d = List();
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].kind(), caserelay::v1::DEADLINE_KIND_TRANSFER);
  EXPECT_EQ(d[0].state(), caserelay::v1::DEADLINE_STATE_DONE);
  EXPECT_EQ(d[1].kind(), caserelay::v1::DEADLINE_KIND_ACCEPTANCE);
  EXPECT_EQ(d[1].state(), caserelay::v1::DEADLINE_STATE_ARMED);
  EXPECT_EQ(Timers(), 2);
}

TEST_F(SupervisionServiceTest, SameKindStartedAgainIsASecondDeadline) {
  // After an objection (异议) the bureau's transfer deadline starts anew.
  ApplyAndCommit(Event(1, Received(), {Transfer()}));
  absl::Time back = svctest::ChinaTime(2026, 11, 30, 9, 0);
  ApplyAndCommit(Event(
      2, back,
      {Running(caserelay::v1::DEADLINE_KIND_TRANSFER, back,
               svctest::ChinaTime(2026, 12, 16, 0, 0), "140431:bureau")}));
  std::vector<Deadline> d = List();
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].state(), caserelay::v1::DEADLINE_STATE_DONE);
  EXPECT_EQ(d[1].state(), caserelay::v1::DEADLINE_STATE_ARMED);
  EXPECT_NE(d[0].deadline_id(), d[1].deadline_id());
}

TEST_F(SupervisionServiceTest, MissedIsNotFiredAgainAfterARestart) {
  ApplyAndCommit(Event(1, Received(), {Transfer()}));
  t_->clock().Set(TransferDue() + absl::Hours(1));
  TickAndCommit();
  Make();  // a restart: a new service over the same store
  TickAndCommit();
  ApplyAndCommit(Event(1, Received(), {Transfer()}));  // redelivered
  TickAndCommit();
  EXPECT_EQ(Missed().size(), 1u);
}

TEST_F(SupervisionServiceTest, TickFiresAtMostFireBatchTimers) {
  MakeMissesOnly(/*fire_batch=*/1);
  ApplyAndCommit(Event(1, Received(), {Transfer()}));
  ApplyAndCommit(Event(1, Received(), {Transfer()}, "140431-20261122-000002"));
  t_->clock().Set(TransferDue());
  TickAndCommit();
  EXPECT_EQ(Missed().size(), 1u);
  TickAndCommit();
  EXPECT_EQ(Missed().size(), 2u);
}

TEST_F(SupervisionServiceTest, MoreDueUntilTheBoundedBatchesEmptyTheDueTimers) {
  MakeMissesOnly(/*fire_batch=*/1);
  ApplyAndCommit(Event(1, Received(), {Transfer()}));
  ApplyAndCommit(Event(1, Received(), {Transfer()}, "140431-20261122-000002"));
  t_->clock().Set(TransferDue());
  TickAndCommit();
  EXPECT_TRUE(service_->MoreDue());  // the loop must not idle: one is left
  TickAndCommit();
  TickAndCommit();
  EXPECT_FALSE(service_->MoreDue());
  EXPECT_EQ(Missed().size(), 2u);
}

TEST_F(SupervisionServiceTest, TimerArmedBehindTheLastScanStillFires) {
  // Ticks start scanning where the last one stopped; a deadline armed
  // later with an earlier due (already overdue when it arrives) must not
  // be skipped.
  MakeMissesOnly();
  ApplyAndCommit(Event(1, Received(), {Transfer()}));
  TickAt(TransferDue() + absl::Hours(24));  // fires, scan moves past now
  ASSERT_EQ(Missed().size(), 1u);
  RunningDeadline early = Transfer();
  *early.mutable_due_at() = time::ToProto(TransferDue() - absl::Hours(1));
  // The event happened before that due, so Apply itself does not miss it.
  ApplyAndCommit(Event(1, Received(), {early}, "140431-20261122-000003"));
  TickAndCommit();
  EXPECT_EQ(Missed().size(), 2u);
}

TEST_F(SupervisionServiceTest, DueWithNanosecondsFiresAtItsMicrosecond) {
  MakeMissesOnly();
  RunningDeadline d = Transfer();
  *d.mutable_due_at() = time::ToProto(TransferDue() + absl::Nanoseconds(1500));
  ApplyAndCommit(Event(1, Received(), {d}));
  TickAt(TransferDue() + absl::Seconds(1));
  EXPECT_EQ(Missed().size(), 1u);
}

TEST_F(SupervisionServiceTest, CorruptRecordDeadLettersItsTimerAndOthersFire) {
  MakeMissesOnly();
  ApplyAndCommit(Event(1, Received(), {Transfer()}));
  ApplyAndCommit(Event(1, Received(), {Transfer()}, "140431-20261122-000002"));
  {
    store::WriteBatch batch(&t_->store());
    batch.Put(kCases, kCase, "\xff not a record");
    ASSERT_EQ(t_->publisher().Commit(batch).code(), absl::StatusCode::kOk);
  }
  TickAt(TransferDue());
  ASSERT_EQ(Missed().size(), 1u);  // the other case is not blocked
  EXPECT_EQ(Missed()[0].case_id(), "140431-20261122-000002");
  EXPECT_EQ(Count("dead-letters"), 1);
  EXPECT_EQ(Timers(), 0);
}

TEST_F(SupervisionServiceTest, EventWithoutSequenceIsInvalidArgument) {
  store::WriteBatch batch(&t_->store());
  EXPECT_EQ(service_->Apply(Event(0, Received(), {Transfer()}), batch).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(batch.empty());
}

TEST_F(SupervisionServiceTest, DeadlineWithoutDueIsInvalidArgument) {
  RunningDeadline broken = Transfer();
  broken.clear_due_at();
  store::WriteBatch batch(&t_->store());
  absl::Status s = service_->Apply(Event(1, Received(), {broken}), batch);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), ::testing::HasSubstr("deadlines[0].due_at"));
  EXPECT_TRUE(batch.empty());
}

// Issue 14 item 5: a record on case-events that carries another payload
// is poison, refused (so dead-lettered with the reason), not skipped.
TEST_F(SupervisionServiceTest, OtherPayloadsAreRefusedWritingNothing) {
  Envelope e;
  e.set_event_id("supervision/x");
  e.set_case_id(kCase);
  e.mutable_deadline_missed()->set_deadline_id("d1");
  store::WriteBatch batch(&t_->store());
  absl::Status s = service_->Apply(e, batch);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "case-events: event supervision/x carries deadline_missed, not "
            "case_event");
  EXPECT_TRUE(batch.empty());
}

TEST_F(SupervisionServiceTest, ListDeadlinesOfAnUnknownCaseIsEmpty) {
  EXPECT_TRUE(List("140431-20261122-999999").empty());
}

TEST_F(SupervisionServiceTest, ListDeadlinesWithoutCaseIdIsInvalidArgument) {
  caserelay::v1::ListDeadlinesRequest req;
  caserelay::v1::ListDeadlinesResponse resp;
  EXPECT_EQ(service_->ListDeadlines(nullptr, &req, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// --- facts for the indicators (case_facts.h) ---

TEST_F(SupervisionServiceTest, EveryCaseEventUpdatesTheFacts) {
  Envelope reply = Event(1, Received(), {});
  reply.mutable_case_event()->set_action(caserelay::v1::CASE_ACTION_REPLY);
  reply.mutable_case_event()->set_to_state(caserelay::v1::CASE_STATE_REPLIED);
  reply.mutable_case_event()->set_actor_office_code("140431:hrss");
  ApplyAndCommit(reply);
  store::WriteBatch batch(&t_->store());
  auto record = LoadCase(batch, kCase);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->facts().state(), caserelay::v1::CASE_STATE_REPLIED);
  EXPECT_EQ(record->facts().handling_office_code(), "140431:hrss");
  EXPECT_EQ(record->sequence(), 1u);
}

TEST_F(SupervisionServiceTest, EventTheFactsRefuseWritesNothing) {
  Envelope broken = Event(1, Received(), {Transfer()});
  broken.mutable_case_event()->clear_to_state();
  store::WriteBatch batch(&t_->store());
  EXPECT_EQ(service_->Apply(broken, batch).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(batch.empty());
}

}  // namespace
}  // namespace caserelay::supervision::testing
