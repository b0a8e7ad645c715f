// The parts RunServiceMain adds for a service with partitioned state
// (ServiceDefinition::partitioned; issue 19): the PartitionedStore, the
// owners map with its forwarder, the start-up check that the service's
// topics are co-partitioned, and the consumer settings of its loop.
//
// Thread safety: functions called from main() only.

#ifndef CASERELAY_COMMON_SERVICE_PARTITIONED_MAIN_H_
#define CASERELAY_COMMON_SERVICE_PARTITIONED_MAIN_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/config/config.h"
#include "common/kafka/consumer.h"
#include "common/metrics/metrics.h"
#include "common/rpc/forwarder.h"
#include "common/service/consume_loop.h"
#include "common/service/partition_owners.h"
#include "common/store/outbox_publisher.h"
#include "common/store/partitioned_store.h"

namespace caserelay::service {

// "<service>-changelog" and "<service>-owners".
std::string ChangelogTopic(const std::string& service);
std::string OwnersTopic(const std::string& service);

// The settings of partitioned services (also listed, unused, by the
// others): kafka.partitions, grpc.advertise, store.standby_replicas,
// cluster.tls_*.
std::vector<config::Setting> PartitionedSettings();

// OK when every topic of `topics` has kafka.partitions partitions on the
// broker; FAILED_PRECONDITION naming each topic's count otherwise
// (kafka::CheckCoPartitioned, and then the count against the setting).
// Waits for the topics as WaitForTopics does (UNAVAILABLE after `wait`).
absl::Status CheckPartitionCounts(
    const std::string& bootstrap, const std::vector<std::string>& topics,
    int32_t partitions, absl::Duration wait,
    const std::map<std::string, std::string>& kafka_props);

struct PartitionedParts {
  std::unique_ptr<store::PartitionedStore> store;
  std::unique_ptr<rpc::Forwarder> forwarder;
  std::unique_ptr<PartitionOwners> owners;
};

// What OpenPartitioned needs of RunServiceMain.
struct PartitionedInputs {
  const config::Config* cfg = nullptr;
  std::string service;
  std::vector<std::string> column_families;
  std::vector<std::string> local_column_families;
  std::string bootstrap;
  std::map<std::string, std::string> kafka_props;  // security
  std::string log_id;                              // kafka::LogId
  store::OutboxPublisher::ProducerFactory producer_factory;
  store::OutboxOptions outbox;
  metrics::Registry* metrics = nullptr;
};

// Opens the PartitionedStore at store.path (no partition held yet), the
// forwarder for auth.mode (cluster.* settings) and the owners map reading
// "<service>-owners" (its address is set later, PartitionOwners::Advertise).
// Errors: INVALID_ARGUMENT naming a setting (exit 2), the store's or
// Kafka's (exit 1).
absl::StatusOr<PartitionedParts> OpenPartitioned(const PartitionedInputs& in);

// The partitions to keep a warm copy of (setting store.standby_replicas,
// issue 19 item 3; PartitionedStore::SetStandby): for each held partition
// the next `replicas` partition numbers after it (mod `partitions`) that
// are not held, ascending, each once. Empty when `replicas` < 1.
std::vector<int32_t> StandbyPartitions(const std::vector<int32_t>& held,
                                       int32_t partitions, int64_t replicas);

// Where the loop's consumer starts each partition: the offsets stored in
// `single`, or (partitioned: `parts` not null) in the partition's own DB,
// read once it is restored (the consumer pauses it until then; a
// partition not held answers FAILED_PRECONDITION, retried).
kafka::PositionLookup StoredPositions(store::Store* single,
                                      store::PartitionedStore* parts);

// Sets `options`' partitions and its hooks: on_held publishes the owner
// record (PartitionOwners::Held), on_releasing the release; both move the
// warm copies (`standby_replicas`, StandbyPartitions). A failed publish is
// logged (other instances answer UNAVAILABLE for it meanwhile).
void SetPartitionHooks(const PartitionedParts& parts, int64_t standby_replicas,
                       ConsumeLoopOptions& options);

// The consumer settings of a partitioned loop: cooperative-sticky, new
// partitions paused until restored (consume_loop.h).
void PartitionedConsumer(kafka::ConsumerOptions& options);

}  // namespace caserelay::service

#endif  // CASERELAY_COMMON_SERVICE_PARTITIONED_MAIN_H_
