// The cpp-httplib part of the admin server (http_server.h): given the bytes
// of one complete request, httplib parses it, the route's Handler answers it
// and httplib writes the response to the connection. Internal to
// common/admin: only .cc files include it (it includes <httplib.h>).

#ifndef CASERELAY_COMMON_ADMIN_HTTPLIB_ROUTER_H_
#define CASERELAY_COMMON_ADMIN_HTTPLIB_ROUTER_H_

#include <httplib.h>

#include <map>
#include <string>

#include "absl/time/time.h"
#include "common/admin/http_server.h"

namespace caserelay::admin {

// Routes requests by exact path to Handlers, through httplib's request
// parser and response writer.
//
// Thread safety: Serve() may run concurrently on many threads (the routes
// are const after construction).
class HttplibRouter final : public httplib::Server {
 public:
  // REQUIRES: every route starts with '/' and has a handler.
  explicit HttplibRouter(std::map<std::string, admin::Handler> routes);

  // Answers the request in `request` (one complete request: head and body)
  // on socket `fd`, writing for at most `write_timeout` from the first byte
  // of the response (the handler's own time does not count), or until
  // `wake_fd` becomes readable with `fd` not writable. Does not close `fd`. A request
  // that httplib cannot parse is answered 400; a query with a bad
  // %-escape 400; a path without a route 404.
  void Serve(int fd, std::string request, int wake_fd,
             absl::Duration write_timeout);

 private:
  void Dispatch(const httplib::Request& in, httplib::Response& out) const;

  const std::map<std::string, admin::Handler> routes_;
};

}  // namespace caserelay::admin

#endif  // CASERELAY_COMMON_ADMIN_HTTPLIB_ROUTER_H_
