// HTTP/1.1 request parsing and response formatting for the admin server
// (http_server.h). Pure functions, no I/O; thread-safe.

#ifndef CASERELAY_COMMON_ADMIN_HTTP_MESSAGE_H_
#define CASERELAY_COMMON_ADMIN_HTTP_MESSAGE_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace caserelay::admin {

struct HttpRequest {
  std::string method;  // As sent, e.g. "GET".
  std::string path;    // The target before '?', not decoded, e.g. "/dlr".
  // The query string, URL-decoded ('+' is a space, %XX a byte). For a key
  // given twice the last value wins; a key without '=' maps to "".
  std::map<std::string, std::string> query;
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

// The request line and headers of a request.
struct RequestHead {
  std::string method;
  std::string target;   // e.g. "/dlr?id=1&status=8"
  std::string version;  // "HTTP/1.0" or "HTTP/1.1"
  // Header names lower-cased; a repeated header keeps the values joined by
  // ", " (RFC 9110 5.3).
  std::map<std::string, std::string> headers;
};

// Returns the offset just past the blank line ending the head in `data`
// ("\r\n\r\n", or "\n\n" from lenient clients), or std::string_view::npos
// when it has not arrived yet.
size_t FindEndOfHead(std::string_view data);

// Parses a head (request line and header lines, each ended by "\n" or
// "\r\n", optionally including the blank line). Returns INVALID_ARGUMENT
// naming the part that is malformed: the request line (three parts, a token
// method, a target starting with '/', HTTP/1.0 or HTTP/1.1), a header line
// (token name, ':' , no folded continuation lines).
absl::StatusOr<RequestHead> ParseRequestHead(std::string_view head);

// The body length the head announces: 0 without Content-Length. Returns
// INVALID_ARGUMENT for a Content-Length that is not a plain decimal number
// (or several different ones), UNIMPLEMENTED for a Transfer-Encoding other
// than "identity".
absl::StatusOr<size_t> BodyLength(const RequestHead& head);

// Decodes %XX escapes, and '+' as a space when `plus_is_space`. Returns
// INVALID_ARGUMENT for a '%' not followed by two hex digits.
absl::StatusOr<std::string> UrlDecode(std::string_view text,
                                      bool plus_is_space);

// Splits "a=1&b=x+y&c" into {a:1, b:"x y", c:""}, decoding keys and values
// as application/x-www-form-urlencoded. Empty pieces are skipped. Errors as
// UrlDecode.
absl::StatusOr<std::map<std::string, std::string>> ParseQuery(
    std::string_view query);

// "OK", "Not Found", ...; "Unknown" for codes it does not know.
const char* ReasonPhrase(int status);

// The full HTTP/1.1 response with Content-Type, Content-Length and
// "Connection: close"; the body only when `with_body` (false for HEAD). A
// status outside 100..599 is sent as 500.
std::string FormatResponse(const HttpResponse& response, bool with_body);

}  // namespace caserelay::admin

#endif  // CASERELAY_COMMON_ADMIN_HTTP_MESSAGE_H_
