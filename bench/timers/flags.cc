#include "bench/timers/flags.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bench/common/util.h"

namespace caserelay::bench {
namespace {

constexpr absl::string_view kValueFlags[] = {
    "--timers",   "--batch", "--fire-batch", "--due-rate",
    "--memtable-budget-mb", "--partitions", "--dir"};

}  // namespace
absl::StatusOr<TimersFlags> ParseTimersFlags(
    const std::vector<std::string>& args) {
  TimersFlags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      flags.help = true;
      return flags;
    }
    auto flag = TakeValueFlag(args, &i, kValueFlags);
    if (!flag.ok()) return flag.status();
    const auto& [name, value] = *flag;
    absl::Status s;
    if (name == "--timers") {
      s = ParseInt(name, value, 2, 20000000, &flags.timers);
      if (s.ok() && flags.timers % 2 != 0) {
        s = absl::InvalidArgumentError(absl::StrCat(
            "--timers: must be even (two timers per deadline), got ", value));
      }
    } else if (name == "--batch") {
      s = ParseInt(name, value, 1, 100000, &flags.batch);
    } else if (name == "--fire-batch") {
      s = ParseInt(name, value, 1, 1000000, &flags.fire_batch);
    } else if (name == "--due-rate") {
      s = ParseInt(name, value, 1, 10000000, &flags.due_rate);
    } else if (name == "--memtable-budget-mb") {
      s = ParseInt(name, value, 0, 65536, &flags.memtable_budget_mb);
    } else if (name == "--partitions") {
      s = ParseInt(name, value, 0, 999, &flags.partitions);
    } else if (name == "--dir") {
      flags.dir = value;
      if (value.empty()) s = absl::InvalidArgumentError("--dir: empty path");
    } else {
      s = absl::InvalidArgumentError(
          absl::StrCat("unknown flag \"", name, "\" (see --help)"));
    }
    if (!s.ok()) return s;
  }
  return flags;
}

std::string TimersUsage() {
  return R"(usage: bench_timers [flags]

Benchmark of supervision's durable timers (services/supervision) on a real
RocksDB store, each part beside its ceiling measured in this one run:

  arm      --timers/2 CaseEvents (REGISTER, one case each, one running
           deadline each: two timers, warning and miss) applied through
           SupervisionServiceImpl::Apply + Tick, --batch per WriteBatch
           commit, as the consume loop does. Ceiling: the raw store writing
           the same records and timer keys (same sizes, same batches).
  restart  the stores and service closed, then the stores opened (every
           partition acquired) + a new service + the first round of Ticks
           that fires the first due timer, committed. Ceiling: opening the
           stores alone on the same directory.
  fire     the timers come due on a clock running at a steady rate
           (--due-rate timers per real second at the peak); the loop's
           cadence is driven as ConsumeLoop does with no messages: wait
           poll_timeout (100 ms) unless the last Tick stopped at its bound,
           Tick (<= --fire-batch timers), commit.
           Lateness = real time the batch committed - real time due:
           p50/p99/max, beside poll_timeout (what a perfect Tick could
           have). Fire work rate beside the raw store's scan+delete of the
           same keys in batches of --fire-batch.
  rss      peak RSS after arming and at the end; the store's size on disk.

Prints a table and one machine-readable line starting with "RESULT".
Progress goes to stderr; the service's own log lines go to a file in the
store's directory. Exit 0 on success, 1 if a run failed, 2 for bad flags.

flags:
  --timers N      pending timers, even: N/2 deadlines (default 1000000)
  --batch N       CaseEvents per WriteBatch while arming (default 500)
  --fire-batch N  timers fired per Tick at most (default 1000)
  --due-rate N    timers coming due per real second at the peak (default
                  5000)
  --memtable-budget-mb N
                  the stores' memtable budget (StoreOptions::
                  memtable_budget_bytes) in MiB; 0: RocksDB's default, no
                  budget (default: the store's default, 64)
  --partitions N  the service's state in N partition DBs as deployed
                  (kafka.partitions; issue 19): each partition DB logs its
                  changelog records to its outbox (drained, as a publisher
                  does), the service ticks each (TickPartition, fire_batch
                  shared), and the ceilings run on the same layout; 0: one
                  store and one Tick, the layout before issue 19 (default 8)
  --dir PATH      directory of the stores, created, must be absent or
                  empty, kept afterwards (default: a new one under $TMPDIR
                  or /tmp, removed)
  --help          this text
)";
}

}  // namespace caserelay::bench
