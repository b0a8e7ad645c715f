// The ceiling: the raw librdkafka relay (produce -> consume) that every hop
// of the pipeline is built on, measured on a devbroker of its own with the
// client settings the services use (common/service/service_main.cc).
#ifndef CASERELAY_BENCH_PIPELINE_RELAY_H_
#define CASERELAY_BENCH_PIPELINE_RELAY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/pipeline/stats.h"
#include "bench/pipeline/workload.h"
#include "tests/integration/harness.h"

namespace caserelay::bench {

// A devbroker process (tools/devbroker) with one broker and one topic,
// `relay`, of 8 partitions (the partition count of the system's topics).
// Stopped with SIGTERM and reaped when destroyed (SIGKILL if it does not
// stop in 10 s); dies with this process.
// Thread safety: not thread-safe; one thread owns it.
class RelayBroker {
 public:
  static constexpr const char* kTopic = "relay";

  // Starts the broker and waits up to 20 s for its bootstrap address.
  // Returns UNAVAILABLE (with the log's tail) if it exited first,
  // DEADLINE_EXCEEDED if it did not come up in time, INTERNAL if the
  // process could not be started.
  static absl::StatusOr<std::unique_ptr<RelayBroker>> Start();
  ~RelayBroker();

  const std::string& bootstrap() const { return bootstrap_; }

 private:
  RelayBroker() = default;

  // Declared first so it is removed after the process has stopped.
  caserelay::testing::TempDir dir_;
  std::unique_ptr<caserelay::testing::Process> process_;
  std::string bootstrap_;
};

struct RelayOptions {
  // The cluster and topic to relay through. Required.
  std::string bootstrap;
  std::string topic = RelayBroker::kTopic;
  // Every record of both timed phases, keys unique: the first
  // `throughput_records` for the throughput phase, the rest for the
  // latency phase.
  std::vector<Record> records;
  size_t throughput_records = 0;
  // The latency phase produces its records at this rate (records/s);
  // 0 = as fast as the producer takes them.
  double latency_rate = 0;
  // Records produced, and consumed, before timing starts (warms the
  // connections, the producer id and every partition's fetcher).
  int warmup = 64;
  // Limit for the whole run (group join, warm-up and both phases).
  absl::Duration timeout = absl::Seconds(120);
  // The client settings a latency lever would change, for trying it on
  // the ceiling first: the producer's linger.ms and the consumer's
  // fetch.wait.max.ms (the services': 5 and 10).
  int linger_ms = 5;
  int fetch_wait_ms = 10;
};

struct RelayResult {
  double mean_value_bytes = 0;
  // Throughput phase: records produced back to back; first Produce() call
  // to the last record handed out by Poll().
  size_t throughput_messages = 0;
  absl::Duration wall;
  double msgs_per_s = 0;
  // Latency phase: per record, its Produce() call to Poll() returning it.
  size_t latency_messages = 0;
  double latency_rate = 0;
  LatencySummary latency;
  // CPU seconds of the whole relay run (both phases and the warm-up): this
  // process's producer and consumer and the relay's devbroker (cpu.h);
  // set by the caller, which measures around RunRelay.
  double cpu_seconds = 0;
};

// One producer (CreateKafkaProducer: idempotent, acks=all, linger.ms=5,
// connections up front) and one consumer (CreateKafkaConsumer, its own
// group, fetch.wait.max.ms=10, read_uncommitted) in this process, a second
// thread consuming: joins the group, relays options.warmup records and
// waits for them; then the throughput phase (its records produced as fast
// as the producer takes them, waited for); then the latency phase (the
// rest, paced at options.latency_rate).
// Returns the figures; INVALID_ARGUMENT if either phase has no records or
// keys repeat; UNAVAILABLE if the topic does not appear; the error of a
// failed delivery or poll; DEADLINE_EXCEEDED (with the count received) if
// not every record arrives within options.timeout.
absl::StatusOr<RelayResult> RunRelay(const RelayOptions& options);

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_PIPELINE_RELAY_H_
