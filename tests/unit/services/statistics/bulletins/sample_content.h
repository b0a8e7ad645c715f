// A weekly bulletin's content with figures chosen by hand, for the
// rendering tests: 山西省信访局, the week 2026-03-09..03-15, 第11期.
#ifndef CASERELAY_TESTS_UNIT_SERVICES_STATISTICS_BULLETINS_SAMPLE_CONTENT_H_
#define CASERELAY_TESTS_UNIT_SERVICES_STATISTICS_BULLETINS_SAMPLE_CONTENT_H_

#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "services/statistics/bulletins/bulletin_content.h"

namespace caserelay::bulletins {

inline BulletinContent SampleWeekly() {
  BulletinContent c;
  c.bureau_code = "140000-xfj";
  c.bureau_name = "山西省信访局";
  c.period = {BulletinKind::kWeekly, absl::CivilDay(2026, 3, 9),
              absl::CivilDay(2026, 3, 15), absl::CivilDay(2026, 3, 16)};
  c.year = 2026;
  c.number = 11;
  c.issued_at = time::StartOf(absl::CivilDay(2026, 3, 16)) + absl::Hours(8);
  c.headline = {{"信访总量", {1287, 1180, 1342}},
                {"人次", {1287, 1180, 1342}},
                {"网上信访", {836, 741, 805}},
                {"重复信访", {97, 110, 131}},
                {"越级", {12, 9, 20}},
                {"受理", {1104, 1010, 1150}},
                {"不予受理", {183, 170, 192}},
                {"办结", {978, 955, 1001}}};
  c.online_share = {836, 1287};
  c.online_share_previous = {741, 1180};
  c.online_share_year_before = {805, 1342};
  c.channels = {
      {"网上", 836}, {"来信", 171}, {"来访", 198}, {"电话", 77}, {"传真", 5}};
  c.top_categories = {{"劳动工资", 301},
                      {"工伤", 188},
                      {"社会保障", 173},
                      {"征地补偿", 152},
                      {"住房", 96}};
  c.top_regions = {{"太原市", 342},
                   {"大同市", 201},
                   {"运城市", 187},
                   {"临汾市", 150},
                   {"长治市", 133}};
  c.outcomes = {{"支持", 402}, {"解释说明", 489}, {"不予支持", 87}};
  c.ratings = {{"满意", 512}, {"基本满意", 201}, {"不满意", 64}};
  c.red_lights = 23;
  c.supervisions = {{"督办函", 7}, {"挂牌督办", 2}};
  c.by_on_time = {
      {"140100-rsj", "太原市人力资源和社会保障局", {88, 90}, {60, 71}},
      {"140200-xfj", "大同市信访局", {120, 131}, {90, 98}},
      {"140800-zjj", "运城市住房和城乡建设局", {41, 52}, {30, 41}}};
  c.by_satisfaction = {c.by_on_time[1], c.by_on_time[0], c.by_on_time[2]};
  return c;
}

}  // namespace caserelay::bulletins

#endif  // CASERELAY_TESTS_UNIT_SERVICES_STATISTICS_BULLETINS_SAMPLE_CONTENT_H_
