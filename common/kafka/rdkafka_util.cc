#include "common/kafka/rdkafka_util.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace caserelay::kafka {

absl::Status ErrorToStatus(RdKafka::ErrorCode err, absl::string_view context) {
  if (err == RdKafka::ERR_NO_ERROR) return absl::OkStatus();
  // err2str gives the description; the enum name is what people search for.
  const std::string message = absl::StrCat(context, ": ", RdKafka::err2str(err),
                                           " (", static_cast<int>(err), ")");
  switch (err) {
    case RdKafka::ERR__TIMED_OUT:
    case RdKafka::ERR__MSG_TIMED_OUT:
    case RdKafka::ERR_REQUEST_TIMED_OUT:
      return absl::DeadlineExceededError(message);
    case RdKafka::ERR__PURGE_QUEUE:
    case RdKafka::ERR__PURGE_INFLIGHT:
      return absl::CancelledError(message);
    case RdKafka::ERR__QUEUE_FULL:
    case RdKafka::ERR__TRANSPORT:
    case RdKafka::ERR__ALL_BROKERS_DOWN:
    case RdKafka::ERR__RESOLVE:
    case RdKafka::ERR__DESTROY:
    case RdKafka::ERR_LEADER_NOT_AVAILABLE:
    case RdKafka::ERR_NOT_LEADER_FOR_PARTITION:
    case RdKafka::ERR_BROKER_NOT_AVAILABLE:
    case RdKafka::ERR_NOT_ENOUGH_REPLICAS:
    case RdKafka::ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case RdKafka::ERR_NETWORK_EXCEPTION:
    case RdKafka::ERR_COORDINATOR_NOT_AVAILABLE:
    case RdKafka::ERR_NOT_COORDINATOR:
    case RdKafka::ERR_COORDINATOR_LOAD_IN_PROGRESS:
      return absl::UnavailableError(message);
    case RdKafka::ERR__UNKNOWN_TOPIC:
    case RdKafka::ERR__UNKNOWN_PARTITION:
    case RdKafka::ERR_UNKNOWN_TOPIC_OR_PART:
      return absl::NotFoundError(message);
    case RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED:
    case RdKafka::ERR_GROUP_AUTHORIZATION_FAILED:
    case RdKafka::ERR_CLUSTER_AUTHORIZATION_FAILED:
    case RdKafka::ERR__AUTHENTICATION:
    case RdKafka::ERR_SASL_AUTHENTICATION_FAILED:
      return absl::PermissionDeniedError(message);
    case RdKafka::ERR_MSG_SIZE_TOO_LARGE:
    case RdKafka::ERR_INVALID_MSG:
    case RdKafka::ERR__INVALID_ARG:
    case RdKafka::ERR_TOPIC_EXCEPTION:
    case RdKafka::ERR_RECORD_LIST_TOO_LARGE:
    case RdKafka::ERR_INVALID_RECORD:
      return absl::InvalidArgumentError(message);
    case RdKafka::ERR__FATAL:
    case RdKafka::ERR_OUT_OF_ORDER_SEQUENCE_NUMBER:
    case RdKafka::ERR_UNKNOWN_PRODUCER_ID:
    case RdKafka::ERR_INVALID_PRODUCER_EPOCH:
    case RdKafka::ERR_PRODUCER_FENCED:
      return absl::InternalError(message);
    default:
      return absl::UnknownError(message);
  }
}

absl::Status ValidateTopicName(absl::string_view topic,
                               absl::string_view field) {
  if (topic.empty() || topic.size() > 249 || topic == "." || topic == "..") {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " \"", topic,
                     "\" is not a Kafka topic name (1..249 characters, not "
                     "\".\" or \"..\")"));
  }
  for (char c : topic) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        c != '_' && c != '-') {
      return absl::InvalidArgumentError(
          absl::StrCat(field, " \"", topic,
                       "\" is not a Kafka topic name (only [A-Za-z0-9._-])"));
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyProperties(const std::map<std::string, std::string>& props,
                             RdKafka::Conf* conf) {
  for (const auto& [name, value] : props) {
    std::string errstr;
    if (conf->set(name, value, errstr) != RdKafka::Conf::CONF_OK) {
      return absl::InvalidArgumentError(absl::StrCat(
          "librdkafka property ", name, "=\"", value, "\": ", errstr));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<RdKafka::Producer>> MetadataClient(
    const std::string& bootstrap,
    const std::map<std::string, std::string>& extra, absl::string_view who) {
  if (bootstrap.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(who, ": bootstrap is empty"));
  }
  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  if (absl::Status s =
          ApplyProperties({{"bootstrap.servers", bootstrap}}, conf.get());
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ApplyProperties(extra, conf.get()); !s.ok()) return s;
  std::string errstr;
  std::unique_ptr<RdKafka::Producer> client(
      RdKafka::Producer::create(conf.get(), errstr));
  if (client == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(who, ": creating a client: ", errstr));
  }
  return client;
}


absl::StatusOr<PartitionOffsets> ListOffsets(
    RdKafka::Handle& client,
    const std::vector<std::pair<std::string, int32_t>>& partitions,
    LogEnd end, absl::Duration timeout, absl::string_view context) {
  PartitionOffsets offsets;
  if (partitions.empty()) return offsets;
  std::vector<std::unique_ptr<RdKafka::TopicPartition>> owned;
  std::vector<RdKafka::TopicPartition*> list;
  for (const auto& [topic, partition] : partitions) {
    owned.emplace_back(RdKafka::TopicPartition::create(
        topic, partition, static_cast<int64_t>(end)));
    list.push_back(owned.back().get());
  }
  const int timeout_ms = static_cast<int>(
      std::max<int64_t>(1, absl::ToInt64Milliseconds(timeout)));
  if (RdKafka::ErrorCode err = client.offsetsForTimes(list, timeout_ms);
      err != RdKafka::ERR_NO_ERROR) {
    return ErrorToStatus(err, context);
  }
  for (const RdKafka::TopicPartition* tp : list) {
    if (tp->err() != RdKafka::ERR_NO_ERROR) {
      return ErrorToStatus(tp->err(), absl::StrCat(context, ": ", tp->topic(),
                                                   "/", tp->partition()));
    }
    offsets[{tp->topic(), tp->partition()}] = tp->offset();
  }
  return offsets;
}

}  // namespace caserelay::kafka
