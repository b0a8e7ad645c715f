// A small HTTP/1.1 client (HTTP 客户端) for calling gateways such as
// Kannel's sendsms: one GET per connection (HttpGet) or one after the
// other on a kept-alive connection (HttpConnection), plain http:// only,
// with one deadline for each call. cpp-httplib's client (the HTTP library the admin
// server and the web gateway use too) writes the request and reads the
// response; the connection is made here, so that a failure to connect
// names its reason (httplib 0.11 does not).
//
// Its error codes say what may have happened to the request, because a
// caller that sends SMS must never send twice by accident:
//   INVALID_ARGUMENT  the URL or the timeout is bad; nothing was attempted.
//   UNAVAILABLE       no connection was made (host unresolvable, connection
//                     refused, no route, connect timed out): the request
//                     certainly was not sent.
//   UNKNOWN           a connection was made and writing the request began
//                     (a failed write counts: httplib does not say how much
//                     of it left), but no complete response came back
//                     (timeout, reset, close, garbled response): the server
//                     may have acted on it.
// Any complete response is a success, whatever its status code.
//
// HttpGet is thread-safe (no shared state); an HttpConnection is used by
// one thread at a time.

#ifndef CASERELAY_COMMON_ADMIN_HTTP_CLIENT_H_
#define CASERELAY_COMMON_ADMIN_HTTP_CLIENT_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caserelay::admin {

// The parts of an http:// URL that a request needs.
struct HttpUrl {
  std::string host;  // without brackets for IPv6
  int port = 80;
  // The request target: path and query, "/" when the URL has no path, e.g.
  // "/cgi-bin/sendsms?user=a". A fragment ("#...") is dropped.
  std::string target;
};

// Parses "http://host[:port][/path][?query][#fragment]" (the scheme in any
// case; host a name, an IPv4 address or a bracketed IPv6 literal, as
// config::ParseHostPort accepts; port 1..65535, 80 when absent).
// Returns INVALID_ARGUMENT naming what is wrong: another scheme (https is
// not supported), user info ("user@"), an empty or malformed host or port,
// or a target with a space, a control character or a byte above 0x7E
// (the target must already be %-encoded).
absl::StatusOr<HttpUrl> ParseHttpUrl(std::string_view url);

// %-encodes every byte except the unreserved characters of RFC 3986
// (A-Z a-z 0-9 - . _ ~), with upper-case hex digits: the inverse of
// UrlDecode (http_message.h) for a query parameter's name or value.
std::string UrlEncode(std::string_view bytes);

struct HttpClientResponse {
  int status = 0;      // e.g. 202
  std::string reason;  // e.g. "Accepted"
  // Header names lower-cased; a repeated header keeps the values joined by
  // ", ".
  std::map<std::string, std::string> headers;
  std::string body;  // de-chunked when the server sent it chunked
};

// The largest response body HttpGet accepts (httplib bounds the head); a
// larger one is UNKNOWN.
inline constexpr size_t kMaxHttpResponseBytes = 1 << 20;

// Sends "GET <target> HTTP/1.1" with "Host" and "Connection: close" to
// `url` and reads the response: the body by Content-Length, by chunked
// transfer coding, or (with neither) until the server closes. An interim
// "100 Continue" is skipped. `timeout` bounds connecting, what is left of
// it then bounds each wait to write or read, and once the response head or
// a piece of the body arrives after `timeout` from the start the call ends
// UNKNOWN (so a server trickling its head, at most httplib's head limit,
// can stretch the call; name resolution is the system's and may take
// longer).
//
// Returns the response, whatever its status code. Errors (see the file
// comment for what each says about the request):
//   INVALID_ARGUMENT  `url` does not parse (ParseHttpUrl) or `timeout` is
//                     not positive;
//   UNAVAILABLE       no connection could be made, naming the address and
//                     the reason;
//   UNKNOWN           writing the request began but no complete response
//                     arrived within `timeout`, or the response was
//                     malformed, had a status outside 100..599, or a body
//                     larger than kMaxHttpResponseBytes.
absl::StatusOr<HttpClientResponse> HttpGet(const std::string& url,
                                           absl::Duration timeout);

// A kept-alive HTTP/1.1 connection (持久连接) to one server, for a caller
// that sends many requests to one gateway (notification's Kannel gateway,
// one connection per request in flight): no request after the first pays
// a connect, and many callers do not flood a server whose listen backlog
// is short (Kannel's smsbox listens with 10: more connects at once are
// dropped and retried by the kernel a second later).
//
// Get is HttpGet on the kept connection, with the same error codes and
// what they say about the request (file comment): UNAVAILABLE only when
// this call had to connect and could not (the request certainly was not
// sent); once a request was written, on a new or a reused connection, a
// missing answer is UNKNOWN. Before reusing the connection Get closes it
// and connects anew when the server has closed its end (or sent something
// unasked), or it has been idle longer than `max_idle` (a server closing
// an idle connection just as the request goes would make it UNKNOWN).
// After any error the connection is dropped; the next Get connects.
//
// Thread safety: thread-compatible (one call at a time).
class HttpConnection {
 public:
  // For the server of `url` (ParseHttpUrl: only host and port are used).
  // INVALID_ARGUMENT for a URL that does not parse or a max_idle <= 0.
  // Connects on the first Get, not here.
  static absl::StatusOr<std::unique_ptr<HttpConnection>> Create(
      const std::string& url, absl::Duration max_idle = absl::Seconds(2));
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // GETs `target` ("/path?query", already %-encoded) with "Host" and no
  // "Connection: close". Errors as HttpGet's; INVALID_ARGUMENT (nothing
  // attempted) for a timeout <= 0 or a target that does not start with
  // '/' or has a space, control or non-ASCII byte.
  absl::StatusOr<HttpClientResponse> Get(const std::string& target,
                                         absl::Duration timeout);

  // Connections made so far (1 if every Get reused the first).
  int connects() const { return connects_; }

 private:
  struct Kept;  // httplib's client and its socket
  HttpConnection(std::string host, int port, absl::Duration max_idle);

  const std::string host_;
  const int port_;
  const std::string where_;  // host:port, for messages
  const absl::Duration max_idle_;
  std::unique_ptr<Kept> kept_;
  absl::Time last_used_ = absl::InfinitePast();
  int connects_ = 0;
};

}  // namespace caserelay::admin

#endif  // CASERELAY_COMMON_ADMIN_HTTP_CLIENT_H_
