// Restoring a partition DB from its changelog (issue 19 item 2; the team's
// contract, item 3). The record format is in changelog.h.
//
// OpenRestored opens the partition DB at options.path (without a
// changelog: restoring logs nothing) and brings it to the changelog's end:
//   - It asks the partition's end offset E once, at the start, and reads
//     from the DB's stored changelog position (meta, kChangelogPositionKey;
//     0 for a new DB) up to E.
//   - Only complete batches are applied: records are buffered until their
//     end-of-batch marker and then written in one WriteBatch together with
//     the new position (the marker's offset + 1). Records after the last
//     marker before E (a batch whose writer died half-way) are not applied;
//     their keys are returned (tail_keys) so that the new owner writes
//     their current values again (a repair batch) and every later reader
//     agrees with it.
//   - Own records or a stale local copy: if the DB still has unpublished
//     changelog records in its outbox and the changelog has grown past the
//     stored position, the range [position, end) is read first:
//       - every marker in it carries this copy's owner id (changelog.h)
//         and a batch sequence the copy has committed: the records are its
//         own, published before a crash let it save their confirmation.
//         Nothing is applied, nothing wiped; the stored position moves to
//         the end and the outbox keeps its records (it publishes them
//         again: why that is harmless is said in changelog_restore.cc).
//         A partial batch after the last marker is treated as below.
//       - any other marker (another owner's, or one without an owner id):
//         another owner wrote meanwhile and this copy diverged: the DB is
//         wiped and restored from offset 0. Outputs the wiped outbox held
//         are regenerated with the same event ids by re-applying the
//         inputs from the restored offsets (consumers dedupe); those whose
//         batch's changelog reached Kafka were confirmed before it
//         (outbox_publisher.h), so none is lost.
//     Which case was taken is logged.
//   - A changelog shorter than the stored position is a new log (the
//     broker lost its data): the local copy is kept as it is, the position
//     moves to E, and a warning says that other instances cannot restore
//     the earlier state from Kafka.
//   - Records below the log start that were never restored here (a
//     changelog trimmed by retention instead of compacted; devbroker keeps
//     ~5 MiB per partition) fail the restore with DATA_LOSS: the state
//     could not be exact.
//   - The owner epoch becomes max(stored epoch, every marker's epoch) + 1
//     (+0 for a standby copy: RestoreOptions::take_ownership).
//   - Owner id: a copy taking ownership without one (new, wiped, or a
//     standby copy) draws a random non-zero 64-bit id and stores it in
//     meta (kOwnerIdKey); a copy that has one keeps it, because its outbox
//     may still hold records carrying it.
// Progress is logged every progress_interval and at the end (records,
// bytes, seconds; no keys or values: they are personal data) and counted in
// the metrics given.
//
// Thread safety: a function; the caller owns the DB's directory while it
// runs (no other Store may have it open).

#ifndef CASERELAY_COMMON_STORE_CHANGELOG_RESTORE_H_
#define CASERELAY_COMMON_STORE_CHANGELOG_RESTORE_H_

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/kafka/partition_reader.h"
#include "common/metrics/metrics.h"
#include "common/store/store.h"

namespace caserelay::store {

struct RestoreOptions {
  std::string topic;  // the changelog topic
  int32_t partition = 0;
  absl::Duration progress_interval = absl::Seconds(10);
  // How long the broker may stay silent (watermarks, records).
  absl::Duration stall_timeout = absl::Seconds(30);
  // True: the caller becomes the partition's owner (the epoch goes up by
  // one). False: a standby copy catching up (common/store/README.md): the
  // epoch stays the highest seen, and a run that applied nothing logs
  // nothing.
  bool take_ownership = true;
  metrics::Counter* records_total = nullptr;  // may be null
  metrics::Gauge* lag = nullptr;              // may be null
};

struct Restored {
  // Opened without a changelog topic (Store::EnableChangelog turns it on).
  std::unique_ptr<Store> store;
  uint64_t records = 0;  // changelog records applied (no markers)
  uint64_t bytes = 0;    // their key + value bytes
  uint64_t batches = 0;  // complete batches applied
  bool wiped = false;    // the stale-local-copy rule applied
  // The records past the stored position were this copy's own: skipped.
  bool own_records = false;
  int64_t position = 0;  // the stored position afterwards
  uint64_t epoch = 0;    // the new owner's epoch (stored)
  uint64_t owner = 0;    // the copy's owner id (0: none, a standby copy)
  // (family, key) of the partial batch after the last marker.
  std::set<std::pair<std::string, std::string>> tail_keys;
  absl::Duration took;
};

// See the file comment. `options` is the partition DB's StoreOptions with
// changelog_topic empty. Errors: the Store's (UNAVAILABLE), the reader's
// (UNAVAILABLE when the broker does not answer), DATA_LOSS for a malformed
// changelog record, a record of a family the DB does not have, or records
// deleted before they were restored. On error
// the DB is closed; what was applied stays applied with its position, so
// the next attempt goes on from there.
absl::StatusOr<Restored> OpenRestored(const StoreOptions& options,
                                      kafka::PartitionReader& reader,
                                      const RestoreOptions& restore);

// OpenRestored on `store`, the DB at options.path the caller opened
// already with `options` (changelog_topic empty): so that several DBs can
// be opened in parallel (PartitionedStore::AcquireAll) while the reads of
// the one changelog reader stay one at a time. Same errors and result.
absl::StatusOr<Restored> RestoreOpened(std::unique_ptr<Store> store,
                                       const StoreOptions& options,
                                       kafka::PartitionReader& reader,
                                       const RestoreOptions& restore);

}  // namespace caserelay::store

#endif  // CASERELAY_COMMON_STORE_CHANGELOG_RESTORE_H_
