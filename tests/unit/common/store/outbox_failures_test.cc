// Tests of OutboxPublisher when Kafka fails (issue 22 item 1, issue 14
// item 6): a record Kafka can never take goes to the outbox dead letters
// instead of blocking every later one; a producer that failed fatally is
// rebuilt; a failed delivery never lets a later record of the case go
// ahead of it; the age of the oldest pending record is reported. Against a
// real Store and FakeProducers whose reports the test controls.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/store/outbox_dead_letters.h"
#include "common/store/outbox_publisher.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/store/fake_producer.h"
#include "tests/unit/common/store/pending_outbox.h"
#include "tests/unit/common/store/temp_dir.h"

namespace caserelay::store {
namespace {

using ::testing::ElementsAre;
using testing::FakeProducer;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr absl::Duration kWait = absl::Seconds(10);
// Longer than the retry thread's interval (200 ms), so a record it would
// produce again has been produced by then.
constexpr absl::Duration kRetryPasses = absl::Milliseconds(700);

class OutboxFailuresTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen("db"); }

  // Closes the publisher and the store and opens a fresh store in
  // `name` (for the next row of a table).
  void Reopen(const std::string& name) {
    publisher_.reset();
    store_.reset();
    StoreOptions options;
    options.path = absl::StrCat(dir_.path(), "/", name);
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  // (Re)creates publisher_ over store_; every producer it builds is kept
  // in producers_ (owned by the publisher).
  void CreatePublisher(OutboxOptions options = {}) {
    publisher_.reset();
    {
      absl::MutexLock lock(&mu_);
      producers_.clear();
    }
    options.rebuild_backoff = absl::Milliseconds(100);
    auto publisher = OutboxPublisher::Create(
        store_.get(),
        [this](kafka::DeliveryCallback cb)
            -> absl::StatusOr<std::unique_ptr<kafka::Producer>> {
          absl::MutexLock lock(&mu_);
          if (!factory_error_.ok()) return factory_error_;
          auto p = std::make_unique<FakeProducer>(std::move(cb));
          producers_.push_back(p.get());
          return std::unique_ptr<kafka::Producer>(std::move(p));
        },
        options);
    ASSERT_TRUE(publisher.ok()) << publisher.status();
    publisher_ = *std::move(publisher);
  }

  FakeProducer* producer(size_t i) {
    absl::MutexLock lock(&mu_);
    return i < producers_.size() ? producers_[i] : nullptr;
  }
  bool WaitForProducers(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return producers_.size() >= n;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), kWait);
  }
  void SetFactoryError(absl::Status s) {
    absl::MutexLock lock(&mu_);
    factory_error_ = std::move(s);
  }

  absl::Status Commit(const std::vector<std::string>& values,
                      const std::string& key = "case-1") {
    WriteBatch batch(store_.get());
    for (const auto& v : values) batch.AddOutbox("case-events", key, v);
    return publisher_->Commit(batch);
  }

  uint64_t SeqOf(const std::string& value) {
    return testing::PendingSeqOf(*store_, value);
  }

  static std::vector<std::string> Values(FakeProducer* p) {
    std::vector<std::string> values;
    for (const auto& r : p->produced()) values.push_back(r.value);
    return values;
  }

  std::vector<std::string> PendingValues() {
    return testing::PendingValues(*store_);
  }

  std::vector<std::string> DeadLetterValues() {
    std::vector<std::string> values;
    auto letters = ListOutboxDeadLetters(*store_);
    EXPECT_TRUE(letters.ok()) << letters.status();
    if (letters.ok()) {
      for (const auto& l : *letters) values.push_back(l.record.value);
    }
    return values;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  absl::Mutex mu_;
  std::vector<FakeProducer*> producers_ ABSL_GUARDED_BY(mu_);
  absl::Status factory_error_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<OutboxPublisher> publisher_;
};

// Issue 22 item 1: "a record that can never be published goes to dead
// letters with an alert instead of blocking". Each row is one way Kafka
// says "never"; the record after it must still go out.
TEST_F(OutboxFailuresTest, ARecordKafkaNeverTakesIsSetAsideAndLaterOnesGoOn) {
  struct Row {
    const char* rule;
    bool refuse_at_produce;  // else: a failed delivery report
    absl::Status status;
  };
  const std::vector<Row> rows = {
      {"librdkafka refuses a record over message.max.bytes at produce()", true,
       absl::InvalidArgumentError("MSG_SIZE_TOO_LARGE")},
      {"the broker refuses a record over its message.max.bytes", false,
       absl::InvalidArgumentError("Broker: Message size too large")},
      {"the broker refuses a corrupt or invalid record", false,
       absl::InvalidArgumentError("Broker: Invalid record")},
  };
  int n = 0;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    Reopen(absl::StrCat("row", n++));
    CreatePublisher();
    FakeProducer* p = producer(0);
    ASSERT_TRUE(Commit({"bad"}).ok());
    const uint64_t bad = SeqOf("bad");
    size_t produced = 2;
    if (row.refuse_at_produce) {
      // Commit already produced it once; the next try is refused.
      p->RefuseToken(bad, row.status);
      ASSERT_TRUE(p->Deliver(bad, absl::UnknownError("first try lost")));
    } else {
      // A refused batch may be another record's fault: produced again
      // alone, and refused again (ABatchRefusedForOneRecord... below).
      ASSERT_TRUE(p->Deliver(bad, row.status));
      ASSERT_TRUE(p->WaitForProduced(2, kWait));
      ASSERT_TRUE(p->Deliver(bad, row.status));
      produced = 3;
    }
    ASSERT_TRUE(Commit({"after"}).ok());
    ASSERT_TRUE(p->WaitForProduced(produced, kWait));
    absl::SleepFor(kRetryPasses);

    EXPECT_THAT(DeadLetterValues(), ElementsAre("bad"));
    EXPECT_THAT(PendingValues(), ElementsAre("after"));
    EXPECT_EQ(Values(p).back(), "after");
    EXPECT_EQ(publisher_->Stats().dead_lettered, 1u);
    EXPECT_EQ(publisher_->Pending(), 1u);
    auto letters = ListOutboxDeadLetters(*store_);
    ASSERT_TRUE(letters.ok());
    EXPECT_EQ((*letters)[0].record.topic, "case-events");
    EXPECT_EQ((*letters)[0].record.key, "case-1");
    EXPECT_THAT((*letters)[0].reason,
                HasSubstr(std::string(row.status.message())));
  }
}

// Issue 14 item 6: the broker refuses a whole batch for one record in it
// (MESSAGE_TOO_LARGE, INVALID_RECORD) and librdkafka reports every record
// of the batch with that error. Only the record refused again when it goes
// alone is set aside; its batch-mates are published. (Before, all three
// were set aside; outbox_stall_test showed it with a real petition.)
TEST_F(OutboxFailuresTest, ABatchRefusedForOneRecordSetsAsideOnlyThatRecord) {
  CreatePublisher();
  FakeProducer* p = producer(0);
  ASSERT_TRUE(Commit({"a", "bad", "c"}).ok());
  const uint64_t a = SeqOf("a");
  const uint64_t bad = SeqOf("bad");
  const uint64_t c = SeqOf("c");
  const absl::Status refused =
      absl::InvalidArgumentError("Broker: Message size too large");
  for (uint64_t seq : {a, bad, c}) ASSERT_TRUE(p->Deliver(seq, refused));

  // Each goes again alone, in order: nothing else until its report.
  ASSERT_TRUE(p->WaitForProduced(4, kWait));
  absl::SleepFor(kRetryPasses);
  EXPECT_THAT(p->outstanding(), ElementsAre(a));
  ASSERT_TRUE(p->Deliver(a, absl::OkStatus()));
  ASSERT_TRUE(p->WaitForProduced(5, kWait));
  EXPECT_THAT(p->outstanding(), ElementsAre(bad));
  ASSERT_TRUE(p->Deliver(bad, refused));  // its own fault
  ASSERT_TRUE(p->WaitForProduced(6, kWait));
  EXPECT_THAT(p->outstanding(), ElementsAre(c));
  ASSERT_TRUE(p->Deliver(c, absl::OkStatus()));

  EXPECT_THAT(Values(p), ElementsAre("a", "bad", "c", "a", "bad", "c"));
  EXPECT_THAT(DeadLetterValues(), ElementsAre("bad"));
  EXPECT_THAT(PendingValues(), IsEmpty());
  EXPECT_EQ(publisher_->Stats().dead_lettered, 1u);
  EXPECT_EQ(publisher_->Pending(), 0u);
}

// Issue 22 item 1: errors that are not the record's fault are retried, not
// set aside (the outbox keeps a record until Kafka confirms it, DESIGN.md
// step 4).
TEST_F(OutboxFailuresTest, FailuresThatAreNotTheRecordsFaultAreRetried) {
  const std::vector<absl::Status> rows = {
      absl::UnavailableError("all brokers down"),
      absl::DeadlineExceededError("message timed out"),
      absl::CancelledError("purged"),
      absl::PermissionDeniedError("topic authorization failed"),
      absl::NotFoundError("unknown topic"),
  };
  int n = 0;
  for (const absl::Status& status : rows) {
    SCOPED_TRACE(status.ToString());
    Reopen(absl::StrCat("row", n++));
    CreatePublisher();
    FakeProducer* p = producer(0);
    ASSERT_TRUE(Commit({"a"}).ok());
    ASSERT_TRUE(p->Deliver(SeqOf("a"), status));
    ASSERT_TRUE(p->WaitForProduced(2, kWait));
    EXPECT_THAT(Values(p), ElementsAre("a", "a"));
    EXPECT_THAT(DeadLetterValues(), IsEmpty());
    EXPECT_EQ(publisher_->Stats().dead_lettered, 0u);
  }
}

TEST_F(OutboxFailuresTest, ARecordOverTheLimitIsNeverProducedAndIsSetAside) {
  OutboxOptions options;
  options.max_record_bytes = 16;  // key "case-1" (6) + value
  CreatePublisher(options);
  ASSERT_TRUE(Commit({"ten-bytes!", "eleven-byte", "after"}).ok());
  EXPECT_THAT(Values(producer(0)), ElementsAre("ten-bytes!", "after"));
  EXPECT_THAT(DeadLetterValues(), ElementsAre("eleven-byte"));
  EXPECT_EQ(publisher_->Pending(), 2u);
}

TEST_F(OutboxFailuresTest, CheckOutboxRefusesABatchWithARecordOverTheLimit) {
  OutboxOptions options;
  options.max_record_bytes = 16;
  CreatePublisher(options);
  WriteBatch fits(store_.get());
  fits.AddOutbox("case-events", "case-1", "0123456789");  // 16 bytes
  EXPECT_TRUE(publisher_->CheckOutbox(fits).ok());
  WriteBatch over(store_.get());
  over.AddOutbox("case-events", "case-1", "0123456789");
  over.AddOutbox("petitions", "case-1", "0123456789a");  // 17 bytes
  absl::Status s = publisher_->CheckOutbox(over);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("petitions"));
  EXPECT_THAT(s.message(), HasSubstr("17 bytes"));
}

TEST_F(OutboxFailuresTest, DeadLettersStayAcrossARestartAndAreNotRepublished) {
  OutboxOptions options;
  options.max_record_bytes = 16;
  CreatePublisher(options);
  ASSERT_TRUE(Commit({"eleven-byte", "a"}).ok());
  CreatePublisher(options);  // a restart: "a" never got its report
  EXPECT_THAT(Values(producer(0)), ElementsAre("a"));
  EXPECT_THAT(DeadLetterValues(), ElementsAre("eleven-byte"));
}

// Issue 22 item 1 / issue 14 item 6: "the producer is rebuilt after a
// fatal error". Both ways a fatal error shows: a report, or Produce().
TEST_F(OutboxFailuresTest, AFatalProducerErrorRebuildsItAndRepublishesInOrder) {
  for (bool at_produce : {false, true}) {
    SCOPED_TRACE(at_produce ? "Produce() fails fatally" : "a fatal report");
    Reopen(at_produce ? "produce" : "report");
    CreatePublisher();
    FakeProducer* first = producer(0);
    ASSERT_TRUE(Commit({"a", "b"}).ok());
    if (at_produce) {
      first->RefuseAll(absl::InternalError("fatal: sequence desync"));
      ASSERT_TRUE(Commit({"c"}).ok());
    } else {
      ASSERT_TRUE(first->Deliver(
          SeqOf("a"), absl::InternalError("fatal: sequence desync")));
      ASSERT_TRUE(Commit({"c"}).ok());
    }
    ASSERT_TRUE(WaitForProducers(2));
    FakeProducer* second = producer(1);
    ASSERT_TRUE(second->WaitForProduced(3, kWait));
    EXPECT_THAT(Values(second), ElementsAre("a", "b", "c"));
    second->DeliverAll(absl::OkStatus());
    EXPECT_TRUE(publisher_->Flush(kWait).ok());
    OutboxStats stats = publisher_->Stats();
    EXPECT_EQ(stats.producer_rebuilds, 1u);
    EXPECT_TRUE(stats.producer_ready);
    EXPECT_THAT(stats.producer_error, HasSubstr("sequence desync"));
    EXPECT_THAT(PendingValues(), IsEmpty());
  }
}

TEST_F(OutboxFailuresTest, AFailedRebuildIsRetriedAndShowsTheProducerDown) {
  CreatePublisher();
  ASSERT_TRUE(Commit({"a"}).ok());
  SetFactoryError(absl::UnavailableError("cannot resolve broker"));
  ASSERT_TRUE(producer(0)->Deliver(SeqOf("a"), absl::InternalError("fatal")));
  absl::SleepFor(kRetryPasses);
  EXPECT_FALSE(publisher_->Stats().producer_ready);
  EXPECT_EQ(publisher_->Pending(), 1u);

  SetFactoryError(absl::OkStatus());
  ASSERT_TRUE(WaitForProducers(2));
  ASSERT_TRUE(producer(1)->WaitForProduced(1, kWait));
  EXPECT_THAT(Values(producer(1)), ElementsAre("a"));
  EXPECT_TRUE(publisher_->Stats().producer_ready);
}

// Issue 22 item 1: "a failed delivery report re-queues a record behind
// records already in flight ... keep per-case order". A record whose
// delivery failed waits until every record produced after it is reported,
// then goes first.
TEST_F(OutboxFailuresTest,
       AFailedRecordGoesAgainOnlyAfterLaterOnesAreReported) {
  CreatePublisher();
  FakeProducer* p = producer(0);
  ASSERT_TRUE(Commit({"a", "b"}).ok());
  const uint64_t a = SeqOf("a"), b = SeqOf("b");
  ASSERT_TRUE(p->Deliver(a, absl::UnknownError("broker gone")));
  ASSERT_TRUE(Commit({"c"}).ok());
  absl::SleepFor(kRetryPasses);
  // "b" is still in flight: neither "a" again nor "c" may go yet.
  EXPECT_THAT(Values(p), ElementsAre("a", "b"));

  ASSERT_TRUE(p->Deliver(b, absl::UnknownError("broker gone")));
  ASSERT_TRUE(p->WaitForProduced(5, kWait));
  EXPECT_THAT(Values(p), ElementsAre("a", "b", "a", "b", "c"));
}

TEST_F(OutboxFailuresTest, OldestPendingAgeCountsFromTheCommit) {
  absl::Mutex clock_mu;
  absl::Time now = absl::FromUnixSeconds(1700000000);
  OutboxOptions options;
  options.now = [&] {
    absl::MutexLock lock(&clock_mu);
    return now;
  };
  CreatePublisher(options);
  EXPECT_EQ(publisher_->Stats().oldest_pending_age, absl::ZeroDuration());
  ASSERT_TRUE(Commit({"a"}).ok());
  {
    absl::MutexLock lock(&clock_mu);
    now += absl::Seconds(30);
  }
  ASSERT_TRUE(Commit({"b"}).ok());
  {
    absl::MutexLock lock(&clock_mu);
    now += absl::Seconds(5);
  }
  EXPECT_EQ(publisher_->Stats().oldest_pending_age, absl::Seconds(35));
  ASSERT_TRUE(producer(0)->Deliver(SeqOf("a"), absl::OkStatus()));
  EXPECT_EQ(publisher_->Stats().oldest_pending_age, absl::Seconds(5));
  ASSERT_TRUE(producer(0)->Deliver(SeqOf("b"), absl::OkStatus()));
  EXPECT_EQ(publisher_->Stats().oldest_pending_age, absl::ZeroDuration());
  publisher_.reset();  // before the clock it reads
}

}  // namespace
}  // namespace caserelay::store
