#include "common/time/file_clock.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace caserelay::time {
namespace {

constexpr char kMagic[8] = {'C', 'R', 'C', 'L', 'O', 'C', 'K', '1'};
constexpr uint32_t kVersion = 1;
constexpr size_t kVersionOffset = 8;
constexpr size_t kChangesOffset = 12;
constexpr size_t kMicrosOffset = 16;
// Longest real sleep between two looks at the shared time, in case a
// writer's wake-up is missed (e.g. a writer that died between its store and
// its wake).
constexpr absl::Duration kSlice = absl::Milliseconds(5);

absl::Status ErrnoStatus(int error, const std::string& what) {
  return absl::ErrnoToStatus(error, what);
}

// The 24 bytes of a clock file at `start`.
std::string Encode(absl::Time start) {
  std::string bytes(FileClock::kFileSize, '\0');
  std::memcpy(bytes.data(), kMagic, sizeof kMagic);
  std::memcpy(bytes.data() + kVersionOffset, &kVersion, sizeof kVersion);
  const int64_t micros = absl::ToUnixMicros(start);
  std::memcpy(bytes.data() + kMicrosOffset, &micros, sizeof micros);
  return bytes;
}

// Writes `bytes` to a new file beside `path`, then renames it over `path`.
absl::Status WriteAside(const std::string& path, const std::string& bytes) {
  const std::string tmp = absl::StrCat(path, ".tmp.", getpid());
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return ErrnoStatus(errno,
                       absl::StrCat("clock file ", path, ": cannot create"));
  }
  const ssize_t n = write(fd, bytes.data(), bytes.size());
  const int write_errno = errno;
  close(fd);
  if (n != static_cast<ssize_t>(bytes.size())) {
    std::remove(tmp.c_str());
    return ErrnoStatus(n < 0 ? write_errno : EIO,
                       absl::StrCat("clock file ", path, ": cannot write"));
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    const int rename_errno = errno;
    std::remove(tmp.c_str());
    return ErrnoStatus(rename_errno,
                       absl::StrCat("clock file ", path, ": cannot rename"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<FileClock>> FileClock::Open(
    const std::string& path) {
  int fd = open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return absl::NotFoundError(
          absl::StrCat("clock file ", path, " does not exist"));
    }
    return ErrnoStatus(errno,
                       absl::StrCat("clock file ", path, ": cannot open"));
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    const int stat_errno = errno;
    close(fd);
    return ErrnoStatus(stat_errno, absl::StrCat("clock file ", path));
  }
  if (st.st_size != kFileSize) {
    close(fd);
    return absl::DataLossError(absl::StrCat(
        "clock file ", path, " has ", st.st_size, " bytes, not ", kFileSize));
  }
  void* mapping =
      mmap(nullptr, kFileSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const int map_errno = errno;
  close(fd);  // the mapping keeps the file
  if (mapping == MAP_FAILED) {
    return ErrnoStatus(map_errno, absl::StrCat("clock file ", path, ": mmap"));
  }
  uint32_t version = 0;
  std::memcpy(&version, static_cast<char*>(mapping) + kVersionOffset,
              sizeof version);
  if (std::memcmp(mapping, kMagic, sizeof kMagic) != 0 || version != kVersion) {
    munmap(mapping, kFileSize);
    return absl::DataLossError(absl::StrCat("clock file ", path,
                                            " is not a version ", kVersion,
                                            " clock file (magic CRCLOCK1)"));
  }
  return std::unique_ptr<FileClock>(new FileClock(path, mapping));
}

absl::StatusOr<std::unique_ptr<FileClock>> FileClock::Create(
    const std::string& path, absl::Time start) {
  absl::StatusOr<std::unique_ptr<FileClock>> existing = Open(path);
  if (existing.ok()) {
    (*existing)->Set(start);
    return existing;
  }
  if (existing.status().code() != absl::StatusCode::kNotFound &&
      existing.status().code() != absl::StatusCode::kDataLoss) {
    return existing.status();
  }
  if (absl::Status s = WriteAside(path, Encode(start)); !s.ok()) return s;
  return Open(path);
}

FileClock::FileClock(std::string path, void* mapping)
    : path_(std::move(path)), mapping_(mapping) {}

FileClock::~FileClock() { munmap(mapping_, kFileSize); }

int64_t* FileClock::micros() const {
  return reinterpret_cast<int64_t*>(static_cast<char*>(mapping_) +
                                    kMicrosOffset);
}

uint32_t* FileClock::changes() const {
  return reinterpret_cast<uint32_t*>(static_cast<char*>(mapping_) +
                                     kChangesOffset);
}

absl::Time FileClock::Now() const {
  return absl::FromUnixMicros(__atomic_load_n(micros(), __ATOMIC_ACQUIRE));
}

bool FileClock::WaitUntil(absl::Time t, absl::Duration max_real_wait) const {
  if (Now() >= t) return true;
  if (max_real_wait <= absl::ZeroDuration()) return false;
  // Clamp so that an infinite budget does not overflow the chrono arithmetic.
  const absl::Duration budget = std::min(max_real_wait, absl::Hours(24 * 365));
  const auto real_deadline =
      std::chrono::steady_clock::now() + absl::ToChronoNanoseconds(budget);
  while (true) {
    // Read the counter before the time: a change after this read makes
    // FUTEX_WAIT return at once instead of sleeping through it.
    const uint32_t seen = __atomic_load_n(changes(), __ATOMIC_ACQUIRE);
    if (Now() >= t) return true;
    const absl::Duration remaining =
        absl::FromChrono(real_deadline - std::chrono::steady_clock::now());
    if (remaining <= absl::ZeroDuration()) return false;
    const timespec slice = absl::ToTimespec(std::min(remaining, kSlice));
    // Not FUTEX_PRIVATE: the word is in a mapping shared between processes.
    syscall(SYS_futex, changes(), FUTEX_WAIT, seen, &slice, nullptr, 0);
  }
}

void FileClock::Set(absl::Time t) {
  __atomic_store_n(micros(), absl::ToUnixMicros(t), __ATOMIC_RELEASE);
  Notify();
}

void FileClock::Advance(absl::Duration d) {
  __atomic_fetch_add(micros(), absl::ToInt64Microseconds(d), __ATOMIC_ACQ_REL);
  Notify();
}

void FileClock::Notify() {
  __atomic_add_fetch(changes(), 1, __ATOMIC_RELEASE);
  syscall(SYS_futex, changes(), FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}

}  // namespace caserelay::time
