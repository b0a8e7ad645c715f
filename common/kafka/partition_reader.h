// Reading one partition of a topic by offset, outside any consumer group
// (manual assign): what a service needs to restore a partition's state from
// its changelog (common/store/partitioned_store.h) and to read a compacted
// topic whole. A seam (CONVENTIONS.md #8): tests use the librdkafka
// implementation against the in-process mock cluster, or a fake.
//
// Unlike Consumer (consumer.h), a record's value may be null (a tombstone
// of a compacted topic), which is not the same as an empty value.
//
// Thread safety: a PartitionReader is not thread-safe; one thread uses it.

#ifndef CASERELAY_COMMON_KAFKA_PARTITION_READER_H_
#define CASERELAY_COMMON_KAFKA_PARTITION_READER_H_

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

// One record read from a partition.
struct PartitionRecord {
  int64_t offset = -1;
  std::string key;
  std::optional<std::string> value;  // nullopt: a null value (tombstone)
};

// The offsets a partition holds now: [start, end).
struct Watermarks {
  int64_t start = 0;  // the oldest record still kept
  int64_t end = 0;    // the offset the next record will get
};

class PartitionReader {
 public:
  virtual ~PartitionReader() = default;

  // The partition's watermarks, asked of the broker: every record produced
  // before the call is below `end`. UNAVAILABLE (naming topic/partition)
  // when the broker does not answer within `timeout`; NOT_FOUND if the
  // topic or partition does not exist.
  virtual absl::StatusOr<Watermarks> Offsets(std::string_view topic,
                                             int32_t partition,
                                             absl::Duration timeout) = 0;

  // Calls `visit` for every record of topic/partition at offsets
  // [from, to), in offset order (records compacted away are skipped; a
  // `from` below the log start starts at the log start), until `visit`
  // returns non-OK (that status is returned) or the record before `to` was
  // visited (OK). UNAVAILABLE if no record arrives for `stall_timeout`
  // while some are still expected (the broker is down). REQUIRES: `to` is
  // at most the partition's end (Offsets()) when called.
  virtual absl::Status Read(
      std::string_view topic, int32_t partition, int64_t from, int64_t to,
      const std::function<absl::Status(const PartitionRecord&)>& visit,
      absl::Duration stall_timeout) = 0;
};

struct PartitionReaderOptions {
  // Comma-separated host:port list ("bootstrap.servers"). Required.
  std::string bootstrap;
  // "client.id"; librdkafka's default if empty.
  std::string client_id;
  // Raw librdkafka properties applied after ours (security settings).
  std::map<std::string, std::string> extra;
};

// A librdkafka KafkaConsumer used with assign() only: it joins no group
// and commits nothing. INVALID_ARGUMENT if bootstrap is empty or librdkafka
// refuses a property. It does not contact the broker.
absl::StatusOr<std::unique_ptr<PartitionReader>> CreateKafkaPartitionReader(
    const PartitionReaderOptions& options);

}  // namespace caserelay::kafka

#endif  // CASERELAY_COMMON_KAFKA_PARTITION_READER_H_
