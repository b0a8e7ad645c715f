// The identity of the Kafka cluster a service talks to (issue 23 item 1):
// offsets and confirmed deliveries count in one cluster's logs only.

#ifndef CASERELAY_COMMON_KAFKA_CLUSTER_ID_H_
#define CASERELAY_COMMON_KAFKA_CLUSTER_ID_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caserelay::kafka {

// The cluster id the cluster at `bootstrap` gives in its metadata (Apache
// Kafka: the KRaft/ZooKeeper cluster.id, a fresh UUID per cluster; the
// embedded broker: a new one at each start, see tools/devbroker/README.md).
// UNAVAILABLE if it does not answer within `timeout` or gives none;
// INVALID_ARGUMENT if bootstrap is empty or librdkafka refuses a property
// of `extra` (raw client properties, e.g. the security settings). Thread-
// safe (a client of its own).
absl::StatusOr<std::string> ClusterId(
    const std::string& bootstrap, absl::Duration timeout,
    const std::map<std::string, std::string>& extra = {});

}  // namespace caserelay::kafka

#endif  // CASERELAY_COMMON_KAFKA_CLUSTER_ID_H_
