// bench_timers command-line flags: how many timers to arm, the batch
// sizes, how fast they come due and where the store lives.
#ifndef CASERELAY_BENCH_TIMERS_FLAGS_H_
#define CASERELAY_BENCH_TIMERS_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace caserelay::bench {

struct TimersFlags {
  bool help = false;  // --help: nothing else is then meaningful
  // Pending timers to arm: two per deadline (warning and miss), so
  // timers / 2 cases of one deadline each. Even.
  int timers = 1000000;
  int batch = 500;        // CaseEvents per WriteBatch (the loop's max_batch)
  int fire_batch = 1000;  // supervision.fire_batch
  // Timers coming due per real second while both kinds are due (the
  // middle of the firing phase); the edges get half of it.
  int due_rate = 5000;
  // StoreOptions::memtable_budget_bytes in MiB for every store of the run
  // (service and ceilings); 0: RocksDB's default (no budget). -1: the
  // store's default (store::kDefaultMemtableBudgetBytes).
  int memtable_budget_mb = -1;
  // The service's state as deployed (issue 19): a PartitionedStore of this
  // many partitions (kafka.partitions' default, 8), each partition DB
  // logging its changelog, ticked per partition. 0: one store, one Tick
  // (the layout before issue 19).
  int partitions = 8;
  // The store's directory, kept afterwards. Empty: a new one under
  // $TMPDIR (or /tmp), removed at the end.
  std::string dir;
};

// Parses the arguments after the program name ("--flag value" or
// "--flag=value"). Returns the flags, or INVALID_ARGUMENT naming the flag
// for an unknown flag, a missing or malformed value or one out of range
// (--timers an even 2..20000000, --batch 1..100000, --fire-batch
// 1..1000000, --due-rate 1..10000000, --memtable-budget-mb 0..65536,
// --partitions 0..999).
absl::StatusOr<TimersFlags> ParseTimersFlags(
    const std::vector<std::string>& args);

// The --help text: what is measured and every flag with its default.
std::string TimersUsage();

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_TIMERS_FLAGS_H_
