#include "bench/pipeline/failover.h"

#include <signal.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "bench/pipeline/stats.h"
#include "bench/pipeline/watcher.h"

namespace caserelay::bench {

absl::StatusOr<FailoverResult> KillSupervisionAndMeasure(
    caserelay::testing::System& system, int instances,
    absl::Duration timeout) {
  using caserelay::testing::System;
  if (instances < 2) {
    return absl::FailedPreconditionError(
        "fail-over: needs at least 2 instances of supervision");
  }
  const std::string victim = System::InstanceName("supervision", instances);
  auto before = system.AdminGet(victim, "/metrics");
  if (!before.ok()) return before.status();
  const std::map<int32_t, int64_t> held = AppliedCaseEventOffsets(*before);
  if (held.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("fail-over: ", victim, " shows no partition applied"));
  }
  const SteadyTime killed = SteadyClock::now();
  system.Kill(victim, SIGKILL);
  std::map<int32_t, int64_t> waiting = held;
  FailoverResult result;
  result.partitions = static_cast<int>(held.size());
  while (!waiting.empty()) {
    std::string others;
    for (int k = 1; k < instances; ++k) {
      auto text = system.AdminGet(System::InstanceName("supervision", k),
                                  "/metrics");
      if (text.ok()) others += *text;
    }
    const std::map<int32_t, int64_t> now = AppliedCaseEventOffsets(others);
    for (auto it = waiting.begin(); it != waiting.end();) {
      auto seen = now.find(it->first);
      if (seen != now.end() && seen->second > it->second) {
        it = waiting.erase(it);
      } else {
        ++it;
      }
    }
    result.time = Since(killed, SteadyClock::now());
    if (!waiting.empty() && result.time > timeout) {
      std::string left;
      for (const auto& [p, offset] : waiting) absl::StrAppend(&left, " ", p);
      return absl::DeadlineExceededError(absl::StrCat(
          "fail-over: partitions", left, " of case-events not applied by "
          "another instance within ", absl::FormatDuration(timeout)));
    }
    if (!waiting.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  return result;
}

}  // namespace caserelay::bench
