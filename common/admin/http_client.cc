#include "common/admin/http_client.h"

#include <fcntl.h>
#include <httplib.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "common/config/config.h"

namespace caserelay::admin {
namespace {

// Waits for `events` on `fd` until `deadline`; false on timeout.
bool WaitFor(int fd, short events, absl::Time deadline) {
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    pollfd p = {fd, events, 0};
    const int64_t ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(left));
    const int n =
        ::poll(&p, 1, static_cast<int>(std::min<int64_t>(ms, 1 << 30)));
    if (n < 0 && errno == EINTR) continue;
    if (n != 0) return true;  // Ready, or an error that the caller reads.
  }
}

// Connects to one resolved address before `deadline`: the socket (in
// blocking mode, as httplib uses it), or -1 with `*error` set.
int ConnectOne(const addrinfo& ai, absl::Time deadline, std::string* error) {
  const int fd =
      ::socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
               ai.ai_protocol);
  if (fd < 0) {
    *error = std::strerror(errno);
    return -1;
  }
  int err = 0;
  if (::connect(fd, ai.ai_addr, ai.ai_addrlen) != 0) {
    if (errno != EINPROGRESS && errno != EINTR) {
      err = errno;
    } else if (!WaitFor(fd, POLLOUT, deadline)) {
      *error = "connect timed out";
      ::close(fd);
      return -1;
    } else {
      socklen_t len = sizeof(err);
      if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    }
  }
  if (err == 0 &&
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
    err = errno;
  }
  if (err != 0) {
    *error = std::strerror(err);
    ::close(fd);
    return -1;
  }
  return fd;
}

// httplib's client, but connecting by itself so that a failed connection
// names its reason ("Connection refused", "connect timed out"): httplib 0.11
// says only "Connection". Everything HTTP (writing the request, reading and
// decoding the response) is httplib's. One request per instance, or (kept
// alive, HttpConnection) one request after the other.
class Client final : public httplib::ClientImpl {
 public:
  Client(const std::string& host, int port, absl::Time deadline)
      : httplib::ClientImpl(host, port),
        host_name_(host),
        port_number_(port),
        deadline_(deadline) {}

  // Why the connection failed; "" before a failure.
  const std::string& connect_error() const { return connect_error_; }

  // Starts the next request on a kept-alive connection: its deadline, and
  // the connection closed first if the server closed its end or sent
  // something unasked (the socket is readable), or it has been idle since
  // `idle_since` for longer than `max_idle` (a server may be closing it
  // just then). The request then connects anew.
  void Next(absl::Time deadline, absl::Time idle_since,
            absl::Duration max_idle) {
    deadline_ = deadline;
    connect_error_.clear();
    connected_ = false;
    std::lock_guard<std::mutex> guard(socket_mutex_);
    if (!socket_.is_open()) return;
    pollfd p = {socket_.sock, POLLIN, 0};
    const bool readable = ::poll(&p, 1, 0) != 0;
    if (readable || absl::Now() - idle_since > max_idle) {
      shutdown_socket(socket_);
      close_socket(socket_);
    }
  }
  // Whether the last request made a new connection (false: it reused one).
  bool connected() const { return connected_; }

 protected:
  bool create_and_connect_socket(Socket& socket,
                                 httplib::Error& error) override {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const int gai =
        ::getaddrinfo(host_name_.c_str(), std::to_string(port_number_).c_str(),
                      &hints, &found);
    if (gai != 0) {
      connect_error_ = absl::StrCat("cannot resolve: ", ::gai_strerror(gai));
      error = httplib::Error::Connection;
      return false;
    }
    int fd = -1;
    std::string why = "no address";
    for (addrinfo* ai = found; ai != nullptr && fd < 0; ai = ai->ai_next) {
      fd = ConnectOne(*ai, deadline_, &why);
    }
    ::freeaddrinfo(found);
    if (fd < 0) {
      connect_error_ = absl::StrCat("cannot connect: ", why);
      error = why == "connect timed out" ? httplib::Error::ConnectionTimeout
                                         : httplib::Error::Connection;
      return false;
    }
    // Every wait to write or read gets what is left of the call's time, in
    // whole milliseconds up (httplib's poll() cuts to milliseconds, and a
    // wait must not end before the deadline).
    const std::chrono::microseconds left = absl::ToChronoMicroseconds(
        std::max(absl::Ceil(deadline_ - absl::Now(), absl::Milliseconds(1)),
                 absl::Milliseconds(1)));
    set_read_timeout(left);
    set_write_timeout(left);
    socket.sock = fd;
    connected_ = true;
    return true;
  }

 private:
  const std::string host_name_;
  const int port_number_;
  absl::Time deadline_;
  std::string connect_error_;
  bool connected_ = false;
};

// httplib's headers as HttpClientResponse keeps them: names lower-cased, a
// repeated header's values joined by ", " in the order they came.
std::map<std::string, std::string> LowerCaseHeaders(
    const httplib::Headers& headers) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : headers) {
    auto [it, inserted] = out.emplace(absl::AsciiStrToLower(name), value);
    if (!inserted) absl::StrAppend(&it->second, ", ", value);
  }
  return out;
}

// What a failed call says about its request (see http_client.h): only a
// failure to connect is UNAVAILABLE; from the first write on, UNKNOWN.
// `connect_error`: why no connection was made, if none was; `head`: the
// response head when it arrived (status 0 otherwise); `stopped`:
// why one of HttpGet's callbacks ended the call, empty if none did.
absl::Status Failure(httplib::Error error, absl::string_view where,
                     absl::Duration timeout, const std::string& connect_error,
                     const HttpClientResponse& head,
                     const std::string& stopped) {
  if (!connect_error.empty()) {
    return absl::UnavailableError(
        absl::StrCat("HTTP GET ", where, ": ", connect_error));
  }
  std::string why;
  if (error == httplib::Error::Canceled && !stopped.empty()) {
    why = stopped;
  } else if (error == httplib::Error::Write) {
    // httplib does not say how much of the request left: some may have.
    why = "connection lost while writing the request";
  } else if (error == httplib::Error::Read && head.status == 0) {
    why = absl::StrCat("no complete response within ",
                       absl::FormatDuration(timeout),
                       " (closed, reset, timed out or not HTTP)");
  } else if (error == httplib::Error::Read) {
    auto length = head.headers.find("content-length");
    why = length == head.headers.end()
              ? std::string(
                    "no complete response: the body was cut off or "
                    "late")
              : absl::StrCat("no complete response: the ", length->second,
                             "-byte body was cut off or late");
  } else {
    why = absl::StrCat("no complete response: ", httplib::to_string(error));
  }
  return absl::UnknownError(
      absl::StrCat("HTTP GET ", where, ": ", why,
                   " (the request was sent and may have been acted on)"));
}

}  // namespace

absl::StatusOr<HttpUrl> ParseHttpUrl(std::string_view url_in) {
  const absl::string_view url(url_in.data(), url_in.size());
  auto bad = [url](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad URL \"", url, "\": ", why));
  };
  constexpr absl::string_view kScheme = "http://";
  if (url.size() < kScheme.size() ||
      !absl::EqualsIgnoreCase(url.substr(0, kScheme.size()), kScheme)) {
    return bad("only http:// URLs are supported");
  }
  absl::string_view rest = url.substr(kScheme.size());
  const size_t authority_end = rest.find_first_of("/?#");
  absl::string_view authority = rest.substr(0, authority_end);
  absl::string_view target = authority_end == absl::string_view::npos
                                 ? absl::string_view()
                                 : rest.substr(authority_end);
  if (authority.empty()) return bad("no host");
  if (authority.find('@') != absl::string_view::npos) {
    return bad("user info (\"user@\") is not supported");
  }
  std::string host_port(authority);
  const size_t bracket = authority.rfind(']');
  const size_t colon = authority.rfind(':');
  if (colon == absl::string_view::npos ||
      (bracket != absl::string_view::npos && colon < bracket)) {
    host_port += ":80";
  }
  absl::StatusOr<config::HostPort> address = config::ParseHostPort(host_port);
  if (!address.ok()) return bad(address.status().message());
  if (address->port == 0) return bad("port 0");
  target = target.substr(0, target.find('#'));
  for (char c : target) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F) {
      return bad(
          "the path or query has a space, control or non-ASCII byte "
          "(it must be %-encoded)");
    }
  }
  HttpUrl out;
  out.host = address->host;
  out.port = address->port;
  out.target = target.empty() || target[0] != '/' ? absl::StrCat("/", target)
                                                  : std::string(target);
  return out;
}

std::string UrlEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 3);
  for (char c : bytes) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(u) || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xF]);
    }
  }
  return out;
}

namespace {

// One GET of `target` through `client`, whose deadline is `deadline`
// (`timeout` from the call's start); `keep_alive`: let the server keep the
// connection for the next request.
absl::StatusOr<HttpClientResponse> DoGet(Client& client,
                                         const std::string& where,
                                         const std::string& target,
                                         absl::Duration timeout,
                                         absl::Time deadline, bool keep_alive) {
  client.set_keep_alive(keep_alive);
  client.set_follow_location(false);
  // The target is already %-encoded (ParseHttpUrl); httplib's own encoding
  // would turn a '+' (a space in a query) into "%2B".
  client.set_url_encode(false);
  // A kept connection's waits get what is left of this call's time (a new
  // connection sets them again when it connects).
  const std::chrono::microseconds left = absl::ToChronoMicroseconds(
      std::max(absl::Ceil(deadline - absl::Now(), absl::Milliseconds(1)),
               absl::Milliseconds(1)));
  client.set_read_timeout(left);
  client.set_write_timeout(left);
  httplib::Headers headers = {{"Host", where}, {"User-Agent", "caserelay"}};
  if (!keep_alive) headers.emplace("Connection", "close");

  // The head once it arrived, and the body so far; `stopped` says why a
  // callback ended the call, if one did.
  HttpClientResponse response;
  std::string stopped;
  auto in_time = [&] {
    if (absl::Now() <= deadline) return true;
    stopped = absl::StrCat("no complete response within ",
                           absl::FormatDuration(timeout));
    return false;
  };
  httplib::Result result = client.Get(
      target, headers,
      [&](const httplib::Response& head) {
        response.status = head.status;
        response.reason = head.reason;
        response.headers = LowerCaseHeaders(head.headers);
        if (head.status < 100 || head.status > 599) {
          stopped = absl::StrCat("malformed response status ", head.status);
          return false;
        }
        return in_time();
      },
      [&](const char* data, size_t size) {
        if (response.body.size() + size > kMaxHttpResponseBytes) {
          stopped = "response larger than the limit";
          return false;
        }
        response.body.append(data, size);
        return in_time();
      });
  if (!result) {
    return Failure(result.error(), where, timeout, client.connect_error(),
                   response, stopped);
  }
  // A 204 or 304 reaches neither callback: its head comes with the result.
  response.status = result->status;
  response.reason = result->reason;
  response.headers = LowerCaseHeaders(result->headers);
  return response;
}

}  // namespace

absl::StatusOr<HttpClientResponse> HttpGet(const std::string& url,
                                           absl::Duration timeout) {
  absl::StatusOr<HttpUrl> parsed = ParseHttpUrl(url);
  if (!parsed.ok()) return parsed.status();
  if (timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("HttpGet ", url, ": timeout must be positive"));
  }
  const absl::Time deadline = absl::Now() + timeout;
  const std::string where =
      config::HostPort{parsed->host, parsed->port}.ToString();
  Client client(parsed->host, parsed->port, deadline);
  return DoGet(client, where, parsed->target, timeout, deadline,
               /*keep_alive=*/false);
}

struct HttpConnection::Kept {
  Kept(const std::string& host, int port)
      : client(host, port, absl::InfinitePast()) {}
  Client client;
};

HttpConnection::HttpConnection(std::string host, int port,
                               absl::Duration max_idle)
    : host_(std::move(host)),
      port_(port),
      where_(config::HostPort{host_, port_}.ToString()),
      max_idle_(max_idle),
      kept_(std::make_unique<Kept>(host_, port_)) {}

HttpConnection::~HttpConnection() = default;

absl::StatusOr<std::unique_ptr<HttpConnection>> HttpConnection::Create(
    const std::string& url, absl::Duration max_idle) {
  absl::StatusOr<HttpUrl> parsed = ParseHttpUrl(url);
  if (!parsed.ok()) return parsed.status();
  if (max_idle <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("HttpConnection ", url, ": max_idle must be positive"));
  }
  return std::unique_ptr<HttpConnection>(
      new HttpConnection(parsed->host, parsed->port, max_idle));
}

absl::StatusOr<HttpClientResponse> HttpConnection::Get(
    const std::string& target, absl::Duration timeout) {
  if (timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "HttpConnection::Get ", where_, ": timeout must be positive"));
  }
  if (target.empty() || target[0] != '/') {
    return absl::InvalidArgumentError(absl::StrCat(
        "HttpConnection::Get ", where_, ": the target must start with /"));
  }
  for (char c : target) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F) {
      return absl::InvalidArgumentError(absl::StrCat(
          "HttpConnection::Get ", where_,
          ": the target has a space, control or non-ASCII byte"));
    }
  }
  const absl::Time deadline = absl::Now() + timeout;
  Client& client = kept_->client;
  client.Next(deadline, last_used_, max_idle_);
  absl::StatusOr<HttpClientResponse> response =
      DoGet(client, where_, target, timeout, deadline, /*keep_alive=*/true);
  last_used_ = absl::Now();
  if (client.connected()) ++connects_;
  if (!response.ok()) {
    // Whatever is left of the connection is not used again.
    kept_ = std::make_unique<Kept>(host_, port_);
  }
  return response;
}

}  // namespace caserelay::admin
