// Test double: RocksDB's file system with fault switches (issue 14 item 6),
// given to a Store through StoreOptions::file_system. While a fault is on,
// every write of the chosen kind to a file RocksDB writes (the WAL, the
// MANIFEST, table files, OPTIONS) fails the way the POSIX file system
// reports the matching errno, so RocksDB sees what it would see on a real
// bad disk:
//   kWriteError  Append / PositionedAppend / Flush fail with IOError (EIO);
//   kNoSpace     the same calls fail with IOError(NoSpace), retryable, as
//                RocksDB's PosixFileSystem reports ENOSPC;
//   kSyncError   Sync / Fsync / RangeSync of files and Fsync of directories
//                fail with IOError (EIO): the data may be in the page cache
//                but is not known durable.
// Reads and everything else pass through to the real file system.
//
// Thread safety: thread-safe; RocksDB calls it from its own threads while
// the test flips the switch.

#ifndef CASERELAY_TESTS_UNIT_COMMON_STORE_FAULT_FILE_SYSTEM_H_
#define CASERELAY_TESTS_UNIT_COMMON_STORE_FAULT_FILE_SYSTEM_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "rocksdb/file_system.h"
#include "rocksdb/io_status.h"

namespace caserelay::store::testing {

enum class InjectedFault { kNone, kWriteError, kNoSpace, kSyncError };

// "write error", "no space", "sync error" ("none" for kNone).
const char* InjectedFaultName(InjectedFault fault);

class FaultFileSystem : public rocksdb::FileSystemWrapper {
 public:
  // Wraps `base` (the default: the real POSIX file system).
  explicit FaultFileSystem(std::shared_ptr<rocksdb::FileSystem> base =
                               rocksdb::FileSystem::Default());

  // Turns `fault` on (replacing any other) or, with kNone, off.
  void Inject(InjectedFault fault) { fault_ = fault; }
  void Clear() { Inject(InjectedFault::kNone); }
  InjectedFault fault() const { return fault_; }
  // How many calls failed because of an injected fault, since creation.
  uint64_t failures() const { return failures_; }

  // The error the current fault gives to a call of `kind` ("write" or
  // "sync") on `file`; OK if the fault does not touch that kind of call.
  rocksdb::IOStatus Check(const char* kind, const std::string& file);

  static const char* kClassName() { return "CaserelayFaultFileSystem"; }
  const char* Name() const override { return kClassName(); }

  rocksdb::IOStatus NewWritableFile(
      const std::string& fname, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* result,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(
      const std::string& fname, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* result,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReuseWritableFile(
      const std::string& fname, const std::string& old_fname,
      const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* result,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewDirectory(const std::string& name,
                                 const rocksdb::IOOptions& options,
                                 std::unique_ptr<rocksdb::FSDirectory>* result,
                                 rocksdb::IODebugContext* dbg) override;

 private:
  std::atomic<InjectedFault> fault_{InjectedFault::kNone};
  std::atomic<uint64_t> failures_{0};
};

}  // namespace caserelay::store::testing

#endif  // CASERELAY_TESTS_UNIT_COMMON_STORE_FAULT_FILE_SYSTEM_H_
