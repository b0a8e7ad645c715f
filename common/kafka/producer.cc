#include "common/kafka/producer.h"

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/kafka/rdkafka_util.h"

namespace caserelay::kafka {
namespace {

static_assert(sizeof(void*) >= sizeof(uint64_t),
              "tokens travel as librdkafka's per-message opaque pointer");

// How long one poll of the background thread blocks; bounds how long the
// destructor waits for the thread to notice it should stop.
constexpr int kPollIntervalMs = 50;

// How long the destructor waits for the reports of purged records.
constexpr absl::Duration kPurgeReportTimeout = absl::Seconds(2);

class KafkaProducer final : public Producer, private RdKafka::DeliveryReportCb {
 public:
  static absl::StatusOr<std::unique_ptr<Producer>> Create(
      const ProducerOptions& options, DeliveryCallback on_delivery) {
    if (options.bootstrap.empty()) {
      return absl::InvalidArgumentError("ProducerOptions.bootstrap is empty");
    }
    if (!on_delivery) {
      return absl::InvalidArgumentError(
          "CreateKafkaProducer: the delivery callback is empty");
    }
    std::map<std::string, std::string> props = {
        {"bootstrap.servers", options.bootstrap},
        {"enable.idempotence", "true"},
        {"acks", "all"},
        {"linger.ms", "5"},
        {"partitioner", "murmur2_random"},
    };
    if (!options.client_id.empty()) props["client.id"] = options.client_id;
    std::unique_ptr<RdKafka::Conf> conf(
        RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    if (absl::Status s = ApplyProperties(props, conf.get()); !s.ok()) return s;
    if (absl::Status s = ApplyProperties(options.extra, conf.get()); !s.ok()) {
      return s;
    }
    std::unique_ptr<KafkaProducer> self(
        new KafkaProducer(std::move(on_delivery), options.close_timeout));
    std::string errstr;
    if (conf->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(self.get()),
                  errstr) != RdKafka::Conf::CONF_OK) {
      return absl::InternalError(absl::StrCat("setting dr_cb: ", errstr));
    }
    self->producer_.reset(RdKafka::Producer::create(conf.get(), errstr));
    if (self->producer_ == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("creating the librdkafka producer: ", errstr));
    }
    self->poller_ = std::thread([p = self.get()] { p->PollLoop(); });
    return std::unique_ptr<Producer>(std::move(self));
  }

  ~KafkaProducer() override {
    if (producer_ == nullptr) return;  // Create() failed part-way
    (void)Flush(close_timeout_);
    // What is left is reported CANCELLED rather than silently dropped.
    producer_->purge(RdKafka::Producer::PURGE_QUEUE |
                     RdKafka::Producer::PURGE_INFLIGHT);
    (void)Flush(kPurgeReportTimeout);
    stop_.store(true);
    if (poller_.joinable()) poller_.join();
    producer_.reset();
  }

  absl::Status Produce(std::string_view topic, std::string_view key,
                       std::string_view value, uint64_t token) override {
    return ProduceRecord(ProducerRecord{topic, -1, key, value}, token);
  }

  absl::Status ProduceRecord(const ProducerRecord& record,
                             uint64_t token) override {
    const std::string_view topic = record.topic;
    const std::string_view key = record.key;
    if (absl::Status s = ValidateTopicName(AsAbsl(topic), "Produce topic");
        !s.ok()) {
      return s;
    }
    if (record.partition < -1) {
      return absl::InvalidArgumentError(
          absl::StrCat("Produce to topic ", AsAbsl(topic), ": partition ",
                       record.partition, " is not a partition"));
    }
    {
      absl::MutexLock lock(&mu_);
      ++pending_;
    }
    // librdkafka writes a null value for a null payload only: an empty
    // value keeps a non-null pointer.
    static char kEmpty[] = "";
    char* payload = nullptr;
    if (record.value.has_value()) {
      payload = record.value->data() != nullptr
                    ? const_cast<char*>(record.value->data())
                    : kEmpty;
    }
    const RdKafka::ErrorCode err = producer_->produce(
        std::string(topic),
        record.partition < 0 ? RdKafka::Topic::PARTITION_UA : record.partition,
        RdKafka::Producer::RK_MSG_COPY, payload,
        record.value.has_value() ? record.value->size() : 0,
        key.empty() ? nullptr : key.data(), key.size(),
        /*timestamp=*/0,
        reinterpret_cast<void*>(static_cast<uintptr_t>(token)));
    if (err == RdKafka::ERR_NO_ERROR) return absl::OkStatus();
    {
      absl::MutexLock lock(&mu_);
      --pending_;
    }
    std::string context = absl::StrCat("Produce to topic ", AsAbsl(topic));
    if (err == RdKafka::ERR__FATAL) {
      std::string fatal;
      producer_->fatal_error(fatal);
      absl::StrAppend(&context, " (fatal: ", fatal, ")");
    }
    return ErrorToStatus(err, context);
  }

  absl::Status Flush(absl::Duration timeout) override {
    absl::MutexLock lock(&mu_);
    auto drained = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return pending_ == 0;
    };
    if (mu_.AwaitWithTimeout(absl::Condition(&drained), timeout)) {
      return absl::OkStatus();
    }
    return absl::DeadlineExceededError(
        absl::StrCat("Flush: ", pending_, " record(s) still unreported after ",
                     absl::FormatDuration(timeout)));
  }

 private:
  KafkaProducer(DeliveryCallback on_delivery, absl::Duration close_timeout)
      : on_delivery_(std::move(on_delivery)), close_timeout_(close_timeout) {}

  void PollLoop() {
    while (!stop_.load()) producer_->poll(kPollIntervalMs);
  }

  // Runs on the polling thread, inside producer_->poll().
  void dr_cb(RdKafka::Message& message) override {
    DeliveryReport report;
    report.token = static_cast<uint64_t>(
        reinterpret_cast<uintptr_t>(message.msg_opaque()));
    report.topic = message.topic_name();
    report.partition = message.partition();
    if (message.err() == RdKafka::ERR_NO_ERROR) {
      report.offset = message.offset();
    } else {
      std::string context = absl::StrCat("delivery to topic ", report.topic,
                                         ": ", message.errstr());
      std::string fatal;
      if (producer_->fatal_error(fatal) != RdKafka::ERR_NO_ERROR) {
        // After a fatal error librdkafka purges its queues, so most
        // records come back as purged, not as fatal: report them as the
        // producer's failure, which it is (the producer must be rebuilt).
        absl::StrAppend(&context, " (fatal: ", fatal, ")");
        report.status = absl::InternalError(
            absl::StrCat(context, ": the producer failed fatally"));
      } else {
        report.status = ErrorToStatus(message.err(), context);
      }
    }
    on_delivery_(report);
    absl::MutexLock lock(&mu_);
    --pending_;
  }

  // Constant after construction.
  const DeliveryCallback on_delivery_;
  const absl::Duration close_timeout_;
  std::unique_ptr<RdKafka::Producer> producer_;  // set once in Create()
  std::thread poller_;                           // set once in Create()

  std::atomic<bool> stop_{false};
  absl::Mutex mu_;
  int64_t pending_ ABSL_GUARDED_BY(mu_) = 0;  // queued, callback not returned
};

}  // namespace

absl::Status Producer::ProduceRecord(const ProducerRecord& record,
                                     uint64_t token) {
  if (record.partition != -1 || !record.value.has_value()) {
    return absl::UnimplementedError(
        "this producer cannot write to an explicit partition or a null "
        "value");
  }
  return Produce(record.topic, record.key, *record.value, token);
}

absl::StatusOr<std::unique_ptr<Producer>> CreateKafkaProducer(
    const ProducerOptions& options, DeliveryCallback on_delivery) {
  return KafkaProducer::Create(options, std::move(on_delivery));
}

}  // namespace caserelay::kafka
