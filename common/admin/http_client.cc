#include "common/admin/http_client.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "common/admin/http_message.h"
#include "common/config/config.h"

namespace caserelay::admin {
namespace {

// Closes the socket when it goes out of scope.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }

 private:
  const int fd_;
};

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
    if (n != 0) return true;  // Ready, or an error that the next call reports.
  }
}

// Connects to one resolved address before `deadline`: the socket, or -1 with
// `*error` set.
int ConnectOne(const addrinfo& ai, absl::Time deadline, std::string* error) {
  const int fd =
      ::socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
               ai.ai_protocol);
  if (fd < 0) {
    *error = std::strerror(errno);
    return -1;
  }
  if (::connect(fd, ai.ai_addr, ai.ai_addrlen) == 0) return fd;
  if (errno != EINPROGRESS && errno != EINTR) {
    *error = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  if (!WaitFor(fd, POLLOUT, deadline)) {
    *error = "connect timed out";
    ::close(fd);
    return -1;
  }
  int err = 0;
  socklen_t len = sizeof(err);
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err != 0) {
    *error = std::strerror(err);
    ::close(fd);
    return -1;
  }
  return fd;
}

// The parsed status line and headers of a response.
struct ResponseHead {
  int status = 0;
  std::string reason;
  std::map<std::string, std::string> headers;
};

// Parses "HTTP/1.x SSS reason" and the header lines; false if malformed.
bool ParseResponseHead(absl::string_view head, ResponseHead* out) {
  bool first = true;
  while (!head.empty()) {
    size_t eol = head.find('\n');
    absl::string_view line = head.substr(0, eol);
    head.remove_prefix(eol == absl::string_view::npos ? head.size() : eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    if (first) {
      first = false;
      if (line.size() < 12 || !absl::StartsWith(line, "HTTP/1.") ||
          line[8] != ' ' || (line.size() > 12 && line[12] != ' ')) {
        return false;
      }
      if (!absl::SimpleAtoi(line.substr(9, 3), &out->status) ||
          out->status < 100 || out->status > 599) {
        return false;
      }
      out->reason = std::string(line.size() > 12 ? line.substr(13) : "");
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos || colon == 0) return false;
    std::string name = absl::AsciiStrToLower(line.substr(0, colon));
    std::string value(absl::StripAsciiWhitespace(line.substr(colon + 1)));
    auto [it, inserted] = out->headers.emplace(name, value);
    if (!inserted) absl::StrAppend(&it->second, ", ", value);
  }
  return !first;
}

enum class Decoded { kComplete, kNeedMore, kBad };

// Decodes a chunked body (RFC 9112 7.1) from `in` into `out`.
Decoded DecodeChunked(absl::string_view in, std::string* out) {
  out->clear();
  while (true) {
    const size_t eol = in.find("\r\n");
    if (eol == absl::string_view::npos) return Decoded::kNeedMore;
    absl::string_view size_text = in.substr(0, eol);
    size_text = size_text.substr(0, size_text.find(';'));  // Extensions.
    size_text = absl::StripAsciiWhitespace(size_text);
    size_t size = 0;
    if (size_text.empty() || size_text.size() > 8) return Decoded::kBad;
    for (char c : size_text) {
      if (!absl::ascii_isxdigit(c)) return Decoded::kBad;
      size = size * 16 +
             static_cast<size_t>(absl::ascii_isdigit(c)
                                     ? c - '0'
                                     : absl::ascii_tolower(c) - 'a' + 10);
    }
    in.remove_prefix(eol + 2);
    if (size == 0) {
      // Trailer lines, then the empty line.
      while (true) {
        const size_t end = in.find("\r\n");
        if (end == absl::string_view::npos) return Decoded::kNeedMore;
        if (end == 0) return Decoded::kComplete;
        in.remove_prefix(end + 2);
      }
    }
    if (in.size() < size + 2) return Decoded::kNeedMore;
    if (in.substr(size, 2) != "\r\n") return Decoded::kBad;
    out->append(in.data(), size);
    in.remove_prefix(size + 2);
  }
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

  // Connect. Every failure up to here is UNAVAILABLE: nothing was sent.
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const int gai =
      ::getaddrinfo(parsed->host.c_str(), std::to_string(parsed->port).c_str(),
                    &hints, &found);
  if (gai != 0) {
    return absl::UnavailableError(absl::StrCat(
        "HTTP GET ", where, ": cannot resolve: ", ::gai_strerror(gai)));
  }
  int fd = -1;
  std::string error = "no address";
  for (addrinfo* ai = found; ai != nullptr && fd < 0; ai = ai->ai_next) {
    fd = ConnectOne(*ai, deadline, &error);
  }
  ::freeaddrinfo(found);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("HTTP GET ", where, ": cannot connect: ", error));
  }
  Socket socket(fd);

  // Write. Once a byte has gone, the server may act on the request.
  const std::string request =
      absl::StrCat("GET ", parsed->target, " HTTP/1.1\r\nHost: ", where,
                   "\r\nConnection: close\r\nUser-Agent: caserelay\r\n\r\n");
  auto unknown = [&](absl::string_view why) {
    return absl::UnknownError(
        absl::StrCat("HTTP GET ", where, ": ", why,
                     " (the request was sent and may have been acted on)"));
  };
  absl::string_view pending = request;
  bool wrote_any = false;
  while (!pending.empty()) {
    const ssize_t n = ::send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
    if (n > 0) {
      wrote_any = true;
      pending.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!WaitFor(fd, POLLOUT, deadline)) {
        if (!wrote_any) {
          return absl::UnavailableError(absl::StrCat(
              "HTTP GET ", where, ": could not write the request in time"));
        }
        return unknown(absl::StrCat("timed out writing after ",
                                    absl::FormatDuration(timeout)));
      }
      continue;
    }
    const std::string why = std::strerror(errno);
    if (!wrote_any) {
      return absl::UnavailableError(absl::StrCat(
          "HTTP GET ", where, ": connection lost before the request: ", why));
    }
    return unknown(absl::StrCat("connection lost while writing: ", why));
  }

  // Read. Returns false at end of stream; sets `failure` on errors.
  std::string data;
  std::string failure;
  auto read_more = [&]() -> bool {
    if (data.size() > kMaxHttpResponseBytes) {
      failure = "response larger than the limit";
      return false;
    }
    while (true) {
      if (!WaitFor(fd, POLLIN, deadline)) {
        failure = absl::StrCat("no complete response within ",
                               absl::FormatDuration(timeout));
        return false;
      }
      char buf[16384];
      const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
      if (n > 0) {
        data.append(buf, static_cast<size_t>(n));
        return true;
      }
      if (n == 0) return false;
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      failure =
          absl::StrCat("connection lost while reading: ", std::strerror(errno));
      return false;
    }
  };
  auto cut_off = [&](absl::string_view what) {
    return unknown(failure.empty()
                       ? absl::StrCat("connection closed before ", what)
                       : failure);
  };

  ResponseHead head;
  size_t head_end = absl::string_view::npos;
  while (true) {
    head_end = FindEndOfHead(data);
    if (head_end == absl::string_view::npos) {
      if (!read_more()) return cut_off("a complete response head");
      continue;
    }
    head = ResponseHead();
    if (!ParseResponseHead(absl::string_view(data).substr(0, head_end),
                           &head)) {
      return unknown("malformed response head");
    }
    if (head.status >= 200) break;
    data.erase(0, head_end);  // An interim 1xx response: the next follows.
  }

  HttpClientResponse response;
  response.status = head.status;
  response.reason = std::move(head.reason);
  response.headers = std::move(head.headers);
  if (response.status == 204 || response.status == 304) return response;

  std::string transfer_encoding;
  if (auto it = response.headers.find("transfer-encoding");
      it != response.headers.end()) {
    transfer_encoding = absl::AsciiStrToLower(it->second);
  }
  if (transfer_encoding == "chunked") {
    while (true) {
      const Decoded d = DecodeChunked(absl::string_view(data).substr(head_end),
                                      &response.body);
      if (d == Decoded::kComplete) return response;
      if (d == Decoded::kBad) return unknown("malformed chunked body");
      if (!read_more()) return cut_off("the end of the chunked body");
    }
  }
  if (!transfer_encoding.empty() && transfer_encoding != "identity") {
    return unknown(absl::StrCat("unsupported Transfer-Encoding \"",
                                transfer_encoding, "\""));
  }
  if (auto it = response.headers.find("content-length");
      it != response.headers.end()) {
    size_t length = 0;
    if (it->second.empty() ||
        !std::all_of(it->second.begin(), it->second.end(),
                     [](char c) { return absl::ascii_isdigit(c); }) ||
        !absl::SimpleAtoi(it->second, &length) ||
        length > kMaxHttpResponseBytes) {
      return unknown(absl::StrCat("bad Content-Length \"", it->second, "\""));
    }
    while (data.size() < head_end + length) {
      if (!read_more()) {
        return cut_off(absl::StrCat("the ", length, "-byte body"));
      }
    }
    response.body = data.substr(head_end, length);
    return response;
  }
  while (read_more()) {
  }
  if (!failure.empty()) return unknown(failure);
  response.body = data.substr(head_end);
  return response;
}

}  // namespace caserelay::admin
