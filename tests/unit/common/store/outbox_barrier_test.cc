// Tests of OutboxPublisher's changelog barrier (outbox_publisher.h, "A
// batch's changelog after its outputs"; issue 19, F4 item 1): a changelog
// record with outbox sequence S is handed to the producer only once every
// output of the store with a lower sequence is confirmed by Kafka or
// dead-lettered. A new owner restores a partition from the changelog and
// never regenerates the outputs of a batch it restored, so a changelog
// record in Kafka before its outputs loses them if the writer dies between
// the two (206 of 240,000 timer outputs lost in supervision_restart_test).
// Against a real Store with a changelog and a FakeProducer whose delivery
// reports the test controls.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/store/changelog.h"
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
using testing::FakeProducerFactory;
using ::testing::IsEmpty;
using testing::ProducedRecord;

constexpr char kChangelog[] = "svc-changelog";
constexpr char kOutputs[] = "case-events";
// Longer than the retry thread's interval (200 ms), twice.
constexpr absl::Duration kRetryPasses = absl::Milliseconds(700);
constexpr absl::Duration kWait = absl::Seconds(10);

class OutboxBarrierTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen("db"); }

  // A fresh store (a row of a table) with a changelog, as a partition DB.
  void Reopen(const std::string& name) {
    publisher_.reset();
    store_.reset();
    StoreOptions options;
    options.path = absl::StrCat(dir_.path(), "/", name);
    options.column_families = {"timers"};
    options.changelog_topic = kChangelog;
    options.changelog_partition = 0;
    options.changelog_epoch = 1;
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  void CreatePublisher(std::string changelog_topic = kChangelog) {
    publisher_.reset();
    producer_ = nullptr;
    OutboxOptions options;
    options.changelog_topic = std::move(changelog_topic);
    auto publisher = OutboxPublisher::Create(
        store_.get(), FakeProducerFactory(&producer_), std::move(options));
    ASSERT_TRUE(publisher.ok()) << publisher.status();
    publisher_ = *std::move(publisher);
  }

  // One loop batch: a timer fired (deleted, so a changelog record and a
  // marker) with its output `output` on case-events.
  static void FillBatch(WriteBatch& batch, const std::string& output) {
    batch.Delete("timers", absl::StrCat("t-", output));
    batch.AddOutbox(kOutputs, "case-1", output);
  }

  absl::Status CommitBatch(const std::string& output) {
    WriteBatch batch(store_.get());
    FillBatch(batch, output);
    return publisher_->Commit(batch);
  }

  // What the producer was handed, as "<topic>:<value or key kind>".
  std::vector<std::string> Produced() const {
    std::vector<std::string> out;
    for (const ProducedRecord& r : producer_->produced()) {
      if (r.topic != kChangelog) {
        out.push_back(absl::StrCat(r.topic, ":", r.value));
      } else if (r.key == kChangelogMarkerKey) {
        out.push_back("changelog:marker");
      } else {
        out.push_back("changelog:record");
      }
    }
    return out;
  }

  uint64_t SeqOf(const std::string& value) {
    return testing::PendingSeqOf(*store_, value);
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  FakeProducer* producer_ = nullptr;  // owned by publisher_
  std::unique_ptr<OutboxPublisher> publisher_;
};

TEST_F(OutboxBarrierTest, ChangelogRecordsWaitForTheirBatchsOutputs) {
  // F4 item 1: the changelog records of a batch reach the producer only
  // once its outputs are confirmed.
  CreatePublisher();
  ASSERT_TRUE(CommitBatch("missed-1").ok());
  EXPECT_THAT(Produced(), ElementsAre("case-events:missed-1"));
  // Not released by the passing of time either.
  absl::SleepFor(kRetryPasses);
  EXPECT_THAT(Produced(), ElementsAre("case-events:missed-1"));

  ASSERT_TRUE(producer_->Deliver(SeqOf("missed-1"), absl::OkStatus()));
  EXPECT_THAT(Produced(), ElementsAre("case-events:missed-1",
                                      "changelog:record", "changelog:marker"));
  EXPECT_EQ(producer_->DeliverAll(absl::OkStatus()), 2);
  EXPECT_THAT(testing::PendingRecords(*store_), IsEmpty());
}

TEST_F(OutboxBarrierTest, LaterOutputsGoOnWhileAChangelogWaits) {
  // F4 item 1 ("keep it cheap: one barrier per batch"): outputs of later
  // batches are not held behind an earlier batch's changelog; each
  // batch's changelog waits only for the outputs before it.
  CreatePublisher();
  ASSERT_TRUE(CommitBatch("one").ok());
  ASSERT_TRUE(CommitBatch("two").ok());
  EXPECT_THAT(Produced(), ElementsAre("case-events:one", "case-events:two"));

  ASSERT_TRUE(producer_->Deliver(SeqOf("one"), absl::OkStatus()));
  EXPECT_THAT(Produced(), ElementsAre("case-events:one", "case-events:two",
                                      "changelog:record", "changelog:marker"))
      << "batch two's changelog went before its output was confirmed";

  ASSERT_TRUE(producer_->Deliver(SeqOf("two"), absl::OkStatus()));
  EXPECT_THAT(Produced(), ElementsAre("case-events:one", "case-events:two",
                                      "changelog:record", "changelog:marker",
                                      "changelog:record", "changelog:marker"));
}

TEST_F(OutboxBarrierTest,
       WhatHappensToTheOutputDecidesWhetherItsChangelogGoes) {
  struct Row {
    const char* rule;
    // Done to the output "out" (its seq given) with the publisher running.
    std::function<void(FakeProducer&, uint64_t)> act;
    bool released;  // the batch's changelog handed to the producer
  };
  const std::vector<Row> rows = {
      {"F4 item 1: confirmed by Kafka",
       [](FakeProducer& p, uint64_t seq) {
         ASSERT_TRUE(p.Deliver(seq, absl::OkStatus()));
       },
       true},
      {"F4 item 1: dead-lettered (refused alone in a report too), which "
       "is final",
       [](FakeProducer& p, uint64_t seq) {
         ASSERT_TRUE(p.Deliver(seq, absl::InvalidArgumentError("too large")));
         // Produced once more alone, refused again: set aside.
         ASSERT_TRUE(p.WaitForProduced(2, kWait));
         ASSERT_TRUE(p.Deliver(seq, absl::InvalidArgumentError("too large")));
       },
       true},
      {"F4 item 1: dead-lettered when the producer refuses it as invalid",
       [](FakeProducer& p, uint64_t seq) {
         p.RefuseToken(seq, absl::InvalidArgumentError("invalid record"));
         ASSERT_TRUE(p.Deliver(seq, absl::UnavailableError("broker gone")));
         absl::SleepFor(kRetryPasses);  // the retry thread tries it
       },
       true},
      {"F4 item 1: a failed report is not a confirmation (retried, the "
       "changelog still waits)",
       [](FakeProducer& p, uint64_t seq) {
         p.RefuseAll(absl::UnavailableError("queue full"));
         ASSERT_TRUE(p.Deliver(seq, absl::UnavailableError("broker gone")));
         absl::SleepFor(kRetryPasses);
       },
       false},
      {"F4 item 1: no report yet", [](FakeProducer&, uint64_t) {}, false},
  };
  int n = 0;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    Reopen(absl::StrCat("row", n++));
    CreatePublisher();
    ASSERT_TRUE(CommitBatch("out").ok());
    row.act(*producer_, SeqOf("out"));
    const std::vector<std::string> produced = Produced();
    const bool released =
        !produced.empty() && produced.back() == "changelog:marker";
    EXPECT_EQ(released, row.released);
    if (!row.released) {
      EXPECT_EQ(std::count(produced.begin(), produced.end(),
                           std::string("changelog:record")),
                0);
    }
  }
}

TEST_F(OutboxBarrierTest, WhatIsRepublishedAtStartWaitsTheSameWay) {
  // F4 item 1: "this must also hold for what is republished after a
  // restart": a run that died left two batches in the outbox.
  for (const char* output : {"a", "b"}) {
    WriteBatch batch(store_.get());
    FillBatch(batch, output);
    ASSERT_TRUE(store_->Commit(batch).ok());
  }
  CreatePublisher();
  EXPECT_THAT(Produced(), ElementsAre("case-events:a", "case-events:b"));
  ASSERT_TRUE(producer_->Deliver(SeqOf("a"), absl::OkStatus()));
  ASSERT_TRUE(producer_->Deliver(SeqOf("b"), absl::OkStatus()));
  EXPECT_THAT(Produced(), ElementsAre("case-events:a", "case-events:b",
                                      "changelog:record", "changelog:marker",
                                      "changelog:record", "changelog:marker"));
}

TEST_F(OutboxBarrierTest, AfterAProducerRebuildTheChangelogStillWaits) {
  // F4 item 1 with issue 22 item 1 (a producer failed fatally is rebuilt
  // and its unconfirmed records produced again): the barrier holds on the
  // new producer too.
  CreatePublisher();
  ASSERT_TRUE(CommitBatch("x").ok());
  ASSERT_TRUE(producer_->Deliver(SeqOf("x"), absl::InternalError("fenced")));
  const absl::Time deadline = absl::Now() + kWait;
  while (publisher_->Stats().producer_rebuilds == 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_EQ(publisher_->Stats().producer_rebuilds, 1u);
  ASSERT_TRUE(producer_->WaitForProduced(1, kWait));
  absl::SleepFor(kRetryPasses);
  EXPECT_THAT(Produced(), ElementsAre("case-events:x"));
  ASSERT_TRUE(producer_->Deliver(SeqOf("x"), absl::OkStatus()));
  EXPECT_THAT(Produced(), ElementsAre("case-events:x", "changelog:record",
                                      "changelog:marker"));
}

TEST_F(OutboxBarrierTest, WithoutAChangelogTopicNothingWaits) {
  // outbox_publisher.h: a store without a changelog has no barrier; the
  // records go out in sequence order as before.
  CreatePublisher(/*changelog_topic=*/"");
  ASSERT_TRUE(CommitBatch("y").ok());
  EXPECT_THAT(Produced(), ElementsAre("case-events:y", "changelog:record",
                                      "changelog:marker"));
}

}  // namespace
}  // namespace caserelay::store
