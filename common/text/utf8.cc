#include "common/text/utf8.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace caserelay::text {
namespace {

// The length of the well-formed sequence starting at s[i], or 0 if none
// starts there. Sets `*maximal` to the length of the maximal ill-formed
// subpart when 0 is returned (at least 1): the bytes that could still
// have begun a valid sequence, which one U+FFFD replaces.
size_t SequenceAt(std::string_view s, size_t i, size_t* maximal) {
  const auto byte = [&](size_t k) -> uint8_t {
    return static_cast<uint8_t>(s[k]);
  };
  const uint8_t b0 = byte(i);
  *maximal = 1;
  if (b0 < 0x80) return 1;
  size_t need;
  uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 2;
  } else if (b0 == 0xE0) {
    need = 3, lo = 0xA0;  // no overlong
  } else if (b0 >= 0xE1 && b0 <= 0xEC) {
    need = 3;
  } else if (b0 == 0xED) {
    need = 3, hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xEE && b0 <= 0xEF) {
    need = 3;
  } else if (b0 == 0xF0) {
    need = 4, lo = 0x90;  // no overlong
  } else if (b0 >= 0xF1 && b0 <= 0xF3) {
    need = 4;
  } else if (b0 == 0xF4) {
    need = 4, hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;  // a continuation byte, C0, C1 or F5..FF
  }
  for (size_t k = 1; k < need; ++k) {
    if (i + k >= s.size()) return 0;
    const uint8_t b = byte(i + k);
    const bool ok = k == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
    if (!ok) return 0;
    *maximal = k + 1;
  }
  return need;
}

}  // namespace

std::optional<size_t> FirstInvalidUtf8(std::string_view s) {
  size_t maximal = 0;
  for (size_t i = 0; i < s.size();) {
    const size_t n = SequenceAt(s, i, &maximal);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

std::string ToValidUtf8(std::string_view s) {
  if (!FirstInvalidUtf8(s).has_value()) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  size_t maximal = 0;
  for (size_t i = 0; i < s.size();) {
    const size_t n = SequenceAt(s, i, &maximal);
    if (n == 0) {
      out.append("\xEF\xBF\xBD");  // U+FFFD
      i += maximal;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string_view CutUtf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t end = max_bytes;
  // Back over continuation bytes to the start of the split code point (at
  // most 3 of them in valid UTF-8).
  while (end > 0 && (static_cast<uint8_t>(s[end]) & 0xC0) == 0x80 &&
         max_bytes - end < 3) {
    --end;
  }
  if ((static_cast<uint8_t>(s[end]) & 0xC0) == 0x80) end = max_bytes;
  return s.substr(0, end);
}

std::string ValidExcerpt(std::string_view s, size_t max_bytes) {
  std::string valid = ToValidUtf8(s);
  if (valid.size() <= max_bytes) return valid;
  std::string out(CutUtf8(valid, max_bytes));
  out.append("...");
  return out;
}

absl::Status CheckUtf8(std::string_view s, std::string_view where) {
  std::optional<size_t> bad = FirstInvalidUtf8(s);
  if (!bad.has_value()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(absl::string_view(where.data(), where.size()),
                   ": not valid UTF-8 at byte ", *bad + 1));
}

absl::Status CheckUtf8Lines(std::string_view contents,
                            std::string_view origin) {
  std::optional<size_t> bad = FirstInvalidUtf8(contents);
  if (!bad.has_value()) return absl::OkStatus();
  const std::string_view before = contents.substr(0, *bad);
  const size_t line =
      1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
  const size_t newline = before.rfind('\n');
  const size_t line_start = newline == before.npos ? 0 : newline + 1;
  return absl::InvalidArgumentError(
      absl::StrCat(absl::string_view(origin.data(), origin.size()), ":", line,
                   ": not valid UTF-8 at byte ", *bad - line_start + 1,
                   " (the file must be UTF-8, not e.g. GBK)"));
}

size_t CountCodePoints(std::string_view s) {
  if (!IsValidUtf8(s)) return s.size();
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace caserelay::text
