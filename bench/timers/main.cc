// bench_timers: supervision's durable timers with a million pending —
// arming, restart-to-resume, firing lateness and RSS — each beside its
// ceiling measured in the same run. See README.md and `bench_timers --help`.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/common/util.h"
#include "bench/pipeline/stats.h"
#include "bench/timers/flags.h"
#include "bench/timers/phases.h"
#include "bench/timers/stores.h"
#include "bench/timers/workload.h"
#include "common/metrics/metrics.h"
#include "common/region/region_tree.h"
#include "domain/offices/office_directory.h"
#include "services/supervision/supervision_service.h"

namespace caserelay::bench {
namespace {

// Deadlines fall due over this much simulated time; warnings (yellow
// lights) come the deployed supervision.warning_before earlier.
constexpr absl::Duration kSpread = absl::Hours(24 * 30);
constexpr absl::Duration kWarningBefore = absl::Hours(72);
const absl::Duration kPollTimeout = absl::Milliseconds(100);

int g_progress_fd = 2;  // the real stderr; fd 2 takes the service's log

void Progress(const std::string& line) {
  const std::string out = absl::StrCat("bench_timers: ", line, "\n");
  if (write(g_progress_fd, out.data(), out.size()) < 0) {
    // Progress is best effort.
  }
}

int Fail(const std::string& stage, const absl::Status& status) {
  Progress(absl::StrCat(stage, ": ", status.ToString()));
  return kExitFailure;
}

// The benchmark's origin: the instant the first timer is due.
absl::Time Origin() {
  return absl::FromCivil(absl::CivilSecond(2025, 6, 2, 9, 0, 0),
                         absl::FixedTimeZone(8 * 3600));
}

double PeakRssMb() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;  // KiB on Linux
}

double RssMb() {
  std::ifstream in("/proc/self/statm");
  long size = 0, resident = 0;
  in >> size >> resident;
  return resident * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1 << 20);
}

uint64_t DiskBytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  }
  return total;
}

// The memtable budget of every store of the run (--memtable-budget-mb).
uint64_t g_memtable_budget = store::kDefaultMemtableBudgetBytes;
// --partitions: 0 one store, else a PartitionedStore of that many.
int g_partitions = 8;

absl::StatusOr<std::unique_ptr<TimerStores>> OpenStores(
    const std::string& path) {
  return TimerStores::Open(path, g_partitions, g_memtable_budget);
}

// Everything the figures need.
struct Figures {
  std::string load_start, load_fire;
  int cases = 0;
  ArmResult arm, raw_arm;
  double rss_after_arm_mb = 0, rss_peak_end_mb = 0, rss_end_mb = 0;
  uint64_t disk_after_arm = 0, disk_end = 0, log_bytes = 0;
  size_t record_bytes = 0;
  absl::Duration first_open, open_ceiling, resume, resume_open;
  FireResult fire;
  RawFireResult raw_fire;
  double speed = 0;
};

double Rate(int64_t n, absl::Duration d) {
  return n / std::max(1e-9, absl::ToDoubleSeconds(d));
}

void PrintReport(const TimersFlags& flags, const Figures& f) {
  const int64_t timers = 2LL * f.cases;
  const LatencySummary late = Summarize(f.fire.lateness);
  const double arm_rate = Rate(timers, f.arm.timed);
  const double raw_arm_rate = Rate(timers, f.raw_arm.timed);
  const double fire_work_rate =
      Rate(f.fire.warnings + f.fire.misses, f.fire.work);
  const double fire_wall_rate =
      Rate(f.fire.warnings + f.fire.misses, f.fire.wall);
  const double raw_fire_rate = Rate(f.raw_fire.keys, f.raw_fire.timed);
  const double fire_cpu_rate =
      Rate(f.fire.warnings + f.fire.misses, f.fire.cpu);
  const double raw_fire_cpu_rate = Rate(f.raw_fire.keys, f.raw_fire.cpu);
  absl::PrintF(
      "\n%d timers = %d deadlines (warning + miss each), %d per WriteBatch, "
      "fire_batch %d, peak %d timers/s due, memtable budget %d MiB; %s; "
      "clock speed %.0fx; load %s at start, %s before firing\n",
      timers, f.cases, flags.batch, flags.fire_batch, flags.due_rate,
      static_cast<int>(g_memtable_budget >> 20),
      g_partitions == 0
          ? std::string("one store (--partitions 0)")
          : absl::StrCat(g_partitions,
                         " partition DBs, each logging its changelog"),
      f.speed, f.load_start, f.load_fire);
  absl::PrintF("%-34s %14s %14s %9s\n", "", "service", "ceiling", "ratio");
  absl::PrintF("%-34s %12.0f/s %12.0f/s %9.3f\n", "arm  timers/s (timed part)",
               arm_rate, raw_arm_rate, arm_rate / raw_arm_rate);
  absl::PrintF("%-34s %13.1fs %13.1fs\n", "arm  total (timed / wall)",
               absl::ToDoubleSeconds(f.arm.timed),
               absl::ToDoubleSeconds(f.raw_arm.timed));
  absl::PrintF("%-34s %13.1fs\n", "     wall incl. building inputs",
               absl::ToDoubleSeconds(f.arm.wall));
  absl::PrintF("%-34s %12.0fms %12.0fms %9.2f\n",
               "restart  resume / Store::Open", Ms(f.resume),
               Ms(f.open_ceiling), Ms(f.resume) / Ms(f.open_ceiling));
  absl::PrintF("%-34s %12.0fms\n", "     of which Store::Open",
               Ms(f.resume_open));
  absl::PrintF("%-34s %12.0fms\n", "     first open after close (WAL)",
               Ms(f.first_open));
  absl::PrintF("%-34s %12.1fms %12.1fms %9.2f\n", "fire lateness p50 / poll",
               Ms(late.p50), Ms(kPollTimeout), Ms(late.p50) / Ms(kPollTimeout));
  absl::PrintF("%-34s %12.1fms %12.1fms %9.2f\n", "fire lateness p99 / poll",
               Ms(late.p99), Ms(kPollTimeout), Ms(late.p99) / Ms(kPollTimeout));
  absl::PrintF("%-34s %12.1fms\n", "fire lateness max", Ms(late.max));
  absl::PrintF("%-34s %12.0f/s %12.0f/s %9.3f\n",
               "fire work rate (Tick+commit)", fire_work_rate, raw_fire_rate,
               fire_work_rate / raw_fire_rate);
  absl::PrintF("%-34s %12.0f/s %12.0f/s %9.3f\n",
               "fire CPU rate (process CPU)", fire_cpu_rate,
               raw_fire_cpu_rate, fire_cpu_rate / raw_fire_cpu_rate);
  absl::PrintF("%-34s %12.0f/s %12.0f/s\n", "fire wall rate / cadence bound",
               fire_wall_rate,
               flags.fire_batch / absl::ToDoubleSeconds(kPollTimeout));
  absl::PrintF("%-34s %12.1fms\n", "longest Tick+commit", Ms(f.fire.max_work));
  absl::PrintF(
      "fired: %d warnings, %d misses (+1 warning at resume), %d 督办 issued, "
      "%d dropped without output; %d ticks, %d firing\n",
      f.fire.warnings, f.fire.misses, f.fire.issued,
      timers - 1 - f.fire.warnings - f.fire.misses, f.fire.ticks,
      f.fire.firing_ticks);
  absl::PrintF(
      "rss: peak %.0f MB after arming, peak %.0f MB at the end (%.0f MB "
      "resident); store %.0f MB after arming, %.0f MB at the end; record "
      "%d bytes; service log %.0f MB\n",
      f.rss_after_arm_mb, f.rss_peak_end_mb, f.rss_end_mb,
      f.disk_after_arm / 1e6, f.disk_end / 1e6, f.record_bytes,
      f.log_bytes / 1e6);
  absl::PrintF(
      "RESULT timers=%d deadlines=%d partitions=%d batch=%d fire_batch=%d "
      "due_rate=%d "
      "arm_s=%.2f arm_timers_per_s=%.0f raw_arm_timers_per_s=%.0f "
      "arm_ratio=%.3f resume_ms=%.0f open_ms=%.0f resume_ratio=%.2f "
      "first_open_ms=%.0f lateness_p50_ms=%.1f lateness_p99_ms=%.1f "
      "lateness_max_ms=%.1f poll_timeout_ms=%.0f lateness_ratio_p99=%.2f "
      "fire_work_per_s=%.0f raw_fire_per_s=%.0f fire_ratio=%.3f "
      "fire_wall_per_s=%.0f fire_cpu_per_s=%.0f raw_fire_cpu_per_s=%.0f "
      "fire_cpu_ratio=%.3f dropped=%d rss_arm_mb=%.0f rss_peak_mb=%.0f "
      "disk_mb=%.0f log_mb=%.1f\n",
      timers, f.cases, g_partitions, flags.batch, flags.fire_batch,
      flags.due_rate, absl::ToDoubleSeconds(f.arm.timed), arm_rate,
      raw_arm_rate, arm_rate / raw_arm_rate, Ms(f.resume), Ms(f.open_ceiling),
      Ms(f.resume) / Ms(f.open_ceiling), Ms(f.first_open), Ms(late.p50),
      Ms(late.p99), Ms(late.max), Ms(kPollTimeout),
      Ms(late.p99) / Ms(kPollTimeout), fire_work_rate, raw_fire_rate,
      fire_work_rate / raw_fire_rate, fire_wall_rate, fire_cpu_rate,
      raw_fire_cpu_rate, fire_cpu_rate / raw_fire_cpu_rate,
      timers - 1 - f.fire.warnings - f.fire.misses, f.rss_after_arm_mb,
      f.rss_peak_end_mb, f.disk_after_arm / 1e6, f.log_bytes / 1e6);
}

absl::Status Run(const TimersFlags& flags, const std::string& dir, Figures& f) {
  auto regions = region::RegionTree::Load(
      absl::StrCat(CASERELAY_SOURCE_DIR, "/data/regions/regions.tsv"));
  if (!regions.ok()) return regions.status();
  auto offices = offices::OfficeDirectory::Load(
      absl::StrCat(CASERELAY_SOURCE_DIR, "/data/offices"), regions->get());
  if (!offices.ok()) return offices.status();
  const supervision::SupervisionTables tables{regions->get(), offices->get()};
  supervision::SupervisionOptions options;
  options.fire_batch = flags.fire_batch;
  options.warning_before = kWarningBefore;

  f.cases = flags.timers / 2;
  const Workload workload(f.cases, Origin(), kWarningBefore, kSpread);
  // Peak: warnings and misses both due, timers/kSpread per simulated s.
  f.speed = flags.due_rate * absl::ToDoubleSeconds(kSpread) / flags.timers;
  ScaledClock clock(Origin(), f.speed);
  clock.Freeze(Origin() - absl::Minutes(1));  // before every timer
  metrics::Registry metrics;
  const std::string path = dir + "/supervision";

  auto make = [&](const TimerStores& stores) {
    return std::make_unique<supervision::SupervisionServiceImpl>(
        stores.ContextFor(&clock, &metrics), tables, options);
  };
  {
    auto stores = OpenStores(path);
    if (!stores.ok()) return stores.status();
    auto service = make(**stores);
    Progress(absl::StrFormat("arm: %d cases into %s", f.cases, path));
    auto arm =
        ArmThroughService(**stores, *service, workload, flags.batch, Progress);
    if (!arm.ok()) return arm.status();
    f.arm = *arm;
    f.rss_after_arm_mb = PeakRssMb();
    f.disk_after_arm = DiskBytes(path);
    const std::string case1 = workload.CaseId(1);
    auto rec = (*stores)
                   ->db((*stores)->IndexOfCase(case1))
                   .Get(supervision::kCases, case1);
    if (!rec.ok()) return rec.status();
    f.record_bytes = rec->value_or("").size();
  }  // service, then stores closed

  // Restart. The first open after the close replays the WAL (and flushes
  // it); the ceiling and the resume are timed after it.
  Progress("restart");
  for (int round = 0; round < 4; ++round) {
    const SteadyTime t0 = SteadyClock::now();
    auto stores = OpenStores(path);
    if (!stores.ok()) return stores.status();
    const absl::Duration took = Since(t0, SteadyClock::now());
    if (round == 0) {
      f.first_open = took;
    } else if (round == 1 || took < f.open_ceiling) {
      f.open_ceiling = took;  // the best of 3
    }
  }
  clock.Freeze(Origin());  // case 0's warning is due
  const SteadyTime t0 = SteadyClock::now();
  auto stores = OpenStores(path);
  if (!stores.ok()) return stores.status();
  f.resume_open = Since(t0, SteadyClock::now());
  auto service = make(**stores);
  {
    // The loop's first round: every DB ticked, committed if not empty.
    int published = 0;
    for (int db = 0; db < (*stores)->size(); ++db) {
      store::Store& s = (*stores)->db(db);
      store::WriteBatch wb(&s);
      if (absl::Status t = (*stores)->Tick(*service, db, wb); !t.ok()) {
        return t;
      }
      if (wb.empty()) continue;
      auto committed = s.Commit(wb);
      if (!committed.ok()) return committed.status();
      std::vector<uint64_t> seqs;
      for (const store::OutboxRecord& r : *committed) {
        seqs.push_back(r.seq);
        if (r.topic == supervision::kSupervisionEvents) ++published;
      }
      if (absl::Status d = s.DeleteOutbox(seqs); !d.ok()) return d;
    }
    f.resume = Since(t0, SteadyClock::now());
    if (published != 1) {
      return absl::InternalError(
          absl::StrCat("bench: the first Tick after the restart published ",
                       published, " events, expected case 0's warning"));
    }
  }

  f.load_fire = LoadAverage();
  FireOptions fo;
  fo.poll_timeout = kPollTimeout;
  fo.expected = flags.timers - 1;  // case 0's warning fired at resume
  fo.limit = absl::Seconds(
      3 * absl::ToDoubleSeconds(workload.last_due() - Origin()) / f.speed +
      600);
  Progress(absl::StrFormat(
      "fire: %d timers due over %.0f s of real time (clock %.0fx)", fo.expected,
      absl::ToDoubleSeconds(workload.last_due() - Origin()) / f.speed,
      f.speed));
  auto fire =
      FireThroughService(**stores, *service, clock, workload, fo, Progress);
  if (!fire.ok()) return fire.status();
  f.fire = *std::move(fire);
  bool left = false;
  for (int db = 0; db < (*stores)->size(); ++db) {
    if (absl::Status s =
            (*stores)->db(db).Scan(supervision::kTimers, "", "",
                                   [&](std::string_view, std::string_view) {
                                     left = true;
                                     return false;
                                   });
        !s.ok()) {
      return s;
    }
  }
  if (left) return absl::InternalError("bench: timers left after firing");
  f.rss_peak_end_mb = PeakRssMb();
  f.rss_end_mb = RssMb();
  f.disk_end = DiskBytes(path);
  service.reset();
  stores->reset();

  // The ceilings of arming and firing, on a store of their own.
  Progress("ceilings: raw writes, then raw scan+delete");
  const std::string raw_path = dir + "/raw";
  auto raw = OpenStores(raw_path);
  if (!raw.ok()) return raw.status();
  const size_t record_bytes = f.record_bytes;
  auto raw_arm = ArmRaw(**raw, workload, flags.batch,
                        [record_bytes](int) { return record_bytes; });
  if (!raw_arm.ok()) return raw_arm.status();
  f.raw_arm = *raw_arm;
  auto raw_fire = FireRaw(**raw, flags.fire_batch);
  if (!raw_fire.ok()) return raw_fire.status();
  f.raw_fire = *raw_fire;
  raw->reset();
  std::error_code ec;
  std::filesystem::remove_all(raw_path, ec);
  return absl::OkStatus();
}

int Main(const TimersFlags& flags) {
  if (flags.memtable_budget_mb >= 0) {
    g_memtable_budget = static_cast<uint64_t>(flags.memtable_budget_mb) << 20;
  }
  g_partitions = flags.partitions;
  auto dir = FreshStoreDir(flags.dir, "timers");
  if (!dir.ok()) return Fail("store directory", dir.status());
  // The service logs two lines per miss on stderr; they go to a file, as
  // a deployed service's go to its journal, and progress to the terminal.
  g_progress_fd = dup(2);
  const std::string log_path = *dir + "/supervision.log";
  const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (g_progress_fd < 0 || log_fd < 0 || dup2(log_fd, 2) < 0) {
    return Fail("log file", absl::InternalError(log_path));
  }
  close(log_fd);

  Figures f;
  f.load_start = LoadAverage();
  absl::PrintF("bench/timers: %d timers; build %s; %ld CPUs, load %s\n",
               flags.timers, BuildType(), sysconf(_SC_NPROCESSORS_ONLN),
               f.load_start);
  std::fflush(stdout);
  absl::Status s = Run(flags, *dir, f);
  std::error_code ec;
  f.log_bytes = std::filesystem::file_size(log_path, ec);
  dup2(g_progress_fd, 2);
  if (flags.dir.empty()) std::filesystem::remove_all(*dir, ec);
  if (!s.ok()) return Fail("run", s);
  PrintReport(flags, f);
  return 0;
}

}  // namespace
}  // namespace caserelay::bench

int main(int argc, char** argv) {
  namespace b = caserelay::bench;
  return b::BenchMain(argc, argv, "bench_timers", b::ParseTimersFlags,
                      b::TimersUsage,
                      [](const auto& flags) { return b::Main(flags); });
}
