// The bulletin's documents (issue 17 item 2): the numbers as written, the
// HTML (escaped, no script, the charts inline), the CSV of the tables.
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/statistics/bulletins/bulletin_charts.h"
#include "services/statistics/bulletins/bulletin_format.h"
#include "services/statistics/bulletins/bulletin_html.h"
#include "tests/unit/services/statistics/bulletins/sample_content.h"

namespace caserelay::bulletins {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(BulletinFormatTest, NumbersAsTheBulletinWritesThem) {
  struct Row {
    const char* rule;
    std::string got, want;
  };
  const Row rows[] = {
      {"rate, one decimal", Percent({836, 1287}), "65.0%"},
      {"rate of nothing", Percent({0, 0}), "—"},
      {"环比 up", Change(1287, 1180), "+9.1%"},
      {"同比 down", Change(1287, 1342), "-4.1%"},
      {"no change", Change(5, 5), "0.0%"},
      {"nothing to compare with", Change(5, 0), "—"},
      {"a tiny rise that rounds to 0 has no sign", Change(10001, 10000),
       "0.0%"},
      {"percentage points", PointChange({836, 1287}, {805, 1342}),
       "+5.0个百分点"},
      {"points without a base", PointChange({1, 2}, {0, 0}), "—"},
      {"markup escaped", EscapeMarkup("<a href=\"x\">&'</a>"),
       "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"},
  };
  for (const Row& row : rows) EXPECT_EQ(row.got, row.want) << row.rule;
}

TEST(BulletinHtmlTest, HoldsTheFiguresTitleAndChartsWithoutScript) {
  absl::StatusOr<std::string> html = RenderHtml(SampleWeekly());
  ASSERT_TRUE(html.ok()) << html.status();
  EXPECT_THAT(*html,
              HasSubstr("<title>山西省信访局 周通报 2026年第11期</title>"));
  EXPECT_THAT(*html, HasSubstr("统计期间：2026年3月9日至3月15日（共7天）"));
  EXPECT_THAT(*html, HasSubstr("2026年3月16日"));
  EXPECT_THAT(*html,
              HasSubstr("本期共登记信访事项1287件、1287人次，环比+9.1%，同比"
                        "-4.1%；网上信访836件，占65.0%，同比+5.0个百分点。"));
  // 信访总量's row: now, before, 环比, a year before, 同比.
  EXPECT_THAT(*html, HasSubstr("<td>信访总量</td><td class=\"n\">1287</td><td "
                               "class=\"n\">1180</td><td class=\"n\">+9.1%</td>"
                               "<td class=\"n\">1342</td><td class=\"n\">-4.1%"
                               "</td>"));
  EXPECT_THAT(*html,
              HasSubstr("<td>太原市人力资源和社会保障局</td><td "
                        "class=\"n\">97.8%</td><td class=\"n\">88/90</td>"));
  EXPECT_THAT(*html,
              HasSubstr("红灯23件；发出督办9件，其中督办函7件、挂牌督办2件。"));
  // Three charts (comparison, channels, categories), as SVG in the page.
  size_t charts = 0;
  for (size_t at = html->find("<svg"); at != std::string::npos;
       at = html->find("<svg", at + 1)) {
    ++charts;
  }
  EXPECT_EQ(charts, 3u);
  EXPECT_THAT(*html, Not(HasSubstr("<script")));
  EXPECT_THAT(*html, Not(HasSubstr("http://www.example")));
}

TEST(BulletinHtmlTest, LeadersWorkTableWithItsComparisons) {
  // Issue 18 "Must show": the bulletins count 批次/人次, 包案 and 督办 by
  // source, each with 环比 and 同比 as the headline figures.
  BulletinContent content = SampleWeekly();
  content.leaders_work = {{"领导接访批次", {12, 8, 0}},
                          {"领导接访人次", {57, 20, 0}},
                          {"领导包案", {3, 3, 1}},
                          {"手动督办", {2, 0, 4}}};
  absl::StatusOr<std::string> html = RenderHtml(content);
  ASSERT_TRUE(html.ok()) << html.status();
  EXPECT_THAT(*html, HasSubstr("<h2>九、领导接访、包案与督办</h2>"));
  EXPECT_THAT(*html, HasSubstr("<td>领导接访人次</td><td class=\"n\">57</td>"
                               "<td class=\"n\">20</td><td class=\"n\">"
                               "+185.0%</td><td class=\"n\">0</td><td "
                               "class=\"n\">—</td>"));
  EXPECT_THAT(*html, HasSubstr("<td>手动督办</td><td class=\"n\">2</td><td "
                               "class=\"n\">0</td><td class=\"n\">—</td>"
                               "<td class=\"n\">4</td><td class=\"n\">"
                               "-50.0%</td>"));
  const std::string csv = RenderCsv(content);
  EXPECT_THAT(csv, HasSubstr("\r\n领导接访、包案与督办\r\n指标,本期,上期,环比,"
                             "去年同期,同比\r\n领导接访批次,12,8,+50.0%,0,—"
                             "\r\n"));
  EXPECT_THAT(csv, HasSubstr("\r\n领导包案,3,3,0.0%,1,+200.0%\r\n"));
}

TEST(BulletinHtmlTest, EscapesEveryName) {
  BulletinContent content = SampleWeekly();
  content.bureau_name = "<script>alert(1)</script>局";
  content.top_categories[0].name = "工资&<b>";
  content.top_regions[0].name = "\"市\"";
  absl::StatusOr<std::string> html = RenderHtml(content);
  ASSERT_TRUE(html.ok()) << html.status();
  EXPECT_THAT(*html, Not(HasSubstr("<script>")));
  EXPECT_THAT(*html, Not(HasSubstr("工资&<b>")));
  EXPECT_THAT(*html, HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(*html, Not(HasSubstr(">\"市\"<")));
}

TEST(BulletinHtmlTest, AnEmptyPeriodSaysSo) {
  BulletinContent content = SampleWeekly();
  content.headline = {{"信访总量", {0, 3, 0}}};
  content.top_categories.clear();
  content.top_regions.clear();
  content.by_on_time.clear();
  content.by_satisfaction.clear();
  content.online_share = {0, 0};
  absl::StatusOr<std::string> html = RenderHtml(content);
  ASSERT_TRUE(html.ok()) << html.status();
  EXPECT_THAT(*html, HasSubstr("本期无信访事项。"));
  EXPECT_THAT(*html, HasSubstr("本期无到期事项。"));
  EXPECT_THAT(*html, HasSubstr("本期无参评事项。"));
  EXPECT_THAT(*html, HasSubstr("环比-100.0%，同比—"));
}

TEST(BulletinChartsTest, BarsScaleToTheLargestAndLabelsAreEscaped) {
  std::string svg =
      BarChartSvg("类别", {{"a<b", 100}, {"c", 50}, {"d", 0}}, 200);
  EXPECT_THAT(svg, HasSubstr("width=\"360\""));  // the largest: full width
  EXPECT_THAT(svg, HasSubstr("width=\"180\""));  // half of it
  EXPECT_THAT(svg, HasSubstr("width=\"0\""));
  EXPECT_THAT(svg, HasSubstr(">a&lt;b<"));
  EXPECT_THAT(svg, HasSubstr("100（50.0%）"));  // of the total given
  EXPECT_THAT(svg, HasSubstr("aria-label=\"类别\""));
}

TEST(BulletinCsvTest, TablesWithQuotingAndTheByteOrderMark) {
  BulletinContent content = SampleWeekly();
  content.top_categories[1].name = "工伤,\"认定\"";
  std::string csv = RenderCsv(content);
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u);
  EXPECT_THAT(csv, HasSubstr("\r\n信访总量,1287,1180,+9.1%,1342,-4.1%\r\n"));
  EXPECT_THAT(csv, HasSubstr("\r\n网上信访占比,65.0%,62.8%,+2.2个百分点,60.0%,"
                             "+5.0个百分点\r\n"));
  EXPECT_THAT(csv, HasSubstr("\r\n2,\"工伤,\"\"认定\"\"\",188,14.6%\r\n"));
  EXPECT_THAT(csv, HasSubstr("\r\n1,140200-xfj,大同市信访局,91.8%,90,98\r\n"));
  EXPECT_THAT(csv, HasSubstr("\r\n红灯,23\r\n"));
}

}  // namespace
}  // namespace caserelay::bulletins
