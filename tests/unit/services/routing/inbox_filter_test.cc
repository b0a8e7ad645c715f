// ListInbox's console filters (issue 16) on a real temp-dir store:
// CaseStore::Inbox with InboxQuery's filters, its scan bound and case ids,
// SetInboxFilters (the request as a query) and SetLights. Each row cites
// its rule (routing.proto ListInboxRequest, inbox_request.h, case_store.h).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "services/routing/case_store.h"
#include "services/routing/inbox_request.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::routing {
namespace {

using caserelay::v1::CaseState;
using caserelay::v1::Channel;

constexpr char kOffice[] = "140431:bureau";

struct Case {
  int n;
  CaseState state;
  std::string category;
  Channel channel;
  std::string title;
  std::string text;
  int received_day;  // of November 2026
  int due_day;       // 0: no running deadline
};

class InboxFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = svctest::TestContext::Create(
        ColumnFamilies(),
        svctest::ChinaTime(2026, 11, 22, 10, 0));
    ASSERT_TRUE(t.ok()) << t.status();
    t_ = *std::move(t);
    cases_ = std::make_unique<CaseStore>(&t_->store());
    for (const Case& c : std::vector<Case>{
             {1, caserelay::v1::CASE_STATE_REGISTERED, "labour",
              caserelay::v1::CHANNEL_ONLINE, "拖欠工资", "工地拖欠农民工工资", 1, 5},
             {2, caserelay::v1::CASE_STATE_ACCEPTED, "housing",
              caserelay::v1::CHANNEL_VISIT, "房屋漏水", "楼顶漏水无人维修", 3, 6},
             {3, caserelay::v1::CASE_STATE_ACCEPTED, "labour",
              caserelay::v1::CHANNEL_LETTER, "社保断缴", "单位未缴社保", 5, 7},
             {4, caserelay::v1::CASE_STATE_NOT_ACCEPTED, "land",
              caserelay::v1::CHANNEL_VISIT, "征地补偿", "补偿款未到位", 7, 0},
         }) {
      Write(c);
    }
  }

  static std::string Id(int n) {
    return absl::StrCat("140431-202611", n < 10 ? "0" : "", n, "-000001");
  }

  void Write(const Case& c) {
    caserelay::v1::RoutingCaseRecord r;
    auto* v = r.mutable_view();
    v->set_case_id(Id(c.n));
    v->set_office_code(kOffice);
    v->set_state(c.state);
    v->mutable_matter()->set_category(c.category);
    v->mutable_matter()->set_channel(c.channel);
    v->mutable_matter()->set_title(c.title);
    v->mutable_matter()->set_text(c.text);
    *v->mutable_received_at() =
        time::ToProto(svctest::ChinaTime(2026, 11, c.received_day, 9, 0));
    if (c.due_day > 0) {
      auto* d = v->add_deadlines();
      d->set_kind(caserelay::v1::DEADLINE_KIND_ACCEPTANCE);
      *d->mutable_due_at() =
          time::ToProto(svctest::ChinaTime(2026, 11, 20 + c.due_day, 9, 0));
    }
    caserelay::v1::Envelope e;
    e.set_event_id(absl::StrCat("test/", c.n));
    e.set_case_id(Id(c.n));
    *e.mutable_occurred_at() = v->received_at();
    e.mutable_case_event()->set_action(caserelay::v1::CASE_ACTION_REGISTER);
    store::WriteBatch batch(&t_->store());
    cases_->Append(batch, nullptr, r, e, &batch);
    ASSERT_TRUE(t_->store().Commit(batch).ok());
  }

  std::vector<std::string> List(InboxQuery q) {
    q.office_code = kOffice;
    auto page = cases_->Inbox(q);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const auto& item : page->items) ids.push_back(item.case_id());
    }
    return ids;
  }

  std::unique_ptr<svctest::TestContext> t_;
  std::unique_ptr<CaseStore> cases_;
};

TEST_F(InboxFilterTest, EachFilterKeepsOnlyWhatMatches) {
  const auto nov = [](int d) { return svctest::ChinaTime(2026, 11, d, 0, 0); };
  struct Row {
    std::string rule;
    std::function<void(InboxQuery&)> set;
    std::vector<int> want;  // in due order, no deadline last
  };
  for (const Row& r : std::vector<Row>{
           {"no filter: every case by next due", [](InboxQuery&) {},
            {1, 2, 3, 4}},
           {"categories (issue 16: 类别)",
            [](InboxQuery& q) { q.categories = {"labour"}; }, {1, 3}},
           {"channels (issue 16: 渠道)",
            [](InboxQuery& q) { q.channels = {caserelay::v1::CHANNEL_VISIT}; },
            {2, 4}},
           {"received_from inclusive (issue 16: 时段)",
            [&](InboxQuery& q) { q.received_from = nov(3); }, {2, 3, 4}},
           {"received_to exclusive",
            [&](InboxQuery& q) { q.received_to = nov(5); }, {1, 2}},
           {"words in the title", [](InboxQuery& q) { q.words = {"漏水"}; },
            {2}},
           {"words in the text only", [](InboxQuery& q) { q.words = {"社保"}; },
            {3}},
           {"every word must appear",
            [](InboxQuery& q) { q.words = {"拖欠", "漏水"}; }, {}},
           {"states with the new filters together",
            [](InboxQuery& q) {
              q.states = {caserelay::v1::CASE_STATE_ACCEPTED};
              q.categories = {"labour"};
            },
            {3}},
           {"case ids: read by id, in due order",
            [](InboxQuery& q) { q.case_ids = {{Id(4), Id(1), "nope"}}; },
            {1, 4}},
           {"case ids with `admit` refusing one",
            [](InboxQuery& q) {
              q.case_ids = {{Id(1), Id(2)}};
              q.admit = [](const caserelay::v1::RoutingCaseRecord& r) {
                return r.view().case_id() != Id(2);
              };
            },
            {1}},
           {"case ids and a filter", 
            [](InboxQuery& q) {
              q.case_ids = {{Id(1), Id(2)}};
              q.channels = {caserelay::v1::CHANNEL_VISIT};
            },
            {2}},
       }) {
    InboxQuery q;
    r.set(q);
    std::vector<std::string> want;
    for (int n : r.want) want.push_back(Id(n));
    EXPECT_EQ(List(q), want) << r.rule;
  }
}

// case_store.h: past scan_limit entries the page ends early with a token
// after the last entry looked at; following the tokens finds everything.
TEST_F(InboxFilterTest, TheScanBoundEndsThePageEarlyWithAToken) {
  InboxQuery q;
  q.office_code = kOffice;
  q.channels = {caserelay::v1::CHANNEL_VISIT};  // cases 2 and 4
  q.scan_limit = 1;
  std::vector<std::string> found;
  int calls = 0;
  do {
    auto page = cases_->Inbox(q);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->items.size(), 1u);
    for (const auto& item : page->items) found.push_back(item.case_id());
    q.page_token = page->next_page_token;
    ++calls;
  } while (!q.page_token.empty() && calls < 10);
  EXPECT_EQ(found, (std::vector<std::string>{Id(2), Id(4)}));
  EXPECT_GE(calls, 3);  // case 1 and 3 each cost a call of their own
}

TEST_F(InboxFilterTest, CaseIdsArePagedByTheIndexOrder) {
  InboxQuery q;
  q.office_code = kOffice;
  q.case_ids = {{Id(1), Id(2), Id(3)}};
  q.page_size = 2;
  auto first = cases_->Inbox(q);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[1].case_id(), Id(2));
  ASSERT_FALSE(first->next_page_token.empty());
  q.page_token = first->next_page_token;
  auto second = cases_->Inbox(q);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].case_id(), Id(3));
  EXPECT_TRUE(second->next_page_token.empty());
}

TEST_F(InboxFilterTest, ItemsCarryChannelReceivedAtAndHolder) {
  InboxQuery q;
  q.office_code = kOffice;
  auto page = cases_->Inbox(q);
  ASSERT_TRUE(page.ok());
  ASSERT_FALSE(page->items.empty());
  const auto& item = page->items[0];
  EXPECT_EQ(item.channel(), caserelay::v1::CHANNEL_ONLINE);
  EXPECT_EQ(item.office_code(), kOffice);
  EXPECT_EQ(time::FromProto(item.received_at()),
            svctest::ChinaTime(2026, 11, 1, 9, 0));
}

// routing.proto ListInboxRequest.query; inbox_request.h bounds.
TEST(SetInboxFiltersTest, TheRequestBecomesTheQuery) {
  using Code = absl::StatusCode;
  struct Row {
    std::string rule;
    std::function<void(caserelay::v1::ListInboxRequest&)> set;
    Code want;
    std::function<void(const InboxQuery&)> check;
  };
  const std::string id = "140431-20261122-000001";
  for (const Row& r : std::vector<Row>{
           {"words split on spaces and U+3000",
            [](auto& q) { q.set_query(" 拖欠\xE3\x80\x80工资 "); }, Code::kOk,
            [](const InboxQuery& q) {
              EXPECT_EQ(q.words, (std::vector<std::string>{"拖欠", "工资"}));
              EXPECT_FALSE(q.case_ids.has_value());
            }},
           {"a case number reads that case by id",
            [&](auto& q) { q.set_query(id); }, Code::kOk,
            [&](const InboxQuery& q) {
              ASSERT_TRUE(q.case_ids.has_value());
              EXPECT_EQ(*q.case_ids, std::vector<std::string>{id});
              EXPECT_TRUE(q.words.empty());
            }},
           {"a case number not among case_ids: nothing",
            [&](auto& q) {
              q.set_query(id);
              q.add_case_ids("140431-20261122-000002");
            },
            Code::kOk,
            [](const InboxQuery& q) {
              ASSERT_TRUE(q.case_ids.has_value());
              EXPECT_TRUE(q.case_ids->empty());
            }},
           {"more than 10 words",
            [](auto& q) { q.set_query("a b c d e f g h i j k"); },
            Code::kInvalidArgument, nullptr},
           {"more than 100 case ids",
            [](auto& q) {
              for (int i = 0; i < 101; ++i) q.add_case_ids(absl::StrCat(i));
            },
            Code::kInvalidArgument, nullptr},
           {"a channel that is none",
            [](auto& q) { q.add_channels(caserelay::v1::CHANNEL_UNSPECIFIED); },
            Code::kInvalidArgument, nullptr},
           {"received_to not after received_from",
            [](auto& q) {
              q.mutable_received_from()->set_seconds(100);
              q.mutable_received_to()->set_seconds(100);
            },
            Code::kInvalidArgument, nullptr},
       }) {
    caserelay::v1::ListInboxRequest req;
    r.set(req);
    InboxQuery q;
    absl::Status s = SetInboxFilters(req, &q);
    EXPECT_EQ(s.code(), r.want) << r.rule << ": " << s;
    if (s.ok() && r.check) r.check(q);
  }
}

TEST(SetLightsTest, EachItemGetsTheLightOfItsNextDue) {
  const absl::Time now = absl::FromUnixSeconds(1796000000);
  caserelay::v1::ListInboxResponse resp;
  for (absl::Duration before : {absl::Hours(100), absl::Hours(10),
                                absl::Hours(-1)}) {
    *resp.add_items()->mutable_next_due() = time::ToProto(now + before);
  }
  resp.add_items();  // no running deadline
  SetLights(now, absl::Hours(72), &resp);
  EXPECT_EQ(resp.items(0).light(), caserelay::v1::DEADLINE_LIGHT_GREEN);
  EXPECT_EQ(resp.items(1).light(), caserelay::v1::DEADLINE_LIGHT_YELLOW);
  EXPECT_EQ(resp.items(2).light(), caserelay::v1::DEADLINE_LIGHT_RED);
  EXPECT_EQ(resp.items(3).light(), caserelay::v1::DEADLINE_LIGHT_NONE);
}

}  // namespace
}  // namespace caserelay::routing
