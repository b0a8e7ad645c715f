#include "common/kafka/cluster_id.h"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/kafka/rdkafka_util.h"

namespace caserelay::kafka {

absl::StatusOr<std::string> LogIdOf(absl::string_view cluster_id,
                                    const std::vector<std::string>& topics) {
  if (cluster_id.empty()) {
    return absl::UnavailableError("the cluster gave no cluster id");
  }
  std::vector<std::string> markers;
  for (const std::string& topic : topics) {
    if (absl::StartsWith(topic, kLogMarkerPrefix) &&
        topic.size() > sizeof(kLogMarkerPrefix) - 1) {
      markers.push_back(topic);
    }
  }
  if (markers.size() > 1) {
    std::sort(markers.begin(), markers.end());
    return absl::FailedPreconditionError(absl::StrCat(
        "the cluster has ", markers.size(), " log marker topics (",
        absl::StrJoin(markers, ", "), "); keep exactly one, or none"));
  }
  if (markers.empty()) return std::string(cluster_id);
  return absl::StrCat(cluster_id, "/",
                      markers[0].substr(sizeof(kLogMarkerPrefix) - 1));
}

absl::StatusOr<std::string> LogIdOfClient(RdKafka::Handle& client,
                                          int timeout_ms) {
  const std::string cluster = client.clusterid(timeout_ms);
  if (cluster.empty()) {
    return absl::UnavailableError(absl::StrCat(
        "Kafka gave no cluster id within ", timeout_ms, " ms"));
  }
  RdKafka::Metadata* raw = nullptr;
  if (absl::Status s = ErrorToStatus(
          client.metadata(/*all_topics=*/true, nullptr, &raw, timeout_ms),
          "listing the topics (for the log id)");
      !s.ok()) {
    return s;
  }
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  std::vector<std::string> topics;
  for (const RdKafka::TopicMetadata* topic : *metadata->topics()) {
    topics.push_back(topic->topic());
  }
  return LogIdOf(cluster, topics);
}

absl::StatusOr<std::string> LogId(
    const std::string& bootstrap, absl::Duration timeout,
    const std::map<std::string, std::string>& extra) {
  absl::StatusOr<std::unique_ptr<RdKafka::Producer>> client =
      MetadataClient(bootstrap, extra, "LogId");
  if (!client.ok()) return client.status();
  const int timeout_ms = static_cast<int>(std::clamp<int64_t>(
      absl::ToInt64Milliseconds(timeout), 1, 1 << 30));
  absl::StatusOr<std::string> id = LogIdOfClient(**client, timeout_ms);
  if (!id.ok() && absl::IsUnavailable(id.status())) {
    return absl::UnavailableError(
        absl::StrCat("Kafka at ", bootstrap, ": ", id.status().message()));
  }
  return id;
}

}  // namespace caserelay::kafka
