// A SupervisionIssued that routing must not record (services/routing
// README: "A supervision id already in the case's history ... is skipped;
// an unknown case is dead-lettered (NOT_FOUND)"): the same instrument
// published again under another event id (a replay, or a second
// supervision instance), and one for a case routing does not have.

#include <string>

#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/life_steps.h"
#include "tests/integration/progress.h"
#include "tests/integration/supervision_watch.h"

namespace caserelay::testing {
namespace {

namespace v1 = caserelay::v1;

constexpr char kTownship[] = "140431100";          // 沁河镇, 沁源县
constexpr char kCountyBureau[] = "140431:bureau";  // 沁源县信访局
constexpr char kApplied[] = "caserelay_events_applied_total";
constexpr char kDeadLetters[] = "caserelay_events_dead_letter_total";

// Polls routing's /metrics until `name` reaches `at_least` (10 s); its
// last value.
double AwaitMetric(const System& sys, const std::string& name,
                   double at_least) {
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  double value = -1;
  while (absl::Now() < give_up) {
    auto got = sys.MetricSum("routing", name);
    EXPECT_TRUE(got.ok()) << got.status();
    if (got.ok()) value = *got;
    if (value >= at_least) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return value;
}

int SupervisionReplies(const v1::CaseDetail& detail) {
  int n = 0;
  for (const v1::RunningDeadline& d : detail.view().deadlines()) {
    if (d.kind() == v1::DEADLINE_KIND_SUPERVISION_REPLY) ++n;
  }
  return n;
}

TEST(SupervisionTest, ReplayedOrStraySupervisionIssuedAddsNothingToAnyCase) {
  SystemOptions options;
  options.offices = {kCountyBureau};
  options.simulated_start = China(2026, 7, 1, 9);
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& system = **sys;
  Steps steps(system);
  Watch watch(system);
  auto feed = Feed::Open(system, "supervision-events");
  ASSERT_TRUE(feed.ok()) << feed.status();

  // A real 督办函: the transfer (due 07-17 00:00) is missed.
  const std::string id = steps.Submit(SamplePetition(kTownship, 51));
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(watch
                  .Await(id, "TRANSFER armed",
                         [](const Listing& l) {
                           return Find(l, v1::DEADLINE_KIND_TRANSFER) !=
                                  nullptr;
                         })
                  .ok());
  system.clock().Set(China(2026, 7, 18, 9));
  auto issued = (*feed)->Await(id, v1::Envelope::kSupervisionIssued);
  ASSERT_TRUE(issued.ok()) << issued.status();
  ASSERT_TRUE(AwaitEvent(steps, id, issued->event_id() + "/supervised").ok());
  auto before = steps.Get(System::kProvinceBureau, id);
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_EQ(SupervisionReplies(*before), 1);
  const int events = before->events_size();
  // Everything that miss leads to has happened (supervision's own events
  // are applied by routing too), so the counts below are the baseline.
  ASSERT_EQ(AwaitCaughtUp(system, China(2026, 7, 18, 9)), absl::OkStatus());
  auto applied = system.MetricSum("routing", kApplied);
  ASSERT_TRUE(applied.ok()) << applied.status();
  auto dead = system.MetricSum("routing", kDeadLetters);
  ASSERT_TRUE(dead.ok()) << dead.status();

  // The same instrument under a new event id: applied, and skipped.
  v1::Envelope replay = *issued;
  replay.set_event_id(absl::StrCat(issued->event_id(), "/replayed"));
  ASSERT_TRUE(Publish(system, "supervision-events", replay).ok());
  EXPECT_GE(AwaitMetric(system, kApplied, *applied + 1), *applied + 1)
      << "routing did not apply the replayed SupervisionIssued";
  // Routing has committed what it did with the replay (and all before it).
  ASSERT_EQ(AwaitInputsApplied(system, "routing", "supervision-events"),
            absl::OkStatus());
  auto after = steps.Get(System::kProvinceBureau, id);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->events_size(), events);
  EXPECT_EQ(after->view().version(), before->view().version());
  EXPECT_EQ(SupervisionReplies(*after), 1);
  // Not a dead letter either (read once routing is past the replay; a
  // wait for the count to reach what it already is would prove nothing).
  auto dead_after = system.MetricSum("routing", kDeadLetters);
  ASSERT_TRUE(dead_after.ok()) << dead_after.status();
  EXPECT_EQ(*dead_after, *dead);

  // An instrument for a case routing does not have: a dead letter.
  const std::string unknown = "140431-20260701-999999";
  v1::Envelope stray = *issued;
  stray.set_case_id(unknown);
  stray.mutable_supervision_issued()->set_supervision_id(unknown +
                                                         "/supervision/1");
  stray.set_event_id(
      absl::StrCat("supervision/", unknown, "/supervision/1/issued"));
  ASSERT_TRUE(Publish(system, "supervision-events", stray).ok());
  EXPECT_EQ(AwaitMetric(system, kDeadLetters, *dead + 1), *dead + 1);
  auto missing = steps.Get(System::kProvinceBureau, unknown);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound)
      << missing.status();

  // case-events, read from its beginning: nothing of the unknown case,
  // and exactly the real case's history (nothing from the replay).
  auto case_events = Feed::Open(system, "case-events");
  ASSERT_TRUE(case_events.ok()) << case_events.status();
  (*case_events)->Drain(absl::Seconds(5));
  int of_case = 0;
  for (const v1::Envelope& e : (*case_events)->seen()) {
    EXPECT_NE(e.case_id(), unknown) << e.event_id();
    if (e.case_id() == id) ++of_case;
  }
  EXPECT_EQ(of_case, events);
  // Routing is still healthy after the dead letter.
  auto health = system.Healthz("routing");
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, 200);
}

}  // namespace
}  // namespace caserelay::testing
