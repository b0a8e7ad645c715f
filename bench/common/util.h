// Helpers shared by the benchmarks' mains (bench/*/main.cc, flags.cc).
//
// Thread safety: free functions without shared state.

#ifndef CASERELAY_BENCH_COMMON_UTIL_H_
#define CASERELAY_BENCH_COMMON_UTIL_H_

#include <cstddef>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace caserelay::bench {

// The benchmarks' exit codes: 0 measured, 1 a run failed, 2 bad flags.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// A flag with a value at args[*i]: "--name=value", or "--name value" (then
// *i moves to the value), whose name is one of `known`. Returns {name,
// value}; INVALID_ARGUMENT for an argument that is not a flag
// ("unexpected argument ... (see --help)"), a name not in `known`
// ("unknown flag ... (see --help)") or a flag with nothing after it
// ("<name>: missing value").
absl::StatusOr<std::pair<std::string, std::string>> TakeValueFlag(
    const std::vector<std::string>& args, size_t* i,
    absl::Span<const absl::string_view> known);

// The whole main() of a benchmark: parses argv with `parse` (a
// StatusOr<Flags> of the arguments; Flags has `bool help`), prints
// "<name>: <error>" and returns kExitUsage on bad flags, prints `usage()`
// for --help, else returns run(flags).
template <typename Parse, typename Usage, typename Run>
int BenchMain(int argc, char** argv, const char* name, Parse parse, Usage usage,
              Run run) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto flags = parse(args);
  if (!flags.ok()) {
    std::cerr << name << ": " << flags.status().message() << std::endl;
    return kExitUsage;
  }
  if (flags->help) {
    std::cout << usage();
    return 0;
  }
  return run(*flags);
}

// Parses `value` of flag `flag` as an integer in lo..hi into *out; else
// INVALID_ARGUMENT naming the flag, the range and the value.
absl::Status ParseInt(absl::string_view flag, absl::string_view value, int lo,
                      int hi, int* out);

// "optimized (NDEBUG)", or a warning that the figures are not from a
// Release build; every report's first line says which.
const char* BuildType();

// The 1, 5 and 15 minute load averages from /proc/loadavg, "a b c" (the
// benchmarks share the machine; the load goes beside their figures).
std::string LoadAverage();

// A fresh directory for a benchmark's stores: `dir` (created; it must be
// absent or empty: FAILED_PRECONDITION otherwise, naming --dir), or, if
// `dir` is empty, a new "bench-<name>-XXXXXX" under $TMPDIR (or /tmp).
// INTERNAL if it cannot be created.
absl::StatusOr<std::string> FreshStoreDir(const std::string& dir,
                                          absl::string_view name);

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_COMMON_UTIL_H_
