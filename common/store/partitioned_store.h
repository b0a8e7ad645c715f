// A service's state split by input partition (issue 19 items 1-3; the
// team's contract, items 2-3): one RocksDB (a store::Store) per partition
// of the service's co-partitioned topics (common/kafka/partitioning.h), so a
// partition's state, its outbox and its consumed offsets move together, and
// one instance-local Store that never moves.
//
// Layout on disk: <path>/local (the instance-local DB) and <path>/p<NNN>
// (one per partition, NNN its number on three digits, e.g. p003).
//
// Each partition DB is a store::Store with the service's families plus the
// store's own (outbox, offsets, meta, dead-letters, published), so the
// consistency recipe is unchanged within a partition: state + outbox +
// offsets in one WriteBatch. A loop batch holding inputs of several
// partitions commits one WriteBatch per partition, each through its
// partition's OutboxPublisher (PartitionLease::publisher()).
//
// The changelog (a compacted topic "<service>-changelog", partition p for
// partition p): every Commit on a partition Store also puts, through the
// same outbox and in the same WriteBatch, one record per written key (key
// "<cf>\0<key>", value the new value, a null value for a delete) and one
// end-of-batch marker (key "\0batch"); the families outbox and published,
// and the store's own bookkeeping keys in meta, are not logged
// (changelog.h has the record format).
//
// Lifecycle of a partition (the consume loop drives it on assignment and
// revocation; item 3 of the contract):
//
//     not held --Acquire(p): open, restore to the changelog's end--> held
//     held --Release(p): wait for leases, stop writes, close--> not held
//
// Only a held partition gives a lease, so nothing reads or writes a
// partition before it is restored, and Release never closes a DB in use.
// The files stay on disk after Release: a later Acquire of the same
// partition restores only what other owners wrote meanwhile.
//
// Publishing: all partition outboxes publish through ONE shared Kafka
// producer (common/kafka/shared_producer.h): fewer librdkafka threads and
// connections; each partition's OutboxPublisher keeps its own order and
// retries as before.
//
// Thread safety: PartitionedStore is thread-safe. Acquire/Release of one
// partition must not run concurrently with each other (the loop calls them
// from its one thread). A PartitionLease is used by one thread at a time.

#ifndef CASERELAY_COMMON_STORE_PARTITIONED_STORE_H_
#define CASERELAY_COMMON_STORE_PARTITIONED_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/kafka/partition_reader.h"
#include "common/kafka/shared_producer.h"
#include "common/metrics/metrics.h"
#include "common/store/changelog_restore.h"
#include "common/store/outbox_publisher.h"
#include "common/store/store.h"
#include "rocksdb/file_system.h"

namespace caserelay::store {

struct PartitionedStoreOptions {
  // <path>/local (instance-local DB) and <path>/p<NNN> (one per partition).
  std::string path;
  int32_t partitions = 8;
  // Each partition DB's own families.
  std::vector<std::string> column_families;
  // The instance-local DB's (never moved, never changelogged).
  std::vector<std::string> local_column_families;
  // "<service>-changelog"; every partition DB write goes there too. Empty:
  // no changelog and no restore (a single instance without Kafka, tests).
  std::string changelog_topic;
  bool sync = true;
  uint64_t keep_published = 10000;
  std::shared_ptr<rocksdb::FileSystem> file_system;

  // --- Added by the store engineer (F1) ---
  // Memory (issue 20 item 3; StoreOptions::memory): ONE memtable budget and
  // ONE block cache shared by the local DB and every partition DB, so an
  // instance's memory does not grow with the partitions it holds. 0: none
  // (memtables unbounded; each DB its own 8 MB block cache).
  uint64_t memtable_budget_bytes = kDefaultMemtableBudgetBytes;
  uint64_t block_cache_bytes = uint64_t{32} << 20;
  // The service's name in messages ("partition 3 of supervision is not
  // held by this instance"); empty: changelog_topic without "-changelog".
  std::string service;
  // Builds the one Kafka producer every partition's outbox shares
  // (kafka::CreateKafkaProducer in a service). Null: partitions get no
  // publisher (PartitionLease::publisher() fails fast); tests of state only.
  OutboxPublisher::ProducerFactory producer_factory;
  OutboxOptions outbox;
  // The log records are confirmed in (kafka::LogId at start, as for the
  // single store): each partition DB calls Store::RequeuePublished with it
  // at Acquire, so records confirmed in a lost log are published again.
  // Empty: nothing kept, nothing requeued.
  std::string log_id;
  // Reads the changelog at Acquire. Required when changelog_topic is set.
  std::function<absl::StatusOr<std::unique_ptr<kafka::PartitionReader>>()>
      changelog_reader;
  // Restore: how often progress is logged, how long the broker may stay
  // silent while records are still expected, how long to ask for the end.
  absl::Duration restore_progress_interval = absl::Seconds(10);
  absl::Duration restore_stall_timeout = absl::Seconds(30);
  // How often the standby thread brings the standby copies up to date
  // (SetStandby).
  absl::Duration standby_interval = absl::Seconds(5);
};

namespace internal {
class Partition;  // partitioned_store.cc
}  // namespace internal

// RAII: the partition cannot be released while a lease is held. Movable,
// not copyable. Using a moved-from lease is a programming error.
class PartitionLease {
 public:
  PartitionLease(PartitionLease&& other) noexcept;
  PartitionLease& operator=(PartitionLease&& other) noexcept;
  PartitionLease(const PartitionLease&) = delete;
  PartitionLease& operator=(const PartitionLease&) = delete;
  ~PartitionLease();

  // The partition's DB (valid while the lease lives).
  store::Store& store();
  int32_t partition() const;
  // The partition's outbox publisher: commit the partition's WriteBatch
  // through it (Commit, or CommitAndWait on a gRPC write path).
  // REQUIRES: options.producer_factory was set (fails fast otherwise).
  OutboxPublisher& publisher();

 private:
  friend class PartitionedStore;
  explicit PartitionLease(std::shared_ptr<internal::Partition> partition);
  std::shared_ptr<internal::Partition> partition_;
};

// The keys of `cf` from `begin` (below `end`; "" for no end) of the DBs of
// `leases`, merged in key order (ties in lease order), until `visit`
// returns false: one scan over several partitions, as one DB gives it.
// The cursors' first error.
absl::Status ScanLeased(std::vector<PartitionLease>& leases,
                        std::string_view cf, std::string_view begin,
                        std::string_view end,
                        const std::function<bool(std::string_view,
                                                 std::string_view)>& visit);

class PartitionedStore {
 public:
  using Visit = std::function<bool(std::string_view, std::string_view)>;

  // Opens (creating if missing) <path>/local; no partition is held yet.
  // INVALID_ARGUMENT for an empty path, partitions < 1 or > 999, or a
  // changelog_topic without changelog_reader; the Store's UNAVAILABLE if
  // the local DB cannot be opened. `metrics` may be null; else it must
  // outlive the store.
  static absl::StatusOr<std::unique_ptr<PartitionedStore>> Open(
      const PartitionedStoreOptions& options, metrics::Registry* metrics);
  // Releases every held partition (waiting for their leases).
  ~PartitionedStore();

  int32_t partitions() const;
  // kafka::PartitionOf(case_id, partitions()).
  int32_t PartitionOfCase(std::string_view case_id) const;

  // Held by this instance and restored: a lease; FAILED_PRECONDITION
  // "partition 3 of supervision is not held by this instance" otherwise
  // (the caller forwards), also while the partition is being released.
  // INVALID_ARGUMENT for a partition outside [0, partitions()).
  absl::StatusOr<PartitionLease> Lease(int32_t partition) const;
  absl::StatusOr<PartitionLease> LeaseForCase(std::string_view case_id) const;
  // The held partitions, ascending.
  std::vector<int32_t> Held() const;
  // The outbox counts of every held partition's publisher, in partition
  // order (none without a producer): with the local DB's publisher's, what
  // /metrics and /healthz sum (service/outbox_health.h SumOutboxStats).
  std::vector<OutboxStats> PartitionOutboxStats() const;

  // Instance-local: not moved, not changelogged.
  store::Store& Local();

  // Merged, in key order, over every held partition (what one DB gave
  // before): `visit(key, value)` for keys in [begin, end) of `cf` (end
  // empty: to the end), until it returns false. A key present in several
  // partitions (e.g. an index per office) is visited once per partition,
  // in partition order. The partitions are leased for the scan, so a
  // Release waits for it. The first store error is returned.
  absl::Status Scan(std::string_view cf, std::string_view begin,
                    std::string_view end, const Visit& visit) const;
  absl::Status ScanPrefix(std::string_view cf, std::string_view prefix,
                          const Visit& visit) const;

  // The loop calls these on assignment / revocation.
  //
  // Acquire opens <path>/p<NNN>, restores it from the changelog (from its
  // stored changelog position to the end offset asked at the start,
  // complete batches only; a stale local copy is wiped and restored from
  // offset 0: changelog.h), starts its outbox publisher, then marks it
  // held. OK at once if already held. On error the partition is not held
  // (its DB closed) and Acquire may be called again: UNAVAILABLE (broker
  // or disk), DATA_LOSS (a malformed changelog record), INVALID_ARGUMENT
  // (partition out of range).
  absl::Status Acquire(int32_t partition);
  // Acquire of several partitions at once (the loop's newly assigned
  // ones): their DBs are opened in parallel, a few at a time (RocksDB
  // replaying the WAL at open is most of an Acquire that has nothing to
  // read), then each is restored and held in turn exactly as by Acquire.
  // Returns each partition's Acquire status, in the order given.
  std::vector<absl::Status> AcquireAll(const std::vector<int32_t>& partitions);
  // Stops new leases, waits for the leases held, gives the publisher a
  // moment to publish (what is left is republished at the next Acquire),
  // closes the DB; the files are kept. No-op if not held.
  void Release(int32_t partition);

  // Standby replicas (issue 19 item 3; setting store.standby_replicas):
  // a warm copy of partitions this instance does not hold, so that taking
  // one over reads only the changelog written since the last catch-up.
  //
  // Warm brings the local copy of a partition that is not held up to the
  // changelog's end now (the restore of Acquire, without taking
  // ownership: no lease, no publisher, the DB closed again). OK when done;
  // FAILED_PRECONDITION if the partition is held (the owner's copy is
  // current) or there is no changelog; Acquire's other errors. Acquire and
  // Warm run one at a time.
  absl::Status Warm(int32_t partition);
  // The partitions to keep warm from now on (the loop picks them, e.g.
  // the next `standby_replicas` partitions after each held one); a
  // background thread calls Warm on each that is not held, every
  // options.standby_interval, and logs a failure once until it succeeds.
  // Empty: no standby (the thread idles).
  void SetStandby(std::vector<int32_t> partitions);

 private:
  PartitionedStore(const PartitionedStoreOptions& options,
                   metrics::Registry* metrics, StoreMemory memory,
                   std::unique_ptr<Store> local);
  std::string PartitionPath(int32_t partition) const;
  absl::Status CheckRange(int32_t partition) const;
  absl::Status NotHeld(int32_t partition) const;
  // Opens and restores partition `partition` (Acquire without the map).
  // `opened`: its DB opened already (AcquireAll), else opened here.
  absl::StatusOr<std::shared_ptr<internal::Partition>> OpenPartition(
      int32_t partition, std::unique_ptr<Store> opened = nullptr)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(lifecycle_mu_);
  // The changelog reader Acquire and Warm share, made on first use and
  // again after a failed restore.
  absl::StatusOr<kafka::PartitionReader*> ReaderLocked()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(lifecycle_mu_);
  void UpdateHeldGauge() const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The restore's options for `partition` (metrics included).
  RestoreOptions RestoreOptionsFor(int32_t partition) const;
  // The partition DB's options, without the changelog.
  StoreOptions PlainOptions(int32_t partition) const;
  bool IsHeld(int32_t partition) const;
  void StandbyLoop();

  // Const after construction.
  const PartitionedStoreOptions options_;
  const std::string service_;
  metrics::Registry* const metrics_;  // may be null
  const StoreMemory memory_;          // shared by every DB of this store
  const std::unique_ptr<Store> local_;
  // The producer every partition's outbox publishes through; null without
  // options.producer_factory.
  const std::unique_ptr<kafka::SharedProducer> producer_;

  // Held while a partition DB is opened and restored (Acquire, Warm).
  absl::Mutex lifecycle_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  std::unique_ptr<kafka::PartitionReader> reader_
      ABSL_GUARDED_BY(lifecycle_mu_);

  mutable absl::Mutex mu_;
  std::map<int32_t, std::shared_ptr<internal::Partition>> held_
      ABSL_GUARDED_BY(mu_);

  absl::Mutex standby_mu_;
  std::vector<int32_t> standby_ ABSL_GUARDED_BY(standby_mu_);
  bool stopping_ ABSL_GUARDED_BY(standby_mu_) = false;
  std::thread standby_thread_;  // started by the first SetStandby
};

}  // namespace caserelay::store

#endif  // CASERELAY_COMMON_STORE_PARTITIONED_STORE_H_
