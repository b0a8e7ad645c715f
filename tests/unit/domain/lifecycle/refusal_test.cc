// Each refusal (不予受理) names its own ground (issue 23 item 5): routing's
// REGISTER carries the decision's ground, an office's DECLINE carries the
// ground it gives, OUT_OF_SCOPE (Art. 23) when it gives none.

#include <string>

#include "absl/status/status.h"
#include "domain/lifecycle/lifecycle.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/lifecycle/case_builder.h"

namespace caserelay::lifecycle::testing {
namespace {

using ::testing::HasSubstr;

TEST(RefusalGroundTest, DeclineNamesTheOfficesGround) {
  struct Row {
    const char* rule;
    v1::RefusalGround given;
    absl::StatusCode want;
    v1::RefusalGround recorded;
  };
  const Row rows[] = {
      {"Art. 23: 不予受理 without a ground: outside the organ's remit",
       v1::REFUSAL_GROUND_UNSPECIFIED, absl::StatusCode::kOk,
       v1::REFUSAL_GROUND_OUT_OF_SCOPE},
      {"Art. 31 items 1-5: 诉访分离, the matter has a statutory route",
       v1::REFUSAL_GROUND_STATUTORY_ROUTE, absl::StatusCode::kOk,
       v1::REFUSAL_GROUND_STATUTORY_ROUTE},
      {"Art. 22: accepted and in progress below within its time limit",
       v1::REFUSAL_GROUND_IN_PROGRESS_BELOW, absl::StatusCode::kOk,
       v1::REFUSAL_GROUND_IN_PROGRESS_BELOW},
      {"Art. 36: 信访终结, the same request was re-reviewed",
       v1::REFUSAL_GROUND_TERMINATED, absl::StatusCode::kOk,
       v1::REFUSAL_GROUND_TERMINATED},
      {"Art. 23: a ground the protocol does not know is refused by name",
       static_cast<v1::RefusalGround>(99), absl::StatusCode::kInvalidArgument,
       v1::REFUSAL_GROUND_UNSPECIFIED},
  };
  CaseBuilder builder;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    absl::StatusOr<Built> built =
        builder.InState(v1::CASE_STATE_TRANSFERRED, China(2026, 3, 2, 9));
    ASSERT_TRUE(built.ok()) << built.status();
    Command cmd = ValidCommand(v1::CASE_ACTION_DECLINE, kCountyHrss,
                               built->last + absl::Hours(1));
    cmd.refusal_ground = row.given;
    absl::StatusOr<v1::CaseEvent> event =
        builder.lifecycle().Apply(cmd, built->record);
    EXPECT_EQ(event.status().code(), row.want) << event.status();
    if (!event.ok()) {
      EXPECT_THAT(std::string(event.status().message()),
                  HasSubstr("refusal_ground"));
      EXPECT_EQ(built->record.view().state(), v1::CASE_STATE_TRANSFERRED);
      continue;
    }
    EXPECT_EQ(event->refusal_ground(), row.recorded);
    EXPECT_EQ(event->to_state(), v1::CASE_STATE_NOT_ACCEPTED);
  }
}

TEST(RefusalGroundTest, RegisterKeepsTheDecisionsGround) {
  // Arts. 22, 31: routing's refusal is recorded with its ground.
  CaseBuilder builder;
  v1::RoutingCaseRecord record;
  v1::RouteDecision decision = Decision(v1::DISPOSITION_NOT_ACCEPTED);
  decision.set_refusal_ground(v1::REFUSAL_GROUND_IN_PROGRESS_BELOW);
  const absl::Time now = China(2026, 3, 2, 9);
  absl::StatusOr<v1::CaseEvent> event =
      builder.lifecycle().Register(Petition(now), decision, now, record);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->decision().refusal_ground(),
            v1::REFUSAL_GROUND_IN_PROGRESS_BELOW);
  EXPECT_EQ(record.view().decision().refusal_ground(),
            v1::REFUSAL_GROUND_IN_PROGRESS_BELOW);
}

}  // namespace
}  // namespace caserelay::lifecycle::testing
