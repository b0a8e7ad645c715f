// One partition function for every per-case topic (issue 19 item 1; the
// team's contract, item 1: "co-partitioned topics").
//
// Every per-case topic (petitions, case-events, supervision-events,
// notification-events and the services' changelogs) has the same partition
// count (setting kafka.partitions, default 8; devbroker's default is 8) and
// is keyed by case id; producers use partitioner=murmur2_random. So a case
// lives in partition PartitionOf(case_id, partitions) on every topic, and
// one instance that owns partition p of its input owns every record of
// those cases, and their state.
//
// Thread safety: the functions here are pure and thread-safe.

#ifndef CASERELAY_COMMON_KAFKA_PARTITIONING_H_
#define CASERELAY_COMMON_KAFKA_PARTITIONING_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace caserelay::kafka {

// The partition a record keyed `key` goes to among `partitions`, exactly as
// librdkafka's rd_kafka_msg_partitioner_murmur2 (and murmur2_random for a
// non-empty key) and the Java client's default partitioner place it:
// (murmur2(key) & 0x7fffffff) % partitions, murmur2 with seed 0x9747b28c.
// REQUIRES: partitions >= 1 (fails fast otherwise). An empty key is hashed
// like any other (librdkafka's murmur2_random would pick a random
// partition for it: callers never produce per-case records without a key).
int32_t PartitionOf(std::string_view key, int32_t partitions);

// Murmur2 of `key` as the Java client computes it (a signed 32-bit value).
int32_t Murmur2(std::string_view key);

// OK if every topic of `counts` (topic -> its partition count, as the broker
// reported it) has the same count, so that a case lives in one partition
// number on all of them; FAILED_PRECONDITION otherwise, naming every topic
// and its count ("topics are not co-partitioned: case-events has 8
// partitions, petitions has 4; ..."). A service calls it at start and
// refuses to start on an error. OK for an empty map.
absl::Status CheckCoPartitioned(const std::map<std::string, int32_t>& counts);

}  // namespace caserelay::kafka

#endif  // CASERELAY_COMMON_KAFKA_PARTITIONING_H_
