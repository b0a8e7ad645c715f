#include "common/kafka/consumer.h"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/kafka/rdkafka_util.h"

namespace caserelay::kafka {
namespace {

// Errors after which the consumer cannot go on; everything else is retried
// by librdkafka and only delays the batch.
bool IsFatal(RdKafka::ErrorCode err) {
  switch (err) {
    case RdKafka::ERR__FATAL:
    case RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED:
    case RdKafka::ERR_GROUP_AUTHORIZATION_FAILED:
    case RdKafka::ERR_CLUSTER_AUTHORIZATION_FAILED:
    case RdKafka::ERR__AUTHENTICATION:
    case RdKafka::ERR_SASL_AUTHENTICATION_FAILED:
      return true;
    default:
      return false;
  }
}

Message ToMessage(const RdKafka::Message& m) {
  Message out;
  out.topic = m.topic_name();
  out.partition = m.partition();
  out.offset = m.offset();
  if (m.key_pointer() != nullptr) {
    out.key.assign(static_cast<const char*>(m.key_pointer()), m.key_len());
  }
  if (m.payload() != nullptr) {
    out.value.assign(static_cast<const char*>(m.payload()), m.len());
  }
  const RdKafka::MessageTimestamp ts = m.timestamp();
  out.timestamp =
      ts.type == RdKafka::MessageTimestamp::MSG_TIMESTAMP_NOT_AVAILABLE
          ? absl::InfinitePast()
          : absl::FromUnixMillis(ts.timestamp);
  return out;
}

class KafkaConsumer final : public Consumer, private RdKafka::RebalanceCb {
 public:
  static absl::StatusOr<std::unique_ptr<Consumer>> Create(
      const ConsumerOptions& options, OffsetLookup lookup) {
    if (options.bootstrap.empty()) {
      return absl::InvalidArgumentError("ConsumerOptions.bootstrap is empty");
    }
    if (options.group_id.empty()) {
      return absl::InvalidArgumentError("ConsumerOptions.group_id is empty");
    }
    if (options.topics.empty()) {
      return absl::InvalidArgumentError("ConsumerOptions.topics is empty");
    }
    for (const std::string& topic : options.topics) {
      if (absl::Status s = ValidateTopicName(topic, "ConsumerOptions.topics");
          !s.ok()) {
        return s;
      }
    }
    if (!lookup) {
      return absl::InvalidArgumentError(
          "CreateKafkaConsumer: the offset lookup is empty");
    }
    const std::map<std::string, std::string> props = {
        {"bootstrap.servers", options.bootstrap},
        {"group.id", options.group_id},
        {"enable.auto.commit", "false"},
        {"enable.auto.offset.store", "false"},
        {"session.timeout.ms", "6000"},
        {"heartbeat.interval.ms", "500"},
        {"auto.offset.reset", "earliest"},
    };
    std::unique_ptr<RdKafka::Conf> conf(
        RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    if (absl::Status s = ApplyProperties(props, conf.get()); !s.ok()) return s;
    if (absl::Status s = ApplyProperties(options.extra, conf.get()); !s.ok()) {
      return s;
    }
    std::unique_ptr<KafkaConsumer> self(new KafkaConsumer(std::move(lookup)));
    std::string errstr;
    if (conf->set("rebalance_cb",
                  static_cast<RdKafka::RebalanceCb*>(self.get()),
                  errstr) != RdKafka::Conf::CONF_OK) {
      return absl::InternalError(
          absl::StrCat("setting rebalance_cb: ", errstr));
    }
    self->consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), errstr));
    if (self->consumer_ == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("creating the librdkafka consumer: ", errstr));
    }
    if (RdKafka::ErrorCode err = self->consumer_->subscribe(options.topics);
        err != RdKafka::ERR_NO_ERROR) {
      return ErrorToStatus(
          err,
          absl::StrCat("subscribing to ", absl::StrJoin(options.topics, ",")));
    }
    return std::unique_ptr<Consumer>(std::move(self));
  }

  ~KafkaConsumer() override {
    if (consumer_ == nullptr) return;  // Create() failed part-way
    Close();
    consumer_.reset();
  }

  absl::StatusOr<std::vector<Message>> Poll(int max_messages,
                                            absl::Duration timeout) override {
    if (max_messages < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("Poll max_messages must be >= 1, got ", max_messages));
    }
    if (closed_) {
      return absl::FailedPreconditionError("Poll after Close");
    }
    const absl::Time deadline = absl::Now() + timeout;
    std::vector<Message> batch;
    while (static_cast<int>(batch.size()) < max_messages) {
      int wait_ms = 0;
      if (batch.empty()) {
        wait_ms = static_cast<int>(std::clamp<int64_t>(
            absl::ToInt64Milliseconds(
                absl::Ceil(deadline - absl::Now(), absl::Milliseconds(1))),
            0, 1 << 30));
      }
      std::unique_ptr<RdKafka::Message> m(consumer_->consume(wait_ms));
      if (!rebalance_error_.ok()) return std::exchange(rebalance_error_, {});
      const RdKafka::ErrorCode err = m->err();
      if (err == RdKafka::ERR_NO_ERROR) {
        batch.push_back(ToMessage(*m));
        continue;
      }
      if (IsFatal(err)) {
        std::string context = absl::StrCat("consuming: ", m->errstr());
        if (err == RdKafka::ERR__FATAL) {
          std::string fatal;
          consumer_->fatal_error(fatal);
          absl::StrAppend(&context, " (fatal: ", fatal, ")");
        }
        return ErrorToStatus(err, context);
      }
      // A timeout, end of partition or transient error: return what we have
      // once the deadline has passed, else keep waiting.
      if (!batch.empty() || absl::Now() >= deadline) break;
    }
    return batch;
  }

  std::vector<std::pair<std::string, int32_t>> Assignment() override {
    std::vector<RdKafka::TopicPartition*> partitions;
    std::vector<std::pair<std::string, int32_t>> out;
    if (consumer_->assignment(partitions) == RdKafka::ERR_NO_ERROR) {
      for (const RdKafka::TopicPartition* tp : partitions) {
        out.emplace_back(tp->topic(), tp->partition());
      }
    }
    RdKafka::TopicPartition::destroy(partitions);
    std::sort(out.begin(), out.end());
    return out;
  }

  void Close() override {
    if (closed_) return;
    closed_ = true;
    consumer_->close();  // runs rebalance_cb (revoke) on this thread
  }

 private:
  explicit KafkaConsumer(OffsetLookup lookup) : lookup_(std::move(lookup)) {}

  // Runs inside consumer_->consume() or close(), on the caller's thread.
  void rebalance_cb(
      RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
      std::vector<RdKafka::TopicPartition*>& partitions) override {
    const bool cooperative = consumer->rebalance_protocol() == "COOPERATIVE";
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      for (RdKafka::TopicPartition* tp : partitions) {
        const std::optional<int64_t> next =
            lookup_(tp->topic(), tp->partition());
        if (next.has_value() && *next < 0) {
          rebalance_error_ = absl::InternalError(absl::StrCat(
              "offset lookup for ", tp->topic(), "/", tp->partition(),
              " returned ", *next, "; offsets are >= 0"));
          return;  // leaves the partitions unassigned
        }
        tp->set_offset(next.value_or(RdKafka::Topic::OFFSET_BEGINNING));
      }
      if (cooperative) {
        std::unique_ptr<RdKafka::Error> e(
            consumer->incremental_assign(partitions));
        if (e != nullptr) {
          rebalance_error_ = absl::InternalError(
              absl::StrCat("incremental_assign: ", e->str()));
        }
      } else if (RdKafka::ErrorCode e = consumer->assign(partitions);
                 e != RdKafka::ERR_NO_ERROR) {
        rebalance_error_ =
            absl::InternalError(absl::StrCat("assign: ", RdKafka::err2str(e)));
      }
      return;
    }
    // ERR__REVOKE_PARTITIONS, or a rebalance error: drop the partitions;
    // the group hands them out again.
    if (cooperative) {
      std::unique_ptr<RdKafka::Error> e(
          consumer->incremental_unassign(partitions));
    } else {
      consumer->unassign();
    }
  }

  // Constant after construction.
  const OffsetLookup lookup_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;  // set once in Create()

  // Touched only by the thread calling Poll()/Close() (see class comment).
  bool closed_ = false;
  absl::Status rebalance_error_;  // from rebalance_cb, returned by Poll()
};

}  // namespace

absl::StatusOr<std::unique_ptr<Consumer>> CreateKafkaConsumer(
    const ConsumerOptions& options, OffsetLookup lookup) {
  return KafkaConsumer::Create(options, std::move(lookup));
}

}  // namespace caserelay::kafka
