#include "domain/sms/segment.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace caserelay::sms {
namespace {

bool IsHighSurrogate(char16_t u) { return u >= 0xD800 && u <= 0xDBFF; }
bool IsLowSurrogate(char16_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

absl::Status BadUtf8(size_t offset, const char* what) {
  return absl::InvalidArgumentError(
      absl::StrCat("SMS text is not valid UTF-8 at byte ", offset, ": ", what));
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

absl::StatusOr<std::u16string> Utf8ToUtf16(std::string_view utf8) {
  std::u16string out;
  out.reserve(utf8.size());
  size_t i = 0;
  while (i < utf8.size()) {
    const auto lead = static_cast<uint8_t>(utf8[i]);
    int length;
    char32_t cp;
    char32_t min_cp;
    if (lead < 0x80) {
      out.push_back(static_cast<char16_t>(lead));
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      cp = lead & 0x1F;
      min_cp = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      cp = lead & 0x0F;
      min_cp = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      cp = lead & 0x07;
      min_cp = 0x10000;
    } else {
      return BadUtf8(i, "unexpected lead byte");
    }
    if (i + length > utf8.size()) return BadUtf8(i, "truncated sequence");
    for (int k = 1; k < length; ++k) {
      const auto cont = static_cast<uint8_t>(utf8[i + k]);
      if ((cont & 0xC0) != 0x80) return BadUtf8(i, "bad continuation byte");
      cp = (cp << 6) | (cont & 0x3F);
    }
    if (cp < min_cp) return BadUtf8(i, "overlong encoding");
    if (cp >= 0xD800 && cp <= 0xDFFF) return BadUtf8(i, "encoded surrogate");
    if (cp > 0x10FFFF) return BadUtf8(i, "code point above U+10FFFF");
    if (cp < 0x10000) {
      out.push_back(static_cast<char16_t>(cp));
    } else {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    }
    i += length;
  }
  return out;
}

std::string Utf16ToUtf8(std::u16string_view utf16) {
  std::string out;
  out.reserve(utf16.size() * 3);
  for (size_t i = 0; i < utf16.size(); ++i) {
    const char16_t u = utf16[i];
    if (IsHighSurrogate(u) && i + 1 < utf16.size() &&
        IsLowSurrogate(utf16[i + 1])) {
      const char32_t cp = 0x10000 +
                          ((static_cast<char32_t>(u) - 0xD800) << 10) +
                          (static_cast<char32_t>(utf16[i + 1]) - 0xDC00);
      AppendUtf8(cp, out);
      ++i;
    } else if (IsHighSurrogate(u) || IsLowSurrogate(u)) {
      AppendUtf8(0xFFFD, out);
    } else {
      AppendUtf8(u, out);
    }
  }
  return out;
}

absl::StatusOr<std::vector<std::u16string>> SegmentUcs2(
    std::string_view utf8, const SegmentOptions& options) {
  if (options.max_parts < 1 || options.max_parts > kMaxPartsLimit) {
    return absl::InvalidArgumentError(
        absl::StrCat("SegmentOptions.max_parts must be in [1, ", kMaxPartsLimit,
                     "], got ", options.max_parts));
  }
  if (utf8.empty()) {
    return absl::InvalidArgumentError("SMS text is empty");
  }
  absl::StatusOr<std::u16string> text = Utf8ToUtf16(utf8);
  if (!text.ok()) return text.status();

  std::vector<std::u16string> parts;
  if (text->size() <= static_cast<size_t>(kSinglePartUnits)) {
    parts.push_back(*std::move(text));
    return parts;
  }
  size_t begin = 0;
  while (begin < text->size()) {
    size_t end = std::min(begin + kMultiPartUnits, text->size());
    // Never split a surrogate pair: a pair straddling the boundary moves to
    // the next part whole.
    if (end < text->size() && IsHighSurrogate((*text)[end - 1])) --end;
    parts.push_back(text->substr(begin, end - begin));
    begin = end;
  }
  if (parts.size() > static_cast<size_t>(options.max_parts)) {
    return absl::OutOfRangeError(absl::StrCat(
        "SMS text of ", text->size(), " UCS-2 characters needs ", parts.size(),
        " parts, more than max_parts ", options.max_parts));
  }
  return parts;
}

std::string ToUcs2BigEndianBytes(std::u16string_view utf16) {
  std::string out;
  out.reserve(utf16.size() * 2);
  for (const char16_t u : utf16) {
    out.push_back(static_cast<char>(u >> 8));
    out.push_back(static_cast<char>(u & 0xFF));
  }
  return out;
}

}  // namespace caserelay::sms
