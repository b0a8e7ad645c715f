#include "bench/pipeline/watcher.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "caserelay/v1/events.pb.h"
#include "common/rpc/credentials.h"
#include "common/service/kafka_options.h"
#include "grpcpp/grpcpp.h"

namespace caserelay::bench {

std::map<int32_t, int64_t> AppliedCaseEventOffsets(const std::string& metrics) {
  std::map<int32_t, int64_t> out;
  constexpr absl::string_view kName = "caserelay_loop_input_next_offset{";
  constexpr absl::string_view kInput = "input=\"case-events/";
  for (absl::string_view line : absl::StrSplit(metrics, '\n')) {
    if (!absl::StartsWith(line, kName)) continue;
    if (!absl::StrContains(line, "loop=\"case-events\"")) continue;
    size_t at = line.find(kInput);
    size_t space = line.rfind(' ');
    if (at == absl::string_view::npos || space == absl::string_view::npos) {
      continue;
    }
    int32_t partition = 0;
    double next = 0;
    absl::string_view p = line.substr(at + kInput.size());
    p = p.substr(0, p.find('"'));
    if (absl::SimpleAtoi(p, &partition) &&
        absl::SimpleAtod(line.substr(space + 1), &next)) {
      // Several instances may show one partition (a former owner's
      // gauge stays where it stopped): the furthest counts.
      out[partition] = std::max(out[partition], static_cast<int64_t>(next));
    }
  }
  return out;
}

absl::StatusOr<std::unique_ptr<RoutedWatcher>> RoutedWatcher::Create(
    const WatcherOptions& options) {
  std::unique_ptr<RoutedWatcher> w(new RoutedWatcher(options));
  if (options.detect == Detect::kEvents) {
    if (options.bootstrap.empty()) {
      return absl::InvalidArgumentError("watcher: bootstrap is empty");
    }
    kafka::ConsumerOptions consumer_options = service::ServiceConsumerOptions(
        options.bootstrap, absl::StrCat("bench-watch-", getpid()),
        options.watch_sms
            ? std::vector<std::string>{"case-events", "notification-events"}
            : std::vector<std::string>{"case-events"},
        absl::Milliseconds(10));
    auto consumer = kafka::CreateKafkaConsumer(
        consumer_options,
        [](const std::string&, int32_t) { return std::optional<int64_t>(); });
    if (!consumer.ok()) return consumer.status();
    w->consumer_ = *std::move(consumer);
    w->thread_ = std::thread([raw = w.get()] { raw->ConsumeEvents(); });
    if (options.supervision_metrics) {
      w->metrics_thread_ =
          std::thread([raw = w.get()] { raw->PollSupervision(); });
    }
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
  if (metrics_thread_.joinable()) metrics_thread_.join();
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

std::optional<SteadyTime> RoutedWatcher::DoneAt(
    const std::string& case_number) {
  absl::MutexLock lock(&mu_);
  return DoneAtLocked(case_number);
}

std::optional<SteadyTime> RoutedWatcher::DoneAtLocked(
    const std::string& case_number) {
  auto routed = routed_.find(case_number);
  if (routed == routed_.end()) return std::nullopt;
  SteadyTime done = routed->second;
  if (options_.supervision_metrics) {
    auto armed = armed_.find(case_number);
    if (armed == armed_.end()) return std::nullopt;
    done = std::max(done, armed->second);
  }
  if (options_.watch_sms) {
    auto sms = sms_.find(case_number);
    if (sms == sms_.end()) return std::nullopt;
    done = std::max(done, sms->second);
  }
  return done;
}

absl::Status RoutedWatcher::WaitForAll(const std::vector<std::string>& cases,
                                       absl::Duration timeout, Stage stage) {
  absl::Time deadline = absl::Now() + timeout;
  // Counted from where the last look stopped: cases are seen roughly in
  // submission order, and a preload may wait for a million.
  size_t next = 0;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (!error_.ok()) return error_;
      while (next < cases.size() &&
             (stage == Stage::kRouted ? routed_.contains(cases[next])
                                      : DoneAtLocked(cases[next]).has_value())) {
        ++next;
      }
    }
    if (next == cases.size()) return absl::OkStatus();
    if (absl::Now() > deadline) break;
    absl::SleepFor(absl::Milliseconds(2));
  }
  absl::MutexLock lock(&mu_);
  size_t routed = 0, armed = 0, sms = 0;
  for (const std::string& c : cases) {
    routed += routed_.contains(c) ? 1 : 0;
    armed += armed_.contains(c) ? 1 : 0;
    sms += sms_.contains(c) ? 1 : 0;
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "of ", cases.size(), " cases, within ", absl::FormatDuration(timeout),
      ": ", routed, " seen routed, ", armed, " with deadlines armed, ", sms,
      " with the receipt SMS queued"));
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
        if (options_.supervision_metrics) {
          absl::MutexLock lock(&mu_);
          unarmed_[m.partition].emplace_back(m.offset, event.case_id());
        }
      } else if (event.has_sms_queued()) {
        absl::MutexLock lock(&mu_);
        sms_.emplace(event.case_id(), now);  // the first: the receipt
      }
    }
  }
}

void RoutedWatcher::PollSupervision() {
  while (!stop_.load()) {
    auto metrics = options_.supervision_metrics();
    const SteadyTime now = SteadyClock::now();
    if (metrics.ok()) {
      std::map<int32_t, int64_t> applied = AppliedCaseEventOffsets(*metrics);
      absl::MutexLock lock(&mu_);
      for (auto& [partition, waiting] : unarmed_) {
        auto it = applied.find(partition);
        if (it == applied.end()) continue;
        while (!waiting.empty() && waiting.front().first < it->second) {
          armed_.emplace(waiting.front().second, now);
          waiting.pop_front();
        }
      }
    }  // an unanswered read is tried again: the cases wait, not fail
    std::this_thread::sleep_for(
        absl::ToChronoNanoseconds(options_.metrics_interval));
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
