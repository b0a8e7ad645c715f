// 提级办理 and 更正登记 through the real processes on the simulated clock
// (issue 18 items 5 and 6; must show: "a 提级 case keeps its deadlines; a
// correction re-routes the case and the history shows both values"). The
// rules are domain/lifecycle's (escalate_correct.cc, transitions.h
// kRuleEscalate / kRuleCorrect); routing decides a corrected matter with the
// router a new petition goes through.
//
// 1. A labour claim about 沁源县 is transferred by the county bureau to the
//    county 人社局, which accepts it. The county government (same level) may
//    not take it up; 长治市信访局 does (casectl escalate). The handling
//    deadline keeps its due date, is now the city bureau's in routing and in
//    supervision, the petitioner is told, and when it passes unanswered the
//    red light is the city bureau's.
// 2. A claim registered as labour in 沁源县 is corrected, after its
//    transfer, to housing in 武乡县 by the registering bureau (casectl
//    correct): it is registered anew at 武乡县信访局, which the rules now
//    name, the history shows old and new values, and the bureau's transfer
//    goes to 武乡县住房和城乡建设局. Once that office accepts it, a second
//    correction is refused citing the rule (Art. 23: before acceptance).

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/supervision.pb.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "tests/integration/life_steps.h"
#include "tests/integration/progress.h"
#include "tests/integration/supervision_watch.h"

namespace caserelay::testing {
namespace {

namespace v1 = caserelay::v1;

constexpr char kCounty[] = "140431";               // 沁源县
constexpr char kCountyBureau[] = "140431:bureau";  // 沁源县信访局
constexpr char kCountyGov[] = "140431:gov";        // 沁源县人民政府
constexpr char kCountyHrss[] = "140431:hrss";      // 沁源县人社局
constexpr char kCityBureau[] = "140400:bureau";    // 长治市信访局
constexpr char kOtherCounty[] = "140429";          // 武乡县
constexpr char kOtherBureau[] = "140429:bureau";   // 武乡县信访局
constexpr char kOtherHousing[] = "140429:housing";  // 武乡县住建局

// Wed 2026-07-01 09:00 China time.
const absl::Time kStart = China(2026, 7, 1, 9);

// The last event of the case's history.
absl::StatusOr<v1::Envelope> LastEvent(const v1::CaseDetail& detail) {
  v1::Envelope last;
  if (detail.events().empty() ||
      !last.ParseFromString(detail.events(detail.events_size() - 1))) {
    return absl::NotFoundError("no readable last event");
  }
  return last;
}

TEST(EscalateCorrectTest,
     AnEscalatedCaseKeepsItsDeadlinesAndSupervisionFiresAtTheNewHolder) {
  SystemOptions options;
  options.offices = {kCountyBureau, kCountyGov, kCountyHrss, kCityBureau};
  options.simulated_start = kStart;
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& system = **sys;
  Steps steps(system);
  Watch watch(system);
  auto feed = Feed::Open(system, "supervision-events");
  ASSERT_TRUE(feed.ok()) << feed.status();

  const std::string id = steps.Submit(SamplePetition(kCounty, 71));
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(
      steps.AwaitState(kCountyBureau, id, v1::CASE_STATE_REGISTERED).ok());
  system.clock().Set(China(2026, 7, 1, 10));
  v1::ActRequest transfer;
  transfer.mutable_transfer();  // the decision's target: the county 人社局
  ASSERT_TRUE(steps.Act(kCountyBureau, id, transfer).ok());
  system.clock().Set(China(2026, 7, 1, 11));
  v1::ActRequest accept;
  accept.mutable_accept();
  ASSERT_TRUE(steps.Act(kCountyHrss, id, accept).ok());
  auto accepted = steps.AwaitState(kCountyBureau, id, v1::CASE_STATE_ACCEPTED);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  const v1::RunningDeadline* handling =
      Running(accepted->view().deadlines(), v1::DEADLINE_KIND_HANDLING);
  ASSERT_NE(handling, nullptr);
  ASSERT_EQ(handling->office_code(), kCountyHrss);
  const absl::Time due = time::FromProto(handling->due_at());
  const absl::Time started = time::FromProto(handling->started_at());
  ASSERT_TRUE(watch
                  .Await(id, "HANDLING armed",
                         [](const Listing& l) {
                           const v1::Deadline* d =
                               Find(l, v1::DEADLINE_KIND_HANDLING);
                           return d != nullptr &&
                                  d->state() == v1::DEADLINE_STATE_ARMED;
                         })
                  .ok());

  // --- The county's own government is no level above its 人社局. ---
  system.clock().Set(China(2026, 7, 2, 9));
  auto same_level = RunCommand(steps.Casectl(kCountyGov) + " escalate " + id +
                               " --reason 县政府提级");
  EXPECT_NE(same_level.code, 0) << same_level.output;
  EXPECT_TRUE(absl::StrContains(same_level.output, "PERMISSION_DENIED"))
      << same_level.output;

  // --- 长治市信访局 takes it up (casectl escalate). ---
  auto escalated = RunCommand(steps.Casectl(kCityBureau) + " escalate " + id +
                              " --reason 久拖未决，市信访局提级办理");
  ASSERT_EQ(escalated.code, 0) << escalated.output;
  auto after = steps.Get(kCityBureau, id);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->view().state(), v1::CASE_STATE_ACCEPTED);
  EXPECT_EQ(after->view().office_code(), kCityBureau);
  EXPECT_EQ(after->view().escalated_from_office_code(), kCountyHrss);
  const v1::RunningDeadline* moved =
      Running(after->view().deadlines(), v1::DEADLINE_KIND_HANDLING);
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(moved->office_code(), kCityBureau);
  EXPECT_EQ(time::FromProto(moved->due_at()), due);
  EXPECT_EQ(time::FromProto(moved->started_at()), started);
  auto last = LastEvent(*after);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(last->case_event().action(), v1::CASE_ACTION_ESCALATE);
  EXPECT_EQ(last->case_event().escalated_from_office_code(), kCountyHrss);
  EXPECT_EQ(last->case_event().reason(), "久拖未决，市信访局提级办理");
  // The history says it in words (casectl show).
  auto shown = RunCommand(steps.Casectl(kCityBureau) + " show " + id);
  ASSERT_EQ(shown.code, 0) << shown.output;
  EXPECT_TRUE(absl::StrContains(shown.output, "提级 taken up from: "))
      << shown.output;
  // The county's 人社局 no longer acts on it.
  v1::ActRequest reply;
  reply.mutable_reply()->set_outcome(v1::OUTCOME_SUPPORT);
  EXPECT_EQ(steps.Act(kCountyHrss, id, reply).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Supervision: the same deadline (same start and due), now the city
  // bureau's; the petitioner is told who handles it (escalated SMS).
  auto mirrored = watch.Await(id, "HANDLING at the city bureau",
                              [&](const Listing& l) {
                                const v1::Deadline* d =
                                    Find(l, v1::DEADLINE_KIND_HANDLING);
                                return d != nullptr &&
                                       d->office_code() == kCityBureau;
                              });
  ASSERT_TRUE(mirrored.ok()) << mirrored.status();
  const v1::Deadline* watched = Find(*mirrored, v1::DEADLINE_KIND_HANDLING);
  EXPECT_EQ(watched->state(), v1::DEADLINE_STATE_ARMED);
  EXPECT_EQ(time::FromProto(watched->due_at()), due);
  steps.ExpectSms(id, {"received", "transferred", "accepted", "escalated"});

  // --- Unanswered past its due: the miss and the red light are the city
  // bureau's, not the county 人社局's. ---
  system.clock().Set(due + absl::Hours(9));
  auto missed = (*feed)->Await(id, v1::Envelope::kDeadlineMissed);
  ASSERT_TRUE(missed.ok()) << missed.status();
  EXPECT_EQ(missed->deadline_missed().kind(), v1::DEADLINE_KIND_HANDLING);
  EXPECT_EQ(missed->deadline_missed().office_code(), kCityBureau);
  EXPECT_EQ(time::FromProto(missed->deadline_missed().due_at()), due);
  auto lights = watch.Lights("140400");
  ASSERT_TRUE(lights.ok()) << lights.status();
  ASSERT_GE(lights->lights_size(), 1);
  EXPECT_EQ(lights->lights(0).deadline().kind(), v1::DEADLINE_KIND_HANDLING);
  EXPECT_EQ(lights->lights(0).deadline().office_code(), kCityBureau);
}

TEST(EscalateCorrectTest,
     ACorrectionReRoutesByTheRulesAndIsRefusedAfterAcceptance) {
  SystemOptions options;
  options.offices = {kCountyBureau, kCountyHrss, kOtherBureau, kOtherHousing};
  options.simulated_start = kStart;
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& system = **sys;
  Steps steps(system);
  Watch watch(system);
  const std::string county = steps.Casectl(kCountyBureau);

  const std::string id = steps.Submit(SamplePetition(kCounty, 72));
  ASSERT_FALSE(id.empty());
  auto registered =
      steps.AwaitState(kCountyBureau, id, v1::CASE_STATE_REGISTERED);
  ASSERT_TRUE(registered.ok()) << registered.status();
  const v1::RunningDeadline* first =
      Running(registered->view().deadlines(), v1::DEADLINE_KIND_TRANSFER);
  ASSERT_NE(first, nullptr);
  const absl::Time transfer_due = time::FromProto(first->due_at());
  system.clock().Set(China(2026, 7, 1, 10));
  v1::ActRequest transfer;
  transfer.mutable_transfer();
  ASSERT_TRUE(steps.Act(kCountyBureau, id, transfer).ok());
  ASSERT_TRUE(
      steps.AwaitState(kCountyBureau, id, v1::CASE_STATE_TRANSFERRED).ok());

  // The organ it was sent to does not correct the registration.
  system.clock().Set(China(2026, 7, 1, 11));
  auto by_organ = RunCommand(steps.Casectl(kCountyHrss) + " correct " + id +
                             " --category housing --reason x");
  EXPECT_NE(by_organ.code, 0) << by_organ.output;
  EXPECT_TRUE(absl::StrContains(by_organ.output, "PERMISSION_DENIED"))
      << by_organ.output;

  // --- The registering bureau corrects it: housing, in 武乡县. ---
  auto corrected =
      RunCommand(county + " correct " + id + " --category housing --region " +
                 kOtherCounty + " --reason 登记时事项类别和发生地有误");
  ASSERT_EQ(corrected.code, 0) << corrected.output;
  auto after = steps.Get(kOtherBureau, id);
  ASSERT_TRUE(after.ok()) << after.status();
  const v1::CaseView& view = after->view();
  EXPECT_EQ(view.state(), v1::CASE_STATE_REGISTERED);
  EXPECT_EQ(view.office_code(), kOtherBureau);
  EXPECT_EQ(view.matter().category(), "housing");
  EXPECT_EQ(view.matter().region_code(), kOtherCounty);
  EXPECT_EQ(view.decision().registering_office_code(), kOtherBureau);
  EXPECT_EQ(view.decision().target_office_code(), kOtherHousing);
  ASSERT_FALSE(view.decision().rule_texts().empty());  // the rules in words
  // Art. 22: still 15 days from the original receipt.
  const v1::RunningDeadline* again =
      Running(view.deadlines(), v1::DEADLINE_KIND_TRANSFER);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->office_code(), kOtherBureau);
  EXPECT_EQ(time::FromProto(again->due_at()), transfer_due);
  auto last = LastEvent(*after);
  ASSERT_TRUE(last.ok()) << last.status();
  const v1::CaseEvent& e = last->case_event();
  EXPECT_EQ(e.action(), v1::CASE_ACTION_CORRECT);
  EXPECT_EQ(e.actor_office_code(), kCountyBureau);
  EXPECT_EQ(e.correction().old_category(), "labour");
  EXPECT_EQ(e.correction().new_category(), "housing");
  EXPECT_EQ(e.correction().old_region_code(), kCounty);
  EXPECT_EQ(e.correction().new_region_code(), kOtherCounty);
  // The history shows both values (casectl show, in words).
  auto shown = RunCommand(steps.Casectl(kOtherBureau) + " show " + id);
  ASSERT_EQ(shown.code, 0) << shown.output;
  for (const char* want :
       {"更正 事项类别 (category): labour → housing",
        "更正 事项发生地 (region): 140431 → 140429"}) {
    EXPECT_TRUE(absl::StrContains(shown.output, want))
        << want << "\n" << shown.output;
  }
  // Supervision follows: the transfer deadline is the new bureau's.
  auto mirrored = watch.Await(id, "TRANSFER at 武乡县信访局",
                              [](const Listing& l) {
                                const v1::Deadline* d =
                                    Find(l, v1::DEADLINE_KIND_TRANSFER);
                                return d != nullptr &&
                                       d->office_code() == kOtherBureau &&
                                       d->state() ==
                                           v1::DEADLINE_STATE_ARMED;
                              });
  EXPECT_TRUE(mirrored.ok()) << mirrored.status();

  // --- The new bureau transfers it to the office the rules now name. ---
  system.clock().Set(China(2026, 7, 1, 12));
  ASSERT_TRUE(steps.Act(kOtherBureau, id, transfer).ok());
  auto sent = steps.AwaitState(kOtherBureau, id, v1::CASE_STATE_TRANSFERRED);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->view().office_code(), kOtherHousing);
  system.clock().Set(China(2026, 7, 1, 13));
  v1::ActRequest accept;
  accept.mutable_accept();
  ASSERT_TRUE(steps.Act(kOtherHousing, id, accept).ok());
  ASSERT_TRUE(
      steps.AwaitState(kOtherBureau, id, v1::CASE_STATE_ACCEPTED).ok());

  // --- After acceptance the registration is not corrected (Art. 23). ---
  system.clock().Set(China(2026, 7, 1, 14));
  auto late = RunCommand(steps.Casectl(kOtherBureau) + " correct " + id +
                         " --class suggestion --reason 类型有误");
  EXPECT_NE(late.code, 0) << late.output;
  EXPECT_TRUE(absl::StrContains(late.output, "FAILED_PRECONDITION"))
      << late.output;
  EXPECT_TRUE(absl::StrContains(late.output, "before the organ accepts it"))
      << late.output;
  auto unchanged = steps.Get(kOtherBureau, id);
  ASSERT_TRUE(unchanged.ok()) << unchanged.status();
  EXPECT_EQ(unchanged->view().matter().matter_class(),
            v1::MATTER_CLASS_CLAIM);
}

}  // namespace
}  // namespace caserelay::testing
