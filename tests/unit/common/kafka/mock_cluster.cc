#include "tests/unit/common/kafka/mock_cluster.h"

#include <cstdio>
#include <cstdlib>

namespace caserelay::kafka::testing {

MockCluster::MockCluster(int brokers) {
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // The bookkeeping handle never connects anywhere; keep it quiet.
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr));
  handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (handle_ == nullptr) {
    std::fprintf(stderr, "MockCluster: rd_kafka_new: %s\n", errstr);
    std::abort();
  }
  cluster_ = rd_kafka_mock_cluster_new(handle_, brokers);
  if (cluster_ == nullptr) {
    std::fprintf(stderr, "MockCluster: rd_kafka_mock_cluster_new failed\n");
    std::abort();
  }
}

MockCluster::~MockCluster() {
  rd_kafka_mock_cluster_destroy(cluster_);
  rd_kafka_destroy(handle_);
}

std::string MockCluster::bootstrap() const {
  return rd_kafka_mock_cluster_bootstraps(cluster_);
}

rd_kafka_resp_err_t MockCluster::CreateTopic(const std::string& topic,
                                             int partitions) {
  return rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions,
                                    /*replication_factor=*/1);
}

rd_kafka_resp_err_t MockCluster::SetBrokerDown(int32_t broker_id) {
  return rd_kafka_mock_broker_set_down(cluster_, broker_id);
}

rd_kafka_resp_err_t MockCluster::SetBrokerUp(int32_t broker_id) {
  return rd_kafka_mock_broker_set_up(cluster_, broker_id);
}

int32_t JavaMurmur2(std::string_view key) {
  // Unsigned arithmetic wraps like Java's int; >>> is a logical shift.
  const uint32_t m = 0x5bd1e995;
  const int r = 24;
  const auto* data = reinterpret_cast<const unsigned char*>(key.data());
  const uint32_t length = static_cast<uint32_t>(key.size());
  uint32_t h = 0x9747b28c ^ length;
  for (uint32_t i = 0; i + 4 <= length; i += 4) {
    uint32_t k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) |
                 (static_cast<uint32_t>(data[i + 3]) << 24);
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  const uint32_t tail = length & ~3u;
  switch (length % 4) {
    case 3:
      h ^= static_cast<uint32_t>(data[tail + 2]) << 16;
      [[fallthrough]];
    case 2:
      h ^= static_cast<uint32_t>(data[tail + 1]) << 8;
      [[fallthrough]];
    case 1:
      h ^= data[tail];
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return static_cast<int32_t>(h);
}

int32_t JavaPartition(std::string_view key, int32_t partitions) {
  return (JavaMurmur2(key) & 0x7fffffff) % partitions;
}

}  // namespace caserelay::kafka::testing
