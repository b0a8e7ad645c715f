// 提级办理 (ESCALATE, issue 18 item 5) and 更正登记 (CORRECT, issue 18 item
// 6): who may take them, in which states, and what they change. Every row
// cites its rule.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/lifecycle.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/lifecycle/case_builder.h"

namespace caserelay::lifecycle::testing {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;
using time::FromProto;

constexpr char kProvinceBureau[] = "140000:bureau";

absl::StatusOr<v1::CaseEvent> Act(const CaseBuilder& builder, Built& built,
                                  Command cmd) {
  return builder.lifecycle().Apply(cmd, built.record);
}

TEST(EscalateTest, WhoMayTakeACaseUpAndWhen) {
  struct Row {
    const char* rule;
    v1::CaseState state;
    const char* actor;
    bool reason;
    absl::StatusCode want;
  };
  const Row rows[] = {
      {"issue 18 item 5: a superior bureau takes the organ's case up",
       v1::CASE_STATE_TRANSFERRED, kCityBureau, true, absl::StatusCode::kOk},
      {"issue 18 item 5: a superior people's government takes it up",
       v1::CASE_STATE_ACCEPTED, kCityGov, true, absl::StatusCode::kOk},
      {"issue 18 item 5: any level above, the province's bureau too",
       v1::CASE_STATE_EXTENDED, kProvinceBureau, true, absl::StatusCode::kOk},
      {"issue 18 item 5: an assigned case (交办) too", v1::CASE_STATE_ASSIGNED,
       kCityBureau, true, absl::StatusCode::kOk},
      {"提级 is to a higher level: not the holder's own county government",
       v1::CASE_STATE_ACCEPTED, kCountyGov, true,
       absl::StatusCode::kPermissionDenied},
      {"提级 is to a higher level: not the county's own bureau",
       v1::CASE_STATE_TRANSFERRED, kCountyBureau, true,
       absl::StatusCode::kPermissionDenied},
      {"a bureau or government takes it up, not a department of the line "
       "(复查 is Art. 35's way to the city 人社局)",
       v1::CASE_STATE_ACCEPTED, kCityHrss, true,
       absl::StatusCode::kPermissionDenied},
      {"the holder does not take its own case up", v1::CASE_STATE_ACCEPTED,
       kCountyHrss, true, absl::StatusCode::kPermissionDenied},
      {"DOMAIN.md Routing: before the transfer the bureau routes it; no 提级 "
       "of a registered case",
       v1::CASE_STATE_REGISTERED, kCityBureau, true,
       absl::StatusCode::kFailedPrecondition},
      {"after the 处理意见 the petitioner's way up is 复查 (Art. 35)",
       v1::CASE_STATE_REPLIED, kCityBureau, true,
       absl::StatusCode::kFailedPrecondition},
      {"issue 18 item 5: with the reason", v1::CASE_STATE_ACCEPTED,
       kCityBureau, false, absl::StatusCode::kInvalidArgument},
  };
  CaseBuilder builder;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    absl::StatusOr<Built> built =
        builder.InState(row.state, China(2026, 3, 2, 9));
    ASSERT_TRUE(built.ok()) << built.status();
    const v1::RoutingCaseRecord before = built->record;
    Command cmd = ValidCommand(v1::CASE_ACTION_ESCALATE, row.actor,
                               built->last + absl::Hours(1));
    if (!row.reason) cmd.reason.clear();
    absl::StatusOr<v1::CaseEvent> event = Act(builder, *built, cmd);
    EXPECT_EQ(event.status().code(), row.want) << event.status();
    if (row.want == absl::StatusCode::kFailedPrecondition) {
      EXPECT_THAT(std::string(event.status().message()),
                  HasSubstr(kRuleEscalate));
    }
    if (!event.ok()) {
      EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
      continue;
    }
    // MayTake (routing's access rule) admits exactly who Apply admits.
    EXPECT_TRUE(builder.lifecycle()
                    .MayTake(row.actor, v1::CASE_ACTION_ESCALATE, before)
                    .ok());
  }
}

TEST(EscalateTest, DeadlinesKeepTheirDueDatesAndPassToTheNewHolder) {
  struct Row {
    const char* rule;
    v1::CaseState state;
    Path path;
  };
  const Row rows[] = {
      {"Art. 23: the acceptance deadline of a transferred case runs on",
       v1::CASE_STATE_TRANSFERRED, Path::kTransfer},
      {"Art. 22: the result report (交办) is owed by the new holder",
       v1::CASE_STATE_ASSIGNED, Path::kAssign},
      {"Art. 34: the 60-day handling deadline keeps its day",
       v1::CASE_STATE_ACCEPTED, Path::kTransfer},
      {"Art. 34: an extended handling deadline keeps its extended day",
       v1::CASE_STATE_EXTENDED, Path::kAssign},
  };
  CaseBuilder builder;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    BuildOptions options;
    options.path = row.path;
    absl::StatusOr<Built> built =
        builder.InState(row.state, China(2026, 3, 2, 9), options);
    ASSERT_TRUE(built.ok()) << built.status();
    // A 督办 to the county 住建局 stays its own (2005 Art. 36).
    v1::SupervisionIssued issued;
    issued.set_supervision_id("QY-2026-000001/supervision/1");
    issued.set_issuer_office_code(kCityBureau);
    issued.set_target_office_code(kCountyHousing);
    ASSERT_TRUE(builder.lifecycle()
                    .Supervise(issued, built->last, built->last, built->record)
                    .ok());
    const v1::RoutingCaseRecord before = built->record;
    const std::string old_holder = before.view().office_code();
    ASSERT_GE(before.view().deadlines_size(), 2);

    absl::StatusOr<v1::CaseEvent> event =
        Act(builder, *built,
            ValidCommand(v1::CASE_ACTION_ESCALATE, kCityBureau,
                         built->last + absl::Hours(1)));
    ASSERT_TRUE(event.ok()) << event.status();
    const v1::CaseView& view = built->record.view();
    EXPECT_EQ(view.state(), row.state);
    EXPECT_EQ(event->to_state(), row.state);
    EXPECT_EQ(view.office_code(), kCityBureau);
    EXPECT_EQ(view.office_name(), "长治市信访局");
    EXPECT_EQ(view.escalated_from_office_code(), old_holder);
    EXPECT_EQ(event->escalated_from_office_code(), old_holder);
    EXPECT_EQ(event->escalated_from_office_name(), before.view().office_name());
    EXPECT_EQ(event->holder_office_code(), kCityBureau);
    EXPECT_THAT(built->record.past_holders(), ::testing::Contains(old_holder));
    ASSERT_EQ(view.deadlines_size(), before.view().deadlines_size());
    for (int i = 0; i < view.deadlines_size(); ++i) {
      const v1::RunningDeadline& was = before.view().deadlines(i);
      const v1::RunningDeadline& now = view.deadlines(i);
      SCOPED_TRACE(v1::DeadlineKind_Name(now.kind()));
      EXPECT_EQ(now.kind(), was.kind());
      EXPECT_EQ(FromProto(now.started_at()), FromProto(was.started_at()));
      EXPECT_EQ(FromProto(now.due_at()), FromProto(was.due_at()));
      EXPECT_EQ(now.office_code(),
                now.kind() == v1::DEADLINE_KIND_SUPERVISION_REPLY
                    ? std::string(kCountyHousing)
                    : std::string(kCityBureau));
    }
    EXPECT_EQ(event->deadlines_size(), view.deadlines_size());
  }
}

TEST(EscalateTest, AProposalPendingAtTheOldHolderLapses) {
  // Issue 16: a 承办人's 报批 waits for its own office's 负责人; once a
  // superior organ took the case up (issue 18 item 5) nobody there approves
  // it.
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  built->record.mutable_view()->mutable_pending()->set_action(
      v1::CASE_ACTION_REPLY);
  absl::StatusOr<v1::CaseEvent> event =
      Act(builder, *built,
          ValidCommand(v1::CASE_ACTION_ESCALATE, kCityBureau,
                       built->last + absl::Hours(1)));
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_FALSE(built->record.view().has_pending());
}

TEST(CorrectTest, OnlyTheRegisteringBureauBeforeAcceptance) {
  struct Row {
    const char* rule;
    v1::CaseState state;
    const char* actor;
    absl::StatusCode want;
  };
  const Row rows[] = {
      {"issue 18 item 6: the registering bureau corrects a registered case",
       v1::CASE_STATE_REGISTERED, kCountyBureau, absl::StatusCode::kOk},
      {"issue 18 item 6, Art. 23: before acceptance, also once transferred",
       v1::CASE_STATE_TRANSFERRED, kCountyBureau, absl::StatusCode::kOk},
      {"issue 18 item 6, Art. 23: before acceptance, also once assigned",
       v1::CASE_STATE_ASSIGNED, kCountyBureau, absl::StatusCode::kOk},
      {"Art. 23: after acceptance (受理) the organ handles the matter as "
       "accepted",
       v1::CASE_STATE_ACCEPTED, kCountyBureau,
       absl::StatusCode::kFailedPrecondition},
      {"Art. 34: nor once extended", v1::CASE_STATE_EXTENDED, kCountyBureau,
       absl::StatusCode::kFailedPrecondition},
      {"Art. 34: nor after the 处理意见", v1::CASE_STATE_REPLIED,
       kCountyBureau, absl::StatusCode::kFailedPrecondition},
      {"issue 18 item 6: the organ it was sent to does not correct the "
       "registration (it objects, Art. 23)",
       v1::CASE_STATE_TRANSFERRED, kCountyHrss,
       absl::StatusCode::kPermissionDenied},
      {"issue 18 item 6: a superior bureau does not correct another's "
       "registration",
       v1::CASE_STATE_REGISTERED, kCityBureau,
       absl::StatusCode::kPermissionDenied},
  };
  CaseBuilder builder;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    absl::StatusOr<Built> built =
        builder.InState(row.state, China(2026, 3, 2, 9));
    ASSERT_TRUE(built.ok()) << built.status();
    const v1::RoutingCaseRecord before = built->record;
    absl::StatusOr<v1::CaseEvent> event =
        Act(builder, *built,
            ValidCommand(v1::CASE_ACTION_CORRECT, row.actor,
                         built->last + absl::Hours(1)));
    EXPECT_EQ(event.status().code(), row.want) << event.status();
    if (row.want == absl::StatusCode::kFailedPrecondition) {
      EXPECT_THAT(std::string(event.status().message()),
                  HasSubstr(kRuleCorrect));
    }
    if (!event.ok()) {
      EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
    }
  }
}

TEST(CorrectTest, BadInputIsRefusedAndTheRecordKept) {
  struct Row {
    const char* rule;
    void (*edit)(Command&);
    absl::StatusCode want;
    const char* names;
  };
  const Row rows[] = {
      {"issue 18 item 6: with the reason", [](Command& c) { c.reason.clear(); },
       absl::StatusCode::kInvalidArgument, "reason"},
      {"the corrected matter and its decision come from routing",
       [](Command& c) { c.correction.reset(); },
       absl::StatusCode::kInvalidArgument, "correction"},
      {"a correction corrects something",
       [](Command& c) {
         c.correction->matter = Petition(c.now).matter();
       },
       absl::StatusCode::kInvalidArgument, "nothing to correct"},
      {"DOMAIN.md Routing: a repeat is linked at registration, not after",
       [](Command& c) {
         c.correction->decision = Decision(v1::DISPOSITION_LINKED_REPEAT);
       },
       absl::StatusCode::kFailedPrecondition, kRuleCorrect},
      {"the registering bureau must be an office",
       [](Command& c) {
         c.correction->decision.set_registering_office_code("999999:bureau");
       },
       absl::StatusCode::kInvalidArgument, "registering_office_code"},
  };
  CaseBuilder builder;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    absl::StatusOr<Built> built =
        builder.InState(v1::CASE_STATE_TRANSFERRED, China(2026, 3, 2, 9));
    ASSERT_TRUE(built.ok()) << built.status();
    const v1::RoutingCaseRecord before = built->record;
    Command cmd = ValidCommand(v1::CASE_ACTION_CORRECT, kCountyBureau,
                               built->last + absl::Hours(1));
    row.edit(cmd);
    absl::StatusOr<v1::CaseEvent> event = Act(builder, *built, cmd);
    EXPECT_EQ(event.status().code(), row.want) << event.status();
    EXPECT_THAT(std::string(event.status().message()), HasSubstr(row.names));
    EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
  }
}

TEST(CorrectTest, TheCaseIsRegisteredAnewAsTheRulesDecideTheCorrection) {
  struct Row {
    const char* rule;
    v1::CaseState from;
    v1::Disposition disposition;
    v1::CaseState want;
  };
  const Row rows[] = {
      {"Art. 22: re-registered, 15 days from the original receipt",
       v1::CASE_STATE_TRANSFERRED, v1::DISPOSITION_TRANSFER,
       v1::CASE_STATE_REGISTERED},
      {"Art. 22: a registered case re-registered", v1::CASE_STATE_REGISTERED,
       v1::DISPOSITION_ASSIGN, v1::CASE_STATE_REGISTERED},
      {"Art. 31: the corrected matter has a statutory route: not accepted",
       v1::CASE_STATE_ASSIGNED, v1::DISPOSITION_NOT_ACCEPTED,
       v1::CASE_STATE_NOT_ACCEPTED},
  };
  CaseBuilder builder;
  const absl::Time received = China(2026, 3, 2, 9);
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    absl::StatusOr<Built> built = builder.InState(row.from, received);
    ASSERT_TRUE(built.ok()) << built.status();
    const v1::RoutingCaseRecord before = built->record;
    Command cmd = ValidCommand(v1::CASE_ACTION_CORRECT, kCountyBureau,
                               built->last + absl::Hours(1));
    cmd.correction->matter.set_region_code("140402");
    cmd.correction->matter.set_matter_class(v1::MATTER_CLASS_SUGGESTION);
    cmd.correction->decision = Decision(row.disposition);
    // The city's 潞州区 is registered by its own county-level bureau.
    cmd.correction->decision.set_registering_office_code(kCityBureau);
    cmd.correction->decision.set_registering_office_name("长治市信访局");
    absl::StatusOr<v1::CaseEvent> event = Act(builder, *built, cmd);
    ASSERT_TRUE(event.ok()) << event.status();
    const v1::CaseView& view = built->record.view();
    EXPECT_EQ(view.state(), row.want);
    EXPECT_EQ(event->to_state(), row.want);
    EXPECT_EQ(view.office_code(), kCityBureau);
    EXPECT_EQ(view.matter().category(), "housing");
    EXPECT_EQ(view.matter().region_code(), "140402");
    EXPECT_EQ(view.matter().title(), before.view().matter().title());
    EXPECT_TRUE(MessageDifferencer::Equals(view.decision(),
                                           cmd.correction->decision));
    EXPECT_EQ(view.sender_office_code(), "");
    // DOMAIN.md Records: both values on the history.
    const v1::MatterCorrection& c = event->correction();
    EXPECT_EQ(c.old_category(), "labour");
    EXPECT_EQ(c.new_category(), "housing");
    EXPECT_EQ(c.old_region_code(), "140431");
    EXPECT_EQ(c.new_region_code(), "140402");
    EXPECT_EQ(c.old_matter_class(), v1::MATTER_CLASS_CLAIM);
    EXPECT_EQ(c.new_matter_class(), v1::MATTER_CLASS_SUGGESTION);
    EXPECT_EQ(event->category(), "housing");
    EXPECT_EQ(event->region_code(), "140402");
    EXPECT_EQ(event->decision().disposition(), row.disposition);
    if (row.want == v1::CASE_STATE_REGISTERED) {
      // Art. 22: 3-2 + 15 days, as at the first registration.
      ASSERT_EQ(view.deadlines_size(), 1);
      EXPECT_EQ(view.deadlines(0).kind(), v1::DEADLINE_KIND_TRANSFER);
      EXPECT_EQ(view.deadlines(0).office_code(), kCityBureau);
      EXPECT_EQ(FromProto(view.deadlines(0).started_at()), received);
      EXPECT_EQ(FromProto(view.deadlines(0).due_at()), China(2026, 3, 18));
    } else {
      EXPECT_EQ(view.deadlines_size(), 0);
      EXPECT_EQ(event->route(), Decision(row.disposition).route());
    }
  }
}

TEST(CorrectTest, AReplyOwedToASupervisionRunsOn) {
  // DOMAIN.md Deadlines (2005 Art. 36): a 督办 reply is the office's debt to
  // the bureau whatever happens to the case.
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_TRANSFERRED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  v1::SupervisionIssued issued;
  issued.set_supervision_id("QY-2026-000001/supervision/1");
  issued.set_issuer_office_code(kCityBureau);
  issued.set_target_office_code(kCountyHrss);
  ASSERT_TRUE(builder.lifecycle()
                  .Supervise(issued, built->last, built->last, built->record)
                  .ok());
  absl::StatusOr<v1::CaseEvent> event =
      Act(builder, *built,
          ValidCommand(v1::CASE_ACTION_CORRECT, kCountyBureau,
                       built->last + absl::Hours(1)));
  ASSERT_TRUE(event.ok()) << event.status();
  std::vector<v1::DeadlineKind> kinds;
  for (const auto& d : built->record.view().deadlines()) {
    kinds.push_back(d.kind());
  }
  EXPECT_THAT(kinds, ::testing::UnorderedElementsAre(
                         v1::DEADLINE_KIND_SUPERVISION_REPLY,
                         v1::DEADLINE_KIND_TRANSFER));
}

}  // namespace
}  // namespace caserelay::lifecycle::testing
