#include "common/config/config.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

extern char** environ;

namespace caserelay::config {
namespace {

using Type = Setting::Type;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

// Dotted lowercase words: [a-z0-9_]+ ('.' [a-z0-9_]+)*.
bool IsValidKey(absl::string_view key) {
  if (key.empty()) return false;
  for (absl::string_view word : absl::StrSplit(key, '.')) {
    if (word.empty()) return false;
    for (char c : word) {
      if (!((c >= 'a' && c <= 'z') || IsDigit(c) || c == '_')) return false;
    }
  }
  return true;
}

const char* TypeName(Type type) {
  switch (type) {
    case Type::kString:
      return "string";
    case Type::kInt:
      return "int";
    case Type::kBool:
      return "bool";
    case Type::kDuration:
      return "duration";
    case Type::kPath:
      return "path";
    case Type::kHostPort:
      return "host:port";
  }
  return "?";
}

absl::StatusOr<int64_t> ParseInt(absl::string_view text) {
  absl::string_view digits = text;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    digits.remove_prefix(1);
  }
  int64_t value = 0;
  if (!AllDigits(digits) || !absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad int \"", text, "\": expected a decimal int64"));
  }
  return value;
}

absl::StatusOr<bool> ParseBool(absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower == "true" || lower == "yes" || lower == "on" || lower == "1") {
    return true;
  }
  if (lower == "false" || lower == "no" || lower == "off" || lower == "0") {
    return false;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "bad bool \"", text, "\": expected true/false, yes/no, on/off or 1/0"));
}

// Checks `text` as a value of `type`; the message names the problem only.
absl::Status CheckValue(Type type, const std::string& text) {
  switch (type) {
    case Type::kString:
      return absl::OkStatus();
    case Type::kInt:
      return ParseInt(text).status();
    case Type::kBool:
      return ParseBool(text).status();
    case Type::kDuration:
      return ParseDuration(text).status();
    case Type::kPath:
      if (text.empty()) return absl::InvalidArgumentError("empty path");
      return absl::OkStatus();
    case Type::kHostPort:
      return ParseHostPort(text).status();
  }
  return absl::OkStatus();
}

size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    const std::string msg =
        absl::StrCat("config file ", path, ": ", std::strerror(err));
    if (err == ENOENT) return absl::NotFoundError(msg);
    if (err == EACCES) return absl::PermissionDeniedError(msg);
    return absl::Status(absl::ErrnoToStatusCode(err), msg);
  }
  std::string data;
  char buf[8192];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return absl::Status(
          absl::ErrnoToStatusCode(err),
          absl::StrCat("config file ", path, ": ", std::strerror(err)));
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

[[noreturn]] void Die(const char* getter, std::string_view key,
                      std::string_view why) {
  std::fprintf(stderr,
               "caserelay::config: programming error: %s(\"%.*s\"): %.*s\n",
               getter, static_cast<int>(key.size()), key.data(),
               static_cast<int>(why.size()), why.data());
  std::fflush(stderr);
  std::abort();
}

}  // namespace

std::string HostPort::ToString() const {
  if (host.find(':') != std::string::npos) {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

absl::StatusOr<HostPort> ParseHostPort(std::string_view input) {
  const absl::string_view text(input.data(), input.size());
  auto bad = [text](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad host:port \"", text, "\": ", why));
  };
  absl::string_view host;
  absl::string_view port;
  if (!text.empty() && text[0] == '[') {
    const size_t close = text.find(']');
    if (close == absl::string_view::npos) return bad("missing ']'");
    host = text.substr(1, close - 1);
    if (close + 1 >= text.size() || text[close + 1] != ':') {
      return bad("expected ':port' after ']'");
    }
    port = text.substr(close + 2);
    for (char c : host) {
      if (!(absl::ascii_isxdigit(c) || c == ':' || c == '.')) {
        return bad("bad character in IPv6 address");
      }
    }
  } else {
    const size_t colon = text.rfind(':');
    if (colon == absl::string_view::npos) return bad("expected host:port");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != absl::string_view::npos) {
      return bad("an IPv6 host must be in brackets, e.g. [::1]:8080");
    }
    for (char c : host) {
      if (!(absl::ascii_isalnum(c) || c == '.' || c == '-' || c == '_')) {
        return bad("bad character in host");
      }
    }
  }
  if (host.empty()) return bad("empty host");
  int port_number = 0;
  if (!AllDigits(port) || port.size() > 5 ||
      !absl::SimpleAtoi(port, &port_number) || port_number > 65535) {
    return bad("port must be a number 0..65535");
  }
  return HostPort{std::string(host), port_number};
}

absl::StatusOr<absl::Duration> ParseDuration(std::string_view input) {
  const absl::string_view text(input.data(), input.size());
  auto bad = [text]() {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad duration \"", text,
        "\": expected digits with a unit ms, s, m, h or d, e.g. 500ms, 15s, "
        "2h, 30d, 1h30m"));
  };
  if (text == "0") return absl::ZeroDuration();
  if (text.empty()) return bad();
  absl::Duration total = absl::ZeroDuration();
  absl::string_view rest = text;
  while (!rest.empty()) {
    size_t n = 0;
    while (n < rest.size() && IsDigit(rest[n])) ++n;
    int64_t count = 0;
    if (n == 0 || n > 12 || !absl::SimpleAtoi(rest.substr(0, n), &count)) {
      return bad();
    }
    rest.remove_prefix(n);
    absl::Duration unit;
    if (absl::ConsumePrefix(&rest, "ms")) {
      unit = absl::Milliseconds(1);
    } else if (absl::ConsumePrefix(&rest, "s")) {
      unit = absl::Seconds(1);
    } else if (absl::ConsumePrefix(&rest, "m")) {
      unit = absl::Minutes(1);
    } else if (absl::ConsumePrefix(&rest, "h")) {
      unit = absl::Hours(1);
    } else if (absl::ConsumePrefix(&rest, "d")) {
      unit = absl::Hours(24);
    } else {
      return bad();
    }
    total += count * unit;
  }
  return total;
}

std::string EnvName(std::string_view key) {
  std::string name = "CASERELAY_";
  for (char c : key) name.push_back(c == '.' ? '_' : absl::ascii_toupper(c));
  return name;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** p = environ; p != nullptr && *p != nullptr; ++p) {
    const std::string_view entry(*p);
    const size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)),
                std::string(entry.substr(eq + 1)));
  }
  return env;
}

std::string DescribeSettings(const std::vector<Setting>& schema) {
  std::vector<std::vector<std::string>> rows;
  for (const Setting& s : schema) {
    std::string fallback;
    if (s.required && s.default_value.empty()) {
      fallback = "required";
    } else if (s.default_value.empty()) {
      fallback = "default=(empty)";
    } else {
      fallback = absl::StrCat("default=", s.default_value);
    }
    if (s.type == Type::kInt &&
        (s.min != std::numeric_limits<int64_t>::min() ||
         s.max != std::numeric_limits<int64_t>::max())) {
      absl::StrAppend(&fallback, " range=", s.min, "..", s.max);
    }
    rows.push_back({s.key, TypeName(s.type), fallback, EnvName(s.key), s.help});
  }
  std::vector<size_t> width(4, 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < width.size(); ++c) {
      width[c] = std::max(width[c], row[c].size());
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line = " ";
    for (size_t c = 0; c < width.size(); ++c) {
      absl::StrAppend(&line, " ", row[c],
                      std::string(width[c] - row[c].size() + 1, ' '));
    }
    absl::StrAppend(&line, " ", row[4]);
    absl::StripTrailingAsciiWhitespace(&line);
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

absl::StatusOr<Config> Config::Load(
    const std::string& path, const std::vector<Setting>& schema,
    const std::map<std::string, std::string>& env) {
  std::vector<std::string> errors;
  Config config;
  for (const Setting& s : schema) {
    if (!IsValidKey(s.key)) {
      errors.push_back(absl::StrCat("schema: malformed key \"", s.key, "\""));
      continue;
    }
    if (s.min > s.max) {
      errors.push_back(
          absl::StrCat("schema: \"", s.key, "\" has min > max"));
    }
    Entry entry{s, s.default_value, "default", !s.default_value.empty()};
    if (!config.entries_.emplace(s.key, std::move(entry)).second) {
      errors.push_back(absl::StrCat("schema: duplicate key \"", s.key, "\""));
    }
  }

  if (!path.empty()) {
    absl::StatusOr<std::string> data = ReadFile(path);
    if (!data.ok()) return data.status();
    absl::string_view text = *data;
    absl::ConsumePrefix(&text, "\xEF\xBB\xBF");  // UTF-8 byte-order mark.
    std::map<std::string, int, std::less<>> seen_on_line;
    int line_number = 0;
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      ++line_number;
      line = absl::StripAsciiWhitespace(line);
      if (line.empty() || line[0] == '#') continue;
      const std::string where = absl::StrCat(path, ":", line_number);
      const size_t eq = line.find('=');
      if (eq == absl::string_view::npos) {
        errors.push_back(absl::StrCat(where, ": expected 'key = value'"));
        continue;
      }
      const std::string key(absl::StripAsciiWhitespace(line.substr(0, eq)));
      const absl::string_view value =
          absl::StripAsciiWhitespace(line.substr(eq + 1));
      auto it = config.entries_.find(key);
      if (it == config.entries_.end()) {
        std::string msg =
            absl::StrCat(where, ": unknown setting \"", key, "\"");
        std::string best;
        size_t best_distance = 3;  // Suggest only close keys.
        for (const auto& [known, unused] : config.entries_) {
          const size_t d = EditDistance(key, known);
          if (d < best_distance) {
            best_distance = d;
            best = known;
          }
        }
        if (!best.empty()) {
          absl::StrAppend(&msg, " (did you mean \"", best, "\"?)");
        }
        errors.push_back(std::move(msg));
        continue;
      }
      auto [seen, inserted] = seen_on_line.emplace(key, line_number);
      if (!inserted) {
        errors.push_back(absl::StrCat(where, ": setting \"", key,
                                      "\" given again (first on line ",
                                      seen->second, ")"));
        continue;
      }
      it->second.value = std::string(value);
      it->second.source = where;
      it->second.has_value = true;
    }
  }

  for (auto& [key, entry] : config.entries_) {
    const std::string env_name = EnvName(key);
    auto it = env.find(env_name);
    if (it != env.end()) {
      entry.value = std::string(absl::StripAsciiWhitespace(it->second));
      entry.source = absl::StrCat("env ", env_name);
      entry.has_value = true;
    }
  }

  for (const auto& [key, entry] : config.entries_) {
    const bool is_text = entry.setting.type == Type::kString;
    if (entry.setting.required && entry.value.empty()) {
      if (entry.has_value) {
        errors.push_back(absl::StrCat("setting \"", key, "\" (from ",
                                      entry.source, ") is required but empty"));
      } else {
        errors.push_back(absl::StrCat(
            "setting \"", key, "\" is required but not set (set it in ",
            path.empty() ? "" : absl::StrCat(path, " or in "), "env ",
            EnvName(key), ")"));
      }
      continue;
    }
    if (!entry.has_value || (is_text && entry.value.empty())) continue;
    absl::Status status = CheckValue(entry.setting.type, entry.value);
    if (!status.ok()) {
      errors.push_back(absl::StrCat("setting \"", key, "\" (from ",
                                    entry.source, "): ", status.message()));
    } else if (entry.setting.type == Type::kInt) {
      const int64_t v = *ParseInt(entry.value);
      if (v < entry.setting.min || v > entry.setting.max) {
        errors.push_back(absl::StrCat(
            "setting \"", key, "\" (from ", entry.source, "): ", v,
            " is outside [", entry.setting.min, ", ", entry.setting.max, "]"));
      }
    }
  }

  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "; "));
  }
  return config;
}

const Config::Entry& Config::Find(std::string_view key,
                                  const char* getter) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) Die(getter, key, "key is not in the schema");
  return it->second;
}

const Config::Entry& Config::FindTyped(std::string_view key, Type type,
                                       const char* getter) const {
  const Entry& entry = Find(key, getter);
  if (entry.setting.type != type) {
    Die(getter, key,
        absl::StrCat("setting is of type ", TypeName(entry.setting.type)));
  }
  if (!entry.has_value) Die(getter, key, "setting has no value; check Has()");
  return entry;
}

std::string Config::GetString(std::string_view key) const {
  return Find(key, "GetString").value;
}

int64_t Config::GetInt(std::string_view key) const {
  return *ParseInt(FindTyped(key, Type::kInt, "GetInt").value);
}

bool Config::GetBool(std::string_view key) const {
  return *ParseBool(FindTyped(key, Type::kBool, "GetBool").value);
}

absl::Duration Config::GetDuration(std::string_view key) const {
  return *ParseDuration(FindTyped(key, Type::kDuration, "GetDuration").value);
}

std::string Config::GetPath(std::string_view key) const {
  return FindTyped(key, Type::kPath, "GetPath").value;
}

HostPort Config::GetHostPort(std::string_view key) const {
  return *ParseHostPort(FindTyped(key, Type::kHostPort, "GetHostPort").value);
}

bool Config::Has(std::string_view key) const {
  return Find(key, "Has").has_value;
}

std::string Config::Source(std::string_view key) const {
  return Find(key, "Source").source;
}

}  // namespace caserelay::config
