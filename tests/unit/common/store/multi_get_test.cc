// WriteBatch::MultiGet (issue 20 item 3): many keys read at once through
// the batch, each exactly as WriteBatch::Get reads it (the batch's own
// writes over the committed state). A real Store in a temp dir.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/store/temp_dir.h"

namespace caserelay::store {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::Optional;

class MultiGetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions options;
    options.path = absl::StrCat(dir_.path(), "/db");
    options.column_families = {"cases", "other"};
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    // Committed: a, b, c in "cases"; x in "other".
    WriteBatch setup(store_.get());
    setup.Put("cases", "a", "committed-a");
    setup.Put("cases", "b", "committed-b");
    setup.Put("cases", "c", "committed-c");
    setup.Put("other", "x", "committed-x");
    ASSERT_TRUE(store_->Commit(setup).ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(MultiGetTest, EachKeyReadsAsGetReadsIt) {
  WriteBatch batch(store_.get());
  batch.Put("cases", "b", "uncommitted-b");
  batch.Delete("cases", "c");
  batch.Put("cases", "d", "new-d");
  struct Row {
    std::string key;
    std::optional<std::string> want;
    const char* why;
  };
  const std::vector<Row> rows = {
      {"a", "committed-a", "committed, untouched by the batch"},
      {"b", "uncommitted-b", "the batch's own put over the committed value"},
      {"c", std::nullopt, "deleted by the batch"},
      {"d", "new-d", "put by the batch only"},
      {"e", std::nullopt, "nowhere"},
      {"x", std::nullopt, "in another family only"},
  };
  std::vector<std::string> keys;
  for (const Row& r : rows) keys.push_back(r.key);
  auto got = batch.MultiGet("cases", keys);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ((*got)[i], rows[i].want) << rows[i].key << ": " << rows[i].why;
    auto one = batch.Get("cases", rows[i].key);
    ASSERT_TRUE(one.ok()) << one.status();
    EXPECT_EQ((*got)[i], *one) << rows[i].key << ": as Get reads it";
  }
}

TEST_F(MultiGetTest, UnsortedKeysComeBackInTheOrderGiven) {
  WriteBatch batch(store_.get());
  batch.Put("cases", "d", "new-d");
  auto got = batch.MultiGet("cases", {"d", "a", "e", "b"});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_THAT(*got,
              ElementsAre(Optional(std::string("new-d")),
                          Optional(std::string("committed-a")), std::nullopt,
                          Optional(std::string("committed-b"))));
}

TEST_F(MultiGetTest, NoKeysReadsNothing) {
  WriteBatch batch(store_.get());
  auto got = batch.MultiGet("cases", {});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_THAT(*got,
              ElementsAreArray(std::vector<std::optional<std::string>>{}));
}

}  // namespace
}  // namespace caserelay::store
