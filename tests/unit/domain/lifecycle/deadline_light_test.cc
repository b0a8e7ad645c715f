// The traffic light of a deadline (domain/lifecycle/deadline_light.h):
// one function for supervision's yellow and red lights and routing's
// inbox. Each row cites its rule.
#include "domain/lifecycle/deadline_light.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace caserelay::lifecycle {
namespace {

using caserelay::v1::DEADLINE_LIGHT_GREEN;
using caserelay::v1::DEADLINE_LIGHT_RED;
using caserelay::v1::DEADLINE_LIGHT_YELLOW;

TEST(DeadlineLightTest, GreenYellowRedAroundTheDue) {
  const absl::Time due = absl::FromUnixSeconds(1796000000);
  const absl::Duration h72 = absl::Hours(72);
  struct Row {
    std::string rule;
    absl::Time now;
    absl::Duration warning_before;
    caserelay::v1::DeadlineLight want;
  };
  for (const Row& r : std::vector<Row>{
           {"issue 16: green before the warning time", due - h72 - absl::Seconds(1),
            h72, DEADLINE_LIGHT_GREEN},
           {"supervision README: the yellow light at due - warning_before",
            due - h72, h72, DEADLINE_LIGHT_YELLOW},
           {"issue 16: yellow within the warning time", due - absl::Hours(1),
            h72, DEADLINE_LIGHT_YELLOW},
           {"DOMAIN.md 灭红灯: red once due (supervision misses it at due)",
            due, h72, DEADLINE_LIGHT_RED},
           {"DOMAIN.md 灭红灯: red while overdue", due + absl::Hours(24 * 30),
            h72, DEADLINE_LIGHT_RED},
           {"supervision.warning_before = 0: no yellow light",
            due - absl::Seconds(1), absl::ZeroDuration(), DEADLINE_LIGHT_GREEN},
           {"supervision.warning_before = 0: still red once due", due,
            absl::ZeroDuration(), DEADLINE_LIGHT_RED},
       }) {
    EXPECT_EQ(LightOf(due, r.now, r.warning_before), r.want) << r.rule;
  }
}

// supervision fires its DeadlineWarning at YellowFrom: the light turns
// yellow exactly then, so the inbox and the warning agree.
TEST(DeadlineLightTest, YellowFromIsWhereTheLightTurnsYellow) {
  const absl::Time due = absl::FromUnixSeconds(1796000000);
  for (absl::Duration warn : {absl::Hours(1), absl::Hours(72)}) {
    const absl::Time yellow = YellowFrom(due, warn);
    EXPECT_EQ(yellow, due - warn);
    EXPECT_EQ(LightOf(due, yellow - absl::Nanoseconds(1), warn),
              DEADLINE_LIGHT_GREEN);
    EXPECT_EQ(LightOf(due, yellow, warn), DEADLINE_LIGHT_YELLOW);
  }
  EXPECT_EQ(YellowFrom(due, absl::ZeroDuration()), absl::InfiniteFuture());
}

}  // namespace
}  // namespace caserelay::lifecycle
