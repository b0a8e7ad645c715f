#include "bench/pipeline/flags.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "bench/common/util.h"

namespace caserelay::bench {
namespace {

absl::Status ParseDuration(absl::string_view flag, absl::string_view value,
                           absl::Duration* out) {
  if (!absl::ParseDuration(value, out) || *out <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, ": expected a positive duration like 5ms or 2s, got \"", value,
        "\""));
  }
  return absl::OkStatus();
}

absl::Status ParseRate(absl::string_view flag, absl::string_view value,
                       double* out) {
  if (!absl::SimpleAtod(value, out) || !(*out > 0) || *out > 1e7) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": expected records per second in (0, 1e7], got \"",
                     value, "\""));
  }
  return absl::OkStatus();
}

constexpr absl::string_view kValueFlags[] = {
    "--cases",         "--concurrency", "--warmup",         "--detect",
    "--poll-interval", "--timeout",     "--relay-messages", "--relay-rate",
    "--rate",          "--preload",     "--set",
    "--instances",     "--relay-linger-ms", "--relay-fetch-wait-ms"};

// --instances 1,2,3: each 1..9 (the harness's limit).
absl::Status ParseInstances(absl::string_view value, Flags* flags) {
  flags->instances.clear();
  for (absl::string_view part : absl::StrSplit(value, ',')) {
    int n = 0;
    if (!absl::SimpleAtoi(part, &n) || n < 1 || n > 9) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--instances: expected counts 1..9 separated by commas, e.g. "
          "1,2,3, got \"",
          value, "\""));
    }
    flags->instances.push_back(n);
  }
  return absl::OkStatus();
}

// --set service:key=value.
absl::Status ParseSetting(absl::string_view value, Flags* flags) {
  const size_t colon = value.find(':');
  const size_t eq = value.find('=');
  if (colon == absl::string_view::npos || eq == absl::string_view::npos ||
      colon == 0 || eq < colon + 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--set: expected service:key=value, e.g. "
        "intake:intake.group_commit_max=1, got \"",
        value, "\""));
  }
  flags->settings[std::string(value.substr(0, colon))]
                 [std::string(value.substr(colon + 1, eq - colon - 1))] =
      std::string(value.substr(eq + 1));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Flags> ParseFlags(const std::vector<std::string>& args) {
  Flags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      flags.help = true;
      return flags;
    }
    if (arg == "--skip-relay") {
      flags.skip_relay = true;
      continue;
    }
    if (arg == "--failover") {
      flags.failover = true;
      continue;
    }
    if (arg == "--skip-pipeline") {
      flags.skip_pipeline = true;
      continue;
    }
    auto flag = TakeValueFlag(args, &i, kValueFlags);
    if (!flag.ok()) return flag.status();
    const auto& [name, value] = *flag;
    absl::Status s;
    if (name == "--cases") {
      s = ParseInt(name, value, 1, 1000000, &flags.cases);
    } else if (name == "--concurrency") {
      s = ParseInt(name, value, 1, 256, &flags.concurrency);
    } else if (name == "--relay-messages") {
      s = ParseInt(name, value, 1, 1000000, &flags.relay_messages);
    } else if (name == "--relay-rate") {
      s = ParseRate(name, value, &flags.relay_rate);
    } else if (name == "--rate") {
      s = ParseRate(name, value, &flags.rate);
    } else if (name == "--relay-linger-ms") {
      s = ParseInt(name, value, 0, 1000, &flags.relay_linger_ms);
    } else if (name == "--relay-fetch-wait-ms") {
      s = ParseInt(name, value, 0, 1000, &flags.relay_fetch_wait_ms);
    } else if (name == "--instances") {
      s = ParseInstances(value, &flags);
    } else if (name == "--set") {
      s = ParseSetting(value, &flags);
    } else if (name == "--preload") {
      s = ParseInt(name, value, 0, 2000000, &flags.preload);
    } else if (name == "--warmup") {
      s = ParseInt(name, value, 0, 10000, &flags.warmup);
    } else if (name == "--detect") {
      if (value == "events") {
        flags.detect = Detect::kEvents;
      } else if (value == "poll") {
        flags.detect = Detect::kPoll;
      } else {
        s = absl::InvalidArgumentError(absl::StrCat(
            "--detect: expected \"events\" or \"poll\", got \"", value, "\""));
      }
    } else if (name == "--poll-interval") {
      s = ParseDuration(name, value, &flags.poll_interval);
    } else if (name == "--timeout") {
      s = ParseDuration(name, value, &flags.timeout);
    } else {
      s = absl::InvalidArgumentError(
          absl::StrCat("unknown flag \"", name, "\" (see --help)"));
    }
    if (!s.ok()) return s;
  }
  if (flags.failover && flags.rate <= 0) {
    return absl::InvalidArgumentError(
        "--failover needs --rate: the cases must keep coming while the "
        "partitions move");
  }
  if (flags.skip_relay && flags.skip_pipeline) {
    return absl::InvalidArgumentError(
        "--skip-relay and --skip-pipeline together leave nothing to measure");
  }
  return flags;
}

std::string Usage() {
  return R"(usage: bench_pipeline [flags]

End-to-end benchmark of caserelay on this machine, beside its ceiling,
both measured in this one run:

  pipeline   devbroker + intake, routing, supervision, notification,
             statistics as real processes (the integration-test harness);
             --cases petitions submitted over gRPC by --concurrency
             submitters as the province bureau; cases/s from the first
             submit to the last case routed, and end to end (routed,
             deadlines armed in supervision, receipt SMS queued by
             notification); submit->routed and end-to-end latency, the
             SubmitPetition RPC latency, and each process's CPU per case.
  raw relay  then, with the system stopped: a librdkafka producer and
             consumer in this process, with the services' client settings,
             on a devbroker of their own (1 broker, topic relay:8), relaying
             records of a PetitionReceived envelope's size: msgs/s over
             --relay-messages records produced back to back, and
             produce->consume latency over --cases records produced at
             --relay-rate (default: the rate the pipeline achieved).

Prints a table with the ratios pipeline/relay and one machine-readable line
starting with "RESULT". Exit 0 on success, 1 if a run failed (a case not
routed within --timeout, a failed submit or delivery), 2 for bad flags.
Every process it starts is stopped before it exits.

flags:
  --cases N            cases in the pipeline run, and records in the relay's
                       latency phase (default 2000)
  --concurrency K      concurrent gRPC submitters, one channel each (default 4)
  --rate R             offered load of the timed run, cases/s over all
                       submitters (case i due at start + i/R); default:
                       closed loop, as fast as the system answers
  --preload N          cases pushed through the whole pipeline first (not
                       timed, closed loop), so the timed run meets stores
                       that already hold N cases (default 0: fresh stores)
  --instances L        instances of supervision and notification, one
                       pipeline run (a system of its own) per count of the
                       list, e.g. 1,2,3 (default 1); the first is the main
                       table's, every one gets a row of its own
  --failover           with --rate, in every run of 2 or more instances:
                       SIGKILL the last supervision instance when half the
                       cases are due; report the time until each partition
                       it had applied is applied further by another one
                       (with --set supervision:store.standby_replicas=1 to
                       measure warm standbys)
  --set S:K=V          setting K=V for service S (repeatable), over the
                       harness's own, e.g. --set intake:intake.group_commit_max=1
  --warmup N           cases routed one by one before timing (default 20)
  --detect MODE        how "routed" is seen: events = REGISTER CaseEvent read
                       from case-events (default); poll = routing GetCase
                       shows REGISTERED, asked for every outstanding case
                       each --poll-interval
  --poll-interval D    pause between poll sweeps, e.g. 5ms (default 5ms)
  --timeout D          limit for each run, e.g. 180s (default 180s)
  --relay-messages M   records in the relay's throughput phase (default
                       100000)
  --relay-rate R       records/s of the relay's latency phase (default: the
                       pipeline's cases/s; 1000 with --skip-pipeline)
  --relay-linger-ms N  the relay producer's linger.ms (default 5, as the
                       services'): a latency lever tried on the ceiling
  --relay-fetch-wait-ms N  the relay consumer's fetch.wait.max.ms (default
                       10, as the services' kafka.fetch_wait)
  --skip-relay         measure the pipeline only (no ratio)
  --skip-pipeline      measure the relay only
  --help               this text
)";
}

}  // namespace caserelay::bench
