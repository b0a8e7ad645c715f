// The end-to-end run: petitions (信访) submitted over gRPC to a running
// system until routing has decided each and registered it at a bureau.
#ifndef CASERELAY_BENCH_PIPELINE_PIPELINE_H_
#define CASERELAY_BENCH_PIPELINE_PIPELINE_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/pipeline/failover.h"
#include "bench/pipeline/flags.h"
#include "bench/pipeline/stats.h"
#include "tests/integration/harness.h"

namespace caserelay::bench {

struct PipelineOptions {
  int cases = 2000;
  int concurrency = 4;
  // Offered load in cases/s (0: closed loop); Flags::rate.
  double rate = 0;
  // Cases pushed through first, untimed; Flags::preload.
  int preload = 0;
  // Instances of supervision the system runs (their /metrics are merged
  // to see deadlines armed).
  int supervision_instances = 1;
  // Kill the last supervision instance when half the timed cases are due
  // (needs rate > 0 and supervision_instances >= 2) and measure the
  // fail-over (failover.h).
  bool failover = false;
  int warmup = 20;
  Detect detect = Detect::kEvents;
  absl::Duration poll_interval = absl::Milliseconds(5);
  absl::Duration timeout = absl::Seconds(180);
  // Region codes the petitions are about, used round-robin. Required.
  std::vector<std::string> regions;
};

struct PipelineResult {
  int cases = 0;
  // First SubmitPetition call to the last case seen routed.
  absl::Duration wall;
  double cases_per_s = 0;
  // Per case: its SubmitPetition call to the first sighting as routed.
  LatencySummary routed_latency;
  // End to end (Detect::kEvents): first SubmitPetition call to the last
  // case seen routed, with its deadlines armed and its receipt SMS queued
  // (watcher.h); per case, its call to the last of those.
  absl::Duration done_wall;
  double done_cases_per_s = 0;
  LatencySummary done_latency;
  // Cases per second of the untimed preload (0 without one).
  double preload_cases_per_s = 0;
  // CPU seconds each process used during the timed run, from its first
  // submission until every case was seen through (cpu.h): where the time
  // goes, per service.
  std::map<std::string, double> cpu_seconds;
  // intake's store commits of submissions over the whole run and the
  // submissions they held (its caserelay_intake_group_commit_steps): how
  // far group commit cut the fsyncs. 0 if intake does not report them.
  double intake_commits = 0;
  double intake_committed_steps = 0;
  // PipelineOptions::failover: the measured fail-over.
  std::optional<FailoverResult> failover;
  // Per case: the SubmitPetition round trip.
  LatencySummary submit_latency;
  // Detect::kPoll: the longest sweep of GetCase calls over the
  // outstanding cases (the poller's own resolution limit).
  absl::Duration longest_sweep;
  // Cases routing's GetCase showed REGISTERED, their history starting with
  // REGISTER, after the run (a cross-check).
  int verified_routed = 0;
};

// Pushes options.preload cases through (closed loop, waited for end to
// end), then submits options.warmup cases one at a time, each waited for
// until routed; then options.cases cases from options.concurrency threads,
// each with a gRPC channel of its own to intake, all starting together
// (paced to options.rate if set); waits until all are seen routed (and,
// with Detect::kEvents, end to end); then checks each with routing's
// GetCase.
// Returns the figures; INVALID_ARGUMENT for no regions; the first failed
// SubmitPetition (converted to absl::Status, naming the case number n);
// DEADLINE_EXCEEDED if not every case is routed within options.timeout;
// INTERNAL if a case the watcher saw routed is not REGISTERED in GetCase
// (as the province bureau, which reads every Shanxi case) or its history
// does not start with REGISTER.
// REQUIRES: `system` is started and outlives the call.
absl::StatusOr<PipelineResult> RunPipeline(caserelay::testing::System& system,
                                           const PipelineOptions& options);

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_PIPELINE_PIPELINE_H_
