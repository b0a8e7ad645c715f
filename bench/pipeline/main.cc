// bench_pipeline: end-to-end cases/s and submit->routed latency of the real
// system, beside the raw librdkafka relay measured in the same run (the
// ceiling). See README.md and `bench_pipeline --help`.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/common/util.h"
#include "bench/pipeline/cpu.h"
#include "bench/pipeline/flags.h"
#include "bench/pipeline/pipeline.h"
#include "bench/pipeline/relay.h"
#include "bench/pipeline/workload.h"
#include "tests/integration/harness.h"

namespace caserelay::bench {
namespace {

int Fail(const std::string& stage, const absl::Status& status) {
  std::cerr << "bench_pipeline: " << stage << ": " << status << std::endl;
  return kExitFailure;
}

// The end of each process's log, for a run that failed (the logs go with
// the system's temp dir).
void PrintLogTails(caserelay::testing::System& system) {
  std::vector<std::string> names = {"devbroker"};
  for (const char* s : caserelay::testing::System::kServices)
    names.push_back(s);
  for (const std::string& name : names) {
    std::ifstream in(system.dir() + "/" + name + ".log");
    std::string all((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
    if (all.size() > 1500) all = all.substr(all.size() - 1500);
    std::cerr << "---- " << name << ".log (tail)\n" << all << std::endl;
  }
}

void PrintRow(const char* name, const std::string& rate,
              const LatencySummary* l) {
  if (l == nullptr) {
    absl::PrintF("%-34s %18s\n", name, rate);
    return;
  }
  absl::PrintF("%-34s %18s %9.2f %9.2f %9.2f\n", name, rate, Ms(l->p50),
               Ms(l->p99), Ms(l->max));
}

void Report(const Flags& flags, const std::optional<RelayResult>& relay,
            const std::optional<PipelineResult>& pipe) {
  absl::PrintF("\n%-34s %18s %9s %9s %9s\n", "", "rate", "p50 ms", "p99 ms",
               "max ms");
  if (pipe) {
    PrintRow("pipeline  submit -> routed",
             absl::StrFormat("%.1f cases/s", pipe->cases_per_s),
             &pipe->routed_latency);
    if (flags.detect == Detect::kEvents) {
      PrintRow("pipeline  end to end",
               absl::StrFormat("%.1f cases/s", pipe->done_cases_per_s),
               &pipe->done_latency);
    }
  }
  if (relay) {
    PrintRow("relay     produce -> consume",
             absl::StrFormat("%.1f msgs/s", relay->msgs_per_s),
             &relay->latency);
  }
  if (pipe && relay) {
    absl::PrintF("%-34s %18.4f %8.2fx %8.2fx\n", "ratio     pipeline / relay",
                 pipe->cases_per_s / relay->msgs_per_s,
                 Ms(pipe->routed_latency.p50) / Ms(relay->latency.p50),
                 Ms(pipe->routed_latency.p99) / Ms(relay->latency.p99));
  }
  if (pipe) {
    PrintRow("submit    SubmitPetition RPC", "", &pipe->submit_latency);
    absl::PrintF(
        "\npipeline: %d cases in %.3f s, %d submitters, offered %s; %d/%d "
        "verified REGISTERED by routing GetCase afterwards; stores held %d "
        "cases before (preloaded at %.1f cases/s)\n",
        pipe->cases, absl::ToDoubleSeconds(pipe->wall), flags.concurrency,
        flags.rate > 0 ? absl::StrFormat("%.0f cases/s", flags.rate)
                       : std::string("closed loop"),
        pipe->verified_routed, pipe->cases, flags.preload + flags.warmup,
        pipe->preload_cases_per_s);
    if (flags.detect == Detect::kEvents) {
      absl::PrintF(
          "routed = REGISTER CaseEvent read from case-events by this process "
          "(no polling; includes routing's publish and one more Kafka hop); "
          "end to end = routed, supervision's applied case-events offset "
          "past it (deadlines armed; its /metrics read every 5 ms) and the "
          "first SmsQueued of the case on notification-events\n");
    } else {
      absl::PrintF(
          "routed = routing GetCase shows REGISTERED; resolution is the poll "
          "interval (%s) plus one sweep over the outstanding cases (longest "
          "sweep %.1f ms)\n",
          absl::FormatDuration(flags.poll_interval), Ms(pipe->longest_sweep));
    }
  }
  if (relay) {
    absl::PrintF(
        "relay: records of %.0f B (PetitionReceived envelopes), topic relay:8 "
        "on a devbroker of its own, the services' client settings; rate over "
        "%zu back to back in %.3f s, latency over %zu at %.1f/s\n",
        relay->mean_value_bytes, relay->throughput_messages,
        absl::ToDoubleSeconds(relay->wall), relay->latency_messages,
        relay->latency_rate);
  }

  if (pipe) {
    // CPU per case of each process (cpu.h): robust on a shared machine,
    // where wall time also counts other people's work.
    double total = 0;
    for (const auto& [name, seconds] : pipe->cpu_seconds) total += seconds;
    absl::PrintF("\nCPU of the timed run, per process (µs per case):");
    for (const auto& [name, seconds] : pipe->cpu_seconds) {
      absl::PrintF(" %s %.0f", name, seconds * 1e6 / pipe->cases);
    }
    absl::PrintF("; all %.0f", total * 1e6 / pipe->cases);
    if (relay) {
      absl::PrintF(" (relay: %.1f µs per message, producer + consumer + "
                   "devbroker)",
                   relay->cpu_seconds * 1e6 /
                       (relay->throughput_messages + relay->latency_messages));
    }
    absl::PrintF("\n");
    if (pipe->failover.has_value()) {
      absl::PrintF(
          "fail-over: the last supervision instance SIGKILLed halfway; its "
          "%d partitions of case-events applied again by the others after "
          "%.3f s\n",
          pipe->failover->partitions,
          absl::ToDoubleSeconds(pipe->failover->time));
    }
    if (pipe->intake_commits > 0) {
      absl::PrintF(
          "intake: %.0f submissions (warm-up and preload included) in %.0f "
          "store commits, %.1f per commit (group commit)\n",
          pipe->intake_committed_steps, pipe->intake_commits,
          pipe->intake_committed_steps / pipe->intake_commits);
    }
  }

  std::string line = "RESULT";
  if (pipe) {
    line += absl::StrFormat(" pipeline_cases_per_s=%.1f", pipe->cases_per_s);
  }
  if (relay) {
    line += absl::StrFormat(" relay_msgs_per_s=%.1f", relay->msgs_per_s);
  }
  if (pipe && relay) {
    line +=
        absl::StrFormat(" ratio=%.4f", pipe->cases_per_s / relay->msgs_per_s);
  }
  if (pipe) {
    line += absl::StrFormat(" p50_ms=%.2f p99_ms=%.2f",
                            Ms(pipe->routed_latency.p50),
                            Ms(pipe->routed_latency.p99));
  }
  if (relay) {
    line += absl::StrFormat(" relay_p50_ms=%.2f relay_p99_ms=%.2f",
                            Ms(relay->latency.p50), Ms(relay->latency.p99));
  }
  if (pipe) {
    line += absl::StrFormat(" submit_p50_ms=%.2f submit_p99_ms=%.2f",
                            Ms(pipe->submit_latency.p50),
                            Ms(pipe->submit_latency.p99));
    if (flags.detect == Detect::kEvents) {
      line += absl::StrFormat(
          " e2e_cases_per_s=%.1f e2e_p50_ms=%.2f e2e_p99_ms=%.2f",
          pipe->done_cases_per_s, Ms(pipe->done_latency.p50),
          Ms(pipe->done_latency.p99));
    }
  }
  if (pipe && pipe->failover.has_value()) {
    line += absl::StrFormat(" failover_s=%.3f",
                            absl::ToDoubleSeconds(pipe->failover->time));
  }
  line += absl::StrFormat(
      " cases=%d concurrency=%d rate=%.0f preload=%d detect=%s", flags.cases,
      flags.concurrency, flags.rate, flags.preload,
      flags.detect == Detect::kEvents ? "events" : "poll");
  absl::PrintF("%s\n", line);
}

// One row per --instances count (each its own system, run one after
// another), and one RESULT_INSTANCES line.
void ReportInstances(const Flags& flags,
                     const std::vector<std::pair<int, PipelineResult>>& runs) {
  absl::PrintF("\n%-34s %18s %9s %9s %18s %9s %10s\n",
               "supervision + notification", "routed", "p50 ms", "p99 ms",
               "end to end", "p99 ms", "CPU µs/case");
  std::string line = "RESULT_INSTANCES";
  for (const auto& [n, r] : runs) {
    double cpu = 0;
    for (const auto& [name, seconds] : r.cpu_seconds) cpu += seconds;
    absl::PrintF("%-34s %18s %9.2f %9.2f %18s %9.2f %10.0f\n",
                 absl::StrFormat("%d instance(s) each", n),
                 absl::StrFormat("%.1f cases/s", r.cases_per_s),
                 Ms(r.routed_latency.p50), Ms(r.routed_latency.p99),
                 absl::StrFormat("%.1f cases/s", r.done_cases_per_s),
                 Ms(r.done_latency.p99), cpu * 1e6 / r.cases);
    line += absl::StrFormat(
        " n%d_cases_per_s=%.1f n%d_p99_ms=%.2f n%d_e2e_cases_per_s=%.1f "
        "n%d_e2e_p99_ms=%.2f",
        n, r.cases_per_s, n, Ms(r.routed_latency.p99), n, r.done_cases_per_s,
        n, Ms(r.done_latency.p99));
    if (r.failover.has_value()) {
      absl::PrintF(
          "%-34s supervision#%d killed: its %d partitions of case-events "
          "applied again by the others after %.3f s\n",
          "", n, r.failover->partitions,
          absl::ToDoubleSeconds(r.failover->time));
      line += absl::StrFormat(" n%d_failover_s=%.3f", n,
                              absl::ToDoubleSeconds(r.failover->time));
    }
  }
  absl::PrintF("%s cases=%d concurrency=%d\n", line, flags.cases,
               flags.concurrency);
}

int Run(const Flags& flags) {
  absl::PrintF(
      "bench/pipeline: %d cases, %d submitters, rate %s, preload %d, "
      "detect=%s; build %s; %ld CPUs, load %s\n",
      flags.cases, flags.concurrency,
      flags.rate > 0 ? absl::StrFormat("%.0f/s", flags.rate)
                     : std::string("closed loop"),
      flags.preload,
      flags.detect == Detect::kEvents ? "events" : "poll", BuildType(),
      sysconf(_SC_NPROCESSORS_ONLN), LoadAverage());
  auto regions = ShanxiRegions(std::string(CASERELAY_SOURCE_DIR) +
                               "/data/regions/regions.tsv");
  if (!regions.ok()) return Fail("regions", regions.status());

  std::optional<PipelineResult> pipe;
  // One run per count of --instances; the first is the main table's.
  std::vector<std::pair<int, PipelineResult>> scaled;
  for (int instances : flags.skip_pipeline ? std::vector<int>{}
                                           : flags.instances) {
    absl::PrintF(
        "pipeline: starting devbroker and the services (supervision and "
        "notification: %d instance(s))...\n",
        instances);
    std::fflush(stdout);
    caserelay::testing::SystemOptions system_options;
    for (const auto& [service, settings] : flags.settings) {
      for (const auto& [key, value] : settings) {
        system_options.settings[service][key] = value;
        absl::PrintF("pipeline: %s: %s = %s\n", service, key, value);
      }
    }
    if (instances > 1) {
      system_options.instances = {{"supervision", instances},
                                  {"notification", instances}};
    }
    auto system = caserelay::testing::System::Start(system_options);
    if (!system.ok()) return Fail("system start", system.status());
    PipelineOptions options;
    options.cases = flags.cases;
    options.concurrency = flags.concurrency;
    options.rate = flags.rate;
    options.preload = flags.preload;
    options.supervision_instances = instances;
    options.failover = flags.failover && instances >= 2;
    options.warmup = flags.warmup;
    options.detect = flags.detect;
    options.poll_interval = flags.poll_interval;
    options.timeout = flags.timeout;
    options.regions = *regions;
    auto result = RunPipeline(**system, options);
    if (!result.ok()) {
      PrintLogTails(**system);
      return Fail("pipeline", result.status());
    }
    if (!pipe) pipe = *result;
    scaled.emplace_back(instances, *result);
    absl::PrintF("pipeline: %.1f cases/s\n", result->cases_per_s);
  }  // each system stops here, before the next and before the relay

  std::optional<RelayResult> relay;
  if (!flags.skip_relay) {
    absl::PrintF("relay: starting a devbroker of its own...\n");
    std::fflush(stdout);
    auto broker = RelayBroker::Start();
    if (!broker.ok()) return Fail("relay devbroker", broker.status());
    RelayOptions options;
    options.bootstrap = (*broker)->bootstrap();
    options.records =
        PetitionReceivedRecords(*regions, flags.relay_messages + flags.cases);
    options.throughput_records = flags.relay_messages;
    options.linger_ms = flags.relay_linger_ms;
    options.fetch_wait_ms = flags.relay_fetch_wait_ms;
    options.latency_rate = flags.relay_rate > 0 ? flags.relay_rate
                           : pipe               ? pipe->cases_per_s
                                                : 1000;
    options.timeout = flags.timeout;
    double cpu_before = 0;
    for (const auto& [name, seconds] : CpuSecondsByProcess()) {
      cpu_before += seconds;
    }
    auto result = RunRelay(options);
    if (!result.ok()) return Fail("relay", result.status());
    relay = *result;
    double cpu_after = 0;
    for (const auto& [name, seconds] : CpuSecondsByProcess()) {
      cpu_after += seconds;
    }
    relay->cpu_seconds = cpu_after - cpu_before;
    absl::PrintF("relay: %.1f msgs/s\n", relay->msgs_per_s);
  }  // the relay's devbroker stops here

  Report(flags, relay, pipe);
  if (scaled.size() > 1) ReportInstances(flags, scaled);
  return 0;
}

}  // namespace
}  // namespace caserelay::bench

int main(int argc, char** argv) {
  namespace b = caserelay::bench;
  return b::BenchMain(argc, argv, "bench_pipeline", b::ParseFlags, b::Usage,
                      [](const auto& flags) { return b::Run(flags); });
}
