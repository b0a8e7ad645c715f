// Start-up helper: wait until the Kafka cluster answers and has the topics
// a service needs, so a service started before its broker waits instead of
// failing (CONVENTIONS.md #5: the network is survived, not fatal).

#ifndef CASERELAY_COMMON_KAFKA_WAIT_FOR_TOPICS_H_
#define CASERELAY_COMMON_KAFKA_WAIT_FOR_TOPICS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caserelay::kafka {

// Asks the cluster at `bootstrap` for its metadata, again and again, until
// every topic in `topics` exists with at least one partition and no error.
// It never creates topics. Returns OK then; UNAVAILABLE naming `bootstrap`
// and the topics still missing if `timeout` passes first; INVALID_ARGUMENT
// if bootstrap is empty, a topic name is illegal or librdkafka refuses a
// property of `extra` (raw librdkafka properties, e.g. the security
// settings, applied after bootstrap.servers).
// Thread-safe (it uses a client of its own).
absl::Status WaitForTopics(const std::string& bootstrap,
                           const std::vector<std::string>& topics,
                           absl::Duration timeout,
                           const std::map<std::string, std::string>& extra = {});

// WaitForTopics, answering each topic's partition count once all exist
// (issue 19: a partitioned service checks its topics are co-partitioned,
// kafka::CheckCoPartitioned). Errors as WaitForTopics.
absl::StatusOr<std::map<std::string, int32_t>> WaitForTopicPartitions(
    const std::string& bootstrap, const std::vector<std::string>& topics,
    absl::Duration timeout,
    const std::map<std::string, std::string>& extra = {});

}  // namespace caserelay::kafka

#endif  // CASERELAY_COMMON_KAFKA_WAIT_FOR_TOPICS_H_
