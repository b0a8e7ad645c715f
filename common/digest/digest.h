// SHA-256 and HMAC-SHA256 (OpenSSL), the one place the project hashes:
// the history's hash chain, office token hashes, intake's look-up codes and
// identity keys. Hex: absl::BytesToHexString.
//
// Thread safety: stateless functions.
#ifndef CASERELAY_COMMON_DIGEST_DIGEST_H_
#define CASERELAY_COMMON_DIGEST_DIGEST_H_

#include <string>

#include "absl/strings/string_view.h"

namespace caserelay::digest {

inline constexpr size_t kSha256Size = 32;

// SHA-256 of `bytes`, raw (32 bytes).
std::string Sha256(absl::string_view bytes);

// HMAC-SHA256 of `data` under `key`, raw (32 bytes).
std::string HmacSha256(absl::string_view key, absl::string_view data);

// Whether `a` and `b` hold the same bytes, in time that depends on their
// length only, never on where they differ (for MACs, codes and token
// hashes; a length is no secret).
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace caserelay::digest

#endif  // CASERELAY_COMMON_DIGEST_DIGEST_H_
