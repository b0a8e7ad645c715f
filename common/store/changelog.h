// The changelog of a partition DB (issue 19 item 2; the team's contract,
// item 3): the record format, and what is logged.
//
// Every Store::Commit on a partition Store opened with a changelog topic
// (StoreOptions::changelog_topic) adds to the same outbox, in the same
// WriteBatch, for partition `changelog_partition` of that topic:
//   - one record per key the batch writes (the last write of a key wins):
//     key "<cf>\0<key>", value the new value, a null value for a delete;
//   - then one end-of-batch marker: key "\0batch", value
//     EncodeMarker({batch sequence, owner epoch, owner id}).
// The owner id (kOwnerIdKey in meta) is a random 64-bit number the copy
// takes when it first takes ownership of the partition (a new or wiped
// DB, or a standby copy taking over; changelog_restore.h) and keeps while
// it lives: it tells a restore whether records past its stored position
// are its own (published before a crash let it save their confirmation)
// or another owner's.
// The batch's offsets (WriteBatch::SetOffset) are logged as writes of the
// "offsets" family, so a new owner re-applies inputs from where the old one
// stopped. Not logged: the families outbox and published (what is waiting
// for Kafka, or confirmed by it, is the old owner's own business; a new
// owner regenerates outputs with the same event ids from the inputs), the
// outbox dead letters (records of the old owner's outbox), and the store's
// own bookkeeping keys in "meta" (IsBookkeeping). A batch that logs no key
// gets no marker.
//
// Restore (RestorePartition, changelog_restore.h) applies records only up
// to the last marker (complete batches): the records after it are the part
// of a batch whose writer died before producing the rest.
//
// Thread safety: the functions here are pure and thread-safe.

#ifndef CASERELAY_COMMON_STORE_CHANGELOG_H_
#define CASERELAY_COMMON_STORE_CHANGELOG_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "rocksdb/write_batch.h"

namespace caserelay::store {

// The end-of-batch marker's key: "\0batch" (no family name is empty).
inline constexpr std::string_view kChangelogMarkerKey("\0batch", 6);

// Keys of "meta" that the store keeps for itself, never logged.
inline constexpr char kChangelogPositionKey[] = "changelog-next-offset";
inline constexpr char kChangelogBatchSeqKey[] = "changelog-batch-seq";
inline constexpr char kOwnerEpochKey[] = "changelog-owner-epoch";
inline constexpr char kOwnerIdKey[] = "changelog-owner-id";

// What the end-of-batch marker says.
struct BatchMarker {
  uint64_t sequence = 0;  // the partition DB's batch counter, from 1
  uint64_t epoch = 0;     // the owner's epoch: +1 at every Acquire
  // The writing copy's owner id; 0: unknown (a marker written before
  // owner ids, 16 bytes), never a copy's own.
  uint64_t owner = 0;
};

// "<cf>\0<key>".
std::string ChangelogKey(std::string_view cf, std::string_view key);

// Splits a changelog record key into family and key. False for the marker
// key and for a key without the separator.
bool SplitChangelogKey(std::string_view record_key, std::string_view* cf,
                       std::string_view* key);

// Marker value: sequence (8 bytes big-endian), epoch (8 bytes), owner id
// (8 bytes).
std::string EncodeMarker(const BatchMarker& marker);
// Reads 24-byte markers, and the earlier 16-byte ones (no owner id) as
// owner 0. DATA_LOSS for any other size.
absl::StatusOr<BatchMarker> DecodeMarker(std::string_view value);

// True for a write the changelog leaves out (see the file comment).
bool IsUnlogged(std::string_view cf, std::string_view key);

// Internal to common/store (Store::Commit): the last write of each logged
// key of `batch` ((family, key) -> the value, nullopt for a delete), the
// families named by their ids. NotSupported for a range delete or a merge;
// Corruption for a family id not in `family_names`.
using ChangelogWrites =
    std::map<std::pair<std::string, std::string>, std::optional<std::string>>;
rocksdb::Status CollectChangelogWrites(
    const rocksdb::WriteBatch& batch,
    const std::map<uint32_t, std::string>& family_names, ChangelogWrites* out);

}  // namespace caserelay::store

#endif  // CASERELAY_COMMON_STORE_CHANGELOG_H_
