#include "bench/pipeline/pipeline.h"

#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
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

// `authorization` metadata of the web gateway (service:web), which
// submits for the portal: every RPC is authenticated (issue 14 item 1).
std::string WebBearer(const caserelay::testing::System& system) {
  std::ifstream in(system.token_file(caserelay::testing::System::kWeb));
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

}  // namespace

absl::StatusOr<PipelineResult> RunPipeline(System& system,
                                           const PipelineOptions& options) {
  if (options.regions.empty()) {
    return absl::InvalidArgumentError("pipeline: no regions");
  }
  WatcherOptions watcher_options;
  watcher_options.detect = options.detect;
  watcher_options.bootstrap = system.bootstrap();
  watcher_options.routing_address = system.grpc_address("routing");
  watcher_options.routing_token_file =
      system.token_file(caserelay::testing::System::kProvinceBureau);
  watcher_options.poll_interval = options.poll_interval;
  auto watcher = RoutedWatcher::Create(watcher_options);
  if (!watcher.ok()) return watcher.status();

  const std::string intake_address = system.grpc_address("intake");
  const std::string bearer = WebBearer(system);
  const size_t regions = options.regions.size();

  // Warm-up, one case at a time: consumers assigned, connections up,
  // caches warm. The first one also waits for the watcher's group to join.
  {
    auto intake = IntakeStub(intake_address);
    if (!intake.ok()) return intake.status();
    for (int i = 0; i < options.warmup; ++i) {
      auto case_number = Submit(**intake, bearer, options.regions[i % regions],
                                kWarmupBase + i);
      if (!case_number.ok()) return case_number.status();
      (*watcher)->Track(*case_number);
      if (absl::Status s =
              (*watcher)->WaitForAll({*case_number}, absl::Seconds(60));
          !s.ok()) {
        return absl::Status(s.code(), absl::StrCat("warm-up: ", s.message()));
      }
    }
  }

  // Timed: all submitters start together; submitter t sends cases t, t+K, ...
  const int n = options.cases;
  const int k = options.concurrency;
  std::vector<std::unique_ptr<caserelay::v1::IntakeService::Stub>> stubs;
  for (int t = 0; t < k; ++t) {
    auto stub = IntakeStub(intake_address);
    if (!stub.ok()) return stub.status();
    stubs.push_back(*std::move(stub));
  }
  std::vector<Submission> submissions(n);  // slot i written by one thread
  absl::Mutex error_mu;
  absl::Status first_error;  // guarded by error_mu
  std::atomic<bool> go{false};
  std::vector<std::thread> submitters;
  for (int t = 0; t < k; ++t) {
    submitters.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      for (int i = t; i < n; i += k) {
        Submission& sub = submissions[i];
        sub.start = SteadyClock::now();
        auto case_number =
            Submit(*stubs[t], bearer, options.regions[i % regions], i);
        sub.end = SteadyClock::now();
        if (!case_number.ok()) {
          absl::MutexLock lock(&error_mu);
          if (first_error.ok()) first_error = case_number.status();
          return;
        }
        sub.case_number = *std::move(case_number);
        (*watcher)->Track(sub.case_number);
      }
    });
  }
  go.store(true);
  for (std::thread& t : submitters) t.join();
  {
    absl::MutexLock lock(&error_mu);
    if (!first_error.ok()) return first_error;
  }

  std::vector<std::string> cases;
  cases.reserve(n);
  for (const Submission& s : submissions) cases.push_back(s.case_number);
  if (absl::Status s = (*watcher)->WaitForAll(cases, options.timeout);
      !s.ok()) {
    return s;
  }

  PipelineResult result;
  result.cases = n;
  std::vector<absl::Duration> routed;
  std::vector<absl::Duration> submit;
  routed.reserve(n);
  submit.reserve(n);
  SteadyTime first = submissions[0].start;
  SteadyTime last = first;
  for (const Submission& s : submissions) {
    SteadyTime at = *(*watcher)->RoutedAt(s.case_number);
    routed.push_back(Since(s.start, at));
    submit.push_back(Since(s.start, s.end));
    first = std::min(first, s.start);
    last = std::max(last, at);
  }
  result.wall = Since(first, last);
  result.cases_per_s = n / absl::ToDoubleSeconds(result.wall);
  result.routed_latency = Summarize(std::move(routed));
  result.submit_latency = Summarize(std::move(submit));
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
