// The petitioner's look-up code (查询码): 8 characters from an alphabet
// without look-alikes, derived as HMAC-SHA256(secret, case number) so intake
// never stores it in clear: it re-derives it for the receipt SMS, and keeps
// only a salted SHA-256 hash to check a look-up against (so a copy of the
// database alone reveals no code, and the secret can be rotated without
// invalidating codes already issued).
//
// Thread safety: immutable after construction.

#ifndef CASERELAY_SERVICES_INTAKE_LOOKUP_CODE_H_
#define CASERELAY_SERVICES_INTAKE_LOOKUP_CODE_H_

#include <string>
#include <string_view>

namespace caserelay::intake {

class LookupCodes {
 public:
  // REQUIRES: `secret` is non-empty (checked by the config schema).
  explicit LookupCodes(std::string secret) : secret_(std::move(secret)) {}

  // The code of `case_number`; the same for the same secret.
  std::string Derive(std::string_view case_number) const;

  // Lowercase hex of HMAC-SHA256(secret, input): 64 characters, the same
  // for the same secret and input. Used for the petitioner's identity key
  // (identity_key.h), whose inputs ("id:", "np:") never look like a case
  // number, so the two uses cannot collide.
  std::string HexMac(std::string_view input) const;

  // 16 random bytes for a new case's hash salt.
  static std::string NewSalt();
  // SHA-256(salt || code).
  static std::string Hash(std::string_view salt, std::string_view code);
  // Constant-time comparison of Hash(salt, code) with `hash`.
  static bool Matches(std::string_view salt, std::string_view code,
                      std::string_view hash);

 private:
  const std::string secret_;
};

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_LOOKUP_CODE_H_
