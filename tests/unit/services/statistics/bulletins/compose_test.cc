// A bulletin's figures from the statistics' real index (issue 17 item 2):
// case events applied by StatisticsServiceImpl, read back through its
// query interface by QueryContentSource, named and ranked.
#include "services/statistics/bulletins/compose.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "services/statistics/statistics_service.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::bulletins {
namespace {

namespace v1 = caserelay::v1;

struct Petition {
  int n;
  const char* region;  // where the matter is
  const char* bureau;  // the registering bureau: its figures count there
  v1::Channel channel;
  const char* category;
  int day;  // of March 2026, received 10:00
};

v1::Envelope Register(const Petition& p) {
  const std::string case_id = absl::StrCat("140400-20260301-", 100000 + p.n);
  v1::Envelope e;
  e.set_case_id(case_id);
  e.set_sequence(1);
  e.set_event_id(absl::StrCat("routing/", case_id, "/1"));
  const absl::Time at = svctest::ChinaTime(2026, 3, p.day, 10, 0);
  *e.mutable_occurred_at() = time::ToProto(at);
  auto* c = e.mutable_case_event();
  c->set_action(v1::CASE_ACTION_REGISTER);
  c->set_to_state(v1::CASE_STATE_REGISTERED);
  *c->mutable_received_at() = time::ToProto(at);
  c->set_region_code(p.region);
  c->set_channel(p.channel);
  c->set_category(p.category);
  c->set_matter_class(v1::MATTER_CLASS_CLAIM);
  c->mutable_decision()->set_registering_office_code(p.bureau);
  c->mutable_decision()->set_disposition(v1::DISPOSITION_TRANSFER);
  return e;
}

TEST(QueryContentSourceTest, FiguresAndNamesFromTheIndex) {
  auto t = svctest::TestContext::Create(statistics::ColumnFamilies(),
                                        svctest::ChinaTime(2026, 3, 16, 9, 0));
  ASSERT_TRUE(t.ok()) << t.status();
  svctest::TestContext& ctx = **t;
  statistics::StatisticsServiceImpl stats(
      ctx.context(),
      {&svctest::ShippedRegions(), &svctest::ShippedOfficeDirectory()});
  // The week 03-09..03-15: four petitions in 沁源县 and 潞州区, one the
  // week before (环比).
  const Petition petitions[] = {
      {1, "140431100", "140431:bureau", v1::CHANNEL_ONLINE, "labour", 9},
      {2, "140431", "140431:bureau", v1::CHANNEL_ONLINE, "labour", 10},
      {3, "140431", "140431:bureau", v1::CHANNEL_LETTER, "housing", 12},
      {4, "140403", "140400:bureau", v1::CHANNEL_ONLINE, "labour", 15},
      {5, "140403", "140403:bureau", v1::CHANNEL_VISIT, "land", 4},
  };
  store::WriteBatch batch(&ctx.store());
  for (const Petition& p : petitions) {
    ASSERT_TRUE(stats.Apply(Register(p), batch).ok());
  }
  ASSERT_TRUE(ctx.store().Commit(batch).ok());

  QueryContentSource source(&stats.query(), &svctest::ShippedOfficeDirectory(),
                            &svctest::ShippedRegions());
  auto bureau = svctest::ShippedOfficeDirectory().Find("140400:bureau");
  ASSERT_TRUE(bureau.ok());
  const BulletinPeriod week{BulletinKind::kWeekly, absl::CivilDay(2026, 3, 9),
                            absl::CivilDay(2026, 3, 15),
                            absl::CivilDay(2026, 3, 16)};
  absl::StatusOr<BulletinContent> content = source.Figures(*bureau, week);
  ASSERT_TRUE(content.ok()) << content.status();

  ASSERT_GE(content->headline.size(), 3u);
  EXPECT_EQ(content->headline[0].label, "信访总量");
  EXPECT_EQ(content->headline[0].count.current, 4);
  EXPECT_EQ(content->headline[0].count.previous, 1);  // 03-02..03-08
  EXPECT_EQ(content->headline[0].count.year_before, 0);
  EXPECT_EQ(content->headline[2].label, "网上信访");
  EXPECT_EQ(content->headline[2].count.current, 3);
  EXPECT_EQ(content->online_share.numerator, 3);
  EXPECT_EQ(content->online_share.denominator, 4);
  // Channels in the names table's order and words (domain/names).
  std::vector<std::string> channels;
  for (const NamedCount& c : content->channels) {
    channels.push_back(absl::StrCat(c.name, "=", c.count));
  }
  EXPECT_EQ(channels, (std::vector<std::string>{"信息网络=3", "书信=1",
                                                "电话=0", "传真=0", "走访=0"}));
  // Categories by their names in data/offices/categories.tsv, most first.
  ASSERT_EQ(content->top_categories.size(), 2u);
  EXPECT_EQ(content->top_categories[0].name, "劳动和社会保障");
  EXPECT_EQ(content->top_categories[0].count, 3);
  EXPECT_EQ(content->top_categories[1].name, "城乡建设");
  // Child regions of 长治市 by the bureaus that registered, most first, by
  // their names; the city's own registration is in no child region, and
  // 潞州区's only one is of the week before.
  ASSERT_EQ(content->top_regions.size(), 1u);
  EXPECT_EQ(content->top_regions[0].name, "沁源县");
  EXPECT_EQ(content->top_regions[0].count, 3);
}

TEST(QueryContentSourceTest, OfficesRankedByEachRate) {
  // Issue 17 item 2: "the offices ranked by 按期办结率 and 满意率".
  const std::vector<OfficeRates> offices = {
      {"140431:bureau", "A", {9, 10}, {0, 0}},   // 90%, not evaluated
      {"140403:bureau", "B", {18, 20}, {3, 4}},  // 90% of more: before A
      {"140404:bureau", "C", {2, 2}, {1, 4}},    // 100%: first
      {"140405:bureau", "D", {0, 0}, {3, 4}},    // nothing due: not ranked
      {"140402:bureau", "E", {9, 10}, {3, 4}},   // as A: by code, first
  };
  std::vector<std::string> on_time, satisfaction;
  for (const OfficeRates& o : Ranked(offices, &OfficeRates::on_time)) {
    on_time.push_back(o.office_name);
  }
  for (const OfficeRates& o : Ranked(offices, &OfficeRates::satisfaction)) {
    satisfaction.push_back(o.office_name);
  }
  EXPECT_EQ(on_time, (std::vector<std::string>{"C", "B", "E", "A"}));
  EXPECT_EQ(satisfaction, (std::vector<std::string>{"E", "B", "D", "C"}));
}

}  // namespace
}  // namespace caserelay::bulletins
