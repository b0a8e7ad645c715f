// 督办 through the real processes on the simulated clock (issue 4 item 4:
// "Red lights and 督办 on supervision-events ... Routing records
// supervision on the case's history"; item 6: casectl lights, stats).
// DOMAIN.md "Deadlines" and "Supervision"; the rule is in
// services/supervision/escalation.h and README.md, routing's part in
// services/routing/README.md.
//
// A petition about 沁河镇 (140431100) is registered at 沁源县信访局 and
// sent late: yellow light, red light, a 督办函 from 长治市信访局, recorded by
// routing with a 30-day reply deadline the county bureau answers. The
// township government then misses its acceptance notice (督办函 from the
// county bureau) and the reply to it (挂牌督办 from the city bureau), and
// the case cannot be closed until it has answered. A replayed or stray
// SupervisionIssued changes nothing.

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/supervision.pb.h"
#include "common/time/timestamp.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/integration/life_steps.h"
#include "tests/integration/progress.h"
#include "tests/integration/supervision_watch.h"

namespace caserelay::testing {
namespace {

namespace v1 = caserelay::v1;
using google::protobuf::util::MessageDifferencer;

constexpr char kTownship[] = "140431100";          // 沁河镇, 沁源县
constexpr char kCountyBureau[] = "140431:bureau";  // 沁源县信访局
constexpr char kCityBureau[] = "140400:bureau";    // 长治市信访局
constexpr char kTownshipGov[] = "140431100:gov";   // 沁河镇人民政府
constexpr char kStranger[] = "140200:bureau";  // 大同市信访局: no part

// 2026-07-01 09:00 China time, a Wednesday; every deadline below falls in
// 2026, the last year of data/holidays/.
const absl::Time kStart = China(2026, 7, 1, 9);

SystemOptions Simulated() {
  SystemOptions options;
  options.offices = {kCountyBureau, kTownshipGov, kStranger};
  options.simulated_start = kStart;
  return options;
}

// The state of the deadline Find() finds; UNSPECIFIED if there is none.
v1::DeadlineState StateOf(const Listing& listing, v1::DeadlineKind kind,
                          const std::string& supervision_id = "") {
  const v1::Deadline* d = Find(listing, kind, supervision_id);
  return d == nullptr ? v1::DEADLINE_STATE_UNSPECIFIED : d->state();
}

grpc::Status ReplySupervision(Steps& steps, const std::string& office,
                              const std::string& id, const std::string& reason,
                              const std::string& supervision_id = "") {
  v1::ActRequest req;
  req.set_reason(reason);
  req.mutable_reply_supervision()->set_supervision_id(supervision_id);
  return steps.Act(office, id, req);
}

// The words of casectl stats' line for one indicator: name, percentage
// (or "—"), numerator/denominator, then the English name.
using Words = std::vector<std::string>;
Words Figure(const std::string& out, const std::string& name) {
  Words words = WordsOfLine(out, name);
  words.resize(std::min<size_t>(words.size(), 3));
  return words;
}

TEST(SupervisionTest, LateOfficesGetLettersThenListedSupervisionAndMustReply) {
  auto sys = System::Start(Simulated());
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& system = **sys;
  Steps steps(system);
  Watch watch(system);
  auto feed = Feed::Open(system, "supervision-events");
  ASSERT_TRUE(feed.ok()) << feed.status();
  const std::string casectl = steps.Casectl(kCountyBureau);
  const std::string supervision_cli = absl::StrCat(
      casectl, " --supervision ", system.grpc_address("supervision"));
  // casectl stats asks statistics (the indicators' one place, issue 17),
  // once it has applied every case-event the log holds.
  const std::string stats_cli = absl::StrCat(
      casectl, " --statistics ", system.grpc_address("statistics"));
  auto stats_caught_up = [&] {
    return AwaitInputsApplied(system, "statistics", "case-events");
  };

  const std::string id = steps.Submit(SamplePetition(kTownship, 41));
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(
      steps.AwaitState(kCountyBureau, id, v1::CASE_STATE_REGISTERED).ok());

  // DOMAIN.md "Deadlines": transfer within 15 days (Art. 22), the first day
  // not counted: Wed 07-01 + 15 = Thu 07-16, a working day; due at 24:00.
  const absl::Time transfer_due = China(2026, 7, 17);
  auto transfer = watch.Await(id, "TRANSFER armed", [&](const Listing& l) {
    const v1::Deadline* d = Find(l, v1::DEADLINE_KIND_TRANSFER);
    return d != nullptr && d->state() == v1::DEADLINE_STATE_ARMED;
  });
  ASSERT_TRUE(transfer.ok()) << transfer.status();
  const v1::Deadline transfer_deadline =
      *Find(*transfer, v1::DEADLINE_KIND_TRANSFER);
  EXPECT_EQ(time::FromProto(transfer_deadline.due_at()), transfer_due);
  EXPECT_EQ(transfer_deadline.office_code(), kCountyBureau);
  EXPECT_FALSE(transfer_deadline.warned());

  // --- Yellow light: supervision.warning_before (72 h) before the due. ---
  // An hour before the window opens: nothing.
  system.clock().Set(transfer_due - absl::Hours(73));
  // Every service has ticked at that time and published what it had.
  ASSERT_EQ(AwaitCaughtUp(system, transfer_due - absl::Hours(73)),
            absl::OkStatus());
  auto quiet = watch.Get(id);
  ASSERT_TRUE(quiet.ok()) << quiet.status();
  ASSERT_NE(Find(*quiet, v1::DEADLINE_KIND_TRANSFER), nullptr);
  EXPECT_FALSE(Find(*quiet, v1::DEADLINE_KIND_TRANSFER)->warned());
  (*feed)->Drain();
  EXPECT_EQ((*feed)->Count(id, v1::Envelope::kDeadlineWarning), 0);
  // Inside the window (39 h before the due): one DeadlineWarning.
  system.clock().Set(China(2026, 7, 15, 9));
  auto warning = (*feed)->Await(id, v1::Envelope::kDeadlineWarning);
  ASSERT_TRUE(warning.ok()) << warning.status();
  EXPECT_EQ(warning->event_id(),
            absl::StrCat("supervision/", transfer_deadline.deadline_id(),
                         "/warning/", absl::ToUnixMicros(transfer_due)));
  EXPECT_EQ(warning->deadline_warning().kind(), v1::DEADLINE_KIND_TRANSFER);
  EXPECT_EQ(warning->deadline_warning().office_code(), kCountyBureau);
  EXPECT_EQ(time::FromProto(warning->deadline_warning().due_at()),
            transfer_due);
  auto warned = watch.Await(id, "TRANSFER warned", [](const Listing& l) {
    const v1::Deadline* d = Find(l, v1::DEADLINE_KIND_TRANSFER);
    return d != nullptr && d->warned() &&
           d->state() == v1::DEADLINE_STATE_ARMED;
  });
  EXPECT_TRUE(warned.ok()) << warned.status();

  // --- Red light and 督办函 (07-18 09:00, one day and nine hours late). ---
  const absl::Time first_miss = China(2026, 7, 18, 9);
  system.clock().Set(first_miss);
  auto missed = (*feed)->Await(id, v1::Envelope::kDeadlineMissed);
  ASSERT_TRUE(missed.ok()) << missed.status();
  EXPECT_EQ(
      missed->event_id(),
      absl::StrCat("supervision/", transfer_deadline.deadline_id(), "/missed"));
  EXPECT_EQ(missed->deadline_missed().kind(), v1::DEADLINE_KIND_TRANSFER);
  EXPECT_EQ(missed->deadline_missed().office_code(), kCountyBureau);
  auto issued = (*feed)->Await(id, v1::Envelope::kSupervisionIssued);
  ASSERT_TRUE(issued.ok()) << issued.status();
  const v1::SupervisionIssued& letter = issued->supervision_issued();
  const std::string letter_id = id + "/supervision/1";
  EXPECT_EQ(issued->event_id(),
            absl::StrCat("supervision/", letter_id, "/issued"));
  EXPECT_EQ(letter.supervision_id(), letter_id);
  EXPECT_EQ(letter.level(), v1::SUPERVISION_LEVEL_LETTER);
  // escalation.h: the late office is the county's bureau itself, so the
  // bureau of the parent region (长治市) issues the letter.
  EXPECT_EQ(letter.issuer_office_code(), kCityBureau);
  EXPECT_EQ(letter.target_office_code(), kCountyBureau);
  EXPECT_EQ(letter.missed_deadline_id(), transfer_deadline.deadline_id());
  EXPECT_EQ(letter.missed_kind(), v1::DEADLINE_KIND_TRANSFER);
  EXPECT_EQ(time::FromProto(letter.missed_due_at()), transfer_due);
  EXPECT_EQ(letter.miss_count(), 1);
  EXPECT_EQ(time::FromProto(issued->occurred_at()), first_miss);

  auto lights = watch.Lights("140431");
  ASSERT_TRUE(lights.ok()) << lights.status();
  ASSERT_EQ(lights->lights_size(), 1);
  EXPECT_EQ(lights->lights(0).deadline().deadline_id(),
            transfer_deadline.deadline_id());
  EXPECT_EQ(lights->lights(0).overdue_days(), 1);
  EXPECT_EQ(lights->lights(0).supervision(), v1::SUPERVISION_LEVEL_LETTER);
  auto board = RunCommand(supervision_cli + " lights --region 140431");
  ASSERT_EQ(board.code, 0) << board.output;
  EXPECT_TRUE(absl::StrContains(board.output, id)) << board.output;
  EXPECT_TRUE(absl::StrContains(board.output, "letter (督办函)"))
      << board.output;
  EXPECT_TRUE(absl::StrContains(board.output, "1 red light in region 140431"))
      << board.output;

  // Routing records it: a SUPERVISE event and the bureau's reply deadline,
  // 30 days from the letter (Fri 07-18 + 30 = Sun 08-16, moved to Mon 08-17).
  const absl::Time letter_reply_due = China(2026, 8, 18);
  auto recorded = AwaitEvent(steps, id, issued->event_id() + "/supervised");
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  const v1::CaseEvent& supervise = recorded->case_event();
  EXPECT_EQ(supervise.action(), v1::CASE_ACTION_SUPERVISE);
  EXPECT_EQ(supervise.actor_office_code(), kCityBureau);
  EXPECT_EQ(supervise.operator_(), "supervision");
  EXPECT_EQ(supervise.from_state(), v1::CASE_STATE_REGISTERED);
  EXPECT_EQ(supervise.to_state(), v1::CASE_STATE_REGISTERED);
  EXPECT_EQ(supervise.holder_office_code(), kCountyBureau);
  EXPECT_TRUE(MessageDifferencer::Equals(supervise.supervision(), letter));
  const v1::RunningDeadline* reply =
      Running(supervise.deadlines(), v1::DEADLINE_KIND_SUPERVISION_REPLY);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(reply->office_code(), kCountyBureau);
  EXPECT_EQ(reply->supervision_id(), letter_id);
  EXPECT_EQ(time::FromProto(reply->started_at()), first_miss);
  EXPECT_EQ(time::FromProto(reply->due_at()), letter_reply_due);
  EXPECT_NE(Running(supervise.deadlines(), v1::DEADLINE_KIND_TRANSFER),
            nullptr);
  // Supervision mirrors it.
  auto mirrored = watch.Await(id, "letter reply armed", [&](const Listing& l) {
    const v1::Deadline* d =
        Find(l, v1::DEADLINE_KIND_SUPERVISION_REPLY, letter_id);
    return d != nullptr && d->state() == v1::DEADLINE_STATE_ARMED;
  });
  ASSERT_TRUE(mirrored.ok()) << mirrored.status();
  const v1::Deadline* mirror =
      Find(*mirrored, v1::DEADLINE_KIND_SUPERVISION_REPLY, letter_id);
  EXPECT_EQ(mirror->office_code(), kCountyBureau);
  EXPECT_EQ(time::FromProto(mirror->due_at()), letter_reply_due);
  EXPECT_EQ(StateOf(*mirrored, v1::DEADLINE_KIND_TRANSFER),
            v1::DEADLINE_STATE_MISSED);
  ASSERT_EQ(mirrored->supervisions_size(), 1);
  EXPECT_TRUE(MessageDifferencer::Equals(mirrored->supervisions(0), letter));
  auto listed_by_cli = RunCommand(supervision_cli + " deadlines " + id);
  ASSERT_EQ(listed_by_cli.code, 0) << listed_by_cli.output;
  EXPECT_TRUE(absl::StrContains(listed_by_cli.output, "督办 (supervision): 1"))
      << listed_by_cli.output;
  EXPECT_TRUE(absl::StrContains(listed_by_cli.output, letter_id))
      << listed_by_cli.output;
  EXPECT_TRUE(
      absl::StrContains(listed_by_cli.output, "reply: due 2026-08-17, armed"))
      << listed_by_cli.output;
  auto figures = watch.Indicators("140431", China(2026, 7, 1));
  ASSERT_TRUE(figures.ok()) << figures.status();
  EXPECT_EQ(figures->total().backlog(), 1);  // TRANSFER overdue, not ended

  // --- The bureau assigns late (Mon 07-20 10:00): the red light clears. ---
  const absl::Time assigned_at = China(2026, 7, 20, 10);
  system.clock().Set(assigned_at);
  v1::ActRequest assign;
  assign.mutable_assign();
  grpc::Status s = steps.Act(kCountyBureau, id, assign);
  ASSERT_TRUE(s.ok()) << s.error_message();
  auto ended = watch.Await(id, "TRANSFER ended", [](const Listing& l) {
    const v1::Deadline* d = Find(l, v1::DEADLINE_KIND_TRANSFER);
    return d != nullptr && d->has_ended_at();
  });
  ASSERT_TRUE(ended.ok()) << ended.status();
  const v1::Deadline* late = Find(*ended, v1::DEADLINE_KIND_TRANSFER);
  EXPECT_EQ(late->state(), v1::DEADLINE_STATE_MISSED);
  EXPECT_EQ(time::FromProto(late->ended_at()), assigned_at);
  lights = watch.Lights("140431");
  ASSERT_TRUE(lights.ok()) << lights.status();
  EXPECT_EQ(lights->lights_size(), 0);
  // July's figures by casectl on the simulated month: 0/1 transfers in time.
  ASSERT_TRUE(stats_caught_up().ok());
  auto july =
      RunCommand(absl::StrCat("CASERELAY_CLOCK_FILE=", system.dir(), "/clock ",
                              stats_cli, " stats --region 140431"));
  ASSERT_EQ(july.code, 0) << july.output;
  EXPECT_TRUE(absl::StrContains(july.output,
                                "period: 2026-07-01 00:00:00 to "
                                "2026-07-20 10:00:00"))
      << july.output;
  EXPECT_EQ(Figure(july.output, "及时受理率(信访部门)"),
            (Words{"及时受理率(信访部门)", "0.0%", "0/1"}))
      << july.output;
  EXPECT_EQ(Figure(july.output, "积案"), (Words{"积案", "0", "backlog:"}))
      << july.output;

  // --- The bureau answers the 督办; it no longer holds the case. ---
  EXPECT_EQ(ReplySupervision(steps, kStranger, id, "无关").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ReplySupervision(steps, kCountyBureau, id, "").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // a reason is required
  // Nor may the holder answer a 督办 addressed to the bureau.
  EXPECT_EQ(ReplySupervision(steps, kTownshipGov, id, "代答").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto replied = RunCommand(casectl + " reply-supervision " + id +
                            " --reason 已约谈经办人限期交办");
  ASSERT_EQ(replied.code, 0) << replied.output;
  auto done = watch.Await(id, "letter reply done", [&](const Listing& l) {
    const v1::Deadline* d =
        Find(l, v1::DEADLINE_KIND_SUPERVISION_REPLY, letter_id);
    return d != nullptr && d->state() == v1::DEADLINE_STATE_DONE;
  });
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(time::FromProto(
                Find(*done, v1::DEADLINE_KIND_SUPERVISION_REPLY, letter_id)
                    ->ended_at()),
            assigned_at);
  // Nothing more to answer: the bureau, neither holder nor supervised any
  // more, is refused before anything else (routing README, Act).
  EXPECT_EQ(ReplySupervision(steps, kCountyBureau, id, "再次回复").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto again =
      RunCommand(casectl + " reply-supervision " + id + " --reason 再次回复");
  EXPECT_EQ(again.code, 1) << again.output;
  auto history = steps.Get(kCountyBureau, id);
  ASSERT_TRUE(history.ok()) << history.status();
  v1::Envelope answer;
  ASSERT_TRUE(
      answer.ParseFromString(history->events(history->events_size() - 1)));
  EXPECT_EQ(answer.case_event().action(), v1::CASE_ACTION_REPLY_SUPERVISION);
  EXPECT_EQ(answer.case_event().actor_office_code(), kCountyBureau);
  EXPECT_EQ(answer.case_event().supervision().supervision_id(), letter_id);
  EXPECT_EQ(answer.case_event().to_state(), v1::CASE_STATE_ASSIGNED);

  // --- Escalation. The township misses its acceptance notice (Mon 07-20
  // + 15 = Tue 08-04, due 08-05 00:00): a 督办函 from the county bureau (a
  // township's organs answer to the county's 信访局). ---
  const absl::Time second_miss = China(2026, 8, 6, 9);
  system.clock().Set(second_miss);
  auto letter2 = (*feed)->Await(id, v1::Envelope::kSupervisionIssued, 2);
  ASSERT_TRUE(letter2.ok()) << letter2.status();
  const std::string letter2_id = id + "/supervision/2";
  EXPECT_EQ(letter2->supervision_issued().supervision_id(), letter2_id);
  EXPECT_EQ(letter2->supervision_issued().level(),
            v1::SUPERVISION_LEVEL_LETTER);
  EXPECT_EQ(letter2->supervision_issued().issuer_office_code(), kCountyBureau);
  EXPECT_EQ(letter2->supervision_issued().target_office_code(), kTownshipGov);
  EXPECT_EQ(letter2->supervision_issued().missed_kind(),
            v1::DEADLINE_KIND_ACCEPTANCE);
  EXPECT_EQ(time::FromProto(letter2->supervision_issued().missed_due_at()),
            China(2026, 8, 5));
  EXPECT_EQ(letter2->supervision_issued().miss_count(), 1);
  // Its reply: Thu 08-06 + 30 = Sat 09-05, moved to Mon 09-07.
  auto recorded2 = AwaitEvent(steps, id, letter2->event_id() + "/supervised");
  ASSERT_TRUE(recorded2.ok()) << recorded2.status();
  EXPECT_EQ(recorded2->case_event().actor_office_code(), kCountyBureau);
  const v1::RunningDeadline* reply2 = Running(
      recorded2->case_event().deadlines(), v1::DEADLINE_KIND_SUPERVISION_REPLY);
  ASSERT_NE(reply2, nullptr);
  EXPECT_EQ(reply2->office_code(), kTownshipGov);
  EXPECT_EQ(time::FromProto(reply2->due_at()), China(2026, 9, 8));
  ASSERT_TRUE(watch
                  .Await(id, "letter 2 reply armed",
                         [&](const Listing& l) {
                           const v1::Deadline* d =
                               Find(l, v1::DEADLINE_KIND_SUPERVISION_REPLY,
                                    letter2_id);
                           return d != nullptr &&
                                  d->state() == v1::DEADLINE_STATE_ARMED;
                         })
                  .ok());

  // It misses that reply too: 挂牌督办, from the bureau of the parent region
  // of the letter's issuer (沁源县 → 长治市).
  const absl::Time third_miss = China(2026, 9, 8, 9);
  system.clock().Set(third_miss);
  auto listed = (*feed)->Await(id, v1::Envelope::kSupervisionIssued, 3);
  ASSERT_TRUE(listed.ok()) << listed.status();
  const std::string listed_id = id + "/supervision/3";
  EXPECT_EQ(listed->supervision_issued().supervision_id(), listed_id);
  EXPECT_EQ(listed->supervision_issued().level(), v1::SUPERVISION_LEVEL_LISTED);
  EXPECT_EQ(listed->supervision_issued().issuer_office_code(), kCityBureau);
  EXPECT_EQ(listed->supervision_issued().target_office_code(), kTownshipGov);
  EXPECT_EQ(listed->supervision_issued().missed_kind(),
            v1::DEADLINE_KIND_SUPERVISION_REPLY);
  EXPECT_EQ(listed->supervision_issued().miss_count(), 2);
  // Recorded; its reply: Tue 09-08 + 30 = Thu 10-08, a working day.
  auto recorded3 = AwaitEvent(steps, id, listed->event_id() + "/supervised");
  ASSERT_TRUE(recorded3.ok()) << recorded3.status();
  EXPECT_EQ(recorded3->case_event().actor_office_code(), kCityBureau);
  EXPECT_EQ(recorded3->case_event().supervision().level(),
            v1::SUPERVISION_LEVEL_LISTED);
  ASSERT_TRUE(
      watch
          .Await(id, "listed reply armed",
                 [&](const Listing& l) {
                   const v1::Deadline* d =
                       Find(l, v1::DEADLINE_KIND_SUPERVISION_REPLY, listed_id);
                   return d != nullptr &&
                          d->state() == v1::DEADLINE_STATE_ARMED &&
                          time::FromProto(d->due_at()) == China(2026, 10, 9);
                 })
          .ok());

  // Missing the 挂牌督办's reply as well: a red light, no more instruments.
  system.clock().Set(China(2026, 10, 10, 9));
  const int misses_before = (*feed)->Count(id, v1::Envelope::kDeadlineMissed);
  ASSERT_TRUE((*feed)
                  ->Await(id, v1::Envelope::kDeadlineMissed, misses_before + 1)
                  .ok());
  // No further instrument: everything that miss leads to has happened.
  ASSERT_EQ(AwaitCaughtUp(system, China(2026, 10, 10, 9)), absl::OkStatus());
  (*feed)->Drain();
  EXPECT_EQ((*feed)->Count(id, v1::Envelope::kSupervisionIssued), 3);
  lights = watch.Lights("140431");
  ASSERT_TRUE(lights.ok()) << lights.status();
  ASSERT_EQ(lights->lights_size(), 3);  // oldest due first
  EXPECT_EQ(lights->lights(0).deadline().kind(), v1::DEADLINE_KIND_ACCEPTANCE);
  EXPECT_EQ(lights->lights(1).deadline().supervision_id(), letter2_id);
  EXPECT_EQ(lights->lights(2).deadline().supervision_id(), listed_id);
  for (const v1::RedLight& light : lights->lights()) {
    EXPECT_EQ(light.deadline().office_code(), kTownshipGov);
    EXPECT_EQ(light.supervision(), v1::SUPERVISION_LEVEL_LISTED);
  }
  board = RunCommand(supervision_cli + " lights --region 140431");
  ASSERT_EQ(board.code, 0) << board.output;
  EXPECT_TRUE(absl::StrContains(board.output, "listed (挂牌督办)"))
      << board.output;
  EXPECT_TRUE(absl::StrContains(board.output, "3 red lights in region 140431"))
      << board.output;

  // The township declines (不予受理): its acceptance light goes out, but the
  // case cannot be closed while a reply to a 督办 is owed.
  v1::ActRequest decline;
  decline.set_reason("不属于本机关职权范围");
  decline.mutable_decline()->set_route(
      "向县人力资源和社会保障局申请劳动保障监察");
  s = steps.Act(kTownshipGov, id, decline);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::ActRequest close;
  close.mutable_close();
  s = steps.Act(kTownshipGov, id, close);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), letter2_id))
      << s.error_message();
  auto township_cli = steps.Casectl(kTownshipGov);
  auto answered =
      RunCommand(township_cli + " reply-supervision " + id +
                 " --reason 已补正受理手续");  // the oldest: letter 2
  ASSERT_EQ(answered.code, 0) << answered.output;
  s = steps.Act(kTownshipGov, id, close);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), listed_id))
      << s.error_message();
  answered = RunCommand(township_cli + " reply-supervision " + id +
                        " --supervision-id 3 --reason 已整改并报县信访局");
  ASSERT_EQ(answered.code, 0) << answered.output;
  // The holder replying again: nothing to answer.
  EXPECT_EQ(ReplySupervision(steps, kTownshipGov, id, "再次回复").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  s = steps.Act(kTownshipGov, id, close);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_TRUE(steps.AwaitState(kTownshipGov, id, v1::CASE_STATE_CLOSED).ok());
  auto settled = watch.Await(id, "every deadline ended", [](const Listing& l) {
    for (const v1::Deadline& d : l.deadlines()) {
      if (!d.has_ended_at()) return false;
    }
    return l.deadlines_size() == 6;
  });
  ASSERT_TRUE(settled.ok()) << settled.status();
  EXPECT_EQ(StateOf(*settled, v1::DEADLINE_KIND_ACCEPTANCE),
            v1::DEADLINE_STATE_MISSED);
  EXPECT_EQ(StateOf(*settled, v1::DEADLINE_KIND_RESULT_REPORT),
            v1::DEADLINE_STATE_DONE);
  for (const std::string& sid : {letter2_id, listed_id}) {
    EXPECT_EQ(StateOf(*settled, v1::DEADLINE_KIND_SUPERVISION_REPLY, sid),
              v1::DEADLINE_STATE_MISSED)
        << sid;
  }
  board = RunCommand(supervision_cli + " lights --region 140431");
  ASSERT_EQ(board.code, 0) << board.output;
  EXPECT_TRUE(absl::StrContains(board.output, "no red lights in region 140431"))
      << board.output;

  // --- The figures since July (issue 4 item 5, DOMAIN.md "Supervision"):
  // one transfer, late; one acceptance, late; one petition, neither a
  // repeat nor level-skipping; nothing replied; nothing overdue now. ---
  ASSERT_TRUE(stats_caught_up().ok());
  auto stats =
      RunCommand(stats_cli + " stats --region 140431 --from 2026-07-01");
  ASSERT_EQ(stats.code, 0) << stats.output;
  EXPECT_EQ(Figure(stats.output, "及时受理率(信访部门)"),
            (Words{"及时受理率(信访部门)", "0.0%", "0/1"}))
      << stats.output;
  EXPECT_EQ(Figure(stats.output, "及时受理率(办理单位)"),
            (Words{"及时受理率(办理单位)", "0.0%", "0/1"}))
      << stats.output;
  EXPECT_EQ(Figure(stats.output, "按期办结率"),
            (Words{"按期办结率", "—", "0/0"}))
      << stats.output;
  EXPECT_EQ(Figure(stats.output, "重复信访率"),
            (Words{"重复信访率", "0.0%", "0/1"}))
      << stats.output;
  auto json = RunCommand(stats_cli +
                         " --json stats --region 140431 --from 2026-07-01");
  ASSERT_EQ(json.code, 0) << json.output;
  v1::GetIndicatorsResponse parsed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(json.output, &parsed).ok())
      << json.output;
  const v1::Indicators& total = parsed.total();
  EXPECT_EQ(time::FromProto(parsed.from()), China(2026, 7, 1));
  EXPECT_EQ(time::FromProto(parsed.to()), China(2026, 10, 10, 9));
  EXPECT_EQ(total.timely_acceptance_bureau().numerator(), 0);
  EXPECT_EQ(total.timely_acceptance_bureau().denominator(), 1);
  EXPECT_EQ(total.timely_acceptance_handling().numerator(), 0);
  EXPECT_EQ(total.timely_acceptance_handling().denominator(), 1);
  EXPECT_EQ(total.on_time_completion().denominator(), 0);
  EXPECT_EQ(total.evaluation().denominator(), 0);
  EXPECT_EQ(total.repeat().numerator(), 0);
  EXPECT_EQ(total.repeat().denominator(), 1);
  EXPECT_EQ(total.level_skipping().denominator(), 1);
  EXPECT_EQ(total.backlog(), 0);
}

}  // namespace
}  // namespace caserelay::testing
