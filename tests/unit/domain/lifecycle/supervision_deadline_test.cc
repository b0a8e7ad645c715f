// A SUPERVISION_REPLY deadline (DOMAIN.md "Deadlines: reply to a
// supervision proposal (督办) 30 days (2005 Art. 36)") runs unchanged
// through every later action of the case, whatever the life cycle does to
// its own deadlines, until the supervised office answers; a hearing pauses
// only the re-review clock (Art. 36); a case is not closed while a reply
// is owed.

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

constexpr char kId[] = "QY-2026-000001/supervision/1";

v1::SupervisionIssued ToHrss() {
  v1::SupervisionIssued s;
  s.set_supervision_id(kId);
  s.set_level(v1::SUPERVISION_LEVEL_LETTER);
  s.set_issuer_office_code(kCountyBureau);
  s.set_issuer_office_name("沁源县信访局");
  s.set_target_office_code(kCountyHrss);
  s.set_target_office_name("沁源县人力资源和社会保障局");
  s.set_missed_kind(v1::DEADLINE_KIND_ACCEPTANCE);
  return s;
}

// The case's one SUPERVISION_REPLY deadline; fails the test if there is not
// exactly one.
v1::RunningDeadline OnlyReply(
    const google::protobuf::RepeatedPtrField<v1::RunningDeadline>& deadlines) {
  std::vector<v1::RunningDeadline> replies;
  for (const auto& d : deadlines) {
    if (d.kind() == v1::DEADLINE_KIND_SUPERVISION_REPLY) replies.push_back(d);
  }
  EXPECT_EQ(replies.size(), 1u);
  return replies.empty() ? v1::RunningDeadline() : replies[0];
}

const v1::RunningDeadline* Find(const v1::CaseView& view,
                                v1::DeadlineKind kind) {
  for (const auto& d : view.deadlines()) {
    if (d.kind() == kind) return &d;
  }
  return nullptr;
}

// TRANSFERRED (received 3-2 09:00, transferred 10:00) with a supervision
// of the 人社局 recorded at 11:00.
Built Supervised(const CaseBuilder& builder, BuildOptions options = {}) {
  absl::StatusOr<Built> built = builder.InState(v1::CASE_STATE_TRANSFERRED,
                                                China(2026, 3, 2, 9), options);
  EXPECT_TRUE(built.ok()) << built.status();
  if (!built.ok()) return {};
  built->last += absl::Hours(1);
  EXPECT_TRUE(builder.lifecycle()
                  .Supervise(ToHrss(), built->last, built->last, built->record)
                  .ok());
  return *std::move(built);
}

TEST(SupervisionReplyDeadlineTest, SurvivesEveryActionOfTheLifeCycle) {
  CaseBuilder builder;
  Built built = Supervised(builder);
  const v1::RunningDeadline issued = OnlyReply(built.record.view().deadlines());
  ASSERT_EQ(issued.supervision_id(), kId);

  struct Step {
    v1::CaseAction action;
    const char* actor;
  };
  const Step steps[] = {
      {v1::CASE_ACTION_ACCEPT, kCountyHrss},
      {v1::CASE_ACTION_EXTEND, kCountyHrss},
      {v1::CASE_ACTION_REPLY, kCountyHrss},
      {v1::CASE_ACTION_EVALUATE, kCountyHrss},
      {v1::CASE_ACTION_REQUEST_REVIEW, kCityHrss},
      {v1::CASE_ACTION_DECIDE_REVIEW, kCityHrss},
      {v1::CASE_ACTION_REQUEST_REREVIEW, kProvinceHrss},
      {v1::CASE_ACTION_START_HEARING, kProvinceHrss},
      {v1::CASE_ACTION_END_HEARING, kProvinceHrss},
      {v1::CASE_ACTION_DECIDE_REREVIEW, kProvinceHrss},
  };
  for (const Step& step : steps) {
    SCOPED_TRACE(ActionName(step.action));
    built.last += absl::Hours(1);
    absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Apply(
        ValidCommand(step.action, step.actor, built.last), built.record);
    ASSERT_TRUE(event.ok()) << event.status();
    EXPECT_TRUE(MessageDifferencer::Equals(
        OnlyReply(built.record.view().deadlines()), issued));
    EXPECT_TRUE(
        MessageDifferencer::Equals(OnlyReply(event->deadlines()), issued));
    if (step.action == v1::CASE_ACTION_START_HEARING) {
      // Art. 36: the hearing pauses the re-review clock only.
      const v1::RunningDeadline* rereview =
          Find(built.record.view(), v1::DEADLINE_KIND_REREVIEW);
      ASSERT_NE(rereview, nullptr);
      EXPECT_TRUE(rereview->has_paused_at());
    }
  }
  EXPECT_EQ(built.record.view().state(), v1::CASE_STATE_TERMINATED);

  // Answered by the 人社局, which no longer holds the case.
  built.last += absl::Hours(1);
  Command reply =
      ValidCommand(v1::CASE_ACTION_REPLY_SUPERVISION, kCountyHrss, built.last);
  absl::StatusOr<v1::CaseEvent> answered =
      builder.lifecycle().Apply(reply, built.record);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(Find(built.record.view(), v1::DEADLINE_KIND_SUPERVISION_REPLY),
            nullptr);
  EXPECT_EQ(answered->to_state(), v1::CASE_STATE_TERMINATED);
  EXPECT_EQ(answered->holder_office_code(), kProvinceHrss);
}

TEST(SupervisionReplyDeadlineTest, SurvivesTheActionsThatEndTheOthers) {
  struct Row {
    const char* rule;
    Path path;
    v1::CaseAction action;
    v1::CaseState to;
    std::vector<v1::DeadlineKind> lifecycle_kinds;  // after, in order
  };
  const Row rows[] = {
      {"Art. 23: OBJECT ends ACCEPTANCE, restarts TRANSFER",
       Path::kTransfer,
       v1::CASE_ACTION_OBJECT,
       v1::CASE_STATE_REGISTERED,
       {v1::DEADLINE_KIND_TRANSFER}},
      {"Art. 23: OBJECT of a 交办 also ends RESULT_REPORT",
       Path::kAssign,
       v1::CASE_ACTION_OBJECT,
       v1::CASE_STATE_REGISTERED,
       {v1::DEADLINE_KIND_TRANSFER}},
      {"Art. 23: DECLINE ends every deadline of the life cycle",
       Path::kTransfer,
       v1::CASE_ACTION_DECLINE,
       v1::CASE_STATE_NOT_ACCEPTED,
       {}},
  };
  CaseBuilder builder;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    BuildOptions options;
    options.path = row.path;
    absl::StatusOr<Built> built =
        builder.InState(row.path == Path::kAssign ? v1::CASE_STATE_ASSIGNED
                                                  : v1::CASE_STATE_TRANSFERRED,
                        China(2026, 3, 2, 9), options);
    ASSERT_TRUE(built.ok()) << built.status();
    built->last += absl::Hours(1);
    ASSERT_TRUE(
        builder.lifecycle()
            .Supervise(ToHrss(), built->last, built->last, built->record)
            .ok());
    const v1::RunningDeadline issued =
        OnlyReply(built->record.view().deadlines());
    built->last += absl::Hours(1);
    absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Apply(
        ValidCommand(row.action, kCountyHrss, built->last), built->record);
    ASSERT_TRUE(event.ok()) << event.status();
    EXPECT_EQ(event->to_state(), row.to);
    std::vector<v1::DeadlineKind> kinds;
    for (const auto& d : built->record.view().deadlines()) {
      if (d.kind() != v1::DEADLINE_KIND_SUPERVISION_REPLY) {
        kinds.push_back(d.kind());
      }
    }
    EXPECT_EQ(kinds, row.lifecycle_kinds);
    EXPECT_TRUE(MessageDifferencer::Equals(
        OnlyReply(built->record.view().deadlines()), issued));
  }
}

TEST(SupervisionReplyDeadlineTest, CloseWaitsForTheReply) {
  // From NOT_ACCEPTED (Arts. 23, 31) the holder closes at once, unless a
  // reply to a supervision is owed.
  CaseBuilder builder;
  Built built = Supervised(builder);
  built.last += absl::Hours(1);
  ASSERT_TRUE(
      builder.lifecycle()
          .Apply(ValidCommand(v1::CASE_ACTION_DECLINE, kCountyHrss, built.last),
                 built.record)
          .ok());
  const v1::RoutingCaseRecord before = built.record;
  built.last += absl::Hours(1);
  absl::StatusOr<v1::CaseEvent> refused = builder.lifecycle().Apply(
      ValidCommand(v1::CASE_ACTION_CLOSE, kCountyHrss, built.last),
      built.record);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr(kRuleReplySupervision));
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr(kId));
  EXPECT_TRUE(MessageDifferencer::Equals(before, built.record));

  ASSERT_TRUE(builder.lifecycle()
                  .Apply(ValidCommand(v1::CASE_ACTION_REPLY_SUPERVISION,
                                      kCountyHrss, built.last),
                         built.record)
                  .ok());
  built.last += absl::Hours(1);
  absl::StatusOr<v1::CaseEvent> closed = builder.lifecycle().Apply(
      ValidCommand(v1::CASE_ACTION_CLOSE, kCountyHrss, built.last),
      built.record);
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->to_state(), v1::CASE_STATE_CLOSED);
  EXPECT_EQ(closed->deadlines_size(), 0);
}

}  // namespace
}  // namespace caserelay::lifecycle::testing
