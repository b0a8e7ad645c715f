#include "bench/pipeline/relay.h"

#include <signal.h>

#include <atomic>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/kafka/consumer.h"
#include "common/kafka/producer.h"
#include "common/kafka/wait_for_topics.h"
#include "common/service/kafka_options.h"

namespace caserelay::bench {
namespace {

using caserelay::testing::Binary;
using caserelay::testing::Process;
using caserelay::testing::WaitForKey;

constexpr const char* kWarmupPrefix = "warmup-";

// The first error reported by any thread, kept once.
class FirstError {
 public:
  void Set(const absl::Status& s) {
    absl::MutexLock lock(&mu_);
    if (status_.ok()) status_ = s;
  }
  absl::Status Get() {
    absl::MutexLock lock(&mu_);
    return status_;
  }

 private:
  absl::Mutex mu_;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
};

// Produce, retrying while the local queue is full.
absl::Status ProduceRetrying(kafka::Producer& producer,
                             const std::string& topic, const std::string& key,
                             const std::string& value, uint64_t token,
                             SteadyTime deadline) {
  while (true) {
    absl::Status s = producer.Produce(topic, key, value, token);
    if (s.code() != absl::StatusCode::kUnavailable) return s;
    if (SteadyClock::now() > deadline) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<RelayBroker>> RelayBroker::Start() {
  std::unique_ptr<RelayBroker> broker(new RelayBroker());
  if (broker->dir_.path().empty()) return absl::InternalError("mkdtemp failed");
  std::string info = broker->dir_.path() + "/devbroker.info";
  auto process = Process::Start(
      {Binary("tools/devbroker/devbroker"), "--brokers", "1", "--topic",
       absl::StrCat(kTopic, ":8"), "--info-file", info},
      {}, broker->dir_.path() + "/devbroker.log");
  if (!process.ok()) return process.status();
  broker->process_ = *std::move(process);
  auto bootstrap =
      WaitForKey(info, "bootstrap", absl::Seconds(20), broker->process_.get());
  if (!bootstrap.ok()) return bootstrap.status();
  broker->bootstrap_ = *bootstrap;
  return broker;
}

RelayBroker::~RelayBroker() {
  if (!process_) return;
  process_->Signal(SIGTERM, /*wait=*/false);
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (process_->Running() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  process_.reset();  // SIGKILL and reap if it is still running
}

absl::StatusOr<RelayResult> RunRelay(const RelayOptions& options) {
  const size_t n = options.records.size();
  const size_t m = options.throughput_records;
  if (m == 0 || m >= n) {
    return absl::InvalidArgumentError(
        absl::StrCat("relay: ", m, " throughput and ", n - std::min(n, m),
                     " latency records; each phase needs at least one"));
  }
  absl::flat_hash_map<std::string, size_t> index;
  double value_bytes = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!index.emplace(options.records[i].first, i).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("relay: duplicate key ", options.records[i].first));
    }
    value_bytes += options.records[i].second.size();
  }
  const SteadyTime deadline =
      SteadyClock::now() + absl::ToChronoNanoseconds(options.timeout);

  if (absl::Status s = kafka::WaitForTopics(options.bootstrap, {options.topic},
                                            absl::Seconds(20));
      !s.ok()) {
    return s;
  }

  // The services' own client settings (common/service/kafka_options.h).
  kafka::ConsumerOptions consumer_options = service::ServiceConsumerOptions(
      options.bootstrap, absl::StrCat("bench-relay-", getpid()),
      {options.topic}, absl::Milliseconds(options.fetch_wait_ms));
  auto consumer = kafka::CreateKafkaConsumer(
      consumer_options,
      [](const std::string&, int32_t) { return std::optional<int64_t>(); });
  if (!consumer.ok()) return consumer.status();

  FirstError error;
  kafka::ProducerOptions producer_options =
      service::ServiceProducerOptions(options.bootstrap, "bench-relay");
  // As the services, but with a limit: a benchmark reports, never hangs.
  producer_options.extra["message.timeout.ms"] =
      std::to_string(absl::ToInt64Milliseconds(options.timeout));
  producer_options.extra["linger.ms"] = std::to_string(options.linger_ms);
  auto producer = kafka::CreateKafkaProducer(
      producer_options, [&error](const kafka::DeliveryReport& report) {
        if (!report.status.ok()) error.Set(report.status);
      });
  if (!producer.ok()) return producer.status();

  // Written by the consumer thread only; read after it is joined.
  std::vector<SteadyTime> received(n);
  std::vector<bool> seen(n, false);
  std::atomic<int> warmup_seen{0};
  std::atomic<size_t> timed_seen{0};
  std::atomic<bool> stop{false};
  std::thread consume([&] {
    while (!stop.load() && timed_seen.load() < n) {
      auto batch = (*consumer)->Poll(500, absl::Milliseconds(100));
      const SteadyTime now = SteadyClock::now();
      if (!batch.ok()) {
        error.Set(batch.status());
        return;
      }
      for (const kafka::Message& msg : *batch) {
        auto it = index.find(msg.key);
        if (it == index.end()) {
          if (msg.key.rfind(kWarmupPrefix, 0) == 0) warmup_seen.fetch_add(1);
          continue;
        }
        if (seen[it->second]) continue;  // at-least-once: keep the first
        seen[it->second] = true;
        received[it->second] = now;
        timed_seen.fetch_add(1);
      }
    }
  });
  auto finish = [&](absl::Status s) -> absl::Status {
    stop.store(true);
    consume.join();
    return s;
  };
  // Waits until `count` has reached `target`.
  auto await = [&](auto& count, auto target, const char* what) -> absl::Status {
    while (count.load() < target) {
      if (absl::Status s = error.Get(); !s.ok()) return s;
      if (SteadyClock::now() > deadline) {
        return absl::DeadlineExceededError(
            absl::StrCat("relay ", what, ": ", count.load(), " of ", target,
                         " records consumed within --timeout"));
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return absl::OkStatus();
  };

  // Warm-up: the group joins, every partition gets a fetcher going.
  const std::string warm_value = options.records[0].second;
  for (int i = 0; i < options.warmup; ++i) {
    absl::Status s = ProduceRetrying(**producer, options.topic,
                                     absl::StrCat(kWarmupPrefix, i), warm_value,
                                     static_cast<uint64_t>(n + i), deadline);
    if (!s.ok()) return finish(s);
  }
  if (absl::Status s = await(warmup_seen, options.warmup, "warm-up"); !s.ok()) {
    return finish(s);
  }

  // Throughput: records [0, m) as fast as the producer takes them; then
  // latency: records [m, n) at options.latency_rate.
  std::vector<SteadyTime> sent(n);
  SteadyTime paced_from;
  for (size_t i = 0; i < n; ++i) {
    if (i == m) {
      if (absl::Status s = await(timed_seen, m, "throughput"); !s.ok()) {
        return finish(s);
      }
      paced_from = SteadyClock::now();
    }
    if (i > m && options.latency_rate > 0) {
      std::this_thread::sleep_until(
          paced_from + std::chrono::nanoseconds(static_cast<int64_t>(
                           (i - m) * 1e9 / options.latency_rate)));
    }
    sent[i] = SteadyClock::now();
    absl::Status s =
        ProduceRetrying(**producer, options.topic, options.records[i].first,
                        options.records[i].second, i, deadline);
    if (!s.ok()) return finish(s);
  }
  if (absl::Status s = await(timed_seen, n, "latency"); !s.ok()) {
    return finish(s);
  }
  if (absl::Status s = finish(error.Get()); !s.ok()) return s;

  RelayResult result;
  result.mean_value_bytes = value_bytes / n;
  result.throughput_messages = m;
  SteadyTime last = sent[0];
  for (size_t i = 0; i < m; ++i) last = std::max(last, received[i]);
  result.wall = Since(sent[0], last);
  result.msgs_per_s = m / absl::ToDoubleSeconds(result.wall);
  result.latency_messages = n - m;
  result.latency_rate = options.latency_rate;
  std::vector<absl::Duration> latencies;
  latencies.reserve(n - m);
  for (size_t i = m; i < n; ++i)
    latencies.push_back(Since(sent[i], received[i]));
  result.latency = Summarize(std::move(latencies));
  return result;
}

}  // namespace caserelay::bench
