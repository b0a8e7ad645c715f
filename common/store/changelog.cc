#include "common/store/changelog.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/store/outbox_dead_letters.h"
#include "common/store/store.h"
#include "common/store/store_db.h"

namespace caserelay::store {
namespace {

// Collects the last write of each key of a batch, for the changelog.
class Collector : public rocksdb::WriteBatch::Handler {
 public:
  explicit Collector(const std::map<uint32_t, std::string>* names)
      : names_(names) {}

  rocksdb::Status PutCF(uint32_t id, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    return Record(id, key, value.ToString());
  }
  rocksdb::Status DeleteCF(uint32_t id, const rocksdb::Slice& key) override {
    return Record(id, key, std::nullopt);
  }
  rocksdb::Status SingleDeleteCF(uint32_t id,
                                 const rocksdb::Slice& key) override {
    return Record(id, key, std::nullopt);
  }
  rocksdb::Status DeleteRangeCF(uint32_t, const rocksdb::Slice&,
                                const rocksdb::Slice&) override {
    return rocksdb::Status::NotSupported("range deletes are not logged");
  }
  rocksdb::Status MergeCF(uint32_t, const rocksdb::Slice&,
                          const rocksdb::Slice&) override {
    return rocksdb::Status::NotSupported("merges are not logged");
  }

  ChangelogWrites& writes() { return writes_; }

 private:
  rocksdb::Status Record(uint32_t id, const rocksdb::Slice& key,
                         std::optional<std::string> value) {
    auto name = names_->find(id);
    if (name == names_->end()) {
      return rocksdb::Status::Corruption("a write to an unknown family");
    }
    std::string_view k(key.data(), key.size());
    if (IsUnlogged(name->second, k)) return rocksdb::Status::OK();
    writes_[{name->second, std::string(k)}] = std::move(value);
    return rocksdb::Status::OK();
  }

  const std::map<uint32_t, std::string>* const names_;
  ChangelogWrites writes_;
};

}  // namespace

std::string ChangelogKey(std::string_view cf, std::string_view key) {
  std::string out;
  out.reserve(cf.size() + 1 + key.size());
  out.append(cf);
  out.push_back('\0');
  out.append(key);
  return out;
}

bool SplitChangelogKey(std::string_view record_key, std::string_view* cf,
                       std::string_view* key) {
  const size_t nul = record_key.find('\0');
  if (nul == std::string_view::npos || nul == 0) return false;
  *cf = record_key.substr(0, nul);
  *key = record_key.substr(nul + 1);
  return true;
}

std::string EncodeMarker(const BatchMarker& marker) {
  return absl::StrCat(EncodeUint64(marker.sequence), EncodeUint64(marker.epoch),
                      EncodeUint64(marker.owner));
}

absl::StatusOr<BatchMarker> DecodeMarker(std::string_view value) {
  if (value.size() != 16 && value.size() != 24) {
    return absl::DataLossError(
        absl::StrCat("changelog: an end-of-batch marker of ", value.size(),
                     " bytes (24, or 16 before owner ids, expected)"));
  }
  return BatchMarker{
      DecodeUint64(value.substr(0, 8)), DecodeUint64(value.substr(8, 8)),
      value.size() == 24 ? DecodeUint64(value.substr(16, 8)) : 0};
}

bool IsUnlogged(std::string_view cf, std::string_view key) {
  if (cf == kOutbox || cf == kPublished) return true;
  if (cf == kDeadLetters) {
    return absl::StartsWith(absl::string_view(key.data(), key.size()),
                            kOutboxDeadLetterPrefix);
  }
  if (cf == kMeta) {
    return key == kOutboxSeqKey || key == kChangelogPositionKey ||
           key == kChangelogBatchSeqKey || key == kOwnerEpochKey ||
           key == kOwnerIdKey;
  }
  return false;
}

rocksdb::Status CollectChangelogWrites(
    const rocksdb::WriteBatch& batch,
    const std::map<uint32_t, std::string>& family_names, ChangelogWrites* out) {
  Collector collector(&family_names);
  rocksdb::Status s = batch.Iterate(&collector);
  if (s.ok()) *out = std::move(collector.writes());
  return s;
}

}  // namespace caserelay::store
