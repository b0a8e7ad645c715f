// Issue 22 item 6, through the real processes: connections that never send
// a complete request (silent, or half a request line, as reproduced with
// 200 of them) do not keep a service's admin port from answering /healthz,
// /metrics and notification's /sms/dlr within a second.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

using ::testing::StartsWith;

// Connects to "127.0.0.1:port" (as the harness reports admin addresses)
// with a 10 s receive timeout; -1 on failure.
int Connect(const std::string& address) {
  std::vector<std::string> parts = absl::StrSplit(address, ':');
  int port = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[1], &port)) return -1;
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, parts[0].c_str(), &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// GET `target`: the status line, or "" when none came back.
std::string StatusLine(const std::string& address, const std::string& target) {
  const int fd = Connect(address);
  if (fd < 0) return "";
  const std::string request = absl::StrCat("GET ", target, " HTTP/1.1\r\n\r\n");
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  ssize_t n;
  while (out.find("\r\n") == std::string::npos &&
         (n = recv(fd, buf, sizeof(buf), 0)) > 0) {
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out.substr(0, out.find("\r\n"));
}

TEST(AdminPortTest, StalledConnectionsDoNotStarveTheEndpoints) {
  absl::StatusOr<std::unique_ptr<System>> system = System::Start();
  ASSERT_TRUE(system.ok()) << system.status();
  // The services' defaults (admin.workers, admin.max_queued,
  // admin.max_pending): 4 workers, 1024 queued requests, 1024 connections
  // still arriving. More stalled sockets than all of them.
  constexpr int kStalled = 4 + 1024 + 1024 + 20;
  struct Row {
    std::string rule, service, target, expected;
  };
  const std::vector<Row> rows = {
      {"22.6 /healthz", "intake", "/healthz", "HTTP/1.1 200 "},
      {"22.6 /metrics", "intake", "/metrics", "HTTP/1.1 200 "},
      {"22.6 /healthz", "routing", "/healthz", "HTTP/1.1 200 "},
      {"22.6 /metrics", "supervision", "/metrics", "HTTP/1.1 200 "},
      {"22.6 /healthz", "notification", "/healthz", "HTTP/1.1 200 "},
      // A delivery report for no message: answered (not 2xx), not starved.
      {"22.6 /sms/dlr", "notification", "/sms/dlr?id=none", "HTTP/1.1 "},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(absl::StrCat(row.rule, " of ", row.service));
    const std::string address = (*system)->admin_address(row.service);
    std::vector<int> stalled;
    for (int i = 0; i < kStalled; ++i) {
      const int fd = Connect(address);
      ASSERT_GE(fd, 0) << i;
      // Half of them send half a request line, the rest nothing.
      if (i % 2 == 0) send(fd, "GET /hea", 8, MSG_NOSIGNAL);
      stalled.push_back(fd);
    }
    const absl::Time start = absl::Now();
    EXPECT_THAT(StatusLine(address, row.target), StartsWith(row.expected));
    EXPECT_LT(absl::Now() - start, absl::Seconds(1));
    for (int fd : stalled) close(fd);
  }
}

}  // namespace
}  // namespace caserelay::testing
