// store::DeferredWrites (issue 20 item 1): writes held in memory while a
// batch is filled and put into it once, at Store::Commit. A real Store in a
// temp dir, and FaultFileSystem for a commit that fails.

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/store/fault_file_system.h"
#include "tests/unit/common/store/temp_dir.h"

namespace caserelay::store {
namespace {

using ::testing::Optional;

// Puts key -> value when written; counts its WriteInto calls and whether
// it was destroyed (shared with the test, which outlives it).
struct Probe {
  int writes = 0;
  bool destroyed = false;
};

class PutOnCommit final : public DeferredWrites {
 public:
  PutOnCommit(Probe* probe, std::string key, std::string value)
      : probe_(probe), key_(std::move(key)), value_(std::move(value)) {}
  ~PutOnCommit() override { probe_->destroyed = true; }
  void WriteInto(WriteBatch& batch) override {
    ++probe_->writes;
    batch.Put("state", key_, value_);
  }

 private:
  Probe* const probe_;
  const std::string key_;
  const std::string value_;
};

class DeferredWritesTest : public ::testing::Test {
 protected:
  void Open(std::shared_ptr<rocksdb::FileSystem> fs = nullptr) {
    StoreOptions options;
    options.path = dir_.path() + "/db";
    options.column_families = {"state"};
    options.file_system = std::move(fs);
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  std::optional<std::string> Stored(const std::string& key) {
    auto v = store_->Get("state", key);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : std::nullopt;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(DeferredWritesTest, WrittenOnceAtCommitAndNotBefore) {
  Open();
  Probe probe;
  WriteBatch batch(store_.get());
  EXPECT_TRUE(batch.empty());
  batch.Defer("counters", std::make_unique<PutOnCommit>(&probe, "k", "v"));
  // A batch holding only deferred writes is not empty: the loop commits it.
  EXPECT_FALSE(batch.empty());
  EXPECT_NE(batch.Deferred("counters"), nullptr);
  EXPECT_EQ(batch.Deferred("other"), nullptr);
  // Get does not see them (their owner reads what it holds first).
  EXPECT_EQ(*batch.Get("state", "k"), std::nullopt);
  EXPECT_EQ(probe.writes, 0);

  ASSERT_TRUE(store_->Commit(batch).ok());
  EXPECT_EQ(probe.writes, 1);
  EXPECT_TRUE(probe.destroyed);
  EXPECT_EQ(batch.Deferred("counters"), nullptr);
  EXPECT_THAT(Stored("k"), Optional(std::string("v")));
}

TEST_F(DeferredWritesTest, ABatchNeverCommittedWritesNothingAndDropsThem) {
  Open();
  Probe probe;
  {
    WriteBatch batch(store_.get());
    batch.Defer("counters", std::make_unique<PutOnCommit>(&probe, "k", "v"));
  }
  EXPECT_EQ(probe.writes, 0);
  EXPECT_TRUE(probe.destroyed);
  EXPECT_EQ(Stored("k"), std::nullopt);
}

TEST_F(DeferredWritesTest, AFailedCommitKeepsThemForTheRetryOfTheSameBatch) {
  auto fs = std::make_shared<testing::FaultFileSystem>();
  Open(fs);
  Probe probe;
  WriteBatch batch(store_.get());
  batch.Put("state", "direct", "d");
  batch.Defer("counters", std::make_unique<PutOnCommit>(&probe, "k", "v"));
  fs->Inject(testing::InjectedFault::kWriteError);
  EXPECT_EQ(store_->Commit(batch).status().code(),
            absl::StatusCode::kUnavailable);
  fs->Clear();
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  absl::Status recovered = store_->Recover();
  while (!recovered.ok() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
    recovered = store_->Recover();
  }
  ASSERT_TRUE(recovered.ok()) << recovered;
  ASSERT_TRUE(store_->Commit(batch).ok());
  EXPECT_EQ(probe.writes, 1);  // put into the batch once, kept for the retry
  EXPECT_THAT(Stored("k"), Optional(std::string("v")));
  EXPECT_THAT(Stored("direct"), Optional(std::string("d")));
}

TEST_F(DeferredWritesTest, ANameIsFreeAgainAfterCommit) {
  Open();
  Probe first;
  Probe second;
  WriteBatch batch(store_.get());
  batch.Defer("counters", std::make_unique<PutOnCommit>(&first, "k", "1"));
  ASSERT_TRUE(store_->Commit(batch).ok());
  batch.Defer("counters", std::make_unique<PutOnCommit>(&second, "k", "2"));
  ASSERT_TRUE(store_->Commit(batch).ok());
  EXPECT_EQ(first.writes, 1);
  EXPECT_EQ(second.writes, 1);
  EXPECT_THAT(Stored("k"), Optional(std::string("2")));
}

using DeferredWritesDeathTest = DeferredWritesTest;

TEST_F(DeferredWritesDeathTest, DeferringTwiceUnderOneNameAborts) {
  Open();
  Probe probe;
  WriteBatch batch(store_.get());
  batch.Defer("counters", std::make_unique<PutOnCommit>(&probe, "a", "1"));
  EXPECT_DEATH(
      batch.Defer("counters", std::make_unique<PutOnCommit>(&probe, "b", "2")),
      "attached twice");
}

}  // namespace
}  // namespace caserelay::store
