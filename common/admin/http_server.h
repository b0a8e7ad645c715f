// The admin HTTP server (管理端口) of every service: /healthz, /metrics and
// callback URLs such as the SMS gateway's delivery reports (状态报告).
//
// A deliberately small HTTP/1.1 server on plain POSIX sockets: one request
// per connection ("Connection: close"), bodies by Content-Length only, exact
// path match for routing. It answers by itself:
//   400 a request that does not parse (request line, header, %-encoding)
//   404 a path with no route
//   408 a request that does not arrive in full within the read timeout
//   413 a request (head + body) larger than max_request_bytes
//   501 a Transfer-Encoding other than identity
// A HEAD request gets the handler's headers without the body.
//
// Threads: one accept thread and `worker_threads` workers, each serving one
// connection at a time. Connections wait in a bounded queue; when it is full
// new connections are closed at once.

#ifndef CASERELAY_COMMON_ADMIN_HTTP_SERVER_H_
#define CASERELAY_COMMON_ADMIN_HTTP_SERVER_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/admin/http_message.h"

namespace caserelay::admin {

// HttpRequest and HttpResponse are declared in http_message.h.

// Handles one request. Called on a worker thread, possibly concurrently with
// itself for other connections; must not call HttpServer::Shutdown().
using Handler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  // Largest request accepted, request line + headers + body.
  size_t max_request_bytes = 1 << 20;
  // Time allowed for the whole request to arrive, and for the response to
  // be written.
  absl::Duration read_timeout = absl::Seconds(10);
  int worker_threads = 2;
  // Accepted connections waiting for a worker; beyond this they are closed.
  size_t max_queued_connections = 64;
};

// Thread safety: thread-safe. port() may be called from any thread;
// Shutdown() may be called from any thread but a handler's.
class HttpServer {
 public:
  // Binds `listen` ("host:port" or "[ipv6]:port", parsed by
  // config::ParseHostPort; port 0 picks a free port), starts the threads and
  // returns the running server. `routes` maps exact paths ("/healthz") to
  // handlers.
  // Errors: INVALID_ARGUMENT for a malformed address, an unresolvable host,
  // a route not starting with '/', an empty handler or bad options;
  // UNAVAILABLE when the address cannot be bound (e.g. in use) or listened
  // on, naming the address.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Create(
      const std::string& listen, std::map<std::string, Handler> routes,
      HttpServerOptions options = {});

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Calls Shutdown().
  ~HttpServer();

  // The bound port (the kernel's choice when created with port 0).
  int port() const { return port_; }

  // Stops accepting, interrupts connections that are waiting for request
  // bytes, lets running handlers finish, joins every thread and closes every
  // socket. Idempotent; a second call returns once the first has finished.
  // REQUIRES: not called from a handler.
  void Shutdown();

 private:
  HttpServer(int listen_fd, int port, int wake_read_fd, int wake_write_fd,
             std::map<std::string, Handler> routes, HttpServerOptions options);

  void AcceptLoop();
  void WorkerLoop();
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Serve(int fd);

  // Const after construction.
  const int listen_fd_;
  const int port_;
  // A pipe whose read end becomes readable, for good, at Shutdown(); every
  // blocking poll() in the server also waits on it.
  const int wake_read_fd_;
  const int wake_write_fd_;
  const std::map<std::string, Handler> routes_;
  const HttpServerOptions options_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::deque<int> queue_ ABSL_GUARDED_BY(mu_);

  // Serialises Shutdown(); guards the thread handles.
  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
  std::thread accept_thread_ ABSL_GUARDED_BY(shutdown_mu_);
  std::vector<std::thread> workers_ ABSL_GUARDED_BY(shutdown_mu_);
};

}  // namespace caserelay::admin

#endif  // CASERELAY_COMMON_ADMIN_HTTP_SERVER_H_
