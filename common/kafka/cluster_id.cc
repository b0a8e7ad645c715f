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
  absl::StatusOr<std::unique_ptr<RdKafka::Producer>> client =
      MetadataClient(bootstrap, extra, "ClusterId");
  if (!client.ok()) return client.status();
  const int timeout_ms = static_cast<int>(std::clamp<int64_t>(
      absl::ToInt64Milliseconds(timeout), 1, 1 << 30));
  std::string id = (*client)->clusterid(timeout_ms);
  if (id.empty()) {
    return absl::UnavailableError(absl::StrCat(
        "Kafka at ", bootstrap, " gave no cluster id within ",
        absl::FormatDuration(timeout)));
  }
  return id;
}

}  // namespace caserelay::kafka
