#include "common/admin/http_client.h"

#include <httplib.h>

#include <chrono>
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
// `head`: the response head when it arrived (status 0 otherwise); `stopped`:
// why one of HttpGet's callbacks ended the call, empty if none did.
absl::Status Failure(httplib::Error error, absl::string_view where,
                     absl::Duration timeout, const HttpClientResponse& head,
                     const std::string& stopped) {
  switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::BindIPAddress:
      return absl::UnavailableError(absl::StrCat(
          "HTTP GET ", where,
          ": cannot connect (refused, unreachable or not resolvable)"));
    case httplib::Error::ConnectionTimeout:
      return absl::UnavailableError(absl::StrCat(
          "HTTP GET ", where, ": cannot connect: connect timed out after ",
          absl::FormatDuration(timeout)));
    default:
      break;
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
              ? std::string("no complete response: the body was cut off or "
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

  httplib::Client client(parsed->host, parsed->port);
  const std::chrono::microseconds wait = absl::ToChronoMicroseconds(timeout);
  client.set_connection_timeout(wait);
  client.set_read_timeout(wait);
  client.set_write_timeout(wait);
  client.set_keep_alive(false);
  client.set_follow_location(false);
  // The target is already %-encoded (ParseHttpUrl); httplib's own encoding
  // would turn a '+' (a space in a query) into "%2B".
  client.set_url_encode(false);
  const httplib::Headers headers = {
      {"Host", where}, {"Connection", "close"}, {"User-Agent", "caserelay"}};

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
      parsed->target, headers,
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
    return Failure(result.error(), where, timeout, response, stopped);
  }
  // A 204 or 304 reaches neither callback: its head comes with the result.
  response.status = result->status;
  response.reason = result->reason;
  response.headers = LowerCaseHeaders(result->headers);
  return response;
}

}  // namespace caserelay::admin
