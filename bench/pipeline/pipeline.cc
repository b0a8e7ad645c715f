#include "bench/pipeline/pipeline.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "bench/pipeline/cpu.h"
#include "bench/pipeline/watcher.h"
#include "caserelay/v1/events.pb.h"
#include "common/rpc/convert.h"
#include "grpcpp/grpcpp.h"

namespace caserelay::bench {
namespace {

using caserelay::testing::SamplePetition;
using caserelay::testing::System;

// Warm-up petitions are numbered from here, so their request ids never
// collide with the timed ones.
constexpr int kWarmupBase = 1000000;
// Preloaded petitions are numbered from here (--preload is at most 2M).
constexpr int kPreloadBase = 3000000;

struct Submission {
  SteadyTime start;
  SteadyTime end;
  std::string case_number;
};

// A channel of its own (not shared with other channels to the same
// address), connected before timing starts.
absl::StatusOr<std::unique_ptr<caserelay::v1::IntakeService::Stub>> IntakeStub(
    const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto channel = grpc::CreateCustomChannel(
      address, grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                 std::chrono::seconds(10))) {
    return absl::UnavailableError(
        absl::StrCat("intake at ", address, " did not connect in 10 s"));
  }
  return caserelay::v1::IntakeService::NewStub(channel);
}

// `authorization` metadata of the province bureau, as staff enter the
// petitions they receive (every RPC is authenticated, issue 14 item 1). Not
// the web gateway's: since issue 15 an online petition must redeem a phone
// code with notification first, which a bench of the pipeline cannot make.
std::string OfficeBearer(const caserelay::testing::System& system) {
  std::ifstream in(
      system.token_file(caserelay::testing::System::kProvinceBureau));
  std::string token;
  std::getline(in, token);
  return absl::StrCat("Bearer ", token);
}

absl::StatusOr<std::string> Submit(caserelay::v1::IntakeService::Stub& intake,
                                   const std::string& bearer,
                                   const std::string& region, int n) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", bearer);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  caserelay::v1::SubmitPetitionResponse resp;
  grpc::Status s =
      intake.SubmitPetition(&ctx, SamplePetition(region, n), &resp);
  if (!s.ok()) {
    absl::Status a = rpc::FromGrpc(s);
    return absl::Status(
        a.code(), absl::StrCat("SubmitPetition n=", n, ": ", a.message()));
  }
  return resp.case_number();
}

// Cases n = first, first+1, ... first+count-1 submitted by `stubs.size()`
// threads (thread t sends n = first+t, first+t+K, ...), all starting
// together; with `rate` > 0 case i is not sent before start + i/rate.
// Fills submissions[i] for n = first + i. Returns the first failure.
absl::Status SubmitAll(
    std::vector<std::unique_ptr<caserelay::v1::IntakeService::Stub>>& stubs,
    const std::string& bearer, const std::vector<std::string>& regions,
    int first, int count, double rate, RoutedWatcher& watcher,
    std::vector<Submission>& submissions) {
  submissions.assign(count, Submission{});  // slot i written by one thread
  const int k = static_cast<int>(stubs.size());
  absl::Mutex error_mu;
  absl::Status first_error;  // guarded by error_mu
  std::atomic<bool> go{false};
  std::atomic<bool> failed{false};
  SteadyTime start;
  std::vector<std::thread> submitters;
  for (int t = 0; t < k; ++t) {
    submitters.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      for (int i = t; i < count && !failed.load(); i += k) {
        if (rate > 0) {
          std::this_thread::sleep_until(
              start + std::chrono::nanoseconds(
                          static_cast<int64_t>(i * 1e9 / rate)));
        }
        Submission& sub = submissions[i];
        sub.start = SteadyClock::now();
        auto case_number = Submit(*stubs[t], bearer,
                                  regions[(first + i) % regions.size()],
                                  first + i);
        sub.end = SteadyClock::now();
        if (!case_number.ok()) {
          absl::MutexLock lock(&error_mu);
          if (first_error.ok()) first_error = case_number.status();
          failed.store(true);
          return;
        }
        sub.case_number = *std::move(case_number);
        watcher.Track(sub.case_number);
      }
    });
  }
  start = SteadyClock::now();
  go.store(true);
  for (std::thread& t : submitters) t.join();
  absl::MutexLock lock(&error_mu);
  return first_error;
}

std::vector<std::string> CaseNumbers(const std::vector<Submission>& subs) {
  std::vector<std::string> cases;
  cases.reserve(subs.size());
  for (const Submission& s : subs) cases.push_back(s.case_number);
  return cases;
}

}  // namespace

absl::StatusOr<PipelineResult> RunPipeline(System& system,
                                           const PipelineOptions& options) {
  if (options.regions.empty()) {
    return absl::InvalidArgumentError("pipeline: no regions");
  }
  const bool end_to_end = options.detect == Detect::kEvents;
  WatcherOptions watcher_options;
  watcher_options.detect = options.detect;
  watcher_options.bootstrap = system.bootstrap();
  watcher_options.routing_address = system.grpc_address("routing");
  watcher_options.routing_token_file =
      system.token_file(caserelay::testing::System::kProvinceBureau);
  watcher_options.poll_interval = options.poll_interval;
  if (end_to_end) {
    watcher_options.watch_sms = true;
    // Every instance's, one text: each shows the partitions it applied
    // (the watcher takes the furthest offset of each partition).
    const int instances = options.supervision_instances;
    watcher_options.supervision_metrics =
        [&system, instances]() -> absl::StatusOr<std::string> {
      std::string all;
      for (int k = 1; k <= instances; ++k) {
        auto text = system.AdminGet(
            caserelay::testing::System::InstanceName("supervision", k),
            "/metrics");
        // One killed (--failover) answers no more: the others tell.
        if (text.ok()) all += *text;
      }
      if (all.empty()) {
        return absl::UnavailableError("no supervision instance answers");
      }
      return all;
    };
  }
  auto watcher = RoutedWatcher::Create(watcher_options);
  if (!watcher.ok()) return watcher.status();
  const Stage last_stage = end_to_end ? Stage::kDone : Stage::kRouted;

  const std::string intake_address = system.grpc_address("intake");
  const std::string bearer = OfficeBearer(system);
  const size_t regions = options.regions.size();
  const int k = options.concurrency;
  std::vector<std::unique_ptr<caserelay::v1::IntakeService::Stub>> stubs;
  for (int t = 0; t < k; ++t) {
    auto stub = IntakeStub(intake_address);
    if (!stub.ok()) return stub.status();
    stubs.push_back(*std::move(stub));
  }
  PipelineResult result;

  // Preload, untimed: the stores of every service hold that many cases
  // before the warm-up (issue 20 item 1: the pipeline must hold as data
  // grows). In slices, so the watcher's consumer keeps up.
  if (options.preload > 0) {
    const SteadyTime began = SteadyClock::now();
    constexpr int kSlice = 20000;
    for (int done = 0; done < options.preload; done += kSlice) {
      const int count = std::min(kSlice, options.preload - done);
      std::vector<Submission> subs;
      if (absl::Status s = SubmitAll(stubs, bearer, options.regions,
                                     kPreloadBase + done, count, 0, **watcher,
                                     subs);
          !s.ok()) {
        return absl::Status(s.code(), absl::StrCat("preload: ", s.message()));
      }
      if (absl::Status s = (*watcher)->WaitForAll(
              CaseNumbers(subs), options.timeout, last_stage);
          !s.ok()) {
        return absl::Status(s.code(), absl::StrCat("preload: ", s.message()));
      }
      std::fprintf(stderr, "preload: %d of %d cases through\n", done + count,
                   options.preload);
    }
    result.preload_cases_per_s =
        options.preload /
        absl::ToDoubleSeconds(Since(began, SteadyClock::now()));
  }

  // Warm-up, one case at a time: consumers assigned, connections up,
  // caches warm. The first one also waits for the watcher's group to join.
  for (int i = 0; i < options.warmup; ++i) {
    auto case_number = Submit(*stubs[0], bearer, options.regions[i % regions],
                              kWarmupBase + i);
    if (!case_number.ok()) return case_number.status();
    (*watcher)->Track(*case_number);
    if (absl::Status s = (*watcher)->WaitForAll({*case_number},
                                                absl::Seconds(60), last_stage);
        !s.ok()) {
      return absl::Status(s.code(), absl::StrCat("warm-up: ", s.message()));
    }
  }

  // Timed: all submitters start together; submitter t sends cases t, t+K, ...
  const int n = options.cases;
  const std::map<std::string, double> cpu_before = CpuSecondsByProcess();
  std::vector<Submission> submissions;
  absl::StatusOr<FailoverResult> failover =
      absl::UnknownError("fail-over not run");
  std::thread killer;
  if (options.failover) {
    if (options.rate <= 0 || options.supervision_instances < 2) {
      return absl::InvalidArgumentError(
          "fail-over: needs --rate and 2 or more instances");
    }
    killer = std::thread([&] {
      std::this_thread::sleep_for(std::chrono::nanoseconds(
          static_cast<int64_t>(n / 2 * 1e9 / options.rate)));
      failover = KillSupervisionAndMeasure(
          system, options.supervision_instances, options.timeout);
    });
  }
  absl::Status submitted = SubmitAll(stubs, bearer, options.regions, 0, n,
                                     options.rate, **watcher, submissions);
  if (killer.joinable()) killer.join();
  if (!submitted.ok()) return submitted;
  if (options.failover) {
    if (!failover.ok()) return failover.status();
    result.failover = *failover;
  }
  std::vector<std::string> cases = CaseNumbers(submissions);
  if (absl::Status s = (*watcher)->WaitForAll(cases, options.timeout);
      !s.ok()) {
    return s;
  }
  if (end_to_end) {
    if (absl::Status s =
            (*watcher)->WaitForAll(cases, options.timeout, Stage::kDone);
        !s.ok()) {
      return s;
    }
  }

  for (const auto& [name, seconds] : CpuSecondsByProcess()) {
    auto before = cpu_before.find(name);
    result.cpu_seconds[name] =
        seconds - (before == cpu_before.end() ? 0 : before->second);
  }
  if (auto commits = system.Metric(
          "intake", "caserelay_intake_group_commit_steps_count");
      commits.ok()) {
    result.intake_commits = *commits;
  }
  if (auto steps = system.Metric("intake",
                                 "caserelay_intake_group_commit_steps_sum");
      steps.ok()) {
    result.intake_committed_steps = *steps;
  }
  result.cases = n;
  std::vector<absl::Duration> routed;
  std::vector<absl::Duration> done;
  std::vector<absl::Duration> submit;
  routed.reserve(n);
  submit.reserve(n);
  SteadyTime first = submissions[0].start;
  SteadyTime last = first;
  SteadyTime last_done = first;
  for (const Submission& s : submissions) {
    SteadyTime at = *(*watcher)->RoutedAt(s.case_number);
    routed.push_back(Since(s.start, at));
    submit.push_back(Since(s.start, s.end));
    first = std::min(first, s.start);
    last = std::max(last, at);
    if (end_to_end) {
      SteadyTime all = *(*watcher)->DoneAt(s.case_number);
      done.push_back(Since(s.start, all));
      last_done = std::max(last_done, all);
    }
  }
  result.wall = Since(first, last);
  result.cases_per_s = n / absl::ToDoubleSeconds(result.wall);
  result.routed_latency = Summarize(std::move(routed));
  result.submit_latency = Summarize(std::move(submit));
  if (end_to_end) {
    result.done_wall = Since(first, last_done);
    result.done_cases_per_s = n / absl::ToDoubleSeconds(result.done_wall);
    result.done_latency = Summarize(std::move(done));
  }
  result.longest_sweep = (*watcher)->LongestSweep();
  watcher->reset();  // stop watching before the cross-check's load

  // Cross-check, untimed: routing holds each case REGISTERED, and its
  // history starts with the REGISTER event the watcher saw.
  for (const std::string& c : cases) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    caserelay::v1::GetCaseRequest req;
    req.set_case_id(c);
    caserelay::v1::CaseDetail detail;
    grpc::Status s = system.routing().GetCase(&ctx, req, &detail);
    if (!s.ok()) {
      return absl::InternalError(absl::StrCat(
          "case ", c, " seen routed but GetCase fails: ", s.error_message()));
    }
    if (detail.view().state() != caserelay::v1::CASE_STATE_REGISTERED) {
      return absl::InternalError(
          absl::StrCat("case ", c, " seen routed but GetCase says ",
                       caserelay::v1::CaseState_Name(detail.view().state())));
    }
    caserelay::v1::Envelope first;
    if (detail.events().empty() || !first.ParseFromString(detail.events(0)) ||
        first.case_event().action() != caserelay::v1::CASE_ACTION_REGISTER) {
      return absl::InternalError(
          absl::StrCat("case ", c, ": history does not start with REGISTER"));
    }
    ++result.verified_routed;
  }
  return result;
}

}  // namespace caserelay::bench
