// bench_routing command-line flags: how many cases (信访事项) to store,
// how many inbox queries to time, and the threads for decisions.
#ifndef CASERELAY_BENCH_ROUTING_FLAGS_H_
#define CASERELAY_BENCH_ROUTING_FLAGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace caserelay::bench {

struct RoutingFlags {
  bool help = false;    // --help: nothing else is then meaningful
  int cases = 1000000;  // cases stored before the inbox queries
  int queries = 20000;  // timed inbox queries (at least)
  int threads = 2;      // threads of the multi-threaded decision run
  uint64_t seed = 1;    // of every random choice: same seed, same data
  // The store's directory: created if missing, must hold no store yet.
  // Empty: a fresh one under $TMPDIR (or /tmp).
  std::string dir;
  bool keep = false;  // leave the store's directory behind
  bool skip_decisions = false;
  bool skip_inbox = false;
};

// Parses the arguments after the program name ("--flag value" or
// "--flag=value"). Returns the flags, or INVALID_ARGUMENT naming the flag
// for an unknown flag, a missing or malformed value or one out of range
// (--cases 1..10000000, --queries 1..10000000, --threads 1..256), or both
// --skip flags. --threads defaults to the CPUs online.
absl::StatusOr<RoutingFlags> ParseRoutingFlags(
    const std::vector<std::string>& args);

// The --help text: what is measured and every flag with its default.
std::string RoutingUsage();

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_ROUTING_FLAGS_H_
