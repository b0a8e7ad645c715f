// bench_stats (issue 17 "Must show"): the statistics' query for a province
// subtree and a year over an index of --cases cases, p50/p99, beside a raw
// read of the index keys it reads, in one run (README.md).
//
// The index is built by the index's own Contribute and WriteDelta
// (services/statistics) from generated case records of 山西 (140000): each
// received in 2026, registered by a county's bureau, with a handling
// deadline of a township or county office ended in time, late or never, a
// reply and a rating for most. Contributions are summed per chunk of cases
// in memory and written as deltas (as Apply writes one case's), so the
// stored counters are those Apply would leave.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/common/util.h"
#include "common/region/region_tree.h"
#include "common/store/store.h"
#include "common/time/china_time.h"
#include "common/time/clock.h"
#include "common/time/timestamp.h"
#include "services/statistics/contribution.h"
#include "services/statistics/index_reader.h"
#include "services/statistics/statistics_service.h"

namespace caserelay::bench {
namespace {

struct Flags {
  bool help = false;
  int cases = 1000000;
  int queries = 200;
  std::string dir;
};

std::string Usage() {
  return "usage: bench_stats [--cases N] [--queries Q] [--dir DIR]\n"
         "  Builds the statistics' index of N generated cases of 山西 in 2026\n"
         "  (default 1000000) in a fresh RocksDB under DIR (default: a temp\n"
         "  dir), then times Q GetVolume and GetIndicators queries for the\n"
         "  province and the year (default 200) beside a raw read of the\n"
         "  keys they read. One report; exit 0 measured, 1 failed, 2 bad "
         "flags.\n";
}

absl::StatusOr<Flags> Parse(const std::vector<std::string>& args) {
  Flags f;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help") {
      f.help = true;
      continue;
    }
    auto flag = TakeValueFlag(args, &i, {"--cases", "--queries", "--dir"});
    if (!flag.ok()) return flag.status();
    absl::Status s;
    if (flag->first == "--cases") {
      s = ParseInt("--cases", flag->second, 1, 10000000, &f.cases);
    } else if (flag->first == "--queries") {
      s = ParseInt("--queries", flag->second, 1, 100000, &f.queries);
    } else {
      f.dir = flag->second;
    }
    if (!s.ok()) return s;
  }
  return f;
}

using Steady = std::chrono::steady_clock;
double Ms(Steady::time_point a, Steady::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}
double Pct(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

// One generated case of 山西.
caserelay::v1::StatisticsCaseRecord MakeCase(
    int n, std::mt19937& rng, const std::vector<const region::Region*>& counties,
    const region::RegionTree& tree) {
  auto pick = [&](int k) { return static_cast<int>(rng() % k); };
  const region::Region* county = counties[pick(counties.size())];
  const auto towns = tree.Children(county->code);
  caserelay::v1::StatisticsCaseRecord r;
  r.set_case_id(absl::StrCat(county->code, "-2026-", n));
  const absl::Time received = time::StartOf(absl::CivilDay(2026, 1, 1)) +
                              absl::Hours(pick(365 * 24));
  auto* f = r.mutable_facts();
  *f->mutable_received_at() = time::ToProto(received);
  f->set_registering_office_code(county->code + ":bureau");
  f->set_disposition(pick(10) == 0 ? caserelay::v1::DISPOSITION_REDIRECT
                                   : caserelay::v1::DISPOSITION_ASSIGN);
  const caserelay::v1::Channel channels[] = {
      caserelay::v1::CHANNEL_ONLINE, caserelay::v1::CHANNEL_ONLINE,
      caserelay::v1::CHANNEL_LETTER, caserelay::v1::CHANNEL_VISIT,
      caserelay::v1::CHANNEL_PHONE};
  r.set_channel(channels[pick(5)]);
  const char* categories[] = {"labour", "housing", "land", "social-security",
                              "work-injury", "environment"};
  r.set_category(categories[pick(6)]);
  r.set_matter_class(caserelay::v1::MATTER_CLASS_CLAIM);
  if (f->disposition() == caserelay::v1::DISPOSITION_REDIRECT) return r;
  const std::string handler =
      towns.empty() || pick(2) ? county->code + ":hrss"
                               : towns[pick(towns.size())]->code + ":gov";
  r.set_accepted(true);
  auto* d = r.add_deadlines();
  d->set_kind(caserelay::v1::DEADLINE_KIND_HANDLING);
  d->set_office_code(handler);
  const absl::Time due = received + absl::Hours(24 * 60);
  *d->mutable_due_at() = time::ToProto(due);
  const int fate = pick(10);
  if (fate < 8) {
    const absl::Time replied =
        fate < 7 ? due - absl::Hours(pick(24 * 50)) : due + absl::Hours(pick(480));
    d->set_state(fate < 7 ? caserelay::v1::DEADLINE_STATE_DONE
                          : caserelay::v1::DEADLINE_STATE_MISSED);
    *d->mutable_ended_at() = time::ToProto(replied);
    f->set_handling_office_code(handler);
    *f->mutable_replied_at() = time::ToProto(replied);
    r.set_outcome(static_cast<caserelay::v1::Outcome>(1 + pick(3)));
    if (pick(4) > 0) {
      f->set_satisfaction(static_cast<caserelay::v1::Satisfaction>(1 + pick(3)));
    }
  } else {
    d->set_state(caserelay::v1::DEADLINE_STATE_MISSED);
  }
  return r;
}

int Run(const Flags& flags) {
  auto tree = region::RegionTree::Load(CASERELAY_SOURCE_DIR
                                       "/data/regions/regions.tsv");
  if (!tree.ok()) {
    std::fprintf(stderr, "bench_stats: %s\n", tree.status().ToString().c_str());
    return kExitFailure;
  }
  auto dir = FreshStoreDir(flags.dir, "stats");
  if (!dir.ok()) {
    std::fprintf(stderr, "bench_stats: %s\n", dir.status().ToString().c_str());
    return kExitFailure;
  }
  store::StoreOptions options;
  options.path = *dir;
  options.column_families = statistics::ColumnFamilies();
  options.sync = false;
  auto store = store::Store::Open(options);
  if (!store.ok()) {
    std::fprintf(stderr, "bench_stats: %s\n", store.status().ToString().c_str());
    return kExitFailure;
  }
  std::vector<const region::Region*> counties;
  for (const region::Region* city : (*tree)->Children("140000")) {
    for (const region::Region* c : (*tree)->Children(city->code)) {
      counties.push_back(c);
    }
  }
  std::printf("bench_stats: %s; load %s\n", BuildType(), LoadAverage().c_str());
  std::mt19937 rng(20260101);
  statistics::ScopeResolver scopes(tree->get());
  const auto t0 = Steady::now();
  const int chunk = 50000;
  for (int start = 0; start < flags.cases; start += chunk) {
    statistics::CountsByKey sum;
    store::WriteBatch batch(store->get());
    for (int n = start; n < std::min(flags.cases, start + chunk); ++n) {
      const auto record = MakeCase(n, rng, counties, **tree);
      const statistics::Contribution c = statistics::Contribute(record, scopes);
      for (const auto& [key, dims] : c.counts) {
        for (const auto& [dim, v] : dims) sum[key][dim] += v;
      }
      for (const std::string& k : c.due_keys) {
        batch.Put(statistics::kDuesFamily, k, "");
      }
      batch.Put(statistics::kCasesFamily, record.case_id(),
                record.SerializeAsString());
    }
    absl::Status s = statistics::WriteDelta(sum, batch);
    if (s.ok()) s = (*store)->Commit(batch).status();
    if (!s.ok()) {
      std::fprintf(stderr, "bench_stats: %s\n", s.ToString().c_str());
      return kExitFailure;
    }
  }
  const auto t1 = Steady::now();
  std::printf("index of %d cases built in %.1f s (%.0f cases/s)\n",
              flags.cases, Ms(t0, t1) / 1000,
              flags.cases / (Ms(t0, t1) / 1000));

  time::SimulatedClock clock(time::StartOf(absl::CivilDay(2027, 2, 1)));
  statistics::IndexReader reader(store->get(), tree->get(), &clock);
  caserelay::v1::GetVolumeRequest volume;
  volume.mutable_scope()->set_region_code("140000");
  *volume.mutable_from() = time::ToProto(time::StartOf(absl::CivilDay(2026, 1, 1)));
  *volume.mutable_to() = time::ToProto(time::StartOf(absl::CivilDay(2027, 1, 1)));
  caserelay::v1::GetIndicatorsRequest indicators;
  *indicators.mutable_scope() = caserelay::v1::IndicatorScope();
  indicators.mutable_scope()->set_region_code("140000");
  *indicators.mutable_from() = volume.from();
  *indicators.mutable_to() = volume.to();
  std::vector<double> v_ms, i_ms, raw_ms, scan_ms;
  int64_t cases = 0, keys = 0;
  for (int q = 0; q < flags.queries; ++q) {
    auto a = Steady::now();
    auto v = reader.Volume(volume);
    auto b = Steady::now();
    auto ind = reader.Indicators(indicators);
    auto c = Steady::now();
    if (!v.ok() || !ind.ok()) {
      std::fprintf(stderr, "bench_stats: %s %s\n", v.status().ToString().c_str(),
                   ind.status().ToString().c_str());
      return kExitFailure;
    }
    cases = v->total().current().cases();
    // The ceiling: the same year keys read raw (no parse, no sums): the
    // year, the year before and the one before that (环比 = 同比 here).
    for (const char* y : {"y2026", "y2025", "y2024"}) {
      auto raw = (*store)->Get(statistics::kCountersFamily,
                               statistics::CounterKey("r:140000", y));
      if (!raw.ok()) return kExitFailure;
    }
    auto d = Steady::now();
    keys = 0;
    (void)(*store)->ScanPrefix(statistics::kCountersFamily,
                               statistics::CounterKey("r:140000", ""),
                               [&](std::string_view, std::string_view) {
                                 ++keys;
                                 return true;
                               });
    auto e = Steady::now();
    v_ms.push_back(Ms(a, b));
    i_ms.push_back(Ms(b, c));
    raw_ms.push_back(Ms(c, d));
    scan_ms.push_back(Ms(d, e));
  }
  std::printf("province 140000, year 2026: %lld cases counted\n",
              static_cast<long long>(cases));
  std::printf("%-44s %10s %10s\n", "", "p50 ms", "p99 ms");
  std::printf("%-44s %10.3f %10.3f\n", "GetVolume (year, 环比, 同比)",
              Pct(v_ms, 0.5), Pct(v_ms, 0.99));
  std::printf("%-44s %10.3f %10.3f\n", "GetIndicators (year, backlog)",
              Pct(i_ms, 0.5), Pct(i_ms, 0.99));
  std::printf("%-44s %10.3f %10.3f\n", "raw Get of the 3 year keys read",
              Pct(raw_ms, 0.5), Pct(raw_ms, 0.99));
  std::printf("%-44s %10.3f %10.3f  (%lld keys)\n",
              "raw scan of the scope's whole index", Pct(scan_ms, 0.5),
              Pct(scan_ms, 0.99), static_cast<long long>(keys));
  std::printf(
      "RESULT cases=%d volume_p50_ms=%.3f volume_p99_ms=%.3f "
      "indicators_p50_ms=%.3f indicators_p99_ms=%.3f raw_p50_ms=%.3f "
      "raw_p99_ms=%.3f scan_p99_ms=%.3f\n",
      flags.cases, Pct(v_ms, 0.5), Pct(v_ms, 0.99), Pct(i_ms, 0.5),
      Pct(i_ms, 0.99), Pct(raw_ms, 0.5), Pct(raw_ms, 0.99),
      Pct(scan_ms, 0.99));
  std::printf("goal: p99 <= 100 ms: %s\n",
              std::max(Pct(v_ms, 0.99), Pct(i_ms, 0.99)) <= 100 ? "met"
                                                                  : "NOT met");
  return 0;
}

}  // namespace
}  // namespace caserelay::bench

int main(int argc, char** argv) {
  using namespace caserelay::bench;
  return BenchMain(argc, argv, "bench_stats", Parse, Usage, Run);
}
