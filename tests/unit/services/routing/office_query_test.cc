// The merges of routing's office lists over several instances or
// partitions (office_query.h; issue 19 item 4, README "Routing as N
// instances"): each list a page in its order with its token as where it
// stopped, merged as one store would page them (common/rpc/page_merge.h).

#include "services/routing/office_query.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "services/routing/case_store.h"
#include "services/routing/charged_index.h"

namespace caserelay::routing {
namespace {

namespace v1 = caserelay::v1;

constexpr char kOffice[] = "140431:bureau";
const absl::Time kT0 = absl::FromUnixSeconds(1780000000);

v1::ApprovalItem Proposal(const std::string& case_id, int minute) {
  v1::ApprovalItem item;
  item.set_case_id(case_id);
  *item.mutable_proposal()->mutable_proposed_at() =
      time::ToProto(kT0 + absl::Minutes(minute));
  return item;
}

// One instance's page: `items`, and a token after the item `after` of its
// own (-1: none, the instance's last page).
v1::ListApprovalsResponse ApprovalPage(std::vector<v1::ApprovalItem> items,
                                       int after = -1) {
  v1::ListApprovalsResponse page;
  for (auto& item : items) *page.add_items() = item;
  if (after >= 0) {
    page.set_next_page_token(
        PageTokenOf(ApprovalKeyOfItem(kOffice, items[after])));
  }
  return page;
}

std::vector<std::string> Ids(const v1::ListApprovalsResponse& page) {
  std::vector<std::string> ids;
  for (const auto& item : page.items()) ids.push_back(item.case_id());
  return ids;
}

TEST(OfficeQueryTest, ApprovalListsMergeOldestFirstAsOneQueue) {
  struct Row {
    const char* rule;
    std::vector<v1::ListApprovalsResponse> lists;
    int page_size;
    std::vector<std::string> want;
    // The item the merged token continues after; "" for the last page.
    std::string token_after;
  };
  const Row rows[] = {
      {"the head's queue is oldest proposal first across instances",
       {ApprovalPage({Proposal("A", 1), Proposal("C", 3)}),
        ApprovalPage({Proposal("B", 2), Proposal("D", 4)})},
       10,
       {"A", "B", "C", "D"},
       ""},
      {"a page holds at most page_size, continued after its last row",
       {ApprovalPage({Proposal("A", 1), Proposal("C", 3)}),
        ApprovalPage({Proposal("B", 2), Proposal("D", 4)})},
       3,
       {"A", "B", "C"},
       "C"},
      {"an instance with more stops the page at its token: nothing after "
       "it is known to be complete (page_merge.h)",
       {ApprovalPage({Proposal("A", 1), Proposal("B", 2)}, 1),
        ApprovalPage({Proposal("C", 3), Proposal("D", 4)})},
       10,
       {"A", "B"},
       "B"},
      {"a case met in two lists (moved while they answered) is listed once",
       {ApprovalPage({Proposal("A", 1), Proposal("B", 2)}),
        ApprovalPage({Proposal("B", 2)})},
       10,
       {"A", "B"},
       ""},
      {"an instance holding no partition answers the empty list", {}, 10, {},
       ""},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    auto merged = MergeApprovalLists(kOffice, row.lists, row.page_size);
    ASSERT_TRUE(merged.ok()) << merged.status();
    EXPECT_EQ(Ids(*merged), row.want);
    std::string want_token;
    for (const auto& list : row.lists) {
      for (const auto& item : list.items()) {
        if (item.case_id() == row.token_after) {
          want_token = PageTokenOf(ApprovalKeyOfItem(kOffice, item));
        }
      }
    }
    EXPECT_EQ(merged->next_page_token(), want_token);
  }
}

TEST(OfficeQueryTest, AnotherOfficesTokenIsRefused) {
  v1::ListApprovalsResponse page = ApprovalPage({Proposal("A", 1)});
  page.set_next_page_token(
      PageTokenOf(ApprovalKeyOfItem("140400:bureau", Proposal("A", 1))));
  auto merged = MergeApprovalLists(kOffice, {page}, 10);
  EXPECT_EQ(merged.status().code(), absl::StatusCode::kInvalidArgument);
}

v1::ChargedCase Charged(const std::string& case_id, const std::string& leader,
                        int minute) {
  v1::ChargedCase row;
  row.set_case_id(case_id);
  row.mutable_leader()->set_leader_name(leader);
  row.mutable_leader()->set_office_code(kOffice);
  *row.mutable_leader()->mutable_since() =
      time::ToProto(kT0 + absl::Minutes(minute));
  return row;
}

v1::LeaderQuota Quota(const std::string& leader, int taken) {
  v1::LeaderQuota q;
  q.set_leader_name(leader);
  q.set_taken(taken);
  q.set_quota(2);
  return q;
}

TEST(OfficeQueryTest, ChargedListsMergeNewestFirstWithTheCountsSummed) {
  // 领导包案 (issue 18 item 2): newest first; each leader's count of the
  // quarter is the sum of what each partition counted.
  v1::ListChargedCasesResponse a;
  *a.add_cases() = Charged("A", "王", 3);
  *a.add_cases() = Charged("C", "李", 1);
  *a.add_leaders() = Quota("李", 1);
  *a.add_leaders() = Quota("王", 1);
  a.set_quarter("2026Q2");
  a.set_quota_per_quarter(2);
  v1::ListChargedCasesResponse b;
  *b.add_cases() = Charged("B", "王", 2);
  *b.add_leaders() = Quota("王", 1);
  b.set_quarter("2026Q2");
  b.set_quota_per_quarter(2);

  auto merged = MergeChargedLists(kOffice, {a, b}, 10);
  ASSERT_TRUE(merged.ok()) << merged.status();
  std::vector<std::string> ids;
  for (const auto& row : merged->cases()) ids.push_back(row.case_id());
  EXPECT_EQ(ids, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_TRUE(merged->next_page_token().empty());
  EXPECT_EQ(merged->quarter(), "2026Q2");
  EXPECT_EQ(merged->quota_per_quarter(), 2);
  ASSERT_EQ(merged->leaders_size(), 2);
  EXPECT_EQ(merged->leaders(0).leader_name(), "李");
  EXPECT_EQ(merged->leaders(0).taken(), 1);
  EXPECT_EQ(merged->leaders(1).leader_name(), "王");
  EXPECT_EQ(merged->leaders(1).taken(), 2);

  auto first = MergeChargedLists(kOffice, {a, b}, 2);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->cases_size(), 2);
  EXPECT_EQ(first->next_page_token(),
            PageTokenOf(ChargedIndex::KeyOf(Charged("B", "王", 2).leader(), "B")));
}

}  // namespace
}  // namespace caserelay::routing
