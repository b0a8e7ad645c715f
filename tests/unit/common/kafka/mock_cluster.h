// Test helpers for common/kafka: an in-process librdkafka mock cluster (the
// embedded broker of DESIGN.md "Kafka, here and in production") and the
// Java client's murmur2 key hash, the reference for partition placement.

#ifndef CASERELAY_TESTS_UNIT_COMMON_KAFKA_MOCK_CLUSTER_H_
#define CASERELAY_TESTS_UNIT_COMMON_KAFKA_MOCK_CLUSTER_H_

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace caserelay::kafka::testing {

// Owns a mock cluster of `brokers` brokers (ids 1..brokers) on loopback,
// hosted by a bookkeeping rd_kafka_t. Not copyable. Aborts the test binary
// if librdkafka cannot create it (nothing else would work either).
class MockCluster {
 public:
  explicit MockCluster(int brokers);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  // "host:port,..." for bootstrap.servers.
  std::string bootstrap() const;
  // Returns librdkafka's error code (RD_KAFKA_RESP_ERR_NO_ERROR on success).
  rd_kafka_resp_err_t CreateTopic(const std::string& topic, int partitions);
  rd_kafka_resp_err_t SetBrokerDown(int32_t broker_id);
  rd_kafka_resp_err_t SetBrokerUp(int32_t broker_id);
  rd_kafka_mock_cluster_t* raw() { return cluster_; }

 private:
  rd_kafka_t* handle_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

// org.apache.kafka.common.utils.Utils.murmur2, as a signed 32-bit value.
int32_t JavaMurmur2(std::string_view key);

// The Java client's default partition for a keyed record:
// toPositive(murmur2(key)) % partitions.
int32_t JavaPartition(std::string_view key, int32_t partitions);

}  // namespace caserelay::kafka::testing

#endif  // CASERELAY_TESTS_UNIT_COMMON_KAFKA_MOCK_CLUSTER_H_
