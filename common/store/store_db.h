// Internal to common/store: the names of the store's own column families,
// one open of a Store's RocksDB database, and the column family handles a
// WriteBatch is filled with. Not for other modules.
//
// Thread safety: Db is thread-safe (RocksDB's DB is); its handles are const
// after construction. FamilyId is immutable.

#ifndef CASERELAY_COMMON_STORE_STORE_DB_H_
#define CASERELAY_COMMON_STORE_STORE_DB_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/store/store.h"
#include "rocksdb/comparator.h"
#include "rocksdb/db.h"

namespace caserelay::store {

// The store's own column families (store.h), and the key in "meta" of the
// next outbox sequence number.
inline constexpr char kOutbox[] = "outbox";
inline constexpr char kOffsets[] = "offsets";
inline constexpr char kMeta[] = "meta";
inline constexpr char kDeadLetters[] = "dead-letters";
inline constexpr char kPublished[] = "published";
inline constexpr char kOutboxSeqKey[] = "outbox-next-seq";

// The open database with its column family handles; closed when the last
// reader lets it go (so a reopen waits for readers of the old one).
class Store::Db {
 public:
  Db(std::unique_ptr<rocksdb::DB> db,
     std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> cfs)
      : db_(std::move(db)), cfs_(std::move(cfs)) {}
  ~Db() {
    for (auto& [name, handle] : cfs_) {
      db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
    }
    // After a fault RocksDB reports it again here; nothing is left to do.
    db_->Close().PermitUncheckedError();
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  rocksdb::DB* db() const { return db_.get(); }
  // REQUIRES: `cf` was declared (Store::Family checked it).
  rocksdb::ColumnFamilyHandle* Family(std::string_view cf) const {
    return cfs_.find(cf)->second;
  }

 private:
  const std::unique_ptr<rocksdb::DB> db_;
  const std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> cfs_;
};

// A column family named by its id, which stays the same when the database
// is opened again: a WriteBatch filled before a reopen is committed after
// it. RocksDB's batches read only the id and the comparator of a handle.
class Store::FamilyId : public rocksdb::ColumnFamilyHandle {
 public:
  FamilyId(std::string name, uint32_t id) : name_(std::move(name)), id_(id) {}
  const std::string& GetName() const override { return name_; }
  uint32_t GetID() const override { return id_; }
  rocksdb::Status GetDescriptor(
      rocksdb::ColumnFamilyDescriptor* desc) override {
    *desc =
        rocksdb::ColumnFamilyDescriptor(name_, rocksdb::ColumnFamilyOptions());
    return rocksdb::Status::OK();
  }
  const rocksdb::Comparator* GetComparator() const override {
    return rocksdb::BytewiseComparator();
  }

 private:
  const std::string name_;
  const uint32_t id_;
};

// What OpenDb found.
struct Store::Opened {
  std::shared_ptr<Db> db;
  std::map<std::string, uint32_t, std::less<>> family_ids;
  uint64_t next_outbox_seq = 1;
  uint64_t next_batch_seq = 1;  // changelog.h
  uint64_t outbox_size = 0;
  uint64_t published_size = 0;
};

}  // namespace caserelay::store

#endif  // CASERELAY_COMMON_STORE_STORE_DB_H_
