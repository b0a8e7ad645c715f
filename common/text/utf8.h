// UTF-8 at the edges (文本校验): every text that comes from outside (a
// gateway's answer, an SMSC's words in a delivery report, a data file)
// passes through here before it is stored in a proto3 `string`. protobuf
// writes invalid UTF-8 with only a log line but refuses to parse it back,
// so one stray byte would make a stored record unreadable for good.
//
// "Valid" here is what protobuf checks: well-formed UTF-8 (RFC 3629), no
// overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
//
// Thread safety: stateless functions.

#ifndef CASERELAY_COMMON_TEXT_UTF8_H_
#define CASERELAY_COMMON_TEXT_UTF8_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace caserelay::text {

// The byte offset of the first byte of `s` that does not start a
// well-formed sequence, or nullopt when all of `s` is valid UTF-8.
std::optional<size_t> FirstInvalidUtf8(std::string_view s);

// True if all of `s` is valid UTF-8.
inline bool IsValidUtf8(std::string_view s) {
  return !FirstInvalidUtf8(s).has_value();
}

// The number of code points of `s` when it is valid UTF-8; its byte count
// otherwise, so stray or cut-off bytes cannot slip past a size bound.
size_t CountCodePoints(std::string_view s);

// `s` with each maximal ill-formed subsequence replaced by U+FFFD (the
// Unicode "substitution of maximal subparts" practice); valid input comes
// back unchanged. The result is always valid UTF-8.
std::string ToValidUtf8(std::string_view s);

// The longest prefix of `s` of at most `max_bytes` bytes that does not
// split a code point. REQUIRES: `s` is valid UTF-8 (otherwise a prefix
// that ends in a truncated sequence is never produced, but the prefix may
// still hold `s`'s own invalid bytes).
std::string_view CutUtf8(std::string_view s, size_t max_bytes);

// ToValidUtf8(s); when that is longer than `max_bytes`, its CutUtf8 to
// `max_bytes` with "..." appended (so at most max_bytes + 3 bytes). For
// excerpts of untrusted text in messages and records.
std::string ValidExcerpt(std::string_view s, size_t max_bytes);

// OK when `s` is valid UTF-8; otherwise INVALID_ARGUMENT
// "<where>: not valid UTF-8 at byte <n>" (n 1-based). For loaders, pass
// "path:line" as `where`.
absl::Status CheckUtf8(std::string_view s, std::string_view where);

// For loaders of text files: OK when all of `contents` is valid UTF-8;
// otherwise INVALID_ARGUMENT "<origin>:<line>: not valid UTF-8 at byte <n>"
// for the first bad byte (line and n 1-based, n within the line). Lines
// end at '\n'.
absl::Status CheckUtf8Lines(std::string_view contents, std::string_view origin);

}  // namespace caserelay::text

#endif  // CASERELAY_COMMON_TEXT_UTF8_H_
