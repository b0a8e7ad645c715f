#include "common/admin/httplib_router.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/admin/socket_io.h"

namespace caserelay::admin {
namespace {

// "ip", port of a socket address; "", -1 when it is not IP.
void IpAndPort(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &in.sin_addr, text, sizeof(text));
    port = ntohs(in.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof(text));
    port = ntohs(in6.sin6_port);
  } else {
    port = -1;
  }
  ip = text;
}

// The stream httplib reads one request from and writes the response to:
// reads come from the bytes the front already read, writes go to the socket
// (WriteAll: with a deadline and the shutdown pipe). Not thread-safe; one
// per request.
class BufferedStream final : public httplib::Stream {
 public:
  BufferedStream(int fd, std::string request, int wake_fd,
                 absl::Duration write_timeout)
      : fd_(fd),
        request_(std::move(request)),
        wake_fd_(wake_fd),
        write_timeout_(write_timeout) {}

  bool is_readable() const override { return read_ < request_.size(); }
  bool is_writable() const override { return !write_failed_; }

  ssize_t read(char* ptr, size_t size) override {
    const size_t n = std::min(size, request_.size() - read_);
    std::memcpy(ptr, request_.data() + read_, n);
    read_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (write_deadline_ == absl::InfinitePast()) {
      write_deadline_ = absl::Now() + write_timeout_;
    }
    if (write_failed_ ||
        !WriteAll(fd_, std::string_view(ptr, size), wake_fd_,
                  write_deadline_)) {
      write_failed_ = true;
      return -1;
    }
    return static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    ::getpeername(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    IpAndPort(address, ip, port);
  }

  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    IpAndPort(address, ip, port);
  }

  // Not a socket httplib may wait on: this stream never blocks in reading
  // and waits in writing with poll() and the shutdown pipe (WriteAll).
  // (Debian's httplib 0.11 is built with poll(), not select(): it imports
  // no select and has no FD_SETSIZE limit.)
  socket_t socket() const override { return INVALID_SOCKET; }

 private:
  const int fd_;
  const std::string request_;
  const int wake_fd_;
  const absl::Duration write_timeout_;
  absl::Time write_deadline_ = absl::InfinitePast();  // Set at first write.
  size_t read_ = 0;
  bool write_failed_ = false;
};

}  // namespace

HttplibRouter::HttplibRouter(std::map<std::string, admin::Handler> routes)
    : routes_(std::move(routes)) {
  // Every method reaches Dispatch, which routes by exact path; httplib
  // serves HEAD with the GET handler and drops the body.
  const auto dispatch = [this](const httplib::Request& in,
                               httplib::Response& out) { Dispatch(in, out); };
  const std::string any = ".*";
  Get(any, dispatch);
  Post(any, dispatch);
  Put(any, dispatch);
  Patch(any, dispatch);
  Delete(any, dispatch);
  Options(any, dispatch);
}

void HttplibRouter::Serve(int fd, std::string request, int wake_fd,
                          absl::Duration write_timeout) {
  BufferedStream stream(fd, std::move(request), wake_fd, write_timeout);
  bool connection_closed = false;
  process_request(stream, /*close_connection=*/true, connection_closed,
                  nullptr);
}

void HttplibRouter::Dispatch(const httplib::Request& in,
                             httplib::Response& out) const {
  // httplib decodes the path and splits the query its own way ('+' kept,
  // bad escapes kept); the contract is HttpRequest's, so both come from the
  // target as sent (fragment already dropped by httplib).
  HttpRequest request;
  request.method = in.method;
  const size_t question = in.target.find('?');
  request.path = in.target.substr(0, question);
  if (question != std::string::npos) {
    absl::StatusOr<std::map<std::string, std::string>> query =
        ParseQuery(std::string_view(in.target).substr(question + 1));
    if (!query.ok()) {
      out.status = 400;
      out.set_content(absl::StrCat("400 Bad Request: ",
                                   query.status().message(), "\n"),
                      "text/plain; charset=utf-8");
      return;
    }
    request.query = *std::move(query);
  }
  request.body = in.body;

  auto route = routes_.find(request.path);
  if (route == routes_.end()) {
    out.status = 404;
    out.set_content(absl::StrCat("404 Not Found: ", request.path, "\n"),
                    "text/plain; charset=utf-8");
    return;
  }
  HttpResponse response = route->second(request);
  out.status = response.status >= 100 && response.status <= 599
                   ? response.status
                   : 500;
  out.set_content(response.body, response.content_type);
}

}  // namespace caserelay::admin
