#include "common/log/log.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"

namespace caserelay::log {
namespace {

absl::Mutex& OutputMutex() {
  static absl::Mutex* mu = new absl::Mutex();
  return *mu;
}

// The service name; guarded by OutputMutex().
std::string& ServiceName() ABSL_EXCLUSIVE_LOCKS_REQUIRED(OutputMutex()) {
  static std::string* name = new std::string("unknown");
  return *name;
}

std::atomic<int>& MinLevel() {
  static std::atomic<int> level{static_cast<int>(Level::kInfo)};
  return level;
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "unknown";
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length in bytes of the UTF-8 code point starting at s[i]; an invalid or
// truncated sequence counts as one byte.
size_t CodePointLength(std::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = 1;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
  }
  if (i + n > s.size()) return 1;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 1;
  }
  return n;
}

std::vector<std::string_view> CodePoints(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < s.size();) {
    const size_t n = CodePointLength(s, i);
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

// Every code point but the last `keep` becomes '*'; short input (4 code
// points or fewer) is masked wholly.
std::string MaskAllButLast(std::string_view s, size_t keep) {
  const std::vector<std::string_view> cps = CodePoints(s);
  const size_t kept = cps.size() <= 4 ? 0 : keep;
  std::string out(cps.size() - kept, '*');
  for (size_t i = cps.size() - kept; i < cps.size(); ++i) out.append(cps[i]);
  return out;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return !s.empty();
}

bool IsMobile(std::string_view s) {
  return s.size() == 11 && AllDigits(s) && s[0] == '1' && s[1] >= '3';
}

// Replaces s[from, to) by '*' in place.
void Star(std::string& s, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) s[i] = '*';
}

bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == ' ' || c == '=' || c == '"' || c == '\\' || u < 0x20 ||
        u == 0x7F) {
      return true;
    }
  }
  return false;
}

void AppendValue(std::string& out, std::string_view v) {
  if (!NeedsQuotes(v)) {
    out.append(v);
    return;
  }
  out.push_back('"');
  for (char c : v) {
    const unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (u < 0x20 || u == 0x7F) {
          out.append(absl::StrFormat("\\x%02x", u));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void AppendKey(std::string& out, std::string_view key) {
  if (key.empty()) {
    out.push_back('_');
    return;
  }
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    IsDigit(c) || c == '_' || c == '.' || c == '-';
    out.push_back(ok ? c : '_');
  }
}

void WriteLine(Level level, std::string_view msg,
               std::initializer_list<Field> fields) {
  if (!Enabled(level)) return;
  const absl::Time now = absl::Now();
  absl::MutexLock lock(&OutputMutex());
  const std::string line =
      FormatLine(now, level, ServiceName(), msg,
                 absl::Span<const Field>(fields.begin(), fields.size()));
  // One write per line; retry only the rare partial write or EINTR.
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n =
        ::write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

}  // namespace

void SetService(std::string_view name) {
  absl::MutexLock lock(&OutputMutex());
  ServiceName() = std::string(name);
}

absl::StatusOr<Level> ParseLevel(std::string_view name) {
  for (Level level :
       {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (name == LevelName(level)) return level;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("config: ", kLevelSetting, ": \"", std::string(name),
                   "\" is not one of debug, info, warn, error"));
}

void SetMinLevel(Level level) {
  MinLevel().store(static_cast<int>(level), std::memory_order_relaxed);
}

bool Enabled(Level level) {
  return static_cast<int>(level) >=
         MinLevel().load(std::memory_order_relaxed);
}

void Debug(std::string_view msg, std::initializer_list<Field> fields) {
  WriteLine(Level::kDebug, msg, fields);
}

void Info(std::string_view msg, std::initializer_list<Field> fields) {
  WriteLine(Level::kInfo, msg, fields);
}

void Warn(std::string_view msg, std::initializer_list<Field> fields) {
  WriteLine(Level::kWarn, msg, fields);
}

void Error(std::string_view msg, std::initializer_list<Field> fields) {
  WriteLine(Level::kError, msg, fields);
}

std::string FormatLine(absl::Time now, Level level, std::string_view service,
                       std::string_view msg, absl::Span<const Field> fields) {
  std::string out = "ts=";
  out.append(
      absl::FormatTime("%Y-%m-%d%ET%H:%M:%E3SZ", now, absl::UTCTimeZone()));
  out.append(" level=");
  out.append(LevelName(level));
  out.append(" service=");
  AppendValue(out, service);
  out.append(" msg=");
  AppendValue(out, MaskText(msg));
  for (const Field& f : fields) {
    out.push_back(' ');
    AppendKey(out, f.key);
    out.push_back('=');
    AppendValue(out, MaskText(f.value));
  }
  out.push_back('\n');
  return out;
}

std::string MaskPhone(std::string_view phone) {
  std::string_view prefix;
  std::string_view number = phone;
  if (number.size() == 14 && number.substr(0, 3) == "+86") {
    prefix = number.substr(0, 3);
    number.remove_prefix(3);
  } else if (number.size() == 13 && number.substr(0, 2) == "86") {
    prefix = number.substr(0, 2);
    number.remove_prefix(2);
  }
  if (number.size() == 11 && AllDigits(number)) {
    std::string out(prefix);
    out.append(number.substr(0, 3));
    out.append("****");
    out.append(number.substr(7));
    return out;
  }
  return MaskAllButLast(phone, 2);
}

std::string MaskIdNumber(std::string_view id_number) {
  const size_t n = id_number.size();
  const bool id18 =
      n == 18 && AllDigits(id_number.substr(0, 17)) &&
      (IsDigit(id_number[17]) || id_number[17] == 'X' || id_number[17] == 'x');
  const bool id15 = n == 15 && AllDigits(id_number);
  if (id18 || id15) {
    std::string out(id_number);
    Star(out, 6, n - 2);
    return out;
  }
  return MaskAllButLast(id_number, 2);
}

std::string MaskName(std::string_view name) {
  const std::vector<std::string_view> cps = CodePoints(name);
  if (cps.empty()) return "";
  if (cps.size() == 1) return "*";
  std::string out(cps[0]);
  out.append(cps.size() - 1, '*');
  return out;
}

std::string MaskText(std::string_view text) {
  std::string out(text);
  const size_t n = out.size();
  size_t i = 0;
  while (i < n) {
    if (!IsDigit(out[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < n && IsDigit(out[end])) ++end;
    const size_t len = end - i;
    const std::string_view run(out.data() + i, len);
    if (len == 18 ||
        (len == 17 && end < n && (out[end] == 'X' || out[end] == 'x'))) {
      Star(out, i + 6, i + 16);  // ID number: keep region prefix + last 2.
    } else if (IsMobile(run)) {
      Star(out, i + 3, i + 7);
    } else if (len == 13 && run.substr(0, 2) == "86" &&
               IsMobile(run.substr(2))) {
      Star(out, i + 5, i + 9);
    } else if (len == 3 && run[0] == '1' && run[1] >= '3' && end + 10 <= n &&
               (out[end] == '-' || out[end] == ' ')) {
      // 138-1234-5678 or 138 1234 5678: same separator twice, 3-4-4 digits.
      const char sep = out[end];
      const std::string_view rest(out.data() + end, 10);
      const bool shape = AllDigits(rest.substr(1, 4)) && rest[5] == sep &&
                         AllDigits(rest.substr(6, 4)) &&
                         (end + 10 == n || !IsDigit(out[end + 10]));
      if (shape) {
        Star(out, end + 1, end + 5);
        end += 10;
      }
    }
    i = end;
  }
  return out;
}

}  // namespace caserelay::log
