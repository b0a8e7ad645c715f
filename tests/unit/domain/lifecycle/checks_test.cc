// Who may act (PERMISSION_DENIED), what each action needs
// (INVALID_ARGUMENT naming the field), and the once-only rules of the
// result report and the accusation rule; every refusal leaves the record
// exactly as it was.

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "domain/lifecycle/lifecycle.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/lifecycle/case_builder.h"

namespace caserelay::lifecycle::testing {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;

constexpr absl::StatusCode kOk = absl::StatusCode::kOk;

struct Row {
  const char* rule;  // what the row checks, citing DOMAIN.md / the article
  v1::CaseState state;
  v1::CaseAction action;
  const char* actor;
  std::function<void(Command&)> edit;  // spoils the valid command
  absl::StatusCode want;
  const char* message_has;
  Path path = Path::kTransfer;
};

void Check(const CaseBuilder& builder, const Row& row,
           v1::Disposition disposition = v1::DISPOSITION_TRANSFER) {
  SCOPED_TRACE(row.rule);
  BuildOptions options;
  options.path = row.path;
  options.disposition = disposition;
  absl::StatusOr<Built> built =
      builder.InState(row.state, China(2026, 3, 2, 9), options);
  ASSERT_TRUE(built.ok()) << built.status();
  Command cmd =
      ValidCommand(row.action, row.actor, built->last + absl::Hours(1));
  if (row.edit) row.edit(cmd);
  const v1::RoutingCaseRecord before = built->record;
  absl::StatusOr<v1::CaseEvent> event =
      builder.lifecycle().Apply(cmd, built->record);
  EXPECT_EQ(event.status().code(), row.want) << event.status();
  if (row.want == kOk) return;
  EXPECT_THAT(std::string(event.status().message()),
              HasSubstr(row.message_has));
  EXPECT_TRUE(MessageDifferencer::Equals(before, built->record))
      << "the record changed on error";
}

TEST(PermissionTest, OnlyTheOfficeTheRuleNamesMayAct) {
  constexpr auto kDenied = absl::StatusCode::kPermissionDenied;
  const Row rows[] = {
      {"Art. 22: the holding bureau transfers, not the target",
       v1::CASE_STATE_REGISTERED, v1::CASE_ACTION_TRANSFER, kCountyHrss,
       nullptr, kDenied, "holder"},
      {"Art. 22: another bureau may not transfer it", v1::CASE_STATE_REGISTERED,
       v1::CASE_ACTION_ASSIGN, kCityBureau, nullptr, kDenied, kCountyBureau},
      {"Art. 23: once transferred, the sender may not accept for the organ",
       v1::CASE_STATE_TRANSFERRED, v1::CASE_ACTION_ACCEPT, kCountyBureau,
       nullptr, kDenied, "holder"},
      {"Art. 23: only the organ holding it objects", v1::CASE_STATE_TRANSFERRED,
       v1::CASE_ACTION_OBJECT, kCountyHousing, nullptr, kDenied, "holder"},
      {"Art. 34: only the handling organ extends", v1::CASE_STATE_ACCEPTED,
       v1::CASE_ACTION_EXTEND, kCityHrss, nullptr, kDenied, "holder"},
      {"Art. 35: the handler does not review itself", v1::CASE_STATE_REPLIED,
       v1::CASE_ACTION_REQUEST_REVIEW, kCountyHrss, nullptr, kDenied,
       "review office"},
      {"Art. 35: review is one level up, not two", v1::CASE_STATE_REPLIED,
       v1::CASE_ACTION_REQUEST_REVIEW, kProvinceHrss, nullptr, kDenied,
       kCityHrss},
      {"Art. 35: the handler does not decide the review",
       v1::CASE_STATE_REVIEW_REQUESTED, v1::CASE_ACTION_DECIDE_REVIEW,
       kCountyHrss, nullptr, kDenied, "holder"},
      {"Art. 36: the reviewer does not re-review itself",
       v1::CASE_STATE_REVIEWED, v1::CASE_ACTION_REQUEST_REREVIEW, kCityHrss,
       nullptr, kDenied, "re-review office"},
      {"Art. 36: only the re-review office holds the hearing",
       v1::CASE_STATE_HEARING, v1::CASE_ACTION_END_HEARING, kCityHrss, nullptr,
       kDenied, "holder"},
      {"Art. 22: the handler reports the result, not the bureau",
       v1::CASE_STATE_REPLIED, v1::CASE_ACTION_REPORT_RESULT, kCountyBureau,
       nullptr, kDenied, "handler", Path::kAssign},
      {"Art. 22: the review office holds the case but owes no report",
       v1::CASE_STATE_REVIEW_REQUESTED, v1::CASE_ACTION_REPORT_RESULT,
       kCityHrss, nullptr, kDenied, "handler", Path::kAssign},
  };
  CaseBuilder builder;
  for (const Row& row : rows) Check(builder, row);
}

TEST(InputTest, MissingOrBadInputNamesTheField) {
  constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
  const Row rows[] = {
      {"Art. 23: an objection gives its reasons", v1::CASE_STATE_TRANSFERRED,
       v1::CASE_ACTION_OBJECT, kCountyHrss, [](Command& c) { c.reason = ""; },
       kInvalid, "reason"},
      {"Art. 23: not accepted, with a reason", v1::CASE_STATE_ASSIGNED,
       v1::CASE_ACTION_DECLINE, kCountyHrss, [](Command& c) { c.reason = ""; },
       kInvalid, "reason"},
      {"Art. 23: not accepted, with the route told", v1::CASE_STATE_TRANSFERRED,
       v1::CASE_ACTION_DECLINE, kCountyHrss, [](Command& c) { c.route = ""; },
       kInvalid, "route"},
      {"Art. 34: an extension gives its reason", v1::CASE_STATE_ACCEPTED,
       v1::CASE_ACTION_EXTEND, kCountyHrss, [](Command& c) { c.reason = ""; },
       kInvalid, "reason"},
      {"Art. 34: the opinion has an outcome (支持/解释说明/不予支持)",
       v1::CASE_STATE_ACCEPTED, v1::CASE_ACTION_REPLY, kCountyHrss,
       [](Command& c) { c.outcome = v1::OUTCOME_UNSPECIFIED; }, kInvalid,
       "outcome"},
      {"Art. 34: an outcome outside the enum is no outcome",
       v1::CASE_STATE_EXTENDED, v1::CASE_ACTION_REPLY, kCountyHrss,
       [](Command& c) { c.outcome = static_cast<v1::Outcome>(42); }, kInvalid,
       "outcome"},
      {"Art. 35: the review decision has an outcome",
       v1::CASE_STATE_REVIEW_REQUESTED, v1::CASE_ACTION_DECIDE_REVIEW,
       kCityHrss, [](Command& c) { c.outcome = v1::OUTCOME_UNSPECIFIED; },
       kInvalid, "outcome"},
      {"Art. 36: the re-review decision has an outcome",
       v1::CASE_STATE_REREVIEW_REQUESTED, v1::CASE_ACTION_DECIDE_REREVIEW,
       kProvinceHrss, [](Command& c) { c.outcome = v1::OUTCOME_UNSPECIFIED; },
       kInvalid, "outcome"},
      {"DOMAIN.md Supervision: the rating is 满意/基本满意/不满意",
       v1::CASE_STATE_REPLIED, v1::CASE_ACTION_EVALUATE, kCountyHrss,
       [](Command& c) { c.satisfaction = v1::SATISFACTION_UNSPECIFIED; },
       kInvalid, "satisfaction"},
      {"Art. 22: the target must be a known office", v1::CASE_STATE_REGISTERED,
       v1::CASE_ACTION_TRANSFER, kCountyBureau,
       [](Command& c) { c.target_office_code = "140431:nowhere"; }, kInvalid,
       "target_office_code"},
      {"CONVENTIONS.md #4: the actor must be a known office",
       v1::CASE_STATE_TRANSFERRED, v1::CASE_ACTION_ACCEPT, kCountyHrss,
       [](Command& c) { c.actor_office_code = "999999:x"; }, kInvalid,
       "actor_office_code"},
      {"CONVENTIONS.md #4: an actor is required", v1::CASE_STATE_TRANSFERRED,
       v1::CASE_ACTION_ACCEPT, kCountyHrss,
       [](Command& c) { c.actor_office_code = ""; }, kInvalid,
       "actor_office_code"},
      {"DOMAIN.md Records: history is never rewritten, time runs forward",
       v1::CASE_STATE_TRANSFERRED, v1::CASE_ACTION_ACCEPT, kCountyHrss,
       [](Command& c) { c.now -= absl::Hours(5); }, kInvalid, "now"},
  };
  CaseBuilder builder;
  for (const Row& row : rows) Check(builder, row);
}

TEST(InputTest, TriageCaseNeedsAnExplicitTarget) {
  // DOMAIN.md Routing: 无头事项 go to the bureau's triage queue; the bureau
  // names the office when it transfers.
  CaseBuilder builder;
  const Row missing = {"DOMAIN.md Routing: triage has no decided target",
                       v1::CASE_STATE_REGISTERED,
                       v1::CASE_ACTION_TRANSFER,
                       kCountyBureau,
                       nullptr,
                       absl::StatusCode::kInvalidArgument,
                       "target_office_code"};
  Check(builder, missing, v1::DISPOSITION_TRIAGE);
  const Row named = {"DOMAIN.md Routing: the bureau names the target",
                     v1::CASE_STATE_REGISTERED,
                     v1::CASE_ACTION_TRANSFER,
                     kCountyBureau,
                     [](Command& c) { c.target_office_code = kCountyHousing; },
                     kOk,
                     ""};
  Check(builder, named, v1::DISPOSITION_TRIAGE);
}

TEST(InputTest, ApplyRefusesRoutingsOwnActions) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REGISTERED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  for (v1::CaseAction action :
       {v1::CASE_ACTION_UNSPECIFIED, v1::CASE_ACTION_REGISTER,
        v1::CASE_ACTION_LINK_REPEAT}) {
    absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Apply(
        ValidCommand(action, kRoutingActor, built->last + absl::Hours(1)),
        built->record);
    EXPECT_EQ(event.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(event.status().message()), HasSubstr("action"));
  }
}

TEST(RuleTest, ResultReportIsOwedOnceAndOnlyByAnAssignedCase) {
  constexpr auto kFailed = absl::StatusCode::kFailedPrecondition;
  CaseBuilder builder;
  Check(builder, {"Art. 22: a transferred (转送) case owes no result report",
                  v1::CASE_STATE_REPLIED, v1::CASE_ACTION_REPORT_RESULT,
                  kCountyHrss, nullptr, kFailed, "not assigned"});
  Check(builder, {"Art. 22: an assigned case reports after its opinion",
                  v1::CASE_STATE_EVALUATED, v1::CASE_ACTION_REPORT_RESULT,
                  kCountyHrss, nullptr, kOk, "", Path::kAssign});
  Check(builder, {"Art. 22: the handler still reports during the review",
                  v1::CASE_STATE_REVIEWED, v1::CASE_ACTION_REPORT_RESULT,
                  kCountyHrss, nullptr, kOk, "", Path::kAssign});

  absl::StatusOr<Built> built =
      builder.Then(builder.InState(v1::CASE_STATE_REPLIED, China(2026, 3, 2, 9),
                                   {Path::kAssign}),
                   v1::CASE_ACTION_REPORT_RESULT, kCountyHrss);
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_TRUE(built->record.view().result_reported());
  const v1::RoutingCaseRecord before = built->record;
  absl::StatusOr<v1::CaseEvent> again = builder.lifecycle().Apply(
      ValidCommand(v1::CASE_ACTION_REPORT_RESULT, kCountyHrss,
                   built->last + absl::Hours(1)),
      built->record);
  EXPECT_EQ(again.status().code(), kFailed);
  EXPECT_THAT(std::string(again.status().message()),
              HasSubstr("reported already"));
  EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
}

TEST(RuleTest, CloseWaitsForAnOutstandingResultReport) {
  // Art. 22: the assigning bureau must get its 办结报告; closing would end
  // the RESULT_REPORT deadline unseen.
  CaseBuilder builder;
  absl::StatusOr<Built> built = builder.InState(
      v1::CASE_STATE_TERMINATED, China(2026, 3, 2, 9), {Path::kAssign});
  ASSERT_TRUE(built.ok()) << built.status();
  const v1::RoutingCaseRecord before = built->record;
  absl::StatusOr<v1::CaseEvent> closed = builder.lifecycle().Apply(
      ValidCommand(v1::CASE_ACTION_CLOSE, kProvinceHrss,
                   built->last + absl::Hours(1)),
      built->record);
  EXPECT_EQ(closed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(closed.status().message()), HasSubstr("Art. 22"));
  EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));

  built = builder.Then(std::move(built), v1::CASE_ACTION_REPORT_RESULT,
                       kCountyHrss);
  built = builder.Then(std::move(built), v1::CASE_ACTION_CLOSE, kProvinceHrss);
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_EQ(built->record.view().state(), v1::CASE_STATE_CLOSED);
  EXPECT_EQ(built->record.view().deadlines_size(), 0);
}

TEST(RuleTest, AnAccusationIsNeverTransferredToTheAccusedUnit) {
  // DOMAIN.md Classification, Art. 30.
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REGISTERED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  built->record.mutable_view()->mutable_matter()->set_matter_class(
      v1::MATTER_CLASS_ACCUSATION);
  built->record.mutable_view()->mutable_matter()->add_accused_offices(
      kCountyHrss);
  const v1::RoutingCaseRecord before = built->record;
  absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Apply(
      ValidCommand(v1::CASE_ACTION_TRANSFER, kCountyBureau,
                   built->last + absl::Hours(1)),
      built->record);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(event.status().message()), HasSubstr("Art. 30"));
  EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
}

TEST(RuleTest, OnlyABureauTransfers) {
  // Art. 22: 转送/交办 is the petition bureau's act. A non-bureau holding a
  // registered case (a directory that changed) may not send it on.
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REGISTERED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  built->record.mutable_view()->set_office_code(kCountyHousing);
  absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Apply(
      ValidCommand(v1::CASE_ACTION_TRANSFER, kCountyHousing,
                   built->last + absl::Hours(1)),
      built->record);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(event.status().message()), HasSubstr("bureau"));
}

TEST(RuleTest, NoReviewOfficeAboveTheTopIsAFailedPrecondition) {
  // Art. 35: the case was handled by the province's department; nothing in
  // the directory reviews it.
  CaseBuilder builder;
  BuildOptions options;
  absl::StatusOr<Built> built = builder.InState(
      v1::CASE_STATE_REREVIEW_REQUESTED, China(2026, 3, 2, 9), options);
  ASSERT_TRUE(built.ok()) << built.status();
  built->record.mutable_view()->set_state(v1::CASE_STATE_REPLIED);
  built->record.set_handler_office_code(kProvinceHrss);
  absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Apply(
      ValidCommand(v1::CASE_ACTION_REQUEST_REVIEW, kProvinceHrss,
                   built->last + absl::Hours(1)),
      built->record);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(event.status().message()), HasSubstr("Art. 35"));
}

}  // namespace
}  // namespace caserelay::lifecycle::testing
