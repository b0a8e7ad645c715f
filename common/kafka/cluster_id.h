// The identity of the Kafka log a service talks to (issue 23 item 1):
// offsets and confirmed deliveries count in one log only, and a service
// that finds itself on another log reads it from the start and publishes
// again what it had confirmed in the old one.

#ifndef CASERELAY_COMMON_KAFKA_CLUSTER_ID_H_
#define CASERELAY_COMMON_KAFKA_CLUSTER_ID_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace caserelay::kafka {

// A topic named kLogMarkerPrefix + NAME names its cluster's log: the log
// id is then "<cluster id>/<NAME>". devbroker creates one with a random
// NAME at every start, because the embedded broker's own cluster id can
// repeat: librdkafka 2.0.2 derives it from two heap addresses, and under
// AddressSanitizer's allocator it was the same at every start, so a
// restarted local system could not tell its new log from the old one.
// An operator who rebuilds an Apache Kafka cluster under its old
// cluster.id can create such a topic to say the log is new. Without one
// (Apache Kafka as deployed) the log id is the cluster id alone, as before.
inline constexpr char kLogMarkerPrefix[] = "__caserelay.log.";

// The log id from a cluster id and the names of the cluster's topics: the
// cluster id, with "/NAME" when exactly one topic is a marker. Two or more
// markers: FAILED_PRECONDITION naming them (which log is meant cannot be
// told). An empty cluster id: UNAVAILABLE.
absl::StatusOr<std::string> LogIdOf(absl::string_view cluster_id,
                                    const std::vector<std::string>& topics);

// The log id of the cluster at `bootstrap` (LogIdOf of its metadata: the
// cluster id, Apache Kafka's KRaft/ZooKeeper cluster.id, and its topics).
// UNAVAILABLE if it does not answer within `timeout` or gives no cluster
// id; INVALID_ARGUMENT if bootstrap is empty or librdkafka refuses a
// property of `extra` (raw client properties, e.g. the security
// settings); LogIdOf's errors. Thread-safe (a client of its own).
absl::StatusOr<std::string> LogId(
    const std::string& bootstrap, absl::Duration timeout,
    const std::map<std::string, std::string>& extra = {});

}  // namespace caserelay::kafka

#endif  // CASERELAY_COMMON_KAFKA_CLUSTER_ID_H_
