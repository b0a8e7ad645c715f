// 领导包案's quota (issue 18 item 2): the quarter of a day in China time and
// each leader's count in it against leadership.charge_quota_per_quarter.

#include "services/routing/charged_quarter.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"

namespace caserelay::routing {
namespace {

absl::Time China(int y, int m, int d, int hh = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0),
                         absl::FixedTimeZone(8 * 3600));
}

TEST(ChargedQuarterTest, TheQuarterOfAChinaDay) {
  struct Row {
    const char* rule;
    absl::Time now;
    const char* label;
    absl::Time start;
    absl::Time end;
  };
  const Row rows[] = {
      {"Jan-Mar is Q1", China(2026, 2, 14, 10), "2026Q1", China(2026, 1, 1),
       China(2026, 4, 1)},
      {"the last minute of March, China time, is still Q1",
       China(2026, 3, 31, 23), "2026Q1", China(2026, 1, 1), China(2026, 4, 1)},
      {"00:30 on 1 April China time is Q2 though it is 31 March in UTC",
       China(2026, 4, 1, 0) + absl::Minutes(30), "2026Q2", China(2026, 4, 1),
       China(2026, 7, 1)},
      {"Oct-Dec is Q4, ending at the next year's first day",
       China(2026, 12, 7, 9), "2026Q4", China(2026, 10, 1), China(2027, 1, 1)},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    const ChargedQuarter q = QuarterOf(row.now);
    EXPECT_EQ(q.label, row.label);
    EXPECT_EQ(q.start, row.start);
    EXPECT_EQ(q.end, row.end);
  }
}

caserelay::v1::LeaderInCharge Leader(const std::string& name, absl::Time since) {
  caserelay::v1::LeaderInCharge l;
  l.set_leader_name(name);
  l.set_leader_title("副县长");
  *l.mutable_since() = time::ToProto(since);
  return l;
}

TEST(ChargedQuarterTest, EachLeadersCountThisQuarterAgainstTheQuota) {
  const ChargedQuarter q = QuarterOf(China(2026, 5, 20, 9));  // 2026Q2
  const std::vector<caserelay::v1::LeaderInCharge> taken = {
      Leader("王某某", China(2026, 4, 1)),       // the quarter's first instant
      Leader("王某某", China(2026, 6, 30, 23)),  // its last hour
      Leader("李某某", China(2026, 5, 2)),
      Leader("李某某", China(2026, 3, 31, 23)),  // the quarter before
      Leader("赵某某", China(2026, 7, 1)),       // the quarter after
  };
  // Every leader who took a case this quarter, by name, with the quota.
  std::vector<caserelay::v1::LeaderQuota> rows = CountQuarter(taken, q, "", 3);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].leader_name(), "李某某");
  EXPECT_EQ(rows[0].taken(), 1);
  EXPECT_EQ(rows[1].leader_name(), "王某某");
  EXPECT_EQ(rows[1].taken(), 2);
  EXPECT_EQ(rows[1].quota(), 3);
  EXPECT_EQ(rows[1].leader_title(), "副县长");
  // The asked leader only, shown with none taken too.
  rows = CountQuarter(taken, q, "赵某某", 3);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].leader_name(), "赵某某");
  EXPECT_EQ(rows[0].taken(), 0);
  EXPECT_EQ(rows[0].quota(), 3);
}

}  // namespace
}  // namespace caserelay::routing
