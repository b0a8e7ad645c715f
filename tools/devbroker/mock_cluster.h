// MockCluster: librdkafka's in-process mock Kafka cluster (模拟 Kafka 集群),
// the embedded broker of local runs and tests (DESIGN.md "Kafka, here and in
// production", PLATFORM-NOTES.md "librdkafka's mock cluster").
//
// The brokers listen on ephemeral loopback ports (librdkafka has no API for a
// fixed port); bootstrap_servers() is the only way to learn them.
#ifndef CASERELAY_TOOLS_DEVBROKER_MOCK_CLUSTER_H_
#define CASERELAY_TOOLS_DEVBROKER_MOCK_CLUSTER_H_

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <netinet/in.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace caserelay::devbroker {

// A topic to create at start-up.
struct TopicSpec {
  std::string name;
  int partitions = 0;
};

struct ClusterOptions {
  // Number of brokers; their ids are 1..brokers.
  int brokers = 1;
  // Created with replication factor min(3, brokers).
  std::vector<TopicSpec> topics;
  // When set (one broker only), the broker listens on and advertises this
  // address instead of an ephemeral loopback port (broker_listen.h).
  std::optional<sockaddr_in> broker_listen;
};

// What the control channel reports for one broker.
struct BrokerState {
  int32_t id = 0;
  bool up = true;
  int rtt_ms = 0;
};

// Broker id meaning "every broker" for the SetBroker* methods.
inline constexpr int32_t kAllBrokers = -1;

// Owns a bookkeeping rd_kafka_t and the mock cluster hosted on it; the
// brokers run on librdkafka's own threads until the object is destroyed.
//
// Not thread-safe: call from one thread (the devbroker main loop). The
// brokers themselves serve any number of client processes concurrently.
class MockCluster {
 public:
  // Starts options.brokers brokers and creates options.topics.
  // Returns the running cluster; INVALID_ARGUMENT if the broker count is
  // below 1 or a topic has fewer than 1 partition; INTERNAL if librdkafka
  // cannot create the handle, the cluster or a topic (nothing is left
  // running in that case); with broker_listen, INVALID_ARGUMENT for more
  // than one broker and UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<MockCluster>> Create(
      const ClusterOptions& options);

  // Stops the brokers; connected clients see their connections drop.
  ~MockCluster();

  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  // "127.0.0.1:PORT,127.0.0.1:PORT,...", one entry per broker.
  const std::string& bootstrap_servers() const { return bootstrap_servers_; }

  int broker_count() const { return static_cast<int>(brokers_.size()); }

  // The topics created at start-up, in creation order (without the log
  // marker below).
  const std::vector<TopicSpec>& topics() const { return topics_; }

  // This start's log name, 32 random hex digits: the cluster also has the
  // topic kafka::kLogMarkerPrefix + log_name() (common/kafka/cluster_id.h),
  // so the services see a new log at every start.
  const std::string& log_name() const { return log_name_; }

  // Ids, up/down state and RTT of every broker, ordered by id.
  const std::vector<BrokerState>& brokers() const { return brokers_; }

  // Disconnects broker_id (or kAllBrokers) and refuses new connections.
  // Partition leadership does not move, so the partitions it leads stall
  // until SetBrokerUp. Returns OK; NOT_FOUND for an unknown broker id;
  // INTERNAL if librdkafka refuses.
  absl::Status SetBrokerDown(int32_t broker_id);

  // Lets broker_id (or kAllBrokers) accept connections again. Same errors
  // as SetBrokerDown.
  absl::Status SetBrokerUp(int32_t broker_id);

  // Delays every response of broker_id (or kAllBrokers) by rtt_ms.
  // Returns OK; INVALID_ARGUMENT if rtt_ms < 0; NOT_FOUND for an unknown
  // broker id; INTERNAL if librdkafka refuses.
  absl::Status SetBrokerRtt(int32_t broker_id, int rtt_ms);

  // Makes broker_id the leader of topic/partition; clients follow on their
  // next metadata refresh. Returns OK; NOT_FOUND for a topic not created at
  // start-up or an unknown broker id (kAllBrokers included); INVALID_ARGUMENT
  // for a partition outside the topic; INTERNAL if librdkafka refuses.
  absl::Status SetPartitionLeader(const std::string& topic, int32_t partition,
                                  int32_t broker_id);

  // The next `count` requests of Kafka protocol type `api_key` (e.g. 0 =
  // Produce) to any broker fail with `error`. Returns OK; INVALID_ARGUMENT
  // if count < 1 or api_key < 0.
  absl::Status PushRequestErrors(int16_t api_key, int count,
                                 rd_kafka_resp_err_t error);

  // Drops the queued errors of PushRequestErrors for api_key.
  // Returns OK; INVALID_ARGUMENT if api_key < 0.
  absl::Status ClearRequestErrors(int16_t api_key);

  // Metadata requests for `topic` answer with `error` from now on;
  // RD_KAFKA_RESP_ERR_NO_ERROR clears it. Returns OK; NOT_FOUND if the topic
  // was not created at start-up.
  absl::Status SetTopicError(const std::string& topic,
                             rd_kafka_resp_err_t error);

 private:
  MockCluster(rd_kafka_t* handle, rd_kafka_mock_cluster_t* cluster,
              std::vector<TopicSpec> topics);

  // OK if broker_id is kAllBrokers or 1..broker_count(), else NOT_FOUND.
  absl::Status CheckBrokerId(int32_t broker_id) const;

  // The spec of a topic created at start-up, or nullptr.
  const TopicSpec* FindTopic(const std::string& name) const;

  // Const after construction.
  rd_kafka_t* const handle_;
  rd_kafka_mock_cluster_t* const cluster_;
  const std::string bootstrap_servers_;
  const std::vector<TopicSpec> topics_;
  std::string log_name_;  // set once by Create

  // Our record of what we asked librdkafka for: the mock API cannot be
  // queried for a broker's state.
  std::vector<BrokerState> brokers_;
};

}  // namespace caserelay::devbroker

#endif  // CASERELAY_TOOLS_DEVBROKER_MOCK_CLUSTER_H_
