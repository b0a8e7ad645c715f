// Confirmed outbox records kept for a new log (issue 23 item 1): what
// Kafka confirmed in a log that is gone may never have been read there, so
// Store::RequeuePublished puts it back into the outbox.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "rocksdb/perf_context.h"
#include "rocksdb/perf_level.h"
#include "common/store/outbox_dead_letters.h"
#include "common/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/store/pending_outbox.h"
#include "tests/unit/common/store/temp_dir.h"

namespace caserelay::store {
namespace {

using ::testing::ElementsAre;

std::unique_ptr<Store> Open(const std::string& path, uint64_t keep = 10000) {
  StoreOptions options;
  options.path = path;
  options.keep_published = keep;
  auto store = Store::Open(options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

// Commits one outbox record per value; returns their sequences.
std::vector<uint64_t> CommitOutbox(Store& store,
                                   const std::vector<std::string>& values) {
  WriteBatch batch(&store);
  for (const std::string& v : values) batch.AddOutbox("case-events", "c", v);
  auto records = store.Commit(batch);
  EXPECT_TRUE(records.ok()) << records.status();
  std::vector<uint64_t> seqs;
  if (records.ok()) {
    for (const OutboxRecord& r : *records) seqs.push_back(r.seq);
  }
  return seqs;
}

using testing::PendingValues;

TEST(PublishedTest, ConfirmedRecordsGoBackToTheOutboxForANewLog) {
  testing::TempDir dir;
  auto store = Open(dir.path() + "/db");
  ASSERT_NE(store, nullptr);
  ASSERT_EQ(*store->RequeuePublished("cluster-a"), 0u);
  auto seqs = CommitOutbox(*store, {"e1", "e2"});
  ASSERT_TRUE(store->DeleteOutbox(seqs).ok());  // both confirmed
  EXPECT_EQ(store->OutboxSize(), 0u);

  store.reset();  // the whole system stops; its broker keeps nothing
  store = Open(dir.path() + "/db");
  auto moved = store->RequeuePublished("cluster-b");
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(*moved, 2u);
  EXPECT_THAT(PendingValues(*store), ElementsAre("e1", "e2"));
  EXPECT_EQ(store->OutboxSize(), 2u);
  auto pending = store->PendingOutbox();
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ((*pending)[0].seq, seqs[0]);  // their order is kept
}

TEST(PublishedTest, RecordsConfirmedInTheSameLogStayConfirmed) {
  testing::TempDir dir;
  auto store = Open(dir.path() + "/db");
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->RequeuePublished("cluster-a").ok());
  ASSERT_TRUE(store->DeleteOutbox(CommitOutbox(*store, {"e1"})).ok());
  store.reset();  // a restart of the service alone
  store = Open(dir.path() + "/db");
  EXPECT_EQ(*store->RequeuePublished("cluster-a"), 0u);
  EXPECT_TRUE(PendingValues(*store).empty());
}

TEST(PublishedTest, OnlyTheNewestConfirmedRecordsAreKept) {
  testing::TempDir dir;
  auto store = Open(dir.path() + "/db", /*keep=*/2);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->RequeuePublished("cluster-a").ok());
  for (const char* v : {"e1", "e2", "e3"}) {
    ASSERT_TRUE(store->DeleteOutbox(CommitOutbox(*store, {v})).ok());
  }
  EXPECT_EQ(*store->RequeuePublished("cluster-b"), 2u);
  EXPECT_THAT(PendingValues(*store), ElementsAre("e2", "e3"));
}

// A restarted service republishes its outbox: records older than every
// kept confirmed one are confirmed again, one delivery report each. Each
// such confirmation must not walk the tombstones of every record dropped
// from the kept list before (it did: ~10 confirmations a second after a
// restart at 100,000 records, supervision_restart_test). Counted with
// RocksDB's perf context (deleted entries skipped by iterators), not timed.
TEST(PublishedTest, ConfirmingOldRecordsAtTheCapWalksNoTombstones) {
  testing::TempDir dir;
  auto store = Open(dir.path() + "/db", /*keep=*/10);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->RequeuePublished("cluster-a").ok());
  std::vector<std::string> old_values, new_values;
  for (int i = 0; i < 50; ++i) old_values.push_back("old");
  for (int i = 0; i < 2000; ++i) new_values.push_back("new");
  const std::vector<uint64_t> old_seqs = CommitOutbox(*store, old_values);
  const std::vector<uint64_t> new_seqs = CommitOutbox(*store, new_values);
  for (uint64_t seq : new_seqs) ASSERT_TRUE(store->DeleteOutbox({seq}).ok());

  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableCount);
  rocksdb::get_perf_context()->Reset();
  for (uint64_t seq : old_seqs) ASSERT_TRUE(store->DeleteOutbox({seq}).ok());
  const uint64_t skipped =
      rocksdb::get_perf_context()->internal_delete_skipped_count;
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  // Before: each of the 50 walked the ~1990 dropped records' tombstones.
  EXPECT_LT(skipped, 200u);
  EXPECT_EQ(store->OutboxSize(), 0u);
  // The newest 10 are what a new log gets; the old ones were not kept.
  EXPECT_EQ(*store->RequeuePublished("cluster-b"), 10u);
  EXPECT_THAT(PendingValues(*store),
              ElementsAre("new", "new", "new", "new", "new", "new", "new",
                          "new", "new", "new"));
}

TEST(PublishedTest, NothingIsKeptBeforeTheLogIsNamed) {
  testing::TempDir dir;
  auto store = Open(dir.path() + "/db");
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->DeleteOutbox(CommitOutbox(*store, {"e1"})).ok());
  EXPECT_EQ(*store->RequeuePublished("cluster-b"), 0u);
  EXPECT_TRUE(PendingValues(*store).empty());
}

TEST(PublishedTest, AnOutboxDeadLetterIsNotKeptAsConfirmed) {
  testing::TempDir dir;
  auto store = Open(dir.path() + "/db");
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->RequeuePublished("cluster-a").ok());
  auto seqs = CommitOutbox(*store, {"too-big"});
  auto pending = store->PendingOutbox();
  ASSERT_TRUE(pending.ok() && pending->size() == 1);
  ASSERT_TRUE(
      MoveToOutboxDeadLetters(*store, {(*pending)[0], "too large", absl::Now()})
          .ok());
  EXPECT_EQ(*store->RequeuePublished("cluster-b"), 0u);
  EXPECT_TRUE(PendingValues(*store).empty());
}

}  // namespace
}  // namespace caserelay::store
