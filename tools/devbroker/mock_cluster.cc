#include "tools/devbroker/mock_cluster.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/kafka/cluster_id.h"
#include "tools/devbroker/broker_listen.h"

namespace caserelay::devbroker {
namespace {

absl::Status FromKafka(rd_kafka_resp_err_t err, const std::string& what) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return absl::OkStatus();
  if (err == RD_KAFKA_RESP_ERR__UNKNOWN_BROKER) {
    return absl::NotFoundError(absl::StrCat(what, ": ", rd_kafka_err2str(err)));
  }
  return absl::InternalError(absl::StrCat(what, ": ", rd_kafka_err2str(err)));
}

// 128 random bits in hex: the name of this start's log.
absl::StatusOr<std::string> RandomLogName() {
  char bytes[16];
  size_t got = 0;
  while (got < sizeof(bytes)) {
    const ssize_t n = getrandom(bytes + got, sizeof(bytes) - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError(
          absl::StrCat("getrandom: ", std::strerror(errno)));
    }
    got += static_cast<size_t>(n);
  }
  return absl::BytesToHexString(absl::string_view(bytes, sizeof(bytes)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<MockCluster>> MockCluster::Create(
    const ClusterOptions& options) {
  if (options.brokers < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("brokers must be at least 1, got ", options.brokers));
  }
  if (options.broker_listen.has_value() && options.brokers != 1) {
    return absl::InvalidArgumentError(
        "a chosen broker address needs exactly one broker");
  }
  for (const TopicSpec& topic : options.topics) {
    if (topic.partitions < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "topic ", topic.name, ": partitions must be at least 1"));
    }
  }

  // The bookkeeping handle: librdkafka hosts the mock brokers on it but it
  // never talks to them itself.
  // It has no bootstrap.servers, which librdkafka notes at level 5: keep
  // warnings and errors only.
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [name, value] :
       {std::pair<const char*, const char*>{"client.id", "devbroker"},
        {"log_level", "4"}}) {
    if (rd_kafka_conf_set(conf, name, value, errstr, sizeof(errstr)) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return absl::InternalError(absl::StrCat(name, ": ", errstr));
    }
  }
  // rd_kafka_new takes ownership of conf only on success.
  rd_kafka_t* handle =
      rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (handle == nullptr) {
    rd_kafka_conf_destroy(conf);
    return absl::InternalError(
        absl::StrCat("cannot create the bookkeeping handle: ", errstr));
  }
  if (options.broker_listen.has_value()) {
    if (absl::Status s = CheckBrokerListen(*options.broker_listen); !s.ok()) {
      rd_kafka_destroy(handle);
      return s;
    }
    ArmBrokerListen(*options.broker_listen);
  }
  rd_kafka_mock_cluster_t* cluster =
      rd_kafka_mock_cluster_new(handle, options.brokers);
  const bool listen_used = DisarmBrokerListen();
  if (cluster == nullptr) {
    rd_kafka_destroy(handle);
    return absl::InternalError(absl::StrCat("cannot start a mock cluster of ",
                                            options.brokers, " brokers"));
  }
  if (options.broker_listen.has_value() && !listen_used) {
    rd_kafka_mock_cluster_destroy(cluster);
    rd_kafka_destroy(handle);
    return absl::InternalError(
        "librdkafka's mock broker did not bind 127.0.0.1:0 as librdkafka "
        "2.0.2 does: the chosen broker address cannot be applied");
  }
  // From here on the destructor cleans up.
  std::unique_ptr<MockCluster> result(
      new MockCluster(handle, cluster, options.topics));
  result->brokers_.reserve(options.brokers);
  for (int id = 1; id <= options.brokers; ++id) {
    result->brokers_.push_back(BrokerState{id, true, 0});
  }
  const int replication_factor = std::min(3, options.brokers);
  for (const TopicSpec& topic : options.topics) {
    absl::Status status = FromKafka(
        rd_kafka_mock_topic_create(cluster, topic.name.c_str(),
                                   topic.partitions, replication_factor),
        absl::StrCat("cannot create topic ", topic.name));
    if (!status.ok()) return absl::InternalError(status.message());
  }
  // The log marker (common/kafka/cluster_id.h): every start is a new log,
  // and librdkafka's mock cluster id cannot be trusted to say so.
  absl::StatusOr<std::string> log_name = RandomLogName();
  if (!log_name.ok()) return log_name.status();
  const std::string marker = absl::StrCat(kafka::kLogMarkerPrefix, *log_name);
  if (absl::Status status = FromKafka(
          rd_kafka_mock_topic_create(cluster, marker.c_str(), 1, 1),
          absl::StrCat("cannot create topic ", marker));
      !status.ok()) {
    return absl::InternalError(status.message());
  }
  result->log_name_ = *std::move(log_name);
  return result;
}

MockCluster::MockCluster(rd_kafka_t* handle, rd_kafka_mock_cluster_t* cluster,
                         std::vector<TopicSpec> topics)
    : handle_(handle),
      cluster_(cluster),
      bootstrap_servers_(rd_kafka_mock_cluster_bootstraps(cluster)),
      topics_(std::move(topics)) {}

MockCluster::~MockCluster() {
  rd_kafka_mock_cluster_destroy(cluster_);
  rd_kafka_destroy(handle_);
}

absl::Status MockCluster::CheckBrokerId(int32_t broker_id) const {
  if (broker_id == kAllBrokers ||
      (broker_id >= 1 && broker_id <= broker_count())) {
    return absl::OkStatus();
  }
  return absl::NotFoundError(absl::StrCat("no broker ", broker_id,
                                          "; brokers are 1..", broker_count()));
}

absl::Status MockCluster::SetBrokerDown(int32_t broker_id) {
  if (absl::Status s = CheckBrokerId(broker_id); !s.ok()) return s;
  if (absl::Status s =
          FromKafka(rd_kafka_mock_broker_set_down(cluster_, broker_id),
                    absl::StrCat("broker ", broker_id, " down"));
      !s.ok()) {
    return s;
  }
  for (BrokerState& broker : brokers_) {
    if (broker_id == kAllBrokers || broker.id == broker_id) broker.up = false;
  }
  return absl::OkStatus();
}

absl::Status MockCluster::SetBrokerUp(int32_t broker_id) {
  if (absl::Status s = CheckBrokerId(broker_id); !s.ok()) return s;
  if (absl::Status s =
          FromKafka(rd_kafka_mock_broker_set_up(cluster_, broker_id),
                    absl::StrCat("broker ", broker_id, " up"));
      !s.ok()) {
    return s;
  }
  for (BrokerState& broker : brokers_) {
    if (broker_id == kAllBrokers || broker.id == broker_id) broker.up = true;
  }
  return absl::OkStatus();
}

absl::Status MockCluster::SetBrokerRtt(int32_t broker_id, int rtt_ms) {
  if (rtt_ms < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("rtt must be >= 0 ms, got ", rtt_ms));
  }
  if (absl::Status s = CheckBrokerId(broker_id); !s.ok()) return s;
  if (absl::Status s =
          FromKafka(rd_kafka_mock_broker_set_rtt(cluster_, broker_id, rtt_ms),
                    absl::StrCat("broker ", broker_id, " rtt"));
      !s.ok()) {
    return s;
  }
  for (BrokerState& broker : brokers_) {
    if (broker_id == kAllBrokers || broker.id == broker_id) {
      broker.rtt_ms = rtt_ms;
    }
  }
  return absl::OkStatus();
}

absl::Status MockCluster::PushRequestErrors(int16_t api_key, int count,
                                            rd_kafka_resp_err_t error) {
  if (api_key < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("api key must be >= 0, got ", api_key));
  }
  if (count < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("error count must be >= 1, got ", count));
  }
  std::vector<rd_kafka_resp_err_t> errors(count, error);
  rd_kafka_mock_push_request_errors_array(cluster_, api_key, errors.size(),
                                          errors.data());
  return absl::OkStatus();
}

absl::Status MockCluster::ClearRequestErrors(int16_t api_key) {
  if (api_key < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("api key must be >= 0, got ", api_key));
  }
  rd_kafka_mock_clear_request_errors(cluster_, api_key);
  return absl::OkStatus();
}

const TopicSpec* MockCluster::FindTopic(const std::string& name) const {
  for (const TopicSpec& spec : topics_) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

absl::Status MockCluster::SetPartitionLeader(const std::string& topic,
                                             int32_t partition,
                                             int32_t broker_id) {
  const TopicSpec* spec = FindTopic(topic);
  if (spec == nullptr) {
    return absl::NotFoundError(absl::StrCat("no topic ", topic));
  }
  if (partition < 0 || partition >= spec->partitions) {
    return absl::InvalidArgumentError(
        absl::StrCat("topic ", topic, " has partitions 0..",
                     spec->partitions - 1, ", got ", partition));
  }
  if (broker_id == kAllBrokers) {
    return absl::NotFoundError("a partition's leader is one broker, not all");
  }
  if (absl::Status s = CheckBrokerId(broker_id); !s.ok()) return s;
  return FromKafka(rd_kafka_mock_partition_set_leader(cluster_, topic.c_str(),
                                                      partition, broker_id),
                   absl::StrCat("leader of ", topic, "/", partition));
}

absl::Status MockCluster::SetTopicError(const std::string& topic,
                                        rd_kafka_resp_err_t error) {
  if (FindTopic(topic) == nullptr) {
    return absl::NotFoundError(absl::StrCat("no topic ", topic));
  }
  rd_kafka_mock_topic_set_error(cluster_, topic.c_str(), error);
  return absl::OkStatus();
}

}  // namespace caserelay::devbroker
