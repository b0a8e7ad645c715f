// Test fixture shared by the restore tests (restore_test.cc,
// restore_owner_test.cc): PartitionedStores over librdkafka's mock cluster
// hosted in-process, with the real producer and partition reader, and
// helpers to write, read and dump a partition.

#ifndef CASERELAY_TESTS_UNIT_COMMON_STORE_RESTORE_FIXTURE_H_
#define CASERELAY_TESTS_UNIT_COMMON_STORE_RESTORE_FIXTURE_H_

#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/kafka/partition_reader.h"
#include "common/kafka/producer.h"
#include "common/metrics/metrics.h"
#include "common/store/changelog.h"
#include "common/store/partitioned_store.h"
#include "gtest/gtest.h"
#include "tests/unit/common/kafka/mock_cluster.h"
#include "tests/unit/common/store/temp_dir.h"

namespace caserelay::store::testing {

using ::caserelay::kafka::testing::MockCluster;
using ::testing::HasSubstr;

constexpr char kTopic[] = "svc-changelog";
constexpr int32_t kPartitions = 4;
const std::vector<std::string> kFamilies = {"cases", "timers"};
// Every family a restore must bring back (the store's own state families
// included).
const std::vector<std::string> kStateFamilies = {"cases", "timers", "offsets",
                                                 "dead-letters", "meta"};
constexpr absl::Duration kWait = absl::Seconds(20);

using Dump = std::map<std::string, std::string>;

class RestoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(cluster_.CreateTopic(kTopic, kPartitions),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }

  std::unique_ptr<PartitionedStore> OpenAt(
      const std::string& name, metrics::Registry* metrics,
      absl::Duration stall_timeout = kWait,
      std::shared_ptr<rocksdb::FileSystem> file_system = nullptr) {
    PartitionedStoreOptions options;
    options.path = absl::StrCat(dir_.path(), "/", name);
    options.partitions = kPartitions;
    options.column_families = kFamilies;
    options.changelog_topic = kTopic;
    options.sync = false;
    const std::string bootstrap = cluster_.bootstrap();
    options.producer_factory = [bootstrap](kafka::DeliveryCallback cb) {
      kafka::ProducerOptions po;
      po.bootstrap = bootstrap;
      po.client_id = "restore_test";
      return kafka::CreateKafkaProducer(po, std::move(cb));
    };
    options.changelog_reader = [bootstrap] {
      kafka::PartitionReaderOptions ro;
      ro.bootstrap = bootstrap;
      return kafka::CreateKafkaPartitionReader(ro);
    };
    options.restore_stall_timeout = stall_timeout;
    options.standby_interval = absl::Milliseconds(200);
    options.file_system = std::move(file_system);
    auto store = PartitionedStore::Open(options, metrics);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  // Every logged key of the partition's DB, "<cf>/<key>" -> value.
  static Dump DumpOf(PartitionedStore& store, int32_t partition) {
    Dump out;
    auto lease = store.Lease(partition);
    EXPECT_TRUE(lease.ok()) << lease.status();
    if (!lease.ok()) return out;
    for (const std::string& cf : kStateFamilies) {
      EXPECT_TRUE(lease->store()
                      .Scan(cf, "", "",
                            [&](std::string_view k, std::string_view v) {
                              if (!IsUnlogged(cf, k)) {
                                out[cf + "/" + std::string(k)] = std::string(v);
                              }
                              return true;
                            })
                      .ok());
    }
    return out;
  }

  // Writes `batches` random batches to `partition` through CommitAndWait.
  static void WriteRandom(PartitionedStore& store, int32_t partition,
                          int batches, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> ops(1, 8);
    std::uniform_int_distribution<int> key(0, 40);
    std::uniform_int_distribution<int> kind(0, 9);
    std::uniform_int_distribution<int> len(0, 30);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int b = 0; b < batches; ++b) {
      auto lease = store.Lease(partition);
      ASSERT_TRUE(lease.ok()) << lease.status();
      WriteBatch batch(&lease->store());
      const int n = ops(rng);
      for (int i = 0; i < n; ++i) {
        const std::string cf = kFamilies[static_cast<size_t>(kind(rng) % 2)];
        const std::string k = absl::StrCat("case-", key(rng));
        const int what = kind(rng);
        if (what < 2) {
          batch.Delete(cf, k);
        } else if (what < 3) {
          batch.SetOffset("case-events", partition, b + 1, "log-1");
        } else {
          std::string v(static_cast<size_t>(len(rng)), '\0');
          for (char& c : v) c = static_cast<char>(byte(rng));  // NULs too
          batch.Put(cf, k, v);
        }
      }
      absl::Status s = lease->publisher().CommitAndWait(batch, kWait);
      ASSERT_TRUE(s.ok()) << s;
    }
  }

  static void Commit(PartitionedStore& store, int32_t partition,
                     const std::string& cf, const std::string& key,
                     const std::string& value) {
    auto lease = store.Lease(partition);
    ASSERT_TRUE(lease.ok()) << lease.status();
    WriteBatch batch(&lease->store());
    batch.Put(cf, key, value);
    absl::Status s = lease->publisher().CommitAndWait(batch, kWait);
    ASSERT_TRUE(s.ok()) << s;
  }

  static std::optional<std::string> Get(PartitionedStore& store,
                                        int32_t partition,
                                        const std::string& key) {
    auto lease = store.Lease(partition);
    EXPECT_TRUE(lease.ok()) << lease.status();
    if (!lease.ok()) return std::nullopt;
    auto v = lease->store().Get("cases", key);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : std::nullopt;
  }

  MockCluster cluster_{1};
  TempDir dir_;
};

}  // namespace caserelay::store::testing

#endif  // CASERELAY_TESTS_UNIT_COMMON_STORE_RESTORE_FIXTURE_H_
