// Restore of a partition from its changelog (common/store/changelog_restore.h)
// through PartitionedStore::Acquire, against librdkafka's mock cluster
// hosted in-process (the embedded broker), with the real producer and the
// real partition reader. Rows cite the team's contract for issue 19
// ("contract item 3") or issue 19's items.

#include <map>
#include <memory>
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
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/kafka/mock_cluster.h"
#include "tests/unit/common/store/fault_file_system.h"
#include "tests/unit/common/store/pending_outbox.h"
#include "tests/unit/common/store/restore_fixture.h"

namespace caserelay::store {
namespace {

using testing::Dump;
using ::testing::HasSubstr;
using testing::kFamilies;
using testing::kPartitions;
using testing::kTopic;
using testing::kWait;

class RestoreTest : public testing::RestoreFixture {};

TEST_F(RestoreTest, RestoredStateEqualsTheWritersByteForByte) {
  // issue 19 item 2: "a new owner of a partition can restore that
  // partition's state exactly".
  metrics::Registry writer_metrics;
  metrics::Registry reader_metrics;
  auto writer = OpenAt("writer", &writer_metrics);
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Acquire(2).ok());
  WriteRandom(*writer, 2, 120, 19);
  const Dump written = DumpOf(*writer, 2);
  ASSERT_GT(written.size(), 20u);

  auto reader = OpenAt("reader", &reader_metrics);
  ASSERT_NE(reader, nullptr);
  absl::Status acquired = reader->Acquire(2);
  ASSERT_TRUE(acquired.ok()) << acquired;
  EXPECT_EQ(DumpOf(*reader, 2), written);
  const std::string rendered = reader_metrics.Render();
  EXPECT_THAT(rendered, HasSubstr("caserelay_restore_lag{partition=\"2\"} 0"));
  EXPECT_THAT(rendered, HasSubstr("caserelay_partitions_held 1"));
  EXPECT_THAT(rendered,
              ::testing::Not(HasSubstr(
                  "caserelay_restore_records_total{partition=\"2\"} 0\n")));

  // contract item 3: a later Acquire reads from the stored position only:
  // the reader gets the writer's new batches, the writer (whose position
  // followed its confirmed markers) reads nothing back.
  reader->Release(2);
  WriteRandom(*writer, 2, 30, 20);
  writer->Release(2);
  ASSERT_TRUE(writer->Acquire(2).ok());
  EXPECT_THAT(writer_metrics.Render(),
              HasSubstr("caserelay_restore_records_total{partition=\"2\"} 0\n"))
      << "the writer re-read itself";
  acquired = reader->Acquire(2);
  ASSERT_TRUE(acquired.ok()) << acquired;
  EXPECT_EQ(DumpOf(*reader, 2), DumpOf(*writer, 2));
}

TEST_F(RestoreTest, AcquireAllRestoresEachPartitionAsAcquireDoes) {
  // issue 19 item 3 (a restart acquires every partition at once, the DBs
  // opened in parallel): each partition restored exactly, each status
  // given in order, and a DB already current reads nothing back.
  metrics::Registry writer_metrics;
  auto writer = OpenAt("writer", &writer_metrics);
  ASSERT_NE(writer, nullptr);
  for (int32_t p = 0; p < kPartitions; ++p) {
    ASSERT_TRUE(writer->Acquire(p).ok());
    WriteRandom(*writer, p, 20, 40 + static_cast<uint32_t>(p));
  }
  std::vector<Dump> written;
  for (int32_t p = 0; p < kPartitions; ++p) {
    written.push_back(DumpOf(*writer, p));
  }

  auto reader = OpenAt("reader", nullptr);
  ASSERT_NE(reader, nullptr);
  ASSERT_TRUE(reader->Acquire(1).ok());  // held already: OK at once
  const std::vector<absl::Status> got =
      reader->AcquireAll({3, 1, kPartitions, 0, 2});
  ASSERT_EQ(got.size(), 5u);
  EXPECT_TRUE(got[0].ok()) << got[0];
  EXPECT_TRUE(got[1].ok()) << got[1];
  EXPECT_EQ(got[2].code(), absl::StatusCode::kInvalidArgument) << got[2];
  EXPECT_TRUE(got[3].ok()) << got[3];
  EXPECT_TRUE(got[4].ok()) << got[4];
  EXPECT_EQ(reader->Held(), (std::vector<int32_t>{0, 1, 2, 3}));
  for (int32_t p = 0; p < kPartitions; ++p) {
    EXPECT_EQ(DumpOf(*reader, p), written[static_cast<size_t>(p)])
        << "partition " << p;
  }

  // contract item 3: the writer's own DBs are current: nothing is read.
  for (int32_t p = 0; p < kPartitions; ++p) writer->Release(p);
  for (const absl::Status& s : writer->AcquireAll({0, 1, 2, 3})) {
    EXPECT_TRUE(s.ok()) << s;
  }
  for (int32_t p = 0; p < kPartitions; ++p) {
    EXPECT_THAT(writer_metrics.Render(),
                HasSubstr(absl::StrCat("caserelay_restore_records_total{"
                                       "partition=\"",
                                       p, "\"} 0\n")))
        << "partition " << p << " re-read itself";
  }
}

TEST_F(RestoreTest, ABrokerDownFailsAcquireAndALaterAcquireRestores) {
  // issue 19 item 3 (fault injection): "a partition is never applied
  // before it is restored": with the broker down Acquire fails UNAVAILABLE
  // and the partition is not held; once the broker is back it restores.
  auto writer = OpenAt("writer", nullptr);
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Acquire(1).ok());
  WriteRandom(*writer, 1, 40, 3);
  const Dump written = DumpOf(*writer, 1);
  writer.reset();

  auto reader = OpenAt("reader", nullptr, absl::Seconds(2));
  ASSERT_NE(reader, nullptr);
  ASSERT_EQ(cluster_.SetBrokerDown(1), RD_KAFKA_RESP_ERR_NO_ERROR);
  absl::Status down = reader->Acquire(1);
  EXPECT_FALSE(down.ok());
  EXPECT_TRUE(absl::IsUnavailable(down) || absl::IsDeadlineExceeded(down))
      << down;
  EXPECT_TRUE(reader->Held().empty());
  EXPECT_EQ(reader->Lease(1).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_EQ(cluster_.SetBrokerUp(1), RD_KAFKA_RESP_ERR_NO_ERROR);
  absl::Status up = absl::UnavailableError("not tried");
  for (int attempt = 0; attempt < 10 && !up.ok(); ++attempt) {
    up = reader->Acquire(1);  // the loop retries the same way
  }
  ASSERT_TRUE(up.ok()) << up;
  EXPECT_EQ(DumpOf(*reader, 1), written);
}

TEST_F(RestoreTest, ADiskFaultFailsAcquireAndALaterAcquireRestores) {
  // issue 19 item 3 with issue 14 item 6 (storage faults): a partition
  // whose DB cannot be written is not held; once the disk works the same
  // Acquire restores it exactly.
  auto writer = OpenAt("writer", nullptr);
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Acquire(3).ok());
  WriteRandom(*writer, 3, 30, 11);
  const Dump written = DumpOf(*writer, 3);
  writer.reset();

  auto disk = std::make_shared<testing::FaultFileSystem>();
  auto reader = OpenAt("reader", nullptr, kWait, disk);
  ASSERT_NE(reader, nullptr);
  struct Row {
    const char* rule;
    testing::InjectedFault fault;
  };
  const std::vector<Row> rows = {
      {"issue 14 item 6: a write error", testing::InjectedFault::kWriteError},
      {"issue 14 item 6: a full disk", testing::InjectedFault::kNoSpace},
      {"issue 14 item 6: a failed fsync", testing::InjectedFault::kSyncError},
  };
  for (const Row& row : rows) {
    disk->Inject(row.fault);
    absl::Status s = reader->Acquire(3);
    EXPECT_FALSE(s.ok()) << row.rule;
    EXPECT_TRUE(reader->Held().empty()) << row.rule;
    disk->Clear();
  }
  absl::Status s = reader->Acquire(3);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(DumpOf(*reader, 3), written);
}

TEST_F(RestoreTest, AChangelogTrimmedBeforeTheRestoreIsDataLoss) {
  // issue 19 item 2 ("restore that partition's state exactly"): records
  // deleted before they were restored make an exact restore impossible.
  auto writer = OpenAt("writer", nullptr);
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Acquire(2).ok());
  Commit(*writer, 2, "cases", "a", "1");
  writer.reset();
  {
    // The mock keeps ~5 MiB per partition: 8 records of 1 MB push the
    // oldest out, as retention would.
    kafka::ProducerOptions po;
    po.bootstrap = cluster_.bootstrap();
    auto raw =
        kafka::CreateKafkaProducer(po, [](const kafka::DeliveryReport&) {});
    ASSERT_TRUE(raw.ok()) << raw.status();
    const std::string big(990000, 'x');
    for (int i = 0; i < 8; ++i) {
      ASSERT_TRUE(
          (*raw)
              ->ProduceRecord({kTopic, 2, ChangelogKey("cases", "big"), big},
                              static_cast<uint64_t>(i))
              .ok());
      ASSERT_TRUE((*raw)->Flush(kWait).ok());
    }
  }
  auto reader = OpenAt("reader", nullptr);
  ASSERT_NE(reader, nullptr);
  absl::Status s = reader->Acquire(2);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_THAT(s.message(), HasSubstr("cleanup.policy=compact"));
  EXPECT_TRUE(reader->Held().empty());
}

// The restore counter of `partition` in `metrics`, or -1 if absent.
double RestoredRecords(const metrics::Registry& metrics, int32_t partition) {
  const std::string text = metrics.Render();
  const std::string name = absl::StrCat(
      "caserelay_restore_records_total{partition=\"", partition, "\"} ");
  const size_t at = text.find(name);
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + name.size()));
}

TEST_F(RestoreTest, AStandbyCopyMakesTheTakeOverReadOnlyTheRest) {
  // issue 19 item 3: "optional standby replicas (a warm copy of other
  // partitions' state) to make fail-over fast".
  metrics::Registry metrics;
  auto writer = OpenAt("writer", nullptr);
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Acquire(1).ok());
  WriteRandom(*writer, 1, 40, 7);

  auto standby = OpenAt("standby", &metrics);
  ASSERT_NE(standby, nullptr);
  ASSERT_TRUE(standby->Warm(1).ok());
  EXPECT_TRUE(standby->Held().empty()) << "a standby copy is not held";
  EXPECT_EQ(standby->Lease(1).status().code(),
            absl::StatusCode::kFailedPrecondition);
  const double warmed = RestoredRecords(metrics, 1);
  EXPECT_GT(warmed, 0);

  // The background thread keeps it up to date.
  WriteRandom(*writer, 1, 10, 8);
  standby->SetStandby({1});
  const absl::Time deadline = absl::Now() + kWait;
  while (RestoredRecords(metrics, 1) == warmed && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  const double caught_up = RestoredRecords(metrics, 1);
  EXPECT_GT(caught_up, warmed) << "the standby thread never caught up";

  // The old owner goes; the take-over reads only what came after.
  const Dump written = DumpOf(*writer, 1);
  writer.reset();
  absl::Status s = standby->Acquire(1);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(DumpOf(*standby, 1), written);
  EXPECT_EQ(RestoredRecords(metrics, 1), caught_up)
      << "the take-over read again what the standby copy had";
  EXPECT_EQ(standby->Warm(1).code(), absl::StatusCode::kFailedPrecondition)
      << "a held partition's copy is current";
}

TEST_F(RestoreTest, PartialBatchAtTheTailIsIgnoredAndRepaired) {
  // contract item 3: "applying only complete batches (up to the last
  // marker)".
  auto a = OpenAt("a", nullptr);
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->Acquire(1).ok());
  Commit(*a, 1, "cases", "c1", "one");
  a.reset();
  // A writer that died half-way through a batch: records, no marker.
  {
    kafka::ProducerOptions po;
    po.bootstrap = cluster_.bootstrap();
    auto raw =
        kafka::CreateKafkaProducer(po, [](const kafka::DeliveryReport&) {});
    ASSERT_TRUE(raw.ok()) << raw.status();
    ASSERT_TRUE((*raw)
                    ->ProduceRecord(
                        {kTopic, 1, ChangelogKey("cases", "c2"), "partial"}, 1)
                    .ok());
    ASSERT_TRUE((*raw)
                    ->ProduceRecord(
                        {kTopic, 1, ChangelogKey("cases", "c1"), "partial"}, 2)
                    .ok());
    ASSERT_TRUE((*raw)->Flush(kWait).ok());
  }
  auto b = OpenAt("b", nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->Acquire(1).ok());
  EXPECT_EQ(Get(*b, 1, "c1"), "one");
  EXPECT_EQ(Get(*b, 1, "c2"), std::nullopt);
  // The new owner goes on writing: a later restore applies the partial
  // batch with the next marker, so the owner's repair batch must undo it.
  Commit(*b, 1, "timers", "t1", "x");
  const Dump owner = DumpOf(*b, 1);
  b->Release(1);

  auto c = OpenAt("c", nullptr);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->Acquire(1).ok());
  EXPECT_EQ(DumpOf(*c, 1), owner);
}

TEST_F(RestoreTest, StaleLocalCopyIsWipedAndRestoredFromZero) {
  // contract item 3: unpublished changelog records in the outbox and a
  // changelog grown past the stored position: another owner wrote.
  auto a = OpenAt("a", nullptr);
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->Acquire(0).ok());
  Commit(*a, 0, "cases", "a", "1");
  a.reset();
  {
    // The old owner's last write, committed but never published.
    StoreOptions so;
    so.path = absl::StrCat(dir_.path(), "/a/p000");
    so.column_families = kFamilies;
    so.changelog_topic = kTopic;
    so.changelog_partition = 0;
    so.changelog_epoch = 1;
    auto store = Store::Open(so);
    ASSERT_TRUE(store.ok()) << store.status();
    WriteBatch batch(store->get());
    batch.Put("cases", "local-only", "x");
    ASSERT_TRUE((*store)->Commit(batch).ok());
  }
  auto b = OpenAt("b", nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->Acquire(0).ok());
  Commit(*b, 0, "cases", "b", "2");
  const Dump owner = DumpOf(*b, 0);
  b.reset();

  a = OpenAt("a", nullptr);
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->Acquire(0).ok());
  EXPECT_EQ(Get(*a, 0, "local-only"), std::nullopt);
  EXPECT_EQ(DumpOf(*a, 0), owner);
  auto lease = a->Lease(0);
  ASSERT_TRUE(lease.ok());
  for (const OutboxRecord& r : testing::PendingRecords(lease->store())) {
    EXPECT_EQ(r.key.find("local-only"), std::string::npos)
        << "the stale outbox was not wiped";
  }
}

TEST_F(RestoreTest, UnpublishedRecordsWithoutANewerOwnerAreKept) {
  // contract item 3: the wipe needs BOTH conditions; alone, unpublished
  // records are this owner's latest writes and get published.
  auto a = OpenAt("a", nullptr);
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->Acquire(3).ok());
  Commit(*a, 3, "cases", "a", "1");
  a.reset();
  {
    StoreOptions so;
    so.path = absl::StrCat(dir_.path(), "/a/p003");
    so.column_families = kFamilies;
    so.changelog_topic = kTopic;
    so.changelog_partition = 3;
    so.changelog_epoch = 1;
    auto store = Store::Open(so);
    ASSERT_TRUE(store.ok()) << store.status();
    WriteBatch batch(store->get());
    batch.Put("cases", "late", "y");
    ASSERT_TRUE((*store)->Commit(batch).ok());
  }
  a = OpenAt("a", nullptr);
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->Acquire(3).ok());
  EXPECT_EQ(Get(*a, 3, "late"), "y");
  a.reset();  // publishes what it held (Release flushes)
  auto b = OpenAt("b", nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->Acquire(3).ok());
  EXPECT_EQ(Get(*b, 3, "late"), "y") << "the late write never reached Kafka";
  EXPECT_EQ(Get(*b, 3, "a"), "1");
}

}  // namespace
}  // namespace caserelay::store
