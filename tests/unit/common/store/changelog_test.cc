// Tests of the changelog writer (common/store/changelog.h): what every
// Commit on a partition Store adds to its outbox, how the records travel
// through the outbox and the producer seam (explicit partition, null
// values), and OutboxPublisher::CommitAndWait. Rows cite the team's contract
// for issue 19 (/work/notes/scale-contract.md, "contract item 3").

#include "common/store/changelog.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/store/outbox_publisher.h"
#include "common/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/store/fake_producer.h"
#include "tests/unit/common/store/pending_outbox.h"
#include "tests/unit/common/store/temp_dir.h"

namespace caserelay::store {
namespace {

using testing::FakeProducer;
using testing::FakeProducerFactory;
using ::testing::HasSubstr;
using testing::PendingRecords;

constexpr char kTopic[] = "supervision-changelog";
constexpr int32_t kPartition = 3;

std::string Str(const char* bytes, size_t n) { return std::string(bytes, n); }

class ChangelogTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(7); }

  void Open(uint64_t epoch) {
    store_.reset();
    StoreOptions options;
    options.path = absl::StrCat(dir_.path(), "/p003");
    options.column_families = {"cases", "timers"};
    options.changelog_topic = kTopic;
    options.changelog_partition = kPartition;
    options.changelog_epoch = epoch;
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  // The changelog records of a commit (outputs left out), in order.
  std::vector<OutboxRecord> Logged(const std::vector<OutboxRecord>& records) {
    std::vector<OutboxRecord> out;
    for (const OutboxRecord& r : records) {
      if (r.topic == kTopic) out.push_back(r);
    }
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(ChangelogTest, OneRecordPerWrittenKeyThenTheMarker) {
  // contract item 3: key "<cf>\0<key>", the new value, a null value for a
  // delete, partition p, then one end-of-batch marker "\0batch".
  WriteBatch batch(store_.get());
  batch.Put("cases", "c1", "v1");
  batch.Delete("cases", "c2");
  batch.Put("cases", "c1", "v1b");  // the last write of a key wins
  batch.Put("timers", "t1", "");    // an empty value is not a null value
  batch.AddOutbox("case-events", "c1", "event");
  auto committed = store_->Commit(batch);
  ASSERT_TRUE(committed.ok()) << committed.status();
  ASSERT_EQ(committed->size(), 5u);
  EXPECT_EQ((*committed)[0].topic, "case-events");  // outputs first
  EXPECT_EQ((*committed)[0].partition, -1);

  struct Row {
    const char* rule;
    std::string key;
    std::string value;
    bool null_value;
  };
  const std::vector<Row> rows = {
      {"contract item 3: a put logs the last value", Str("cases\0c1", 8), "v1b",
       false},
      {"contract item 3: a delete logs a null value", Str("cases\0c2", 8), "",
       true},
      {"contract item 3: an empty value stays a value", Str("timers\0t1", 9),
       "", false},
      {"contract item 3: the end-of-batch marker (sequence 1, epoch 7)",
       std::string(kChangelogMarkerKey), EncodeMarker({1, 7}), false},
  };
  std::vector<OutboxRecord> logged = Logged(*committed);
  ASSERT_EQ(logged.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(logged[i].key, rows[i].key) << rows[i].rule;
    EXPECT_EQ(logged[i].value, rows[i].value) << rows[i].rule;
    EXPECT_EQ(logged[i].null_value, rows[i].null_value) << rows[i].rule;
    EXPECT_EQ(logged[i].partition, kPartition) << rows[i].rule;
  }
}

TEST_F(ChangelogTest, WhatIsNotStateIsNotLogged) {
  struct Row {
    const char* rule;
    std::string cf;
    std::string key;
    bool logged;
  };
  const std::vector<Row> rows = {
      {"contract item 3: the outbox is not state", "outbox", "x", false},
      {"contract item 3: confirmed records are not state", "published", "x",
       false},
      {"contract item 3: the outbox sequence is bookkeeping", "meta",
       "outbox-next-seq", false},
      {"contract item 3: the changelog position is bookkeeping", "meta",
       kChangelogPositionKey, false},
      {"contract item 3: the batch counter is bookkeeping", "meta",
       kChangelogBatchSeqKey, false},
      {"contract item 3: the owner epoch is bookkeeping", "meta",
       kOwnerEpochKey, false},
      {"contract item 3: outbox dead letters belong to the old outbox",
       "dead-letters", "outbox/00000000000000000001", false},
      {"contract item 3: a service's own meta key is state (held events)",
       "meta", "held/1", true},
      {"contract item 3: input dead letters are state", "dead-letters",
       "case-events/0/12", true},
      {"contract item 3: consumed offsets move with the state", "offsets",
       "anything", true},
      {"contract item 3: a service family is state", "cases", "c1", true},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(IsUnlogged(row.cf, row.key), !row.logged) << row.rule;
  }
}

TEST_F(ChangelogTest, OffsetsAreLoggedAndABatchWithoutStateGetsNoMarker) {
  // contract item 3: the consumed offsets are state of the partition.
  WriteBatch offsets(store_.get());
  offsets.SetOffset("case-events", kPartition, 42, "log-a");
  auto committed = store_->Commit(offsets);
  ASSERT_TRUE(committed.ok()) << committed.status();
  std::vector<OutboxRecord> logged = Logged(*committed);
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_TRUE(absl::StartsWith(logged[0].key, Str("offsets\0", 8)));
  EXPECT_EQ(logged[1].key, kChangelogMarkerKey);

  // contract item 3: a batch of outputs only logs nothing.
  WriteBatch outputs(store_.get());
  outputs.AddOutbox("case-events", "c1", "event");
  committed = store_->Commit(outputs);
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_TRUE(Logged(*committed).empty());
}

TEST(ChangelogMarkerTest, MarkersCarryTheOwnerIdAndOldOnesReadAsOwnerZero) {
  struct Row {
    const char* rule;
    std::string value;
    bool ok;
    BatchMarker want;
  };
  const std::string old16 = EncodeMarker({5, 2, 0}).substr(0, 16);
  const std::vector<Row> rows = {
      {"F4 item 2: sequence, epoch and owner id (24 bytes)",
       EncodeMarker({5, 2, 0xfeedfacecafebeefULL}),
       true,
       {5, 2, 0xfeedfacecafebeefULL}},
      {"F4 item 2: a 16-byte marker from before owner ids is owner 0",
       old16,
       true,
       {5, 2, 0}},
      {"changelog.h: any other size is DATA_LOSS",
       std::string(20, 'x'),
       false,
       {}},
      {"changelog.h: an empty marker is DATA_LOSS", "", false, {}},
  };
  for (const Row& row : rows) {
    auto got = DecodeMarker(row.value);
    ASSERT_EQ(got.ok(), row.ok) << row.rule << ": " << got.status();
    if (!row.ok) {
      EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss) << row.rule;
      continue;
    }
    EXPECT_EQ(got->sequence, row.want.sequence) << row.rule;
    EXPECT_EQ(got->epoch, row.want.epoch) << row.rule;
    EXPECT_EQ(got->owner, row.want.owner) << row.rule;
  }
}

TEST_F(ChangelogTest, TheMarkerCarriesTheStoresOwnerId) {
  // F4 item 2: the end-of-batch marker names the copy that wrote it.
  store_.reset();
  StoreOptions options;
  options.path = absl::StrCat(dir_.path(), "/owned");
  options.column_families = {"cases"};
  options.changelog_topic = kTopic;
  options.changelog_partition = kPartition;
  options.changelog_epoch = 3;
  options.changelog_owner = 77;
  auto store = Store::Open(options);
  ASSERT_TRUE(store.ok()) << store.status();
  WriteBatch batch(store->get());
  batch.Put("cases", "c1", "v");
  auto committed = (*store)->Commit(batch);
  ASSERT_TRUE(committed.ok()) << committed.status();
  auto marker = DecodeMarker(committed->back().value);
  ASSERT_TRUE(marker.ok()) << marker.status();
  EXPECT_EQ(marker->epoch, 3u);
  EXPECT_EQ(marker->owner, 77u);
  // The owner id is the store's bookkeeping, never logged.
  EXPECT_TRUE(IsUnlogged("meta", kOwnerIdKey));
}

TEST_F(ChangelogTest, BatchSequenceGoesOnAfterAReopen) {
  // contract item 3: the marker carries the batch sequence and the epoch.
  for (int i = 0; i < 2; ++i) {
    WriteBatch batch(store_.get());
    batch.Put("cases", "c1", absl::StrCat(i));
    ASSERT_TRUE(store_->Commit(batch).ok());
  }
  Open(8);
  WriteBatch batch(store_.get());
  batch.Put("cases", "c1", "x");
  auto committed = store_->Commit(batch);
  ASSERT_TRUE(committed.ok()) << committed.status();
  auto marker = DecodeMarker(committed->back().value);
  ASSERT_TRUE(marker.ok()) << marker.status();
  EXPECT_EQ(marker->sequence, 3u);
  EXPECT_EQ(marker->epoch, 8u);
}

TEST_F(ChangelogTest, PartitionAndNullValueSurviveTheStoredOutbox) {
  // contract item 3: OutboxRecord.partition and null values are stored
  // with the record and read back after a restart.
  WriteBatch batch(store_.get());
  batch.Delete("cases", "c2");
  batch.AddOutbox("case-events", "c1", "event");
  ASSERT_TRUE(store_->Commit(batch).ok());
  Open(7);
  std::vector<OutboxRecord> pending = PendingRecords(*store_);
  ASSERT_EQ(pending.size(), 3u);
  EXPECT_EQ(pending[0].topic, "case-events");
  EXPECT_EQ(pending[0].partition, -1);
  EXPECT_FALSE(pending[0].null_value);
  EXPECT_EQ(pending[1].topic, kTopic);
  EXPECT_EQ(pending[1].partition, kPartition);
  EXPECT_TRUE(pending[1].null_value);
  EXPECT_EQ(pending[2].key, kChangelogMarkerKey);
  EXPECT_FALSE(pending[2].null_value);
}

TEST_F(ChangelogTest, ThePublisherProducesToThePartitionWithNullValues) {
  // contract item 3: explicit partition and tombstones through the
  // producer seam.
  FakeProducer* producer = nullptr;
  auto publisher =
      OutboxPublisher::Create(store_.get(), FakeProducerFactory(&producer));
  ASSERT_TRUE(publisher.ok()) << publisher.status();
  WriteBatch batch(store_.get());
  batch.Delete("cases", "c2");
  ASSERT_TRUE((*publisher)->Commit(batch).ok());
  ASSERT_TRUE(producer->WaitForProduced(2, absl::Seconds(10)));
  std::vector<testing::ProducedRecord> produced = producer->produced();
  ASSERT_EQ(produced.size(), 2u);
  EXPECT_EQ(produced[0].partition, kPartition);
  EXPECT_TRUE(produced[0].null_value);
  EXPECT_EQ(produced[1].partition, kPartition);
  EXPECT_FALSE(produced[1].null_value);
}

TEST_F(ChangelogTest, CommitAndWaitAnswersOnlyOnceKafkaConfirmedTheBatch) {
  // contract item 3: "a gRPC write path answers only after its outbox
  // records (outputs and changelog) are confirmed by Kafka".
  FakeProducer* producer = nullptr;
  auto publisher =
      OutboxPublisher::Create(store_.get(), FakeProducerFactory(&producer));
  ASSERT_TRUE(publisher.ok()) << publisher.status();
  // An earlier batch that stays unconfirmed is not waited for.
  WriteBatch earlier(store_.get());
  earlier.AddOutbox("case-events", "c0", "earlier");
  ASSERT_TRUE((*publisher)->Commit(earlier).ok());
  ASSERT_TRUE(producer->WaitForProduced(1, absl::Seconds(10)));
  const uint64_t earlier_token = producer->outstanding().front();

  std::atomic<bool> answered{false};
  absl::Status answer;
  std::thread writer([&] {
    WriteBatch batch(store_.get());
    batch.Put("cases", "c1", "v1");
    batch.AddOutbox("case-events", "c1", "event");
    answer = (*publisher)->CommitAndWait(batch, absl::Seconds(30));
    answered = true;
  });
  ASSERT_TRUE(producer->WaitForProduced(4, absl::Seconds(10)));
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_FALSE(answered.load()) << "answered before Kafka confirmed";
  for (uint64_t token : producer->outstanding()) {
    if (token != earlier_token) producer->Deliver(token, absl::OkStatus());
  }
  writer.join();
  EXPECT_TRUE(answer.ok()) << answer;
  EXPECT_TRUE(answered.load());

  // Unconfirmed within the timeout: DEADLINE_EXCEEDED, but committed.
  WriteBatch late(store_.get());
  late.Put("cases", "c3", "v3");
  absl::Status s = (*publisher)->CommitAndWait(late, absl::Milliseconds(100));
  EXPECT_EQ(s.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(s.message(), HasSubstr("committed"));
  auto value = store_->Get("cases", "c3");
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->value_or(""), "v3");
}

}  // namespace
}  // namespace caserelay::store
