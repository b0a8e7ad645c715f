// Issue 19 item 4 (G item 1-2): supervision's subtree answers merged across
// the instances that answered them (subtree_merge.h) read as one instance
// holding every partition would answer: the red-light board oldest due
// first (README "Serves": ListRedLights), the group alerts newest first
// (ListGroupAlerts), pages of `limit` with a cursor that continues across
// owners, and the indicators summed as raw counts (indicators.h: Rate.value
// = numerator / denominator), never as an average of ratios.

#include "services/supervision/subtree_merge.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "services/supervision/group_alerts.h"
#include "services/supervision/keys.h"

namespace caserelay::supervision {
namespace {

using caserelay::v1::GetIndicatorsResponse;
using caserelay::v1::ListGroupAlertsResponse;
using caserelay::v1::ListRedLightsResponse;

const absl::Time kNow = absl::FromUnixSeconds(1800000000);

// A red light of case `c` due `days_ago` days before kNow.
caserelay::v1::RedLight Light(const std::string& c, int days_ago) {
  caserelay::v1::RedLight l;
  l.mutable_deadline()->set_deadline_id(absl::StrCat(c, "/handling/1"));
  *l.mutable_deadline()->mutable_due_at() =
      time::ToProto(kNow - absl::Hours(24 * days_ago) - absl::Minutes(1));
  l.set_overdue_days(-1);  // the merge recomputes it at kNow
  return l;
}

// One owner's page: its lights (oldest first) and whether it has more.
rpc::Shard<ListRedLightsResponse> Board(
    const std::vector<caserelay::v1::RedLight>& lights, bool more) {
  rpc::Shard<ListRedLightsResponse> shard;
  for (const auto& l : lights) *shard.response.add_lights() = l;
  if (more && !lights.empty()) {
    const auto& last = lights.back().deadline();
    shard.response.set_next_page_token(absl::BytesToHexString(LightKey(
        time::FromProto(last.due_at()), last.deadline_id())));
  }
  return shard;
}

std::vector<std::string> Cases(const ListRedLightsResponse& r) {
  std::vector<std::string> out;
  for (const auto& l : r.lights()) {
    out.push_back(l.deadline().deadline_id().substr(0, 2));
  }
  return out;
}

TEST(SubtreeMergeTest, RedLightsOldestDueFirstAcrossOwnersPagedByLimit) {
  struct Row {
    const char* rule;
    std::vector<rpc::Shard<ListRedLightsResponse>> shards;
    int limit;
    std::vector<std::string> cases;
    bool more;
  };
  const Row rows[] = {
      {"README ListRedLights: oldest due first, whichever owner holds it",
       {Board({Light("c1", 9), Light("c3", 5)}, false),
        Board({Light("c2", 7), Light("c4", 1)}, false)},
       100,
       {"c1", "c2", "c3", "c4"},
       false},
      {"limit: at most `limit` lights, the oldest, and a token",
       {Board({Light("c1", 9), Light("c3", 5)}, false),
        Board({Light("c2", 7), Light("c4", 1)}, false)},
       3,
       {"c1", "c2", "c3"},
       true},
      {"cursor across owners: an owner with more bounds the page",
       {Board({Light("c1", 9), Light("c2", 8)}, true),
        Board({Light("c3", 5)}, false)},
       2,
       {"c1", "c2"},
       true},
      {"an owner with nothing in the scope adds nothing",
       {Board({}, false), Board({Light("c1", 3)}, false)},
       100,
       {"c1"},
       false},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.rule);
    ListRedLightsResponse merged = MergeRedLights(r.shards, r.limit, kNow);
    EXPECT_EQ(Cases(merged), r.cases);
    EXPECT_EQ(!merged.next_page_token().empty(), r.more);
    EXPECT_EQ(time::FromProto(merged.as_of()), kNow);
    for (const auto& l : merged.lights()) {
      EXPECT_EQ(l.overdue_days(),
                OverdueDays(time::FromProto(l.deadline().due_at()), kNow))
          << "README: whole days of now - due on the answering instance";
    }
  }
}

TEST(SubtreeMergeTest, TheMergedTokenContinuesWhereThePageEnded) {
  // Page 1 ends at c2 (the first owner had more); page 2, asked after c2,
  // gets c3 from the first owner and c4 from the second.
  ListRedLightsResponse page1 = MergeRedLights(
      {Board({Light("c1", 9), Light("c2", 8)}, true),
       Board({Light("c4", 4)}, false)},
      2, kNow);
  ASSERT_EQ(Cases(page1), (std::vector<std::string>{"c1", "c2"}));
  const auto& c2 = page1.lights(1).deadline();
  EXPECT_EQ(page1.next_page_token(),
            absl::BytesToHexString(
                LightKey(time::FromProto(c2.due_at()), c2.deadline_id())))
      << "the token a single instance would give after c2";
}

caserelay::v1::GroupPetitionAlert Alert(const std::string& c, int hours_ago) {
  caserelay::v1::GroupPetitionAlert a;
  a.set_alert_id(absl::StrCat(c, "/group-alert"));
  *a.mutable_received_at() = time::ToProto(kNow - absl::Hours(hours_ago));
  return a;
}

TEST(SubtreeMergeTest, GroupAlertsNewestFirstAcrossOwners) {
  std::vector<rpc::Shard<ListGroupAlertsResponse>> shards(2);
  for (auto a : {Alert("c1", 1), Alert("c3", 5)}) {
    *shards[0].response.add_alerts() = a;
  }
  for (auto a : {Alert("c2", 2), Alert("c4", 9)}) {
    *shards[1].response.add_alerts() = a;
  }
  ListGroupAlertsResponse merged = MergeGroupAlerts(shards, 3);
  std::vector<std::string> ids;
  for (const auto& a : merged.alerts()) ids.push_back(a.alert_id().substr(0, 2));
  EXPECT_EQ(ids, (std::vector<std::string>{"c1", "c2", "c3"}))
      << "README ListGroupAlerts: newest received first";
  EXPECT_EQ(merged.next_page_token(),
            absl::BytesToHexString(GroupAlertKey(Alert("c3", 5))));
}

caserelay::v1::Rate Rate(int64_t numerator, int64_t denominator) {
  caserelay::v1::Rate r;
  r.set_numerator(numerator);
  r.set_denominator(denominator);
  if (denominator > 0) r.set_value(double(numerator) / denominator);
  return r;
}

TEST(SubtreeMergeTest, IndicatorsSumRawCountsNeverRatios) {
  std::vector<rpc::Shard<GetIndicatorsResponse>> shards(2);
  // Owner 1: 1 of 1 in time (100 %); owner 2: 1 of 3 (33 %). One instance
  // would count 2 of 4 = 50 %, not the mean 66.7 % (indicators.h).
  *shards[0].response.mutable_total()->mutable_on_time_completion() =
      Rate(1, 1);
  *shards[1].response.mutable_total()->mutable_on_time_completion() =
      Rate(1, 3);
  shards[0].response.mutable_total()->set_backlog(2);
  shards[1].response.mutable_total()->set_backlog(5);
  *shards[0].response.mutable_total()->mutable_satisfaction() = Rate(0, 0);
  // Rows by key: the same office from two owners is one row.
  auto* a = shards[0].response.add_rows();
  a->set_key("140431:hrss");
  *a->mutable_repeat() = Rate(1, 2);
  auto* b = shards[1].response.add_rows();
  b->set_key("140404:hrss");
  *b->mutable_repeat() = Rate(0, 1);
  auto* c = shards[1].response.add_rows();
  c->set_key("140431:hrss");
  *c->mutable_repeat() = Rate(1, 2);

  GetIndicatorsResponse merged = MergeIndicators(shards);
  const auto& t = merged.total();
  EXPECT_EQ(t.on_time_completion().numerator(), 2);
  EXPECT_EQ(t.on_time_completion().denominator(), 4);
  EXPECT_DOUBLE_EQ(t.on_time_completion().value(), 0.5);
  EXPECT_EQ(t.backlog(), 7) << "each case in one partition: cases add up";
  EXPECT_FALSE(t.satisfaction().has_value())
      << "Rate.value only when the denominator is positive";
  ASSERT_EQ(merged.rows_size(), 2);
  EXPECT_EQ(merged.rows(0).key(), "140404:hrss") << "rows sorted by key";
  EXPECT_EQ(merged.rows(1).key(), "140431:hrss");
  EXPECT_EQ(merged.rows(1).repeat().numerator(), 2);
  EXPECT_EQ(merged.rows(1).repeat().denominator(), 4);
  EXPECT_DOUBLE_EQ(merged.rows(1).repeat().value(), 0.5);
}

}  // namespace
}  // namespace caserelay::supervision
