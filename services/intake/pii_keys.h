// intake's personal-data keys (个人信息密钥): the AES-256-GCM keys that
// encrypt the petitioner's name, ID number, phone and address in the store
// (pii_cipher.h), and the HMAC key of the identity key (identity_key.h).
//
// Key ring text: one entry per line; blank lines and lines starting with
// '#' are ignored; in the environment form (`pii.keys`, one line) entries
// are separated by ';'.
//
//   key <id> <64 hex digits> [current]   an AES-256 key; <id> is 1-32 of
//                                        [A-Za-z0-9_-], unique; exactly one
//                                        key is marked current
//   identity <hex digits>                the identity key's HMAC key, at
//                                        least 16 bytes (32 hex digits);
//                                        exactly one such line
//
// New records are sealed under the current key; a record sealed under any
// key of the ring stays readable. Rotation: add a key, mark it current,
// keep the old ones (docs/operator-guide.md "Personal data keys").
//
// Error messages name the line and the rule, never the key material.
//
// Thread safety: immutable after construction.

#ifndef CASERELAY_SERVICES_INTAKE_PII_KEYS_H_
#define CASERELAY_SERVICES_INTAKE_PII_KEYS_H_

#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/config/config.h"

namespace caserelay::intake {

inline constexpr size_t kPiiKeySize = 32;  // AES-256

struct PiiKeyRing {
  std::map<std::string, std::string> keys;  // id -> 32 raw bytes
  std::string current;                      // an id of `keys`
  std::string identity_secret;              // raw bytes, >= 16
};

// Parses key ring text (the grammar above). `separator` splits entries:
// '\n' for a file, ';' for the environment form. INVALID_ARGUMENT naming
// `origin` and the entry's number for a malformed entry (unknown word,
// bad id, key not 64 hex digits, duplicate id, a second identity line),
// and for a ring with no key, no current key or more than one, or no
// identity line.
absl::StatusOr<PiiKeyRing> ParsePiiKeyRing(std::string_view text,
                                           char separator,
                                           std::string_view origin);

// Reads and parses the key ring file `path`, which only its owner may
// read (FAILED_PRECONDITION with the chmod to run otherwise; NOT_FOUND /
// PERMISSION_DENIED when it cannot be read: rpc::ReadSmallFile), then as
// ParsePiiKeyRing with '\n'.
absl::StatusOr<PiiKeyRing> LoadPiiKeyRing(const std::string& path);

// The key ring intake's settings name: pii.keys_path (LoadPiiKeyRing) or
// pii.keys (ParsePiiKeyRing with ';', the setting's source named in
// errors, e.g. "env CASERELAY_PII_KEYS"), exactly one of them:
// INVALID_ARGUMENT naming both when neither or both are set. REQUIRES:
// both settings are in `config`'s schema.
absl::StatusOr<PiiKeyRing> PiiKeyRingFromConfig(const config::Config& config);

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_PII_KEYS_H_
