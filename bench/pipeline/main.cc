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
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/common/util.h"
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
        "\npipeline: %d cases in %.3f s, %d submitters; %d/%d verified "
        "REGISTERED by routing GetCase afterwards\n",
        pipe->cases, absl::ToDoubleSeconds(pipe->wall), flags.concurrency,
        pipe->verified_routed, pipe->cases);
    if (flags.detect == Detect::kEvents) {
      absl::PrintF(
          "routed = REGISTER CaseEvent read from case-events by this process "
          "(no polling; includes routing's publish and one more Kafka hop)\n");
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
  }
  line += absl::StrFormat(" cases=%d concurrency=%d detect=%s", flags.cases,
                          flags.concurrency,
                          flags.detect == Detect::kEvents ? "events" : "poll");
  absl::PrintF("%s\n", line);
}

int Run(const Flags& flags) {
  absl::PrintF(
      "bench/pipeline: %d cases, %d submitters, detect=%s; build %s; %ld CPUs, "
      "load %s\n",
      flags.cases, flags.concurrency,
      flags.detect == Detect::kEvents ? "events" : "poll", BuildType(),
      sysconf(_SC_NPROCESSORS_ONLN), LoadAverage());
  auto regions = ShanxiRegions(std::string(CASERELAY_SOURCE_DIR) +
                               "/data/regions/regions.tsv");
  if (!regions.ok()) return Fail("regions", regions.status());

  std::optional<PipelineResult> pipe;
  if (!flags.skip_pipeline) {
    absl::PrintF("pipeline: starting devbroker and the four services...\n");
    std::fflush(stdout);
    auto system = caserelay::testing::System::Start();
    if (!system.ok()) return Fail("system start", system.status());
    PipelineOptions options;
    options.cases = flags.cases;
    options.concurrency = flags.concurrency;
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
    pipe = *result;
    absl::PrintF("pipeline: %.1f cases/s\n", pipe->cases_per_s);
  }  // the system stops here, before the relay starts

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
    options.latency_rate = flags.relay_rate > 0 ? flags.relay_rate
                           : pipe               ? pipe->cases_per_s
                                                : 1000;
    options.timeout = flags.timeout;
    auto result = RunRelay(options);
    if (!result.ok()) return Fail("relay", result.status());
    relay = *result;
    absl::PrintF("relay: %.1f msgs/s\n", relay->msgs_per_s);
  }  // the relay's devbroker stops here

  Report(flags, relay, pipe);
  return 0;
}

}  // namespace
}  // namespace caserelay::bench

int main(int argc, char** argv) {
  namespace b = caserelay::bench;
  return b::BenchMain(argc, argv, "bench_pipeline", b::ParseFlags, b::Usage,
                      [](const auto& flags) { return b::Run(flags); });
}
