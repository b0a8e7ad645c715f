// Store::NewCursor (store.h).

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/store/store.h"
#include "common/store/store_db.h"

namespace caserelay::store {
namespace {

class RocksCursor final : public Store::Cursor {
 public:
  RocksCursor(std::shared_ptr<void> db, std::unique_ptr<rocksdb::Iterator> it,
              std::string cf)
      : db_(std::move(db)), it_(std::move(it)), cf_(std::move(cf)) {}
  ~RocksCursor() override { it_.reset(); }  // before the database

  bool Valid() const override { return it_->Valid(); }
  std::string_view key() const override {
    return std::string_view(it_->key().data(), it_->key().size());
  }
  std::string_view value() const override {
    return std::string_view(it_->value().data(), it_->value().size());
  }
  void Next() override { it_->Next(); }
  absl::Status status() const override {
    rocksdb::Status s = it_->status();
    if (s.ok()) return absl::OkStatus();
    return absl::UnavailableError(
        absl::StrCat("store: scan ", cf_, ": ", s.ToString()));
  }

 private:
  const std::shared_ptr<void> db_;  // keeps the database open
  std::unique_ptr<rocksdb::Iterator> it_;
  const std::string cf_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Store::Cursor>> Store::NewCursor(
    std::string_view cf, std::string_view begin) const {
  std::shared_ptr<Db> db = Current();
  if (db == nullptr) {
    return absl::UnavailableError(
        "store: the database is being opened again after a storage fault "
        "(see /healthz); retry");
  }
  std::unique_ptr<rocksdb::Iterator> it(
      db->db()->NewIterator(rocksdb::ReadOptions(), db->Family(cf)));
  it->Seek(rocksdb::Slice(begin.data(), begin.size()));
  return std::unique_ptr<Cursor>(
      new RocksCursor(std::move(db), std::move(it), std::string(cf)));
}

}  // namespace caserelay::store
