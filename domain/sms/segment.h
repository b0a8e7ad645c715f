// SMS text encoding and segmentation (短信编码与分段).
//
// DOMAIN.md "Notifying the petitioner": Chinese SMS are UCS-2, 70 characters
// in one message, 67 per part of a long (concatenated) message. A
// "character" here is one UTF-16 code unit (two bytes on the air): a
// character outside the Basic Multilingual Plane (an emoji, a rare CJK
// ideograph from Extension B) is a surrogate pair and takes two. Gateways
// such as Kannel (coding=2) pass the pair through as UTF-16BE; a part never
// ends between the two halves of a pair, so each part decodes on its own.
//
// Everything here is a pure function: no I/O, no shared state, thread-safe.

#ifndef CASERELAY_DOMAIN_SMS_SEGMENT_H_
#define CASERELAY_DOMAIN_SMS_SEGMENT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace caserelay::sms {

// UTF-16 code units that fit in a single (unconcatenated) UCS-2 message.
inline constexpr int kSinglePartUnits = 70;
// UTF-16 code units per part of a concatenated message (6 of the 140 bytes
// go to the concatenation header).
inline constexpr int kMultiPartUnits = 67;
// The concatenation header counts parts in one byte.
inline constexpr int kMaxPartsLimit = 255;

struct SegmentOptions {
  // The most parts one message may take. DOMAIN.md leaves the cap to
  // configuration; callers pass the configured value. Must be in
  // [1, kMaxPartsLimit].
  int max_parts = 6;
};

// Decodes UTF-8 into UTF-16.
// Returns INVALID_ARGUMENT naming the byte offset if `utf8` is not
// well-formed UTF-8 (truncated or stray continuation bytes, overlong forms,
// encoded surrogates, code points above U+10FFFF).
absl::StatusOr<std::u16string> Utf8ToUtf16(std::string_view utf8);

// Encodes UTF-16 as UTF-8. An unpaired surrogate becomes U+FFFD; a
// well-formed input round-trips exactly with Utf8ToUtf16.
std::string Utf16ToUtf8(std::u16string_view utf16);

// Splits `utf8` into the parts of one SMS.
// On success returns the parts in order, each as UTF-16 code units:
//   - one part if the text is at most kSinglePartUnits units;
//   - otherwise parts of at most kMultiPartUnits units, every part full but
//     the last, except that a part which would end on the first (high) half
//     of a surrogate pair ends one unit early and the pair opens the next.
// Concatenating the parts gives back the whole text.
// Errors:
//   INVALID_ARGUMENT if `utf8` is empty or not well-formed UTF-8, or if
//     options.max_parts is outside [1, kMaxPartsLimit];
//   OUT_OF_RANGE naming the needed part count if it exceeds
//     options.max_parts.
absl::StatusOr<std::vector<std::u16string>> SegmentUcs2(
    std::string_view utf8, const SegmentOptions& options);

// Returns the UTF-16 code units as big-endian bytes (two per unit), the
// payload a gateway expects for coding=2 with charset=UTF-16BE (Kannel's
// sendsms `text` with `coding=2&charset=UTF-16BE`).
std::string ToUcs2BigEndianBytes(std::u16string_view utf16);

}  // namespace caserelay::sms

#endif  // CASERELAY_DOMAIN_SMS_SEGMENT_H_
