// The restore's own-records rule (changelog_restore.h; issue 19, F4 item
// 2): after a SIGKILL a partition DB finds its outbox still holding
// changelog records and the changelog grown past its stored position. If
// every marker there carries the DB's own owner id (and a batch it
// committed), the records are its own, published before the kill let it
// save their confirmation: nothing is applied or wiped, the position moves
// to the end, the outbox republishes them. Any other marker: the old
// wipe-and-restore. Against librdkafka's mock cluster hosted in-process.

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
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
#include "common/store/changelog_restore.h"
#include "common/store/partitioned_store.h"
#include "common/store/store_db.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/store/pending_outbox.h"
#include "tests/unit/common/store/restore_fixture.h"

namespace caserelay::store {
namespace {

using testing::Dump;
using ::testing::HasSubstr;
using testing::kFamilies;
using testing::kTopic;
using testing::kWait;

// What the changelog holds past the crashed copy's stored position.
enum class Past {
  kOwnWhole,        // its last batch, published whole
  kOwnHalf,         // the first record of its last batch, no marker
  kOtherOwner,      // another instance took over and wrote a batch
  kMarkerNoOwner,   // a marker written before owner ids (16 bytes)
  kOwnIdNeverMade,  // its owner id, on a batch sequence it never committed
};

struct Row {
  const char* rule;
  Past past;
  bool own;    // Restored::own_records
  bool wiped;  // Restored::wiped
  // "cases/late" afterwards: the copy's own value, or what the changelog
  // holds once restored from offset 0 (nullptr: absent).
  const char* late;
};

class RestoreOwnerTest : public testing::RestoreFixture,
                         public ::testing::WithParamInterface<Row> {
 protected:
  std::string PathOf(const std::string& name) const {
    return absl::StrCat(dir_.path(), "/", name, "/p000");
  }

  static StoreOptions Plain(const std::string& path) {
    StoreOptions so;
    so.path = path;
    so.column_families = kFamilies;
    so.sync = false;
    return so;
  }

  static uint64_t MetaOf(Store& store, const char* key) {
    auto v = store.Get(kMeta, key);
    EXPECT_TRUE(v.ok()) << v.status();
    if (!v.ok() || !v->has_value() || (*v)->size() != 8) return 0;
    return DecodeUint64(**v);
  }

  // The copy at `path` commits a batch (state, an output and its
  // changelog) that a SIGKILL leaves unconfirmed; returns the batch's
  // changelog records, and the copy's owner id and epoch.
  static std::vector<OutboxRecord> CommitUnconfirmed(const std::string& path,
                                                     uint64_t* owner,
                                                     uint64_t* epoch) {
    StoreOptions so = Plain(path);
    {
      auto plain = Store::Open(so);
      EXPECT_TRUE(plain.ok()) << plain.status();
      if (!plain.ok()) return {};
      *owner = MetaOf(**plain, kOwnerIdKey);
      *epoch = MetaOf(**plain, kOwnerEpochKey);
    }
    so.changelog_topic = kTopic;
    so.changelog_partition = 0;
    so.changelog_epoch = *epoch;
    so.changelog_owner = *owner;
    auto store = Store::Open(so);
    EXPECT_TRUE(store.ok()) << store.status();
    if (!store.ok()) return {};
    WriteBatch batch(store->get());
    batch.Put("cases", "late", "2");
    batch.AddOutbox("case-events", "late", "late-output");
    auto committed = (*store)->Commit(batch);
    EXPECT_TRUE(committed.ok()) << committed.status();
    std::vector<OutboxRecord> changelog;
    if (!committed.ok()) return changelog;
    for (OutboxRecord& r : *committed) {
      if (r.topic == kTopic) changelog.push_back(std::move(r));
    }
    return changelog;
  }

  // Produces records straight to Kafka: the publisher's produce whose
  // confirmation the killed process never saved.
  void PublishRaw(const std::vector<OutboxRecord>& records) {
    kafka::ProducerOptions po;
    po.bootstrap = cluster_.bootstrap();
    auto raw =
        kafka::CreateKafkaProducer(po, [](const kafka::DeliveryReport&) {});
    ASSERT_TRUE(raw.ok()) << raw.status();
    uint64_t token = 0;
    for (const OutboxRecord& r : records) {
      kafka::ProducerRecord record{r.topic, r.partition, r.key, std::nullopt};
      if (!r.null_value) record.value = r.value;
      ASSERT_TRUE((*raw)->ProduceRecord(record, ++token).ok());
    }
    ASSERT_TRUE((*raw)->Flush(kWait).ok());
  }

  static OutboxRecord Marker(const BatchMarker& marker, size_t bytes) {
    OutboxRecord r;
    r.topic = kTopic;
    r.partition = 0;
    r.key = std::string(kChangelogMarkerKey);
    r.value = EncodeMarker(marker).substr(0, bytes);
    return r;
  }

  absl::StatusOr<Restored> Restore(const std::string& path) {
    kafka::PartitionReaderOptions ro;
    ro.bootstrap = cluster_.bootstrap();
    auto reader = kafka::CreateKafkaPartitionReader(ro);
    if (!reader.ok()) return reader.status();
    RestoreOptions restore;
    restore.topic = kTopic;
    restore.partition = 0;
    restore.stall_timeout = kWait;
    return OpenRestored(Plain(path), **reader, restore);
  }

  // A writer "a" that held partition 0 and wrote one confirmed batch.
  void FirstOwnerWrites() {
    auto a = OpenAt("a", nullptr);
    ASSERT_NE(a, nullptr);
    ASSERT_TRUE(a->Acquire(0).ok());
    Commit(*a, 0, "cases", "early", "1");
  }
};

TEST_P(RestoreOwnerTest, TheRecordsPastThePositionDecideKeepOrWipe) {
  const Row& row = GetParam();
  SCOPED_TRACE(row.rule);
  FirstOwnerWrites();
  uint64_t owner = 0;
  uint64_t epoch = 0;
  const std::vector<OutboxRecord> changelog =
      CommitUnconfirmed(PathOf("a"), &owner, &epoch);
  ASSERT_NE(owner, 0u) << "taking ownership stored no owner id";
  ASSERT_EQ(changelog.size(), 2u);  // cases/late, then the marker
  switch (row.past) {
    case Past::kOwnWhole:
      PublishRaw(changelog);
      break;
    case Past::kOwnHalf:
      PublishRaw({changelog.front()});
      break;
    case Past::kOtherOwner: {
      auto b = OpenAt("b", nullptr);
      ASSERT_NE(b, nullptr);
      ASSERT_TRUE(b->Acquire(0).ok());
      Commit(*b, 0, "cases", "b", "3");
      break;
    }
    case Past::kMarkerNoOwner:
      PublishRaw({changelog.front(), Marker({100, epoch, owner}, 16)});
      break;
    case Past::kOwnIdNeverMade:
      PublishRaw({changelog.front(), Marker({100, epoch, owner}, 24)});
      break;
  }

  auto restored = Restore(PathOf("a"));
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->own_records, row.own);
  EXPECT_EQ(restored->wiped, row.wiped);
  Store& db = *restored->store;
  auto late = db.Get("cases", "late");
  ASSERT_TRUE(late.ok()) << late.status();
  if (row.own) {
    EXPECT_EQ(restored->records, 0u) << "its own records were applied again";
    EXPECT_EQ(restored->owner, owner) << "the copy changed its owner id";
    EXPECT_EQ(MetaOf(db, kChangelogPositionKey),
              static_cast<uint64_t>(restored->position));
    // The outbox keeps the batch (output and changelog) to publish again.
    EXPECT_EQ(testing::PendingRecords(db).size(), 3u);
  } else {
    // The wiped outbox is gone; the log's batches are applied from 0.
    EXPECT_TRUE(testing::PendingRecords(db).empty());
    EXPECT_NE(restored->owner, owner) << "a wiped copy kept its owner id";
  }
  if (row.late == nullptr) {
    EXPECT_EQ(*late, std::nullopt);
  } else {
    EXPECT_EQ(*late, std::string(row.late));
  }
  if (row.past == Past::kOwnHalf) {
    // The half-written batch's keys are written again by the owner (the
    // repair batch), so a later restore agrees whoever wrote the tail.
    EXPECT_EQ(
        restored->tail_keys,
        (std::set<std::pair<std::string, std::string>>{{"cases", "late"}}));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rows, RestoreOwnerTest,
    ::testing::Values(
        Row{"F4 item 2: every marker carries this DB's owner id: its own "
            "records; apply nothing, wipe nothing, keep the outbox",
            Past::kOwnWhole, true, false, "2"},
        Row{"F4 item 2: a half-written tail of its own records (no marker "
            "yet): its own too",
            Past::kOwnHalf, true, false, "2"},
        Row{"F4 item 2 / contract item 3: another owner's marker: the "
            "stale copy is wiped and restored from offset 0",
            Past::kOtherOwner, false, true, nullptr},
        Row{"F4 item 2: an old 16-byte marker reads as owner 0, never this "
            "copy's: wiped",
            Past::kMarkerNoOwner, false, true, "2"},
        Row{"changelog_restore.h: its owner id on a batch it never "
            "committed (the write did not survive): not its state, wiped",
            Past::kOwnIdNeverMade, false, true, "2"}));

class RestoreRepublishTest : public testing::RestoreFixture {};

TEST_F(RestoreRepublishTest, OwnRecordsRepublishedLeaveEveryReaderExact) {
  // F4 item 2: re-applying the republished copies later, in order, is
  // harmless: a copy restored from offset 0 afterwards equals the owner.
  metrics::Registry metrics;
  {
    auto a = OpenAt("a", nullptr);
    ASSERT_NE(a, nullptr);
    ASSERT_TRUE(a->Acquire(0).ok());
    Commit(*a, 0, "cases", "early", "1");
  }
  // As RestoreOwnerTest's kOwnWhole row, through PartitionedStore.
  uint64_t owner = 0;
  uint64_t epoch = 0;
  {
    StoreOptions so;
    so.path = absl::StrCat(dir_.path(), "/a/p000");
    so.column_families = kFamilies;
    auto plain = Store::Open(so);
    ASSERT_TRUE(plain.ok()) << plain.status();
    auto id = (*plain)->Get(kMeta, kOwnerIdKey);
    auto ep = (*plain)->Get(kMeta, kOwnerEpochKey);
    ASSERT_TRUE(id.ok() && id->has_value() && ep.ok() && ep->has_value());
    owner = DecodeUint64(**id);
    epoch = DecodeUint64(**ep);
  }
  StoreOptions so;
  so.path = absl::StrCat(dir_.path(), "/a/p000");
  so.column_families = kFamilies;
  so.changelog_topic = kTopic;
  so.changelog_partition = 0;
  so.changelog_epoch = epoch;
  so.changelog_owner = owner;
  std::vector<OutboxRecord> changelog;
  {
    auto store = Store::Open(so);
    ASSERT_TRUE(store.ok()) << store.status();
    for (const char* key : {"x", "y"}) {
      WriteBatch batch(store->get());
      batch.Put("cases", key, absl::StrCat(key, "-value"));
      batch.Put("timers", "t", key);
      auto committed = (*store)->Commit(batch);
      ASSERT_TRUE(committed.ok()) << committed.status();
      for (OutboxRecord& r : *committed) changelog.push_back(std::move(r));
    }
  }
  {
    kafka::ProducerOptions po;
    po.bootstrap = cluster_.bootstrap();
    auto raw =
        kafka::CreateKafkaProducer(po, [](const kafka::DeliveryReport&) {});
    ASSERT_TRUE(raw.ok()) << raw.status();
    uint64_t token = 0;
    for (const OutboxRecord& r : changelog) {
      ASSERT_TRUE(
          (*raw)
              ->ProduceRecord({r.topic, r.partition, r.key, r.value}, ++token)
              .ok());
    }
    ASSERT_TRUE((*raw)->Flush(kWait).ok());
  }

  auto a = OpenAt("a", &metrics);
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->Acquire(0).ok());
  EXPECT_THAT(metrics.Render(),
              HasSubstr("caserelay_restore_records_total{partition=\"0\"} 0\n"))
      << "its own records were applied again";
  EXPECT_EQ(Get(*a, 0, "y"), "y-value");
  Commit(*a, 0, "cases", "after", "3");  // a newer batch, after the copies
  const Dump owner_state = DumpOf(*a, 0);
  a->Release(0);  // publishes what the outbox held

  auto c = OpenAt("c", nullptr);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->Acquire(0).ok());
  EXPECT_EQ(DumpOf(*c, 0), owner_state);
}

}  // namespace
}  // namespace caserelay::store
