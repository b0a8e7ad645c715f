// A personal-data cipher for intake's unit tests: one key "t1", current,
// and the identity secret "test-identity-secret" (so identity keys equal
// IdentityKey(LookupCodes("test-identity-secret"), ...)).

#ifndef CASERELAY_TESTS_UNIT_SERVICES_INTAKE_TEST_PII_H_
#define CASERELAY_TESTS_UNIT_SERVICES_INTAKE_TEST_PII_H_

#include <string>

#include "services/intake/pii_cipher.h"

namespace caserelay::intake {

inline const PiiCipher& TestPii() {
  static const PiiCipher* const kPii = [] {
    PiiKeyRing ring;
    ring.keys["t1"] = std::string(kPiiKeySize, '\x11');
    ring.current = "t1";
    ring.identity_secret = "test-identity-secret";
    return PiiCipher::Create(std::move(ring)).value().release();
  }();
  return *kPii;
}

}  // namespace caserelay::intake

#endif  // CASERELAY_TESTS_UNIT_SERVICES_INTAKE_TEST_PII_H_
