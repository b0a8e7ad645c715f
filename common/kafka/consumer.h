// The Kafka consumer seam (CONVENTIONS.md #8) and its librdkafka
// implementation. A service's instances form one consumer group and share
// the partitions of its input topics, but the offsets live in the service's
// own store, written in the same RocksDB WriteBatch as the state they
// produced (DESIGN.md "One recipe for consistency"): the consumer never
// commits to Kafka, and on every assignment it asks the store where to
// start each partition.
//
// Delivery is at-least-once: records handed out by Poll() but not yet
// recorded in the store come again after a rebalance or restart, so the
// caller de-duplicates (by stored offset or event id).
//
// A stored offset counts in one log (issue 23 item 1). The consumer never
// lets Kafka move a partition silently: it sets auto.offset.reset=error and
// decides itself, and every move away from the stored offset is reported
// as a PositionReset (TakeResets) before any record read after it:
//   - the stored position names another log (another log id,
//     cluster_id.h: a new cluster, or the embedded broker started again), or the stored offset
//     lies beyond the end of the log (the topic was deleted and recreated,
//     or truncated): kNewLog, read from the beginning of the log;
//   - the stored offset lies before the start of the log (retention
//     deleted records never read): kSkippedUnread, read from the start of
//     the log; the records in between are lost to this reader.
// librdkafka 2.0.2 does not expose topic ids, so a topic recreated on the
// same cluster is recognised only once its log is shorter than the stored
// offset.

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

// Where the caller's store left a partition: the next offset to read and
// the log it counts in (the log id, cluster_id.h, seen when it was stored; empty:
// unknown, taken as the current log).
struct Position {
  int64_t next_offset = 0;
  std::string log_id;
};

// The stored position of a partition; nullopt for none (start from the
// beginning). A non-OK status (the store cannot be read) keeps the
// partition unassigned; the lookup is retried on the next Poll().
using PositionLookup =
    std::function<absl::StatusOr<std::optional<Position>>(
        const std::string& topic, int32_t partition)>;

// A partition moved away from its stored position (see the file comment).
struct PositionReset {
  enum class Kind {
    kNewLog,         // another log than the stored offset counts in
    kSkippedUnread,  // records before the log start were never read
  };
  Kind kind = Kind::kNewLog;
  std::string topic;
  int32_t partition = -1;
  // The position as stored.
  int64_t stored_offset = 0;
  std::string stored_log_id;
  // Every record at or after `resumed_at` in log `log_id` is unread; for
  // kSkippedUnread, [stored_offset, resumed_at) is what was lost.
  int64_t resumed_at = 0;
  std::string log_id;
};

// "new log" or "skipped unread", for logs and metric labels.
const char* ResetKindName(PositionReset::Kind kind);

// One (topic, partition).
using TopicPartition = std::pair<std::string, int32_t>;

// Told of this member's partitions changing hands (issue 19 item 3), on
// the thread calling Poll() or Close(), inside them.
class RebalanceListener {
 public:
  virtual ~RebalanceListener() = default;
  // `partitions` were assigned to this member. With
  // ConsumerOptions::pause_assigned they are not fetched until Resume().
  virtual void Assigned(const std::vector<TopicPartition>& partitions) = 0;
  // `partitions` are being taken away: called before they are given up,
  // so no other member reads them until this returns (with the
  // cooperative protocol the group waits for it). Records of them polled
  // but not yet handed out are dropped (the next owner reads them again
  // from the stored offsets).
  virtual void Revoking(const std::vector<TopicPartition>& partitions) = 0;
};

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
  // Issue 19 (a read model as replicas, services/statistics): read every
  // partition of `topics` by explicit assignment instead of joining
  // group_id (which librdkafka still needs as a name; nothing joins it and
  // nothing is committed). Each such consumer reads the whole of its
  // topics, whatever other instances do. The partitions are learnt from
  // the broker's metadata at the first Poll() (retried by each Poll()
  // until the broker names every topic) and started from their stored
  // positions as a group's assignment would be; partitions added to a
  // topic later are not read until the consumer is made again. Not with
  // pause_assigned (INVALID_ARGUMENT).
  bool assign_all = false;
  // Issue 19 item 3: a newly assigned partition stays paused (nothing is
  // fetched and its stored position is not looked up) until Resume(): the
  // caller restores the partition's state first, and only then is its
  // stored position read. Requires extra["partition.assignment.strategy"]
  // = "cooperative-sticky" (INVALID_ARGUMENT otherwise).
  bool pause_assigned = false;
  // Told of assignments and revocations; not owned, must outlive the
  // consumer. May be set later with SetRebalanceListener. Null: nobody.
  RebalanceListener* listener = nullptr;
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
  // empty before the first assignment and after Close(). Partitions paused
  // until Resume() (pause_assigned) are included.
  virtual std::vector<std::pair<std::string, int32_t>> Assignment() = 0;

  // Starts fetching `partitions`, paused since their assignment
  // (ConsumerOptions::pause_assigned), each from its stored position (the
  // lookup runs now). Partitions not paused (no longer assigned, or
  // resumed already) are skipped. The lookup's or librdkafka's error
  // leaves the partition waiting: the next Poll() retries it. Call from the
  // thread that polls. Default: OK (a consumer that never pauses).
  virtual absl::Status Resume(const std::vector<TopicPartition>& /*partitions*/) {
    return absl::OkStatus();
  }

  // Replaces ConsumerOptions::listener (null: nobody). Call before the
  // first Poll(), from the thread that polls. Default: ignored.
  virtual void SetRebalanceListener(RebalanceListener* /*listener*/) {}

  // The position resets decided since the last call, oldest first. Call it
  // after each Poll(): a reset is reported by the Poll() that made it,
  // before (or with) the first record read at the new position.
  // Default: none.
  virtual std::vector<PositionReset> TakeResets() { return {}; }

  // The end offset (the offset the next record will get) of each partition
  // assigned now, asked of the broker: every record produced before the
  // call is below it. Empty before the first assignment. UNAVAILABLE
  // (naming the partition) when the broker does not answer them all within
  // `timeout` (the whole call's budget, however many partitions). Default:
  // UNIMPLEMENTED (a consumer that cannot tell).
  virtual absl::StatusOr<std::map<std::pair<std::string, int32_t>, int64_t>>
  EndOffsets(absl::Duration /*timeout*/) {
    return absl::UnimplementedError("this consumer has no end offsets");
  }

  // The identity of the log being read (LogIdOf, cluster_id.h); empty until
  // the first assignment or if the broker gives none. Store it beside the
  // offsets (Position::log_id). Default: empty.
  virtual std::string LogId() { return ""; }

  // Leaves the group (its partitions move to the other members) and stops
  // fetching. Idempotent; the destructor calls it.
  virtual void Close() = 0;
};

// Creates a librdkafka consumer that subscribes to options.topics as a
// member of options.group_id with enable.auto.commit=false,
// enable.auto.offset.store=false, session.timeout.ms=6000,
// heartbeat.interval.ms=500 and auto.offset.reset=error (the consumer
// decides and reports every reset, see the file comment), then
// options.extra. On each assignment it starts every partition at its
// stored position from `lookup`, or at its beginning for nullopt or a
// position in another log; `lookup` runs on the thread calling Poll() or
// Close(), inside them. It never commits offsets to Kafka.
// Returns INVALID_ARGUMENT if bootstrap, group_id or topics is empty, a
// topic name is illegal, `lookup` is empty, or librdkafka refuses a
// property (named in the message). It does not wait for the broker.
absl::StatusOr<std::unique_ptr<Consumer>> CreateKafkaConsumerWithPositions(
    const ConsumerOptions& options, PositionLookup lookup);

// The same with offsets alone (no log identity, no store errors): for
// tools and tests that keep their positions in memory.
absl::StatusOr<std::unique_ptr<Consumer>> CreateKafkaConsumer(
    const ConsumerOptions& options, OffsetLookup lookup);

}  // namespace caserelay::kafka

#endif  // CASERELAY_COMMON_KAFKA_CONSUMER_H_
