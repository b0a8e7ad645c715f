// Two simulated years through the real system (issue 17, "Must show"):
// the supervision simulation's script (simulation_script.h) drawn twice,
// for 2025 and for 2026 (CASERELAY_STATS_SIM_CASES petitions each), its
// offices acting day by day (every day) on the shared simulated clock,
// with the statistics service beside supervision. At the end:
//   - GetVolume for a week (周通报) and a month (月分析) of 2026, in total
//     and per registering office, must equal what the test computes from
//     the scripts alone — the figures of the period, of the previous
//     period (环比) and of the same days of 2025 (同比);
//   - the 周通报 of 2026-09-21..09-27 and the 月分析 of September 2026 of
//     长治市信访局, issued with IssueBulletin and read back with
//     GetBulletin: every table of the CSV (figures with 环比 and 同比, the
//     online share, the channels, the top categories and regions, red
//     lights and 督办 of the period, the offices ranked by 按期办结率 and
//     满意率) equals the test's own (statistics_expected.h), and the HTML
//     holds the same rows;
//   - GetIndicators from the statistics' index must equal supervision's
//     GetIndicators (a scan of its case records) for scopes and periods of
//     both years.

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "common/time/timestamp.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/integration/document_tables.h"
#include "tests/integration/harness.h"
#include "tests/integration/simulation_driver.h"
#include "tests/integration/simulation_script.h"
#include "tests/integration/statistics_expected.h"

namespace caserelay::testing {
namespace {

using sim::ExpectedVolume;
using sim::Figures;
using sim::Year;

// The same figures as GetVolume answers them (red lights and 督办 aside).
Figures Flatten(const caserelay::v1::VolumeFigures& v) {
  Figures f = {{"cases", v.cases()},
               {"persons", v.persons()},
               {"new", v.new_cases()},
               {"repeat", v.repeat_cases()},
               {"skip", v.level_skipping()},
               {"accepted", v.accepted()},
               {"not_accepted", v.not_accepted()},
               {"replied", v.replied()},
               {"online/num", v.online_share().numerator()},
               {"online/den", v.online_share().denominator()}};
  auto keyed = [&](const char* prefix, const auto& counts) {
    for (const auto& c : counts) f[absl::StrCat(prefix, c.key())] += c.count();
  };
  keyed("ch/", v.by_channel());
  keyed("cat/", v.by_category());
  keyed("cls/", v.by_matter_class());
  keyed("out/", v.by_outcome());
  keyed("rate/", v.by_rating());
  for (auto it = f.begin(); it != f.end();) {
    it = it->second == 0 ? f.erase(it) : std::next(it);
  }
  return f;
}

// `action` of a script moved by `days` (the one absolute time a scripted
// action carries: the day its 送达 was received).
sim::Action Shifted(const sim::Action& action, int days) {
  sim::Action out = action;
  if (out.request.has_serve()) {
    auto* at = out.request.mutable_serve()->mutable_received_at();
    *at = time::ToProto(time::FromProto(*at) + absl::Hours(24 * days));
  }
  return out;
}

int DayOf(absl::CivilDay d) {
  return static_cast<int>(d - absl::CivilDay(2026, 1, 1));
}

std::string Show(const Figures& f) {
  std::string out;
  for (const auto& [k, v] : f) absl::StrAppend(&out, k, "=", v, " ");
  return out;
}

// GetVolume of `scope` for [from, to) by office, checked against the
// scripts: total and every registering office's row, for the period, the
// previous one and the same days a year before.
void CheckVolume(System& sys, const std::vector<Year>& years, const char* name,
                 absl::CivilDay from, absl::CivilDay to) {
  caserelay::v1::GetVolumeRequest req;
  req.mutable_scope()->set_region_code("140000");
  *req.mutable_from() = time::ToProto(China(DayOf(from)));
  *req.mutable_to() = time::ToProto(China(DayOf(to)));
  req.set_breakdown(caserelay::v1::VOLUME_BREAKDOWN_OFFICE);
  grpc::ClientContext ctx;
  Within(ctx);
  caserelay::v1::GetVolumeResponse resp;
  grpc::Status s = sys.statistics().GetVolume(&ctx, req, &resp);
  ASSERT_TRUE(s.ok()) << name << ": " << s.error_message();
  const int f = DayOf(from), t = DayOf(to), len = t - f;
  const absl::CivilDay yf(from.year() - 1, from.month(), from.day());
  const absl::CivilDay yt(to.year() - 1, to.month(), to.day());
  struct Period {
    const char* which;
    int from, to;
    const caserelay::v1::VolumeFigures& (*of)(const caserelay::v1::VolumeRow&);
  };
  const Period periods[] = {
      {"the period", f, t,
       [](const caserelay::v1::VolumeRow& r) -> const auto& {
         return r.current();
       }},
      {"环比 (the previous period)", f - len, f,
       [](const caserelay::v1::VolumeRow& r) -> const auto& {
         return r.previous();
       }},
      {"同比 (a year before)", DayOf(yf), DayOf(yt),
       [](const caserelay::v1::VolumeRow& r) -> const auto& {
         return r.year_before();
       }},
  };
  auto all = [](const std::string&) { return true; };
  for (const Period& p : periods) {
    const Figures want = ExpectedVolume(years, p.from, p.to, all);
    EXPECT_EQ(Flatten(p.of(resp.total())), want)
        << name << ", " << p.which << ", total\n got:  "
        << Show(Flatten(p.of(resp.total()))) << "\n want: " << Show(want);
    EXPECT_GT(want.at("cases"), 0) << name << ": an empty period proves nothing";
  }
  std::map<std::string, const caserelay::v1::VolumeRow*> rows;
  for (const auto& r : resp.rows()) rows[r.current().key()] = &r;
  std::set<std::string> bureaus;
  for (const Year& y : years) {
    for (const sim::Petition& p : y.script.petitions) {
      bureaus.insert(p.registering);
    }
  }
  for (const std::string& office : bureaus) {
    auto only = [&](const std::string& o) { return o == office; };
    for (const Period& p : periods) {
      const Figures want = ExpectedVolume(years, p.from, p.to, only);
      const Figures got = rows.count(office) ? Flatten(p.of(*rows[office]))
                                             : Figures();
      EXPECT_EQ(got, want) << name << ", " << p.which << ", " << office
                           << "\n got:  " << Show(got)
                           << "\n want: " << Show(want);
    }
  }
}

// statistics' GetIndicators equals supervision's for the same request.
void CheckIndicators(System& sys, const char* name,
                     caserelay::v1::GetIndicatorsRequest req) {
  caserelay::v1::GetIndicatorsResponse from_index, from_scan;
  grpc::ClientContext a, b;
  Within(a);
  Within(b);
  grpc::Status s = sys.statistics().GetIndicators(&a, req, &from_index);
  ASSERT_TRUE(s.ok()) << name << ": " << s.error_message();
  // supervision's scan answers service:statistics only (README "Serves").
  auto scan = caserelay::v1::SupervisionService::NewStub(
      sys.Channel("supervision", "service:statistics"));
  s = scan->GetIndicators(&b, req, &from_scan);
  ASSERT_TRUE(s.ok()) << name << ": " << s.error_message();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(from_index,
                                                                 from_scan))
      << name << "\n statistics:  " << from_index.ShortDebugString()
      << "\n supervision: " << from_scan.ShortDebugString();
  const auto& total = from_scan.total();
  EXPECT_GT(total.timely_acceptance_bureau().denominator() +
                total.on_time_completion().denominator(),
            0)
      << name << ": no deadline counted proves little";
}

std::string ShowTable(const sim::Table& table) {
  std::string out;
  for (const auto& row : table) {
    absl::StrAppend(&out, "\n    ", absl::StrJoin(row, " | "));
  }
  return out;
}

// True if `rows` holds `want` as consecutive rows.
bool HoldsRows(const std::vector<std::vector<std::string>>& rows,
               const std::vector<std::vector<std::string>>& want) {
  if (want.empty()) return true;
  for (size_t i = 0; i + want.size() <= rows.size(); ++i) {
    if (std::equal(want.begin(), want.end(), rows.begin() + i)) return true;
  }
  return false;
}

// The data rows of `table` (its header left out) with `columns` of each.
std::vector<std::vector<std::string>> Columns(const sim::Table& table,
                                              std::vector<int> columns) {
  std::vector<std::vector<std::string>> out;
  for (size_t i = 1; i < table.size(); ++i) {
    std::vector<std::string> row;
    for (int c : columns) row.push_back(table[i].at(c));
    out.push_back(row);
  }
  return out;
}

// 长治市信访局's bulletin of `kind` for the period covering `day`, issued
// on demand (IssueBulletin) and read back (GetBulletin): every table of
// its CSV equals the scripts' (statistics_expected.h), and the HTML holds
// the same rows and the red-light line.
void CheckBulletin(System& sys, const std::vector<Year>& years,
                   caserelay::v1::BulletinKind kind, const char* day,
                   absl::CivilDay from, absl::CivilDay to,
                   const std::string& title, const std::string& period,
                   bool deadlines_known) {
  caserelay::v1::IssueBulletinRequest req;
  req.set_bureau_code("140400:bureau");
  req.set_kind(kind);
  req.set_day(day);
  caserelay::v1::IssueBulletinResponse issued;
  grpc::ClientContext ctx;
  Within(ctx, 180);  // WeasyPrint renders the PDF
  grpc::Status s = sys.statistics().IssueBulletin(&ctx, req, &issued);
  ASSERT_TRUE(s.ok()) << title << ": " << s.error_message();
  EXPECT_FALSE(issued.already_issued());
  EXPECT_EQ(issued.bulletin().title(), title);
  auto document = [&](caserelay::v1::BulletinFormat format) {
    caserelay::v1::GetBulletinRequest get;
    get.set_id(issued.bulletin().id());
    get.set_format(format);
    caserelay::v1::GetBulletinResponse resp;
    grpc::ClientContext c;
    Within(c);
    grpc::Status st = sys.statistics().GetBulletin(&c, get, &resp);
    EXPECT_TRUE(st.ok()) << title << ": " << st.error_message();
    return resp.document();
  };
  const std::string csv = document(caserelay::v1::BULLETIN_FORMAT_CSV);
  const std::string html = document(caserelay::v1::BULLETIN_FORMAT_HTML);

  const sim::Tables want = sim::ExpectedBulletin(years, "140400", title, period,
                                                 DayOf(from), DayOf(to));
  const sim::Tables got = CsvTables(csv);
  for (const auto& [name, table] : want) {
    auto it = got.find(name);
    ASSERT_NE(it, got.end()) << title << ": no table " << name << "\n" << csv;
    EXPECT_EQ(it->second, table) << title << ", " << name << "\n got:"
                                 << ShowTable(it->second)
                                 << "\n want:" << ShowTable(table);
  }
  for (const auto& [name, table] : got) {
    EXPECT_EQ(want.count(name), 1u) << title << ": a table not checked: "
                                    << name;
  }
  // An empty bulletin proves nothing. A week is shorter than the script's
  // uncertainty about a due day (up to 9 days, simulation_script.h), so no
  // deadline of the script falls due within one (its red lights and
  // 按期办结率 are 0 and empty, and checked as such); a month has them.
  EXPECT_GT(std::stoll(want.at("信访总量")[1][1]), 0) << title;
  EXPECT_GT(want.at("主要地区").size(), 2u) << title;
  EXPECT_GT(want.at("群众满意率排名").size(), 2u) << title;
  if (deadlines_known) {
    EXPECT_GT(want.at("按期办结率排名").size(), 2u) << title;
    EXPECT_GT(std::stoll(want.at("红灯与督办")[1][1]), 0) << title;
    EXPECT_GT(std::stoll(want.at("红灯与督办")[2][1]), 0) << title;
  }
  std::printf("statistics simulation: %s:%s%s\n", title.c_str(),
              ShowTable(want.at("红灯与督办")).c_str(),
              ShowTable(want.at("信访总量")).c_str());

  // The HTML shows the same rows (the outcomes and ratings without a
  // rank; the rankings with the office's name and "n/d").
  const auto rows = HtmlRows(html);
  const std::pair<const char*, std::vector<int>> shown[] = {
      {"信访总量", {0, 1, 2, 3, 4, 5}}, {"主要问题类别", {0, 1, 2, 3}},
      {"主要地区", {0, 1, 2, 3}},       {"处理意见", {1, 2, 3}},
      {"群众评价", {1, 2, 3}}};
  for (const auto& [name, columns] : shown) {
    EXPECT_TRUE(HoldsRows(rows, Columns(want.at(name), columns)))
        << title << ": the HTML does not show " << name
        << ShowTable(want.at(name));
  }
  for (const char* name : {"按期办结率排名", "群众满意率排名"}) {
    std::vector<std::vector<std::string>> ranked;
    for (const auto& row : Columns(want.at(name), {0, 2, 3, 4, 5})) {
      ranked.push_back({row[0], row[1], row[2], row[3] + "/" + row[4]});
    }
    EXPECT_TRUE(HoldsRows(rows, ranked))
        << title << ": the HTML does not show " << name
        << ShowTable(want.at(name));
  }
  const sim::Table& red = want.at("红灯与督办");
  const int64_t instruments = std::stoll(red[2][1]) + std::stoll(red[3][1]);
  EXPECT_NE(html.find(absl::StrCat("本期到期未按时办理的红灯", red[1][1],
                                   "件；发出督办", instruments, "件")),
            std::string::npos)
      << title << ": the HTML's red lights and 督办";
}

TEST(StatisticsSimulationTest, TwoYearsGiveTheScriptsVolumeAndSupervisionsIndicators) {
  const int petitions = EnvInt("CASERELAY_STATS_SIM_CASES", 1200);
  const int threads = EnvInt("CASERELAY_SIM_THREADS", 8);
  const auto t0 = Clock::now();
  std::vector<Year> years;
  years.push_back({sim::MakeScript(petitions, 20250105), -365, 500000, 1000000});
  years.push_back({sim::MakeScript(petitions, 20260105), 0, 0, 0});

  SystemOptions options;
  options.offices = sim::ActingOffices();
  options.simulated_start = China(sim::kFirstDay - 365, 9);
  auto started = System::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  System& sys = **started;
  Driver driver(sys);

  // Absolute day -> (year, petition index) and (year, case, first action).
  std::map<int, std::vector<std::pair<int, int>>> petitions_on;
  std::map<int, std::vector<std::tuple<int, int, int>>> actions_on;
  std::vector<std::vector<std::string>> case_ids(years.size());
  std::vector<std::vector<uint64_t>> versions(years.size());
  for (int y = 0; y < static_cast<int>(years.size()); ++y) {
    const sim::Script& script = years[y].script;
    case_ids[y].resize(script.cases.size());
    versions[y].assign(script.cases.size(), 1);
    for (int i = 0; i < static_cast<int>(script.petitions.size()); ++i) {
      petitions_on[script.petitions[i].day + years[y].day_offset].push_back(
          {y, i});
    }
    for (int c = 0; c < static_cast<int>(script.cases.size()); ++c) {
      const auto& acts = script.cases[c].actions;
      for (int a = 0; a < static_cast<int>(acts.size()); ++a) {
        if (a == 0 || acts[a].day != acts[a - 1].day) {
          actions_on[acts[a].day + years[y].day_offset].push_back({y, c, a});
        }
      }
    }
  }
  std::atomic<int64_t> events{0};
  std::mutex failures_mu;
  std::vector<std::string> failures;
  for (int day = sim::kFirstDay - 365; day <= sim::kLastDay; ++day) {
    // Every day, so that a 督办 is issued the day after its due (the
    // bulletins count it in the period of that day).
    sys.clock().Set(China(day, 9));
    const auto& today = petitions_on[day];
    ParallelFor(static_cast<int>(today.size()), threads, [&](int k) {
      const auto [y, i] = today[k];
      sim::Petition p = years[y].script.petitions[i];
      p.petitioner += years[y].petitioner_offset;
      grpc::ClientContext ctx;
      Within(ctx);
      caserelay::v1::SubmitPetitionResponse resp;
      grpc::Status s = sys.intake().SubmitPetition(
          &ctx, PetitionOf(p, i + years[y].index_offset), &resp);
      if (!s.ok()) {
        std::lock_guard<std::mutex> l(failures_mu);
        failures.push_back(absl::StrCat("day ", day, " submit ", i, ": ",
                                        s.error_message()));
        return;
      }
      events += p.type == sim::PetitionType::kRepeat ? 2 : 1;
      if (p.type == sim::PetitionType::kOriginal) {
        case_ids[y][p.case_index] = resp.case_number();
      }
    });
    const auto& groups = actions_on[day];
    ParallelFor(static_cast<int>(groups.size()), threads, [&](int k) {
      const auto [y, c, first] = groups[k];
      const auto& acts = years[y].script.cases[c].actions;
      for (int a = first; a < static_cast<int>(acts.size()) &&
                          acts[a].day == acts[first].day;
           ++a) {
        grpc::Status s =
            driver.Act(case_ids[y][c], Shifted(acts[a], years[y].day_offset),
                       &versions[y][c]);
        if (s.ok()) {
          ++events;
          continue;
        }
        std::lock_guard<std::mutex> l(failures_mu);
        failures.push_back(absl::StrCat("day ", day, " case ", case_ids[y][c],
                                        ": ", s.error_message()));
        break;
      }
    });
    absl::Status settled = Settle(sys, events, {"statistics"});
    ASSERT_TRUE(settled.ok()) << "day " << day << ": " << settled;
    if (!failures.empty()) break;
  }
  for (const std::string& f : failures) ADD_FAILURE() << f;
  ASSERT_TRUE(failures.empty());
  sys.clock().Set(China(sim::kEndDay));
  absl::SleepFor(absl::Milliseconds(500));
  ASSERT_TRUE(Settle(sys, events, {"statistics"}).ok());
  std::printf("statistics simulation: 2 x %d petitions, %lld case-events, "
              "%.1f s\n",
              petitions, static_cast<long long>(events.load()), Seconds(t0));

  CheckVolume(sys, years, "week 2026-06-08 (周通报)",
              absl::CivilDay(2026, 6, 8), absl::CivilDay(2026, 6, 15));
  CheckVolume(sys, years, "month 2026-06 (月分析)", absl::CivilDay(2026, 6, 1),
              absl::CivilDay(2026, 7, 1));
  const auto t_bulletins = Clock::now();
  CheckBulletin(sys, years, caserelay::v1::BULLETIN_KIND_WEEKLY, "2026-09-23",
                absl::CivilDay(2026, 9, 21), absl::CivilDay(2026, 9, 28),
                "长治市信访局 周通报 2026年第1期", "2026年9月21日至9月27日",
                /*deadlines_known=*/false);
  CheckBulletin(sys, years, caserelay::v1::BULLETIN_KIND_MONTHLY, "2026-09-15",
                absl::CivilDay(2026, 9, 1), absl::CivilDay(2026, 10, 1),
                "长治市信访局 月分析 2026年第1期", "2026年9月",
                /*deadlines_known=*/true);
  std::printf("statistics simulation: two bulletins issued and checked in "
              "%.1f s\n",
              Seconds(t_bulletins));

  struct IndicatorQuery {
    const char* name;
    std::string region, office;
    int from, to;  // absolute days; to = kNever: unset (now)
    caserelay::v1::Breakdown breakdown;
  };
  const IndicatorQuery queries[] = {
      {"the deployment, 2025", "", "", DayOf(absl::CivilDay(2025, 1, 1)), 0,
       caserelay::v1::BREAKDOWN_OFFICE},
      {"山西, 2026 by level", "140000", "", 0, sim::kEndDay,
       caserelay::v1::BREAKDOWN_LEVEL},
      {"沁源县, across the new year", "140431", "",
       DayOf(absl::CivilDay(2025, 11, 1)), DayOf(absl::CivilDay(2026, 3, 1)),
       caserelay::v1::BREAKDOWN_OFFICE},
      {"沁源县信访局, June 2026", "", "140431:bureau",
       DayOf(absl::CivilDay(2026, 6, 1)), DayOf(absl::CivilDay(2026, 7, 1)),
       caserelay::v1::BREAKDOWN_NONE},
      {"山西, 2025 to now", "140000", "", DayOf(absl::CivilDay(2025, 1, 1)),
       sim::kNever, caserelay::v1::BREAKDOWN_NONE},
  };
  for (const IndicatorQuery& q : queries) {
    caserelay::v1::GetIndicatorsRequest req;
    req.mutable_scope()->set_region_code(q.region);
    req.mutable_scope()->set_office_code(q.office);
    *req.mutable_from() = time::ToProto(China(q.from));
    if (q.to != sim::kNever) *req.mutable_to() = time::ToProto(China(q.to));
    req.set_breakdown(q.breakdown);
    CheckIndicators(sys, q.name, req);
  }
  // casectl stats volume answers the same figures as the RPC (its JSON is
  // the GetVolumeResponse).
  const std::string casectl = absl::StrCat(
      Binary("tools/casectl/casectl"), " --json --statistics ",
      sys.grpc_address("statistics"), " --token-file ",
      sys.token_file(System::kProvinceBureau),
      " stats volume --region 140000 --from 2026-06-01 --to 2026-06-30");
  CommandResult cli = RunCommand(casectl);
  ASSERT_EQ(cli.code, 0) << cli.output;
  caserelay::v1::GetVolumeResponse printed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(cli.output, &printed).ok())
      << cli.output;
  const Figures month = ExpectedVolume(
      years, DayOf(absl::CivilDay(2026, 6, 1)), DayOf(absl::CivilDay(2026, 7, 1)),
      [](const std::string&) { return true; });
  EXPECT_EQ(Flatten(printed.total().current()), month) << cli.output;
  std::printf("statistics simulation: checked in %.1f s total\n", Seconds(t0));
}

}  // namespace
}  // namespace caserelay::testing
