// The yellow light (DeadlineWarning) of SupervisionServiceImpl, with a
// real temp-dir Store and a simulated clock (supervision_fixture.h): it
// comes once per due, supervision.warning_before (72h by default) ahead
// of it; an extension owes a new one, a paused deadline none, a deadline
// already due a red light instead (DOMAIN.md "Deadlines" and
// "Supervision"; the timers: supervision_service_test.cc).

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "common/metrics/metrics.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "services/supervision/deadline_mirror.h"
#include "services/supervision/supervision_service.h"
#include "tests/unit/services/supervision/supervision_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::supervision::testing {
namespace {

using SupervisionServiceTest = SupervisionTest;

TEST_F(SupervisionServiceTest, WarningFiresOnceAtDueMinusWarningBefore) {
  ApplyAndCommit(Event(1, Received(), {Transfer()}));
  const absl::Time window = TransferDue() - absl::Hours(72);
  TickAt(window - absl::Microseconds(1));
  EXPECT_TRUE(Warnings().empty());

  TickAt(window);
  TickAt(window + absl::Hours(1));
  std::vector<Envelope> warnings = Warnings();
  ASSERT_EQ(warnings.size(), 1u);
  const std::string id =
      DeadlineId(kCase, caserelay::v1::DEADLINE_KIND_TRANSFER, Received());
  EXPECT_EQ(warnings[0].event_id(),
            "supervision/" + id + "/warning/" +
                std::to_string(absl::ToUnixMicros(TransferDue())));
  EXPECT_EQ(warnings[0].case_id(), kCase);
  EXPECT_EQ(warnings[0].deadline_warning().deadline_id(), id);
  EXPECT_EQ(warnings[0].deadline_warning().kind(),
            caserelay::v1::DEADLINE_KIND_TRANSFER);
  EXPECT_EQ(warnings[0].deadline_warning().office_code(), "140431:bureau");
  EXPECT_EQ(time::FromProto(warnings[0].deadline_warning().due_at()),
            TransferDue());
  EXPECT_TRUE(List()[0].warned());
  EXPECT_EQ(List()[0].state(), caserelay::v1::DEADLINE_STATE_ARMED);
  EXPECT_TRUE(Missed().empty());
  EXPECT_EQ(Timers(), 1) << "the miss is left";
  EXPECT_EQ(t_->metrics()
                .GetCounter("caserelay_supervision_timers_fired_total", "",
                            {{"kind", "warning"}})
                .Value(),
            1u);
  const metrics::Histogram& lateness = t_->metrics().GetHistogram(
      "caserelay_supervision_firing_lateness_seconds", "",
      {0.01, 0.1, 0.5, 1, 5, 30, 60, 300, 3600, 86400});
  EXPECT_EQ(lateness.CumulativeCounts().front(), 1u) << "fired on time";

  ApplyAndCommit(Event(2, window + absl::Hours(2), {Transfer()}));  // same due
  TickAt(window + absl::Hours(3));
  EXPECT_EQ(Warnings().size(), 1u) << "warned for this due already";
}

TEST_F(SupervisionServiceTest, ExtensionOwesANewWarningOnlyInTheNewWindow) {
  // DOMAIN.md Deadlines: handling 60 days, extension at most 30 (Art. 34).
  absl::Time accepted = svctest::ChinaTime(2026, 12, 1, 9, 0);
  absl::Time due = svctest::ChinaTime(2027, 1, 31, 0, 0);
  absl::Time extended_due = due + absl::Hours(24 * 30);
  RunningDeadline handling = Running(caserelay::v1::DEADLINE_KIND_HANDLING,
                                     accepted, due, "140431:hrss");
  ApplyAndCommit(Event(1, accepted, {handling}));
  TickAt(due - absl::Hours(72));
  ASSERT_EQ(Warnings().size(), 1u);

  *handling.mutable_due_at() = time::ToProto(extended_due);
  ApplyAndCommit(Event(2, due - absl::Hours(48), {handling}));
  EXPECT_FALSE(List()[0].warned()) << "the extension resets the warning";
  TickAt(due - absl::Hours(24));
  TickAt(due + absl::Hours(1));
  TickAt(extended_due - absl::Hours(72) - absl::Seconds(1));
  EXPECT_EQ(Warnings().size(), 1u) << "not before the new window";
  EXPECT_TRUE(Missed().empty());

  TickAt(extended_due - absl::Hours(72));
  std::vector<Envelope> warnings = Warnings();
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(time::FromProto(warnings[1].deadline_warning().due_at()),
            extended_due);
  EXPECT_NE(warnings[1].event_id(), warnings[0].event_id())
      << "a consumer must not take it for a duplicate";
}

TEST_F(SupervisionServiceTest, WarningWindowAlreadyOpenFiresAtTheNextTick) {
  const absl::Time late = TransferDue() - absl::Hours(24);
  t_->clock().Set(late);
  ApplyAndCommit(Event(1, late, {Transfer()}));
  TickAndCommit();
  EXPECT_EQ(Warnings().size(), 1u);
}

TEST_F(SupervisionServiceTest, DeadlineAlreadyDueGetsARedLightNotAYellowOne) {
  ApplyAndCommit(Event(1, Received(), {Transfer()}));
  TickAt(TransferDue() + absl::Hours(1));  // both timers due in one Tick
  EXPECT_TRUE(Warnings().empty());
  EXPECT_EQ(Missed().size(), 1u);
  EXPECT_FALSE(List()[0].warned());
}

TEST_F(SupervisionServiceTest, PausedDeadlineIsNotWarnedAndResumedOneIs) {
  absl::Time requested = svctest::ChinaTime(2027, 3, 1, 9, 0);
  absl::Time due = svctest::ChinaTime(2027, 4, 1, 0, 0);
  RunningDeadline rereview = Running(caserelay::v1::DEADLINE_KIND_REREVIEW,
                                     requested, due, "140400:bureau");
  ApplyAndCommit(Event(1, requested, {rereview}));
  absl::Time hearing = svctest::ChinaTime(2027, 3, 20, 9, 0);
  *rereview.mutable_paused_at() = time::ToProto(hearing);
  ApplyAndCommit(Event(2, hearing, {rereview}));
  EXPECT_EQ(Timers(), 0) << "paused: no timers (听证, Art. 36)";
  TickAt(due - absl::Hours(1));
  EXPECT_TRUE(Warnings().empty());

  absl::Time new_due = due + absl::Hours(24 * 10);
  rereview.clear_paused_at();
  *rereview.mutable_due_at() = time::ToProto(new_due);
  ApplyAndCommit(Event(3, due, {rereview}));
  EXPECT_EQ(Timers(), 2) << "both timers re-armed";
  TickAt(new_due - absl::Hours(72));
  EXPECT_EQ(Warnings().size(), 1u);
}

TEST_F(SupervisionServiceTest, ZeroWarningBeforeTurnsWarningsOff) {
  SupervisionOptions options;
  options.warning_before = absl::ZeroDuration();
  Make(options);
  ApplyAndCommit(Event(1, Received(), {Transfer()}));
  EXPECT_EQ(Timers(), 1);
  TickAt(TransferDue());
  EXPECT_TRUE(Warnings().empty());
  EXPECT_EQ(Missed().size(), 1u);
}

TEST_F(SupervisionServiceTest, WarningSetBeforeASettingChangeStillFires) {
  ApplyAndCommit(Event(1, Received(), {Transfer()}));  // warning at due - 72h
  SupervisionOptions options;
  options.warning_before = absl::Hours(24);
  Make(options);  // restarted with supervision.warning_before = 24h
  TickAt(TransferDue() - absl::Hours(72));
  ASSERT_EQ(Warnings().size(), 1u) << "the timer knows the due it was set for";
  EXPECT_EQ(time::FromProto(Warnings()[0].deadline_warning().due_at()),
            TransferDue());
}

}  // namespace
}  // namespace caserelay::supervision::testing
