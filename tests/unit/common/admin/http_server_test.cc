#include "common/admin/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::admin {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
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

void SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    data.remove_prefix(static_cast<size_t>(n));
  }
}

// Everything the server sends until it closes (or 10 s pass).
std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  while (true) {
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

std::string Exchange(int port, std::string_view request) {
  const int fd = Connect(port);
  if (fd < 0) return "connect failed";
  SendAll(fd, request);
  std::string response = ReadAll(fd);
  close(fd);
  return response;
}

HttpResponse Ok(const HttpRequest&) { return {200, "text/plain", "ok\n"}; }

std::unique_ptr<HttpServer> Start(std::map<std::string, Handler> routes,
                                  HttpServerOptions options = {}) {
  absl::StatusOr<std::unique_ptr<HttpServer>> server =
      HttpServer::Create("127.0.0.1:0", std::move(routes), options);
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

TEST(HttpServerTest, ServesRouteOnEphemeralPort) {
  auto server = Start({{"/healthz", Ok}});
  ASSERT_NE(server, nullptr);
  EXPECT_GT(server->port(), 0);
  EXPECT_EQ(
      Exchange(server->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
      // cpp-httplib writes the headers sorted by name.
      "HTTP/1.1 200 OK\r\n"
      "Connection: close\r\n"
      "Content-Length: 3\r\n"
      "Content-Type: text/plain\r\n"
      "\r\n"
      "ok\n");
}

TEST(HttpServerTest, UnknownPathIs404) {
  auto server = Start({{"/healthz", Ok}});
  ASSERT_NE(server, nullptr);
  const std::string response =
      Exchange(server->port(), "GET /nope HTTP/1.1\r\n\r\n");
  EXPECT_THAT(response, StartsWith("HTTP/1.1 404 Not Found\r\n"));
  EXPECT_THAT(response, EndsWith("404 Not Found: /nope\n"));
}

TEST(HttpServerTest, QueryIsUrlDecoded) {
  absl::Mutex mu;
  HttpRequest seen;
  auto server = Start({{"/dlr", [&](const HttpRequest& r) {
                          absl::MutexLock lock(&mu);
                          seen = r;
                          return HttpResponse{};
                        }}});
  ASSERT_NE(server, nullptr);
  EXPECT_THAT(Exchange(server->port(),
                       "GET /dlr?name=%E4%B8%AD&msg=a+b&flag HTTP/1.1\r\n\r\n"),
              StartsWith("HTTP/1.1 200 OK\r\n"));
  absl::MutexLock lock(&mu);
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.path, "/dlr");
  EXPECT_EQ(seen.query, (std::map<std::string, std::string>{
                            {"flag", ""}, {"msg", "a b"}, {"name", "中"}}));
}

TEST(HttpServerTest, BodyArrivingInPiecesReachesHandler) {
  auto server = Start({{"/echo", [](const HttpRequest& r) {
                          return HttpResponse{201, "text/plain", r.body};
                        }}});
  ASSERT_NE(server, nullptr);
  const int fd = Connect(server->port());
  ASSERT_GE(fd, 0);
  SendAll(fd, "POST /echo HTTP/1.1\r\nContent-Length: 11\r\n");
  absl::SleepFor(absl::Milliseconds(50));
  SendAll(fd, "\r\nhello ");
  absl::SleepFor(absl::Milliseconds(50));
  SendAll(fd, "world");
  const std::string response = ReadAll(fd);
  close(fd);
  EXPECT_THAT(response, StartsWith("HTTP/1.1 201 Created\r\n"));
  EXPECT_THAT(response, EndsWith("\r\n\r\nhello world"));
}

TEST(HttpServerTest, HeadGetsHeadersWithoutBody) {
  auto server = Start({{"/healthz", Ok}});
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(Exchange(server->port(), "HEAD /healthz HTTP/1.1\r\n\r\n"),
            "HTTP/1.1 200 OK\r\n"
            "Accept-Ranges: bytes\r\n"
            "Connection: close\r\n"
            "Content-Length: 3\r\n"
            "Content-Type: text/plain\r\n"
            "\r\n");
}

TEST(HttpServerTest, RequestOfExactlyOneMebibyteIsAccepted) {
  auto server = Start(
      {{"/upload", [](const HttpRequest& r) {
          return HttpResponse{200, "text/plain", std::to_string(r.body.size())};
        }}});
  ASSERT_NE(server, nullptr);
  // A 7-digit Content-Length; head + body is exactly 1 MiB.
  const std::string prefix = "POST /upload HTTP/1.1\r\nContent-Length: ";
  const size_t body_size = (size_t{1} << 20) - prefix.size() - 7 - 4;
  const std::string head = absl::StrCat(prefix, body_size, "\r\n\r\n");
  ASSERT_EQ(head.size() + body_size, size_t{1} << 20);
  const std::string response =
      Exchange(server->port(), head + std::string(body_size, 'x'));
  EXPECT_THAT(response, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(response, EndsWith(std::to_string(body_size)));
}

TEST(HttpServerTest, BodyOverOneMebibyteIs413) {
  std::atomic<int> calls{0};
  auto server = Start({{"/upload", [&](const HttpRequest&) {
                          ++calls;
                          return HttpResponse{};
                        }}});
  ASSERT_NE(server, nullptr);
  const std::string response = Exchange(
      server->port(), absl::StrCat("POST /upload HTTP/1.1\r\nContent-Length: ",
                                   (1 << 20) + 1, "\r\n\r\nsome body"));
  EXPECT_THAT(response, StartsWith("HTTP/1.1 413 Content Too Large\r\n"));
  EXPECT_EQ(calls.load(), 0);
}

TEST(HttpServerTest, EndlessHeadIs413) {
  auto server = Start({{"/healthz", Ok}});
  ASSERT_NE(server, nullptr);
  const int fd = Connect(server->port());
  ASSERT_GE(fd, 0);
  // Sends 2 MiB of header lines that never end; the server answers at 1 MiB.
  std::thread sender([fd] {
    SendAll(fd, "GET /healthz HTTP/1.1\r\n");
    const std::string line = "X-Filler: " + std::string(1000, 'f') + "\r\n";
    for (int i = 0; i < 2048; ++i) SendAll(fd, line);
  });
  const std::string response = ReadAll(fd);
  shutdown(fd, SHUT_RDWR);
  sender.join();
  close(fd);
  EXPECT_THAT(response, StartsWith("HTTP/1.1 413 Content Too Large\r\n"));
}

TEST(HttpServerTest, MalformedRequestsAre400) {
  auto server = Start({{"/healthz", Ok}});
  ASSERT_NE(server, nullptr);
  for (const std::string request :
       {"GARBAGE\r\n\r\n", "GET /healthz HTTP/9\r\n\r\n",
        "GET /healthz?a=%ZZ HTTP/1.1\r\n\r\n",
        "POST /healthz HTTP/1.1\r\nContent-Length: x\r\n\r\n"}) {
    EXPECT_THAT(Exchange(server->port(), request),
                StartsWith("HTTP/1.1 400 Bad Request\r\n"))
        << request;
  }
}

TEST(HttpServerTest, ChunkedBodyIs501) {
  auto server = Start({{"/healthz", Ok}});
  ASSERT_NE(server, nullptr);
  EXPECT_THAT(
      Exchange(server->port(),
               "POST /healthz HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
               "3\r\nabc\r\n0\r\n\r\n"),
      StartsWith("HTTP/1.1 501 Not Implemented\r\n"));
}

TEST(HttpServerTest, IncompleteRequestTimesOutWith408) {
  HttpServerOptions options;
  options.read_timeout = absl::Milliseconds(200);
  auto server = Start({{"/healthz", Ok}}, options);
  ASSERT_NE(server, nullptr);
  EXPECT_THAT(Exchange(server->port(), "GET /healthz HTTP/1.1\r\n"),
              StartsWith("HTTP/1.1 408 Request Timeout\r\n"));
}

TEST(HttpServerTest, ConcurrentClientsAreAllServed) {
  auto server = Start({{"/healthz", Ok}});
  ASSERT_NE(server, nullptr);
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (Exchange(server->port(), "GET /healthz HTTP/1.0\r\n\r\n")
                .find("HTTP/1.1 200 OK") == 0) {
          ++ok;
        }
      }
    });
  }
  for (std::thread& c : clients) c.join();
  EXPECT_EQ(ok.load(), 160);
}

TEST(HttpServerTest, ShutdownWithConnectedClientsDoesNotHang) {
  HttpServerOptions options;
  options.read_timeout = absl::Seconds(60);
  options.worker_threads = 2;
  auto server = Start({{"/healthz", Ok}}, options);
  ASSERT_NE(server, nullptr);
  // Two clients hold both workers mid-request; three more wait in the queue.
  std::vector<int> fds;
  for (int i = 0; i < 5; ++i) {
    const int fd = Connect(server->port());
    ASSERT_GE(fd, 0);
    SendAll(fd, "GET /healthz HTTP/1.1\r\n");
    fds.push_back(fd);
  }
  absl::SleepFor(absl::Milliseconds(100));
  const absl::Time start = absl::Now();
  server->Shutdown();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  for (int fd : fds) {
    EXPECT_EQ(ReadAll(fd), "");  // Closed without an answer.
    close(fd);
  }
  EXPECT_EQ(Connect(server->port()), -1);
}

TEST(HttpServerTest, ShutdownLetsRunningHandlerAnswer) {
  absl::Notification entered;
  auto server = Start({{"/slow", [&](const HttpRequest&) {
                          entered.Notify();
                          absl::SleepFor(absl::Milliseconds(200));
                          return HttpResponse{200, "text/plain", "done"};
                        }}});
  ASSERT_NE(server, nullptr);
  std::string response;
  std::thread client([&] {
    response = Exchange(server->port(), "GET /slow HTTP/1.1\r\n\r\n");
  });
  entered.WaitForNotification();
  server->Shutdown();
  client.join();
  EXPECT_THAT(response, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(response, EndsWith("done"));
}

TEST(HttpServerTest, ShutdownIsIdempotent) {
  auto server = Start({{"/healthz", Ok}});
  ASSERT_NE(server, nullptr);
  server->Shutdown();
  server->Shutdown();
  server.reset();  // The destructor calls it a third time.
}

TEST(HttpServerTest, PortInUseIsUnavailable) {
  auto first = Start({{"/healthz", Ok}});
  ASSERT_NE(first, nullptr);
  absl::StatusOr<std::unique_ptr<HttpServer>> second = HttpServer::Create(
      absl::StrCat("127.0.0.1:", first->port()), {{"/healthz", Ok}});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(second.status().message()),
              HasSubstr(absl::StrCat("127.0.0.1:", first->port())));
}

TEST(HttpServerTest, BadArgumentsAreInvalid) {
  EXPECT_EQ(HttpServer::Create("localhost", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      HttpServer::Create("127.0.0.1:0", {{"healthz", Ok}}).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      HttpServer::Create("127.0.0.1:0", {{"/x", Handler()}}).status().code(),
      absl::StatusCode::kInvalidArgument);
  HttpServerOptions no_workers;
  no_workers.worker_threads = 0;
  EXPECT_EQ(HttpServer::Create("127.0.0.1:0", {}, no_workers).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caserelay::admin
