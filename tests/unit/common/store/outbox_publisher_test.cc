// Tests of caserelay::store::OutboxPublisher: the second half of DESIGN.md
// "One recipe for consistency" (publish the outbox in commit order, delete
// on a confirmed delivery, republish what is left on start), against a real
// Store and a FakeProducer whose delivery reports the test controls.

#include "common/store/outbox_publisher.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/store/fake_producer.h"
#include "tests/unit/common/store/pending_outbox.h"
#include "tests/unit/common/store/temp_dir.h"

namespace caserelay::store {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using testing::FakeProducer;
using testing::FakeProducerFactory;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::ProducedRecord;

// Long enough for the retry thread (it wakes every 200 ms) on a busy box.
constexpr absl::Duration kWait = absl::Seconds(10);

class OutboxPublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions options;
    options.path = absl::StrCat(dir_.path(), "/db");
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  // (Re)creates publisher_ over store_ with a fresh FakeProducer.
  void CreatePublisher() {
    publisher_.reset();
    producer_ = nullptr;
    auto publisher =
        OutboxPublisher::Create(store_.get(), FakeProducerFactory(&producer_));
    ASSERT_TRUE(publisher.ok()) << publisher.status();
    publisher_ = *std::move(publisher);
    ASSERT_NE(producer_, nullptr);
  }

  // Commits one batch of outbox records with these values on "case-events".
  absl::Status Commit(const std::vector<std::string>& values) {
    WriteBatch batch(store_.get());
    for (const auto& v : values) batch.AddOutbox("case-events", "case-1", v);
    return publisher_->Commit(batch);
  }

  // The seq of the pending outbox record holding `value`; 0 if none.
  uint64_t SeqOf(const std::string& value) {
    return testing::PendingSeqOf(*store_, value);
  }

  std::vector<std::string> PendingValues() {
    return testing::PendingValues(*store_);
  }

  std::vector<std::string> ProducedValues() {
    std::vector<std::string> values;
    for (const ProducedRecord& r : producer_->produced()) {
      values.push_back(r.value);
    }
    return values;
  }

  std::vector<uint64_t> ProducedTokens() {
    std::vector<uint64_t> tokens;
    for (const ProducedRecord& r : producer_->produced()) {
      tokens.push_back(r.token);
    }
    return tokens;
  }

  // Declared so that the publisher goes before the store, the store before
  // its directory.
  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  FakeProducer* producer_ = nullptr;  // owned by publisher_
  std::unique_ptr<OutboxPublisher> publisher_;
};

TEST_F(OutboxPublisherTest, CommitHandsRecordsToProducerInSeqOrder) {
  CreatePublisher();
  ASSERT_TRUE(Commit({"a", "b"}).ok());
  ASSERT_TRUE(Commit({"c"}).ok());

  std::vector<ProducedRecord> produced = producer_->produced();
  ASSERT_EQ(produced.size(), 3u);
  EXPECT_EQ(produced[0].topic, "case-events");
  EXPECT_EQ(produced[0].key, "case-1");
  EXPECT_THAT(ProducedValues(), ElementsAre("a", "b", "c"));
  // The token is the outbox sequence.
  EXPECT_THAT(ProducedTokens(),
              ElementsAre(SeqOf("a"), SeqOf("b"), SeqOf("c")));
}

TEST_F(OutboxPublisherTest, OkDeliveryDeletesTheRecordFromTheStore) {
  CreatePublisher();
  ASSERT_TRUE(Commit({"a", "b"}).ok());
  ASSERT_TRUE(producer_->Deliver(SeqOf("a"), absl::OkStatus()));

  EXPECT_THAT(PendingValues(), ElementsAre("b"));
  EXPECT_EQ(store_->OutboxSize(), 1u);
  EXPECT_EQ(publisher_->Pending(), 1u);
}

TEST_F(OutboxPublisherTest, FailedDeliveryKeepsTheRecordAndRetriesIt) {
  CreatePublisher();
  ASSERT_TRUE(Commit({"a"}).ok());
  const uint64_t seq = SeqOf("a");
  ASSERT_TRUE(producer_->Deliver(
      seq, absl::DeadlineExceededError("message timed out")));
  EXPECT_THAT(PendingValues(), ElementsAre("a"));
  EXPECT_EQ(publisher_->Pending(), 1u);

  // The retry thread produces it again, with the same token.
  ASSERT_TRUE(producer_->WaitForProduced(2, kWait));
  EXPECT_THAT(ProducedTokens(), ElementsAre(seq, seq));

  ASSERT_TRUE(producer_->Deliver(seq, absl::OkStatus()));
  EXPECT_THAT(PendingValues(), IsEmpty());
  EXPECT_EQ(publisher_->Pending(), 0u);
}

TEST_F(OutboxPublisherTest, FailedDeliveriesAreRetriedInSeqOrder) {
  CreatePublisher();
  ASSERT_TRUE(Commit({"a", "b", "c"}).ok());
  const uint64_t a = SeqOf("a"), b = SeqOf("b"), c = SeqOf("c");
  // Hold retries until both failures are in, reported out of order.
  producer_->RefuseAll(absl::UnavailableError("queue full"));
  ASSERT_TRUE(producer_->Deliver(b, absl::UnknownError("broker gone")));
  ASSERT_TRUE(producer_->Deliver(a, absl::UnknownError("broker gone")));
  ASSERT_TRUE(producer_->Deliver(c, absl::OkStatus()));
  EXPECT_THAT(PendingValues(), ElementsAre("a", "b"));

  producer_->AcceptAll();
  ASSERT_TRUE(producer_->WaitForProduced(5, kWait));
  EXPECT_THAT(ProducedTokens(), ElementsAre(a, b, c, a, b));
}

TEST_F(OutboxPublisherTest, QueueFullKeepsLaterRecordsBehindInOrder) {
  CreatePublisher();
  ASSERT_TRUE(Commit({"a"}).ok());
  producer_->RefuseAll(absl::UnavailableError("queue full"));
  ASSERT_TRUE(Commit({"b", "c"}).ok());
  // From here on only "b" is refused: "c" and "d" would be accepted if the
  // publisher tried them, but they must wait behind "b".
  const uint64_t b = SeqOf("b"), c = SeqOf("c");
  producer_->RefuseToken(b, absl::UnavailableError("queue full"));
  producer_->RefuseAll(absl::OkStatus());
  ASSERT_TRUE(Commit({"d"}).ok());
  const uint64_t d = SeqOf("d");

  EXPECT_THAT(ProducedValues(), ElementsAre("a"));
  EXPECT_THAT(producer_->attempts(), Not(Contains(c)));
  EXPECT_THAT(producer_->attempts(), Not(Contains(d)));
  EXPECT_EQ(publisher_->Pending(), 4u);

  producer_->AcceptAll();
  ASSERT_TRUE(producer_->WaitForProduced(4, kWait));
  EXPECT_THAT(ProducedValues(), ElementsAre("a", "b", "c", "d"));
}

TEST_F(OutboxPublisherTest, CreateRepublishesPendingRecordsFirstInOrder) {
  // Records committed by an earlier run that never saw their reports.
  WriteBatch earlier(store_.get());
  earlier.AddOutbox("case-events", "case-1", "a");
  earlier.AddOutbox("case-events", "case-2", "b");
  ASSERT_TRUE(store_->Commit(earlier).ok());
  WriteBatch later(store_.get());
  later.AddOutbox("case-events", "case-1", "c");
  ASSERT_TRUE(store_->Commit(later).ok());

  CreatePublisher();
  ASSERT_TRUE(Commit({"d"}).ok());
  EXPECT_THAT(ProducedValues(), ElementsAre("a", "b", "c", "d"));
  EXPECT_THAT(ProducedTokens(),
              ElementsAre(SeqOf("a"), SeqOf("b"), SeqOf("c"), SeqOf("d")));
  EXPECT_EQ(publisher_->Pending(), 4u);
}

TEST_F(OutboxPublisherTest,
       UnconfirmedRecordsAreRepublishedByTheNextPublisher) {
  CreatePublisher();
  ASSERT_TRUE(Commit({"a", "b"}).ok());
  ASSERT_TRUE(producer_->Deliver(SeqOf("a"), absl::OkStatus()));

  CreatePublisher();  // a restart: "b" never got its report
  EXPECT_THAT(ProducedValues(), ElementsAre("b"));
}

TEST_F(OutboxPublisherTest, CreateReturnsTheProducerFactoryError) {
  auto publisher = OutboxPublisher::Create(
      store_.get(),
      [](kafka::DeliveryCallback)
          -> absl::StatusOr<std::unique_ptr<kafka::Producer>> {
        return absl::InvalidArgumentError("bootstrap is empty");
      });
  EXPECT_EQ(publisher.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(OutboxPublisherTest, FlushIsDeadlineExceededWhileReportsAreMissing) {
  CreatePublisher();
  ASSERT_TRUE(Commit({"a", "b"}).ok());
  ASSERT_TRUE(producer_->Deliver(SeqOf("a"), absl::OkStatus()));

  absl::Status s = publisher_->Flush(absl::Milliseconds(50));
  EXPECT_EQ(s.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(s.message(), HasSubstr("1 records"));
}

TEST_F(OutboxPublisherTest, FlushIsOkOnceEveryRecordIsConfirmed) {
  CreatePublisher();
  ASSERT_TRUE(Commit({"a", "b"}).ok());
  // Reports arrive while Flush waits.
  std::thread reporter([&] {
    absl::SleepFor(absl::Milliseconds(50));
    producer_->DeliverAll(absl::OkStatus());
  });
  EXPECT_TRUE(publisher_->Flush(kWait).ok());
  reporter.join();
  EXPECT_THAT(PendingValues(), IsEmpty());
}

TEST_F(OutboxPublisherTest, FlushWithNothingCommittedIsOk) {
  CreatePublisher();
  EXPECT_TRUE(publisher_->Flush(absl::ZeroDuration()).ok());
}

TEST_F(OutboxPublisherTest, PendingCountsCommittedButUnconfirmedRecords) {
  CreatePublisher();
  EXPECT_EQ(publisher_->Pending(), 0u);
  ASSERT_TRUE(Commit({"a", "b", "c"}).ok());
  EXPECT_EQ(publisher_->Pending(), 3u);

  ASSERT_TRUE(producer_->Deliver(SeqOf("a"), absl::OkStatus()));
  EXPECT_EQ(publisher_->Pending(), 2u);

  // A failed report or a refused Produce leaves the record pending.
  producer_->RefuseAll(absl::UnavailableError("queue full"));
  ASSERT_TRUE(producer_->Deliver(SeqOf("b"), absl::UnknownError("broker")));
  ASSERT_TRUE(Commit({"d"}).ok());
  EXPECT_EQ(publisher_->Pending(), 3u);
}

TEST_F(OutboxPublisherTest, CommitOrderIsPublishOrderUnderConcurrentCommits) {
  CreatePublisher();
  constexpr int kPerThread = 50;
  std::atomic<bool> done{false};
  std::thread reporter([&] {
    while (!done) {
      producer_->DeliverAll(absl::OkStatus());
      absl::SleepFor(absl::Milliseconds(1));
    }
  });
  auto committer = [&](const std::string& name) {
    for (int i = 0; i < kPerThread; ++i) {
      EXPECT_TRUE(Commit({absl::StrCat(name, i)}).ok());
    }
  };
  std::thread one(committer, "x");
  std::thread two(committer, "y");
  one.join();
  two.join();
  absl::Status flushed = publisher_->Flush(kWait);
  done = true;
  reporter.join();

  EXPECT_TRUE(flushed.ok()) << flushed;
  std::vector<uint64_t> tokens = ProducedTokens();
  ASSERT_EQ(tokens.size(), 2u * kPerThread);
  for (size_t i = 1; i < tokens.size(); ++i) {
    EXPECT_LT(tokens[i - 1], tokens[i]) << "at " << i;
  }
  EXPECT_EQ(store_->OutboxSize(), 0u);
}

}  // namespace
}  // namespace caserelay::store
