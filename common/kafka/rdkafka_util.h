// Helpers shared by the librdkafka implementations of common/kafka: turning
// librdkafka error codes into absl::Status, checking topic names, and
// applying option maps to an RdKafka::Conf. Not part of the module's public
// API; services include producer.h, consumer.h and wait_for_topics.h.
//
// Thread-safety: every function here is stateless and thread-safe.
// Note: Debian's abseil is built with its own absl::string_view (not an alias
// of std::string_view), hence AsAbsl() for the public std::string_view API.

#ifndef CASERELAY_COMMON_KAFKA_RDKAFKA_UTIL_H_
#define CASERELAY_COMMON_KAFKA_RDKAFKA_UTIL_H_

#include <librdkafka/rdkafkacpp.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace caserelay::kafka {

inline absl::string_view AsAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// Returns OK for ERR_NO_ERROR, otherwise the most specific canonical code for
// `err` with a message "<context>: <librdkafka error name>: <description>".
// Codes: timeouts -> DEADLINE_EXCEEDED; purged records -> CANCELLED; full
// queues, transport and broker/leader availability errors -> UNAVAILABLE;
// unknown topic or partition -> NOT_FOUND; authorization -> PERMISSION_DENIED;
// malformed or oversized input -> INVALID_ARGUMENT; fatal client errors ->
// INTERNAL; anything else -> UNKNOWN.
absl::Status ErrorToStatus(RdKafka::ErrorCode err, absl::string_view context);

// Returns OK if `topic` is a legal Kafka topic name (1..249 characters of
// [A-Za-z0-9._-], not "." or ".."), else INVALID_ARGUMENT naming `field`.
absl::Status ValidateTopicName(absl::string_view topic,
                               absl::string_view field);

// Sets each name=value of `props` on `conf`. Returns INVALID_ARGUMENT naming
// the property and librdkafka's reason for the first one it refuses (the
// earlier ones stay set). REQUIRES: conf != nullptr.
absl::Status ApplyProperties(const std::map<std::string, std::string>& props,
                             RdKafka::Conf* conf);

// Returns a client for metadata requests (a producer handle, the lightest
// client that can ask for metadata) on `bootstrap` with the properties of
// `extra` (security settings). INVALID_ARGUMENT, prefixed with `who`, when
// bootstrap is empty, a property is refused or the handle cannot be made.
absl::StatusOr<std::unique_ptr<RdKafka::Producer>> MetadataClient(
    const std::string& bootstrap,
    const std::map<std::string, std::string>& extra, absl::string_view who);

// The log id (cluster_id.h) of the cluster `client` is connected to:
// its cluster id and its topics' names through LogIdOf. UNAVAILABLE
// without a cluster id within `timeout_ms`; the metadata request's error
// (ErrorToStatus); LogIdOf's errors. Defined in cluster_id.cc.
absl::StatusOr<std::string> LogIdOfClient(RdKafka::Handle& client,
                                          int timeout_ms);

// A partition of a topic, and an offset of each.
using PartitionOffsets = std::map<std::pair<std::string, int32_t>, int64_t>;

// Which end of a partition ListOffsets asks for (Kafka's ListOffsets
// timestamps -2 and -1).
enum class LogEnd : int64_t { kEarliest = -2, kLatest = -1 };

// The first offset (kEarliest) or the offset the next record will get
// (kLatest) of each of `partitions`, in one ListOffsets round within
// `timeout`. Use it instead of query_watermark_offsets: in librdkafka 2.0
// (Debian 12) that call ignores its timeout and waits forever while the
// partition's broker is down (fixed upstream in 2.3.0, #4460), which kept a
// loop's thread, and a SIGTERM waiting for it, for as long as the outage.
// Errors: DEADLINE_EXCEEDED or UNAVAILABLE (ErrorToStatus) naming `context`
// and the first partition that failed.
absl::StatusOr<PartitionOffsets> ListOffsets(
    RdKafka::Handle& client,
    const std::vector<std::pair<std::string, int32_t>>& partitions,
    LogEnd end, absl::Duration timeout, absl::string_view context);

}  // namespace caserelay::kafka

#endif  // CASERELAY_COMMON_KAFKA_RDKAFKA_UTIL_H_
