// Tests of caserelay::store::PartitionedStore without Kafka: the layout,
// leases against Release, and scans merged over the held partitions (issue
// 19 item 1; the team's contract, item 2). Restore from the changelog is in
// restore_test.cc.

#include "common/store/partitioned_store.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/kafka/partitioning.h"
#include "common/metrics/metrics.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/store/temp_dir.h"

namespace caserelay::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PartitionedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    store_.reset();
    PartitionedStoreOptions options;
    options.path = absl::StrCat(dir_.path(), "/supervision");
    options.partitions = 4;
    options.column_families = {"timers"};
    options.local_column_families = {"settings"};
    options.service = "supervision";
    options.sync = false;
    auto store = PartitionedStore::Open(options, &metrics_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  void Put(int32_t partition, const std::string& key, const std::string& v) {
    auto lease = store_->Lease(partition);
    ASSERT_TRUE(lease.ok()) << lease.status();
    WriteBatch batch(&lease->store());
    batch.Put("timers", key, v);
    ASSERT_TRUE(lease->store().Commit(batch).ok());
  }

  std::vector<std::string> ScanKeys(const std::string& begin,
                                    const std::string& end) {
    std::vector<std::string> keys;
    absl::Status s = store_->Scan("timers", begin, end,
                                  [&](std::string_view k, std::string_view) {
                                    keys.emplace_back(k);
                                    return true;
                                  });
    EXPECT_TRUE(s.ok()) << s;
    return keys;
  }

  testing::TempDir dir_;
  metrics::Registry metrics_;
  std::unique_ptr<PartitionedStore> store_;
};

TEST_F(PartitionedStoreTest, LayoutIsLocalAndOneDbPerPartition) {
  // contract item 2: <path>/local and <path>/p<NNN>.
  ASSERT_TRUE(store_->Acquire(3).ok());
  EXPECT_TRUE(std::filesystem::exists(dir_.path() + "/supervision/local"));
  EXPECT_TRUE(std::filesystem::exists(dir_.path() + "/supervision/p003"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/supervision/p000"));
  EXPECT_THAT(store_->Held(), ElementsAre(3));
  EXPECT_EQ(store_->partitions(), 4);
  EXPECT_THAT(metrics_.Render(), HasSubstr("caserelay_partitions_held 1"));
}

TEST_F(PartitionedStoreTest, LeaseAnswersWhetherThePartitionIsHeld) {
  struct Row {
    const char* rule;
    int32_t partition;
    absl::StatusCode code;
  };
  ASSERT_TRUE(store_->Acquire(1).ok());
  const std::vector<Row> rows = {
      {"contract item 2: a held partition gives a lease", 1,
       absl::StatusCode::kOk},
      {"contract item 2: FAILED_PRECONDITION when not held (the caller "
       "forwards)",
       3, absl::StatusCode::kFailedPrecondition},
      {"contract item 2: no partition 4 of 4", 4,
       absl::StatusCode::kInvalidArgument},
      {"contract item 2: no partition -1", -1,
       absl::StatusCode::kInvalidArgument},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(store_->Lease(row.partition).status().code(), row.code)
        << row.rule;
  }
  EXPECT_EQ(store_->Lease(3).status().message(),
            "partition 3 of supervision is not held by this instance");
}

TEST_F(PartitionedStoreTest, LeaseForCaseUsesThePartitionFunction) {
  // issue 19 item 1: a case lives in PartitionOf(case id) on every topic.
  const std::string case_id = "140431-20261122-000001";
  const int32_t p = kafka::PartitionOf(case_id, 4);
  EXPECT_EQ(store_->PartitionOfCase(case_id), p);
  EXPECT_EQ(store_->LeaseForCase(case_id).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->Acquire(p).ok());
  auto lease = store_->LeaseForCase(case_id);
  ASSERT_TRUE(lease.ok()) << lease.status();
  EXPECT_EQ(lease->partition(), p);
}

TEST_F(PartitionedStoreTest, ScansMergeHeldPartitionsInKeyOrder) {
  // contract item 2: Scan/ScanPrefix merged, in key order, over every held
  // partition ("what one DB gave before").
  for (int32_t p = 0; p < 4; ++p) ASSERT_TRUE(store_->Acquire(p).ok());
  std::map<std::string, std::string> all;  // what one DB would hold
  for (int i = 0; i < 60; ++i) {
    const std::string key = absl::StrCat("k", (i * 37) % 100);
    all[key] = absl::StrCat("v", i);
    Put(i % 4, key, all[key]);
  }
  std::vector<std::string> expected;
  for (const auto& [k, v] : all) expected.push_back(k);
  EXPECT_EQ(ScanKeys("", ""), expected);

  std::vector<std::string> bounded;
  for (const auto& [k, v] : all) {
    if (k >= "k3" && k < "k6") bounded.push_back(k);
  }
  EXPECT_EQ(ScanKeys("k3", "k6"), bounded);

  std::vector<std::string> prefixed;
  ASSERT_TRUE(store_
                  ->ScanPrefix("timers", "k1",
                               [&](std::string_view k, std::string_view) {
                                 prefixed.emplace_back(k);
                                 return true;
                               })
                  .ok());
  std::vector<std::string> want_prefixed;
  for (const auto& [k, v] : all) {
    if (k.rfind("k1", 0) == 0) want_prefixed.push_back(k);
  }
  EXPECT_EQ(prefixed, want_prefixed);

  int visited = 0;
  ASSERT_TRUE(store_
                  ->Scan("timers", "", "",
                         [&](std::string_view, std::string_view) {
                           return ++visited < 5;
                         })
                  .ok());
  EXPECT_EQ(visited, 5) << "visit returning false stops the scan";

  // A released partition leaves the merged view.
  store_->Release(2);
  std::vector<std::string> without_2;
  for (int i = 0; i < 60; ++i) {
    const std::string key = absl::StrCat("k", (i * 37) % 100);
    if (i % 4 != 2 && all[key] == absl::StrCat("v", i)) {
      without_2.push_back(key);
    }
  }
  std::sort(without_2.begin(), without_2.end());
  EXPECT_EQ(ScanKeys("", ""), without_2);
}

TEST_F(PartitionedStoreTest, ReleaseWaitsForLeasesAndThenRefusesThem) {
  // contract item 2: Release waits for leases; after it Lease answers
  // FAILED_PRECONDITION naming partition and service.
  ASSERT_TRUE(store_->Acquire(2).ok());
  auto lease = store_->Lease(2);
  ASSERT_TRUE(lease.ok()) << lease.status();
  std::atomic<bool> released{false};
  std::thread releaser([&] {
    store_->Release(2);
    released = true;
  });
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_FALSE(released.load()) << "Release did not wait for the lease";
  // Being released: no new lease.
  EXPECT_EQ(store_->Lease(2).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // The lease in hand still works.
  WriteBatch batch(&lease->store());
  batch.Put("timers", "t", "v");
  EXPECT_TRUE(lease->store().Commit(batch).ok());
  { PartitionLease dropped = *std::move(lease); }
  releaser.join();
  EXPECT_TRUE(released.load());
  absl::Status s = store_->Lease(2).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("partition 2 of supervision"));
  EXPECT_THAT(metrics_.Render(), HasSubstr("caserelay_partitions_held 0"));
}

TEST_F(PartitionedStoreTest, FilesAreKeptAcrossReleaseAndRestart) {
  // contract item 2: Release closes, files kept; Local() never moves.
  ASSERT_TRUE(store_->Acquire(0).ok());
  Put(0, "t1", "v1");
  WriteBatch local(&store_->Local());
  local.Put("settings", "s", "1");
  ASSERT_TRUE(store_->Local().Commit(local).ok());
  store_->Release(0);
  Open();
  EXPECT_EQ(store_->Lease(0).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "nothing is held after a restart until the loop acquires it";
  ASSERT_TRUE(store_->Acquire(0).ok());
  auto lease = store_->Lease(0);
  ASSERT_TRUE(lease.ok());
  auto v = lease->store().Get("timers", "t1");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->value_or(""), "v1");
  auto s = store_->Local().Get("settings", "s");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->value_or(""), "1");
}

}  // namespace
}  // namespace caserelay::store
