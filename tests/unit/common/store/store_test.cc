// Tests of caserelay::store::Store and WriteBatch against a real RocksDB in
// a temp dir: the first half of DESIGN.md "One recipe for consistency"
// (state, outbox and offsets in one WriteBatch).

#include "common/store/store.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "tests/unit/common/store/pending_outbox.h"
#include "tests/unit/common/store/temp_dir.h"

namespace caserelay::store {
namespace {

// The next offset stored for topic/partition (nullopt: none); fails the
// test if the store cannot read it.
std::optional<int64_t> StoredOffset(const Store& store,
                                    const std::string& topic,
                                    int32_t partition) {
  auto position = store.Position(topic, partition);
  EXPECT_TRUE(position.ok()) << position.status();
  if (!position.ok() || !position->has_value()) return std::nullopt;
  return (*position)->next_offset;
}

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::UnorderedElementsAre;

class StoreTest : public ::testing::Test {
 protected:
  StoreTest() : path_(absl::StrCat(dir_.path(), "/db")) {}

  absl::StatusOr<std::unique_ptr<Store>> Open() {
    StoreOptions options;
    options.path = path_;
    options.column_families = {"cases"};
    return Store::Open(options);
  }

  // Opens into store_, failing the test on error.
  void OpenOrDie() {
    auto store = Open();
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  void Reopen() {
    store_.reset();
    OpenOrDie();
  }

  // Commits one batch holding only outbox records with these values.
  std::vector<OutboxRecord> CommitOutbox(
      const std::vector<std::string>& values) {
    WriteBatch batch(store_.get());
    for (const auto& v : values) batch.AddOutbox("case-events", "case-1", v);
    auto records = store_->Commit(batch);
    EXPECT_TRUE(records.ok()) << records.status();
    return records.ok() ? *records : std::vector<OutboxRecord>{};
  }

  std::vector<uint64_t> PendingSeqs() { return testing::PendingSeqs(*store_); }

  testing::TempDir dir_;
  const std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, OpenCreatesBuiltInAndServiceFamilies) {
  OpenOrDie();
  store_.reset();
  std::vector<std::string> names;
  rocksdb::Status s =
      rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path_, &names);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_THAT(names,
              UnorderedElementsAre("default", "outbox", "offsets", "meta",
                                   "dead-letters", "published", "cases"));
}

TEST_F(StoreTest, OpenWithEmptyPathIsInvalidArgument) {
  auto store = Store::Open(StoreOptions{});
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, SecondOpenOfSamePathWhileOpenIsUnavailable) {
  OpenOrDie();
  auto second = Open();
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(), HasSubstr(path_));
}

TEST_F(StoreTest, ReopenKeepsCommittedStateOutboxAndOffsets) {
  OpenOrDie();
  WriteBatch batch(store_.get());
  batch.Put("cases", "case-1", "routed");
  batch.AddOutbox("case-events", "case-1", "event");
  batch.SetOffset("petitions", 0, 42);
  ASSERT_TRUE(store_->Commit(batch).ok());

  Reopen();
  EXPECT_THAT(*store_->Get("cases", "case-1"), Optional(std::string("routed")));
  EXPECT_THAT(StoredOffset(*store_, "petitions", 0), Optional(42));
  auto pending = store_->PendingOutbox();
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].value, "event");
  EXPECT_EQ(store_->OutboxSize(), 1u);
}

TEST_F(StoreTest, GetOfAbsentKeyIsNullopt) {
  OpenOrDie();
  auto got = store_->Get("cases", "nobody");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, std::nullopt);
}

TEST_F(StoreTest, CommitWritesStateOutboxAndOffsetsTogether) {
  OpenOrDie();
  WriteBatch batch(store_.get());
  batch.Put("cases", "case-1", "routed");
  batch.AddOutbox("case-events", "case-1", "event");
  batch.SetOffset("petitions", 3, 8);

  // Nothing of the batch is visible before Commit...
  EXPECT_EQ(*store_->Get("cases", "case-1"), std::nullopt);
  EXPECT_EQ(StoredOffset(*store_, "petitions", 3), std::nullopt);
  EXPECT_THAT(PendingSeqs(), ElementsAre());
  EXPECT_EQ(store_->OutboxSize(), 0u);

  auto records = store_->Commit(batch);
  ASSERT_TRUE(records.ok()) << records.status();

  // ...and all of it after.
  EXPECT_THAT(*store_->Get("cases", "case-1"), Optional(std::string("routed")));
  EXPECT_THAT(StoredOffset(*store_, "petitions", 3), Optional(8));
  ASSERT_EQ(records->size(), 1u);
  EXPECT_THAT(PendingSeqs(), ElementsAre((*records)[0].seq));
  EXPECT_EQ(store_->OutboxSize(), 1u);
}

TEST_F(StoreTest, CommitReturnsOutboxRecordsWithIncreasingSeq) {
  OpenOrDie();
  WriteBatch batch(store_.get());
  batch.AddOutbox("case-events", "case-1", "first");
  batch.AddOutbox("supervision-events", "case-2", "second");
  auto records = store_->Commit(batch);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].topic, "case-events");
  EXPECT_EQ((*records)[0].key, "case-1");
  EXPECT_EQ((*records)[0].value, "first");
  EXPECT_EQ((*records)[1].topic, "supervision-events");
  EXPECT_EQ((*records)[1].key, "case-2");
  EXPECT_EQ((*records)[1].value, "second");
  EXPECT_LT((*records)[0].seq, (*records)[1].seq);

  std::vector<OutboxRecord> later = CommitOutbox({"third"});
  ASSERT_EQ(later.size(), 1u);
  EXPECT_LT((*records)[1].seq, later[0].seq);
}

TEST_F(StoreTest, CommitWithoutOutboxReturnsNoRecords) {
  OpenOrDie();
  WriteBatch batch(store_.get());
  batch.Put("cases", "case-1", "routed");
  auto records = store_->Commit(batch);
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_TRUE(records->empty());
}

TEST_F(StoreTest, OutboxSeqKeepsIncreasingAcrossReopen) {
  OpenOrDie();
  std::vector<OutboxRecord> before = CommitOutbox({"a", "b"});
  ASSERT_EQ(before.size(), 2u);
  // An empty outbox must not let the sequence restart: a late report for
  // an old sequence would otherwise delete a new record.
  ASSERT_TRUE(store_->DeleteOutbox({before[0].seq, before[1].seq}).ok());

  Reopen();
  std::vector<OutboxRecord> after = CommitOutbox({"c"});
  ASSERT_EQ(after.size(), 1u);
  EXPECT_GT(after[0].seq, before[1].seq);
}

TEST_F(StoreTest, StoredOffsetIsNulloptWhenNoneStored) {
  OpenOrDie();
  EXPECT_EQ(StoredOffset(*store_, "petitions", 0), std::nullopt);
}

TEST_F(StoreTest, StoredOffsetIsTheLastCommittedPerTopicAndPartition) {
  OpenOrDie();
  WriteBatch first(store_.get());
  first.SetOffset("petitions", 0, 5);
  first.SetOffset("petitions", 1, 7);
  first.SetOffset("petitions-dlq", 0, 9);
  ASSERT_TRUE(store_->Commit(first).ok());
  WriteBatch second(store_.get());
  second.SetOffset("petitions", 0, 12);
  ASSERT_TRUE(store_->Commit(second).ok());

  EXPECT_THAT(StoredOffset(*store_, "petitions", 0), Optional(12));
  EXPECT_THAT(StoredOffset(*store_, "petitions", 1), Optional(7));
  EXPECT_THAT(StoredOffset(*store_, "petitions-dlq", 0), Optional(9));
  EXPECT_EQ(StoredOffset(*store_, "petitions", 2), std::nullopt);
}

TEST_F(StoreTest, SetOffsetTwiceInOneBatchKeepsTheLast) {
  OpenOrDie();
  WriteBatch batch(store_.get());
  batch.SetOffset("petitions", 0, 3);
  batch.SetOffset("petitions", 0, 5);
  ASSERT_TRUE(store_->Commit(batch).ok());
  EXPECT_THAT(StoredOffset(*store_, "petitions", 0), Optional(5));
}

TEST_F(StoreTest, WriteBatchGetReadsThroughToCommittedState) {
  OpenOrDie();
  WriteBatch setup(store_.get());
  setup.Put("cases", "case-1", "committed");
  ASSERT_TRUE(store_->Commit(setup).ok());

  WriteBatch batch(store_.get());
  auto got = batch.Get("cases", "case-1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_THAT(*got, Optional(std::string("committed")));
  EXPECT_EQ(*batch.Get("cases", "case-2"), std::nullopt);
}

TEST_F(StoreTest, WriteBatchGetSeesItsOwnWritesOverCommittedState) {
  OpenOrDie();
  WriteBatch setup(store_.get());
  setup.Put("cases", "case-1", "committed");
  setup.Put("cases", "case-2", "committed");
  ASSERT_TRUE(store_->Commit(setup).ok());

  WriteBatch batch(store_.get());
  batch.Put("cases", "case-1", "uncommitted");
  batch.Delete("cases", "case-2");
  batch.Put("cases", "case-3", "new");
  EXPECT_THAT(*batch.Get("cases", "case-1"),
              Optional(std::string("uncommitted")));
  EXPECT_EQ(*batch.Get("cases", "case-2"), std::nullopt);
  EXPECT_THAT(*batch.Get("cases", "case-3"), Optional(std::string("new")));

  // The store itself still shows the committed state.
  EXPECT_THAT(*store_->Get("cases", "case-1"),
              Optional(std::string("committed")));
  EXPECT_THAT(*store_->Get("cases", "case-2"),
              Optional(std::string("committed")));
  EXPECT_EQ(*store_->Get("cases", "case-3"), std::nullopt);
}

TEST_F(StoreTest, WriteBatchIsEmptyUntilSomethingIsWritten) {
  OpenOrDie();
  EXPECT_TRUE(WriteBatch(store_.get()).empty());
  {
    WriteBatch b(store_.get());
    b.Put("cases", "k", "v");
    EXPECT_FALSE(b.empty());
  }
  {
    WriteBatch b(store_.get());
    b.Delete("cases", "k");
    EXPECT_FALSE(b.empty());
  }
  {
    WriteBatch b(store_.get());
    b.AddOutbox("case-events", "k", "v");
    EXPECT_FALSE(b.empty());
  }
  {
    WriteBatch b(store_.get());
    b.SetOffset("petitions", 0, 1);
    EXPECT_FALSE(b.empty());
  }
}

TEST_F(StoreTest, PendingOutboxIsInSeqOrder) {
  OpenOrDie();
  // More than 256 records, so a sequence that did not sort like its number
  // (e.g. little-endian) would come back out of order.
  std::vector<std::string> expected;
  for (int commit = 0; commit < 3; ++commit) {
    std::vector<std::string> values;
    for (int i = 0; i < 100; ++i) {
      values.push_back(absl::StrCat("v", commit * 100 + i));
    }
    CommitOutbox(values);
    expected.insert(expected.end(), values.begin(), values.end());
  }
  auto pending = store_->PendingOutbox();
  ASSERT_TRUE(pending.ok()) << pending.status();
  std::vector<std::string> values;
  for (size_t i = 0; i < pending->size(); ++i) {
    values.push_back((*pending)[i].value);
    if (i > 0) {
      EXPECT_LT((*pending)[i - 1].seq, (*pending)[i].seq);
    }
  }
  EXPECT_EQ(values, expected);
}

TEST_F(StoreTest, PendingOutboxKeepsBinaryKeysAndValues) {
  OpenOrDie();
  const std::string key("case\0-1", 7);
  const std::string value("\0\x01\xff payload \0", 13);
  WriteBatch batch(store_.get());
  batch.AddOutbox("case-events", key, value);
  batch.AddOutbox("case-events", "", "no key");
  ASSERT_TRUE(store_->Commit(batch).ok());

  auto pending = store_->PendingOutbox();
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].topic, "case-events");
  EXPECT_EQ((*pending)[0].key, key);
  EXPECT_EQ((*pending)[0].value, value);
  EXPECT_EQ((*pending)[1].key, "");
  EXPECT_EQ((*pending)[1].value, "no key");
}

TEST_F(StoreTest, DeleteOutboxRemovesOnlyTheGivenRecords) {
  OpenOrDie();
  std::vector<OutboxRecord> records = CommitOutbox({"a", "b", "c"});
  ASSERT_EQ(records.size(), 3u);
  ASSERT_TRUE(store_->DeleteOutbox({records[1].seq}).ok());
  EXPECT_THAT(PendingSeqs(), ElementsAre(records[0].seq, records[2].seq));

  Reopen();
  EXPECT_THAT(PendingSeqs(), ElementsAre(records[0].seq, records[2].seq));
}

TEST_F(StoreTest, DeleteOutboxOfNoSeqsIsOk) {
  OpenOrDie();
  CommitOutbox({"a"});
  EXPECT_TRUE(store_->DeleteOutbox({}).ok());
  EXPECT_EQ(store_->OutboxSize(), 1u);
}

TEST_F(StoreTest, OutboxSizeCountsCommittedMinusDeletedRecords) {
  OpenOrDie();
  EXPECT_EQ(store_->OutboxSize(), 0u);
  std::vector<OutboxRecord> records = CommitOutbox({"a", "b", "c"});
  CommitOutbox({"d"});
  EXPECT_EQ(store_->OutboxSize(), 4u);
  ASSERT_TRUE(store_->DeleteOutbox({records[0].seq, records[2].seq}).ok());
  EXPECT_EQ(store_->OutboxSize(), 2u);

  Reopen();  // counted again from disk
  EXPECT_EQ(store_->OutboxSize(), 2u);
}

// store.h: OutboxSize() counts the records in the outbox; deleting one that
// is already gone must not lower it (a regression test).
TEST_F(StoreTest, DeleteOutboxOfAbsentRecordKeepsOutboxSize) {
  OpenOrDie();
  std::vector<OutboxRecord> records = CommitOutbox({"a", "b"});
  ASSERT_TRUE(store_->DeleteOutbox({records[0].seq}).ok());
  ASSERT_TRUE(store_->DeleteOutbox({records[0].seq}).ok());  // again
  EXPECT_EQ(store_->OutboxSize(), 1u);
}

class StoreScanTest : public StoreTest {
 protected:
  void SetUp() override {
    OpenOrDie();
    WriteBatch batch(store_.get());
    for (const char* k : {"a", "b", "c", "d"}) batch.Put("cases", k, k);
    batch.Put("dead-letters", "b2", "elsewhere");
    ASSERT_TRUE(store_->Commit(batch).ok());
  }

  std::vector<std::string> ScanKeys(std::string_view begin,
                                    std::string_view end, size_t limit = 100) {
    std::vector<std::string> keys;
    absl::Status s = store_->Scan("cases", begin, end,
                                  [&](std::string_view k, std::string_view v) {
                                    EXPECT_EQ(k, v);
                                    keys.emplace_back(k);
                                    return keys.size() < limit;
                                  });
    EXPECT_TRUE(s.ok()) << s;
    return keys;
  }
};

TEST_F(StoreScanTest, ScanVisitsKeysFromBeginUpToButExcludingEnd) {
  EXPECT_THAT(ScanKeys("b", "d"), ElementsAre("b", "c"));
}

TEST_F(StoreScanTest, ScanBeginNeedNotBeAKey) {
  EXPECT_THAT(ScanKeys("a0", "c0"), ElementsAre("b", "c"));
}

TEST_F(StoreScanTest, ScanWithEmptyEndRunsToTheEndOfTheFamily) {
  EXPECT_THAT(ScanKeys("b", ""), ElementsAre("b", "c", "d"));
  EXPECT_THAT(ScanKeys("", ""), ElementsAre("a", "b", "c", "d"));
}

TEST_F(StoreScanTest, ScanStopsWhenVisitReturnsFalse) {
  EXPECT_THAT(ScanKeys("", "", /*limit=*/2), ElementsAre("a", "b"));
}

TEST_F(StoreTest, ScanPrefixVisitsExactlyTheKeysWithThePrefix) {
  OpenOrDie();
  WriteBatch batch(store_.get());
  for (const char* k :
       {"case1", "case1/a", "case1/b", "case10/a", "case1~", "case2/a"}) {
    batch.Put("cases", k, "");
  }
  ASSERT_TRUE(store_->Commit(batch).ok());
  std::vector<std::string> keys;
  ASSERT_TRUE(store_
                  ->ScanPrefix("cases", "case1/",
                               [&](std::string_view k, std::string_view) {
                                 keys.emplace_back(k);
                                 return true;
                               })
                  .ok());
  EXPECT_THAT(keys, ElementsAre("case1/a", "case1/b"));
}

TEST(EncodeUint64Test, EncodingsSortLikeTheNumbers) {
  const std::vector<uint64_t> ascending = {0,
                                           1,
                                           255,
                                           256,
                                           65535,
                                           65536,
                                           uint64_t{1} << 32,
                                           (uint64_t{1} << 56) - 1,
                                           uint64_t{1} << 56,
                                           UINT64_MAX - 1,
                                           UINT64_MAX};
  for (size_t i = 0; i + 1 < ascending.size(); ++i) {
    // std::string compares as unsigned char, like RocksDB's bytewise order.
    EXPECT_LT(EncodeUint64(ascending[i]), EncodeUint64(ascending[i + 1]))
        << ascending[i] << " vs " << ascending[i + 1];
  }
}

TEST(EncodeUint64Test, DecodeReturnsTheEncodedNumber) {
  for (uint64_t v :
       {uint64_t{0}, uint64_t{1}, uint64_t{0x0102030405060708}, UINT64_MAX}) {
    std::string bytes = EncodeUint64(v);
    EXPECT_EQ(bytes.size(), 8u);
    EXPECT_EQ(DecodeUint64(bytes), v);
  }
}

using StoreDeathTest = StoreTest;

TEST_F(StoreDeathTest, PutToUndeclaredFamilyAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  OpenOrDie();
  EXPECT_DEATH(
      {
        WriteBatch batch(store_.get());
        batch.Put("no-such-family", "k", "v");
      },
      "unknown column family \"no-such-family\"");
}

}  // namespace
}  // namespace caserelay::store
