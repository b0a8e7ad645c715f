// The owners topic on Kafka (partition_owners.h CreateKafkaOwnersLog): a
// producer that waits for each record's delivery, and a PartitionReader
// (common/kafka/partition_reader.h) that reads the topic's partitions from
// their start, outside any consumer group.

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/kafka/partition_reader.h"
#include "common/kafka/producer.h"
#include "common/service/partition_owners.h"

namespace caserelay::service {
namespace {

// How long Append waits for Kafka's confirmation, and a read for the end.
constexpr absl::Duration kAppendTimeout = absl::Seconds(10);
constexpr absl::Duration kStallTimeout = absl::Seconds(10);

class KafkaOwnersLog final : public OwnersLog {
 public:
  KafkaOwnersLog(std::string topic, std::unique_ptr<kafka::PartitionReader> reader)
      : topic_(std::move(topic)), reader_(std::move(reader)) {}

  absl::Status Init(const kafka::ProducerOptions& options) {
    auto producer = kafka::CreateKafkaProducer(
        options, [this](const kafka::DeliveryReport& r) { OnDelivery(r); });
    if (!producer.ok()) return producer.status();
    producer_ = *std::move(producer);
    return absl::OkStatus();
  }

  ~KafkaOwnersLog() override { producer_.reset(); }

  absl::Status Append(const std::string& key,
                      const std::string& value) override {
    uint64_t token = 0;
    {
      absl::MutexLock lock(&mu_);
      token = ++next_token_;
    }
    if (absl::Status s = producer_->Produce(topic_, key, value, token);
        !s.ok()) {
      return s;
    }
    absl::MutexLock lock(&mu_);
    auto done = [this, token]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return reports_.count(token) > 0;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&done), kAppendTimeout)) {
      return absl::UnavailableError(
          absl::StrCat("Kafka did not confirm the record on ", topic_,
                       " within ", absl::FormatDuration(kAppendTimeout)));
    }
    absl::Status delivered = reports_[token];
    reports_.erase(token);
    return delivered;
  }

  absl::StatusOr<std::vector<kafka::Message>> Read(
      absl::Duration timeout) override {
    std::vector<kafka::Message> out;
    for (int32_t p = 0;; ++p) {
      absl::StatusOr<kafka::Watermarks> marks =
          reader_->Offsets(topic_, p, timeout);
      if (!marks.ok()) {
        if (p > 0 && marks.status().code() == absl::StatusCode::kNotFound) {
          break;  // past the topic's last partition
        }
        return marks.status();
      }
      int64_t& from = positions_[p];
      from = std::max(from, marks->start);
      if (marks->end <= from) continue;
      absl::Status read = reader_->Read(
          topic_, p, from, marks->end,
          [&](const kafka::PartitionRecord& r) {
            if (!r.value.has_value()) return absl::OkStatus();  // tombstone
            kafka::Message m;
            m.topic = topic_;
            m.partition = p;
            m.offset = r.offset;
            m.key = r.key;
            m.value = *r.value;
            out.push_back(std::move(m));
            return absl::OkStatus();
          },
          kStallTimeout);
      if (!read.ok()) return read;
      from = marks->end;
    }
    if (out.empty()) absl::SleepFor(timeout);
    return out;
  }

 private:
  void OnDelivery(const kafka::DeliveryReport& r) {
    absl::MutexLock lock(&mu_);
    reports_[r.token] = r.status;
  }

  const std::string topic_;
  const std::unique_ptr<kafka::PartitionReader> reader_;
  std::unique_ptr<kafka::Producer> producer_;
  std::map<int32_t, int64_t> positions_;  // the Read thread's
  absl::Mutex mu_;
  uint64_t next_token_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, absl::Status> reports_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<OwnersLog>> CreateKafkaOwnersLog(
    const std::string& bootstrap, const std::string& topic,
    const std::map<std::string, std::string>& extra) {
  if (bootstrap.empty() || topic.empty()) {
    return absl::InvalidArgumentError(
        "CreateKafkaOwnersLog: bootstrap and topic are required");
  }
  kafka::PartitionReaderOptions reader_options;
  reader_options.bootstrap = bootstrap;
  reader_options.client_id = topic + "-reader";
  reader_options.extra = extra;
  auto reader = kafka::CreateKafkaPartitionReader(reader_options);
  if (!reader.ok()) return reader.status();
  auto log = std::make_unique<KafkaOwnersLog>(topic, *std::move(reader));
  kafka::ProducerOptions producer_options;
  producer_options.bootstrap = bootstrap;
  producer_options.client_id = topic + "-writer";
  producer_options.extra = extra;
  producer_options.close_timeout = absl::Seconds(2);
  if (absl::Status s = log->Init(producer_options); !s.ok()) return s;
  return std::unique_ptr<OwnersLog>(std::move(log));
}

}  // namespace caserelay::service
