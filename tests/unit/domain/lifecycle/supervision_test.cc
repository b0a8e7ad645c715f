// Supervision (督办) on the case's history: Lifecycle::Supervise records a
// SupervisionIssued and starts the supervised office's SUPERVISION_REPLY
// deadline; REPLY_SUPERVISION ends it. DOMAIN.md "Supervision" and
// "Deadlines: reply to a supervision proposal (督办) 30 days (2005 Art.
// 36)". Due days are worked out by hand in the comments against the 2026
// holiday table (国务院办公厅 2025-11-04), not by the calendar under test.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/lifecycle.h"
#include "domain/lifecycle/transitions.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/lifecycle/case_builder.h"

namespace caserelay::lifecycle::testing {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;

using time::FromProto;
using time::ToProto;

constexpr char kFirst[] = "QY-2026-000001/supervision/1";
constexpr char kSecond[] = "QY-2026-000001/supervision/2";

// A 督办函 from the city bureau to `target` for a missed HANDLING deadline
// whose last day was 2026-05-01.
v1::SupervisionIssued Issued(const std::string& id, const std::string& target,
                             const std::string& target_name) {
  v1::SupervisionIssued s;
  s.set_supervision_id(id);
  s.set_level(v1::SUPERVISION_LEVEL_LETTER);
  s.set_issuer_office_code(kCityBureau);
  s.set_issuer_office_name("长治市信访局");
  s.set_target_office_code(target);
  s.set_target_office_name(target_name);
  s.set_missed_deadline_id("QY-2026-000001/HANDLING/1");
  s.set_missed_kind(v1::DEADLINE_KIND_HANDLING);
  *s.mutable_missed_due_at() = ToProto(China(2026, 5, 2));
  s.set_miss_count(1);
  return s;
}

v1::SupervisionIssued ToHrss(const std::string& id = kFirst) {
  return Issued(id, kCountyHrss, "沁源县人力资源和社会保障局");
}

// Records `s` one hour after built.last.
absl::StatusOr<v1::CaseEvent> Supervise(const CaseBuilder& builder,
                                        Built& built,
                                        const v1::SupervisionIssued& s) {
  built.last += absl::Hours(1);
  return builder.lifecycle().Supervise(s, built.last, built.last, built.record);
}

// REPLY_SUPERVISION by `actor` one hour after built.last.
absl::StatusOr<v1::CaseEvent> Reply(const CaseBuilder& builder, Built& built,
                                    const std::string& actor,
                                    const std::string& supervision_id = "") {
  built.last += absl::Hours(1);
  Command cmd =
      ValidCommand(v1::CASE_ACTION_REPLY_SUPERVISION, actor, built.last);
  cmd.reason = "已督促整改，处理意见已出具";
  cmd.supervision_id = supervision_id;
  return builder.lifecycle().Apply(cmd, built.record);
}

std::vector<v1::RunningDeadline> Replies(const v1::CaseView& view) {
  std::vector<v1::RunningDeadline> out;
  for (const auto& d : view.deadlines()) {
    if (d.kind() == v1::DEADLINE_KIND_SUPERVISION_REPLY) out.push_back(d);
  }
  return out;
}

std::vector<v1::CaseState> StatesWithSupervise() {
  std::vector<v1::CaseState> states;
  for (const Transition& row : Transitions()) {
    if (row.action == v1::CASE_ACTION_SUPERVISE) states.push_back(row.from);
  }
  return states;
}

TEST(SuperviseTest, RecordedInEveryStateWithStateAndHolderUnchanged) {
  CaseBuilder builder;
  const std::vector<v1::CaseState> states = StatesWithSupervise();
  ASSERT_EQ(states.size(), 15u);  // every state but RECEIVED
  for (v1::CaseState state : states) {
    SCOPED_TRACE(StateName(state));
    absl::StatusOr<Built> built = builder.InState(state, China(2026, 3, 2, 9));
    ASSERT_TRUE(built.ok()) << built.status();
    const v1::RoutingCaseRecord before = built->record;
    const v1::SupervisionIssued issued = ToHrss();
    absl::StatusOr<v1::CaseEvent> event = Supervise(builder, *built, issued);
    ASSERT_TRUE(event.ok()) << event.status();

    EXPECT_EQ(event->action(), v1::CASE_ACTION_SUPERVISE);
    EXPECT_EQ(event->actor_office_code(), kCityBureau);
    EXPECT_EQ(event->actor_office_name(), "长治市信访局");
    EXPECT_EQ(event->operator_(), "supervision");
    EXPECT_EQ(event->from_state(), state);
    EXPECT_EQ(event->to_state(), state);
    EXPECT_EQ(event->holder_office_code(), before.view().office_code());
    EXPECT_TRUE(MessageDifferencer::Equals(event->supervision(), issued));
    EXPECT_THAT(
        event->reason(),
        HasSubstr("督办函 (supervision letter): 沁源县人力资源和社会保障局 "
                  "missed its HANDLING deadline due 2026-05-01"));
    const v1::CaseView& view = built->record.view();
    EXPECT_EQ(view.state(), state);
    EXPECT_EQ(view.office_code(), before.view().office_code());
    EXPECT_EQ(FromProto(view.updated_at()), built->last);

    // Every deadline that ran still runs; a final state starts none.
    const int had = before.view().deadlines_size();
    for (int i = 0; i < had; ++i) {
      EXPECT_TRUE(MessageDifferencer::Equals(view.deadlines(i),
                                             before.view().deadlines(i)));
    }
    if (IsFinal(state)) {
      EXPECT_EQ(view.deadlines_size(), had);
      EXPECT_THAT(event->reason(), ::testing::Not(HasSubstr("reply due")));
    } else {
      ASSERT_EQ(view.deadlines_size(), had + 1);
      const v1::RunningDeadline& reply = view.deadlines(had);
      EXPECT_EQ(reply.kind(), v1::DEADLINE_KIND_SUPERVISION_REPLY);
      EXPECT_EQ(reply.office_code(), kCountyHrss);
      EXPECT_EQ(reply.supervision_id(), kFirst);
      EXPECT_EQ(FromProto(reply.started_at()), built->last);
      EXPECT_FALSE(reply.has_paused_at());
    }
    EXPECT_EQ(event->deadlines_size(), view.deadlines_size());
  }
}

TEST(SuperviseTest, ReplyIsDueThirtyCalendarDaysLaterOnAWorkingDay) {
  struct Row {
    const char* rule;
    absl::Time issued;
    absl::Time due;  // the end of the last day
  };
  const Row rows[] = {
      {"2005 Art. 36, 30 days: 3-2 + 30 = Wed 4-1", China(2026, 3, 2, 9),
       China(2026, 4, 2)},
      {"30 days: 9-8 + 30 = Thu 10-8, the first working day after 国庆节",
       China(2026, 9, 8, 15), China(2026, 10, 9)},
      {"民法典 Art. 201: 9-3 + 30 = 10-3 (国庆节) moves to Thu 10-8",
       China(2026, 9, 3, 10), China(2026, 10, 9)},
      {"民法典 Art. 201: 1-20 + 30 = 2-19 (春节, rest to 2-23) moves to Tue "
       "2-24",
       China(2026, 1, 20, 10), China(2026, 2, 25)},
      {"the first day is not counted: 23:59 on 3-2 still counts from 3-3",
       China(2026, 3, 2, 23, 59), China(2026, 4, 2)},
  };
  CaseBuilder builder;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    absl::StatusOr<Built> built =
        builder.InState(v1::CASE_STATE_REGISTERED, row.issued - absl::Hours(1));
    ASSERT_TRUE(built.ok()) << built.status();
    absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Supervise(
        ToHrss(), row.issued, row.issued, built->record);
    ASSERT_TRUE(event.ok()) << event.status();
    std::vector<v1::RunningDeadline> replies = Replies(built->record.view());
    ASSERT_EQ(replies.size(), 1u);
    EXPECT_EQ(FromProto(replies[0].due_at()), row.due);
  }
}

TEST(SuperviseTest, ReplyDaysComeFromThePolicy) {
  // deadline.supervision_reply_days = 10: 3-2 + 10 = Thu 3-12.
  Policy policy;
  policy.supervision_reply_days = 10;
  CaseBuilder builder(policy);
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REGISTERED, China(2026, 3, 2, 8));
  ASSERT_TRUE(built.ok()) << built.status();
  ASSERT_TRUE(Supervise(builder, *built, ToHrss()).ok());
  ASSERT_EQ(Replies(built->record.view()).size(), 1u);
  EXPECT_EQ(FromProto(Replies(built->record.view())[0].due_at()),
            China(2026, 3, 13));
}

TEST(SuperviseTest, ListedSupervisionNamesItsLevelAndTheReplyDue) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  v1::SupervisionIssued listed = ToHrss(kSecond);
  listed.set_level(v1::SUPERVISION_LEVEL_LISTED);
  listed.set_miss_count(2);
  absl::StatusOr<v1::CaseEvent> event = Supervise(builder, *built, listed);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_THAT(event->reason(), HasSubstr("挂牌督办 (listed supervision)"));
  EXPECT_THAT(event->reason(), HasSubstr("reply due 2026-04-01"));
}

TEST(SuperviseTest, TheSameSupervisionTwiceIsAlreadyExists) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  ASSERT_TRUE(Supervise(builder, *built, ToHrss()).ok());
  const v1::RoutingCaseRecord before = built->record;
  absl::StatusOr<v1::CaseEvent> again = Supervise(builder, *built, ToHrss());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.status().message()), HasSubstr(kFirst));
  EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
}

TEST(SuperviseTest, BadInputIsRefusedAndTheRecordKept) {
  struct Row {
    const char* field;
    void (*spoil)(v1::SupervisionIssued&, absl::Time&);
  };
  const Row rows[] = {
      {"supervision.supervision_id",
       [](v1::SupervisionIssued& s, absl::Time&) { s.clear_supervision_id(); }},
      {"supervision.issuer_office_code",
       [](v1::SupervisionIssued& s, absl::Time&) {
         s.clear_issuer_office_code();
       }},
      {"supervision.target_office_code",
       [](v1::SupervisionIssued& s, absl::Time&) {
         s.clear_target_office_code();
       }},
      {"issued_at",
       [](v1::SupervisionIssued&, absl::Time& t) { t = absl::InfinitePast(); }},
  };
  CaseBuilder builder;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.field);
    absl::StatusOr<Built> built =
        builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
    ASSERT_TRUE(built.ok()) << built.status();
    const v1::RoutingCaseRecord before = built->record;
    v1::SupervisionIssued issued = ToHrss();
    absl::Time at = built->last + absl::Hours(1);
    row.spoil(issued, at);
    absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Supervise(
        issued, at, built->last + absl::Hours(1), built->record);
    EXPECT_EQ(event.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(event.status().message()), HasSubstr(row.field));
    EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
  }
}

TEST(SuperviseTest, ACaseNotRegisteredIsFailedPrecondition) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_RECEIVED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  absl::StatusOr<v1::CaseEvent> event = Supervise(builder, *built, ToHrss());
  EXPECT_EQ(event.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(event.status().message()),
              HasSubstr(std::string(RuleOf(v1::CASE_ACTION_SUPERVISE))));
}

TEST(SuperviseTest, ApplyRefusesSuperviseAsAnOfficeAction) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Apply(
      ValidCommand(v1::CASE_ACTION_SUPERVISE, kCityBureau,
                   built->last + absl::Hours(1)),
      built->record);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(event.status().message()), HasSubstr("Supervise()"));
}

TEST(ReplySupervisionTest, TheTargetAnswersAndOnlyItsDeadlineEnds) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  ASSERT_TRUE(Supervise(builder, *built, ToHrss(kFirst)).ok());
  ASSERT_TRUE(
      Supervise(builder, *built, Issued(kSecond, kCountyBureau, "沁源县信访局"))
          .ok());
  const v1::RoutingCaseRecord before = built->record;

  absl::StatusOr<v1::CaseEvent> event = Reply(builder, *built, kCountyHrss);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->action(), v1::CASE_ACTION_REPLY_SUPERVISION);
  EXPECT_EQ(event->actor_office_code(), kCountyHrss);
  EXPECT_EQ(event->reason(), "已督促整改，处理意见已出具");
  EXPECT_EQ(event->supervision().supervision_id(), kFirst);
  EXPECT_EQ(event->from_state(), v1::CASE_STATE_ACCEPTED);
  EXPECT_EQ(event->to_state(), v1::CASE_STATE_ACCEPTED);
  EXPECT_EQ(event->holder_office_code(), kCountyHrss);
  const v1::CaseView& view = built->record.view();
  EXPECT_EQ(view.state(), v1::CASE_STATE_ACCEPTED);
  // HANDLING and the bureau's reply run on.
  ASSERT_EQ(view.deadlines_size(), 2);
  EXPECT_EQ(view.deadlines(0).kind(), v1::DEADLINE_KIND_HANDLING);
  EXPECT_EQ(view.deadlines(1).supervision_id(), kSecond);
  EXPECT_EQ(event->deadlines_size(), 2);
}

TEST(ReplySupervisionTest, WithoutAnIdTheActorsOldestIsAnswered) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  ASSERT_TRUE(Supervise(builder, *built, ToHrss(kFirst)).ok());
  ASSERT_TRUE(Supervise(builder, *built, ToHrss(kSecond)).ok());

  // Named: the second; then unnamed: the one left.
  absl::StatusOr<v1::CaseEvent> named =
      Reply(builder, *built, kCountyHrss, kSecond);
  ASSERT_TRUE(named.ok()) << named.status();
  EXPECT_EQ(named->supervision().supervision_id(), kSecond);
  ASSERT_EQ(Replies(built->record.view()).size(), 1u);
  EXPECT_EQ(Replies(built->record.view())[0].supervision_id(), kFirst);

  ASSERT_TRUE(
      Supervise(builder, *built, ToHrss("QY-2026-000001/supervision/3")).ok());
  absl::StatusOr<v1::CaseEvent> oldest = Reply(builder, *built, kCountyHrss);
  ASSERT_TRUE(oldest.ok()) << oldest.status();
  EXPECT_EQ(oldest->supervision().supervision_id(), kFirst);
}

TEST(ReplySupervisionTest, TheTargetNeedNotHoldTheCase) {
  // The county bureau missed its TRANSFER deadline; the case has since
  // gone to the 人社局. The bureau still answers the supervision.
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  ASSERT_EQ(built->record.view().office_code(), kCountyHrss);
  ASSERT_TRUE(
      Supervise(builder, *built, Issued(kFirst, kCountyBureau, "沁源县信访局"))
          .ok());
  absl::StatusOr<v1::CaseEvent> event = Reply(builder, *built, kCountyBureau);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->holder_office_code(), kCountyHrss);
  EXPECT_TRUE(Replies(built->record.view()).empty());
}

TEST(ReplySupervisionTest, AnotherOfficeIsPermissionDenied) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  ASSERT_TRUE(
      Supervise(builder, *built, Issued(kFirst, kCountyBureau, "沁源县信访局"))
          .ok());
  const v1::RoutingCaseRecord before = built->record;
  // The holder, unnamed and named; an office outside the case.
  for (const auto& [actor, id] :
       std::vector<std::pair<std::string, std::string>>{
           {kCountyHrss, ""}, {kCountyHrss, kFirst}, {kCityHrss, ""}}) {
    SCOPED_TRACE(actor + " " + id);
    absl::StatusOr<v1::CaseEvent> event = Reply(builder, *built, actor, id);
    EXPECT_EQ(event.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_THAT(std::string(event.status().message()),
                HasSubstr(std::string("supervised office '") + kCountyBureau));
    EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
  }
}

TEST(ReplySupervisionTest, NothingToAnswerIsFailedPrecondition) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  // None issued.
  v1::RoutingCaseRecord before = built->record;
  absl::StatusOr<v1::CaseEvent> none = Reply(builder, *built, kCountyHrss);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(none.status().message()),
              HasSubstr(kRuleReplySupervision));
  EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));

  // Answered already, and never issued.
  ASSERT_TRUE(Supervise(builder, *built, ToHrss(kFirst)).ok());
  ASSERT_TRUE(Reply(builder, *built, kCountyHrss).ok());
  before = built->record;
  for (const std::string& id : {std::string(kFirst), std::string(""),
                                std::string("QY-2026-000001/supervision/9")}) {
    SCOPED_TRACE(id);
    absl::StatusOr<v1::CaseEvent> event =
        Reply(builder, *built, kCountyHrss, id);
    EXPECT_EQ(event.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(std::string(event.status().message()),
                HasSubstr(kRuleReplySupervision));
    EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
  }
}

TEST(ReplySupervisionTest, AReasonIsRequired) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  ASSERT_TRUE(Supervise(builder, *built, ToHrss()).ok());
  const v1::RoutingCaseRecord before = built->record;
  Command cmd = ValidCommand(v1::CASE_ACTION_REPLY_SUPERVISION, kCountyHrss,
                             built->last + absl::Hours(1));
  cmd.reason.clear();
  absl::StatusOr<v1::CaseEvent> event =
      builder.lifecycle().Apply(cmd, built->record);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(event.status().message()), HasSubstr("reason"));
  EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
}

}  // namespace
}  // namespace caserelay::lifecycle::testing
