#include "common/store/changelog_restore.h"

#include <filesystem>
#include <optional>
#include <random>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/store/changelog.h"
#include "common/store/store_db.h"

namespace caserelay::store {
namespace {

absl::StatusOr<uint64_t> MetaNumber(const Store& store, std::string_view key) {
  auto v = store.Get(kMeta, key);
  if (!v.ok()) return v.status();
  if (!v->has_value()) return 0;
  if ((*v)->size() != 8) {
    return absl::DataLossError(
        absl::StrCat("store: malformed ", std::string(key), " in meta"));
  }
  return DecodeUint64(**v);
}

// True if the outbox still holds a record for the changelog.
absl::StatusOr<bool> HasUnpublishedChangelog(const Store& store,
                                             std::string_view topic) {
  auto pending = store.PendingOutbox();
  if (!pending.ok()) return pending.status();
  for (const OutboxRecord& r : *pending) {
    if (r.topic == topic) return true;
  }
  return false;
}

// How many complete records the restore writes in one WriteBatch.
constexpr size_t kGroupRecords = 4096;

// One changelog record waiting for its batch's marker.
struct Buffered {
  std::string cf;
  std::string key;
  std::optional<std::string> value;
};

class Restorer {
 public:
  Restorer(Store* store, const RestoreOptions& options, Restored* out)
      : store_(store), options_(options), out_(out) {}

  absl::Status Visit(const kafka::PartitionRecord& r, int64_t end) {
    if (options_.lag != nullptr) {
      options_.lag->Set(static_cast<double>(end - r.offset - 1));
    }
    if (r.key == kChangelogMarkerKey) {
      if (!r.value.has_value()) {
        return absl::DataLossError(
            absl::StrCat("changelog ", options_.topic, "/", options_.partition,
                         ": a null end-of-batch marker at offset ", r.offset));
      }
      auto marker = DecodeMarker(*r.value);
      if (!marker.ok()) return marker.status();
      if (absl::Status s = OnMarker(*marker, r.offset); !s.ok()) return s;
    } else {
      std::string_view cf;
      std::string_view key;
      if (!SplitChangelogKey(r.key, &cf, &key)) {
        return absl::DataLossError(
            absl::StrCat("changelog ", options_.topic, "/", options_.partition,
                         ": a record without a family at offset ", r.offset));
      }
      if (!store_->HasFamily(cf)) {
        return absl::DataLossError(
            absl::StrCat("changelog ", options_.topic, "/", options_.partition,
                         ": a record of the unknown family \"", std::string(cf),
                         "\" at offset ", r.offset));
      }
      pending_bytes_ += r.key.size() + (r.value ? r.value->size() : 0);
      buffered_.push_back(Buffered{std::string(cf), std::string(key), r.value});
    }
    if (absl::Now() >= next_progress_) {
      LogProgress("changelog restore progress", end, r.offset + 1);
      next_progress_ = absl::Now() + options_.progress_interval;
    }
    return absl::OkStatus();
  }

  void Start(absl::Time now) {
    next_progress_ = now + options_.progress_interval;
  }

  // Writes what is complete; call once the read is done.
  absl::Status Finish() { return WriteComplete(); }

  // What the last marker left behind. REQUIRES: Finish() returned OK.
  const std::vector<Buffered>& tail() const { return buffered_; }

  void LogProgress(const char* what, int64_t end, int64_t at) const {
    log::Info(what,
              {{"changelog", options_.topic},
               {"partition", std::to_string(options_.partition)},
               {"records", std::to_string(out_->records)},
               {"bytes", std::to_string(out_->bytes)},
               {"offset", std::to_string(at)},
               {"end_offset", std::to_string(end)},
               {"seconds",
                absl::StrCat(absl::ToDoubleSeconds(absl::Now() - started_))}});
  }

  uint64_t max_epoch() const { return max_epoch_; }
  uint64_t max_sequence() const { return max_sequence_; }

 private:
  // A marker completes every record buffered before it; they are written
  // once kGroupRecords are complete (fewer, larger writes), and at Finish.
  absl::Status OnMarker(const BatchMarker& marker, int64_t offset) {
    complete_ = buffered_.size();
    complete_bytes_ = pending_bytes_;
    complete_position_ = offset + 1;
    ++complete_batches_;
    max_epoch_ = std::max(max_epoch_, marker.epoch);
    max_sequence_ = std::max(max_sequence_, marker.sequence);
    if (complete_ >= kGroupRecords) return WriteComplete();
    return absl::OkStatus();
  }

  absl::Status WriteComplete() {
    if (complete_batches_ == 0) return absl::OkStatus();
    WriteBatch batch(store_);
    for (size_t i = 0; i < complete_; ++i) {
      const Buffered& b = buffered_[i];
      if (b.value.has_value()) {
        batch.Put(b.cf, b.key, *b.value);
      } else {
        batch.Delete(b.cf, b.key);
      }
    }
    batch.Put(kMeta, kChangelogPositionKey, EncodeUint64(complete_position_));
    auto committed = store_->Commit(batch);
    if (!committed.ok()) return committed.status();
    out_->records += complete_;
    out_->bytes += complete_bytes_;
    out_->batches += complete_batches_;
    out_->position = complete_position_;
    if (options_.records_total != nullptr) {
      options_.records_total->Increment(complete_);
    }
    buffered_.erase(buffered_.begin(),
                    buffered_.begin() + static_cast<ptrdiff_t>(complete_));
    pending_bytes_ -= complete_bytes_;
    complete_ = 0;
    complete_bytes_ = 0;
    complete_batches_ = 0;
    return absl::OkStatus();
  }

  Store* const store_;
  const RestoreOptions& options_;
  Restored* const out_;
  const absl::Time started_ = absl::Now();
  absl::Time next_progress_;
  std::vector<Buffered> buffered_;
  uint64_t pending_bytes_ = 0;  // of buffered_
  // buffered_[0, complete_) ends with a marker: not yet written.
  size_t complete_ = 0;
  uint64_t complete_bytes_ = 0;
  uint64_t complete_batches_ = 0;
  int64_t complete_position_ = 0;
  uint64_t max_epoch_ = 0;
  uint64_t max_sequence_ = 0;
};

// What the changelog holds past a copy's stored position, read before
// anything is applied (the own-records / stale-copy rule).
struct PastPosition {
  uint64_t records = 0;  // no markers
  uint64_t batches = 0;  // markers read
  // A marker this copy did not write: its offset and owner id.
  std::optional<int64_t> foreign_at;
  uint64_t foreign_owner = 0;
  uint64_t max_epoch = 0;
  // (family, key) of the records after the last marker.
  std::set<std::pair<std::string, std::string>> tail_keys;
};

// Reads [from, end) and stops at the first marker that is not this copy's:
// one with another owner id (or none: 0), or with a batch sequence the
// copy never committed (>= `next_batch_seq`: its write did not survive).
absl::StatusOr<PastPosition> ReadPastPosition(kafka::PartitionReader& reader,
                                              const RestoreOptions& restore,
                                              int64_t from, int64_t end,
                                              uint64_t own_id,
                                              uint64_t next_batch_seq) {
  PastPosition past;
  const absl::Status found_foreign = absl::CancelledError("foreign marker");
  absl::Status read = reader.Read(
      restore.topic, restore.partition, from, end,
      [&](const kafka::PartitionRecord& r) -> absl::Status {
        if (r.key != kChangelogMarkerKey) {
          std::string_view cf;
          std::string_view key;
          if (!SplitChangelogKey(r.key, &cf, &key)) {
            return absl::DataLossError(absl::StrCat(
                "changelog ", restore.topic, "/", restore.partition,
                ": a record without a family at offset ", r.offset));
          }
          ++past.records;
          past.tail_keys.insert({std::string(cf), std::string(key)});
          return absl::OkStatus();
        }
        if (!r.value.has_value()) {
          return absl::DataLossError(absl::StrCat(
              "changelog ", restore.topic, "/", restore.partition,
              ": a null end-of-batch marker at offset ", r.offset));
        }
        auto marker = DecodeMarker(*r.value);
        if (!marker.ok()) return marker.status();
        ++past.batches;
        past.tail_keys.clear();
        past.max_epoch = std::max(past.max_epoch, marker->epoch);
        if (own_id == 0 || marker->owner != own_id ||
            marker->sequence >= next_batch_seq) {
          past.foreign_at = r.offset;
          past.foreign_owner = marker->owner;
          return found_foreign;
        }
        return absl::OkStatus();
      },
      restore.stall_timeout);
  if (!read.ok() && !past.foreign_at.has_value()) return read;
  return past;
}

// A random owner id, never 0 (0 means "none": changelog.h).
uint64_t NewOwnerId() {
  std::random_device random;
  uint64_t id = 0;
  while (id == 0) {
    id = (static_cast<uint64_t>(random()) << 32) ^ random();
  }
  return id;
}

// Closes the DB, removes its directory and opens an empty one.
absl::StatusOr<std::unique_ptr<Store>> Wipe(std::unique_ptr<Store> store,
                                            const StoreOptions& options) {
  store.reset();
  std::error_code ec;
  std::filesystem::remove_all(options.path, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("store: cannot remove the stale copy ", options.path, ": ",
                     ec.message()));
  }
  return Store::Open(options);
}

}  // namespace

absl::StatusOr<Restored> OpenRestored(const StoreOptions& options,
                                      kafka::PartitionReader& reader,
                                      const RestoreOptions& restore) {
  StoreOptions plain = options;
  plain.changelog_topic.clear();
  auto store = Store::Open(plain);
  if (!store.ok()) return store.status();
  return RestoreOpened(*std::move(store), plain, reader, restore);
}

absl::StatusOr<Restored> RestoreOpened(std::unique_ptr<Store> store,
                                       const StoreOptions& options,
                                       kafka::PartitionReader& reader,
                                       const RestoreOptions& restore) {
  const absl::Time started = absl::Now();
  StoreOptions plain = options;
  plain.changelog_topic.clear();
  Restored out;
  out.store = std::move(store);

  auto position = MetaNumber(*out.store, kChangelogPositionKey);
  if (!position.ok()) return position.status();
  auto stored_epoch = MetaNumber(*out.store, kOwnerEpochKey);
  if (!stored_epoch.ok()) return stored_epoch.status();
  auto stored_owner = MetaNumber(*out.store, kOwnerIdKey);
  if (!stored_owner.ok()) return stored_owner.status();
  uint64_t past_epoch = 0;
  auto watermarks =
      reader.Offsets(restore.topic, restore.partition, restore.stall_timeout);
  if (!watermarks.ok()) return watermarks.status();
  const int64_t end = watermarks->end;
  int64_t from = static_cast<int64_t>(*position);

  if (end < from) {
    log::Warn(
        "changelog shorter than this partition's stored position: a new log "
        "(the broker lost its data); the local copy is kept, but no other "
        "instance can restore its earlier state from Kafka",
        {{"partition", std::to_string(restore.partition)},
         {"stored_position", std::to_string(from)},
         {"end_offset", std::to_string(end)}});
    from = end;
    WriteBatch batch(out.store.get());
    batch.Put(kMeta, kChangelogPositionKey, EncodeUint64(end));
    if (auto c = out.store->Commit(batch); !c.ok()) return c.status();
  } else if (end > from) {
    auto unpublished = HasUnpublishedChangelog(*out.store, restore.topic);
    if (!unpublished.ok()) return unpublished.status();
    std::optional<PastPosition> past;
    if (*unpublished) {
      auto next_seq = MetaNumber(*out.store, kChangelogBatchSeqKey);
      if (!next_seq.ok()) return next_seq.status();
      auto read = ReadPastPosition(reader, restore, from, end, *stored_owner,
                                   *next_seq);
      if (!read.ok()) return read.status();
      past = *std::move(read);
    }
    if (past.has_value() && !past->foreign_at.has_value()) {
      // This copy's own records: it committed every one of those batches
      // (their sequences are below its counter), so its state has them
      // already. Its outbox still holds them, unconfirmed, and publishes
      // them again, after the records already there and before any newer
      // batch (the outbox's sequence order; outbox_publisher.h). Re-applying
      // those copies is harmless for a later reader: each is a value this
      // copy wrote, in the order it wrote them, so a reader that reads past
      // the last copy ends with exactly the state a reader without the
      // copies would; one that stops among them holds, for some keys, the
      // value of an earlier batch of this copy, with (the offsets being
      // logged keys too) that batch's consumed offsets or later ones, and
      // re-applies the inputs from there, as after any crash: outputs come
      // again with the same event ids, and consumers drop copies by id.
      log::Info(
          "changelog past this partition's stored position holds only its "
          "own records (published before a crash let it save their "
          "confirmation): nothing applied, nothing wiped; the outbox "
          "publishes them again",
          {{"partition", std::to_string(restore.partition)},
           {"stored_position", std::to_string(from)},
           {"end_offset", std::to_string(end)},
           {"own_batches", std::to_string(past->batches)},
           {"own_records", std::to_string(past->records)}});
      WriteBatch batch(out.store.get());
      batch.Put(kMeta, kChangelogPositionKey, EncodeUint64(end));
      if (auto c = out.store->Commit(batch); !c.ok()) return c.status();
      out.own_records = true;
      out.tail_keys = std::move(past->tail_keys);
      past_epoch = past->max_epoch;
      from = end;
    } else if (past.has_value()) {
      log::Warn(
          "stale local copy: it holds changelog records never published and "
          "the changelog has grown past its position with another owner's "
          "batch; wiping it and restoring from offset 0",
          {{"partition", std::to_string(restore.partition)},
           {"stored_position", std::to_string(from)},
           {"end_offset", std::to_string(end)},
           {"other_owner_batch_at", std::to_string(*past->foreign_at)}});
      auto wiped = Wipe(std::move(out.store), plain);
      if (!wiped.ok()) return wiped.status();
      out.store = *std::move(wiped);
      out.wiped = true;
      from = 0;
    }
  }
  if (from < watermarks->start) {
    // Records never restored were deleted: the changelog is not compacted
    // but trimmed (retention; devbroker keeps ~5 MiB per partition).
    return absl::DataLossError(absl::StrCat(
        "changelog ", restore.topic, "/", restore.partition,
        ": records from offset ", from, " to ", watermarks->start,
        " were deleted before this partition restored them (the changelog "
        "topic must be compacted, cleanup.policy=compact, without "
        "retention); its state cannot be restored exactly"));
  }
  out.position = from;

  Restorer restorer(out.store.get(), restore, &out);
  restorer.Start(started);
  if (restore.lag != nullptr) restore.lag->Set(static_cast<double>(end - from));
  if (from < end) {
    absl::Status read = reader.Read(
        restore.topic, restore.partition, from, end,
        [&](const kafka::PartitionRecord& r) { return restorer.Visit(r, end); },
        restore.stall_timeout);
    if (!read.ok()) return read;
  }
  if (absl::Status s = restorer.Finish(); !s.ok()) return s;
  if (restore.lag != nullptr) restore.lag->Set(0);
  for (const Buffered& b : restorer.tail()) out.tail_keys.insert({b.cf, b.key});

  // A standby keeps the highest epoch it saw; an owner takes the next.
  out.epoch = std::max({*stored_epoch, restorer.max_epoch(), past_epoch}) +
              (restore.take_ownership ? 1 : 0);
  WriteBatch batch(out.store.get());
  batch.Put(kMeta, kOwnerEpochKey, EncodeUint64(out.epoch));
  // The copy's owner id (changelog.h): kept while the copy lives (its
  // outbox may hold records carrying it); a wiped copy has none.
  out.owner = out.wiped ? 0 : *stored_owner;
  if (restore.take_ownership && out.owner == 0) {
    out.owner = NewOwnerId();
    batch.Put(kMeta, kOwnerIdKey, EncodeUint64(out.owner));
  }
  auto next_seq = MetaNumber(*out.store, kChangelogBatchSeqKey);
  if (!next_seq.ok()) return next_seq.status();
  if (restorer.max_sequence() + 1 > *next_seq) {
    batch.Put(kMeta, kChangelogBatchSeqKey,
              EncodeUint64(restorer.max_sequence() + 1));
  }
  if (auto c = out.store->Commit(batch); !c.ok()) return c.status();
  out.took = absl::Now() - started;
  if (restore.take_ownership || out.records > 0 || out.wiped) {
    restorer.LogProgress(restore.take_ownership ? "changelog restored"
                                                : "standby copy caught up",
                         end, end);
  }
  return out;
}

}  // namespace caserelay::store
