// 群体访 / 联名 (issue 18 item 3) in the life cycle: REGISTER carries the
// petition's head count and representatives onto the event (CaseEvent
// 33-34: 人次 for statistics, an SMS per representative for notification,
// the bureau's alert for supervision) and the case view (CaseView 26-27).

#include <vector>

#include "gtest/gtest.h"
#include "tests/unit/domain/lifecycle/case_builder.h"

namespace caserelay::lifecycle::testing {
namespace {

TEST(GroupRegisterTest, RegisterCarriesTheHeadCountAndRepresentatives) {
  struct Row {
    const char* rule;
    int head_count;
    int representatives;
  };
  const std::vector<Row> rows = {
      {"issue 18.3: a group of 37 persons and five representatives (Art. 18)",
       37, 5},
      {"PetitionReceived 6-7: an individual petition leaves both 0 (one)", 0,
       0},
  };
  CaseBuilder b;
  const absl::Time start = China(2026, 3, 4, 8);
  for (const Row& row : rows) {
    v1::PetitionReceived petition = Petition(start);
    petition.set_head_count(row.head_count);
    petition.set_representatives(row.representatives);
    v1::RoutingCaseRecord record;
    auto event = b.lifecycle().Register(
        petition, Decision(v1::DISPOSITION_TRANSFER), start, record);
    ASSERT_TRUE(event.ok()) << row.rule << ": " << event.status();
    EXPECT_EQ(event->head_count(), row.head_count) << row.rule;
    EXPECT_EQ(event->representatives(), row.representatives) << row.rule;
    EXPECT_EQ(record.view().head_count(), row.head_count) << row.rule;
    EXPECT_EQ(record.view().representatives(), row.representatives)
        << row.rule;
  }
}

}  // namespace
}  // namespace caserelay::lifecycle::testing
