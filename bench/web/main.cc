// bench_web: submissions and look-ups per second through the web gateway
// beside the same service calls straight to gRPC, in one run on one
// system (issue 15 "Must show"; README.md). A plain executable.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/common/util.h"
#include "bench/pipeline/stats.h"
#include "bench/web/portals.h"
#include "tests/integration/harness.h"

namespace caserelay::bench {
namespace {

struct Flags {
  bool help = false;
  int submissions = 100;  // per path
  int lookups = 1000;     // per path
};

const char* Usage() {
  return "Usage: bench_web [--submissions N] [--lookups N]\n\n"
         "Starts devbroker, the four services and web (the integration\n"
         "harness), then, one client at a time, N online submissions (SMS\n"
         "code, then the petition) and N look-ups (the case's petitioner\n"
         "view) through the gateway's JSON API and straight to gRPC as\n"
         "service:web: the same service calls. Prints rates, p50/p99 and\n"
         "the ratio gateway/direct (goal >= 0.5).\n\n"
         "  --submissions N  per path, 1..1000 (default 100)\n"
         "  --lookups N      per path, 1..100000 (default 1000)\n";
}

absl::StatusOr<Flags> Parse(const std::vector<std::string>& args) {
  Flags flags;
  static constexpr absl::string_view kKnown[] = {"--submissions", "--lookups"};
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      flags.help = true;
      continue;
    }
    auto flag = TakeValueFlag(args, &i, kKnown);
    if (!flag.ok()) return flag.status();
    absl::Status s =
        flag->first == "--submissions"
            ? ParseInt(flag->first, flag->second, 1, 1000, &flags.submissions)
            : ParseInt(flag->first, flag->second, 1, 100000, &flags.lookups);
    if (!s.ok()) return s;
  }
  return flags;
}

struct PathResult {
  double per_second = 0;
  LatencySummary latency;
};

// Online submissions 1..n of `portal`, petitioners from `first` on. The
// user's reading of the SMS is not timed: only the two requests are.
absl::StatusOr<PathResult> Submit(
    const testing::System& sys, Portal& portal, int first, int n,
    std::vector<v1::SubmitPetitionResponse>* out) {
  std::vector<absl::Duration> samples;
  absl::Duration busy;
  for (int k = 0; k < n; ++k) {
    v1::SubmitPetitionRequest petition =
        testing::SamplePetition("140431", first + k);
    const SteadyTime t0 = SteadyClock::now();
    auto challenge = portal.SendCode(petition.petitioner().phone());
    const SteadyTime t1 = SteadyClock::now();
    if (!challenge.ok()) return challenge.status();
    auto code = CodeFromSink(sys, *challenge);
    if (!code.ok()) return code.status();
    petition.mutable_phone_proof()->set_challenge_id(*challenge);
    petition.mutable_phone_proof()->set_code(*code);
    const SteadyTime t2 = SteadyClock::now();
    auto receipt = portal.Submit(petition);
    const SteadyTime t3 = SteadyClock::now();
    if (!receipt.ok()) return receipt.status();
    out->push_back(*receipt);
    const absl::Duration took = Since(t0, t1) + Since(t2, t3);
    samples.push_back(took);
    busy += took;
  }
  PathResult r;
  r.per_second = n / absl::ToDoubleSeconds(busy);
  r.latency = Summarize(samples);
  return r;
}

absl::StatusOr<PathResult> LookUp(
    Portal& portal, const std::vector<v1::SubmitPetitionResponse>& cases,
    int n) {
  std::vector<absl::Duration> samples;
  const SteadyTime start = SteadyClock::now();
  for (int k = 0; k < n; ++k) {
    const v1::SubmitPetitionResponse& c = cases[k % cases.size()];
    const SteadyTime t0 = SteadyClock::now();
    absl::Status s = portal.LookUp(c.case_number(), c.lookup_code());
    samples.push_back(Since(t0, SteadyClock::now()));
    if (!s.ok()) return s;
  }
  PathResult r;
  r.per_second = n / absl::ToDoubleSeconds(Since(start, SteadyClock::now()));
  r.latency = Summarize(samples);
  return r;
}

void Row(const char* what, const PathResult& gateway,
         const PathResult& direct) {
  std::printf("%-12s %10.1f %8.2f %8.2f   %10.1f %8.2f %8.2f   %6.2f\n", what,
              gateway.per_second, Ms(gateway.latency.p50),
              Ms(gateway.latency.p99), direct.per_second,
              Ms(direct.latency.p50), Ms(direct.latency.p99),
              gateway.per_second / direct.per_second);
}

int Run(const Flags& flags) {
  testing::SystemOptions options;
  options.web = true;
  // One loopback address asks for every code: lift the per-address limit
  // (each petitioner has their own phone, so the per-phone one holds).
  options.settings["notification"] = {{"phone_code.per_address", "1000"}};
  auto sys = testing::System::Start(options);
  if (!sys.ok()) {
    std::fprintf(stderr, "bench_web: %s\n",
                 std::string(sys.status().message()).c_str());
    return kExitFailure;
  }
  std::unique_ptr<Portal> direct = DirectPortal(**sys);
  auto gateway = GatewayPortal(**sys);
  if (!gateway.ok()) {
    std::fprintf(stderr, "bench_web: %s\n",
                 std::string(gateway.status().message()).c_str());
    return kExitFailure;
  }
  std::vector<v1::SubmitPetitionResponse> cases;
  // Warm both paths (connections, first RocksDB writes) before measuring;
  // their petitioners (8000+) have phones the measured ones (1..2000) do not.
  auto warm_g = Submit(**sys, **gateway, 8000, 3, &cases);
  auto warm_d = Submit(**sys, *direct, 8010, 3, &cases);
  auto sub_g = Submit(**sys, **gateway, 1, flags.submissions, &cases);
  auto sub_d =
      Submit(**sys, *direct, 1 + flags.submissions, flags.submissions, &cases);
  for (const auto* r : {&warm_g, &warm_d, &sub_g, &sub_d}) {
    if (!r->ok()) {
      std::fprintf(stderr, "bench_web: submit: %s\n",
                   std::string(r->status().message()).c_str());
      return kExitFailure;
    }
  }
  // Look-ups read routing's view: wait until routing has every case.
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (
      (*gateway)
              ->LookUp(cases.back().case_number(), cases.back().lookup_code())
              .ok() == false ||
      direct->LookUp(cases.back().case_number(), cases.back().lookup_code())
              .ok() == false) {
    if (absl::Now() > deadline) {
      std::fprintf(stderr, "bench_web: routing never showed the cases\n");
      return kExitFailure;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  auto look_g = LookUp(**gateway, cases, flags.lookups);
  auto look_d = LookUp(*direct, cases, flags.lookups);
  for (const auto* r : {&look_g, &look_d}) {
    if (!r->ok()) {
      std::fprintf(stderr, "bench_web: look-up: %s\n",
                   std::string(r->status().message()).c_str());
      return kExitFailure;
    }
  }
  std::printf("bench_web — %s; load %s\n", BuildType(), LoadAverage().c_str());
  std::printf(
      "one client, sequential; %d submissions and %d look-ups per "
      "path\n\n",
      flags.submissions, flags.lookups);
  std::printf("%-12s %10s %8s %8s   %10s %8s %8s   %6s\n", "", "gateway/s",
              "p50 ms", "p99 ms", "direct/s", "p50 ms", "p99 ms", "ratio");
  Row("submissions", *sub_g, *sub_d);
  Row("look-ups", *look_g, *look_d);
  std::printf(
      "\nRESULT submit_gateway_per_s=%.1f submit_direct_per_s=%.1f "
      "submit_ratio=%.2f lookup_gateway_per_s=%.1f lookup_direct_per_s=%.1f "
      "lookup_ratio=%.2f lookup_gateway_p99_ms=%.2f "
      "lookup_direct_p99_ms=%.2f\n",
      sub_g->per_second, sub_d->per_second,
      sub_g->per_second / sub_d->per_second, look_g->per_second,
      look_d->per_second, look_g->per_second / look_d->per_second,
      Ms(look_g->latency.p99), Ms(look_d->latency.p99));
  return 0;
}

}  // namespace
}  // namespace caserelay::bench

int main(int argc, char** argv) {
  return caserelay::bench::BenchMain(
      argc, argv, "bench_web", caserelay::bench::Parse, caserelay::bench::Usage,
      caserelay::bench::Run);
}
