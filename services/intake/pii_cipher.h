// Authenticated encryption of personal data at rest (个人信息加密存储):
// AES-256-GCM (OpenSSL EVP) under the keys of a PiiKeyRing.
//
// A sealed value is self-describing:
//
//   0x00 0x01 <n: 1 byte> <key id: n bytes> <nonce: 12 bytes>
//   <ciphertext> <tag: 16 bytes>
//
// The first byte 0x00 is never the first byte of a serialized protobuf
// message (field number 0 does not exist), so IsSealed() tells a sealed
// record from one a store kept in clear before encryption. The nonce is
// fresh from OpenSSL's CSPRNG for every Seal. The associated data
// authenticated with the ciphertext is the header (version and key id)
// followed by the caller's `aad` — the record's key — so a value copied to
// another record, or relabelled with another key id, does not open.
//
// Thread safety: immutable after Create; Seal and Open may be called from
// any thread.

#ifndef CASERELAY_SERVICES_INTAKE_PII_CIPHER_H_
#define CASERELAY_SERVICES_INTAKE_PII_CIPHER_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/intake/pii_keys.h"

namespace caserelay::intake {

class PiiCipher {
 public:
  // REQUIRES nothing: a ring from ParsePiiKeyRing is valid. INVALID_ARGUMENT
  // if a key is not 32 bytes or `current` names no key of the ring.
  static absl::StatusOr<std::unique_ptr<PiiCipher>> Create(PiiKeyRing ring);

  // `plaintext` sealed under the current key with a fresh random nonce,
  // bound to `aad`. INTERNAL if OpenSSL fails (no randomness, ...).
  absl::StatusOr<std::string> Seal(std::string_view plaintext,
                                   std::string_view aad) const;

  // The plaintext of `sealed`, which Seal made with the same `aad` under a
  // key of the ring. DATA_LOSS if `sealed` is malformed or does not
  // authenticate (a changed byte, another record's value, another key
  // under the same id); FAILED_PRECONDITION if its key id is not in the
  // ring (a key removed too early: put it back). Messages name the key id,
  // never the data.
  absl::StatusOr<std::string> Open(std::string_view sealed,
                                   std::string_view aad) const;

  // True iff `value` starts like a sealed value (first byte 0x00).
  static bool IsSealed(std::string_view value);
  // The key id of a sealed value; "" if `value` is not one.
  static std::string KeyIdOf(std::string_view value);

  const std::string& current_key_id() const { return ring_.current; }
  // The identity key's HMAC secret of the ring (identity_key.h).
  const std::string& identity_secret() const { return ring_.identity_secret; }

 private:
  explicit PiiCipher(PiiKeyRing ring) : ring_(std::move(ring)) {}
  const PiiKeyRing ring_;
};

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_PII_CIPHER_H_
