#include "common/admin/http_server.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/config/config.h"

namespace caserelay::admin {
namespace {

// What a wait for a socket ended with.
enum class Ready { kReady, kTimeout, kWake };

// Waits until `fd` has `events` or `wake_fd` is readable or `deadline`
// passes. `prefer_fd`: report kReady when both fire (used for writing a
// response whose handler already ran).
Ready WaitFor(int fd, short events, int wake_fd, absl::Time deadline,
              bool prefer_fd) {
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return Ready::kTimeout;
    pollfd fds[2] = {{fd, events, 0}, {wake_fd, POLLIN, 0}};
    const int64_t ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(left));
    const int n =
        ::poll(fds, 2, static_cast<int>(std::min<int64_t>(ms, 1 << 30)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Ready::kWake;  // Treat poll failure as "give up".
    if (n == 0) continue;            // Re-check the deadline.
    const bool fd_ready = fds[0].revents != 0;
    const bool woken = fds[1].revents != 0;
    if (fd_ready && (prefer_fd || !woken)) return Ready::kReady;
    if (woken) return Ready::kWake;
  }
}

// Writes all of `data`; false when the peer is gone, the deadline passes or
// the server is woken for shutdown with the socket not writable.
bool WriteAll(int fd, std::string_view data, int wake_fd, absl::Time deadline) {
  while (!data.empty()) {
    const ssize_t n =
        ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (WaitFor(fd, POLLOUT, wake_fd, deadline, /*prefer_fd=*/true) !=
          Ready::kReady) {
        return false;
      }
      continue;
    }
    return false;
  }
  return true;
}

// Answers an error before the request was read in full: sends `response`,
// then half-closes and discards what the client still sends (briefly), so
// that closing does not reset the connection before the client reads it.
void RejectAndLinger(int fd, int status, absl::string_view reason, int wake_fd,
                     absl::Time deadline) {
  HttpResponse response;
  response.status = status;
  response.body =
      absl::StrCat(status, " ", ReasonPhrase(status), ": ", reason, "\n");
  if (!WriteAll(fd, FormatResponse(response, true), wake_fd, deadline)) {
    return;
  }
  ::shutdown(fd, SHUT_WR);
  const absl::Time linger_end =
      std::min(deadline, absl::Now() + absl::Seconds(1));
  char buf[16384];
  while (WaitFor(fd, POLLIN, wake_fd, linger_end, false) == Ready::kReady) {
    const ssize_t n = ::recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) return;
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Create(
    const std::string& listen, std::map<std::string, Handler> routes,
    HttpServerOptions options) {
  absl::StatusOr<config::HostPort> address = config::ParseHostPort(listen);
  if (!address.ok()) return address.status();
  for (const auto& [path, handler] : routes) {
    if (path.empty() || path[0] != '/') {
      return absl::InvalidArgumentError(
          absl::StrCat("route \"", path, "\" does not start with '/'"));
    }
    if (!handler) {
      return absl::InvalidArgumentError(
          absl::StrCat("route \"", path, "\" has no handler"));
    }
  }
  if (options.worker_threads < 1 || options.max_request_bytes == 0 ||
      options.read_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "HttpServerOptions: worker_threads, max_request_bytes and "
        "read_timeout must be positive");
  }

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port_text = std::to_string(address->port);
  const int gai =
      ::getaddrinfo(address->host.c_str(), port_text.c_str(), &hints, &found);
  if (gai != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "admin listen address ", listen, ": ", ::gai_strerror(gai)));
  }
  int fd = -1;
  std::string error;
  for (addrinfo* ai = found; ai != nullptr && fd < 0; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                  ai->ai_protocol);
    if (fd < 0) {
      error = std::strerror(errno);
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(fd, 64) != 0) {
      error = std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("admin listen address ", listen, ": ", error));
  }
  sockaddr_storage bound{};
  socklen_t bound_len = sizeof(bound);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_len);
  const int port =
      bound.ss_family == AF_INET6
          ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
          : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  int wake[2];
  if (::pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) {
    const int err = errno;
    ::close(fd);
    return absl::UnavailableError(
        absl::StrCat("admin server pipe: ", std::strerror(err)));
  }

  std::unique_ptr<HttpServer> server(new HttpServer(
      fd, port, wake[0], wake[1], std::move(routes), std::move(options)));
  absl::MutexLock lock(&server->shutdown_mu_);
  server->accept_thread_ = std::thread(&HttpServer::AcceptLoop, server.get());
  for (int i = 0; i < server->options_.worker_threads; ++i) {
    server->workers_.emplace_back(&HttpServer::WorkerLoop, server.get());
  }
  return server;
}

HttpServer::HttpServer(int listen_fd, int port, int wake_read_fd,
                       int wake_write_fd, std::map<std::string, Handler> routes,
                       HttpServerOptions options)
    : listen_fd_(listen_fd),
      port_(port),
      wake_read_fd_(wake_read_fd),
      wake_write_fd_(wake_write_fd),
      routes_(std::move(routes)),
      options_(std::move(options)) {}

HttpServer::~HttpServer() { Shutdown(); }

void HttpServer::Shutdown() {
  absl::MutexLock lock(&shutdown_mu_);
  if (shut_down_) return;
  shut_down_ = true;
  {
    absl::MutexLock queue_lock(&mu_);
    stopping_ = true;
  }
  // The pipe is never drained, so every poll() on it returns from now on.
  while (::write(wake_write_fd_, "x", 1) < 0 && errno == EINTR) {
  }
  if (accept_thread_.joinable()) accept_thread_.join();
  for (std::thread& worker : workers_) worker.join();
  workers_.clear();
  {
    absl::MutexLock queue_lock(&mu_);
    for (int fd : queue_) ::close(fd);
    queue_.clear();
  }
  ::close(listen_fd_);
  ::close(wake_read_fd_);
  ::close(wake_write_fd_);
}

void HttpServer::AcceptLoop() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_read_fd_, POLLIN, 0}};
    const int n = ::poll(fds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || fds[1].revents != 0) return;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOMEM ||
          errno == ENOBUFS) {
        // Out of resources: back off instead of spinning on poll().
        ::poll(&fds[1], 1, 50);
      }
      continue;
    }
    absl::MutexLock lock(&mu_);
    if (queue_.size() >= options_.max_queued_connections) {
      ::close(fd);
      continue;
    }
    queue_.push_back(fd);
  }
}

bool HttpServer::HasWorkOrStopping() const {
  return stopping_ || !queue_.empty();
}

void HttpServer::WorkerLoop() {
  while (true) {
    int fd = -1;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &HttpServer::HasWorkOrStopping));
      if (stopping_) return;
      fd = queue_.front();
      queue_.pop_front();
    }
    Serve(fd);
    ::close(fd);
  }
}

void HttpServer::Serve(int fd) {
  const absl::Time deadline = absl::Now() + options_.read_timeout;
  const size_t max = options_.max_request_bytes;
  std::string data;
  char buf[16384];
  size_t head_end = std::string_view::npos;
  // Reads more bytes; false when the connection is over (closed, timed out,
  // too large or shutting down), after answering where an answer is due.
  auto read_more = [&]() -> bool {
    if (data.size() > max) {
      RejectAndLinger(fd, 413, "request larger than the limit", wake_read_fd_,
                      deadline);
      return false;
    }
    const Ready ready = WaitFor(fd, POLLIN, wake_read_fd_, deadline, false);
    if (ready == Ready::kTimeout && !data.empty()) {
      RejectAndLinger(fd, 408, "request incomplete", wake_read_fd_,
                      absl::Now() + absl::Seconds(1));
    }
    if (ready != Ready::kReady) return false;
    const ssize_t n = ::recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    if (n <= 0) return false;
    data.append(buf, static_cast<size_t>(n));
    return true;
  };

  // Scan only the new bytes (and the 2 before them) for the blank line.
  size_t scanned = 0;
  while (true) {
    const size_t from = scanned < 2 ? 0 : scanned - 2;
    head_end = FindEndOfHead(std::string_view(data).substr(from));
    if (head_end != std::string_view::npos) {
      head_end += from;
      break;
    }
    scanned = data.size();
    if (!read_more()) return;
  }
  if (head_end > max) {
    RejectAndLinger(fd, 413, "request head larger than the limit",
                    wake_read_fd_, deadline);
    return;
  }
  absl::StatusOr<RequestHead> head =
      ParseRequestHead(std::string_view(data).substr(0, head_end));
  if (!head.ok()) {
    RejectAndLinger(fd, 400, head.status().message(), wake_read_fd_, deadline);
    return;
  }
  absl::StatusOr<size_t> body_length = BodyLength(*head);
  if (!body_length.ok()) {
    const int status =
        body_length.status().code() == absl::StatusCode::kUnimplemented ? 501
                                                                        : 400;
    RejectAndLinger(fd, status, body_length.status().message(), wake_read_fd_,
                    deadline);
    return;
  }
  if (*body_length > max || head_end + *body_length > max) {
    RejectAndLinger(fd, 413, "request larger than the limit", wake_read_fd_,
                    deadline);
    return;
  }
  while (data.size() < head_end + *body_length) {
    if (!read_more()) return;
  }

  HttpRequest request;
  request.method = head->method;
  const size_t question = head->target.find('?');
  request.path = head->target.substr(0, question);
  if (question != std::string::npos) {
    absl::StatusOr<std::map<std::string, std::string>> query =
        ParseQuery(std::string_view(head->target).substr(question + 1));
    if (!query.ok()) {
      RejectAndLinger(fd, 400, query.status().message(), wake_read_fd_,
                      deadline);
      return;
    }
    request.query = *std::move(query);
  }
  request.body = data.substr(head_end, *body_length);

  HttpResponse response;
  auto route = routes_.find(request.path);
  if (route == routes_.end()) {
    response.status = 404;
    response.body = absl::StrCat("404 Not Found: ", request.path, "\n");
  } else {
    response = route->second(request);
  }
  // The handler may be slow; give the write its own timeout.
  WriteAll(fd, FormatResponse(response, request.method != "HEAD"),
           wake_read_fd_, absl::Now() + options_.read_timeout);
}

}  // namespace caserelay::admin
