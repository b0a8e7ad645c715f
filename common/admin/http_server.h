// The admin HTTP server (管理端口) of every service: /healthz, /metrics and
// callback URLs such as the SMS gateway's delivery reports (状态报告).
//
// Two stages, so that a connection whose request has not arrived never
// holds a worker (issue 22 item 6: idle sockets starved /healthz):
//  - the front: one thread accepts connections and reads them without
//    blocking, all at once (poll), until each has sent one complete request
//    (head, and a body by Content-Length) within `read_timeout`;
//  - the workers: cpp-httplib (the HTTP library the web gateway uses too)
//    parses that request, calls the route's handler and writes the response.
// Why the front and its head check (http_message.h) are ours and not
// httplib's own listener and parser (measured on Debian's 0.11.4):
//  - httplib's server hands each accepted connection to a pool thread that
//    blocks reading it for up to its read timeout, so N stalled connections
//    hold N threads; HttpServerIdleTest and AdminPortTest need /healthz
//    answered within 1 s past 342 of them with 2 workers;
//  - its parser takes what the head check answers 400: a double space in
//    the request line, a target not starting with '/', a header line
//    without ':' or with a space in its name, a folded line, and
//    "Content-Length: x" (read as 0).
// One request per connection ("Connection: close"), exact path match for
// routing, any method. The server answers by itself:
//   400 a request that does not parse (request line, header, %-encoding of
//       the query)
//   404 a path with no route
//   408 a request that does not arrive in full within the read timeout
//   413 a request (head + body) larger than max_request_bytes
//   501 a Transfer-Encoding other than identity
//   503 a complete request when max_queued_connections requests (or
//       max_queued_bytes of them) already wait for a worker (and calls
//       on_refused_busy)
// A connection that sends nothing within the read timeout is closed without
// an answer. When more than max_pending_connections connections (or
// max_pending_bytes buffered bytes) are still arriving, the oldest of them
// is closed without an answer (and on_evicted called), so new requests
// keep being served.
// A HEAD request gets the handler's headers without the body.

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
  // Time allowed for the whole request to arrive (the connection holds no
  // worker meanwhile), and for the response to be written.
  absl::Duration read_timeout = absl::Seconds(10);
  int worker_threads = 2;
  // Complete requests waiting for a worker; beyond this they are answered
  // 503. A client that calls back in bulk (Kannel's smsbox: up to its
  // max-pending-requests, 512 by default, delivery reports at once) needs
  // a queue as long as its burst, or it retries each 503 a second later.
  size_t max_queued_connections = 64;
  // Request bytes waiting for a worker; beyond this a complete request is
  // answered 503. At least max_request_bytes.
  size_t max_queued_bytes = 16 << 20;
  // Called (on the server's front thread) for each request answered 503
  // because the queue was full, e.g. to count it; must not block. Null:
  // none.
  std::function<void()> on_refused_busy;
  // Called (on the front thread) for each connection closed unanswered
  // because max_pending_connections or max_pending_bytes was exceeded;
  // must not block. Null: none.
  std::function<void()> on_evicted;
  // Connections whose request is still arriving; beyond this the oldest is
  // closed without an answer. A client that opens a connection per request
  // in bulk (Kannel's smsbox, one per delivery report, hundreds at once)
  // needs room for its burst: each one closed is a report it sends again
  // a second later (issue 20 item 2).
  size_t max_pending_connections = 256;
  // Request bytes buffered for those connections; beyond this the oldest
  // are closed. At least max_request_bytes.
  size_t max_pending_bytes = 16 << 20;
};

class HttplibRouter;  // http_server.cc: the cpp-httplib part.

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

  // Stops accepting, closes connections whose request is still arriving or
  // waits for a worker (without an answer), lets running handlers finish,
  // joins every thread and closes every socket. Idempotent; a second call
  // returns once the first has finished.
  // REQUIRES: not called from a handler.
  void Shutdown();

 private:
  // A connection whose complete request waits for a worker.
  struct Request {
    int fd;
    std::string bytes;
  };

  HttpServer(int listen_fd, int port, int wake_read_fd, int wake_write_fd,
             std::map<std::string, Handler> routes, HttpServerOptions options);

  // The front: accepts and reads requests until Shutdown().
  void FrontLoop();
  // Queues a complete request for the workers, or answers 503.
  void Dispatch(Request request);
  void WorkerLoop();
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Answers one request and closes its connection.
  void Serve(Request request);

  // Const after construction.
  const int listen_fd_;
  const int port_;
  // A pipe whose read end becomes readable, for good, at Shutdown(); every
  // blocking poll() in the server also waits on it.
  const int wake_read_fd_;
  const int wake_write_fd_;
  const HttpServerOptions options_;
  // Thread-safe: only its const request processing is used concurrently.
  const std::unique_ptr<HttplibRouter> router_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::deque<Request> queue_ ABSL_GUARDED_BY(mu_);
  size_t queued_bytes_ ABSL_GUARDED_BY(mu_) = 0;  // Sum over queue_.

  // Serialises Shutdown(); guards the thread handles.
  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
  std::thread front_thread_ ABSL_GUARDED_BY(shutdown_mu_);
  std::vector<std::thread> workers_ ABSL_GUARDED_BY(shutdown_mu_);
};

}  // namespace caserelay::admin

#endif  // CASERELAY_COMMON_ADMIN_HTTP_SERVER_H_
