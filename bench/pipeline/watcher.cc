#include "bench/pipeline/watcher.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "common/rpc/credentials.h"
#include "common/service/kafka_options.h"
#include "grpcpp/grpcpp.h"

namespace caserelay::bench {

absl::StatusOr<std::unique_ptr<RoutedWatcher>> RoutedWatcher::Create(
    const WatcherOptions& options) {
  std::unique_ptr<RoutedWatcher> w(new RoutedWatcher(options));
  if (options.detect == Detect::kEvents) {
    if (options.bootstrap.empty()) {
      return absl::InvalidArgumentError("watcher: bootstrap is empty");
    }
    kafka::ConsumerOptions consumer_options = service::ServiceConsumerOptions(
        options.bootstrap, absl::StrCat("bench-watch-", getpid()),
        {"case-events"}, absl::Milliseconds(10));
    auto consumer = kafka::CreateKafkaConsumer(
        consumer_options,
        [](const std::string&, int32_t) { return std::optional<int64_t>(); });
    if (!consumer.ok()) return consumer.status();
    w->consumer_ = *std::move(consumer);
    w->thread_ = std::thread([raw = w.get()] { raw->ConsumeEvents(); });
  } else {
    if (options.routing_address.empty()) {
      return absl::InvalidArgumentError("watcher: routing address is empty");
    }
    // routing's office API answers only an authenticated office.
    rpc::ClientAuth auth;
    auth.target = options.routing_address;
    auth.token_file = options.routing_token_file;
    auto channel = rpc::OfficeChannel(auth);
    if (!channel.ok()) return channel.status();
    w->routing_ = caserelay::v1::RoutingService::NewStub(*channel);
    w->thread_ = std::thread([raw = w.get()] { raw->PollRouting(); });
  }
  return w;
}

RoutedWatcher::~RoutedWatcher() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  if (consumer_) consumer_->Close();
}

void RoutedWatcher::Track(const std::string& case_number) {
  if (options_.detect != Detect::kPoll) return;
  absl::MutexLock lock(&mu_);
  inbox_.push_back(case_number);
}

void RoutedWatcher::Record(const std::string& case_number, SteadyTime at) {
  absl::MutexLock lock(&mu_);
  routed_.emplace(case_number, at);  // keeps the first sighting
}

std::optional<SteadyTime> RoutedWatcher::RoutedAt(
    const std::string& case_number) {
  absl::MutexLock lock(&mu_);
  auto it = routed_.find(case_number);
  if (it == routed_.end()) return std::nullopt;
  return it->second;
}

absl::Status RoutedWatcher::WaitForAll(const std::vector<std::string>& cases,
                                       absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  size_t seen = 0;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (!error_.ok()) return error_;
      seen = 0;
      for (const std::string& c : cases) seen += routed_.contains(c) ? 1 : 0;
    }
    if (seen == cases.size()) return absl::OkStatus();
    if (absl::Now() > deadline) break;
    absl::SleepFor(absl::Milliseconds(2));
  }
  return absl::DeadlineExceededError(
      absl::StrCat(seen, " of ", cases.size(), " cases seen routed within ",
                   absl::FormatDuration(timeout)));
}

absl::Duration RoutedWatcher::LongestSweep() {
  absl::MutexLock lock(&mu_);
  return longest_sweep_;
}

void RoutedWatcher::ConsumeEvents() {
  while (!stop_.load()) {
    auto batch = consumer_->Poll(500, absl::Milliseconds(100));
    const SteadyTime now = SteadyClock::now();
    if (!batch.ok()) {
      absl::MutexLock lock(&mu_);
      error_ = batch.status();
      return;
    }
    for (const kafka::Message& m : *batch) {
      caserelay::v1::Envelope event;
      if (!event.ParseFromString(m.value)) continue;  // not ours to judge
      // Routing's first event on a new case is its REGISTER (登记), which
      // carries the decision: that is "routed".
      if (event.has_case_event() &&
          event.case_event().action() == caserelay::v1::CASE_ACTION_REGISTER) {
        Record(event.case_id(), now);
      }
    }
  }
}

void RoutedWatcher::PollRouting() {
  std::vector<std::string> outstanding;
  while (!stop_.load()) {
    {
      absl::MutexLock lock(&mu_);
      for (std::string& c : inbox_) outstanding.push_back(std::move(c));
      inbox_.clear();
    }
    const SteadyTime sweep_start = SteadyClock::now();
    std::vector<std::string> still;
    for (const std::string& c : outstanding) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
      caserelay::v1::GetCaseRequest req;
      req.set_case_id(c);
      caserelay::v1::CaseDetail detail;
      grpc::Status s = routing_->GetCase(&ctx, req, &detail);
      if (s.ok() &&
          detail.view().state() == caserelay::v1::CASE_STATE_REGISTERED) {
        Record(c, SteadyClock::now());
      } else {
        still.push_back(c);  // NOT_FOUND until routing has consumed it
      }
    }
    outstanding = std::move(still);
    {
      absl::MutexLock lock(&mu_);
      longest_sweep_ =
          std::max(longest_sweep_, Since(sweep_start, SteadyClock::now()));
    }
    std::this_thread::sleep_for(
        absl::ToChronoNanoseconds(options_.poll_interval));
  }
}

}  // namespace caserelay::bench
