#include "common/kafka/consumer.h"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
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

// How long a metadata or watermark query may hold up Poll().
constexpr int kQueryTimeoutMs = 5000;

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
      const ConsumerOptions& options, PositionLookup lookup) {
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
    if (options.assign_all && options.pause_assigned) {
      return absl::InvalidArgumentError(
          "ConsumerOptions.assign_all reads every partition at once: it "
          "cannot pause_assigned");
    }
    if (options.pause_assigned) {
      auto strategy = options.extra.find("partition.assignment.strategy");
      if (strategy == options.extra.end() ||
          strategy->second != "cooperative-sticky") {
        return absl::InvalidArgumentError(
            "ConsumerOptions.pause_assigned needs "
            "partition.assignment.strategy=cooperative-sticky");
      }
    }
    const std::map<std::string, std::string> props = {
        {"bootstrap.servers", options.bootstrap},
        {"group.id", options.group_id},
        {"enable.auto.commit", "false"},
        {"enable.auto.offset.store", "false"},
        {"session.timeout.ms", "6000"},
        {"heartbeat.interval.ms", "500"},
        // Never moved silently: Poll() sees ERR__AUTO_OFFSET_RESET and
        // decides (OnOffsetReset).
        {"auto.offset.reset", "error"},
    };
    std::unique_ptr<RdKafka::Conf> conf(
        RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    if (absl::Status s = ApplyProperties(props, conf.get()); !s.ok()) return s;
    if (absl::Status s = ApplyProperties(options.extra, conf.get()); !s.ok()) {
      return s;
    }
    std::unique_ptr<KafkaConsumer> self(new KafkaConsumer(
        std::move(lookup), options.pause_assigned, options.listener));
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
    if (options.assign_all) {
      // Assigned at the first Poll(), once the metadata names the
      // partitions (Create does not wait for the broker).
      self->assign_all_topics_ = options.topics;
      return std::unique_ptr<Consumer>(std::move(self));
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
    revoked_in_poll_.clear();
    while (static_cast<int>(batch.size()) < max_messages) {
      int wait_ms = 0;
      if (batch.empty()) {
        wait_ms = static_cast<int>(std::clamp<int64_t>(
            absl::ToInt64Milliseconds(
                absl::Ceil(deadline - absl::Now(), absl::Milliseconds(1))),
            0, 1 << 30));
      }
      if (!assign_all_topics_.empty()) {
        if (absl::Status s = AssignAll(); !s.ok()) {
          // Transient (the broker not up, a topic not there yet): an empty
          // batch after the timeout, as for any transient error.
          const absl::Duration left = deadline - absl::Now();
          if (left > absl::ZeroDuration()) absl::SleepFor(left);
          return batch;
        }
      }
      if (!pending_.empty()) {
        // An assignment whose stored positions could not be read.
        if (absl::Status s = AssignPending(); !s.ok()) return s;
      }
      std::unique_ptr<RdKafka::Message> m(consumer_->consume(wait_ms));
      if (!revoked_in_poll_.empty()) DropRevoked(batch);
      if (!rebalance_error_.ok()) return std::exchange(rebalance_error_, {});
      const RdKafka::ErrorCode err = m->err();
      if (err == RdKafka::ERR_NO_ERROR) {
        batch.push_back(ToMessage(*m));
        continue;
      }
      if (err == RdKafka::ERR__AUTO_OFFSET_RESET) {
        if (absl::Status s = OnOffsetReset(*m); !s.ok()) return s;
        if (!batch.empty() || absl::Now() >= deadline) break;
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
    {
      absl::MutexLock lock(&paused_mu_);
      out.insert(out.end(), paused_.begin(), paused_.end());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  absl::Status Resume(const std::vector<TopicPartition>& partitions) override {
    {
      absl::MutexLock lock(&paused_mu_);
      for (const TopicPartition& tp : partitions) {
        if (paused_.count(tp) == 0) continue;
        paused_.erase(tp);
        pending_.push_back(tp);
      }
    }
    if (pending_.empty()) return absl::OkStatus();
    return AssignPending();  // on error they stay pending: Poll retries
  }

  void SetRebalanceListener(RebalanceListener* listener) override {
    listener_ = listener;
  }

  absl::StatusOr<std::map<std::pair<std::string, int32_t>, int64_t>>
  EndOffsets(absl::Duration timeout) override {
    std::vector<std::pair<std::string, int32_t>> partitions;
    for (const auto& [topic, partition] : Assignment()) {
      partitions.emplace_back(topic, partition);
    }
    // One ListOffsets round for them all, bounded by `timeout`
    // (rdkafka_util.h: query_watermark_offsets may never return).
    absl::StatusOr<PartitionOffsets> ends =
        ListOffsets(*consumer_, partitions, LogEnd::kLatest, timeout,
                    "the end offsets of the assigned partitions");
    if (!ends.ok()) return absl::UnavailableError(ends.status().message());
    return ends;
  }

  std::vector<PositionReset> TakeResets() override {
    return std::exchange(resets_, {});
  }

  std::string LogId() override { return log_id_; }

  void Close() override {
    if (closed_) return;
    closed_ = true;
    consumer_->close();  // runs rebalance_cb (revoke) on this thread
  }

 private:
  KafkaConsumer(PositionLookup lookup, bool pause_assigned,
                RebalanceListener* listener)
      : lookup_(std::move(lookup)),
        pause_assigned_(pause_assigned),
        listener_(listener) {}

  static std::vector<TopicPartition> Pairs(
      const std::vector<RdKafka::TopicPartition*>& partitions) {
    std::vector<TopicPartition> out;
    for (const RdKafka::TopicPartition* tp : partitions) {
      out.emplace_back(tp->topic(), tp->partition());
    }
    return out;
  }

  // Drops from `batch` the records of partitions revoked during this Poll.
  void DropRevoked(std::vector<Message>& batch) const {
    batch.erase(std::remove_if(batch.begin(), batch.end(),
                               [this](const Message& m) {
                                 return revoked_in_poll_.count(
                                            {m.topic, m.partition}) > 0;
                               }),
                batch.end());
  }

  // Where to start `tp` given its stored position (nullopt: none), set on
  // tp; a start away from the stored offset is added to resets_. Compares
  // the stored log with this cluster and the stored offset with the log's
  // bounds. UNAVAILABLE if the bounds cannot be learnt.
  absl::Status Decide(RdKafka::TopicPartition* tp,
                      const std::optional<Position>& stored) {
    if (!stored.has_value()) {
      tp->set_offset(RdKafka::Topic::OFFSET_BEGINNING);
      return absl::OkStatus();
    }
    PositionReset reset;
    reset.topic = tp->topic();
    reset.partition = tp->partition();
    reset.stored_offset = stored->next_offset;
    reset.stored_log_id = stored->log_id;
    reset.log_id = log_id_;
    if (!stored->log_id.empty() && log_id_.empty()) {
      // Without this cluster's id a stored position cannot be told from
      // one in a new log whose end happens to lie beyond it: wait (the
      // assignment is retried) rather than skip the new log's first records.
      return absl::UnavailableError(
          "the cluster id is not known yet, so the stored position cannot be "
          "matched to this log");
    }
    if (!stored->log_id.empty() && stored->log_id != log_id_) {
      reset.kind = PositionReset::Kind::kNewLog;
      reset.resumed_at = 0;
      tp->set_offset(RdKafka::Topic::OFFSET_BEGINNING);
      resets_.push_back(std::move(reset));
      return absl::OkStatus();
    }
    const std::vector<std::pair<std::string, int32_t>> one = {
        {tp->topic(), tp->partition()}};
    const std::string what =
        absl::StrCat("the bounds of ", tp->topic(), "/", tp->partition());
    absl::StatusOr<PartitionOffsets> lows =
        ListOffsets(*consumer_, one, LogEnd::kEarliest,
                    absl::Milliseconds(kQueryTimeoutMs), what);
    if (!lows.ok()) return absl::UnavailableError(lows.status().message());
    absl::StatusOr<PartitionOffsets> highs =
        ListOffsets(*consumer_, one, LogEnd::kLatest,
                    absl::Milliseconds(kQueryTimeoutMs), what);
    if (!highs.ok()) return absl::UnavailableError(highs.status().message());
    const int64_t low = lows->begin()->second;
    const int64_t high = highs->begin()->second;
    if (stored->next_offset > high) {
      // The log is shorter than what was read of it: not the same log
      // (the topic recreated, the embedded broker started again).
      reset.kind = PositionReset::Kind::kNewLog;
      reset.resumed_at = 0;
      tp->set_offset(RdKafka::Topic::OFFSET_BEGINNING);
      resets_.push_back(std::move(reset));
    } else if (stored->next_offset < low) {
      // Records deleted before they were read (retention).
      reset.kind = PositionReset::Kind::kSkippedUnread;
      reset.resumed_at = low;
      tp->set_offset(low);
      resets_.push_back(std::move(reset));
    } else {
      tp->set_offset(stored->next_offset);
    }
    return absl::OkStatus();
  }

  // Sets each partition's start from its stored position (Decide).
  // Returns the lookup's or Decide's error if one fails; resets decided
  // for the partitions before it stay reported.
  absl::Status SetStarts(std::vector<RdKafka::TopicPartition*>& partitions) {
    // Unknown for now (the broker slow to answer): the last one learnt,
    // or none, in which case Decide waits for it.
    absl::StatusOr<std::string> log_id =
        LogIdOfClient(*consumer_, kQueryTimeoutMs);
    if (log_id.ok()) log_id_ = *std::move(log_id);
    const size_t reported = resets_.size();
    for (RdKafka::TopicPartition* tp : partitions) {
      absl::StatusOr<std::optional<Position>> stored =
          lookup_(tp->topic(), tp->partition());
      absl::Status s = stored.status();
      if (s.ok() && stored->has_value() && (*stored)->next_offset < 0) {
        s = absl::InternalError(absl::StrCat(
            "offset lookup returned ", (*stored)->next_offset,
            "; offsets are >= 0"));
      }
      if (s.ok()) s = Decide(tp, *stored);
      if (!s.ok()) {
        resets_.resize(reported);  // decided again on the retry
        return absl::Status(
            s.code(), absl::StrCat("starting ", tp->topic(), "/",
                                   tp->partition(), ": ", s.message()));
      }
    }
    return absl::OkStatus();
  }

  // Assigns `partitions` (starts set) the way the group protocol wants.
  absl::Status Assign(std::vector<RdKafka::TopicPartition*>& partitions) {
    if (consumer_->rebalance_protocol() == "COOPERATIVE") {
      std::unique_ptr<RdKafka::Error> e(
          consumer_->incremental_assign(partitions));
      if (e != nullptr) {
        return absl::InternalError(
            absl::StrCat("incremental_assign: ", e->str()));
      }
      return absl::OkStatus();
    }
    if (RdKafka::ErrorCode e = consumer_->assign(partitions);
        e != RdKafka::ERR_NO_ERROR) {
      return absl::InternalError(absl::StrCat("assign: ", RdKafka::err2str(e)));
    }
    return absl::OkStatus();
  }

  // ConsumerOptions::assign_all: assigns every partition of
  // assign_all_topics_ (which it then clears) from the broker's metadata:
  // they become pending, and Poll() assigns them from their stored
  // positions. UNAVAILABLE while the metadata does not name every topic
  // with its partitions.
  absl::Status AssignAll() {
    RdKafka::Metadata* raw = nullptr;
    if (RdKafka::ErrorCode e =
            consumer_->metadata(/*all_topics=*/true, nullptr, &raw,
                                kQueryTimeoutMs);
        e != RdKafka::ERR_NO_ERROR) {
      return absl::UnavailableError(
          absl::StrCat("the topics' metadata: ", RdKafka::err2str(e)));
    }
    std::unique_ptr<RdKafka::Metadata> metadata(raw);
    std::vector<TopicPartition> all;
    for (const std::string& topic : assign_all_topics_) {
      int32_t count = 0;
      for (const RdKafka::TopicMetadata* t : *metadata->topics()) {
        if (t->topic() == topic && t->err() == RdKafka::ERR_NO_ERROR) {
          count = static_cast<int32_t>(t->partitions()->size());
        }
      }
      if (count == 0) {
        return absl::UnavailableError(
            absl::StrCat("the broker names no partition of ", topic, " yet"));
      }
      for (int32_t p = 0; p < count; ++p) all.emplace_back(topic, p);
    }
    assign_all_topics_.clear();
    // Poll() assigns the pending partitions next (and retries them while
    // their stored positions cannot be read), as after a group's
    // assignment.
    pending_.insert(pending_.end(), all.begin(), all.end());
    if (listener_ != nullptr) listener_->Assigned(all);
    return absl::OkStatus();
  }

  // Retries an assignment held back by a failed lookup.
  absl::Status AssignPending() {
    std::vector<RdKafka::TopicPartition*> partitions;
    for (const auto& [topic, partition] : pending_) {
      partitions.push_back(RdKafka::TopicPartition::create(topic, partition));
    }
    absl::Status s = SetStarts(partitions);
    if (s.ok()) s = Assign(partitions);
    RdKafka::TopicPartition::destroy(partitions);
    if (s.ok()) pending_.clear();
    return s;
  }

  // Kafka has no record at the offset a fetching partition was to read
  // (the log was truncated, deleted by retention or recreated meanwhile):
  // decide where to go on as at an assignment, and start it there again.
  // librdkafka stops fetching the partition after this error, and seek()
  // does not restart it, so the partition is assigned anew.
  absl::Status OnOffsetReset(const RdKafka::Message& m) {
    std::unique_ptr<RdKafka::TopicPartition> tp(
        RdKafka::TopicPartition::create(m.topic_name(), m.partition()));
    absl::Status s = Decide(tp.get(), Position{m.offset(), log_id_});
    if (!s.ok()) tp->set_offset(m.offset());  // try it again
    std::vector<RdKafka::TopicPartition*> one = {tp.get()};
    if (consumer_->rebalance_protocol() == "COOPERATIVE") {
      std::unique_ptr<RdKafka::Error> u(consumer_->incremental_unassign(one));
      return Assign(one);
    }
    // Eager: assign() replaces the whole assignment, so the other
    // partitions go on from their current positions.
    std::vector<RdKafka::TopicPartition*> all;
    consumer_->assignment(all);
    consumer_->position(all);
    for (RdKafka::TopicPartition* p : all) {
      if (p->topic() == tp->topic() && p->partition() == tp->partition()) {
        p->set_offset(tp->offset());
      } else if (p->offset() < 0) {
        p->set_offset(RdKafka::Topic::OFFSET_STORED);
      }
    }
    s = Assign(all);
    RdKafka::TopicPartition::destroy(all);
    return s;
  }

  // Runs inside consumer_->consume() or close(), on the caller's thread.
  void rebalance_cb(
      RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
      std::vector<RdKafka::TopicPartition*>& partitions) override {
    const bool cooperative = consumer->rebalance_protocol() == "COOPERATIVE";
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      if (pause_assigned_ && cooperative) {
        // Not fetched (not assigned to librdkafka) until Resume(); the
        // empty incremental assignment completes the group's step.
        {
          absl::MutexLock lock(&paused_mu_);
          for (const TopicPartition& tp : Pairs(partitions)) paused_.insert(tp);
        }
        std::unique_ptr<RdKafka::Error> e(consumer->incremental_assign({}));
        if (e != nullptr) {
          rebalance_error_ = absl::InternalError(
              absl::StrCat("incremental_assign: ", e->str()));
        }
        if (listener_ != nullptr) listener_->Assigned(Pairs(partitions));
        return;
      }
      if (absl::Status s = SetStarts(partitions); !s.ok()) {
        // Left unassigned for now; Poll() retries the lookup.
        for (RdKafka::TopicPartition* tp : partitions) {
          pending_.emplace_back(tp->topic(), tp->partition());
        }
        rebalance_error_ = s;
        return;
      }
      if (absl::Status s = Assign(partitions); !s.ok()) {
        rebalance_error_ = s;
        return;
      }
      if (listener_ != nullptr) listener_->Assigned(Pairs(partitions));
      return;
    }
    // ERR__REVOKE_PARTITIONS, or a rebalance error: drop the partitions;
    // the group hands them out again. The listener finishes with them
    // first (the cooperative protocol waits for this callback).
    const std::vector<TopicPartition> revoked = Pairs(partitions);
    if (listener_ != nullptr) listener_->Revoking(revoked);
    revoked_in_poll_.insert(revoked.begin(), revoked.end());
    if (!cooperative) {
      pending_.clear();
      absl::MutexLock lock(&paused_mu_);
      paused_.clear();
      consumer->unassign();
      return;
    }
    // Only what librdkafka fetches is unassigned there: a partition still
    // paused or pending was never assigned to it.
    std::set<TopicPartition> not_fetched(pending_.begin(), pending_.end());
    {
      absl::MutexLock lock(&paused_mu_);
      not_fetched.insert(paused_.begin(), paused_.end());
      for (const TopicPartition& tp : revoked) paused_.erase(tp);
    }
    pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                  [&](const TopicPartition& tp) {
                                    return revoked_in_poll_.count(tp) > 0;
                                  }),
                   pending_.end());
    std::vector<RdKafka::TopicPartition*> fetched;
    for (RdKafka::TopicPartition* tp : partitions) {
      if (not_fetched.count({tp->topic(), tp->partition()}) == 0) {
        fetched.push_back(tp);
      }
    }
    // Called even with none fetched: librdkafka waits for the call to
    // complete the group's step (and Close() for it).
    std::unique_ptr<RdKafka::Error> e(consumer->incremental_unassign(fetched));
  }

  // Constant after construction.
  const PositionLookup lookup_;
  const bool pause_assigned_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;  // set once in Create()

  // Touched only by the thread calling Poll()/Close() (see class comment).
  bool closed_ = false;
  absl::Status rebalance_error_;  // from rebalance_cb, returned by Poll()
  // ConsumerOptions::assign_all: its topics until AssignAll() succeeds.
  std::vector<std::string> assign_all_topics_;
  // Assigned partitions whose stored position could not be read yet.
  std::vector<std::pair<std::string, int32_t>> pending_;
  std::vector<PositionReset> resets_;  // until TakeResets()
  std::string log_id_;                 // the log id (cluster_id.h), once known
  RebalanceListener* listener_;        // may be null
  // Partitions revoked during the Poll() in progress.
  std::set<TopicPartition> revoked_in_poll_;
  // Assigned by the group, not fetched until Resume() (pause_assigned);
  // read by Assignment() from any thread.
  mutable absl::Mutex paused_mu_;
  std::set<TopicPartition> paused_ ABSL_GUARDED_BY(paused_mu_);
};

}  // namespace

const char* ResetKindName(PositionReset::Kind kind) {
  switch (kind) {
    case PositionReset::Kind::kNewLog:
      return "new log";
    case PositionReset::Kind::kSkippedUnread:
      return "skipped unread";
  }
  return "unknown";
}

absl::StatusOr<std::unique_ptr<Consumer>> CreateKafkaConsumerWithPositions(
    const ConsumerOptions& options, PositionLookup lookup) {
  return KafkaConsumer::Create(options, std::move(lookup));
}

absl::StatusOr<std::unique_ptr<Consumer>> CreateKafkaConsumer(
    const ConsumerOptions& options, OffsetLookup lookup) {
  if (!lookup) {
    return absl::InvalidArgumentError(
        "CreateKafkaConsumer: the offset lookup is empty");
  }
  return KafkaConsumer::Create(
      options,
      [lookup = std::move(lookup)](const std::string& topic, int32_t partition)
          -> absl::StatusOr<std::optional<Position>> {
        std::optional<int64_t> next = lookup(topic, partition);
        if (!next.has_value()) return std::nullopt;
        return Position{*next, ""};
      });
}

}  // namespace caserelay::kafka
