// Store: opening the database, storage faults and recovering from them
// (issue 14 item 6; see store.h).

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/store/changelog.h"
#include "common/store/store.h"
#include "common/store/store_db.h"
#include "rocksdb/cache.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/write_buffer_manager.h"

namespace caserelay::store {
namespace {

// Written, synced and removed to see whether the disk takes writes again.
constexpr char kProbeFile[] = "/STORE-PROBE";
// How long a reopen waits for readers of the old database to finish.
constexpr absl::Duration kReaderWait = absl::Seconds(5);

// What kind of fault a failed write is (StoreFault::kind).
std::string FaultKind(const rocksdb::Status& s) {
  if (s.IsNoSpace()) return "no_space";
  if (!s.IsIOError()) return "other";
  // PosixFileSystem names the call that failed: "While fsync: ...",
  // "While fdatasync: ...", "While sync_file_range ...".
  if (absl::StrContains(absl::AsciiStrToLower(s.ToString()), "sync")) {
    return "sync_error";
  }
  return "write_error";
}

std::string KindInWords(const std::string& kind) {
  if (kind == "no_space") return "the disk is full";
  if (kind == "sync_error") return "an fsync failed";
  if (kind == "write_error") return "a write failed";
  return "the database refused the write";
}

// What a caller should know before retrying after a fault of `kind`.
std::string Caveat(const std::string& kind) {
  if (kind != "sync_error") return "";
  return " (the fsync failed after the write: it may still be found on disk "
         "once the store recovers, so read before repeating a change)";
}

// RocksDB's info log, into the service's log: its warnings and errors only.
// Not a LOG file in the store's directory: on a full disk RocksDB wrote to
// that file again after a failed write and aborted the service (an
// assertion in WritableFileWriter of Debian's build; storage_fault_test
// showed it in notification). Thread-safe (log::Warn/Error are).
class StoreLogger : public rocksdb::Logger {
 public:
  explicit StoreLogger(std::string path)
      : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL),
        path_(std::move(path)) {}
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap);
  }
  void Logv(const rocksdb::InfoLogLevel level, const char* format,
            va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    char text[1024];
    std::vsnprintf(text, sizeof(text), format, ap);
    // At warn: RocksDB says "error" of things that are none (a directory
    // not there yet when a store is created); a failure that matters
    // comes back from the write and is the store's STORE FAULT line.
    log::Warn(
        "rocksdb",
        {{"path", path_},
         {"rocksdb_level",
          level >= rocksdb::InfoLogLevel::ERROR_LEVEL ? "error" : "warn"},
         {"message", std::string(absl::StripTrailingAsciiWhitespace(text))}});
  }

 private:
  const std::string path_;
};

}  // namespace

absl::StatusOr<Store::Opened> Store::OpenDb(const StoreOptions& options,
                                            rocksdb::Env* env) {
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  // Recovery from a failed write is the store's own (RecoverLocked): a
  // probe, then a reopen; RocksDB does not resume by itself behind it.
  db_options.max_bgerror_resume_count = 0;
  db_options.info_log = std::make_shared<StoreLogger>(options.path);
  if (env != nullptr) db_options.env = env;
  // Memory (StoreOptions): one bound for all families' memtables.
  if (options.memory.write_buffer_manager != nullptr) {
    db_options.write_buffer_manager = options.memory.write_buffer_manager;
  } else if (options.memtable_budget_bytes > 0) {
    db_options.write_buffer_manager =
        std::make_shared<rocksdb::WriteBufferManager>(
            options.memtable_budget_bytes);
  }
  // A bloom filter per table: a point read (a case's record) skips the
  // files that cannot hold its key instead of reading one of their blocks
  // (more files exist once the memtable budget flushes smaller ones).
  rocksdb::BlockBasedTableOptions table_options;
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  if (options.memory.block_cache != nullptr) {
    table_options.block_cache = options.memory.block_cache;
  }
  rocksdb::ColumnFamilyOptions family_options;
  family_options.table_factory.reset(
      rocksdb::NewBlockBasedTableFactory(table_options));

  std::vector<std::string> names = {rocksdb::kDefaultColumnFamilyName,
                                    kOutbox,
                                    kOffsets,
                                    kMeta,
                                    kDeadLetters,
                                    kPublished};
  for (const auto& cf : options.column_families) names.push_back(cf);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& n : names) {
    descriptors.emplace_back(n, family_options);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(db_options, options.path, descriptors, &handles, &raw);
  if (!s.ok()) {
    return absl::UnavailableError(
        absl::StrCat("store: cannot open ", options.path, ": ", s.ToString()));
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  Opened opened;
  std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> cfs;
  for (size_t i = 0; i < names.size(); ++i) {
    cfs[names[i]] = handles[i];
    opened.family_ids[names[i]] = handles[i]->GetID();
  }

  // The next outbox sequence survives restarts, so a sequence is never
  // reused while an older record with it could still be reported.
  std::string v;
  s = db->Get(rocksdb::ReadOptions(), cfs[kMeta], kOutboxSeqKey, &v);
  if (s.ok() && v.size() == 8) opened.next_outbox_seq = DecodeUint64(v);
  s = db->Get(rocksdb::ReadOptions(), cfs[kMeta], kChangelogBatchSeqKey, &v);
  if (s.ok() && v.size() == 8) opened.next_batch_seq = DecodeUint64(v);
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(rocksdb::ReadOptions(), cfs[kOutbox]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++opened.outbox_size;
  it.reset(db->NewIterator(rocksdb::ReadOptions(), cfs[kPublished]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++opened.published_size;
  it.reset();
  opened.db = std::make_shared<Db>(std::move(db), std::move(cfs));
  return opened;
}

StoreMemory SharedStoreMemory(uint64_t memtable_budget_bytes,
                              uint64_t block_cache_bytes) {
  StoreMemory memory;
  if (block_cache_bytes > 0) {
    memory.block_cache = rocksdb::NewLRUCache(block_cache_bytes);
  }
  if (memtable_budget_bytes > 0) {
    memory.write_buffer_manager =
        std::make_shared<rocksdb::WriteBufferManager>(memtable_budget_bytes);
  }
  return memory;
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(
    const StoreOptions& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("store: path is empty");
  }
  std::unique_ptr<rocksdb::Env> env;
  if (options.file_system != nullptr) {
    env = rocksdb::NewCompositeEnv(options.file_system);
  }
  auto opened = OpenDb(options, env.get());
  if (!opened.ok()) return opened.status();
  Families families;
  for (const auto& [name, id] : opened->family_ids) {
    families[name] = std::make_unique<FamilyId>(name, id);
  }
  return std::unique_ptr<Store>(new Store(
      options, std::move(env), std::move(families), *std::move(opened)));
}

Store::Store(const StoreOptions& options, std::unique_ptr<rocksdb::Env> env,
             Families families, Opened opened)
    : options_(options),
      env_(std::move(env)),
      families_(std::move(families)),
      family_names_([this] {
        std::map<uint32_t, std::string> names;
        for (const auto& [name, id] : families_) names[id->GetID()] = name;
        return names;
      }()),
      sync_(options.sync),
      keep_published_(options.keep_published),
      db_(std::move(opened.db)),
      next_outbox_seq_(opened.next_outbox_seq),
      next_batch_seq_(opened.next_batch_seq),
      changelog_topic_(options.changelog_topic),
      changelog_partition_(options.changelog_partition),
      changelog_epoch_(options.changelog_epoch),
      changelog_owner_(options.changelog_owner),
      outbox_size_(opened.outbox_size),
      published_size_(opened.published_size) {}

Store::~Store() {
  absl::MutexLock lock(&db_mu_);
  db_.reset();  // closes it (readers are gone: the Store is being destroyed)
}

std::shared_ptr<Store::Db> Store::Current() const {
  absl::MutexLock lock(&db_mu_);
  return db_;
}

rocksdb::ColumnFamilyHandle* Store::Family(std::string_view cf) const {
  auto it = families_.find(cf);
  if (it == families_.end()) {
    // A programming error: the service did not declare the family.
    std::fprintf(stderr, "store: unknown column family \"%.*s\"\n",
                 static_cast<int>(cf.size()), cf.data());
    std::abort();
  }
  return it->second.get();
}

std::optional<StoreFault> Store::Fault() const {
  absl::MutexLock lock(&mu_);
  return fault_;
}

uint64_t Store::reopens() const {
  absl::MutexLock lock(&mu_);
  return reopens_;
}

absl::Status Store::Recover() {
  absl::MutexLock lock(&mu_);
  return RecoverLocked();
}

absl::Status Store::WriteLocked(const rocksdb::WriteOptions& wo,
                                rocksdb::WriteBatch* wb,
                                std::string_view what) {
  if (fault_.has_value()) {
    // Not even tried: RocksDB must not write again before it is reopened.
    return absl::UnavailableError(absl::StrCat(
        "store: ", std::string(what), ": not written (",
        KindInWords(fault_->kind),
        " before); nothing was acknowledged, retry later: ", fault_->message));
  }
  std::shared_ptr<Db> db = Current();
  if (db == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "store: ", std::string(what),
        ": not written: the database is closed after a storage fault and "
        "could not be opened again yet"));
  }
  rocksdb::Status s = db->db()->Write(wo, wb);
  if (s.ok()) return absl::OkStatus();
  if (!fault_.has_value()) {
    fault_ = StoreFault{FaultKind(s), s.ToString(), absl::Now()};
    log::Error(
        "STORE FAULT: writes fail; the service takes no input and "
        "acknowledges no write until the disk recovers",
        {{"path", options_.path},
         {"kind", fault_->kind},
         {"error", fault_->message}});
  }
  return absl::UnavailableError(absl::StrCat(
      "store: ", std::string(what), ": not written (",
      KindInWords(fault_->kind), "); nothing was acknowledged, retry later",
      Caveat(fault_->kind), ": ", s.ToString()));
}

absl::Status Store::ProbeDisk() const {
  rocksdb::Env* env = env_ != nullptr ? env_.get() : rocksdb::Env::Default();
  const std::string probe = options_.path + kProbeFile;
  std::unique_ptr<rocksdb::WritableFile> file;
  rocksdb::Status s = env->NewWritableFile(probe, &file, rocksdb::EnvOptions());
  if (s.ok()) s = file->Append(std::string(4096, 'p'));
  if (s.ok()) s = file->Sync();
  if (file != nullptr) {
    rocksdb::Status closed = file->Close();
    if (s.ok()) s = closed;
  }
  env->DeleteFile(probe).PermitUncheckedError();
  if (s.ok()) return absl::OkStatus();
  return absl::UnavailableError(
      absl::StrCat("store: the disk still fails a test write: ", s.ToString()));
}

absl::Status Store::RecoverLocked() {
  if (!fault_.has_value()) return absl::OkStatus();
  const std::string kind = fault_->kind;
  absl::Status probed = ProbeDisk();
  if (!probed.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "store: not recovered (", KindInWords(kind), "): ", probed.message()));
  }
  // Always by opening the database again, not DB::Resume(): RocksDB 7.8
  // cannot resume after a failed WAL write or fsync (a fatal error), and
  // after a full disk its WAL writer can keep the error (Debian's build
  // then fails an assertion on the next write; checked with the
  // FaultFileSystem), even once it resumed by itself.
  absl::Status reopened = ReopenLocked();
  if (!reopened.ok()) return reopened;
  log::Info("store recovered: writes work again (database opened again)",
            {{"path", options_.path}, {"kind", kind}});
  fault_.reset();
  return absl::OkStatus();
}

absl::Status Store::ReopenLocked() {
  std::shared_ptr<Db> old;
  {
    absl::MutexLock lock(&db_mu_);
    old.swap(db_);
  }
  // Readers that took the old database before finish with it first: it
  // must be closed (its lock released) before it is opened again.
  const absl::Time deadline = absl::Now() + kReaderWait;
  while (old != nullptr && old.use_count() > 1 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  if (old != nullptr && old.use_count() > 1) {
    absl::MutexLock lock(&db_mu_);
    db_ = std::move(old);
    return absl::UnavailableError(
        "store: not recovered yet: readers still hold the database");
  }
  old.reset();
  auto opened = OpenDb(options_, env_.get());
  if (!opened.ok()) {
    return absl::UnavailableError(
        absl::StrCat("store: not recovered: ", opened.status().message()));
  }
  // A write whose fsync failed may have reached the disk after all: its
  // outbox records are there now, so sequences go on after them.
  next_outbox_seq_ = std::max(next_outbox_seq_, opened->next_outbox_seq);
  next_batch_seq_ = std::max(next_batch_seq_, opened->next_batch_seq);
  outbox_size_ = opened->outbox_size;
  published_size_ = opened->published_size;
  published_from_.clear();
  ++reopens_;
  absl::MutexLock lock(&db_mu_);
  db_ = std::move(opened->db);
  return absl::OkStatus();
}

}  // namespace caserelay::store
