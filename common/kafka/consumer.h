// The Kafka consumer seam (CONVENTIONS.md #8) and its librdkafka
// implementation. A service's instances form one consumer group and share
// the partitions of its input topics, but the offsets live in the service's
// own store, written in the same RocksDB WriteBatch as the state they
// produced (DESIGN.md "One recipe for consistency"): the consumer never
// commits to Kafka, and on every assignment it asks the store where to
// start each partition.
//
// Delivery is at-least-once and never skips: records handed out by Poll()
// but not yet recorded in the store come again after a rebalance or restart,
// so the caller de-duplicates (by stored offset or event id).

#ifndef CASERELAY_COMMON_KAFKA_CONSUMER_H_
#define CASERELAY_COMMON_KAFKA_CONSUMER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caserelay::kafka {

// One consumed record.
struct Message {
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
  std::string key;    // empty if the record has no key
  std::string value;  // empty if the record has no value
  // The record's Kafka timestamp; absl::InfinitePast() if it has none.
  absl::Time timestamp;
};

// Where to start a partition: the next offset to read (>= 0), or nullopt to
// start from the beginning of the partition.
using OffsetLookup = std::function<std::optional<int64_t>(
    const std::string& topic, int32_t partition)>;

struct ConsumerOptions {
  // Comma-separated host:port list ("bootstrap.servers"). Required.
  std::string bootstrap;
  // The consumer group ("group.id"); instances of one service share it.
  // Required.
  std::string group_id;
  // Topics to subscribe to. Required, each a legal topic name.
  std::vector<std::string> topics;
  // Raw librdkafka properties applied after ours, so they override them
  // (e.g. "session.timeout.ms"; "partition.assignment.strategy" may be
  // "cooperative-sticky", which is handled).
  std::map<std::string, std::string> extra;
};

// Reads records of the subscribed topics from the partitions currently
// assigned to this group member.
//
// Not thread-safe: Poll() and Close() must be called from one thread at a
// time. Assignment() may be called from any thread.
class Consumer {
 public:
  virtual ~Consumer() = default;

  // Waits up to `timeout` for records and returns up to `max_messages` of
  // them, in offset order within each partition; once one record has
  // arrived it returns what is already fetched without waiting further.
  // Returns an empty batch after `timeout` with nothing to read, and also
  // when a transient error (broker down, rebalance, topic not yet created)
  // got in the way: those are retried inside. Partition (re)assignment
  // happens inside Poll(), which is when the OffsetLookup runs.
  // Errors: INVALID_ARGUMENT if max_messages < 1; FAILED_PRECONDITION after
  // Close(); PERMISSION_DENIED on an authorization failure; INTERNAL on a
  // fatal client error or an assignment librdkafka refused.
  virtual absl::StatusOr<std::vector<Message>> Poll(int max_messages,
                                                    absl::Duration timeout) = 0;

  // The (topic, partition) pairs currently assigned to this member, sorted;
  // empty before the first assignment and after Close().
  virtual std::vector<std::pair<std::string, int32_t>> Assignment() = 0;

  // Leaves the group (its partitions move to the other members) and stops
  // fetching. Idempotent; the destructor calls it.
  virtual void Close() = 0;
};

// Creates a librdkafka consumer that subscribes to options.topics as a
// member of options.group_id with enable.auto.commit=false,
// enable.auto.offset.store=false, session.timeout.ms=6000,
// heartbeat.interval.ms=500 and auto.offset.reset=earliest (a stored offset
// beyond the log restarts the partition from its beginning; one before the
// log start resumes at the oldest record retained), then options.extra.
// On each assignment it starts every partition at lookup(topic, partition),
// or at its beginning for nullopt; `lookup` runs on the thread calling
// Poll() or Close(), inside them. It never commits offsets to Kafka.
// Returns INVALID_ARGUMENT if bootstrap, group_id or topics is empty, a
// topic name is illegal, `lookup` is empty, or librdkafka refuses a
// property (named in the message). It does not wait for the broker.
absl::StatusOr<std::unique_ptr<Consumer>> CreateKafkaConsumer(
    const ConsumerOptions& options, OffsetLookup lookup);

}  // namespace caserelay::kafka

#endif  // CASERELAY_COMMON_KAFKA_CONSUMER_H_
