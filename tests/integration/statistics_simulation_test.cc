// Two simulated years through the real system (issue 17, "Must show"):
// the supervision simulation's script (simulation_script.h) drawn twice,
// for 2025 and for 2026 (CASERELAY_STATS_SIM_CASES petitions each), its
// offices acting day by day on the shared simulated clock, with the
// statistics service beside supervision. At the end:
//   - GetVolume for a week (周通报) and a month (月分析) of 2026, in total
//     and per registering office, must equal what the test computes from
//     the scripts alone — the figures of the period, of the previous
//     period (环比) and of the same days of 2025 (同比);
//   - GetIndicators from the statistics' index must equal supervision's
//     GetIndicators (a scan of its case records) for scopes and periods of
//     both years.
// Red lights and 督办 by period are not computed from the script here (the
// script fixes their days only around its own boundaries); their counters
// are the deadlines' that GetIndicators' equality covers.

#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/time/timestamp.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/simulation_driver.h"
#include "tests/integration/simulation_script.h"

namespace caserelay::testing {
namespace {

using Figures = std::map<std::string, int64_t>;

// The two years: the script's day d of year y happens on day d + offset.
struct Year {
  sim::Script script;
  int day_offset;         // -365: 2025; 0: 2026
  int petitioner_offset;  // keeps the years' petitioners apart (no repeats
                          // across years)
  int index_offset;       // keeps request ids apart
};

std::string ChannelKey(const sim::Petition& p) {
  return p.type == sim::PetitionType::kRedirect ? "visit" : "online";
}

// The figures statistics.proto VolumeFigures defines, from the script
// alone, of the petitions received on days [from, to) (absolute days) and
// registered by an office `in_scope` accepts.
template <typename InScope>
Figures ExpectedVolume(const std::vector<Year>& years, int from, int to,
                       InScope in_scope) {
  Figures f;
  for (const Year& y : years) {
    for (const sim::Petition& p : y.script.petitions) {
      const int day = p.day + y.day_offset;
      if (day < from || day >= to || !in_scope(p.registering)) continue;
      ++f["cases"];
      ++f["persons"];
      ++f["ch/" + ChannelKey(p)];
      ++f["cat/" + sim::Routes()[p.route].category];
      ++f["cls/claim"];
      if (p.type == sim::PetitionType::kRepeat) {
        ++f["repeat"];
        ++f["not_accepted"];  // linked to the open case, not handled again
      } else {
        ++f["new"];
      }
      if (p.type == sim::PetitionType::kRedirect) {
        ++f["skip"];
        ++f["not_accepted"];  // 越级走访: directed to the competent level
      }
      if (p.type != sim::PetitionType::kOriginal) continue;
      const sim::Case& c = y.script.cases[p.case_index];
      bool accepted = false, replied = false;
      for (const sim::Action& a : c.actions) {
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
  f["online/num"] = f.count("ch/online") ? f["ch/online"] : 0;
  f["online/den"] = f["cases"];
  for (auto it = f.begin(); it != f.end();) {
    it = it->second == 0 ? f.erase(it) : std::next(it);
  }
  return f;
}

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
  s = sys.supervision().GetIndicators(&b, req, &from_scan);
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
    if (petitions_on.count(day) == 0 && actions_on.count(day) == 0) continue;
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
