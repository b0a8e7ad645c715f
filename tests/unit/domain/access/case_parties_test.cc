// UpdateParties and FromKept: what supervision and notification keep of a
// case's parties from its events, and how an old store reads (issue 14).
#include "domain/access/case_parties.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::access {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

caserelay::v1::CaseEvent Held(const std::string& holder,
                              std::vector<std::string> accused = {}) {
  caserelay::v1::CaseEvent e;
  e.set_holder_office_code(holder);
  for (auto& a : accused) e.add_accused_office_codes(a);
  return e;
}

TEST(CasePartiesTest, RegisterSetsTheAccusedAndEachNewHolderPushesTheLast) {
  caserelay::v1::CaseParties kept;
  UpdateParties(Held("140431:bureau", {"140400:bureau"}), 1, &kept);
  UpdateParties(Held("140431:discipline"), 2, &kept);
  UpdateParties(Held("140431:discipline"), 3, &kept);  // unchanged
  UpdateParties(Held("140431100:gov", {"ignored"}), 4, &kept);
  UpdateParties(Held("140431:discipline"), 5, &kept);  // back: listed once
  UpdateParties(Held(""), 6, &kept);                   // no holder named: kept
  CaseParties p = FromKept("C", kept);
  EXPECT_EQ(p.case_id, "C");
  EXPECT_THAT(p.acting_offices, ElementsAre("140431:discipline"));
  EXPECT_THAT(p.past_holders, ElementsAre("140431:bureau", "140431:discipline",
                                          "140431100:gov"));
  ASSERT_TRUE(p.accused.has_value()) << "REGISTER (sequence 1) was applied";
  EXPECT_THAT(*p.accused, ElementsAre("140400:bureau"))
      << "only the first event names the accused";
}

TEST(CasePartiesTest, AStoreFromBeforeKnowsNoAccused) {
  // The REGISTER was applied before parties were kept: only later events.
  caserelay::v1::CaseParties kept;
  UpdateParties(Held("140431:hrss", {"140400:bureau"}), 7, &kept);
  CaseParties p = FromKept("C", kept);
  EXPECT_THAT(p.acting_offices, ElementsAre("140431:hrss"));
  EXPECT_THAT(p.past_holders, IsEmpty());
  EXPECT_FALSE(p.accused.has_value()) << "unknown, decided conservatively";
  EXPECT_FALSE(FromKept("C", caserelay::v1::CaseParties()).accused.has_value());
  EXPECT_THAT(FromKept("C", caserelay::v1::CaseParties()).acting_offices,
              IsEmpty());
}

}  // namespace
}  // namespace caserelay::access
