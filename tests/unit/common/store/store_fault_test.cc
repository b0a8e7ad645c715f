// Storage faults (issue 14 item 6: "a storage seam over RocksDB's Env (or
// FileSystem) so tests inject write errors, a full disk and a failed fsync;
// on each, the service ... loses nothing and resumes when the fault
// clears"). A real Store over the real disk, through FaultFileSystem.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/store/outbox_publisher.h"
#include "common/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/store/fake_producer.h"
#include "tests/unit/common/store/fault_file_system.h"
#include "tests/unit/common/store/pending_outbox.h"
#include "tests/unit/common/store/temp_dir.h"

namespace caserelay::store {
namespace {

using ::testing::Each;
using testing::FakeProducer;
using testing::FaultFileSystem;
using ::testing::HasSubstr;
using testing::InjectedFault;
using ::testing::SizeIs;

constexpr absl::Duration kRecoverWithin = absl::Seconds(20);

struct FaultRow {
  InjectedFault fault;
  const char* kind;  // StoreFault::kind
};

// Issue 14 item 6: the three faults it names.
const FaultRow kFaults[] = {
    {InjectedFault::kWriteError, "write_error"},
    {InjectedFault::kNoSpace, "no_space"},
    {InjectedFault::kSyncError, "sync_error"},
};

class StoreFaultTest : public ::testing::TestWithParam<FaultRow> {
 protected:
  void SetUp() override {
    fs_ = std::make_shared<FaultFileSystem>();
    StoreOptions options;
    options.path = dir_.path() + "/db";
    options.column_families = {"state"};
    options.file_system = fs_;
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  // One consumed input: its state, its output event and its offset.
  static void Fill(WriteBatch& batch, int n) {
    batch.Put("state", absl::StrCat("k", n), absl::StrCat("v", n));
    batch.AddOutbox("case-events", "case-1", absl::StrCat("event-", n));
    batch.SetOffset("petitions", 0, n + 1, "log");
  }

  // Calls Recover() until it succeeds or kRecoverWithin passes.
  absl::Status RecoverWithin() {
    const absl::Time deadline = absl::Now() + kRecoverWithin;
    absl::Status s = store_->Recover();
    while (!s.ok() && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(50));
      s = store_->Recover();
    }
    return s;
  }

  std::vector<std::string> OutboxValues() {
    return testing::PendingValues(*store_);
  }

  testing::TempDir dir_;
  std::shared_ptr<FaultFileSystem> fs_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreFaultTest, CommitIsUnavailableAndWritesNothingWhileTheFaultLasts) {
  WriteBatch first(store_.get());
  Fill(first, 0);
  ASSERT_TRUE(store_->Commit(first).ok());

  fs_->Inject(GetParam().fault);
  WriteBatch batch(store_.get());
  Fill(batch, 1);
  auto committed = store_->Commit(batch);
  EXPECT_EQ(committed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(committed.status().message(),
              HasSubstr("nothing was acknowledged"));
  ASSERT_TRUE(store_->Fault().has_value());
  EXPECT_EQ(store_->Fault()->kind, GetParam().kind);
  // A second try while the disk still fails: refused, nothing written.
  EXPECT_EQ(store_->Commit(batch).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(store_->Recover().code(), absl::StatusCode::kUnavailable);
  EXPECT_GT(fs_->failures(), 0u);

  // Reads go on and see only what was committed before the fault.
  auto k1 = store_->Get("state", "k1");
  ASSERT_TRUE(k1.ok()) << k1.status();
  EXPECT_FALSE(k1->has_value());
  auto position = store_->Position("petitions", 0);
  ASSERT_TRUE(position.ok()) << position.status();
  ASSERT_TRUE(position->has_value());
  EXPECT_EQ((*position)->next_offset, 1);
  EXPECT_THAT(OutboxValues(), ::testing::ElementsAre("event-0"));
}

TEST_P(StoreFaultTest, TheSameBatchCommitsOnceTheFaultClearsAndNothingIsLost) {
  fs_->Inject(GetParam().fault);
  WriteBatch batch(store_.get());
  Fill(batch, 1);
  ASSERT_FALSE(store_->Commit(batch).ok());

  fs_->Clear();
  ASSERT_TRUE(RecoverWithin().ok());
  auto committed = store_->Commit(batch);
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_FALSE(store_->Fault().has_value());
  EXPECT_EQ(store_->reopens(), 1u);  // recovered by opening it again

  auto k1 = store_->Get("state", "k1");
  ASSERT_TRUE(k1.ok()) << k1.status();
  EXPECT_EQ(k1->value_or(""), "v1");
  auto position = store_->Position("petitions", 0);
  ASSERT_TRUE(position.ok() && position->has_value());
  EXPECT_EQ((*position)->next_offset, 2);
  // The event is there; after a failed fsync the failed write may have
  // reached the disk too, so it may be there twice (consumers drop the
  // copy by event id), never zero times.
  std::vector<std::string> outbox = OutboxValues();
  const size_t most = GetParam().fault == InjectedFault::kSyncError ? 2 : 1;
  EXPECT_THAT(outbox,
              SizeIs(::testing::AllOf(::testing::Ge(1u), ::testing::Le(most))));
  EXPECT_THAT(outbox, Each("event-1"));

  // Later commits work, and everything survives a restart.
  WriteBatch next(store_.get());
  Fill(next, 2);
  ASSERT_TRUE(store_->Commit(next).ok());
  store_.reset();
  StoreOptions options;
  options.path = dir_.path() + "/db";
  options.column_families = {"state"};
  auto reopened = Store::Open(options);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  store_ = *std::move(reopened);
  for (int n : {1, 2}) {
    auto v = store_->Get("state", absl::StrCat("k", n));
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(v->value_or(""), absl::StrCat("v", n));
  }
}

TEST_P(StoreFaultTest, AnIdleStoreRecoversThroughRecoverOnceTheDiskWorks) {
  fs_->Inject(GetParam().fault);
  WriteBatch batch(store_.get());
  Fill(batch, 1);
  ASSERT_FALSE(store_->Commit(batch).ok());
  EXPECT_EQ(store_->Recover().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(store_->Fault().has_value());

  fs_->Clear();
  EXPECT_TRUE(RecoverWithin().ok());
  EXPECT_FALSE(store_->Fault().has_value());
  EXPECT_TRUE(store_->Recover().ok());
}

INSTANTIATE_TEST_SUITE_P(Faults, StoreFaultTest, ::testing::ValuesIn(kFaults),
                         [](const auto& info) {
                           return std::string(info.param.kind);
                         });

// A commit whose fsync failed reached the disk after all (RocksDB finds it
// in the WAL when the store is opened again): its event must still be
// published, though the publisher was told the commit failed.
TEST(StoreFaultPublisherTest,
     AnEventOfAFailedCommitFoundAtTheReopenIsPublished) {
  testing::TempDir dir;
  auto fs = std::make_shared<FaultFileSystem>();
  StoreOptions options;
  options.path = dir.path() + "/db";
  options.file_system = fs;
  auto store = Store::Open(options);
  ASSERT_TRUE(store.ok()) << store.status();
  FakeProducer* producer = nullptr;
  auto publisher = OutboxPublisher::Create(
      store->get(),
      [&producer](kafka::DeliveryCallback cb)
          -> absl::StatusOr<std::unique_ptr<kafka::Producer>> {
        auto p = std::make_unique<FakeProducer>(std::move(cb));
        producer = p.get();
        return std::unique_ptr<kafka::Producer>(std::move(p));
      });
  ASSERT_TRUE(publisher.ok()) << publisher.status();

  fs->Inject(InjectedFault::kSyncError);
  WriteBatch failed(store->get());
  failed.AddOutbox("case-events", "case-1", "event-1");
  ASSERT_EQ((*publisher)->Commit(failed).code(),
            absl::StatusCode::kUnavailable);
  fs->Clear();
  // Another write (the failed one is not retried): the store reopens.
  WriteBatch next(store->get());
  next.AddOutbox("case-events", "case-1", "event-2");
  ASSERT_TRUE((*publisher)->Commit(next).ok());
  ASSERT_EQ((*store)->reopens(), 1u);

  ASSERT_TRUE(producer->WaitForProduced(2, absl::Seconds(10)));
  std::vector<std::string> produced;
  for (const auto& r : producer->produced()) produced.push_back(r.value);
  EXPECT_THAT(produced, ::testing::ElementsAre("event-1", "event-2"));
}

}  // namespace
}  // namespace caserelay::store
