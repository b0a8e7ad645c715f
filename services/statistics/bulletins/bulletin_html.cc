#include "services/statistics/bulletins/bulletin_html.h"

#include <cstdint>
#include <kainjow/mustache.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/time/china_time.h"
#include "services/statistics/bulletins/bulletin_charts.h"
#include "services/statistics/bulletins/bulletin_format.h"
#include "services/statistics/bulletins/bulletin_template.h"

namespace caserelay::bulletins {
namespace {

namespace mustache = kainjow::mustache;

std::string DayWords(absl::CivilDay day) {
  return absl::StrCat(day.year(), "年", day.month(), "月", day.day(), "日");
}

int64_t Sum(const std::vector<NamedCount>& rows) {
  int64_t sum = 0;
  for (const NamedCount& row : rows) sum += row.count;
  return sum;
}

// Rows of a named-count table with rank and share of `total`.
mustache::data CountRows(const std::vector<NamedCount>& rows, int64_t total) {
  mustache::data list{mustache::data::type::list};
  int rank = 0;
  for (const NamedCount& row : rows) {
    mustache::data item;
    item.set("rank", std::to_string(++rank));
    item.set("name", row.name);
    item.set("count", std::to_string(row.count));
    item.set("share", Percent({row.count, total}));
    list.push_back(item);
  }
  return list;
}

// Rows of figures with 环比 and 同比: label, current, previous,
// month_on_month, year_before, year_on_year.
mustache::data ComparedRows(const std::vector<Headline>& figures) {
  mustache::data list{mustache::data::type::list};
  for (const Headline& figure : figures) {
    mustache::data row;
    row.set("label", figure.label);
    row.set("current", std::to_string(figure.count.current));
    row.set("previous", std::to_string(figure.count.previous));
    row.set("month_on_month",
            Change(figure.count.current, figure.count.previous));
    row.set("year_before", std::to_string(figure.count.year_before));
    row.set("year_on_year",
            Change(figure.count.current, figure.count.year_before));
    list.push_back(row);
  }
  return list;
}

mustache::data RateRows(const std::vector<OfficeRates>& offices, bool on_time) {
  mustache::data list{mustache::data::type::list};
  int rank = 0;
  for (const OfficeRates& office : offices) {
    const Ratio& ratio = on_time ? office.on_time : office.satisfaction;
    mustache::data item;
    item.set("rank", std::to_string(++rank));
    item.set("name", office.office_name);
    item.set("rate", Percent(ratio));
    item.set("numerator", std::to_string(ratio.numerator));
    item.set("denominator", std::to_string(ratio.denominator));
    list.push_back(item);
  }
  return list;
}

// The headline figures that the comparison chart draws, in this order
// (the 件次 figures; 人次 is in the table beside them).
std::vector<Headline> Charted(const std::vector<Headline>& headline) {
  std::vector<Headline> charted;
  for (absl::string_view label : {"信访总量", "网上信访", "受理", "办结"}) {
    for (const Headline& figure : headline) {
      if (figure.label == label) charted.push_back(figure);
    }
  }
  return charted;
}

std::string CsvField(absl::string_view text) {
  if (text.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return std::string(text);
  }
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void CsvLine(std::string* out, const std::vector<std::string>& fields) {
  std::vector<std::string> quoted;
  for (const std::string& field : fields) quoted.push_back(CsvField(field));
  absl::StrAppend(out, absl::StrJoin(quoted, ","), "\r\n");
}

void CsvCounts(std::string* out, absl::string_view table,
               absl::string_view name_header,
               const std::vector<NamedCount>& rows, int64_t total) {
  CsvLine(out, {std::string(table)});
  CsvLine(out, {"排名", std::string(name_header), "件次", "占比"});
  int rank = 0;
  for (const NamedCount& row : rows) {
    CsvLine(out, {std::to_string(++rank), row.name, std::to_string(row.count),
                  Percent({row.count, total})});
  }
  absl::StrAppend(out, "\r\n");
}

// One line per figure: label, current, previous, 环比, year before, 同比.
void CsvCompared(std::string* out, const std::vector<Headline>& figures) {
  for (const Headline& figure : figures) {
    CsvLine(out, {figure.label, std::to_string(figure.count.current),
                  std::to_string(figure.count.previous),
                  Change(figure.count.current, figure.count.previous),
                  std::to_string(figure.count.year_before),
                  Change(figure.count.current, figure.count.year_before)});
  }
}

void CsvRates(std::string* out, absl::string_view table,
              const std::vector<OfficeRates>& offices, bool on_time) {
  CsvLine(out, {std::string(table)});
  CsvLine(out, {"排名", "单位代码", "单位",
                on_time ? "按期办结率" : "群众满意率", "分子", "分母"});
  int rank = 0;
  for (const OfficeRates& office : offices) {
    const Ratio& ratio = on_time ? office.on_time : office.satisfaction;
    CsvLine(out,
            {std::to_string(++rank), office.office_code, office.office_name,
             Percent(ratio), std::to_string(ratio.numerator),
             std::to_string(ratio.denominator)});
  }
  absl::StrAppend(out, "\r\n");
}

}  // namespace

std::string Summary(const BulletinContent& content) {
  Compared total;
  Compared persons;
  Compared online;
  for (const Headline& figure : content.headline) {
    if (figure.label == "信访总量") total = figure.count;
    if (figure.label == "人次") persons = figure.count;
    if (figure.label == "网上信访") online = figure.count;
  }
  return absl::StrCat(
      "本期共登记信访事项", total.current, "件、", persons.current,
      "人次，环比", Change(total.current, total.previous), "，同比",
      Change(total.current, total.year_before), "；网上信访", online.current,
      "件，占", Percent(content.online_share), "，同比",
      PointChange(content.online_share, content.online_share_year_before),
      "。");
}

absl::StatusOr<std::string> RenderHtml(const BulletinContent& content) {
  mustache::mustache page{std::string(kBulletinTemplate)};
  if (!page.is_valid()) {
    return absl::InternalError(
        absl::StrCat("bulletin template: ", page.error_message()));
  }
  mustache::data data;
  data.set("title", Title(content));
  data.set("kind_title", std::string(KindTitle(content.period.kind)));
  data.set("issue_label", IssueLabel(content));
  data.set("bureau_name", content.bureau_name);
  data.set("issued_date", DayWords(time::ChinaDay(content.issued_at)));
  data.set("period_words", PeriodWords(content.period));
  data.set("period_days", std::to_string(content.period.days()));
  data.set("summary", Summary(content));

  data.set("headline", ComparedRows(content.headline));
  data.set("leaders_work", ComparedRows(content.leaders_work));
  data.set("online_share", Percent(content.online_share));
  data.set("online_share_previous", Percent(content.online_share_previous));
  data.set("online_share_mom",
           PointChange(content.online_share, content.online_share_previous));
  data.set("online_share_year_before",
           Percent(content.online_share_year_before));
  data.set("online_share_yoy",
           PointChange(content.online_share, content.online_share_year_before));
  data.set("comparison_chart", ComparisonChartSvg("本期、上期与去年同期对比",
                                                  Charted(content.headline)));
  const int64_t cases = content.headline.empty()
                            ? Sum(content.channels)
                            : content.headline.front().count.current;
  data.set("channel_chart", BarChartSvg("信访渠道", content.channels, cases));
  data.set("has_categories", !content.top_categories.empty());
  data.set("top_categories", CountRows(content.top_categories, cases));
  data.set("category_chart",
           BarChartSvg("主要问题类别", content.top_categories, cases));
  data.set("has_regions", !content.top_regions.empty());
  data.set("top_regions", CountRows(content.top_regions, cases));
  data.set("outcomes", CountRows(content.outcomes, Sum(content.outcomes)));
  data.set("ratings", CountRows(content.ratings, Sum(content.ratings)));
  data.set("red_lights", std::to_string(content.red_lights));
  data.set("supervisions_total", std::to_string(Sum(content.supervisions)));
  std::vector<std::string> levels;
  for (const NamedCount& level : content.supervisions) {
    if (level.count > 0)
      levels.push_back(absl::StrCat(level.name, level.count, "件"));
  }
  data.set("supervision_detail",
           levels.empty()
               ? ""
               : absl::StrCat("，其中", absl::StrJoin(levels, "、")));
  data.set("has_on_time", !content.by_on_time.empty());
  data.set("has_satisfaction", !content.by_satisfaction.empty());
  data.set("by_on_time", RateRows(content.by_on_time, true));
  data.set("by_satisfaction", RateRows(content.by_satisfaction, false));

  std::string html = page.render(data);
  if (!page.is_valid()) {
    return absl::InternalError(
        absl::StrCat("bulletin template: ", page.error_message()));
  }
  return html;
}

std::string RenderCsv(const BulletinContent& content) {
  std::string out = "\xEF\xBB\xBF";  // UTF-8 byte-order mark
  CsvLine(&out, {Title(content), PeriodWords(content.period)});
  absl::StrAppend(&out, "\r\n");
  CsvLine(&out, {"信访总量"});
  CsvLine(&out, {"指标", "本期", "上期", "环比", "去年同期", "同比"});
  CsvCompared(&out, content.headline);
  CsvLine(
      &out,
      {"网上信访占比", Percent(content.online_share),
       Percent(content.online_share_previous),
       PointChange(content.online_share, content.online_share_previous),
       Percent(content.online_share_year_before),
       PointChange(content.online_share, content.online_share_year_before)});
  absl::StrAppend(&out, "\r\n");
  const int64_t cases = content.headline.empty()
                            ? Sum(content.channels)
                            : content.headline.front().count.current;
  CsvCounts(&out, "信访渠道", "渠道", content.channels, cases);
  CsvCounts(&out, "主要问题类别", "类别", content.top_categories, cases);
  CsvCounts(&out, "主要地区", "地区", content.top_regions, cases);
  CsvCounts(&out, "处理意见", "处理意见", content.outcomes,
            Sum(content.outcomes));
  CsvCounts(&out, "群众评价", "评价", content.ratings, Sum(content.ratings));
  CsvLine(&out, {"红灯与督办"});
  CsvLine(&out, {"项目", "件次"});
  CsvLine(&out, {"红灯", std::to_string(content.red_lights)});
  for (const NamedCount& level : content.supervisions) {
    CsvLine(&out, {level.name, std::to_string(level.count)});
  }
  absl::StrAppend(&out, "\r\n");
  CsvRates(&out, "按期办结率排名", content.by_on_time, true);
  CsvRates(&out, "群众满意率排名", content.by_satisfaction, false);
  CsvLine(&out, {"领导接访、包案与督办"});
  CsvLine(&out, {"指标", "本期", "上期", "环比", "去年同期", "同比"});
  CsvCompared(&out, content.leaders_work);
  absl::StrAppend(&out, "\r\n");
  return out;
}

}  // namespace caserelay::bulletins
