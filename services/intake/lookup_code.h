// The petitioner's look-up code (查询码): 8 characters from an alphabet
// without look-alikes, derived as HMAC-SHA256(secret, case number). Intake
// stores nothing of it: it re-derives the code for the receipt SMS and to
// check a look-up (Verify), so a copy of the database without the secret
// is no offline oracle for the 40-bit codes.
//
// The secret is not rotatable: changing lookup.secret changes every code
// already issued.
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

  // True iff `code` is Derive(case_number), compared in constant time
  // (no early exit on the first differing character). Case-sensitive.
  bool Verify(std::string_view case_number, std::string_view code) const;

 private:
  const std::string secret_;
};

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_LOOKUP_CODE_H_
