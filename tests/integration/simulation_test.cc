// A simulated year through the real system (issue 4, "Must show"): 10,000
// petitions (CASERELAY_SIM_CASES) received over 2026, each original driven
// by scripted office behaviour (simulation_script.h) — the bureau sends it
// in time or late, the handling unit accepts in time, late or never,
// replies in time or late (some after an extension, some simplified), the
// petitioner's evaluation, some 复查, repeats (重复信访) and level-skipping
// visits (越级走访), and every 督办 answered — on the shared simulated
// clock, day by day. At the end every indicator of several scopes and
// periods, and the red-light board, must equal what the test computes from
// its own script (simulation_expected.cc).

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/simulation_checks.h"
#include "tests/integration/simulation_driver.h"
#include "tests/integration/simulation_script.h"

namespace caserelay::testing {
namespace {

using sim::kNever;

}  // namespace

namespace {

TEST(SimulationTest, AYearOfScriptedOfficesGivesTheIndicatorsTheScriptImplies) {
  const int petitions = EnvInt("CASERELAY_SIM_CASES", 10000);
  const uint64_t seed =
      static_cast<uint64_t>(EnvInt("CASERELAY_SIM_SEED", 20260105));
  const int threads = EnvInt("CASERELAY_SIM_THREADS", 8);
  const auto t0 = Clock::now();
  const sim::Script script = sim::MakeScript(petitions, seed);
  int repeats = 0, redirects = 0, actions = 0, late = 0;
  for (const auto& p : script.petitions) {
    repeats += p.type == sim::PetitionType::kRepeat;
    redirects += p.type == sim::PetitionType::kRedirect;
  }
  for (const auto& c : script.cases) {
    actions += static_cast<int>(c.actions.size());
    for (const auto& d : c.deadlines) late += d.late;
  }
  std::printf(
      "simulation: seed %llu, %d petitions (%zu originals, %d repeats, %d "
      "level-skipping visits), %d actions, %d late deadlines; plans redrawn "
      "%d times, %d originals made visits; script in %.2f s\n",
      static_cast<unsigned long long>(seed), petitions, script.cases.size(),
      repeats, redirects, actions, late, script.redrawn, script.demoted,
      Seconds(t0));

  const auto t1 = Clock::now();
  SystemOptions options;
  options.offices = sim::ActingOffices();
  options.simulated_start = China(sim::kFirstDay, 9);
  auto started = System::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  System& sys = **started;
  Driver driver(sys);
  std::printf("simulation: system started in %.2f s\n", Seconds(t1));

  // The routes the script assumes (DOMAIN.md "Routing": 属地管理、分级负责,
  // 交办 to a township government, 转送 to a department; 越级走访).
  for (const sim::Route& route : sim::Routes()) {
    for (auto type :
         {sim::PetitionType::kOriginal, sim::PetitionType::kRedirect}) {
      sim::Petition p;
      p.type = type;
      p.route = static_cast<int>(&route - &sim::Routes()[0]);
      caserelay::v1::PreviewRouteRequest req;
      *req.mutable_matter() = PetitionOf(p, 0).matter();
      grpc::ClientContext ctx;
      Within(ctx);
      caserelay::v1::RouteDecision d;
      grpc::Status s = sys.routing().PreviewRoute(&ctx, req, &d);
      ASSERT_TRUE(s.ok()) << s.error_message();
      const bool visit = type == sim::PetitionType::kRedirect;
      EXPECT_EQ(d.disposition(),
                visit ? caserelay::v1::DISPOSITION_REDIRECT : route.disposition)
          << route.region_code << " " << route.category;
      EXPECT_EQ(d.registering_office_code(),
                visit ? route.higher_bureau : route.registering);
      if (!visit) {
        EXPECT_EQ(d.target_office_code(), route.target);
      }
    }
  }
  ASSERT_FALSE(::testing::Test::HasFailure());

  // Day by day: the clock to 09:00, the day's petitions, the day's
  // actions, then supervision has applied everything before the clock
  // moves on (a deadline ended in time must not be seen missed).
  std::vector<std::string> case_ids(script.cases.size());
  std::vector<uint64_t> versions(script.cases.size(), 1);
  std::map<int, std::vector<int>> petitions_on;  // day -> petition indexes
  for (int i = 0; i < static_cast<int>(script.petitions.size()); ++i) {
    petitions_on[script.petitions[i].day].push_back(i);
  }
  std::map<int, std::vector<std::pair<int, int>>> actions_on;  // case, first
  for (int c = 0; c < static_cast<int>(script.cases.size()); ++c) {
    const auto& acts = script.cases[c].actions;
    for (int a = 0; a < static_cast<int>(acts.size()); ++a) {
      if (a == 0 || acts[a].day != acts[a - 1].day) {
        actions_on[acts[a].day].push_back({c, a});
      }
    }
  }
  std::atomic<int64_t> events{0};
  std::mutex failures_mu;
  std::vector<std::string> failures;
  double submit_s = 0, act_s = 0, settle_s = 0;
  const auto t2 = Clock::now();
  for (int day = sim::kFirstDay; day <= sim::kLastDay; ++day) {
    sys.clock().Set(China(day, 9));
    auto ts = Clock::now();
    const std::vector<int>& today = petitions_on[day];
    ParallelFor(static_cast<int>(today.size()), threads, [&](int k) {
      const int i = today[k];
      const sim::Petition& p = script.petitions[i];
      grpc::ClientContext ctx;
      Within(ctx);
      caserelay::v1::SubmitPetitionResponse resp;
      grpc::Status s =
          sys.intake().SubmitPetition(&ctx, PetitionOf(p, i), &resp);
      if (!s.ok()) {
        std::lock_guard<std::mutex> l(failures_mu);
        failures.push_back(absl::StrCat(sim::DayName(day), " submit ", i, ": ",
                                        s.error_message()));
        return;
      }
      // REGISTER, and a repeat's LINK_REPEAT on its original.
      events += p.type == sim::PetitionType::kRepeat ? 2 : 1;
      if (p.type == sim::PetitionType::kOriginal) {
        case_ids[p.case_index] = resp.case_number();
      }
    });
    submit_s += Seconds(ts);
    ts = Clock::now();
    const auto& groups = actions_on[day];
    ParallelFor(static_cast<int>(groups.size()), threads, [&](int k) {
      const auto [c, first] = groups[k];
      const auto& acts = script.cases[c].actions;
      for (int a = first;
           a < static_cast<int>(acts.size()) && acts[a].day == day; ++a) {
        grpc::Status s = driver.Act(case_ids[c], acts[a], &versions[c]);
        if (s.ok()) {
          ++events;
          continue;
        }
        std::lock_guard<std::mutex> l(failures_mu);
        failures.push_back(absl::StrCat(
            sim::DayName(day), " case ", case_ids[c], " (", c, ") as ",
            acts[a].office, " ", acts[a].request.ShortDebugString(), ": ",
            s.error_message()));
        break;
      }
    });
    act_s += Seconds(ts);
    ts = Clock::now();
    absl::Status settled = Settle(sys, events);
    settle_s += Seconds(ts);
    ASSERT_TRUE(settled.ok()) << sim::DayName(day) << ": " << settled;
    if (!failures.empty()) break;
  }
  for (const std::string& f : failures) ADD_FAILURE() << f;
  ASSERT_TRUE(failures.empty());
  // The end: 2027-01-01 00:00; the last misses fire and are recorded.
  sys.clock().Set(China(sim::kEndDay));
  absl::SleepFor(absl::Milliseconds(500));
  ASSERT_TRUE(Settle(sys, events).ok());
  std::printf(
      "simulation: %d days, %lld case-events in %.1f s (submit %.1f s, act "
      "%.1f s, settle %.1f s)\n",
      sim::kLastDay - sim::kFirstDay + 1, static_cast<long long>(events.load()),
      Seconds(t2), submit_s, act_s, settle_s);

  const auto t3 = Clock::now();
  CheckIndicators(sys, script);
  CheckRedLights(sys, script, case_ids);
  std::printf("simulation: queries checked in %.2f s; total %.1f s\n",
              Seconds(t3), Seconds(t0));
}

}  // namespace
}  // namespace caserelay::testing
