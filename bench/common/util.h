// Helpers shared by the benchmarks' mains (bench/*/main.cc, flags.cc).
//
// Thread safety: free functions without shared state.

#ifndef CASERELAY_BENCH_COMMON_UTIL_H_
#define CASERELAY_BENCH_COMMON_UTIL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace caserelay::bench {

// Parses `value` of flag `flag` as an integer in lo..hi into *out; else
// INVALID_ARGUMENT naming the flag, the range and the value.
absl::Status ParseInt(absl::string_view flag, absl::string_view value, int lo,
                      int hi, int* out);

// A fresh directory for a benchmark's stores: `dir` (created; it must be
// absent or empty: FAILED_PRECONDITION otherwise, naming --dir), or, if
// `dir` is empty, a new "bench-<name>-XXXXXX" under $TMPDIR (or /tmp).
// INTERNAL if it cannot be created.
absl::StatusOr<std::string> FreshStoreDir(const std::string& dir,
                                          absl::string_view name);

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_COMMON_UTIL_H_
