// The access rule of the offices' API (Lifecycle::MayTake, which routing's
// Act asks before anything else) agrees with the table: whoever the table
// lets take an action in a state is admitted, an office with no part in
// the case is not (issue 23 item 3: the office a case was assigned to (交办)
// owes its result report (办结报告) after the case moved on to review, and
// was refused by routing although the life cycle allowed it).

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "domain/lifecycle/lifecycle.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/lifecycle/case_builder.h"

namespace caserelay::lifecycle::testing {
namespace {

using ::testing::HasSubstr;

constexpr absl::StatusCode kOk = absl::StatusCode::kOk;
constexpr absl::StatusCode kDenied = absl::StatusCode::kPermissionDenied;

TEST(AccessRuleTest, EachRowNamesWhoMayTakeTheActionAndApplyAgrees) {
  struct Row {
    const char* rule;
    v1::CaseState state;
    v1::CaseAction action;
    const char* office;
    absl::StatusCode want;  // of MayTake, and of Apply after it when kOk
  };
  const auto kReport = v1::CASE_ACTION_REPORT_RESULT;
  const Row rows[] = {
      {"Art. 22 交办: the assigned office reports after its opinion",
       v1::CASE_STATE_REPLIED, kReport, kCountyHrss, kOk},
      {"Art. 22 交办 + Art. 35: it still owes the report while the review "
       "office holds the case (REVIEW_REQUESTED)",
       v1::CASE_STATE_REVIEW_REQUESTED, kReport, kCountyHrss, kOk},
      {"Art. 22 交办 + Art. 35: ... and after the review (REVIEWED)",
       v1::CASE_STATE_REVIEWED, kReport, kCountyHrss, kOk},
      {"Art. 22 交办 + Art. 36: ... during the re-review (REREVIEW_REQUESTED)",
       v1::CASE_STATE_REREVIEW_REQUESTED, kReport, kCountyHrss, kOk},
      {"Art. 22 交办 + Art. 36: ... during a hearing (HEARING)",
       v1::CASE_STATE_HEARING, kReport, kCountyHrss, kOk},
      {"Art. 22 交办 + Art. 36: ... and after 信访终结 (TERMINATED), so the "
       "case can be closed",
       v1::CASE_STATE_TERMINATED, kReport, kCountyHrss, kOk},
      {"Art. 22: the report is the handler's, not the assigning bureau's",
       v1::CASE_STATE_REVIEW_REQUESTED, kReport, kCountyBureau, kDenied},
      {"Art. 22: an office with no part in the case reports nothing",
       v1::CASE_STATE_REVIEWED, kReport, kCountyHousing, kDenied},
      {"Art. 35: the review organ of the handler takes the review",
       v1::CASE_STATE_REPLIED, v1::CASE_ACTION_REQUEST_REVIEW, kCityHrss, kOk},
      {"Art. 36: the re-review organ of the reviewer takes the re-review",
       v1::CASE_STATE_REVIEWED, v1::CASE_ACTION_REQUEST_REREVIEW, kProvinceHrss,
       kOk},
      {"Art. 36: the re-review organ does not close a reviewed case it "
       "does not hold",
       v1::CASE_STATE_REVIEWED, v1::CASE_ACTION_CLOSE, kProvinceHrss, kDenied},
      {"Art. 34: the holder replies", v1::CASE_STATE_ACCEPTED,
       v1::CASE_ACTION_REPLY, kCountyHrss, kOk},
      {"Art. 23 (异议): the organ holding an assigned case objects; a holder "
       "may try any action and Apply names the rule",
       v1::CASE_STATE_ASSIGNED, v1::CASE_ACTION_OBJECT, kCountyHrss, kOk},
      {"Art. 34: the review organ does not reply for the holder",
       v1::CASE_STATE_ACCEPTED, v1::CASE_ACTION_REPLY, kCityHrss, kDenied},
  };
  CaseBuilder builder;
  BuildOptions assigned;
  assigned.path = Path::kAssign;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    absl::StatusOr<Built> built =
        builder.InState(row.state, China(2026, 3, 2, 9), assigned);
    ASSERT_TRUE(built.ok()) << built.status();
    absl::Status may =
        builder.lifecycle().MayTake(row.office, row.action, built->record);
    EXPECT_EQ(may.code(), row.want) << may;
    if (row.want != kOk) {
      EXPECT_THAT(std::string(may.message()), HasSubstr(row.office));
      EXPECT_THAT(std::string(may.message()), HasSubstr("takes no part"));
      continue;
    }
    // A close needs the review windows past (Arts. 35, 36).
    const absl::Time now = built->last + absl::Hours(1);
    absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Apply(
        ValidCommand(row.action, row.office, now), built->record);
    EXPECT_TRUE(event.ok()) << event.status();
  }
}

TEST(AccessRuleTest, AnAssignedCaseReviewedBeforeItsReportCanBeClosed) {
  // Art. 22 (交办) with Arts. 35, 36: the handler's report after the
  // review ends the RESULT_REPORT deadline; the terminated case closes.
  CaseBuilder builder;
  BuildOptions assigned;
  assigned.path = Path::kAssign;
  absl::StatusOr<Built> built = builder.InState(v1::CASE_STATE_REVIEW_REQUESTED,
                                                China(2026, 3, 2, 9), assigned);
  ASSERT_TRUE(built.ok()) << built.status();
  ASSERT_TRUE(
      builder.lifecycle()
          .MayTake(kCountyHrss, v1::CASE_ACTION_REPORT_RESULT, built->record)
          .ok());
  built = builder.Then(std::move(built), v1::CASE_ACTION_REPORT_RESULT,
                       kCountyHrss);
  built =
      builder.Then(std::move(built), v1::CASE_ACTION_DECIDE_REVIEW, kCityHrss);
  built = builder.Then(std::move(built), v1::CASE_ACTION_REQUEST_REREVIEW,
                       kProvinceHrss);
  built = builder.Then(std::move(built), v1::CASE_ACTION_DECIDE_REREVIEW,
                       kProvinceHrss);
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_TRUE(built->record.view().result_reported());
  built = builder.Then(std::move(built), v1::CASE_ACTION_CLOSE, kProvinceHrss);
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_EQ(built->record.view().state(), v1::CASE_STATE_CLOSED);
  EXPECT_EQ(built->record.view().deadlines_size(), 0);
}

TEST(AccessRuleTest, WhoeverTheTableAdmitsInAStateMayTakeTheAction) {
  // The walk: for every row an office takes, on a case in the row's state,
  // the office Apply accepts (found by trying every office of the
  // directory) is admitted by MayTake, and every office MayTake refuses
  // is refused by Apply too.
  const char* const kOffices[] = {kCountyBureau, kCityBureau,   kCountyHrss,
                                  kCityHrss,     kProvinceHrss, kCountyHousing,
                                  kCountyGov,    kCityGov};
  CaseBuilder builder;
  BuildOptions assigned;
  assigned.path = Path::kAssign;
  int admitted = 0;
  for (const Transition& row : Transitions()) {
    if (row.role == Role::kRouting || row.role == Role::kSupervisor ||
        row.role == Role::kSupervised) {
      continue;  // not office actions / covered by supervision_test
    }
    SCOPED_TRACE(absl::StrCat(StateName(row.from), " --",
                              ActionName(row.action), "--> (",
                              RoleName(row.role), ")"));
    absl::StatusOr<Built> built =
        builder.InState(row.from, China(2026, 3, 2, 9), assigned);
    ASSERT_TRUE(built.ok()) << built.status();
    const absl::Time now = built->last + (row.action == v1::CASE_ACTION_CLOSE
                                              ? absl::Hours(24 * 70)
                                              : absl::Hours(1));
    for (const char* office : kOffices) {
      v1::RoutingCaseRecord copy = built->record;
      absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Apply(
          ValidCommand(row.action, office, now), copy);
      const bool may =
          builder.lifecycle().MayTake(office, row.action, built->record).ok();
      if (event.status().code() != kDenied) {
        EXPECT_TRUE(may) << office << ": " << event.status();
        admitted += may ? 1 : 0;
      }
      if (!may) {
        EXPECT_EQ(event.status().code(), kDenied) << office;
      }
    }
  }
  EXPECT_GT(admitted, 0);
}

TEST(AccessRuleTest, EveryReviewOrganIsAPartyThatMayReadTheCase) {
  // Arts. 35-36 (issue 23 item 6): both organs one level up of 沁源县人社局
  // are parties of its replied case before either takes the request, so
  // they may read it; an office of another line is not.
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REPLIED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  for (const char* party : {kCountyHrss, kCountyGov, kCityHrss}) {
    EXPECT_TRUE(builder.lifecycle().IsPartyOf(party, built->record).ok())
        << party;
  }
  for (const char* outsider : {kCityGov, kCountyHousing, kCityBureau}) {
    EXPECT_EQ(builder.lifecycle().IsPartyOf(outsider, built->record).code(),
              kDenied)
        << outsider;
  }
}

TEST(AccessRuleTest, TheHolderMayTryAnyActionAndHearsTheRule) {
  // DOMAIN.md Deadlines (2005 Art. 36): the holder answering a 督办 that
  // was never issued is told there is nothing to answer
  // (FAILED_PRECONDITION), not that it has no part in its own case.
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_TRUE(builder.lifecycle()
                  .MayTake(kCountyHrss, v1::CASE_ACTION_REPLY_SUPERVISION,
                           built->record)
                  .ok());
  absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Apply(
      ValidCommand(v1::CASE_ACTION_REPLY_SUPERVISION, kCountyHrss,
                   built->last + absl::Hours(1)),
      built->record);
  EXPECT_EQ(event.status().code(), absl::StatusCode::kFailedPrecondition);
  // An office of another line learns nothing.
  EXPECT_EQ(builder.lifecycle()
                .MayTake(kCountyHousing, v1::CASE_ACTION_REPLY_SUPERVISION,
                         built->record)
                .code(),
            kDenied);
}

TEST(AccessRuleTest, ActionsNoOfficeTakesAreInvalidArgument) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REGISTERED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  for (v1::CaseAction action :
       {v1::CASE_ACTION_UNSPECIFIED, v1::CASE_ACTION_REGISTER,
        v1::CASE_ACTION_LINK_REPEAT, v1::CASE_ACTION_SUPERVISE}) {
    EXPECT_EQ(builder.lifecycle()
                  .MayTake(kCountyBureau, action, built->record)
                  .code(),
              absl::StatusCode::kInvalidArgument)
        << ActionName(action);
  }
}

}  // namespace
}  // namespace caserelay::lifecycle::testing
