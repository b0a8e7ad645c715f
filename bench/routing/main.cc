// bench_routing: routing decisions/s over the whole jurisdiction tree and
// inbox query latency with a million cases stored, each beside its ceiling
// measured in the same run. See README.md and `bench_routing --help`.
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/common/util.h"
#include "bench/pipeline/stats.h"
#include "bench/routing/decisions.h"
#include "bench/routing/flags.h"
#include "bench/routing/inbox.h"
#include "bench/routing/populate.h"
#include "bench/routing/report.h"
#include "bench/routing/tree.h"
#include "services/routing/case_store.h"

namespace caserelay::bench {
namespace {

int Fail(const std::string& stage, const absl::Status& status) {
  std::cerr << "bench_routing: " << stage << ": " << status << std::endl;
  return kExitFailure;
}

// The benchmark's "today", fixed so a seed always gives the same store.
absl::Time BenchNow() {
  return absl::FromCivil(absl::CivilSecond(2025, 6, 2, 9, 0, 0),
                         absl::FixedTimeZone(8 * 3600));
}

DecisionReport RunDecisionRuns(const Tree& tree, const RoutingFlags& flags) {
  DecisionReport d;
  const SteadyTime built = SteadyClock::now();
  d.workload = BuildDecisionWorkload(tree, flags.seed);
  absl::PrintF("decisions: %zu matters built in %.1f s; timing...\n",
               d.workload.inputs.size(),
               absl::ToDoubleSeconds(Since(built, SteadyClock::now())));
  std::fflush(stdout);
  const routing::Router router(tree.regions.get(), tree.offices.get(),
                               tree.routes.get());
  // Warm-up: caches, allocator, page faults of the inputs.
  const std::vector<routing::RouteInput> warm(
      d.workload.inputs.begin(),
      d.workload.inputs.begin() +
          std::min<size_t>(50000, d.workload.inputs.size()));
  RunDecisions(router, warm, 1);
  RunLookups(tree, warm, 1, true);

  d.load = LoadAverage();
  d.decide_1 = RunDecisions(router, d.workload.inputs, 1);
  d.lookups_1 = RunLookups(tree, d.workload.inputs, 1, true);
  d.tree_1 = RunLookups(tree, d.workload.inputs, 1, false);
  d.decide_n = RunDecisions(router, d.workload.inputs, flags.threads);
  d.lookups_n = RunLookups(tree, d.workload.inputs, flags.threads, true);
  return d;
}

// This process's CPU time so far (every thread), from getrusage.
absl::Duration CpuTime() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return absl::DurationFromTimeval(u.ru_utime) +
         absl::DurationFromTimeval(u.ru_stime);
}

// Waits until RocksDB's background flushes and compactions after the bulk
// fill are done — the process, whose main thread only sleeps here, uses
// under 2% of a CPU for a second — or `limit` passes. Queries then measure
// the store as it stands, not the fill's aftermath. Returns the wait.
absl::Duration Settle(absl::Duration limit) {
  const SteadyTime start = SteadyClock::now();
  absl::Duration before = CpuTime();
  while (Since(start, SteadyClock::now()) < limit) {
    absl::SleepFor(absl::Seconds(1));
    const absl::Duration now = CpuTime();
    if (now - before < absl::Milliseconds(20)) break;
    before = now;
  }
  return Since(start, SteadyClock::now());
}

uint64_t DiskBytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  }
  return total;
}

absl::StatusOr<InboxReport> RunInboxRuns(const Tree& tree,
                                         const RoutingFlags& flags,
                                         const std::string& dir) {
  InboxReport r;
  store::StoreOptions so;
  so.path = dir + "/routing";
  so.column_families = routing::ColumnFamilies();
  so.sync = false;  // filling, not what is measured; queries never write
  auto store = store::Store::Open(so);
  if (!store.ok()) return store.status();
  // As routing's first start on an empty store: the inbox_state index is
  // complete (inbox_index.h), so Append keeps it so.
  if (auto marked = routing::InboxIndex::Backfill(**store, {}); !marked.ok()) {
    return marked.status();
  }

  PopulateOptions po;
  po.cases = flags.cases;
  po.seed = flags.seed;
  po.now = BenchNow();
  po.progress = [&](int done, absl::Duration elapsed) {
    absl::PrintF("populated %d/%d (%.0f s)\n", done, flags.cases,
                 absl::ToDoubleSeconds(elapsed));
    std::fflush(stdout);
  };
  absl::PrintF("inbox: populating %s with %d cases...\n", so.path, flags.cases);
  std::fflush(stdout);
  auto population = Populate(**store, tree, po);
  if (!population.ok()) return population.status();
  r.population = *std::move(population);
  r.settle = Settle(absl::Seconds(300));
  r.disk_bytes = DiskBytes(so.path);

  InboxOptions io;
  io.queries = flags.queries;
  io.seed = flags.seed;
  io.now = po.now;
  r.load = LoadAverage();
  absl::PrintF("inbox: %d queries...\n", flags.queries);
  std::fflush(stdout);
  auto result = RunInbox(**store, *tree.offices, r.population, io);
  if (!result.ok()) return result.status();
  r.result = *std::move(result);
  return r;
}

int Run(const RoutingFlags& flags) {
  absl::PrintF(
      "bench/routing: seed %d, %d threads; build %s; %ld CPUs, load %s\n",
      flags.seed, flags.threads, BuildType(), sysconf(_SC_NPROCESSORS_ONLN),
      LoadAverage());
  auto tree = LoadTree(CASERELAY_SOURCE_DIR);
  if (!tree.ok()) return Fail("reference data", tree.status());

  std::optional<DecisionReport> decisions;
  if (!flags.skip_decisions) decisions = RunDecisionRuns(*tree, flags);

  std::optional<InboxReport> inbox;
  if (!flags.skip_inbox) {
    auto dir = FreshStoreDir(flags.dir, "routing");
    if (!dir.ok()) return Fail("store directory", dir.status());
    auto report = RunInboxRuns(*tree, flags, *dir);
    std::error_code ec;
    if (flags.keep) {
      absl::PrintF("inbox: store kept in %s/routing\n", *dir);
    } else {
      std::filesystem::remove_all(*dir, ec);
    }
    if (!report.ok()) return Fail("inbox", report.status());
    inbox = *std::move(report);
  }

  PrintReport(*tree, flags, decisions, inbox);
  if (decisions && (decisions->decide_1.errors > 0)) {
    std::cerr << "bench_routing: " << decisions->decide_1.errors
              << " decisions failed; first: " << decisions->decide_1.first_error
              << std::endl;
    return kExitFailure;
  }
  return 0;
}

}  // namespace
}  // namespace caserelay::bench

int main(int argc, char** argv) {
  namespace b = caserelay::bench;
  return b::BenchMain(argc, argv, "bench_routing", b::ParseRoutingFlags,
                      b::RoutingUsage,
                      [](const auto& flags) { return b::Run(flags); });
}
