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

TEST(QueryContentSourceTest, LeadersWorkFromTheIndex) {
  // Issue 18 "Must show": the bulletins count 批次/人次, 包案 and 督办 by
  // source. The week 03-09..03-15 of 长治市: a group of 8 registered at a
  // reception in 沁源县, taken in charge by the county's government and
  // supervised by hand; a visit at a reception the week before (环比).
  auto t = svctest::TestContext::Create(statistics::ColumnFamilies(),
                                        svctest::ChinaTime(2026, 3, 16, 9, 0));
  ASSERT_TRUE(t.ok()) << t.status();
  svctest::TestContext& ctx = **t;
  statistics::StatisticsServiceImpl stats(
      ctx.context(),
      {&svctest::ShippedRegions(), &svctest::ShippedOfficeDirectory()});
  v1::Envelope group = Register(
      {1, "140431100", "140431:bureau", v1::CHANNEL_VISIT, "labour", 10});
  group.mutable_case_event()->set_head_count(8);
  group.mutable_case_event()->mutable_reception()->set_reception_id("r-1");
  v1::Envelope before = Register(
      {2, "140431100", "140431:bureau", v1::CHANNEL_VISIT, "labour", 3});
  before.mutable_case_event()->mutable_reception()->set_reception_id("r-0");
  auto later = [&](const v1::Envelope& of, int sequence, int day,
                   v1::CaseAction action) {
    v1::Envelope e = of;
    e.set_sequence(sequence);
    e.set_event_id(absl::StrCat("routing/", of.case_id(), "/", sequence));
    *e.mutable_occurred_at() =
        time::ToProto(svctest::ChinaTime(2026, 3, day, 15, 0));
    e.clear_case_event();
    e.mutable_case_event()->set_action(action);
    e.mutable_case_event()->set_to_state(v1::CASE_STATE_ASSIGNED);
    e.mutable_case_event()->set_actor_office_code("140431:gov");
    return e;
  };
  v1::Envelope charge = later(group, 2, 11, v1::CASE_ACTION_TAKE_CHARGE);
  charge.mutable_case_event()->mutable_leader_in_charge()->set_office_code(
      "140431:gov");
  v1::Envelope supervise = later(group, 3, 13, v1::CASE_ACTION_SUPERVISE);
  auto* s = supervise.mutable_case_event()->mutable_supervision();
  s->set_level(v1::SUPERVISION_LEVEL_LETTER);
  s->set_target_office_code("140431:hrss");
  s->set_source(v1::SUPERVISION_SOURCE_MANUAL);
  store::WriteBatch batch(&ctx.store());
  for (const v1::Envelope* e : {&group, &before, &charge, &supervise}) {
    ASSERT_TRUE(stats.Apply(*e, batch).ok());
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
  std::vector<std::string> figures;
  for (const Headline& h : content->leaders_work) {
    figures.push_back(absl::StrCat(h.label, "=", h.count.current, "/",
                                   h.count.previous));
  }
  EXPECT_EQ(figures,
            (std::vector<std::string>{
                "领导接访批次=1/1", "领导接访人次=8/1", "当场解决=0/0",
                "群体访（联名）=1/0", "领导包案=1/0", "自动督办=0/0",
                "手动督办=1/0", "改进工作建议=0/0", "追责建议=0/0",
                "提级办理=0/0", "更正登记=0/0", "回访认同=0/0",
                "回访基本认同=0/0", "回访不认同=0/0"}));
  ASSERT_GE(content->headline.size(), 2u);
  EXPECT_EQ(content->headline[1].label, "人次");
  EXPECT_EQ(content->headline[1].count.current, 8) << "Σ head_count";
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
