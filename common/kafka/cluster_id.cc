#include "common/kafka/cluster_id.h"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/kafka/rdkafka_util.h"

namespace caserelay::kafka {

absl::StatusOr<std::string> ClusterId(
    const std::string& bootstrap, absl::Duration timeout,
    const std::map<std::string, std::string>& extra) {
  if (bootstrap.empty()) {
    return absl::InvalidArgumentError("ClusterId: bootstrap is empty");
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
  // A producer handle is the lightest client that can ask for metadata.
  std::unique_ptr<RdKafka::Producer> client(
      RdKafka::Producer::create(conf.get(), errstr));
  if (client == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("ClusterId: creating a client: ", errstr));
  }
  const int timeout_ms = static_cast<int>(std::clamp<int64_t>(
      absl::ToInt64Milliseconds(timeout), 1, 1 << 30));
  std::string id = client->clusterid(timeout_ms);
  if (id.empty()) {
    return absl::UnavailableError(absl::StrCat(
        "Kafka at ", bootstrap, " gave no cluster id within ",
        absl::FormatDuration(timeout)));
  }
  return id;
}

}  // namespace caserelay::kafka
