// FileClock: a simulated clock shared by processes through a small file
// (DESIGN.md "Time"; issue 4 item 7, 模拟时钟).
//
// A test or an operator's replay creates the file (Create), every service
// opens it (setting `clock.file`, common/service), and whoever holds it
// moves the time with Set() or Advance(). Every process that opened the
// file sees the change at once: the file is mapped shared, and the time is
// read and written with atomic operations, so a reader never sees a torn
// value and two processes that Advance() at once both count.
//
// File format (24 bytes, host byte order; the file is local to one host):
//
//   offset  size  field
//   0       8     magic "CRCLOCK1" (no terminating NUL)
//   8       4     uint32 version, 1
//   12      4     uint32 change counter: +1 on every Set()/Advance(); a
//                 process-shared futex that wakes waiters in WaitUntil()
//   16      8     int64 microseconds since 1970-01-01T00:00:00Z (the time)
//
// A file of another size, magic or version is malformed (DATA_LOSS).
//
// Thread safety: thread-safe. Any number of threads (and processes) may
// call any method at once.

#ifndef CASERELAY_COMMON_TIME_FILE_CLOCK_H_
#define CASERELAY_COMMON_TIME_FILE_CLOCK_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/time/clock.h"

namespace caserelay::time {

class FileClock final : public Clock {
 public:
  // The file's size in bytes.
  static constexpr int kFileSize = 24;

  // Opens an existing clock file for reading and moving the time.
  // Returns the clock on success. Errors: NOT_FOUND naming `path` if it
  // does not exist; DATA_LOSS naming `path` if it is not a clock file
  // (size, magic or version); another code (from errno, naming `path`) if
  // it cannot be opened or mapped.
  static absl::StatusOr<std::unique_ptr<FileClock>> Open(
      const std::string& path);

  // Creates the clock file at `path` with the time `start`, and opens it.
  // If `path` is already a valid clock file it is kept (so processes that
  // opened it stay attached) and its time is set to `start`; otherwise a
  // new file replaces it atomically (written aside, then renamed), so a
  // concurrent Open() never sees a half-written file. `start` is stored
  // with microsecond precision (truncated towards the past). Errors: a
  // code from errno naming `path` if it cannot be written (e.g.
  // NOT_FOUND for a missing directory, PERMISSION_DENIED).
  static absl::StatusOr<std::unique_ptr<FileClock>> Create(
      const std::string& path, absl::Time start);

  ~FileClock() override;  // unmaps; the file stays
  FileClock(const FileClock&) = delete;
  FileClock& operator=(const FileClock&) = delete;

  // The shared time, with microsecond precision.
  absl::Time Now() const override;

  // As Clock::WaitUntil. Sleeps on the file's change counter (woken by
  // Set()/Advance() of any process), in real slices of at most 5 ms, so a
  // change is seen within a slice even without a wake-up.
  bool WaitUntil(absl::Time t, absl::Duration max_real_wait) const override;

  // Sets the shared time to `t` (truncated to microseconds). Moving
  // backwards is allowed, as with SimulatedClock.
  void Set(absl::Time t);

  // Moves the shared time by `d` (truncated to microseconds; may be
  // negative). Atomic across processes: concurrent Advance() calls add up.
  void Advance(absl::Duration d);

  // The file this clock maps.
  const std::string& path() const { return path_; }

 private:
  FileClock(std::string path, void* mapping);

  // Bumps the change counter and wakes every waiter of every process.
  void Notify();

  int64_t* micros() const;
  uint32_t* changes() const;

  const std::string path_;
  void* const mapping_;  // kFileSize bytes, MAP_SHARED; owned
};

}  // namespace caserelay::time

#endif  // CASERELAY_COMMON_TIME_FILE_CLOCK_H_
