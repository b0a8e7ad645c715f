// bench_pipeline command-line flags: how many cases (信访事项) to push
// through the real system and how to watch them get routed.
#ifndef CASERELAY_BENCH_PIPELINE_FLAGS_H_
#define CASERELAY_BENCH_PIPELINE_FLAGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caserelay::bench {

// How the pipeline run learns that a case is routed.
enum class Detect {
  // Read routing's REGISTER CaseEvent from the system's "case-events"
  // topic (exact time it reached a downstream consumer, no polling load).
  kEvents,
  // Poll routing's GetCase for every outstanding case each poll interval
  // (the time routing's read side shows REGISTERED; resolution = interval
  // + one sweep).
  kPoll,
};

// Everything the command line can say.
struct Flags {
  // True when --help was given; nothing else is then meaningful.
  bool help = false;
  // Cases submitted in the timed pipeline run; also the records of the
  // relay's latency phase.
  int cases = 2000;
  // Records of the relay's throughput phase, produced back to back: enough
  // that the run is in steady state, not its first and last few ms.
  int relay_messages = 100000;
  // Rate (records/s) of the relay's latency phase; 0 = the rate the
  // pipeline run just achieved (1000/s if it was skipped).
  double relay_rate = 0;
  // The relay's producer linger.ms and consumer fetch.wait.max.ms (the
  // services' 5 and 10): a latency lever tried on the ceiling.
  int relay_linger_ms = 5;
  int relay_fetch_wait_ms = 10;
  // Concurrent gRPC submitters (threads, one channel each).
  int concurrency = 4;
  // Offered load of the timed run in cases/s, spread over the submitters
  // (case i is sent at start + i/rate, or as soon as its submitter is
  // free); 0 = closed loop, each submitter sends its next case as soon as
  // the last one is answered (the most the system takes).
  double rate = 0;
  // Cases pushed through the whole pipeline before the warm-up, so the
  // run measures stores already holding that many (0: a fresh store).
  int preload = 0;
  // Settings given to the services (--set service:key=value, repeatable):
  // service -> key -> value, over the harness's (SystemOptions::settings),
  // so a lever that is a setting is measured on and off with one binary.
  std::map<std::string, std::map<std::string, std::string>> settings;
  // Instances of supervision and notification (issue 19: the services
  // that run as N instances of one consumer group), one pipeline run (a
  // system of its own) per entry, in order: --instances 1,2,3.
  std::vector<int> instances = {1};
  // With 2 or more instances (and --rate): kill the last supervision
  // instance halfway through the timed run and measure the fail-over.
  bool failover = false;
  // Cases submitted and routed, one at a time, before timing starts.
  int warmup = 20;
  Detect detect = Detect::kEvents;
  // Pause between poll sweeps (--detect poll only).
  absl::Duration poll_interval = absl::Milliseconds(5);
  // How long each run may take before it is declared failed.
  absl::Duration timeout = absl::Seconds(180);
  // Skip the relay ceiling or the pipeline (for looking at one alone).
  bool skip_relay = false;
  bool skip_pipeline = false;
};

// Parses the arguments after the program name; accepts "--flag value" and
// "--flag=value". Returns the flags, or INVALID_ARGUMENT naming the flag for
// an unknown flag, a missing or malformed value, or a value out of range
// (--cases and --relay-messages 1..1000000, --concurrency 1..256,
// --warmup 0..10000, --preload 0..2000000, --relay-rate and --rate > 0,
// durations > 0).
absl::StatusOr<Flags> ParseFlags(const std::vector<std::string>& args);

// The --help text: what is measured and every flag with its default.
std::string Usage();

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_PIPELINE_FLAGS_H_
