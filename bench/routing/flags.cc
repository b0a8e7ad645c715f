#include "bench/routing/flags.h"

#include <unistd.h>

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bench/common/util.h"

namespace caserelay::bench {
namespace {

constexpr absl::string_view kValueFlags[] = {"--cases", "--queries",
                                             "--threads", "--seed", "--dir"};

}  // namespace
absl::StatusOr<RoutingFlags> ParseRoutingFlags(
    const std::vector<std::string>& args) {
  RoutingFlags flags;
  flags.threads = std::clamp<int>(sysconf(_SC_NPROCESSORS_ONLN), 1, 256);
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      flags.help = true;
      return flags;
    }
    if (arg == "--keep" || arg == "--skip-decisions" || arg == "--skip-inbox") {
      (arg == "--keep"             ? flags.keep
       : arg == "--skip-decisions" ? flags.skip_decisions
                                   : flags.skip_inbox) = true;
      continue;
    }
    auto flag = TakeValueFlag(args, &i, kValueFlags);
    if (!flag.ok()) return flag.status();
    const auto& [name, value] = *flag;
    absl::Status s;
    if (name == "--cases") {
      s = ParseInt(name, value, 1, 10000000, &flags.cases);
    } else if (name == "--queries") {
      s = ParseInt(name, value, 1, 10000000, &flags.queries);
    } else if (name == "--threads") {
      s = ParseInt(name, value, 1, 256, &flags.threads);
    } else if (name == "--seed") {
      if (!absl::SimpleAtoi(value, &flags.seed)) {
        s = absl::InvalidArgumentError(absl::StrCat(
            "--seed: expected a non-negative integer, got \"", value, "\""));
      }
    } else if (name == "--dir") {
      flags.dir = value;
      if (value.empty()) s = absl::InvalidArgumentError("--dir: empty path");
    } else {
      s = absl::InvalidArgumentError(
          absl::StrCat("unknown flag \"", name, "\" (see --help)"));
    }
    if (!s.ok()) return s;
  }
  if (flags.skip_decisions && flags.skip_inbox) {
    return absl::InvalidArgumentError(
        "--skip-decisions and --skip-inbox together leave nothing to measure");
  }
  return flags;
}

std::string RoutingUsage() {
  return R"(usage: bench_routing [flags]

Benchmark of routing's two hot paths on this machine, each beside its
ceiling measured in this one run:

  decisions  routing::Router::Decide over one matter per (region, category)
             of the whole tree (every region of data/regions x every
             category of data/offices, shuffled; mostly territorial, with
             accusations, cross-region matters, visits lodged higher,
             statutory routes, repeats and matters without a category):
             decisions/s on 1 thread and on --threads threads. Ceiling: the
             look-ups any router makes per matter, RegionTree::Find +
             Ancestors + OfficeDirectory::LowestCompetent, as look-ups/s.
  inbox      routing's store (services/routing/case_store.h) on RocksDB in
             --dir, filled with --cases cases held by the county bureaus
             and township governments of the whole tree (Zipf-like load);
             then CaseStore::Inbox as ListInbox calls it (page size 50:
             first page, the page after it, a state filter, due_before) on
             offices picked by load: p50/p99/max. Ceiling: Store::Scan of
             the same inbox keys, decoding nothing.

Prints tables with the ratios and one machine-readable line starting with
"RESULT". Exit 0 on success, 1 if a run failed, 2 for bad flags.

flags:
  --cases N         cases stored for the inbox queries (default 1000000)
  --queries N       timed inbox queries, at least (default 20000)
  --threads N       threads of the multi-threaded decision run (default:
                    the CPUs online)
  --seed N          seed of every random choice (default 1)
  --dir PATH        directory of the store, created; must not hold one
                    (default: a new one under $TMPDIR or /tmp)
  --keep            leave the store's directory behind (default: removed)
  --skip-decisions  measure the inbox only
  --skip-inbox      measure the decisions only
  --help            this text
)";
}

}  // namespace caserelay::bench
