#include "common/kafka/wait_for_topics.h"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <memory>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/kafka/rdkafka_util.h"

namespace caserelay::kafka {
namespace {

// Pause between metadata requests that came back incomplete.
constexpr absl::Duration kRetryInterval = absl::Milliseconds(100);

// Returns the topics of `wanted` that `metadata` lacks or reports in error.
std::set<std::string> Missing(const RdKafka::Metadata& metadata,
                              const std::set<std::string>& wanted) {
  std::set<std::string> missing = wanted;
  for (const RdKafka::TopicMetadata* t : *metadata.topics()) {
    if (t->err() == RdKafka::ERR_NO_ERROR && !t->partitions()->empty()) {
      missing.erase(t->topic());
    }
  }
  return missing;
}

}  // namespace

absl::Status WaitForTopics(const std::string& bootstrap,
                           const std::vector<std::string>& topics,
                           absl::Duration timeout,
                           const std::map<std::string, std::string>& extra) {
  return WaitForTopicPartitions(bootstrap, topics, timeout, extra).status();
}

absl::StatusOr<std::map<std::string, int32_t>> WaitForTopicPartitions(
    const std::string& bootstrap, const std::vector<std::string>& topics,
    absl::Duration timeout,
    const std::map<std::string, std::string>& extra) {
  for (const std::string& topic : topics) {
    if (absl::Status s = ValidateTopicName(topic, "WaitForTopics topic");
        !s.ok()) {
      return s;
    }
  }
  absl::StatusOr<std::unique_ptr<RdKafka::Producer>> made =
      MetadataClient(bootstrap, extra, "WaitForTopics");
  if (!made.ok()) return made.status();
  std::unique_ptr<RdKafka::Producer> client = *std::move(made);

  const absl::Time deadline = absl::Now() + timeout;
  const std::set<std::string> wanted(topics.begin(), topics.end());
  std::set<std::string> missing = wanted;
  std::string last_error = "no answer yet";
  while (true) {
    const int64_t left_ms =
        std::max<int64_t>(1, absl::ToInt64Milliseconds(deadline - absl::Now()));
    RdKafka::Metadata* raw = nullptr;
    // all_topics=true: asking for named topics could auto-create them.
    const RdKafka::ErrorCode err = client->metadata(
        /*all_topics=*/true, /*only_rkt=*/nullptr, &raw,
        static_cast<int>(std::min<int64_t>(left_ms, 1 << 30)));
    std::unique_ptr<RdKafka::Metadata> metadata(raw);
    if (err == RdKafka::ERR_NO_ERROR) {
      missing = Missing(*metadata, wanted);
      if (missing.empty()) {
        std::map<std::string, int32_t> counts;
        for (const RdKafka::TopicMetadata* t : *metadata->topics()) {
          if (wanted.count(t->topic()) > 0) {
            counts[t->topic()] = static_cast<int32_t>(t->partitions()->size());
          }
        }
        return counts;
      }
      last_error = "topics missing";
    } else {
      last_error = RdKafka::err2str(err);
    }
    if (absl::Now() + kRetryInterval >= deadline) break;
    absl::SleepFor(kRetryInterval);
  }
  return absl::UnavailableError(
      absl::StrCat("Kafka at ", bootstrap, " did not show topic(s) ",
                   absl::StrJoin(missing, ","), " within ",
                   absl::FormatDuration(timeout), " (last: ", last_error, ")"));
}

}  // namespace caserelay::kafka
