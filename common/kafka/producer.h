// The Kafka producer seam (CONVENTIONS.md #8) and its librdkafka
// implementation. Services publish their outbox through a Producer and
// delete an outbox entry only when its delivery report says OK (DESIGN.md
// "One recipe for consistency", step 4); tests may substitute a fake.
//
// A record is identified by a caller-chosen `token` (typically the outbox
// entry's sequence number) that comes back in its DeliveryReport.

#ifndef CASERELAY_COMMON_KAFKA_PRODUCER_H_
#define CASERELAY_COMMON_KAFKA_PRODUCER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caserelay::kafka {

// The final outcome of one Produce() call.
struct DeliveryReport {
  uint64_t token = 0;      // as passed to Produce()
  std::string topic;       // as passed to Produce()
  int32_t partition = -1;  // -1 if the record never got a partition
  int64_t offset = -1;     // the record's offset; -1 unless status is OK
  // OK: the record is durably written (acks=all). Otherwise the record was
  // not (or not knowably) written and the caller should publish it again:
  // DEADLINE_EXCEEDED (message.timeout.ms ran out), CANCELLED (the producer
  // was destroyed first), PERMISSION_DENIED, NOT_FOUND (topic),
  // INVALID_ARGUMENT (e.g. too large), INTERNAL (fatal idempotence error: the
  // producer is unusable and must be re-created; once it is fatal, every
  // record it still reports comes as INTERNAL), UNKNOWN.
  absl::Status status;
};

struct ProducerOptions {
  // Comma-separated host:port list ("bootstrap.servers"). Required.
  std::string bootstrap;
  // "client.id"; librdkafka's default if empty.
  std::string client_id;
  // Raw librdkafka properties applied after ours, so they override them;
  // e.g. {"message.timeout.ms", "0"} makes librdkafka retry forever.
  std::map<std::string, std::string> extra;
  // How long the destructor waits for outstanding records to be reported
  // before it gives up on them (they are reported CANCELLED).
  absl::Duration close_timeout = absl::Seconds(10);
};

// One record for Producer::ProduceRecord (views into the caller's bytes,
// copied before the call returns).
struct ProducerRecord {
  std::string_view topic;
  // The partition to write; -1: by key (the murmur2 partitioner).
  int32_t partition = -1;
  std::string_view key;  // empty: no key
  // nullopt: a null value (a tombstone of a compacted topic), which is not
  // the same as an empty value.
  std::optional<std::string_view> value;
};

// Publishes keyed records to Kafka.
//
// Thread-safe: Produce() and Flush() may be called from any thread.
class Producer {
 public:
  virtual ~Producer() = default;

  // Queues one record for `topic`; `key` picks the partition (records with
  // one key go to one partition, in Produce() order); an empty key means no
  // key (a random partition). Returns OK when queued: exactly one
  // DeliveryReport carrying `token` follows later on the delivery callback.
  // On error no report follows: UNAVAILABLE if the local queue is full (the
  // caller retries later), INVALID_ARGUMENT if `topic` is not a legal topic
  // name or the record is too large, NOT_FOUND if the topic is known not to
  // exist, INTERNAL if the producer hit a fatal error.
  virtual absl::Status Produce(std::string_view topic, std::string_view key,
                               std::string_view value, uint64_t token) = 0;

  // Like Produce(), for a record that may name its partition and may have
  // a null value (issue 19 item 2: the changelog). Also NOT_FOUND if the
  // partition is known not to exist. The default handles only records by
  // key with a value (it calls Produce()); for any other it returns
  // UNIMPLEMENTED ("this producer cannot ..."), and no report follows.
  virtual absl::Status ProduceRecord(const ProducerRecord& record,
                                     uint64_t token);

  // Waits up to `timeout` until every record queued so far (including any
  // queued concurrently) has had its delivery callback return. Returns OK
  // then, DEADLINE_EXCEEDED if some remain unreported.
  // REQUIRES: not called from the delivery callback (it would wait for
  // itself).
  virtual absl::Status Flush(absl::Duration timeout) = 0;
};

// Receives every delivery report. For CreateKafkaProducer() it runs on the
// producer's own polling thread, one report at a time; it must not block for
// long and must not call Flush() or destroy the producer. It may call
// Produce() (e.g. to retry).
using DeliveryCallback = std::function<void(const DeliveryReport&)>;

// Creates a librdkafka producer: enable.idempotence=true, acks=all,
// linger.ms=5, partitioner=murmur2_random (keys map to the same partitions
// as the Java client's default partitioner), then `options.extra`. Transient
// broker errors are retried inside librdkafka until message.timeout.ms
// (librdkafka's default unless set in `extra`; 0 = forever). A background
// thread polls for delivery reports and calls `on_delivery`.
// The destructor waits up to options.close_timeout for outstanding reports,
// reports what remains as CANCELLED, then stops the thread.
// Returns INVALID_ARGUMENT if options.bootstrap is empty, on_delivery is
// empty, or librdkafka refuses a property (named in the message). It does
// not contact the broker (see WaitForTopics()).
absl::StatusOr<std::unique_ptr<Producer>> CreateKafkaProducer(
    const ProducerOptions& options, DeliveryCallback on_delivery);

}  // namespace caserelay::kafka

#endif  // CASERELAY_COMMON_KAFKA_PRODUCER_H_
