// Issue 14 item 6 against the real processes: a full disk, driven from
// outside the services. intake's and routing's stores each live on a small
// tmpfs of their own that the test fills with a file until the kernel
// answers ENOSPC, then frees. On the full disk a service stops taking
// input (routing consumes no petition, intake acknowledges no submission:
// UNAVAILABLE with a message for operators), reports it on /healthz (503,
// naming the fault) and /metrics (caserelay_store_fault{kind="no_space"}),
// and once space is back it resumes by itself and every petition is routed
// exactly once. (Write errors and failed fsyncs cannot be caused from
// outside without a faulty block device; the in-process tests inject them:
// tests/unit/common/store/store_fault_test.cc and
// tests/unit/common/service/consume_loop_fault_test.cc.)
//
// Needs root (mount(2)); skipped with the reason otherwise.

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::SubmitPetitionRequest;
using caserelay::v1::SubmitPetitionResponse;
using ::testing::HasSubstr;

// A tmpfs of `size` mounted on `dir` (created) for the life of the object;
// Fill() takes every free byte with a file, Free() removes it.
class SmallDisk {
 public:
  // Empty error() when mounted.
  SmallDisk(std::string dir, const std::string& size) : dir_(std::move(dir)) {
    if (mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST) {
      error_ = absl::StrCat("mkdir ", dir_, ": ", std::strerror(errno));
      return;
    }
    const std::string data = absl::StrCat("size=", size, ",mode=0700");
    if (mount("tmpfs", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
              data.c_str()) != 0) {
      error_ = absl::StrCat("mount tmpfs on ", dir_, ": ", std::strerror(errno));
      return;
    }
    mounted_ = true;
  }
  ~SmallDisk() {
    // Lazily: a process killed a moment ago may still hold a file.
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
  }
  const std::string& error() const { return error_; }
  const std::string& dir() const { return dir_; }

  // Writes a filler file until the disk is full; false if it never was.
  bool Fill() {
    const int fd = open(Filler().c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return false;
    const std::string block(64 << 10, 'x');
    bool full = false;
    for (;;) {
      ssize_t n = write(fd, block.data(), block.size());
      if (n < 0) {
        full = errno == ENOSPC;
        break;
      }
      if (n < static_cast<ssize_t>(block.size())) continue;  // the last bytes
    }
    // Take the last partial page too: byte by byte until ENOSPC.
    while (full && write(fd, "x", 1) == 1) {
    }
    close(fd);
    return full;
  }
  void Free() { unlink(Filler().c_str()); }

 private:
  std::string Filler() const { return dir_ + "/filler"; }
  const std::string dir_;
  std::string error_;
  bool mounted_ = false;
};

// GET `path` of `address` (host:port): "<code>\n<body>", or "" if the
// server cannot be reached. (System::AdminGet gives no body for a 503.)
std::string HttpGet(const std::string& address, const std::string& path) {
  std::vector<std::string> hp = absl::StrSplit(address, ':');
  int port = 0;
  if (hp.size() != 2 || !absl::SimpleAtoi(hp[1], &port)) return "";
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, hp[0].c_str(), &sa.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
    close(fd);
    return "";
  }
  const std::string request = absl::StrCat(
      "GET ", path, " HTTP/1.1\r\nHost: ", address, "\r\nConnection: close\r\n\r\n");
  (void)!write(fd, request.data(), request.size());
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;) reply.append(buf, n);
  close(fd);
  // "HTTP/1.1 503 ...\r\n...\r\n\r\n<body>"
  const size_t body = reply.find("\r\n\r\n");
  if (reply.size() < 12 || body == std::string::npos) return "";
  return absl::StrCat(reply.substr(9, 3), "\n", reply.substr(body + 4));
}

absl::StatusOr<std::string> Submit(System& sys,
                                   const SubmitPetitionRequest& req) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  SubmitPetitionResponse resp;
  grpc::Status s = sys.intake().SubmitPetition(&ctx, req, &resp);
  if (!s.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                        s.error_message());
  }
  return resp.case_number();
}

// True once routing knows `case_id` (it consumed its PetitionReceived).
bool Routed(System& sys, const std::string& case_id, absl::Duration wait) {
  absl::Time deadline = absl::Now() + wait;
  do {
    grpc::ClientContext ctx;
    caserelay::v1::GetCaseRequest req;
    req.set_case_id(case_id);
    caserelay::v1::CaseDetail detail;
    if (sys.routing().GetCase(&ctx, req, &detail).ok()) return true;
    absl::SleepFor(absl::Milliseconds(100));
  } while (absl::Now() < deadline);
  return false;
}

// The number of events routing keeps for `case_id`; -1 if it cannot say.
int CaseEvents(System& sys, const std::string& case_id) {
  grpc::ClientContext ctx;
  caserelay::v1::GetCaseRequest req;
  req.set_case_id(case_id);
  caserelay::v1::CaseDetail detail;
  if (!sys.routing().GetCase(&ctx, req, &detail).ok()) return -1;
  return detail.events_size();
}

// Waits until GET /healthz of `service` answers `code`; returns the last
// answer ("<code>\n<body>").
std::string WaitForHealth(System& sys, const std::string& service,
                          const std::string& code, absl::Duration wait) {
  const absl::Time deadline = absl::Now() + Scaled(wait);
  std::string reply = HttpGet(sys.admin_address(service), "/healthz");
  while (!absl::StartsWith(reply, code + "\n") && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(200));
    reply = HttpGet(sys.admin_address(service), "/healthz");
  }
  return reply;
}

constexpr char kNoSpace[] = "caserelay_store_fault{kind=\"no_space\"}";

TEST(StorageFaultTest, AFullDiskStopsInputUntilSpaceIsBackAndLosesNothing) {
  TempDir disks;
  SmallDisk routing_disk(disks.path() + "/routing-disk", "32m");
  if (!routing_disk.error().empty()) {
    GTEST_SKIP() << "cannot mount a tmpfs to fill (needs root): "
                 << routing_disk.error();
  }
  SmallDisk intake_disk(disks.path() + "/intake-disk", "32m");
  ASSERT_TRUE(intake_disk.error().empty()) << intake_disk.error();
  SystemOptions options;
  options.services = {"intake", "routing"};
  options.settings["routing"]["store.path"] = routing_disk.dir() + "/store";
  options.settings["intake"]["store.path"] = intake_disk.dir() + "/store";
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& system = **sys;
  std::vector<std::string> cases;
  auto first = Submit(system, SamplePetition("140431", 1));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(Routed(system, *first, Scaled(absl::Seconds(20))));
  cases.push_back(*first);

  // routing's disk is full. What fits in the free tail of a page RocksDB
  // already holds may still be stored; from its first failed write on,
  // routing takes no petition, and says why.
  ASSERT_TRUE(routing_disk.Fill());
  int n = 2;
  std::string health;
  for (; n <= 12 && !absl::StartsWith(health, "503\n"); ++n) {
    auto id = Submit(system, SamplePetition("140431", n));
    ASSERT_TRUE(id.ok()) << id.status();
    cases.push_back(*id);
    health = WaitForHealth(system, "routing", "503", absl::Seconds(2));
  }
  ASSERT_TRUE(absl::StartsWith(health, "503\n")) << health;
  EXPECT_THAT(health, HasSubstr("store: writes fail (no_space)"));
  EXPECT_THAT(health, HasSubstr("takes no input"));
  EXPECT_EQ(*system.Metric("routing", kNoSpace), 1);
  const size_t held_from = cases.size();
  for (int more = 0; more < 2; ++more, ++n) {
    auto id = Submit(system, SamplePetition("140431", n));
    ASSERT_TRUE(id.ok()) << id.status();
    cases.push_back(*id);
  }
  for (size_t i = held_from; i < cases.size(); ++i) {
    EXPECT_FALSE(Routed(system, cases[i], absl::Milliseconds(500))) << cases[i];
  }

  // intake's disk is full too: from its first failed write on, a
  // submission is refused, not acknowledged.
  ASSERT_TRUE(intake_disk.Fill());
  SubmitPetitionRequest refused_one;
  absl::StatusOr<std::string> refused = std::string();
  for (int tries = 0; tries < 10 && refused.ok(); ++tries, ++n) {
    refused_one = SamplePetition("140431", n);
    refused_one.set_request_id(absl::StrCat("storage-fault-", n));
    refused = Submit(system, refused_one);
    if (refused.ok()) cases.push_back(*refused);
  }
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable)
      << refused.status();
  EXPECT_THAT(refused.status().message(), HasSubstr("nothing was acknowledged"));
  EXPECT_THAT(WaitForHealth(system, "intake", "503", absl::Seconds(10)),
              HasSubstr("store: writes fail (no_space)"));
  EXPECT_EQ(*system.Metric("intake", kNoSpace), 1);

  // Space is back: both resume by themselves, nothing lost or doubled.
  routing_disk.Free();
  intake_disk.Free();
  auto accepted = Submit(system, refused_one);  // the client's retry
  const absl::Time deadline = absl::Now() + Scaled(absl::Seconds(20));
  while (!accepted.ok() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(200));
    accepted = Submit(system, refused_one);
  }
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  cases.push_back(*accepted);
  for (const std::string& id : cases) {
    EXPECT_TRUE(Routed(system, id, Scaled(absl::Seconds(30)))) << id;
  }
  EXPECT_THAT(WaitForHealth(system, "routing", "200", absl::Seconds(20)),
              HasSubstr("200\n"));
  EXPECT_THAT(WaitForHealth(system, "intake", "200", absl::Seconds(20)),
              HasSubstr("200\n"));
  EXPECT_EQ(*system.Metric("routing", kNoSpace), 0);
  EXPECT_EQ(*system.Metric("intake", kNoSpace), 0);
  EXPECT_GE(*system.Metric("routing", "caserelay_store_reopens_total"), 1);
  // Each petition applied once: every case has the events the first one
  // had (a copy of a PetitionReceived, republished from an outbox whose
  // delete failed on the full disk, is dropped by event id); none
  // dead-lettered.
  for (const std::string& id : cases) {
    EXPECT_EQ(CaseEvents(system, id), CaseEvents(system, cases[0])) << id;
  }
  EXPECT_GE(*system.MetricSum("routing", "caserelay_events_applied_total",
                              "loop=\"routing-inputs\""),
            static_cast<double>(cases.size()));
  EXPECT_EQ(*system.MetricSum("routing", "caserelay_events_dead_letter_total"),
            0);
}

}  // namespace
}  // namespace caserelay::testing
