// What a bulletin (通报) says: the figures of one bureau's subtree over one
// period, already counted, named and ranked (issue 17 item 2). The
// renderers (bulletin_html.h, pdf_renderer.h) only lay it out; the
// composer (compose.h) fills it from the statistics' answers.
//
// No personal data can be put here (issue 17 item 4): there is no field
// for a name, a phone, an address or a petition's text; offices and
// regions are public bodies, and categories are the form's words. An
// accusation is counted in the bureau's figures and never attributed to
// the accused unit (stats-contract.md), which the statistics ensure.
//
// Thread safety: a plain value.

#ifndef CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_CONTENT_H_
#define CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_CONTENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/statistics/bulletins/bulletin_period.h"

namespace caserelay::bulletins {

// A count in the period, in the period before it of the same length (环比)
// and in the same days a year before (同比).
struct Compared {
  int64_t current = 0;
  int64_t previous = 0;
  int64_t year_before = 0;
};

// A ratio; no value when the denominator is 0 (shown as "—").
struct Ratio {
  int64_t numerator = 0;
  int64_t denominator = 0;
};

// A headline figure: its Chinese label (信访总量, 网上信访, ...) and counts.
struct Headline {
  std::string label;
  Compared count;
};

// A named count: a channel, a category, a region, an outcome...
struct NamedCount {
  std::string name;
  int64_t count = 0;
};

// One office's two rates, for the rankings.
struct OfficeRates {
  std::string office_code;
  std::string office_name;
  Ratio on_time;       // 按期办结率
  Ratio satisfaction;  // 群众满意率
};

struct BulletinContent {
  std::string bureau_code;
  std::string bureau_name;  // e.g. 山西省信访局
  BulletinPeriod period;
  int year = 0;    // the year of the 期号
  int number = 0;  // 第N期, from 1 per bureau, kind and year
  absl::Time issued_at;

  // 信访总量 first, then the rest in the order shown.
  std::vector<Headline> headline;
  // 网上信访占比 now, before and a year before: online / cases.
  Ratio online_share, online_share_previous, online_share_year_before;
  std::vector<NamedCount> channels;        // every channel, table order
  std::vector<NamedCount> top_categories;  // most first, at most 5
  std::vector<NamedCount> top_regions;     // most first, at most 5
  std::vector<NamedCount> outcomes;  // 化解: 支持 / 解释说明 / 不予支持
  std::vector<NamedCount> ratings;       // 满意 / 基本满意 / 不满意
  int64_t red_lights = 0;                // 红灯 of the period
  std::vector<NamedCount> supervisions;  // 督办 by level
  // Issue 18: 领导接访 批次/人次, 当场解决, 群体访, 包案, 督办 by source,
  // 建议 by kind, 提级, 更正, 回访 by view (services/statistics/
  // leaders_figures.h: its labels, in its order).
  std::vector<Headline> leaders_work;
  // The subtree's offices with a counted deadline or an evaluation, ranked
  // by 按期办结率 (most first) and by 满意率 (most first): the same offices
  // in two orders (compose.h says how ties are broken).
  std::vector<OfficeRates> by_on_time;
  std::vector<OfficeRates> by_satisfaction;
};

// "2027年第12期".
std::string IssueLabel(const BulletinContent& content);
// "山西省信访局 每日信访 2027年第12期": the document's title.
std::string Title(const BulletinContent& content);

}  // namespace caserelay::bulletins

#endif  // CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_CONTENT_H_
