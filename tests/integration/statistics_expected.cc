#include "tests/integration/statistics_expected.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace caserelay::testing::sim {
namespace {

using Row = std::vector<std::string>;

std::string RegionOf(const std::string& office) {
  return office.substr(0, office.find(':'));
}

int64_t Get(const Figures& f, const std::string& key) {
  auto it = f.find(key);
  return it == f.end() ? 0 : it->second;
}

int DayOf(absl::CivilDay d) {
  return static_cast<int>(d - absl::CivilDay(2026, 1, 1));
}

// The same days a year before (no 02-29 in 2025/2026).
int YearBefore(int day) {
  const absl::CivilDay d = absl::CivilDay(2026, 1, 1) + day;
  return DayOf(absl::CivilDay(d.year() - 1, d.month(), d.day()));
}

// The names the bulletins print (data/regions, data/offices
// categories.tsv, departments.tsv and governments.tsv; domain/names).
const std::map<std::string, std::string>& RegionNames() {
  static const auto* const kNames = new std::map<std::string, std::string>{
      {"140000", "山西省"}, {"140400", "长治市"}, {"140430", "沁县"},
      {"140431", "沁源县"}};
  return *kNames;
}
const std::map<std::string, std::string>& CategoryNames() {
  static const auto* const kNames = new std::map<std::string, std::string>{
      {"labour", "劳动和社会保障"}, {"housing", "城乡建设"},
      {"land", "国土资源"}};
  return *kNames;
}
const std::map<std::string, std::string>& OfficeNames() {
  static const auto* const kNames = new std::map<std::string, std::string>{
      {"140431100:gov", "沁河镇人民政府"},
      {"140431101:gov", "郭道镇人民政府"},
      {"140431200:gov", "中峪乡人民政府"},
      {"140430100:gov", "定昌镇人民政府"},
      {"140430101:gov", "郭村镇人民政府"},
      {"140431:housing", "沁源县住房和城乡建设局"},
      {"140431:hrss", "沁源县人力资源和社会保障局"},
      {"140431:gov", "沁源县人民政府"},
      {"140430:gov", "沁县人民政府"},
      {"140431:bureau", "沁源县信访局"},
      {"140430:bureau", "沁县信访局"}};
  return *kNames;
}

// |n| / d in tenths of a percent, rounded half away from zero; d > 0.
int64_t Tenths(__int128 n, __int128 d) {
  if (n < 0) n = -n;
  return static_cast<int64_t>((2000 * n + d) / (2 * d));
}

std::string Decimal(int64_t tenths) {
  return absl::StrCat(tenths / 10, ".", tenths % 10);
}

std::string Signed(bool negative, int64_t tenths, const char* unit) {
  if (tenths == 0) return absl::StrCat("0.0", unit);
  return absl::StrCat(negative ? "-" : "+", Decimal(tenths), unit);
}

// A named-count table: 排名, <header>, 件次, 占比 of `total`.
Table Counts(const std::string& header,
             const std::vector<std::pair<std::string, int64_t>>& rows,
             int64_t total) {
  Table t = {{"排名", header, "件次", "占比"}};
  int rank = 0;
  for (const auto& [name, count] : rows) {
    t.push_back({std::to_string(++rank), name, std::to_string(count),
                 PercentText(count, total)});
  }
  return t;
}

int64_t Sum(const std::vector<std::pair<std::string, int64_t>>& rows) {
  int64_t sum = 0;
  for (const auto& row : rows) sum += row.second;
  return sum;
}

struct OfficeRate {
  std::string office;
  int64_t n = 0, d = 0;
};

// Higher rate first; equal rates: more counted first, then by code
// (compose.h); offices with nothing counted left out.
Table Ranked(const char* rate_name, std::vector<OfficeRate> offices) {
  offices.erase(std::remove_if(offices.begin(), offices.end(),
                               [](const OfficeRate& o) { return o.d == 0; }),
                offices.end());
  std::sort(offices.begin(), offices.end(),
            [](const OfficeRate& a, const OfficeRate& b) {
              const __int128 l = static_cast<__int128>(a.n) * b.d;
              const __int128 r = static_cast<__int128>(b.n) * a.d;
              if (l != r) return l > r;
              if (a.d != b.d) return a.d > b.d;
              return a.office < b.office;
            });
  Table t = {{"排名", "单位代码", "单位", rate_name, "分子", "分母"}};
  int rank = 0;
  for (const OfficeRate& o : offices) {
    t.push_back({std::to_string(++rank), o.office, OfficeNames().at(o.office),
                 PercentText(o.n, o.d), std::to_string(o.n),
                 std::to_string(o.d)});
  }
  return t;
}

}  // namespace

std::string PercentText(int64_t numerator, int64_t denominator) {
  if (denominator == 0) return "—";
  return absl::StrCat(Decimal(Tenths(numerator, denominator)), "%");
}

std::string ChangeText(int64_t current, int64_t base) {
  if (base == 0) return "—";
  return Signed(current < base, Tenths(current - base, base), "%");
}

std::string PointChangeText(int64_t n1, int64_t d1, int64_t n0, int64_t d0) {
  if (d1 == 0 || d0 == 0) return "—";
  const __int128 num =
      static_cast<__int128>(n1) * d0 - static_cast<__int128>(n0) * d1;
  return Signed(num < 0, Tenths(num, static_cast<__int128>(d1) * d0),
                "个百分点");
}

bool OfficeWithin(const std::string& office, const std::string& region) {
  return RegionWithin(RegionOf(office), region);
}

Figures ExpectedVolume(
    const std::vector<Year>& years, int from, int to,
    const std::function<bool(const std::string&)>& in_scope) {
  Figures f;
  for (const Year& y : years) {
    for (const Petition& p : y.script.petitions) {
      const int day = p.day + y.day_offset;
      if (day < from || day >= to || !in_scope(p.registering)) continue;
      ++f["cases"];
      ++f["persons"];
      ++f[p.type == PetitionType::kRedirect ? "ch/visit" : "ch/online"];
      ++f["cat/" + Routes()[p.route].category];
      ++f["cls/claim"];
      if (p.type == PetitionType::kRepeat) {
        ++f["repeat"];
        ++f["not_accepted"];  // linked to the open case, not handled again
      } else {
        ++f["new"];
      }
      if (p.type == PetitionType::kRedirect) {
        ++f["skip"];
        ++f["not_accepted"];  // 越级走访: directed to the competent level
      }
      if (p.type != PetitionType::kOriginal) continue;
      const Case& c = y.script.cases[p.case_index];
      bool accepted = false, replied = false;
      for (const Action& a : c.actions) {
        if (a.request.has_accept()) accepted = true;
        if (a.request.has_reply() && !replied) {
          replied = true;
          ++f["replied"];
          const char* outcomes[] = {"unspecified", "support", "explain",
                                    "reject"};
          ++f[absl::StrCat("out/", outcomes[a.request.reply().outcome()])];
        }
      }
      if (accepted) ++f["accepted"];
      const char* ratings[] = {"unspecified", "satisfied", "basically",
                               "dissatisfied"};
      if (c.satisfaction != caserelay::v1::SATISFACTION_UNSPECIFIED) {
        ++f[absl::StrCat("rate/", ratings[c.satisfaction])];
      }
    }
  }
  f["online/num"] = Get(f, "ch/online");
  f["online/den"] = Get(f, "cases");
  for (auto it = f.begin(); it != f.end();) {
    it = it->second == 0 ? f.erase(it) : std::next(it);
  }
  return f;
}

Tables ExpectedBulletin(const std::vector<Year>& years,
                        const std::string& bureau_region,
                        const std::string& title, const std::string& period,
                        int from, int to) {
  auto in_bureau = [&](const std::string& o) {
    return OfficeWithin(o, bureau_region);
  };
  const int len = to - from;
  const Figures now = ExpectedVolume(years, from, to, in_bureau);
  const Figures before = ExpectedVolume(years, from - len, from, in_bureau);
  const Figures year =
      ExpectedVolume(years, YearBefore(from), YearBefore(to), in_bureau);
  Tables out;
  out[""] = {{title, period}};

  // 一、信访总量: each figure now, 环比 and 同比.
  Table& headline = out["信访总量"];
  headline = {{"指标", "本期", "上期", "环比", "去年同期", "同比"}};
  const std::pair<const char*, const char*> figures[] = {
      {"信访总量", "cases"},    {"人次", "persons"},
      {"网上信访", "ch/online"}, {"重复信访", "repeat"},
      {"越级", "skip"},         {"受理", "accepted"},
      {"不予受理", "not_accepted"}, {"办结", "replied"}};
  for (const auto& [label, key] : figures) {
    const int64_t n = Get(now, key), b = Get(before, key), y = Get(year, key);
    headline.push_back({label, std::to_string(n), std::to_string(b),
                        ChangeText(n, b), std::to_string(y),
                        ChangeText(n, y)});
  }
  const int64_t cases = Get(now, "cases");
  const int64_t on = Get(now, "ch/online"), pon = Get(before, "ch/online"),
                yon = Get(year, "ch/online");
  const int64_t pc = Get(before, "cases"), yc = Get(year, "cases");
  headline.push_back({"网上信访占比", PercentText(on, cases),
                      PercentText(pon, pc), PointChangeText(on, cases, pon, pc),
                      PercentText(yon, yc),
                      PointChangeText(on, cases, yon, yc)});

  // 二、渠道: every channel of the form, in its order.
  out["信访渠道"] = Counts("渠道",
                           {{"信息网络", Get(now, "ch/online")},
                            {"书信", Get(now, "ch/letter")},
                            {"电话", Get(now, "ch/phone")},
                            {"传真", Get(now, "ch/fax")},
                            {"走访", Get(now, "ch/visit")}},
                           cases);

  // 三、主要问题类别: most first, then by key; at most 5.
  std::vector<std::pair<std::string, int64_t>> categories;
  for (const auto& [key, count] : now) {
    if (key.rfind("cat/", 0) == 0) categories.push_back({key.substr(4), count});
  }
  std::stable_sort(categories.begin(), categories.end(),
                   [](const auto& a, const auto& b) {
                     return a.second > b.second;
                   });
  if (categories.size() > 5) categories.resize(5);
  for (auto& c : categories) c.first = CategoryNames().at(c.first);
  out["主要问题类别"] = Counts("类别", categories, cases);

  // 四、主要地区: the bureau's child regions by cases, then by code.
  std::vector<std::pair<std::string, int64_t>> regions;
  for (const auto& [code, name] : RegionNames()) {
    if (ParentRegion(code) != bureau_region) continue;
    const int64_t n = Get(ExpectedVolume(years, from, to,
                                         [&](const std::string& o) {
                                           return OfficeWithin(o, code);
                                         }),
                          "cases");
    if (n > 0) regions.push_back({code, n});
  }
  std::stable_sort(regions.begin(), regions.end(),
                   [](const auto& a, const auto& b) {
                     return a.second > b.second;
                   });
  if (regions.size() > 5) regions.resize(5);
  for (auto& r : regions) r.first = RegionNames().at(r.first);
  out["主要地区"] = Counts("地区", regions, cases);

  // 五、化解: outcomes and ratings, each of its own sum.
  const std::vector<std::pair<std::string, int64_t>> outcomes = {
      {"支持", Get(now, "out/support")},
      {"解释说明", Get(now, "out/explain")},
      {"不予支持", Get(now, "out/reject")}};
  out["处理意见"] = Counts("处理意见", outcomes, Sum(outcomes));
  const std::vector<std::pair<std::string, int64_t>> ratings = {
      {"满意", Get(now, "rate/satisfied")},
      {"基本满意", Get(now, "rate/basically")},
      {"不满意", Get(now, "rate/dissatisfied")}};
  out["群众评价"] = Counts("评价", ratings, Sum(ratings));

  // 六、红灯与督办: the subtree's deadlines due in the period (at the end
  // of a day in [from - 1, to - 2]) not met in time; the instruments
  // issued in the period (the day after the due) by level. The ranges of
  // late deadlines are clear of the period's boundaries, so lo decides.
  struct Instruments {
    int64_t red = 0, letters = 0, listed = 0;
  };
  auto instruments = [&](int first, int end) {
    Instruments n;
    for (const Year& y : years) {
      for (const Case& c : y.script.cases) {
        for (const Deadline& d : c.deadlines) {
          const int lo = d.lo + y.day_offset;
          if (lo < first - 1 || lo > end - 2 || !in_bureau(d.office)) continue;
          if (!d.late && d.end != kNever) continue;
          ++n.red;
          if (d.late && d.level == 1) ++n.letters;
          if (d.late && d.level == 2) ++n.listed;
        }
      }
    }
    return n;
  };
  const Instruments in_period = instruments(from, to);
  const int64_t red = in_period.red, letters = in_period.letters,
                listed = in_period.listed;
  out["红灯与督办"] = {{"项目", "件次"},
                       {"红灯", std::to_string(red)},
                       {"督办函", std::to_string(letters)},
                       {"挂牌督办", std::to_string(listed)}};

  // 七、八: the offices ranked by 按期办结率 and by 满意率 (the
  // indicators' own expectation, simulation_expected.cc, of each year).
  std::map<std::string, OfficeRate> on_time, satisfied;
  for (const Year& y : years) {
    Query q;
    q.scope.set_region_code(bureau_region);
    q.from_day = from - y.day_offset;
    q.to_day = to - y.day_offset;
    q.breakdown = caserelay::v1::BREAKDOWN_OFFICE;
    const caserelay::v1::GetIndicatorsResponse rates = Expected(y.script, q);
    for (const auto& row : rates.rows()) {
      OfficeRate& a = on_time[row.key()];
      a.office = row.key();
      a.n += row.on_time_completion().numerator();
      a.d += row.on_time_completion().denominator();
      OfficeRate& b = satisfied[row.key()];
      b.office = row.key();
      b.n += row.satisfaction().numerator();
      b.d += row.satisfaction().denominator();
    }
  }
  auto values = [](const std::map<std::string, OfficeRate>& m) {
    std::vector<OfficeRate> v;
    for (const auto& [key, rate] : m) v.push_back(rate);
    return v;
  };
  out["按期办结率排名"] = Ranked("按期办结率", values(on_time));
  out["群众满意率排名"] = Ranked("群众满意率", values(satisfied));

  // 九、领导接访、包案与督办 (issue 18): the script has no reception, group,
  // 包案, manual 督办, recommendation, 提级, 更正 or 回访, so every row is 0
  // but the automatic 督办 — every instrument of the script — in the
  // period, the one before and the same days a year before.
  const Instruments previous = instruments(from - len, from);
  const Instruments year_before =
      instruments(YearBefore(from), YearBefore(to));
  Table& leaders = out["领导接访、包案与督办"];
  leaders = {{"指标", "本期", "上期", "环比", "去年同期", "同比"}};
  for (const char* label :
       {"领导接访批次", "领导接访人次", "当场解决", "群体访（联名）", "领导包案",
        "自动督办", "手动督办", "改进工作建议", "追责建议", "提级办理",
        "更正登记", "回访认同", "回访基本认同", "回访不认同"}) {
    int64_t n = 0, b = 0, y = 0;
    if (std::string(label) == "自动督办") {
      n = in_period.letters + in_period.listed;
      b = previous.letters + previous.listed;
      y = year_before.letters + year_before.listed;
    }
    leaders.push_back({label, std::to_string(n), std::to_string(b),
                       ChangeText(n, b), std::to_string(y),
                       ChangeText(n, y)});
  }
  return out;
}

}  // namespace caserelay::testing::sim
