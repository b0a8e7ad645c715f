// Register, LinkRepeat, and what the events and the record carry after an
// action (DOMAIN.md "Records": who, which office, when, what, why).

#include "domain/lifecycle/lifecycle.h"

#include <string>

#include "absl/status/status.h"
#include "common/time/timestamp.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/lifecycle/case_builder.h"

namespace caserelay::lifecycle::testing {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

using time::FromProto;

TEST(RegisterTest, DispositionDecidesTheFirstState) {
  struct Row {
    const char* rule;
    v1::Disposition disposition;
    v1::CaseState want;
    bool transfer_deadline;
  };
  const Row rows[] = {
      {"Art. 22: 转送", v1::DISPOSITION_TRANSFER, v1::CASE_STATE_REGISTERED,
       true},
      {"Art. 22: 交办", v1::DISPOSITION_ASSIGN, v1::CASE_STATE_REGISTERED,
       true},
      {"DOMAIN.md Routing: 无头事项 to triage", v1::DISPOSITION_TRIAGE,
       v1::CASE_STATE_REGISTERED, true},
      {"Art. 31: statutory route", v1::DISPOSITION_NOT_ACCEPTED,
       v1::CASE_STATE_NOT_ACCEPTED, false},
      {"DOMAIN.md Routing: 越级走访", v1::DISPOSITION_REDIRECT,
       v1::CASE_STATE_NOT_ACCEPTED, false},
      {"DOMAIN.md Routing: 信访终结", v1::DISPOSITION_REFUSED_TERMINATED,
       v1::CASE_STATE_NOT_ACCEPTED, false},
      {"DOMAIN.md Routing: 重复信访", v1::DISPOSITION_LINKED_REPEAT,
       v1::CASE_STATE_LINKED, false},
  };
  CaseBuilder builder;
  const absl::Time received = China(2026, 3, 2, 9);
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    v1::RoutingCaseRecord record;
    absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Register(
        Petition(received), Decision(row.disposition),
        received + absl::Minutes(1), record);
    ASSERT_TRUE(event.ok()) << event.status();
    EXPECT_EQ(record.view().state(), row.want);
    EXPECT_EQ(event->to_state(), row.want);
    EXPECT_EQ(record.view().office_code(), kCountyBureau);
    EXPECT_EQ(record.view().office_name(), "沁源县信访局");
    if (row.transfer_deadline) {
      // Art. 22: 15 days from receipt: 3-2 + 15 = Tue 3-17.
      ASSERT_EQ(record.view().deadlines_size(), 1);
      const v1::RunningDeadline& d = record.view().deadlines(0);
      EXPECT_EQ(d.kind(), v1::DEADLINE_KIND_TRANSFER);
      EXPECT_EQ(d.office_code(), kCountyBureau);
      EXPECT_EQ(FromProto(d.started_at()), received);
      EXPECT_EQ(FromProto(d.due_at()), China(2026, 3, 18));
    } else {
      EXPECT_EQ(record.view().deadlines_size(), 0);
    }
  }
}

TEST(RegisterTest, EventCarriesTheDecisionAndTheRoutingFacts) {
  CaseBuilder builder;
  const absl::Time received = China(2026, 3, 2, 9);
  v1::RoutingCaseRecord record;
  record.set_first_time(true);
  record.set_matter_key("mk");
  record.mutable_view()->set_version(7);
  const v1::PetitionReceived petition = Petition(received);
  const v1::RouteDecision decision = Decision(v1::DISPOSITION_ASSIGN);
  absl::StatusOr<v1::CaseEvent> event =
      builder.lifecycle().Register(petition, decision, received, record);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->action(), v1::CASE_ACTION_REGISTER);
  EXPECT_EQ(event->actor_office_code(), "routing");
  EXPECT_EQ(event->reason(), "territorial-tiered");
  EXPECT_EQ(event->from_state(), v1::CASE_STATE_RECEIVED);
  EXPECT_TRUE(MessageDifferencer::Equals(event->decision(), decision));
  EXPECT_EQ(event->petitioner().id(), "PQY-2026-000001");
  EXPECT_EQ(event->channel(), v1::CHANNEL_ONLINE);
  EXPECT_EQ(event->region_code(), "140431");
  EXPECT_EQ(event->category(), "labour");
  EXPECT_EQ(event->matter_class(), v1::MATTER_CLASS_CLAIM);
  EXPECT_EQ(event->holder_office_code(), kCountyBureau);
  EXPECT_EQ(event->deadlines_size(), 1);
  // The record: the view filled, the caller's fields kept.
  EXPECT_EQ(record.view().case_id(), "QY-2026-000001");
  EXPECT_EQ(record.view().matter().title(), "拖欠工资");
  EXPECT_THAT(record.view().rules(), ElementsAre("territorial-tiered"));
  EXPECT_EQ(record.identity_key(), "k1");
  EXPECT_TRUE(record.first_time());
  EXPECT_EQ(record.matter_key(), "mk");
  EXPECT_EQ(record.view().version(), 7u);
  EXPECT_EQ(FromProto(record.view().updated_at()), received);
}

TEST(RegisterTest, BadInputIsRefusedAndTheRecordKept) {
  struct Row {
    const char* field;
    void (*spoil)(v1::PetitionReceived&, v1::RouteDecision&);
    absl::StatusCode want;
  };
  constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
  const Row rows[] = {
      {"petition.case_number",
       [](v1::PetitionReceived& p, v1::RouteDecision&) {
         p.clear_case_number();
       },
       kInvalid},
      {"petition.received_at",
       [](v1::PetitionReceived& p, v1::RouteDecision&) {
         p.clear_received_at();
       },
       kInvalid},
      {"decision.disposition",
       [](v1::PetitionReceived&, v1::RouteDecision& d) {
         d.clear_disposition();
       },
       kInvalid},
      {"decision.registering_office_code",
       [](v1::PetitionReceived&, v1::RouteDecision& d) {
         d.set_registering_office_code("140431:nowhere");
       },
       kInvalid},
      {"decision.linked_case_id",
       [](v1::PetitionReceived&, v1::RouteDecision& d) {
         d.set_disposition(v1::DISPOSITION_LINKED_REPEAT);
         d.clear_linked_case_id();
       },
       kInvalid},
      // DOMAIN.md Deadlines: no 2027 table, and 2026-12-20 + 15 is in 2027.
      {"2027",
       [](v1::PetitionReceived& p, v1::RouteDecision&) {
         *p.mutable_received_at() = Petition(China(2026, 12, 20)).received_at();
       },
       absl::StatusCode::kFailedPrecondition},
  };
  CaseBuilder builder;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.field);
    v1::PetitionReceived petition = Petition(China(2026, 3, 2, 9));
    v1::RouteDecision decision = Decision(v1::DISPOSITION_TRANSFER);
    row.spoil(petition, decision);
    v1::RoutingCaseRecord record;
    record.set_first_time(true);
    const v1::RoutingCaseRecord before = record;
    absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Register(
        petition, decision, China(2026, 3, 2, 9), record);
    EXPECT_EQ(event.status().code(), row.want) << event.status();
    EXPECT_THAT(std::string(event.status().message()), HasSubstr(row.field));
    EXPECT_TRUE(MessageDifferencer::Equals(before, record));
  }
}

TEST(EventTest, AssignRecordsWhoWhenWhyAndTheNewDeadlines) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REGISTERED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  const absl::Time now = China(2026, 3, 3, 10);
  Command cmd = ValidCommand(v1::CASE_ACTION_ASSIGN, kCountyBureau, now);
  cmd.operator_name = "李主任";
  cmd.reason = "属地管理，交县人社局办理";
  absl::StatusOr<v1::CaseEvent> event =
      builder.lifecycle().Apply(cmd, built->record);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->action(), v1::CASE_ACTION_ASSIGN);
  EXPECT_EQ(event->actor_office_code(), kCountyBureau);
  EXPECT_EQ(event->actor_office_name(), "沁源县信访局");
  EXPECT_EQ(event->operator_(), "李主任");
  EXPECT_EQ(event->reason(), "属地管理，交县人社局办理");
  EXPECT_EQ(event->from_state(), v1::CASE_STATE_REGISTERED);
  EXPECT_EQ(event->to_state(), v1::CASE_STATE_ASSIGNED);
  EXPECT_EQ(event->holder_office_code(), kCountyHrss);
  EXPECT_EQ(event->holder_office_name(), "沁源县人力资源和社会保障局");
  // TRANSFER ended; ACCEPTANCE 3-3 + 15 = Wed 3-18; RESULT_REPORT 3-3 + 90
  // = Mon 6-1.
  ASSERT_EQ(event->deadlines_size(), 2);
  EXPECT_EQ(event->deadlines(0).kind(), v1::DEADLINE_KIND_ACCEPTANCE);
  EXPECT_EQ(event->deadlines(0).office_code(), kCountyHrss);
  EXPECT_EQ(FromProto(event->deadlines(0).due_at()), China(2026, 3, 19));
  EXPECT_EQ(event->deadlines(1).kind(), v1::DEADLINE_KIND_RESULT_REPORT);
  EXPECT_EQ(FromProto(event->deadlines(1).due_at()), China(2026, 6, 2));
  const v1::RoutingCaseRecord& r = built->record;
  EXPECT_EQ(r.view().sender_office_code(), kCountyBureau);
  EXPECT_EQ(FromProto(r.transferred_at()), now);
  EXPECT_THAT(r.past_holders(), ElementsAre(kCountyBureau));
  EXPECT_EQ(FromProto(r.view().updated_at()), now);
  ASSERT_EQ(r.view().deadlines_size(), event->deadlines_size());
  for (int i = 0; i < event->deadlines_size(); ++i) {
    EXPECT_TRUE(
        MessageDifferencer::Equals(r.view().deadlines(i), event->deadlines(i)));
  }
}

TEST(EventTest, ObjectionReturnsTheCaseToTheSenderWithANewTransferDeadline) {
  CaseBuilder builder;
  absl::StatusOr<Built> built = builder.InState(
      v1::CASE_STATE_ASSIGNED, China(2026, 3, 2, 9), {Path::kAssign});
  ASSERT_TRUE(built.ok()) << built.status();
  const absl::Time now = China(2026, 3, 4, 9);
  absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Apply(
      ValidCommand(v1::CASE_ACTION_OBJECT, kCountyHrss, now), built->record);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->to_state(), v1::CASE_STATE_REGISTERED);
  EXPECT_EQ(event->holder_office_code(), kCountyBureau);
  // ACCEPTANCE and RESULT_REPORT end; TRANSFER again, 3-4 + 15 = Thu 3-19.
  ASSERT_EQ(event->deadlines_size(), 1);
  EXPECT_EQ(event->deadlines(0).kind(), v1::DEADLINE_KIND_TRANSFER);
  EXPECT_EQ(event->deadlines(0).office_code(), kCountyBureau);
  EXPECT_EQ(FromProto(event->deadlines(0).due_at()), China(2026, 3, 20));
  EXPECT_THAT(built->record.past_holders(),
              ElementsAre(kCountyBureau, kCountyHrss));
  EXPECT_TRUE(built->record.view().sender_office_code().empty());
}

TEST(EventTest, ReplyAndReviewRecordTheOfficesTheRulesNeed) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REVIEWED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  const v1::RoutingCaseRecord& r = built->record;
  EXPECT_EQ(r.handler_office_code(), kCountyHrss);
  EXPECT_EQ(FromProto(r.replied_at()), China(2026, 3, 2, 12));
  EXPECT_EQ(r.reviewer_office_code(), kCityHrss);
  EXPECT_EQ(FromProto(r.reviewed_at()), China(2026, 3, 2, 14));
  EXPECT_EQ(r.view().office_code(), kCityHrss);
  EXPECT_EQ(r.view().outcome(), v1::OUTCOME_SUPPORT);
  EXPECT_THAT(r.past_holders(), ElementsAre(kCountyBureau, kCountyHrss));
  // The reviewer owes the record of its service (送达, issue 23 item 4);
  // once recorded, nothing runs.
  ASSERT_EQ(r.view().deadlines_size(), 1);
  EXPECT_EQ(r.view().deadlines(0).kind(), v1::DEADLINE_KIND_SERVICE);
  EXPECT_EQ(r.view().deadlines(0).office_code(), kCityHrss);
  built = builder.Then(std::move(built), v1::CASE_ACTION_SERVE, kCityHrss);
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_EQ(built->record.view().deadlines_size(), 0);
}

TEST(EventTest, ApplyNeverTouchesVersionNorHeadHash) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_TRANSFERRED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  built->record.mutable_view()->set_version(41);
  built->record.set_head_hash("h");
  built = builder.Then(std::move(built), v1::CASE_ACTION_ACCEPT, kCountyHrss);
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_EQ(built->record.view().version(), 41u);
  EXPECT_EQ(built->record.head_hash(), "h");
}

TEST(LinkRepeatTest, LinksToAnOpenCaseWithoutChangingItsState) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  const absl::Time now = China(2026, 3, 5, 9);
  absl::StatusOr<v1::CaseEvent> event =
      builder.lifecycle().LinkRepeat("QY-2026-000042", now, built->record);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->action(), v1::CASE_ACTION_LINK_REPEAT);
  EXPECT_EQ(event->actor_office_code(), "routing");
  EXPECT_EQ(event->linked_case_id(), "QY-2026-000042");
  EXPECT_EQ(event->from_state(), v1::CASE_STATE_ACCEPTED);
  EXPECT_EQ(event->to_state(), v1::CASE_STATE_ACCEPTED);
  EXPECT_EQ(event->deadlines_size(), 1);  // HANDLING still runs
  EXPECT_THAT(built->record.view().linked_cases(),
              ElementsAre("QY-2026-000042"));

  const v1::RoutingCaseRecord before = built->record;
  EXPECT_EQ(builder.lifecycle()
                .LinkRepeat("QY-2026-000042", now, built->record)
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(
      builder.lifecycle().LinkRepeat("", now, built->record).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
}

TEST(LinkRepeatTest, AClosedCaseTakesNoLinks) {
  // DOMAIN.md Routing: repeats are linked to a case "while it is in
  // progress"; after 复核 the matter is refused instead (信访终结).
  CaseBuilder builder;
  for (v1::CaseState state : {v1::CASE_STATE_CLOSED, v1::CASE_STATE_TERMINATED,
                              v1::CASE_STATE_NOT_ACCEPTED}) {
    absl::StatusOr<Built> built = builder.InState(state, China(2026, 3, 2, 9));
    ASSERT_TRUE(built.ok()) << built.status();
    absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().LinkRepeat(
        "QY-2026-000042", built->last, built->record);
    EXPECT_EQ(event.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(std::string(event.status().message()), HasSubstr("重复信访"));
  }
}

TEST(PolicyTest, DefaultsAreTheLegalLimitsAndValid) {
  const Policy p;
  EXPECT_TRUE(ValidatePolicy(p).ok());
  EXPECT_EQ(p.transfer_days, 15);
  EXPECT_EQ(p.objection_working_days, 5);
  EXPECT_EQ(p.handling_days, 60);
  EXPECT_EQ(p.max_extension_days, 30);
  EXPECT_EQ(p.simplified_working_days, 10);
  EXPECT_EQ(p.review_request_days, 30);
  EXPECT_EQ(p.rereview_days, 30);
}

TEST(PolicyTest, AZeroLimitIsRefusedByName) {
  Policy p;
  p.rereview_request_days = 0;
  const absl::Status status = ValidatePolicy(p);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("policy.rereview_request_days"));
}

}  // namespace
}  // namespace caserelay::lifecycle::testing
