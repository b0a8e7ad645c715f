// LookupMemo (lookup_memo.h): intake's answer of a session's look-up, kept
// only for that session and case, until the session's expiry, bounded
// (issue 15 item 2: the portal before routing has registered the case;
// item 3: no personal data, bounded memory on a public site).
#include "services/web/lookup_memo.h"

#include <string>
#include <vector>

#include "common/time/timestamp.h"
#include "gtest/gtest.h"

namespace caserelay::web {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1796000000);

v1::GetCaseStatusResponse Status(const std::string& case_number) {
  v1::GetCaseStatusResponse status;
  status.set_case_number(case_number);
  status.set_state(v1::CASE_STATE_RECEIVED);
  status.set_state_text("已收到，等待登记");
  status.set_office_name("沁源县信访局");
  return status;
}

TEST(LookupMemoTest, FindsOnlyTheSessionsCaseUntilItsExpiry) {
  struct Row {
    const char* rule;
    std::string session;
    std::string case_id;
    absl::Time at;
    bool found;
  };
  LookupMemo memo;
  memo.Remember("s1", Status("SX-1"), kNow + absl::Minutes(15));
  for (const Row& row : std::vector<Row>{
           {"issue 15 item 2: the session that looked the case up", "s1",
            "SX-1", kNow, true},
           {"web-contract.md: another session gets nothing", "s2", "SX-1", kNow,
            false},
           {"only the case the look-up proved", "s1", "SX-2", kNow, false},
           {"the last instant of the session", "s1", "SX-1",
            kNow + absl::Minutes(15) - absl::Seconds(1), true},
           {"issue 15 item 3: not after the session's expiry", "s1", "SX-1",
            kNow + absl::Minutes(15), false},
       }) {
    auto got = memo.Find(row.session, row.case_id, row.at);
    EXPECT_EQ(got.has_value(), row.found) << row.rule;
    if (got.has_value()) {
      EXPECT_EQ(got->state_text(), "已收到，等待登记") << row.rule;
    }
  }
  memo.Forget("s1");
  EXPECT_FALSE(memo.Find("s1", "SX-1", kNow).has_value()) << "forgotten";
}

TEST(LookupMemoTest, AFullMemoDropsTheEntryThatExpiresFirst) {
  // Issue 15 item 3: a public site's memory is bounded.
  LookupMemo memo(2);
  memo.Remember("early", Status("SX-1"), kNow + absl::Minutes(5));
  memo.Remember("late", Status("SX-2"), kNow + absl::Minutes(15));
  memo.Remember("new", Status("SX-3"), kNow + absl::Minutes(10));
  EXPECT_FALSE(memo.Find("early", "SX-1", kNow).has_value());
  EXPECT_TRUE(memo.Find("late", "SX-2", kNow).has_value());
  EXPECT_TRUE(memo.Find("new", "SX-3", kNow).has_value());
}

TEST(LookupMemoTest, TheViewIsIntakesFieldsAsTheyAre) {
  // web-contract.md: the gateway computes no text; every field is intake's.
  v1::GetCaseStatusResponse status = Status("SX-1");
  *status.mutable_received_at() = time::ToProto(kNow);
  v1::PetitionerView view = ViewFromIntake(status);
  EXPECT_EQ(view.case_id(), "SX-1");
  EXPECT_EQ(view.state(), v1::CASE_STATE_RECEIVED);
  EXPECT_EQ(view.state_text(), "已收到，等待登记");
  EXPECT_EQ(view.office_name(), "沁源县信访局");
  EXPECT_EQ(view.received_at().seconds(), absl::ToUnixSeconds(kNow));
  EXPECT_TRUE(view.actions().empty());
}

}  // namespace
}  // namespace caserelay::web
