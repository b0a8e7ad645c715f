#include "common/admin/http_message.h"

#include <cctype>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace caserelay::admin {
namespace {

bool IsTokenChar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Splits `head` into lines ended by "\n", dropping a trailing '\r'.
std::vector<std::string_view> Lines(std::string_view head) {
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    const size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    head.remove_prefix(nl + 1);
  }
  return lines;
}

absl::Status Bad(std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      "malformed HTTP request: ", absl::string_view(what.data(), what.size())));
}

}  // namespace

size_t FindEndOfHead(std::string_view data) {
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '\n') continue;
    if (i + 1 < data.size() && data[i + 1] == '\n') return i + 2;
    if (i + 2 < data.size() && data[i + 1] == '\r' && data[i + 2] == '\n') {
      return i + 3;
    }
  }
  return std::string_view::npos;
}

absl::StatusOr<RequestHead> ParseRequestHead(std::string_view head) {
  std::vector<std::string_view> lines = Lines(head);
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  if (lines.empty()) return Bad("empty request");

  RequestHead out;
  const std::string_view request_line = lines[0];
  const size_t sp1 = request_line.find(' ');
  const size_t sp2 = sp1 == std::string_view::npos
                         ? std::string_view::npos
                         : request_line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos ||
      request_line.find(' ', sp2 + 1) != std::string_view::npos) {
    return Bad("request line is not 'METHOD TARGET VERSION'");
  }
  out.method = std::string(request_line.substr(0, sp1));
  out.target = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
  out.version = std::string(request_line.substr(sp2 + 1));
  if (!IsToken(out.method)) return Bad("method");
  if (out.target.empty() || out.target[0] != '/') {
    return Bad("target must start with '/'");
  }
  for (char c : out.target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) {
      return Bad("control character in target");
    }
  }
  if (out.version != "HTTP/1.1" && out.version != "HTTP/1.0") {
    return Bad("version must be HTTP/1.0 or HTTP/1.1");
  }

  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (line.empty()) return Bad("blank line inside the head");
    if (line[0] == ' ' || line[0] == '\t') return Bad("folded header line");
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || !IsToken(line.substr(0, colon))) {
      return Bad("header line");
    }
    const std::string name = Lower(line.substr(0, colon));
    const std::string_view value = Trim(line.substr(colon + 1));
    auto [it, inserted] = out.headers.emplace(name, std::string(value));
    if (!inserted) {
      it->second.append(", ");
      it->second.append(value);
    }
  }
  return out;
}

absl::StatusOr<size_t> BodyLength(const RequestHead& head) {
  auto te = head.headers.find("transfer-encoding");
  if (te != head.headers.end() && Lower(te->second) != "identity") {
    return absl::UnimplementedError(
        absl::StrCat("Transfer-Encoding ", te->second, " is not supported"));
  }
  auto cl = head.headers.find("content-length");
  if (cl == head.headers.end()) return 0;
  // Repeated identical values arrive joined as "5, 5".
  std::string_view first;
  std::string_view rest = cl->second;
  while (true) {
    const size_t comma = rest.find(',');
    const std::string_view value = Trim(rest.substr(0, comma));
    if (value.empty() || value.size() > 18) return Bad("Content-Length");
    for (char c : value) {
      if (c < '0' || c > '9') return Bad("Content-Length");
    }
    if (!first.empty() && value != first) return Bad("Content-Length");
    first = value;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  size_t length = 0;
  for (char c : first) length = length * 10 + static_cast<size_t>(c - '0');
  return length;
}

absl::StatusOr<std::string> UrlDecode(std::string_view text,
                                      bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size())
        return Bad("'%' not followed by two hex digits");
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return Bad("'%' not followed by two hex digits");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

absl::StatusOr<std::map<std::string, std::string>> ParseQuery(
    std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view piece = query.substr(0, amp);
    if (!piece.empty()) {
      const size_t eq = piece.find('=');
      absl::StatusOr<std::string> key = UrlDecode(piece.substr(0, eq), true);
      if (!key.ok()) return key.status();
      std::string value;
      if (eq != std::string_view::npos) {
        absl::StatusOr<std::string> v = UrlDecode(piece.substr(eq + 1), true);
        if (!v.ok()) return v.status();
        value = *std::move(v);
      }
      out[*std::move(key)] = std::move(value);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Content Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
  }
  return "Unknown";
}

std::string FormatResponse(const HttpResponse& response, bool with_body) {
  const int status =
      response.status >= 100 && response.status <= 599 ? response.status : 500;
  std::string out = absl::StrCat("HTTP/1.1 ", status, " ", ReasonPhrase(status),
                                 "\r\nContent-Type: ", response.content_type,
                                 "\r\nContent-Length: ", response.body.size(),
                                 "\r\nConnection: close\r\n\r\n");
  if (with_body) out.append(response.body);
  return out;
}

}  // namespace caserelay::admin
