// A service's durable state in RocksDB, and the first half of the
// consistency recipe of DESIGN.md: state, output events (the outbox) and
// the consumed Kafka offsets are written in ONE atomic batch.
//
// Column families: every store has "outbox", "offsets", "meta",
// "dead-letters" (inputs that could not be applied, kept for operators) and
// "published" (confirmed outbox records, kept for a new log); a service
// names its own state families at Open(). Keys and values are
// bytes; services keep protobuf records in them.
//
// Storage faults (issue 14 item 6). RocksDB reaches the disk through
// StoreOptions::file_system (the real one unless a test injects faults).
// A write that fails (an I/O error, a full disk, a failed fsync) fails its
// Commit with UNAVAILABLE and nothing of it is acknowledged; the store then
// records the fault (Fault()) and, before each later write, and on
// Recover(), probes the disk (a small file written and synced in the
// store's directory) and, once the probe passes, closes the database and
// opens it again (RocksDB 7.8 stops all writes for good after a failed WAL
// write or fsync, and its own recovery from a full disk is not safe to
// write behind: store_open.cc). No write reaches RocksDB between the
// fault and the reopen. A write whose
// fsync failed may be on disk after all and reappear at the reopen: the
// store then reloads its outbox sequence and size, and reopens() tells the
// publisher to pick up any record it was not given (outbox_publisher.h).
// While the database is being reopened, reads fail with UNAVAILABLE.
//
// Thread safety: Store is thread-safe. WriteBatch is not: one thread
// fills it, then hands it to Store::Commit().

#ifndef CASERELAY_COMMON_STORE_STORE_H_
#define CASERELAY_COMMON_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "rocksdb/utilities/write_batch_with_index.h"

namespace caserelay::store {

// Where a consumer stands in one partition: the next offset to read, and
// the identity of the log that offset counts in (the log id the consumer
// saw, common/kafka/cluster_id.h; empty when unknown, e.g. stored before
// identities were kept). An offset means nothing in another log (issue 23 item
// 1): a topic recreated, or the embedded broker restarted, starts again at 0.
struct StoredPosition {
  int64_t next_offset = 0;
  std::string log_id;
};

// One event waiting to be published to Kafka. `seq` orders the outbox:
// records are published in the order they were committed.
struct OutboxRecord {
  uint64_t seq = 0;
  std::string topic;
  std::string key;
  std::string value;
  // The partition to write; -1: by key (issue 19: a changelog record names
  // its partition).
  int32_t partition = -1;
  // A null value (a tombstone of a compacted topic); `value` is empty.
  bool null_value = false;
};

class Store;
class WriteBatch;

// Writes a service keeps in memory while it fills a batch and puts into
// the batch once, when the batch is committed (issue 20 item 1): when many
// inputs of one batch change the same keys (statistics' counters, which
// every case of a region changes), the batch then holds each key's last
// value once instead of once per input. The batch owns them
// (WriteBatch::Defer) and drops them with itself, so a batch that is never
// committed takes them with it.
class DeferredWrites {
 public:
  virtual ~DeferredWrites() = default;
  // Puts and deletes what it holds into `batch` (WriteBatch::Put and
  // Delete only: no outbox, offsets or deferred writes). Store::Commit calls
  // it once, before anything of the batch is logged or written, and then
  // destroys it; a commit that fails keeps what it put for the retry.
  virtual void WriteInto(WriteBatch& batch) = 0;
};

// The changes of one step of a service, applied atomically by
// Store::Commit(). Reads through the batch (Get) see its own uncommitted
// writes on top of the store, so several inputs can be applied in one
// batch.
class WriteBatch {
 public:
  explicit WriteBatch(const Store* store);
  WriteBatch(const WriteBatch&) = delete;
  WriteBatch& operator=(const WriteBatch&) = delete;

  // Puts/deletes `key` in column family `cf`.
  // REQUIRES: `cf` was named at Store::Open() (fails fast otherwise).
  void Put(std::string_view cf, std::string_view key, std::string_view value);
  void Delete(std::string_view cf, std::string_view key);

  // The value of `key` as this batch would leave it: nullopt if absent;
  // UNAVAILABLE if RocksDB fails to read.
  absl::StatusOr<std::optional<std::string>> Get(std::string_view cf,
                                                 std::string_view key) const;

  // The values of `keys` as this batch would leave them, in the order
  // given (nullopt: absent): one batched read (RocksDB's MultiGet through
  // the batch), cheaper per key than a Get each when the keys are many and
  // sorted (issue 20 item 3: the due cases of a Tick). UNAVAILABLE if
  // RocksDB fails to read any of them.
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      std::string_view cf, const std::vector<std::string>& keys) const;

  // Queues an event for `topic`; it gets its outbox sequence at Commit().
  void AddOutbox(std::string_view topic, std::string_view key,
                 std::string_view value);

  // Records that everything before `next_offset` of topic/partition, in
  // the log `log_id` (StoredPosition), has been applied by this batch.
  // The last call per partition wins, so a reset may move it backwards.
  void SetOffset(std::string_view topic, int32_t partition, int64_t next_offset,
                 std::string_view log_id = "");

  // Attaches `writes` under `name`, to be written at Commit (DeferredWrites);
  // the batch owns them. Get does not see them: their owner reads what it
  // holds first. REQUIRES: nothing is deferred under `name` yet; `writes`
  // is not null.
  void Defer(std::string_view name, std::unique_ptr<DeferredWrites> writes);
  // The writes deferred under `name`, or null (none, or committed already).
  // The batch keeps ownership.
  DeferredWrites* Deferred(std::string_view name) const;

  // True if nothing was written (nor deferred).
  bool empty() const;

  // The events queued by AddOutbox so far (seq 0 until Commit).
  const std::vector<OutboxRecord>& outbox() const { return outbox_; }

 private:
  friend class Store;
  // Puts every deferred write into batch_ and drops them (Store::Commit).
  void WriteDeferred();

  const Store* store_;
  mutable rocksdb::WriteBatchWithIndex batch_;  // Get() needs non-const
  std::vector<OutboxRecord> outbox_;            // seq assigned at commit
  // Few (one per deferring owner): a vector looked up by name.
  std::vector<std::pair<std::string, std::unique_ptr<DeferredWrites>>>
      deferred_;
  std::map<std::pair<std::string, int32_t>, StoredPosition> offsets_;
};

// A memtable budget and a block cache that several Stores can share
// (StoreOptions::memory). Null members: the DB's own (see StoreOptions).
struct StoreMemory {
  std::shared_ptr<rocksdb::WriteBufferManager> write_buffer_manager;
  std::shared_ptr<rocksdb::Cache> block_cache;
};

// The memtable budget of a Store that is given none.
inline constexpr uint64_t kDefaultMemtableBudgetBytes = uint64_t{64} << 20;

// One memtable budget of `memtable_budget_bytes` (0: none, unbounded) and
// one block cache of `block_cache_bytes` (0: none, each DB its own 8 MB),
// to share between Stores.
StoreMemory SharedStoreMemory(uint64_t memtable_budget_bytes,
                              uint64_t block_cache_bytes);

struct StoreOptions {
  std::string path;
  // The service's own column families (besides outbox, offsets, meta).
  std::vector<std::string> column_families;
  // fsync the WAL on every commit. Off is safe against a killed process
  // (the OS keeps the page cache) but not against power loss.
  bool sync = true;
  // How many confirmed outbox records to keep (the newest) once
  // SetPublishLog named the log they were confirmed in, so that a new log
  // gets them again (RequeuePublished). 0: keep none.
  uint64_t keep_published = 10000;
  // The file system RocksDB writes through; null: the real one. Tests
  // give one that fails on demand (tests/unit/common/store).
  std::shared_ptr<rocksdb::FileSystem> file_system;
  // The changelog (changelog.h) of a partition DB: when the topic is set,
  // every Commit also queues one record per written key and an
  // end-of-batch marker for partition `changelog_partition` of it, the
  // marker carrying `changelog_epoch` and `changelog_owner` (the copy's
  // owner id, changelog.h). Empty: nothing is logged.
  std::string changelog_topic;
  int32_t changelog_partition = -1;
  uint64_t changelog_epoch = 0;
  uint64_t changelog_owner = 0;
  // Memory (issue 20 item 3). RocksDB's defaults give every column family
  // its own memtables (64 MB, a second one while the first flushes), with
  // no bound on their total, and every DB its own 8 MB block cache: a
  // busy store's resident memory grew by ~64 MB per written family, and a
  // PartitionedStore's with the partitions it holds.
  // `memtable_budget_bytes` bounds the memtables of all the DB's families
  // together (a rocksdb::WriteBufferManager: past it the DB flushes the
  // oldest); 0: RocksDB's default, unbounded. `memory`, when set, is used
  // instead, and may be shared by several Stores (a PartitionedStore's
  // partition DBs), so that their memory is bounded together.
  uint64_t memtable_budget_bytes = kDefaultMemtableBudgetBytes;
  StoreMemory memory;
};

// A write the store could not make, until it recovers.
struct StoreFault {
  // "no_space" (the disk is full), "sync_error" (an fsync failed: the
  // data is not known durable), "write_error" (another I/O error) or
  // "other" (a failure that is not an I/O error).
  std::string kind;
  std::string message;  // RocksDB's, for operators
  absl::Time since;     // the first failed write
};

class Store {
 public:
  // Opens (creating if missing) the database at options.path.
  // Fails with UNAVAILABLE (with RocksDB's message and the path) when the
  // directory cannot be opened, e.g. it is locked by another process.
  static absl::StatusOr<std::unique_ptr<Store>> Open(
      const StoreOptions& options);
  ~Store();

  // Point read of committed state: nullopt if absent.
  absl::StatusOr<std::optional<std::string>> Get(std::string_view cf,
                                                 std::string_view key) const;

  // Calls `visit(key, value)` for keys in [begin, end) of `cf` in order
  // (end empty: to the end of the family) until it returns false.
  absl::Status Scan(
      std::string_view cf, std::string_view begin, std::string_view end,
      const std::function<bool(std::string_view, std::string_view)>& visit)
      const;

  // A forward cursor over `cf` in key order, for merging several stores'
  // scans (PartitionedStore). It keeps the database it read open (a reopen
  // after a fault waits for it, up to a few seconds), so hold it briefly.
  // Not thread-safe.
  class Cursor {
   public:
    virtual ~Cursor() = default;
    virtual bool Valid() const = 0;
    // REQUIRES: Valid(). Views valid until the next Next().
    virtual std::string_view key() const = 0;
    virtual std::string_view value() const = 0;
    virtual void Next() = 0;
    // OK, or UNAVAILABLE if RocksDB failed (then Valid() is false).
    virtual absl::Status status() const = 0;
  };
  // Positioned at the first key >= `begin`. UNAVAILABLE while the
  // database is being reopened.
  absl::StatusOr<std::unique_ptr<Cursor>> NewCursor(
      std::string_view cf, std::string_view begin) const;

  // Like Scan, over exactly the keys of `cf` that start with `prefix`.
  absl::Status ScanPrefix(
      std::string_view cf, std::string_view prefix,
      const std::function<bool(std::string_view, std::string_view)>& visit)
      const;

  // Writes the batch atomically with its outbox records and offsets (and,
  // with a changelog topic, its changelog records: changelog.h).
  // On success returns the outbox records with their sequences, for the
  // publisher. On failure nothing of the batch is written (UNAVAILABLE).
  absl::StatusOr<std::vector<OutboxRecord>> Commit(WriteBatch& batch);

  // Where the consumer of topic/partition stands: nullopt if nothing is
  // stored (a new reader). UNAVAILABLE if RocksDB fails to read, DATA_LOSS
  // if the stored value is malformed: never "nothing stored", which would
  // restart the partition from its beginning (issue 22 item 5).
  absl::StatusOr<std::optional<StoredPosition>> Position(
      std::string_view topic, int32_t partition) const;

  // Every record still in the outbox, oldest first (for republishing on
  // start).
  absl::StatusOr<std::vector<OutboxRecord>> PendingOutbox() const;

  // Removes published records (their delivery was confirmed). Once
  // RequeuePublished named the current log, each removed record is kept
  // (in the "published" family, the newest keep_published of them) as
  // confirmed in that log, unless it went to the outbox dead letters.
  absl::Status DeleteOutbox(const std::vector<uint64_t>& seqs);

  // Names the log (kafka::LogId) records are confirmed in from now
  // on, and moves every kept confirmed record of another log back into the
  // outbox under its old sequence, to be published again (issue 23 item
  // 1): a record Kafka confirmed may never have been read before its log
  // was lost (the embedded broker stopped, the cluster replaced), and
  // consumers drop what they had by event id. Call before the
  // OutboxPublisher is created. Returns how many records were moved;
  // UNAVAILABLE if RocksDB fails (nothing moved), DATA_LOSS if a kept
  // record is malformed. An empty `log_id` moves nothing and keeps nothing.
  absl::StatusOr<uint64_t> RequeuePublished(std::string_view log_id);

  // Count of records in the outbox (approximate only while commits run).
  uint64_t OutboxSize() const;

  // The fault that stops writes, or nullopt while writes work (or none
  // was tried since the last recovery).
  std::optional<StoreFault> Fault() const;

  // If a fault is recorded, probes the disk and recovers (see the file
  // comment): OK once writes work again (the fault is cleared), else
  // UNAVAILABLE saying why. OK at once without a fault. Commit calls it
  // itself; /healthz calls it so that an idle service notices the disk
  // came back.
  absl::Status Recover();

  // How many times the database was closed and opened again to recover.
  uint64_t reopens() const;

  // True if `cf` is one of the store's column families.
  bool HasFamily(std::string_view cf) const {
    return families_.find(cf) != families_.end();
  }

  // Writes one key of "meta" without syncing and without the changelog:
  // bookkeeping whose loss only costs work (e.g. the changelog position).
  // UNAVAILABLE as Commit.
  absl::Status PutMetaUnsynced(std::string_view key, std::string_view value);

  // Logs every later Commit to partition `partition` of changelog `topic`
  // with owner epoch `epoch` and owner id `owner` (changelog.h), as if
  // opened with those
  // StoreOptions: a partition DB restored without a changelog
  // (changelog_restore.h) turns it on without being opened again. Reads
  // the batch counter the restore stored; UNAVAILABLE (nothing changed) if
  // RocksDB fails to read it.
  absl::Status EnableChangelog(std::string_view topic, int32_t partition,
                               uint64_t epoch, uint64_t owner);

 private:
  friend class WriteBatch;
  class Db;        // one open of the database (store_open.cc)
  class FamilyId;  // a column family named by its id, for batches
  using Families =
      std::map<std::string, std::unique_ptr<FamilyId>, std::less<>>;
  struct Opened;
  Store(const StoreOptions& options, std::unique_ptr<rocksdb::Env> env,
        Families families, Opened opened);
  // Opens the database at options.path through `env` (null: default).
  static absl::StatusOr<Opened> OpenDb(const StoreOptions& options,
                                       rocksdb::Env* env);
  // The open database; null while it is being reopened (or failed to).
  std::shared_ptr<Db> Current() const;
  // The family `cf` for WriteBatch (fails fast if undeclared).
  rocksdb::ColumnFamilyHandle* Family(std::string_view cf) const;
  // Writes `wb` to the current database, recording a fault on failure.
  absl::Status WriteLocked(const rocksdb::WriteOptions& wo,
                           rocksdb::WriteBatch* wb, std::string_view what)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status RecoverLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status ProbeDisk() const;
  absl::Status ReopenLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Const after construction.
  const StoreOptions options_;
  const std::unique_ptr<rocksdb::Env> env_;  // null: Env::Default()
  const Families families_;
  const std::map<uint32_t, std::string> family_names_;  // by family id
  const bool sync_;
  const uint64_t keep_published_;

  mutable absl::Mutex db_mu_;
  std::shared_ptr<Db> db_ ABSL_GUARDED_BY(db_mu_);

  mutable absl::Mutex mu_;  // held by writers; before db_mu_
  std::optional<StoreFault> fault_ ABSL_GUARDED_BY(mu_);
  uint64_t reopens_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_outbox_seq_ ABSL_GUARDED_BY(mu_);
  uint64_t next_batch_seq_ ABSL_GUARDED_BY(mu_);  // changelog markers
  // StoreOptions::changelog_*, or EnableChangelog's.
  std::string changelog_topic_ ABSL_GUARDED_BY(mu_);
  int32_t changelog_partition_ ABSL_GUARDED_BY(mu_);
  uint64_t changelog_epoch_ ABSL_GUARDED_BY(mu_);
  uint64_t changelog_owner_ ABSL_GUARDED_BY(mu_);
  uint64_t outbox_size_ ABSL_GUARDED_BY(mu_);
  std::string publish_log_ ABSL_GUARDED_BY(mu_);  // empty: keep nothing
  uint64_t published_size_ ABSL_GUARDED_BY(mu_);
  // No kept confirmed record sorts before this key (the oldest dropped + 1).
  std::string published_from_ ABSL_GUARDED_BY(mu_);
};

// Big-endian encodings that sort like the numbers they hold.
std::string EncodeUint64(uint64_t v);
uint64_t DecodeUint64(std::string_view bytes);  // REQUIRES: size() == 8

}  // namespace caserelay::store

#endif  // CASERELAY_COMMON_STORE_STORE_H_
