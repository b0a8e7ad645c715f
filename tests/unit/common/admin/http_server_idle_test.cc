// Issue 22 item 6: connections whose request has not arrived must not keep
// the admin server from answering others (/healthz, /metrics, /sms/dlr).
// Before the fix, 2 workers each held one such connection for the whole
// 10 s read timeout and the rest waited in the queue behind them.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/admin/http_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::admin {
namespace {

using ::testing::StartsWith;

// Connects to 127.0.0.1:port with a 10 s receive timeout; -1 on failure.
int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Sends `request` and returns everything until the server closes.
std::string Exchange(int port, std::string_view request) {
  const int fd = Connect(port);
  if (fd < 0) return "connect failed";
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) out.append(buf, n);
  close(fd);
  return out;
}

HttpResponse Ok(const HttpRequest&) { return {200, "text/plain", "ok\n"}; }

TEST(HttpServerIdleTest, StalledConnectionsDoNotDelayAnotherRequest) {
  struct Row {
    std::string rule;
    HttpServerOptions options;
    int silent;        // connect and send nothing
    int half_line;     // send half a request line
    int bodiless;      // send a head announcing a body, no body
  };
  HttpServerOptions small;
  small.worker_threads = 2;
  small.max_queued_connections = 4;
  small.max_pending_connections = 16;
  const std::vector<Row> rows = {
      // 22.6: workers + queue (+ pending) stalled sockets, each kind.
      {"22.6 silent sockets beyond workers+queue+pending", small, 2 + 4 + 20,
       0, 0},
      {"22.6 half request lines beyond workers+queue+pending", small, 0,
       2 + 4 + 20, 0},
      {"22.6 heads whose body never comes", small, 0, 0, 2 + 4 + 20},
      // 22.6 as reproduced: 200 half request lines, default options.
      {"22.6 reproduction: 200 half request lines", HttpServerOptions{}, 0,
       200, 0},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    auto server = HttpServer::Create("127.0.0.1:0", {{"/healthz", Ok}},
                                     row.options);
    ASSERT_TRUE(server.ok()) << server.status();
    const int port = (*server)->port();
    std::vector<int> stalled;
    auto open = [&](int count, std::string_view bytes) {
      for (int i = 0; i < count; ++i) {
        const int fd = Connect(port);
        ASSERT_GE(fd, 0);
        if (!bytes.empty()) send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        stalled.push_back(fd);
      }
    };
    open(row.silent, "");
    open(row.half_line, "GET /heal");
    open(row.bodiless, "POST /healthz HTTP/1.1\r\nContent-Length: 10\r\n\r\n");
    // Every stalled connection has reached the server: one more request
    // is accepted after them.
    absl::SleepFor(absl::Milliseconds(50));

    const absl::Time start = absl::Now();
    const std::string response =
        Exchange(port, "GET /healthz HTTP/1.1\r\n\r\n");
    const absl::Duration took = absl::Now() - start;
    EXPECT_THAT(response, StartsWith("HTTP/1.1 200 OK\r\n"));
    EXPECT_LT(took, absl::Seconds(1));
    for (int fd : stalled) close(fd);
  }
}

// 22.6: a complete request beyond the queue is answered, not left waiting.
TEST(HttpServerIdleTest, RequestBeyondTheQueueIs503) {
  absl::Notification entered, release;
  std::atomic<int> calls{0};
  std::atomic<int> refused{0};
  HttpServerOptions options;
  options.worker_threads = 1;
  options.max_queued_connections = 1;
  options.on_refused_busy = [&refused] { refused.fetch_add(1); };
  auto server = HttpServer::Create(
      "127.0.0.1:0",
      {{"/slow",
        [&](const HttpRequest&) {
          if (calls.fetch_add(1) == 0) entered.Notify();
          release.WaitForNotificationWithTimeout(absl::Seconds(10));
          return HttpResponse{200, "text/plain", "done"};
        }}},
      options);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  std::string first;
  std::thread holder([&] { first = Exchange(port, "GET /slow HTTP/1.1\r\n\r\n"); });
  entered.WaitForNotification();
  // The worker is busy: of two more requests one waits in the queue and
  // the other is answered 503 at once, before the worker is released.
  absl::Mutex mu;
  std::vector<std::string> answers;  // In the order they came back.
  auto ask = [&] {
    std::string answer = Exchange(port, "GET /slow HTTP/1.1\r\n\r\n");
    absl::MutexLock lock(&mu);
    answers.push_back(std::move(answer));
  };
  std::thread a(ask), b(ask);
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](std::vector<std::string>* v) { return !v->empty(); }, &answers));
    EXPECT_THAT(answers[0], StartsWith("HTTP/1.1 503 Service Unavailable\r\n"));
  }
  release.Notify();
  holder.join();
  a.join();
  b.join();
  EXPECT_THAT(first, StartsWith("HTTP/1.1 200 OK\r\n"));
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_THAT(answers[1], StartsWith("HTTP/1.1 200 OK\r\n"));
  // Counted for the service's caserelay_admin_http_refused_total.
  EXPECT_EQ(refused.load(), 1);
}

// Issue 20 item 2: the queue is bounded by its bytes too, so a longer
// queue (admin.max_queued, sized for Kannel's bursts of delivery reports)
// cannot hold max_queued_connections requests of max_request_bytes each.
TEST(HttpServerIdleTest, RequestBeyondTheQueuedBytesIs503) {
  absl::Notification entered, release;
  std::atomic<int> calls{0};
  std::atomic<int> refused{0};
  HttpServerOptions options;
  options.worker_threads = 1;
  options.max_queued_connections = 100;  // never the bound here
  options.max_request_bytes = 100;
  options.max_queued_bytes = 100;  // one 60-byte request, not two
  options.on_refused_busy = [&refused] { refused.fetch_add(1); };
  auto server = HttpServer::Create(
      "127.0.0.1:0",
      {{"/slow",
        [&](const HttpRequest&) {
          if (calls.fetch_add(1) == 0) entered.Notify();
          release.WaitForNotificationWithTimeout(absl::Seconds(10));
          return HttpResponse{200, "text/plain", "done"};
        }}},
      options);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  // 60 bytes: the request line, a header padding it, the blank line.
  std::string request = "GET /slow HTTP/1.1\r\nX: ";
  request += std::string(60 - request.size() - 4, 'a');
  request += "\r\n\r\n";
  ASSERT_EQ(request.size(), 60u);
  std::string first;
  std::thread holder([&] { first = Exchange(port, request); });
  entered.WaitForNotification();
  absl::Mutex mu;
  std::vector<std::string> answers;
  auto ask = [&] {
    std::string answer = Exchange(port, request);
    absl::MutexLock lock(&mu);
    answers.push_back(std::move(answer));
  };
  std::thread a(ask), b(ask);
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](std::vector<std::string>* v) { return !v->empty(); }, &answers));
    EXPECT_THAT(answers[0], StartsWith("HTTP/1.1 503 Service Unavailable\r\n"));
  }
  release.Notify();
  holder.join();
  a.join();
  b.join();
  EXPECT_THAT(first, StartsWith("HTTP/1.1 200 OK\r\n"));
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_THAT(answers[1], StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(refused.load(), 1);
}

// Issue 20 item 2: a connection closed unanswered to make room is
// counted (caserelay_admin_http_refused_total{reason="evicted"}): Kannel
// sends each such delivery report again a second later.
TEST(HttpServerIdleTest, EvictedConnectionsAreCounted) {
  std::atomic<int> evicted{0};
  HttpServerOptions options;
  options.max_pending_connections = 2;
  options.on_evicted = [&evicted] { evicted.fetch_add(1); };
  auto server = HttpServer::Create("127.0.0.1:0", {{"/healthz", Ok}}, options);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  std::vector<int> silent;
  for (int i = 0; i < 3; ++i) {
    const int fd = Connect(port);
    ASSERT_GE(fd, 0);
    silent.push_back(fd);
    absl::SleepFor(absl::Milliseconds(20));  // accepted in this order
  }
  // The oldest was closed without an answer; the other two still wait.
  char c;
  EXPECT_EQ(recv(silent[0], &c, 1, 0), 0);
  EXPECT_EQ(evicted.load(), 1);
  for (int fd : silent) close(fd);
}

TEST(HttpServerIdleTest, QueuedBytesBelowARequestAreRefusedAtCreate) {
  HttpServerOptions options;
  options.max_request_bytes = 1000;
  options.max_queued_bytes = 999;
  auto server = HttpServer::Create("127.0.0.1:0", {{"/healthz", Ok}}, options);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caserelay::admin
