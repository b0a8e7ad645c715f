#include "common/service/kafka_options.h"

namespace caserelay::service {

kafka::ProducerOptions ServiceProducerOptions(const std::string& bootstrap,
                                              const std::string& client_id,
                                              const std::string& debug) {
  kafka::ProducerOptions options;
  options.bootstrap = bootstrap;
  options.client_id = client_id;
  options.extra["message.timeout.ms"] = "0";
  options.extra["enable.sparse.connections"] = "false";
  if (!debug.empty()) options.extra["debug"] = debug;
  return options;
}

kafka::ConsumerOptions ServiceConsumerOptions(
    const std::string& bootstrap, const std::string& group_id,
    const std::vector<std::string>& topics, absl::Duration fetch_wait,
    const std::string& debug) {
  kafka::ConsumerOptions options;
  options.bootstrap = bootstrap;
  options.group_id = group_id;
  options.topics = topics;
  options.extra["isolation.level"] = "read_uncommitted";
  options.extra["fetch.wait.max.ms"] =
      std::to_string(absl::ToInt64Milliseconds(fetch_wait));
  if (!debug.empty()) options.extra["debug"] = debug;
  return options;
}

}  // namespace caserelay::service
