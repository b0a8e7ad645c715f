// 督办 by hand and what follows it, through the real processes on the
// simulated clock (issue 18 item 4: "Manual 督办 by a bureau over its
// subtree (Art. 40's grounds), with its reply deadline like the automatic
// one, and the 改进工作建议 / 追责建议 that follow an unanswered or
// unsatisfactory reply, recorded on the case and counted"; must show: "a
// manual 督办 gets its reply deadline and, unanswered, a red light").
// DOMAIN.md "Supervision" and "Deadlines"; the rules are in
// domain/access/supervise_access.h, services/supervision/
// manual_supervision.h and domain/lifecycle/supervision.cc.
//
// A petition about 沁河镇 is sent by 沁源县信访局 to the township
// government, which accepts it. The county bureau supervises it by hand
// (推诿、敷衍、拖延); a bureau of another city is refused. The reply is due
// in 30 days; unanswered, it turns red and is escalated automatically
// (挂牌督办, the same counter). The county bureau then records a 追责建议.

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

constexpr char kTownship[] = "140431100";          // 沁河镇, 沁源县
constexpr char kCountyBureau[] = "140431:bureau";  // 沁源县信访局
constexpr char kCityBureau[] = "140400:bureau";    // 长治市信访局
constexpr char kTownshipGov[] = "140431100:gov";   // 沁河镇人民政府
constexpr char kStranger[] = "140200:bureau";      // 大同市信访局

// Wed 2026-07-01 09:00 China time.
const absl::Time kStart = China(2026, 7, 1, 9);

TEST(ManualSupervisionTest,
     ABureauSupervisesByHandTheReplyGoesRedAndAnAccountabilityProposalFollows) {
  SystemOptions options;
  options.offices = {kCountyBureau, kTownshipGov, kStranger};
  options.simulated_start = kStart;
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& system = **sys;
  Steps steps(system);
  Watch watch(system);
  auto feed = Feed::Open(system, "supervision-events");
  ASSERT_TRUE(feed.ok()) << feed.status();
  const std::string supervision_at =
      absl::StrCat(" --supervision ", system.grpc_address("supervision"));
  const std::string county = steps.Casectl(kCountyBureau);
  const std::string stranger = steps.Casectl(kStranger);

  const std::string id = steps.Submit(SamplePetition(kTownship, 61));
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(
      steps.AwaitState(kCountyBureau, id, v1::CASE_STATE_REGISTERED).ok());
  // The county bureau sends it to the township, which accepts at once.
  system.clock().Set(China(2026, 7, 1, 10));
  v1::ActRequest transfer;
  transfer.mutable_transfer()->set_office_code(kTownshipGov);
  ASSERT_TRUE(steps.Act(kCountyBureau, id, transfer).ok());
  system.clock().Set(China(2026, 7, 1, 11));
  v1::ActRequest accept;
  accept.mutable_accept();
  ASSERT_TRUE(steps.Act(kTownshipGov, id, accept).ok());
  auto accepted = watch.Await(id, "HANDLING armed", [](const Listing& l) {
    const v1::Deadline* d = Find(l, v1::DEADLINE_KIND_HANDLING);
    return d != nullptr && d->state() == v1::DEADLINE_STATE_ARMED;
  });
  ASSERT_TRUE(accepted.ok()) << accepted.status();

  // --- A bureau of another city supervises nothing here (DOMAIN.md
  // Supervision: a bureau over its subtree). ---
  const absl::Time issued_at = China(2026, 7, 2, 9);  // Thu
  system.clock().Set(issued_at);
  auto refused = RunCommand(stranger + supervision_at + " supervise " + id +
                            " --ground shirking");
  EXPECT_NE(refused.code, 0) << refused.output;
  EXPECT_TRUE(absl::StrContains(refused.output, "PERMISSION_DENIED"))
      << refused.output;
  // Nor is a ground given by "other" without its reason (2005 Art. 36).
  auto no_reason = RunCommand(county + supervision_at + " supervise " + id +
                              " --ground other");
  EXPECT_NE(no_reason.code, 0) << no_reason.output;
  EXPECT_TRUE(absl::StrContains(no_reason.output, "INVALID_ARGUMENT"))
      << no_reason.output;

  // --- The county bureau supervises the township by hand. ---
  auto issued = RunCommand(county + supervision_at + " supervise " + id +
                           " --ground shirking --reason 群众反映久拖不决");
  ASSERT_EQ(issued.code, 0) << issued.output;
  const std::string manual_id = id + "/supervision/1";
  EXPECT_TRUE(absl::StrContains(issued.output, manual_id)) << issued.output;
  EXPECT_TRUE(absl::StrContains(issued.output, "推诿、敷衍、拖延"))
      << issued.output;
  auto manual = (*feed)->Await(id, v1::Envelope::kSupervisionIssued);
  ASSERT_TRUE(manual.ok()) << manual.status();
  const v1::SupervisionIssued& letter = manual->supervision_issued();
  EXPECT_EQ(manual->event_id(),
            absl::StrCat("supervision/", manual_id, "/issued"));
  EXPECT_EQ(letter.supervision_id(), manual_id);
  EXPECT_EQ(letter.source(), v1::SUPERVISION_SOURCE_MANUAL);
  EXPECT_EQ(letter.ground(), v1::SUPERVISION_GROUND_SHIRKING);
  EXPECT_EQ(letter.reason(), "群众反映久拖不决");
  EXPECT_EQ(letter.level(), v1::SUPERVISION_LEVEL_LETTER);
  EXPECT_EQ(letter.issuer_office_code(), kCountyBureau);
  EXPECT_EQ(letter.target_office_code(), kTownshipGov);
  EXPECT_FALSE(letter.issued_by().empty());
  EXPECT_EQ(time::FromProto(manual->occurred_at()), issued_at);
  (*feed)->Drain();
  EXPECT_EQ((*feed)->Count(id, v1::Envelope::kSupervisionIssued), 1)
      << "the refused ones published nothing";

  // Routing records it as the automatic one: SUPERVISE, and the township's
  // reply due 30 days later (DOMAIN.md Deadlines, 2005 Art. 36): Thu 07-02
  // + 30 = Sat 08-01, a rest day, moved to Mon 08-03; due at its end.
  const absl::Time reply_due = China(2026, 8, 4);
  auto recorded = AwaitEvent(steps, id, manual->event_id() + "/supervised");
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  const v1::CaseEvent& supervise = recorded->case_event();
  EXPECT_EQ(supervise.action(), v1::CASE_ACTION_SUPERVISE);
  EXPECT_EQ(supervise.actor_office_code(), kCountyBureau);
  EXPECT_EQ(supervise.supervision().source(), v1::SUPERVISION_SOURCE_MANUAL);
  EXPECT_TRUE(absl::StrContains(supervise.reason(), "手动督办"))
      << supervise.reason();
  EXPECT_TRUE(absl::StrContains(supervise.reason(), "推诿、敷衍、拖延"))
      << supervise.reason();
  const v1::RunningDeadline* reply =
      Running(supervise.deadlines(), v1::DEADLINE_KIND_SUPERVISION_REPLY);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(reply->office_code(), kTownshipGov);
  EXPECT_EQ(reply->supervision_id(), manual_id);
  EXPECT_EQ(time::FromProto(reply->due_at()), reply_due);
  auto armed = watch.Await(id, "manual reply armed", [&](const Listing& l) {
    const v1::Deadline* d =
        Find(l, v1::DEADLINE_KIND_SUPERVISION_REPLY, manual_id);
    return d != nullptr && d->state() == v1::DEADLINE_STATE_ARMED;
  });
  ASSERT_TRUE(armed.ok()) << armed.status();
  auto case_now = steps.Get(kCountyBureau, id);
  ASSERT_TRUE(case_now.ok()) << case_now.status();
  ASSERT_EQ(case_now->view().supervisions_size(), 1);
  EXPECT_EQ(time::FromProto(case_now->view().supervisions(0).reply_due_at()),
            reply_due);

  // Before the reply is due nothing follows it (DOMAIN.md Supervision).
  auto early = RunCommand(county + " recommend " + id +
                          " --kind accountability --reason 建议追责");
  EXPECT_NE(early.code, 0) << early.output;
  EXPECT_TRUE(absl::StrContains(early.output, "FAILED_PRECONDITION"))
      << early.output;

  // --- Unanswered past its due: a red light, and the automatic ladder
  // follows the manual letter with 挂牌督办 (the case's one counter). ---
  const absl::Time late = China(2026, 8, 4, 9);
  system.clock().Set(late);
  auto missed = (*feed)->Await(id, v1::Envelope::kDeadlineMissed);
  ASSERT_TRUE(missed.ok()) << missed.status();
  EXPECT_EQ(missed->deadline_missed().kind(),
            v1::DEADLINE_KIND_SUPERVISION_REPLY);
  EXPECT_EQ(missed->deadline_missed().office_code(), kTownshipGov);
  EXPECT_EQ(time::FromProto(missed->deadline_missed().due_at()), reply_due);
  auto lights = watch.Lights("140431");
  ASSERT_TRUE(lights.ok()) << lights.status();
  ASSERT_EQ(lights->lights_size(), 1);
  EXPECT_EQ(lights->lights(0).deadline().kind(),
            v1::DEADLINE_KIND_SUPERVISION_REPLY);
  EXPECT_EQ(lights->lights(0).deadline().supervision_id(), manual_id);
  EXPECT_EQ(lights->lights(0).deadline().office_code(), kTownshipGov);
  auto listed = (*feed)->Await(id, v1::Envelope::kSupervisionIssued, 2);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->supervision_issued().supervision_id(),
            id + "/supervision/2");
  EXPECT_EQ(listed->supervision_issued().source(),
            v1::SUPERVISION_SOURCE_AUTOMATIC);
  EXPECT_EQ(listed->supervision_issued().ground(),
            v1::SUPERVISION_GROUND_MISSED_DEADLINE);
  EXPECT_EQ(listed->supervision_issued().level(),
            v1::SUPERVISION_LEVEL_LISTED);
  EXPECT_EQ(listed->supervision_issued().issuer_office_code(), kCityBureau);

  // --- The county bureau records a 追责建议 on the case (2005 Art. 38). ---
  auto stranger_recommends = RunCommand(stranger + " recommend " + id +
                                        " --kind accountability --reason x");
  EXPECT_NE(stranger_recommends.code, 0) << stranger_recommends.output;
  auto recommended =
      RunCommand(county + " recommend " + id +
                 " --kind accountability --supervision-id 1 --reason "
                 "建议对相关责任人员依规追责");
  ASSERT_EQ(recommended.code, 0) << recommended.output;
  auto after = steps.Get(kCountyBureau, id);
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(after->view().recommendations_size(), 1);
  const v1::Recommendation& r = after->view().recommendations(0);
  EXPECT_EQ(r.kind(), v1::RECOMMENDATION_KIND_ACCOUNTABILITY);
  EXPECT_EQ(r.supervision_id(), manual_id);
  EXPECT_EQ(r.target_office_code(), kTownshipGov);
  v1::Envelope last;
  ASSERT_TRUE(last.ParseFromString(after->events(after->events_size() - 1)));
  EXPECT_EQ(last.case_event().action(), v1::CASE_ACTION_RECOMMEND);
  EXPECT_EQ(last.case_event().actor_office_code(), kCountyBureau);
  EXPECT_EQ(last.case_event().to_state(), v1::CASE_STATE_ACCEPTED);
  // The history says it in words (casectl show).
  auto shown = RunCommand(county + " show " + id);
  ASSERT_EQ(shown.code, 0) << shown.output;
  EXPECT_TRUE(absl::StrContains(shown.output, "追责建议")) << shown.output;
  EXPECT_TRUE(absl::StrContains(shown.output, "推诿、敷衍、拖延"))
      << shown.output;
}

}  // namespace
}  // namespace caserelay::testing
