// Store::Position (issue 22 item 5, issue 23 item 1): where a consumer
// stands, with the log it counts in; an unreadable position is an error,
// never "nothing stored" (which would read the partition again from its
// start with duplicate checks off).

#include <cstdint>
#include <memory>
#include <string>

#include "common/store/store.h"
#include "gtest/gtest.h"
#include "tests/unit/common/store/temp_dir.h"

namespace caserelay::store {
namespace {

std::unique_ptr<Store> Open(const std::string& path) {
  StoreOptions options;
  options.path = path;
  auto store = Store::Open(options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

// The offsets family's key of topic/partition (store.cc OffsetKey).
std::string OffsetKey(const std::string& topic, int32_t partition) {
  return topic + std::string(1, '\0') +
         EncodeUint64(static_cast<uint32_t>(partition));
}

TEST(PositionTest, IsTheOffsetAndLogLastCommitted) {
  testing::TempDir dir;
  auto store = Open(dir.path() + "/db");
  ASSERT_NE(store, nullptr);
  WriteBatch batch(store.get());
  batch.SetOffset("case-events", 2, 41, "cluster-a");
  ASSERT_TRUE(store->Commit(batch).ok());
  auto position = store->Position("case-events", 2);
  ASSERT_TRUE(position.ok()) << position.status();
  ASSERT_TRUE(position->has_value());
  EXPECT_EQ((*position)->next_offset, 41);
  EXPECT_EQ((*position)->log_id, "cluster-a");
}

TEST(PositionTest, NothingStoredIsNullopt) {
  testing::TempDir dir;
  auto store = Open(dir.path() + "/db");
  ASSERT_NE(store, nullptr);
  auto position = store->Position("case-events", 0);
  ASSERT_TRUE(position.ok()) << position.status();
  EXPECT_FALSE(position->has_value());
}

TEST(PositionTest, OffsetStoredWithoutALogCountsInAnUnknownLog) {
  // What stores written before log identities were kept hold: 8 bytes.
  testing::TempDir dir;
  auto store = Open(dir.path() + "/db");
  ASSERT_NE(store, nullptr);
  WriteBatch batch(store.get());
  batch.Put("offsets", OffsetKey("petitions", 1), EncodeUint64(7));
  ASSERT_TRUE(store->Commit(batch).ok());
  auto position = store->Position("petitions", 1);
  ASSERT_TRUE(position.ok()) << position.status();
  ASSERT_TRUE(position->has_value());
  EXPECT_EQ((*position)->next_offset, 7);
  EXPECT_EQ((*position)->log_id, "");
}

TEST(PositionTest, MalformedPositionIsDataLossNotNothingStored) {
  testing::TempDir dir;
  auto store = Open(dir.path() + "/db");
  ASSERT_NE(store, nullptr);
  WriteBatch batch(store.get());
  batch.Put("offsets", OffsetKey("petitions", 0), "bad");
  ASSERT_TRUE(store->Commit(batch).ok());
  EXPECT_EQ(store->Position("petitions", 0).status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace caserelay::store
