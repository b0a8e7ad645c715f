// FileClock (common/time/file_clock.h): a simulated clock shared by
// processes through a mapped file (DESIGN.md "Time"; issue 4 item 7).

#include "common/time/file_clock.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::time {
namespace {

using ::testing::HasSubstr;

const absl::Time kStart =
    absl::FromUnixSeconds(1788224400);  // 2026-09-01 09:00 CST
constexpr absl::Duration kGenerous = absl::Seconds(30);

template <typename F>
absl::Duration RealTimeOf(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return absl::FromChrono(std::chrono::steady_clock::now() - start);
}

class FileClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl =
        absl::StrCat(base && *base ? base : "/tmp", "/file-clock-XXXXXX");
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/clock";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void WriteRaw(const std::string& bytes) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << bytes;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(FileClockTest, CreateStartsAtGivenTimeAndOpenSeesIt) {
  auto created = FileClock::Create(path_, kStart);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ((*created)->Now(), kStart);
  EXPECT_EQ(std::filesystem::file_size(path_),
            static_cast<uintmax_t>(FileClock::kFileSize));
  auto opened = FileClock::Open(path_);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ((*opened)->Now(), kStart);
  absl::SleepFor(absl::Milliseconds(5));
  EXPECT_EQ((*opened)->Now(), kStart);  // moves only when told
}

TEST_F(FileClockTest, SetAndAdvanceAreSeenByEveryOpener) {
  auto a = FileClock::Create(path_, kStart);
  ASSERT_TRUE(a.ok()) << a.status();
  auto b = FileClock::Open(path_);
  ASSERT_TRUE(b.ok()) << b.status();
  (*a)->Advance(absl::Hours(24));
  EXPECT_EQ((*b)->Now(), kStart + absl::Hours(24));
  (*b)->Set(kStart - absl::Hours(1));  // backwards is allowed
  EXPECT_EQ((*a)->Now(), kStart - absl::Hours(1));
  (*b)->Advance(-absl::Minutes(30));
  EXPECT_EQ((*a)->Now(), kStart - absl::Minutes(90));
}

TEST_F(FileClockTest, TimeIsKeptToTheMicrosecond) {
  auto clock = FileClock::Create(path_, kStart + absl::Nanoseconds(1999));
  ASSERT_TRUE(clock.ok()) << clock.status();
  EXPECT_EQ((*clock)->Now(), kStart + absl::Microseconds(1));
  (*clock)->Advance(absl::Nanoseconds(2500));
  EXPECT_EQ((*clock)->Now(), kStart + absl::Microseconds(3));
}

TEST_F(FileClockTest, OpenMissingFileIsNotFoundNamingThePath) {
  auto clock = FileClock::Open(path_);
  EXPECT_EQ(clock.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(clock.status().message()), HasSubstr(path_));
}

TEST_F(FileClockTest, OpenMalformedFileIsDataLoss) {
  const struct {
    const char* what;
    std::string bytes;
  } rows[] = {
      {"empty", ""},
      {"too short", "CRCLOCK1"},
      {"right size, wrong magic",
       std::string("NOTACLCK") + std::string(16, '\0')},
      {"right magic, version 2", std::string("CRCLOCK1") +
                                     std::string("\x02\0\0\0", 4) +
                                     std::string(12, '\0')},
      {"a text file", "2026-09-01T09:00:00+08:00\n"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.what);
    WriteRaw(row.bytes);
    auto clock = FileClock::Open(path_);
    EXPECT_EQ(clock.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(std::string(clock.status().message()), HasSubstr(path_));
  }
}

TEST_F(FileClockTest, CreateOverValidFileKeepsOpenersAttached) {
  auto first = FileClock::Create(path_, kStart);
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = FileClock::Create(path_, kStart + absl::Hours(5));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*first)->Now(), kStart + absl::Hours(5));
  (*first)->Advance(absl::Hours(1));
  EXPECT_EQ((*again)->Now(), kStart + absl::Hours(6));
}

TEST_F(FileClockTest, CreateOverMalformedFileReplacesIt) {
  WriteRaw("not a clock");
  auto clock = FileClock::Create(path_, kStart);
  ASSERT_TRUE(clock.ok()) << clock.status();
  auto opened = FileClock::Open(path_);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ((*opened)->Now(), kStart);
}

TEST_F(FileClockTest, CreateInMissingDirectoryIsNotFound) {
  auto clock = FileClock::Create(dir_ + "/no/such/dir/clock", kStart);
  EXPECT_EQ(clock.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(clock.status().message()), HasSubstr("no/such/dir"));
}

TEST_F(FileClockTest, ConcurrentAdvancesInThreadsAddUp) {
  auto clock = FileClock::Create(path_, kStart);
  ASSERT_TRUE(clock.ok()) << clock.status();
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto own = FileClock::Open(path_);  // each its own mapping
      ASSERT_TRUE(own.ok()) << own.status();
      for (int k = 0; k < 10000; ++k) (*own)->Advance(absl::Seconds(1));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ((*clock)->Now(), kStart + absl::Seconds(40000));
}

TEST_F(FileClockTest, AdvancesOfAnotherProcessAddUpAndAreSeen) {
  auto clock = FileClock::Create(path_, kStart);
  ASSERT_TRUE(clock.ok()) << clock.status();
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto own = FileClock::Open(path_);
    if (!own.ok()) _exit(3);
    for (int k = 0; k < 20000; ++k) (*own)->Advance(absl::Microseconds(7));
    _exit(0);
  }
  for (int k = 0; k < 20000; ++k) (*clock)->Advance(absl::Microseconds(3));
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ((*clock)->Now(), kStart + absl::Microseconds(20000 * 10));
}

TEST_F(FileClockTest, WaitUntilReturnsAtOnceWhenTimeHasCome) {
  auto clock = FileClock::Create(path_, kStart);
  ASSERT_TRUE(clock.ok()) << clock.status();
  bool reached = false;
  const absl::Duration took =
      RealTimeOf([&] { reached = (*clock)->WaitUntil(kStart, kGenerous); });
  EXPECT_TRUE(reached);
  EXPECT_LT(took, absl::Seconds(5));
}

TEST_F(FileClockTest, WaitUntilGivesUpAfterMaxRealWait) {
  auto clock = FileClock::Create(path_, kStart);
  ASSERT_TRUE(clock.ok()) << clock.status();
  bool reached = true;
  const absl::Duration took = RealTimeOf([&] {
    reached =
        (*clock)->WaitUntil(kStart + absl::Seconds(1), absl::Milliseconds(50));
  });
  EXPECT_FALSE(reached);
  EXPECT_GE(took, absl::Milliseconds(50));
  EXPECT_LT(took, absl::Seconds(5));
  EXPECT_FALSE(
      (*clock)->WaitUntil(kStart + absl::Seconds(1), absl::ZeroDuration()));
  EXPECT_FALSE(
      (*clock)->WaitUntil(absl::InfiniteFuture(), absl::Milliseconds(10)));
}

TEST_F(FileClockTest, WaitUntilWakesWhenAnotherProcessAdvances) {
  auto clock = FileClock::Create(path_, kStart);
  ASSERT_TRUE(clock.ok()) << clock.status();
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto own = FileClock::Open(path_);
    if (!own.ok()) _exit(3);
    absl::SleepFor(absl::Milliseconds(100));
    (*own)->Advance(absl::Hours(24 * 20));
    _exit(0);
  }
  bool reached = false;
  const absl::Duration took = RealTimeOf([&] {
    reached = (*clock)->WaitUntil(kStart + absl::Hours(24 * 15), kGenerous);
  });
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(reached);
  EXPECT_LT(took, absl::Seconds(10));  // far below the 30 s budget
  EXPECT_EQ((*clock)->Now(), kStart + absl::Hours(24 * 20));
}

TEST_F(FileClockTest, WaitUntilWakesWhenAnotherThreadSets) {
  auto clock = FileClock::Create(path_, kStart);
  ASSERT_TRUE(clock.ok()) << clock.status();
  auto other = FileClock::Open(path_);
  ASSERT_TRUE(other.ok()) << other.status();
  std::thread setter([&] {
    absl::SleepFor(absl::Milliseconds(50));
    (*other)->Set(kStart + absl::Hours(2));
  });
  bool reached = false;
  const absl::Duration took = RealTimeOf([&] {
    reached = (*clock)->WaitUntil(kStart + absl::Hours(1), kGenerous);
  });
  setter.join();
  EXPECT_TRUE(reached);
  EXPECT_LT(took, absl::Seconds(10));
}

TEST_F(FileClockTest, UsableThroughTheClockInterface) {
  auto clock = FileClock::Create(path_, kStart);
  ASSERT_TRUE(clock.ok()) << clock.status();
  const Clock& as_clock = **clock;
  (*clock)->Advance(absl::Minutes(1));
  EXPECT_EQ(as_clock.Now(), kStart + absl::Minutes(1));
}

}  // namespace
}  // namespace caserelay::time
