// Who reviews a department's reply (issue 23 item 6): Art. 35's
// "原办理机关、单位的上一级机关、单位" of a county department is the county
// government (本级人民政府) or the department of the same line one level up
// (上一级主管部门); the petitioner chooses, and the organ they applied to
// takes the request. Art. 36 applies the same to the reviewer.

#include <string>

#include "absl/status/status.h"
#include "domain/lifecycle/lifecycle.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/lifecycle/case_builder.h"

namespace caserelay::lifecycle::testing {
namespace {

using ::testing::HasSubstr;

constexpr absl::StatusCode kOk = absl::StatusCode::kOk;
constexpr absl::StatusCode kDenied = absl::StatusCode::kPermissionDenied;

struct Row {
  const char* rule;
  const char* reviewer;  // "" for a review row; else who decided the review
  const char* organ;     // the office taking the request
  absl::StatusCode want;
  const char* rule_has;  // the event's review_rule, or the refusal's text
};

void Check(const CaseBuilder& builder, const Row& row) {
  SCOPED_TRACE(row.rule);
  const bool rereview = row.reviewer[0] != '\0';
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REPLIED, China(2026, 3, 2, 9));
  if (rereview) {
    built = builder.Then(std::move(built), v1::CASE_ACTION_REQUEST_REVIEW,
                         row.reviewer);
    built = builder.Then(std::move(built), v1::CASE_ACTION_DECIDE_REVIEW,
                         row.reviewer);
  }
  ASSERT_TRUE(built.ok()) << built.status();
  const v1::CaseAction action = rereview ? v1::CASE_ACTION_REQUEST_REREVIEW
                                         : v1::CASE_ACTION_REQUEST_REVIEW;
  // The access rule and the life cycle agree (item 3).
  EXPECT_EQ(builder.lifecycle().MayTake(row.organ, action, built->record).ok(),
            row.want == kOk);
  absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Apply(
      ValidCommand(action, row.organ, built->last + absl::Hours(1)),
      built->record);
  ASSERT_EQ(event.status().code(), row.want) << event.status();
  if (row.want != kOk) {
    EXPECT_THAT(std::string(event.status().message()), HasSubstr(row.rule_has));
    return;
  }
  EXPECT_THAT(event->review_rule(), HasSubstr(row.rule_has));
  EXPECT_EQ(built->record.view().office_code(), row.organ);
  const v1::DeadlineKind kind =
      rereview ? v1::DEADLINE_KIND_REREVIEW : v1::DEADLINE_KIND_REVIEW;
  bool found = false;
  for (const v1::RunningDeadline& d : built->record.view().deadlines()) {
    if (d.kind() == kind) {
      EXPECT_EQ(d.office_code(), row.organ);
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST(ReviewOrganTest, ADepartmentsReplyIsReviewedByItsGovernmentOrItsLine) {
  // The reply is 沁源县人社局's (kCountyHrss).
  const Row rows[] = {
      {"Art. 35: 本级人民政府 — 沁源县人民政府 reviews its department", "",
       kCountyGov, kOk, "本级人民政府"},
      {"Art. 35: 上一级主管部门 — 长治市人社局 reviews 沁源县人社局", "",
       kCityHrss, kOk, "上一级主管部门"},
      {"Art. 35: 长治市人民政府 is two levels up from the department", "",
       kCityGov, kDenied, "'140431:gov' or '140400:hrss'"},
      {"Art. 35: 山西省人社厅 is two levels up on the line", "", kProvinceHrss,
       kDenied, "review office"},
      {"Art. 35: another line's department does not review it", "",
       "140400:housing", kDenied, "review office"},
  };
  CaseBuilder builder;
  for (const Row& row : rows) Check(builder, row);
}

TEST(ReviewOrganTest, TheRereviewFollowsWhoeverReviewed) {
  const Row rows[] = {
      {"Art. 36: reviewed by 沁源县人民政府 → 长治市人民政府 (上一级人民政府)",
       kCountyGov, kCityGov, kOk, "上一级人民政府"},
      {"Art. 36: reviewed by 沁源县人民政府 → not 长治市人社局", kCountyGov,
       kCityHrss, kDenied, "re-review office"},
      {"Art. 36: reviewed by 长治市人社局 → 长治市人民政府 (本级人民政府)",
       kCityHrss, kCityGov, kOk, "本级人民政府"},
      {"Art. 36: reviewed by 长治市人社局 → 山西省人社厅 (上一级主管部门)",
       kCityHrss, kProvinceHrss, kOk, "上一级主管部门"},
  };
  CaseBuilder builder;
  for (const Row& row : rows) Check(builder, row);
}

}  // namespace
}  // namespace caserelay::lifecycle::testing
