#include "common/kafka/partition_reader.h"

#include <librdkafka/rdkafkacpp.h>

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/kafka/rdkafka_util.h"

namespace caserelay::kafka {
namespace {

// How long one consume() call blocks.
constexpr int kConsumeMs = 100;

class KafkaPartitionReader final : public PartitionReader {
 public:
  explicit KafkaPartitionReader(std::unique_ptr<RdKafka::KafkaConsumer> c)
      : consumer_(std::move(c)) {}
  ~KafkaPartitionReader() override { consumer_->close(); }

  absl::StatusOr<Watermarks> Offsets(std::string_view topic, int32_t partition,
                                     absl::Duration timeout) override {
    // rdkafka_util.h ListOffsets: query_watermark_offsets may never return
    // while the broker is down.
    const absl::Time deadline = absl::Now() + timeout;
    const std::vector<std::pair<std::string, int32_t>> one = {
        {std::string(topic), partition}};
    const std::string what =
        absl::StrCat("watermarks of ", AsAbsl(topic), "/", partition);
    absl::StatusOr<PartitionOffsets> low = ListOffsets(
        *consumer_, one, LogEnd::kEarliest, deadline - absl::Now(), what);
    if (!low.ok()) return low.status();
    absl::StatusOr<PartitionOffsets> high = ListOffsets(
        *consumer_, one, LogEnd::kLatest, deadline - absl::Now(), what);
    if (!high.ok()) return high.status();
    return Watermarks{low->begin()->second, high->begin()->second};
  }

  absl::Status Read(
      std::string_view topic, int32_t partition, int64_t from, int64_t to,
      const std::function<absl::Status(const PartitionRecord&)>& visit,
      absl::Duration stall_timeout) override {
    if (from >= to) return absl::OkStatus();
    const std::string name(topic);
    std::unique_ptr<RdKafka::TopicPartition> tp(
        RdKafka::TopicPartition::create(name, partition, from));
    std::vector<RdKafka::TopicPartition*> list = {tp.get()};
    if (RdKafka::ErrorCode err = consumer_->assign(list);
        err != RdKafka::ERR_NO_ERROR) {
      return ErrorToStatus(err, absl::StrCat("assign ", name, "/", partition));
    }
    absl::Status result =
        ReadAssigned(name, partition, to, visit, stall_timeout);
    (void)consumer_->unassign();
    return result;
  }

 private:
  absl::Status ReadAssigned(
      const std::string& topic, int32_t partition, int64_t to,
      const std::function<absl::Status(const PartitionRecord&)>& visit,
      absl::Duration stall_timeout) {
    absl::Time last_progress = absl::Now();
    for (;;) {
      std::unique_ptr<RdKafka::Message> m(consumer_->consume(kConsumeMs));
      const RdKafka::ErrorCode err = m->err();
      if (err == RdKafka::ERR_NO_ERROR) {
        last_progress = absl::Now();
        if (m->offset() >= to) return absl::OkStatus();
        PartitionRecord record;
        record.offset = m->offset();
        if (m->key() != nullptr) record.key = *m->key();
        if (m->payload() != nullptr) {
          record.value.emplace(static_cast<const char*>(m->payload()),
                               m->len());
        }
        if (absl::Status s = visit(record); !s.ok()) return s;
        if (record.offset + 1 >= to) return absl::OkStatus();
        continue;
      }
      if (err == RdKafka::ERR__PARTITION_EOF) {
        // Compaction may have removed the last records below `to`.
        if (m->offset() >= to) return absl::OkStatus();
      } else if (err != RdKafka::ERR__TIMED_OUT) {
        absl::Status s =
            ErrorToStatus(err, absl::StrCat("reading ", topic, "/", partition));
        if (!absl::IsUnavailable(s) && !absl::IsDeadlineExceeded(s)) return s;
      }
      if (absl::Now() - last_progress > stall_timeout) {
        return absl::UnavailableError(absl::StrCat(
            "reading ", topic, "/", partition, ": no record for ",
            absl::FormatDuration(stall_timeout), " before offset ", to));
      }
    }
  }

  const std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<PartitionReader>> CreateKafkaPartitionReader(
    const PartitionReaderOptions& options) {
  if (options.bootstrap.empty()) {
    return absl::InvalidArgumentError(
        "PartitionReaderOptions.bootstrap is empty");
  }
  std::map<std::string, std::string> props = {
      {"bootstrap.servers", options.bootstrap},
      // Never joined (assign only); librdkafka wants a group for a
      // KafkaConsumer all the same.
      {"group.id", "caserelay-partition-reader"},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"enable.partition.eof", "true"},
      {"auto.offset.reset", "earliest"},
      // A read stops at a known offset, then the next Read assigns another
      // partition: with the default 500 ms long poll, the fetch left in
      // flight for the partition just read (at its end, no new data)
      // held up the next partition's first fetch by ~0.5 s, every
      // partition of an instance's restart.
      {"fetch.wait.max.ms", "10"},
  };
  if (!options.client_id.empty()) props["client.id"] = options.client_id;
  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  if (absl::Status s = ApplyProperties(props, conf.get()); !s.ok()) return s;
  if (absl::Status s = ApplyProperties(options.extra, conf.get()); !s.ok()) {
    return s;
  }
  std::string errstr;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), errstr));
  if (consumer == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("creating the partition reader: ", errstr));
  }
  return std::unique_ptr<PartitionReader>(
      new KafkaPartitionReader(std::move(consumer)));
}

}  // namespace caserelay::kafka
