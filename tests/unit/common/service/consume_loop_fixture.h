// The fixture of the ConsumeLoop tests (consume_loop_test.cc,
// consume_loop_log_test.cc): a scripted FakeConsumer, a real Store in a
// temp dir, a real OutboxPublisher over a FakeProducer, and a small
// EventHandler that keeps a per-case log of applied event ids.

#ifndef CASERELAY_TESTS_UNIT_COMMON_SERVICE_CONSUME_LOOP_FIXTURE_H_
#define CASERELAY_TESTS_UNIT_COMMON_SERVICE_CONSUME_LOOP_FIXTURE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "common/metrics/metrics.h"
#include "common/service/consume_loop.h"
#include "common/service/held_events.h"
#include "common/store/outbox_publisher.h"
#include "common/store/store.h"
#include "gtest/gtest.h"
#include "tests/unit/common/service/fake_consumer.h"
#include "tests/unit/common/store/fake_producer.h"
#include "tests/unit/common/store/temp_dir.h"

namespace caserelay::service::testing {


// The next offset stored for topic/partition (nullopt: none); fails the
// test if the store cannot read it.
inline std::optional<int64_t> StoredOffset(const store::Store& store,
                                    const std::string& topic,
                                    int32_t partition) {
  auto position = store.Position(topic, partition);
  EXPECT_TRUE(position.ok()) << position.status();
  if (!position.ok() || !position->has_value()) return std::nullopt;
  return (*position)->next_offset;
}

using caserelay::v1::Envelope;

constexpr char kTopic[] = "petitions";
constexpr char kLoop[] = "test";
constexpr absl::Duration kWait = absl::Seconds(10);

// Applies an event by appending its id to the case's log in "cases" and
// emitting "<id>/routed" on "case-events". Fails (without writing) for
// ids in fail_ids. Tick() counts calls and, if tick_writes, stores the
// count under "cases"/"ticks".
class TestHandler : public EventHandler {
 public:
  absl::Status Apply(const Envelope& event, store::WriteBatch& batch) override {
    if (fail_ids.count(event.event_id()) > 0) {
      return absl::NotFoundError(
          absl::StrCat("unknown case ", event.case_id()));
    }
    {
      absl::MutexLock lock(&mu_);
      auto transient = unavailable_.find(event.event_id());
      if (transient != unavailable_.end() && transient->second > 0) {
        --transient->second;
        ++attempts_[event.event_id()];
        return absl::UnavailableError("store: read cases: I/O error");
      }
    }
    if (check_sequence) {
      // As the case-events consumers do: in order, once, no gaps.
      auto last = batch.Get("cases", "seq/" + event.case_id());
      if (!last.ok()) return last.status();
      const uint64_t applied = last->has_value() ? std::stoull(**last) : 0;
      if (event.sequence() <= applied) return absl::OkStatus();
      if (event.sequence() > applied + 1) {
        return SequenceGapError(event.case_id(), applied, event.sequence());
      }
      batch.Put("cases", "seq/" + event.case_id(),
                std::to_string(event.sequence()));
    }
    auto log = batch.Get("cases", event.case_id());
    if (!log.ok()) return log.status();
    batch.Put("cases", event.case_id(),
              absl::StrCat(log->value_or(""), event.event_id(), ";"));
    Envelope out;
    out.set_event_id(absl::StrCat(event.event_id(), "/routed"));
    out.set_case_id(event.case_id());
    out.set_producer("routing");
    batch.AddOutbox("case-events", event.case_id(), out.SerializeAsString());
    absl::MutexLock lock(&mu_);
    applied_.push_back(event.event_id());
    return absl::OkStatus();
  }

  bool MoreDue() const override { return more_due; }

  absl::Status Tick(store::WriteBatch& batch) override {
    absl::MutexLock lock(&mu_);
    ++ticks_;
    if (tick_writes) batch.Put("cases", "ticks", std::to_string(ticks_));
    if (tick_failures_left_ > 0) {
      --tick_failures_left_;
      return absl::UnavailableError("store: read timers: I/O error");
    }
    return absl::OkStatus();
  }

  void Committed() override {
    absl::MutexLock lock(&mu_);
    ++commits_;
  }

  std::vector<std::string> applied() const {
    absl::MutexLock lock(&mu_);
    return applied_;
  }
  int ticks() const {
    absl::MutexLock lock(&mu_);
    return ticks_;
  }
  int commits() const {
    absl::MutexLock lock(&mu_);
    return commits_;
  }

  // Apply of event `id` fails `times` more times with UNAVAILABLE.
  void FailTransiently(const std::string& id, int times) {
    absl::MutexLock lock(&mu_);
    unavailable_[id] = times;
  }
  // The UNAVAILABLE answers given to event `id` so far.
  int transient_failures(const std::string& id) const {
    absl::MutexLock lock(&mu_);
    auto it = attempts_.find(id);
    return it == attempts_.end() ? 0 : it->second;
  }
  // The next `times` Ticks write as usual, then fail with UNAVAILABLE.
  void FailTicks(int times) {
    absl::MutexLock lock(&mu_);
    tick_failures_left_ = times;
  }

  // Set before the loop runs.
  bool check_sequence = false;  // per-case sequences, SequenceGapError
  std::set<std::string> fail_ids;
  bool tick_writes = false;
  bool more_due = false;  // MoreDue()'s answer

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> applied_ ABSL_GUARDED_BY(mu_);
  int ticks_ ABSL_GUARDED_BY(mu_) = 0;
  int commits_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, int> unavailable_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> attempts_ ABSL_GUARDED_BY(mu_);
  int tick_failures_left_ ABSL_GUARDED_BY(mu_) = 0;
};

// A record at `offset` of petitions/`partition` carrying event `id` of
// case "case-1".
inline kafka::Message Event(int64_t offset, const std::string& id,
                     int32_t partition = 0) {
  Envelope e;
  e.set_event_id(id);
  e.set_case_id("case-1");
  e.set_producer("intake");
  kafka::Message m;
  m.topic = kTopic;
  m.partition = partition;
  m.offset = offset;
  m.key = "case-1";
  m.value = e.SerializeAsString();
  return m;
}

// A record at `offset` of petitions/0 carrying event `id`, number
// `sequence` of case "case-1".
inline kafka::Message Sequenced(int64_t offset, const std::string& id,
                                uint64_t sequence) {
  kafka::Message m = Event(offset, id);
  Envelope e;
  e.ParseFromString(m.value);
  e.set_sequence(sequence);
  m.value = e.SerializeAsString();
  return m;
}

class ConsumeLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OpenStore();
    CreateLoop(ConsumeLoopOptions{});
  }

  void OpenStore() {
    store::StoreOptions options;
    options.path = absl::StrCat(dir_.path(), "/db");
    options.column_families = {"cases"};
    options.file_system = file_system_;
    auto store = store::Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  // (Re)creates the publisher and the loop over store_.
  void CreateLoop(ConsumeLoopOptions options) {
    loop_.reset();
    publisher_.reset();
    auto publisher = store::OutboxPublisher::Create(
        store_.get(), store::testing::FakeProducerFactory(&producer_));
    ASSERT_TRUE(publisher.ok()) << publisher.status();
    publisher_ = *std::move(publisher);
    auto consumer = std::make_unique<FakeConsumer>();
    consumer_ = consumer.get();
    loop_ = std::make_unique<ConsumeLoop>(kLoop, std::move(consumer),
                                          store_.get(), publisher_.get(),
                                          &handler_, &registry_, options);
  }

  // A "crash": loop, publisher (which never saw a report) and store go
  // away; the store is opened again from disk.
  void Restart() {
    loop_.reset();
    publisher_.reset();
    store_.reset();
    OpenStore();
    CreateLoop(ConsumeLoopOptions{});
  }

  uint64_t CounterValue(const std::string& name) {
    return registry_.GetCounter(name, "", {{"loop", kLoop}}).Value();
  }

  std::vector<std::string> OutboxEventIds() {
    auto pending = store_->PendingOutbox();
    EXPECT_TRUE(pending.ok()) << pending.status();
    std::vector<std::string> ids;
    if (!pending.ok()) return ids;
    for (const auto& r : *pending) {
      Envelope e;
      EXPECT_TRUE(e.ParseFromString(r.value));
      ids.push_back(e.event_id());
    }
    return ids;
  }

  std::optional<std::string> Read(std::string_view cf, std::string_view key) {
    auto got = store_->Get(cf, key);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? *got : std::nullopt;
  }

  // Destroyed in reverse: the loop first, the directory last.
  store::testing::TempDir dir_;
  // The store's file system (OpenStore); null: the real one.
  std::shared_ptr<rocksdb::FileSystem> file_system_;
  std::unique_ptr<store::Store> store_;
  metrics::Registry registry_;
  TestHandler handler_;
  store::testing::FakeProducer* producer_ = nullptr;  // owned by publisher_
  std::unique_ptr<store::OutboxPublisher> publisher_;
  FakeConsumer* consumer_ = nullptr;  // owned by loop_
  std::unique_ptr<ConsumeLoop> loop_;
};

// Polls `done` every millisecond until it holds or kWait passes.
template <typename F>
bool Eventually(F done) {
  absl::Time deadline = absl::Now() + kWait;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return true;
}

}  // namespace caserelay::service::testing

#endif  // CASERELAY_TESTS_UNIT_COMMON_SERVICE_CONSUME_LOOP_FIXTURE_H_
