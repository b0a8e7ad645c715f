#include "common/store/store.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/store/changelog.h"
#include "common/store/outbox_dead_letters.h"
#include "common/store/store_db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"

namespace caserelay::store {
namespace {

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  return absl::UnavailableError(
      absl::StrCat("store: ", std::string(what), ": ", s.ToString()));
}

absl::Status Reopening() {
  return absl::UnavailableError(
      "store: the database is being opened again after a storage fault "
      "(see /healthz); retry");
}

// Offsets key: topic NUL partition (big-endian), so a topic's partitions
// sort together.
std::string OffsetKey(std::string_view topic, int32_t partition) {
  return absl::StrCat(std::string(topic), std::string(1, '\0'),
                      EncodeUint64(static_cast<uint32_t>(partition)));
}

// Outbox value: head NUL key-length(8) key value, the head being the topic,
// or, for a record with an explicit partition or a null value (changelog
// records), "topic SOH partition SOH flag" (flag "n": null value, "v":
// a value). A topic name never holds SOH or NUL, so records stored before
// the extension read as they were.
constexpr char kHeadSeparator = '\x01';

std::string EncodeOutbox(const OutboxRecord& r) {
  std::string head = r.topic;
  if (r.partition != -1 || r.null_value) {
    absl::StrAppend(&head, std::string(1, kHeadSeparator), r.partition,
                    std::string(1, kHeadSeparator), r.null_value ? "n" : "v");
  }
  return absl::StrCat(head, std::string(1, '\0'), EncodeUint64(r.key.size()),
                      r.key, r.value);
}

// Reads the head of an outbox value into `r`; false if malformed.
bool DecodeHead(std::string_view head, OutboxRecord* r) {
  const size_t first = head.find(kHeadSeparator);
  if (first == std::string_view::npos) {
    r->topic = std::string(head);
    return true;
  }
  const size_t second = head.find(kHeadSeparator, first + 1);
  if (second == std::string_view::npos) return false;
  int32_t partition = 0;
  if (!absl::SimpleAtoi(
          absl::string_view(head.data() + first + 1, second - first - 1),
          &partition)) {
    return false;
  }
  const std::string_view flag = head.substr(second + 1);
  if (flag != "n" && flag != "v") return false;
  r->topic = std::string(head.substr(0, first));
  r->partition = partition;
  r->null_value = flag == "n";
  return true;
}

// Published value: log-id-length(8) log-id outbox-value.
std::string EncodePublished(std::string_view log_id, std::string_view value) {
  std::string out = EncodeUint64(log_id.size());
  out.append(log_id);
  out.append(value);
  return out;
}

bool DecodePublished(std::string_view v, std::string_view* log_id,
                     std::string_view* value) {
  if (v.size() < 8) return false;
  const uint64_t n = DecodeUint64(v.substr(0, 8));
  if (v.size() - 8 < n) return false;
  *log_id = v.substr(8, n);
  *value = v.substr(8 + n);
  return true;
}

bool DecodeOutbox(std::string_view k, std::string_view v, OutboxRecord* r) {
  if (k.size() != 8) return false;
  size_t nul = v.find('\0');
  if (nul == std::string_view::npos || v.size() < nul + 1 + 8) return false;
  r->seq = DecodeUint64(k);
  if (!DecodeHead(v.substr(0, nul), r)) return false;
  uint64_t klen = DecodeUint64(v.substr(nul + 1, 8));
  std::string_view rest = v.substr(nul + 9);
  if (rest.size() < klen) return false;
  r->key = std::string(rest.substr(0, klen));
  r->value = std::string(rest.substr(klen));
  return true;
}

}  // namespace

std::string EncodeUint64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

uint64_t DecodeUint64(std::string_view bytes) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && i < bytes.size(); ++i) {
    v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return v;
}

// ---- WriteBatch ----------------------------------------------------------

WriteBatch::WriteBatch(const Store* store)
    : store_(store),
      batch_(rocksdb::BytewiseComparator(), 0, /*overwrite_key=*/true) {}

void WriteBatch::Put(std::string_view cf, std::string_view key,
                     std::string_view value) {
  batch_.Put(store_->Family(cf), rocksdb::Slice(key.data(), key.size()),
             rocksdb::Slice(value.data(), value.size()));
}

void WriteBatch::Delete(std::string_view cf, std::string_view key) {
  batch_.Delete(store_->Family(cf), rocksdb::Slice(key.data(), key.size()));
}

absl::StatusOr<std::optional<std::string>> WriteBatch::Get(
    std::string_view cf, std::string_view key) const {
  std::shared_ptr<Store::Db> db = store_->Current();
  if (db == nullptr) return Reopening();
  std::string value;
  rocksdb::Status s =
      batch_.GetFromBatchAndDB(db->db(), rocksdb::ReadOptions(), db->Family(cf),
                               rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return FromRocks(s, absl::StrCat("read ", std::string(cf)));
  return value;
}

absl::StatusOr<std::vector<std::optional<std::string>>> WriteBatch::MultiGet(
    std::string_view cf, const std::vector<std::string>& keys) const {
  std::shared_ptr<Store::Db> db = store_->Current();
  if (db == nullptr) return Reopening();
  std::vector<rocksdb::Slice> slices;
  slices.reserve(keys.size());
  for (const std::string& k : keys) slices.emplace_back(k);
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  batch_.MultiGetFromBatchAndDB(
      db->db(), rocksdb::ReadOptions(), db->Family(cf), keys.size(),
      slices.data(), values.data(), statuses.data(),
      /*sorted_input=*/std::is_sorted(keys.begin(), keys.end()));
  std::vector<std::optional<std::string>> out;
  out.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) {
      out.emplace_back(std::nullopt);
    } else if (!statuses[i].ok()) {
      return FromRocks(statuses[i], absl::StrCat("read ", std::string(cf)));
    } else {
      out.emplace_back(values[i].ToString());
    }
  }
  return out;
}

void WriteBatch::AddOutbox(std::string_view topic, std::string_view key,
                           std::string_view value) {
  outbox_.push_back(OutboxRecord{0, std::string(topic), std::string(key),
                                 std::string(value)});
}

void WriteBatch::SetOffset(std::string_view topic, int32_t partition,
                           int64_t next_offset, std::string_view log_id) {
  offsets_[{std::string(topic), partition}] =
      StoredPosition{next_offset, std::string(log_id)};
}

void WriteBatch::Defer(std::string_view name,
                       std::unique_ptr<DeferredWrites> writes) {
  if (writes == nullptr || Deferred(name) != nullptr) {
    std::fprintf(stderr, "store: deferred writes '%.*s' attached twice\n",
                 static_cast<int>(name.size()), name.data());
    std::abort();
  }
  deferred_.emplace_back(std::string(name), std::move(writes));
}

DeferredWrites* WriteBatch::Deferred(std::string_view name) const {
  for (const auto& [n, writes] : deferred_) {
    if (n == name) return writes.get();
  }
  return nullptr;
}

void WriteBatch::WriteDeferred() {
  std::vector<std::pair<std::string, std::unique_ptr<DeferredWrites>>> all;
  all.swap(deferred_);
  for (auto& [name, writes] : all) writes->WriteInto(*this);
}

bool WriteBatch::empty() const {
  return batch_.GetWriteBatch()->Count() == 0 && outbox_.empty() &&
         offsets_.empty() && deferred_.empty();
}

// ---- Store ---------------------------------------------------------------
// Opening, faults and recovery are in store_open.cc.

absl::StatusOr<std::optional<std::string>> Store::Get(
    std::string_view cf, std::string_view key) const {
  std::shared_ptr<Db> db = Current();
  if (db == nullptr) return Reopening();
  std::string value;
  rocksdb::Status s =
      db->db()->Get(rocksdb::ReadOptions(), db->Family(cf),
                    rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return FromRocks(s, absl::StrCat("read ", std::string(cf)));
  return value;
}

absl::Status Store::Scan(
    std::string_view cf, std::string_view begin, std::string_view end,
    const std::function<bool(std::string_view, std::string_view)>& visit)
    const {
  std::shared_ptr<Db> db = Current();
  if (db == nullptr) return Reopening();
  std::unique_ptr<rocksdb::Iterator> it(
      db->db()->NewIterator(rocksdb::ReadOptions(), db->Family(cf)));
  for (it->Seek(rocksdb::Slice(begin.data(), begin.size())); it->Valid();
       it->Next()) {
    std::string_view k(it->key().data(), it->key().size());
    if (!end.empty() && k >= end) break;
    if (!visit(k, std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status(), absl::StrCat("scan ", std::string(cf)));
}

absl::Status Store::ScanPrefix(
    std::string_view cf, std::string_view prefix,
    const std::function<bool(std::string_view, std::string_view)>& visit)
    const {
  return Scan(cf, prefix, "", [&](std::string_view k, std::string_view v) {
    if (k.substr(0, prefix.size()) != prefix) return false;
    return visit(k, v);
  });
}

absl::StatusOr<std::vector<OutboxRecord>> Store::Commit(WriteBatch& batch) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = RecoverLocked(); !s.ok()) return s;
  // Before the save point: a failed write keeps them for the retry.
  batch.WriteDeferred();
  batch.batch_.SetSavePoint();
  for (const auto& [tp, position] : batch.offsets_) {
    batch.batch_.Put(
        Family(kOffsets), OffsetKey(tp.first, tp.second),
        absl::StrCat(EncodeUint64(static_cast<uint64_t>(position.next_offset)),
                     position.log_id));
  }
  std::vector<OutboxRecord> records = batch.outbox_;
  uint64_t batch_seq = next_batch_seq_;
  if (!changelog_topic_.empty()) {
    // changelog.h: one record per written key, then the marker.
    ChangelogWrites writes;
    rocksdb::Status iterated = CollectChangelogWrites(
        *batch.batch_.GetWriteBatch(), family_names_, &writes);
    if (!iterated.ok()) {
      // A programming error (a range delete or merge in a logged store).
      std::fprintf(stderr, "store: cannot log a batch: %s\n",
                   iterated.ToString().c_str());
      std::abort();
    }
    for (auto& [cf_key, value] : writes) {
      OutboxRecord r;
      r.topic = changelog_topic_;
      r.partition = changelog_partition_;
      r.key = ChangelogKey(cf_key.first, cf_key.second);
      r.null_value = !value.has_value();
      if (value.has_value()) r.value = std::move(*value);
      records.push_back(std::move(r));
    }
    if (!writes.empty()) {
      OutboxRecord marker;
      marker.topic = changelog_topic_;
      marker.partition = changelog_partition_;
      marker.key = std::string(kChangelogMarkerKey);
      marker.value = EncodeMarker(
          BatchMarker{batch_seq++, changelog_epoch_, changelog_owner_});
      records.push_back(std::move(marker));
      batch.batch_.Put(Family(kMeta), kChangelogBatchSeqKey,
                       EncodeUint64(batch_seq));
    }
  }
  uint64_t seq = next_outbox_seq_;
  for (auto& r : records) {
    r.seq = seq++;
    batch.batch_.Put(Family(kOutbox), EncodeUint64(r.seq), EncodeOutbox(r));
  }
  if (!records.empty()) {
    batch.batch_.Put(Family(kMeta), kOutboxSeqKey, EncodeUint64(seq));
  }
  rocksdb::WriteOptions wo;
  wo.sync = sync_;
  absl::Status s = WriteLocked(wo, batch.batch_.GetWriteBatch(), "commit");
  if (!s.ok()) {
    // Leave the batch as it was so the caller can retry the same commit;
    // drop the bookkeeping puts added above.
    batch.batch_.RollbackToSavePoint().PermitUncheckedError();
    return s;
  }
  batch.outbox_.clear();
  next_outbox_seq_ = seq;
  next_batch_seq_ = batch_seq;
  outbox_size_ += records.size();
  batch.batch_.Clear();
  batch.offsets_.clear();
  return records;
}

absl::StatusOr<std::optional<StoredPosition>> Store::Position(
    std::string_view topic, int32_t partition) const {
  std::shared_ptr<Db> db = Current();
  if (db == nullptr) return Reopening();
  std::string v;
  rocksdb::Status s =
      db->db()->Get(rocksdb::ReadOptions(), db->Family(kOffsets),
                    OffsetKey(topic, partition), &v);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return FromRocks(s, "read offsets");
  // Value: next offset (8 bytes, big-endian) then the log id, if any.
  const uint64_t next = v.size() >= 8 ? DecodeUint64(v.substr(0, 8)) : 0;
  if (v.size() < 8 || next > static_cast<uint64_t>(INT64_MAX)) {
    return absl::DataLossError(absl::StrCat(
        "store: malformed offset of ", std::string(topic), "/", partition));
  }
  return StoredPosition{static_cast<int64_t>(next), v.substr(8)};
}

absl::StatusOr<std::vector<OutboxRecord>> Store::PendingOutbox() const {
  std::vector<OutboxRecord> out;
  bool corrupt = false;
  absl::Status s =
      Scan(kOutbox, "", "", [&](std::string_view k, std::string_view v) {
        OutboxRecord r;
        if (!DecodeOutbox(k, v, &r)) {
          corrupt = true;
          return false;
        }
        out.push_back(std::move(r));
        return true;
      });
  if (!s.ok()) return s;
  if (corrupt) return absl::DataLossError("store: corrupt outbox record");
  return out;
}

absl::Status Store::DeleteOutbox(const std::vector<uint64_t>& seqs) {
  if (seqs.empty()) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  std::shared_ptr<Db> db = Current();
  if (db == nullptr) return Reopening();
  // Count only records that are there, so a repeated delete cannot make
  // OutboxSize() drift.
  rocksdb::WriteBatch wb;
  uint64_t present = 0;
  uint64_t kept = 0;
  const bool keep = !publish_log_.empty() && keep_published_ > 0;
  std::string value;
  std::string ignored;
  for (uint64_t seq : seqs) {
    std::string key = EncodeUint64(seq);
    rocksdb::Status g =
        db->db()->Get(rocksdb::ReadOptions(), db->Family(kOutbox), key, &value);
    if (g.ok()) {
      ++present;
      // Kept as confirmed in publish_log_, unless it was set aside as an
      // outbox dead letter (outbox_dead_letters.h) instead.
      const std::string dead =
          absl::StrFormat("%s%020u", kOutboxDeadLetterPrefix, seq);
      // At the cap, a record older than every kept one (republished after
      // a restart) would be the first one dropped: it is not kept at all.
      // Kept, it moved published_from_ back below the tombstones of every
      // record dropped before, and each later trim walked them again: a
      // restarted supervision confirmed some 10 records a second that way
      // (supervision_restart_test on a loaded machine).
      const bool older_than_kept =
          published_size_ + kept >= keep_published_ && key < published_from_;
      if (keep && !older_than_kept &&
          db->db()
              ->Get(rocksdb::ReadOptions(), db->Family(kDeadLetters), dead,
                    &ignored)
              .IsNotFound()) {
        wb.Put(Family(kPublished), key, EncodePublished(publish_log_, value));
        if (key < published_from_) published_from_ = key;  // republished
        ++kept;
      }
    }
    wb.Delete(Family(kOutbox), key);
  }
  // Only the newest keep_published_ are kept: drop the oldest beyond.
  uint64_t dropped = 0;
  if (published_size_ + kept > keep_published_) {
    const uint64_t excess = published_size_ + kept - keep_published_;
    std::unique_ptr<rocksdb::Iterator> it(
        db->db()->NewIterator(rocksdb::ReadOptions(), db->Family(kPublished)));
    // From the oldest kept, not the family's start: the tombstones of the
    // records dropped before would be walked on every call.
    for (it->Seek(published_from_); it->Valid() && dropped < excess;
         it->Next()) {
      wb.Delete(Family(kPublished), it->key());
      published_from_ = EncodeUint64(
          DecodeUint64(std::string_view(it->key().data(), it->key().size())) +
          1);
      ++dropped;
    }
  }
  rocksdb::WriteOptions wo;
  wo.sync = false;  // losing a delete only republishes; consumers dedupe
  absl::Status s = WriteLocked(wo, &wb, "delete outbox");
  if (s.ok()) {
    outbox_size_ -= std::min<uint64_t>(outbox_size_, present);
    published_size_ =
        published_size_ + kept - std::min(published_size_ + kept, dropped);
  }
  return s;
}

absl::StatusOr<uint64_t> Store::RequeuePublished(std::string_view log_id) {
  absl::MutexLock lock(&mu_);
  publish_log_ = std::string(log_id);
  if (log_id.empty()) return 0;
  std::shared_ptr<Db> db = Current();
  if (db == nullptr) return Reopening();
  rocksdb::WriteBatch wb;
  uint64_t moved = 0;
  bool corrupt = false;
  std::unique_ptr<rocksdb::Iterator> it(
      db->db()->NewIterator(rocksdb::ReadOptions(), db->Family(kPublished)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view confirmed_in;
    std::string_view value;
    if (!DecodePublished(
            std::string_view(it->value().data(), it->value().size()),
            &confirmed_in, &value)) {
      corrupt = true;
      break;
    }
    if (confirmed_in == log_id) continue;
    wb.Put(Family(kOutbox), it->key(),
           rocksdb::Slice(value.data(), value.size()));
    wb.Delete(Family(kPublished), it->key());
    ++moved;
  }
  if (absl::Status s = FromRocks(it->status(), "scan published"); !s.ok()) {
    return s;
  }
  if (corrupt) return absl::DataLossError("store: corrupt published record");
  if (moved == 0) return 0;
  rocksdb::WriteOptions wo;
  wo.sync = sync_;
  if (absl::Status s = WriteLocked(wo, &wb, "requeue published"); !s.ok()) {
    return s;
  }
  outbox_size_ += moved;
  published_size_ -= std::min(published_size_, moved);
  return moved;
}

absl::Status Store::PutMetaUnsynced(std::string_view key,
                                    std::string_view value) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = RecoverLocked(); !s.ok()) return s;
  rocksdb::WriteBatch wb;
  wb.Put(Family(kMeta), rocksdb::Slice(key.data(), key.size()),
         rocksdb::Slice(value.data(), value.size()));
  rocksdb::WriteOptions wo;
  wo.sync = false;
  return WriteLocked(wo, &wb, "write meta");
}

absl::Status Store::EnableChangelog(std::string_view topic, int32_t partition,
                                    uint64_t epoch, uint64_t owner) {
  auto stored = Get(kMeta, kChangelogBatchSeqKey);
  if (!stored.ok()) return stored.status();
  absl::MutexLock lock(&mu_);
  if (stored->has_value() && (*stored)->size() == 8) {
    next_batch_seq_ = std::max(next_batch_seq_, DecodeUint64(**stored));
  }
  changelog_topic_ = std::string(topic);
  changelog_partition_ = partition;
  changelog_epoch_ = epoch;
  changelog_owner_ = owner;
  return absl::OkStatus();
}

uint64_t Store::OutboxSize() const {
  absl::MutexLock lock(&mu_);
  return outbox_size_;
}

}  // namespace caserelay::store
