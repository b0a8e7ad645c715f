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
#include "common/admin/httplib_router.h"
#include "common/admin/socket_io.h"
#include "common/config/config.h"

namespace caserelay::admin {
namespace {

// How long a connection that was answered an error may still send bytes
// (which are discarded), so that closing it does not reset the connection
// before the client has read the answer.
constexpr absl::Duration kLinger = absl::Seconds(1);

// A connection of the front: its request is still arriving, or it was
// answered an error and lingers.
struct Connection {
  int fd;
  absl::Time deadline;
  std::string data;
  size_t head_end = std::string_view::npos;  // Known once the head is in.
  size_t request_size = 0;                   // Head + body, once known.
  bool lingering = false;
};

// Sends an error answer without blocking (it is small enough for an empty
// socket buffer) and half-closes; the connection then lingers.
void Reject(Connection& c, int status, absl::string_view reason) {
  HttpResponse response;
  response.status = status;
  response.body =
      absl::StrCat(status, " ", ReasonPhrase(status), ": ", reason, "\n");
  const std::string bytes = FormatResponse(response, true);
  (void)::send(c.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(c.fd, SHUT_WR);
  c.lingering = true;
  c.data.clear();
  c.data.shrink_to_fit();
  c.deadline = absl::Now() + kLinger;
}

// What reading a connection's new bytes led to.
enum class Progress { kWaiting, kComplete, kClosed };

// Checks what `c.data` holds after new bytes arrived (`before`: the size
// before them), answering errors; kComplete when the request is in full.
Progress Examine(Connection& c, size_t before, size_t max) {
  if (c.head_end == std::string_view::npos) {
    const size_t from = before < 3 ? 0 : before - 3;
    const size_t end = FindEndOfHead(std::string_view(c.data).substr(from));
    if (end == std::string_view::npos) {
      if (c.data.size() > max) {
        Reject(c, 413, "request head larger than the limit");
      }
      return Progress::kWaiting;
    }
    c.head_end = from + end;
    if (c.head_end > max) {
      Reject(c, 413, "request head larger than the limit");
      return Progress::kWaiting;
    }
    absl::StatusOr<RequestHead> head =
        ParseRequestHead(std::string_view(c.data).substr(0, c.head_end));
    if (!head.ok()) {
      Reject(c, 400, head.status().message());
      return Progress::kWaiting;
    }
    absl::StatusOr<size_t> body_length = BodyLength(*head);
    if (!body_length.ok()) {
      Reject(c,
             body_length.status().code() == absl::StatusCode::kUnimplemented
                 ? 501
                 : 400,
             body_length.status().message());
      return Progress::kWaiting;
    }
    if (*body_length > max || c.head_end + *body_length > max) {
      Reject(c, 413, "request larger than the limit");
      return Progress::kWaiting;
    }
    c.request_size = c.head_end + *body_length;
  }
  if (c.data.size() < c.request_size) return Progress::kWaiting;
  c.data.resize(c.request_size);  // Pipelined requests are not served.
  return Progress::kComplete;
}

// Reads what `c` has sent (one recv; the next poll() brings the rest).
Progress ReadSome(Connection& c, size_t max, size_t* buffered) {
  char buf[16384];
  const ssize_t n = ::recv(c.fd, buf, sizeof(buf), MSG_DONTWAIT);
  if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
    return Progress::kWaiting;
  }
  if (n <= 0) return Progress::kClosed;  // Gone, or reset.
  if (c.lingering) return Progress::kWaiting;
  const size_t before = c.data.size();
  c.data.append(buf, static_cast<size_t>(n));
  const Progress progress = Examine(c, before, max);
  *buffered = *buffered - before + c.data.size();
  return progress;
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
      options.read_timeout <= absl::ZeroDuration() ||
      options.max_pending_connections < 1 ||
      options.max_pending_bytes < options.max_request_bytes ||
      options.max_queued_bytes < options.max_request_bytes) {
    return absl::InvalidArgumentError(
        "HttpServerOptions: worker_threads, max_request_bytes, read_timeout "
        "and max_pending_connections must be positive, max_pending_bytes and "
        "max_queued_bytes at least max_request_bytes");
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
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                  ai->ai_protocol);
    if (fd < 0) {
      error = std::strerror(errno);
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
        ::listen(fd, SOMAXCONN) != 0) {
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
  server->front_thread_ = std::thread(&HttpServer::FrontLoop, server.get());
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
      options_(std::move(options)),
      router_(std::make_unique<HttplibRouter>(std::move(routes))) {}

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
  if (front_thread_.joinable()) front_thread_.join();
  for (std::thread& worker : workers_) worker.join();
  workers_.clear();
  {
    absl::MutexLock queue_lock(&mu_);
    for (const Request& request : queue_) ::close(request.fd);
    queue_.clear();
    queued_bytes_ = 0;
  }
  ::close(listen_fd_);
  ::close(wake_read_fd_);
  ::close(wake_write_fd_);
}

void HttpServer::FrontLoop() {
  // Oldest first. Owned by this thread.
  std::vector<Connection> connections;
  size_t buffered = 0;  // Sum of the connections' data sizes.
  std::vector<pollfd> fds;
  auto close_connection = [&](Connection& c) {
    buffered -= c.data.size();
    ::close(c.fd);
    c.fd = -1;
  };
  while (true) {
    // Expire what is late: an incomplete request gets a 408, an idle or
    // lingering connection is closed.
    const absl::Time now = absl::Now();
    absl::Time next = absl::InfiniteFuture();
    for (Connection& c : connections) {
      if (c.deadline <= now) {
        if (c.lingering || c.data.empty()) {
          close_connection(c);
          continue;
        }
        buffered -= c.data.size();
        Reject(c, 408, "request incomplete");
      }
      next = std::min(next, c.deadline);
    }
    connections.erase(
        std::remove_if(connections.begin(), connections.end(),
                       [](const Connection& c) { return c.fd < 0; }),
        connections.end());

    fds.clear();
    fds.push_back({wake_read_fd_, POLLIN, 0});
    fds.push_back({listen_fd_, POLLIN, 0});
    for (const Connection& c : connections) fds.push_back({c.fd, POLLIN, 0});
    int timeout_ms = -1;
    if (next != absl::InfiniteFuture()) {
      timeout_ms = static_cast<int>(std::clamp<int64_t>(
          absl::ToInt64Milliseconds(next - now) + 1, 1, 1 << 30));
    }
    const int n = ::poll(fds.data(), fds.size(), timeout_ms);
    if (n < 0 && errno != EINTR) break;
    if (n < 0) continue;
    if (fds[0].revents != 0) break;

    for (size_t i = 0; i < connections.size(); ++i) {
      if (fds[i + 2].revents == 0) continue;
      Connection& c = connections[i];
      switch (ReadSome(c, options_.max_request_bytes, &buffered)) {
        case Progress::kWaiting:
          break;
        case Progress::kClosed:
          close_connection(c);
          break;
        case Progress::kComplete:
          buffered -= c.data.size();
          Dispatch(Request{c.fd, std::move(c.data)});
          c.fd = -1;
          break;
      }
    }
    if (fds[1].revents != 0) {
      // Accept what is waiting (bounded, so reads are not starved), before
      // the kernel's accept queue fills and it drops connection attempts.
      for (int i = 0; i < 256; ++i) {
        const int fd = ::accept4(listen_fd_, nullptr, nullptr,
                                 SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd >= 0) {
          connections.push_back(
              Connection{fd, absl::Now() + options_.read_timeout, {}});
          continue;
        }
        if (errno == EMFILE || errno == ENFILE || errno == ENOMEM ||
            errno == ENOBUFS) {
          // Out of resources: back off instead of spinning on poll().
          pollfd wake = {wake_read_fd_, POLLIN, 0};
          ::poll(&wake, 1, 50);
        }
        break;
      }
    }
    // The oldest connections give way to new ones.
    size_t open = 0;
    for (const Connection& c : connections) open += c.fd >= 0 ? 1 : 0;
    for (Connection& c : connections) {
      if (open <= options_.max_pending_connections &&
          buffered <= options_.max_pending_bytes) {
        break;
      }
      if (c.fd < 0) continue;
      // A lingering connection was answered already.
      if (!c.lingering && options_.on_evicted) options_.on_evicted();
      close_connection(c);
      --open;
    }
    connections.erase(
        std::remove_if(connections.begin(), connections.end(),
                       [](const Connection& c) { return c.fd < 0; }),
        connections.end());
  }
  for (Connection& c : connections) {
    if (c.fd >= 0) ::close(c.fd);
  }
}

void HttpServer::Dispatch(Request request) {
  {
    absl::MutexLock lock(&mu_);
    if (queue_.size() < options_.max_queued_connections &&
        queued_bytes_ + request.bytes.size() <= options_.max_queued_bytes) {
      queued_bytes_ += request.bytes.size();
      queue_.push_back(std::move(request));
      return;
    }
  }
  if (options_.on_refused_busy) options_.on_refused_busy();
  Connection c{request.fd, absl::Now(), {}};
  Reject(c, 503, "too many requests waiting, try again");
  ::close(request.fd);
}

bool HttpServer::HasWorkOrStopping() const {
  return stopping_ || !queue_.empty();
}

void HttpServer::WorkerLoop() {
  while (true) {
    Request request;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &HttpServer::HasWorkOrStopping));
      if (stopping_) return;
      request = std::move(queue_.front());
      queue_.pop_front();
      queued_bytes_ -= request.bytes.size();
    }
    Serve(std::move(request));
  }
}

void HttpServer::Serve(Request request) {
  // The handler may be slow; the write gets its own timeout.
  router_->Serve(request.fd, std::move(request.bytes), wake_read_fd_,
                 options_.read_timeout);
  ::close(request.fd);
}

}  // namespace caserelay::admin
