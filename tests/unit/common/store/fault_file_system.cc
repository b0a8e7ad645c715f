#include "tests/unit/common/store/fault_file_system.h"

#include <cstring>
#include <utility>

namespace caserelay::store::testing {
namespace {

using rocksdb::DataVerificationInfo;
using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

// A writable file whose writes and syncs ask the file system first.
class FaultWritableFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FaultWritableFile(std::unique_ptr<rocksdb::FSWritableFile> file,
                    std::string name, FaultFileSystem* fs)
      : FSWritableFileOwnerWrapper(std::move(file)),
        name_(std::move(name)),
        fs_(fs) {}

  IOStatus Append(const Slice& data, const IOOptions& options,
                  IODebugContext* dbg) override {
    if (IOStatus s = fs_->Check("write", name_); !s.ok()) return s;
    return FSWritableFileOwnerWrapper::Append(data, options, dbg);
  }
  IOStatus Append(const Slice& data, const IOOptions& options,
                  const DataVerificationInfo& info,
                  IODebugContext* dbg) override {
    if (IOStatus s = fs_->Check("write", name_); !s.ok()) return s;
    return FSWritableFileOwnerWrapper::Append(data, options, info, dbg);
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset,
                            const IOOptions& options,
                            IODebugContext* dbg) override {
    if (IOStatus s = fs_->Check("write", name_); !s.ok()) return s;
    return FSWritableFileOwnerWrapper::PositionedAppend(data, offset, options,
                                                        dbg);
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset,
                            const IOOptions& options,
                            const DataVerificationInfo& info,
                            IODebugContext* dbg) override {
    if (IOStatus s = fs_->Check("write", name_); !s.ok()) return s;
    return FSWritableFileOwnerWrapper::PositionedAppend(data, offset, options,
                                                        info, dbg);
  }
  IOStatus Sync(const IOOptions& options, IODebugContext* dbg) override {
    if (IOStatus s = fs_->Check("sync", name_); !s.ok()) return s;
    return FSWritableFileOwnerWrapper::Sync(options, dbg);
  }
  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    if (IOStatus s = fs_->Check("sync", name_); !s.ok()) return s;
    return FSWritableFileOwnerWrapper::Fsync(options, dbg);
  }
  IOStatus RangeSync(uint64_t offset, uint64_t nbytes, const IOOptions& options,
                     IODebugContext* dbg) override {
    if (IOStatus s = fs_->Check("sync", name_); !s.ok()) return s;
    return FSWritableFileOwnerWrapper::RangeSync(offset, nbytes, options, dbg);
  }

 private:
  const std::string name_;
  FaultFileSystem* const fs_;
};

// A directory whose fsync asks the file system first.
class FaultDirectory : public rocksdb::FSDirectoryWrapper {
 public:
  FaultDirectory(std::unique_ptr<rocksdb::FSDirectory> dir, std::string name,
                 FaultFileSystem* fs)
      : FSDirectoryWrapper(std::move(dir)), name_(std::move(name)), fs_(fs) {}

  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    if (IOStatus s = fs_->Check("sync", name_); !s.ok()) return s;
    return FSDirectoryWrapper::Fsync(options, dbg);
  }
  IOStatus FsyncWithDirOptions(
      const IOOptions& options, IODebugContext* dbg,
      const rocksdb::DirFsyncOptions& dir_options) override {
    if (IOStatus s = fs_->Check("sync", name_); !s.ok()) return s;
    return FSDirectoryWrapper::FsyncWithDirOptions(options, dbg, dir_options);
  }

 private:
  const std::string name_;
  FaultFileSystem* const fs_;
};

}  // namespace

const char* InjectedFaultName(InjectedFault fault) {
  switch (fault) {
    case InjectedFault::kNone:
      return "none";
    case InjectedFault::kWriteError:
      return "write error";
    case InjectedFault::kNoSpace:
      return "no space";
    case InjectedFault::kSyncError:
      return "sync error";
  }
  return "?";
}

FaultFileSystem::FaultFileSystem(std::shared_ptr<rocksdb::FileSystem> base)
    : FileSystemWrapper(std::move(base)) {}

IOStatus FaultFileSystem::Check(const char* kind, const std::string& file) {
  const InjectedFault fault = fault_;
  const bool write = std::strcmp(kind, "write") == 0;
  IOStatus s;
  if (write && fault == InjectedFault::kWriteError) {
    s = IOStatus::IOError("While appending to file: " + file,
                          "Input/output error (injected)");
  } else if (write && fault == InjectedFault::kNoSpace) {
    // As PosixFileSystem reports ENOSPC (env/io_posix.h: retryable).
    s = IOStatus::NoSpace("While appending to file: " + file,
                          "No space left on device (injected)");
    s.SetRetryable(true);
  } else if (!write && fault == InjectedFault::kSyncError) {
    s = IOStatus::IOError("While fsync: " + file,
                          "Input/output error (injected)");
  }
  if (!s.ok()) ++failures_;
  return s;
}

IOStatus FaultFileSystem::NewWritableFile(
    const std::string& fname, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* result, IODebugContext* dbg) {
  IOStatus s = target()->NewWritableFile(fname, options, result, dbg);
  if (s.ok())
    result->reset(new FaultWritableFile(std::move(*result), fname, this));
  return s;
}

IOStatus FaultFileSystem::ReopenWritableFile(
    const std::string& fname, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* result, IODebugContext* dbg) {
  IOStatus s = target()->ReopenWritableFile(fname, options, result, dbg);
  if (s.ok())
    result->reset(new FaultWritableFile(std::move(*result), fname, this));
  return s;
}

IOStatus FaultFileSystem::ReuseWritableFile(
    const std::string& fname, const std::string& old_fname,
    const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* result, IODebugContext* dbg) {
  IOStatus s =
      target()->ReuseWritableFile(fname, old_fname, options, result, dbg);
  if (s.ok())
    result->reset(new FaultWritableFile(std::move(*result), fname, this));
  return s;
}

IOStatus FaultFileSystem::NewDirectory(
    const std::string& name, const IOOptions& options,
    std::unique_ptr<rocksdb::FSDirectory>* result, IODebugContext* dbg) {
  IOStatus s = target()->NewDirectory(name, options, result, dbg);
  if (s.ok()) result->reset(new FaultDirectory(std::move(*result), name, this));
  return s;
}

}  // namespace caserelay::store::testing
