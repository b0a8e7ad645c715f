#include "services/intake/lookup_code.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstdlib>

#include "absl/strings/escaping.h"
#include "common/digest/digest.h"

namespace caserelay::intake {
namespace {
// Debian's absl::string_view is not std::string_view (PLATFORM-NOTES).
absl::string_view A(std::string_view s) { return {s.data(), s.size()}; }

// 32 symbols: digits and capitals without 0/O, 1/I.
constexpr char kAlphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr int kCodeLength = 8;
}  // namespace

std::string LookupCodes::Derive(std::string_view case_number) const {
  const std::string mac = digest::HmacSha256(secret_, A(case_number));
  std::string code;
  for (int i = 0; i < kCodeLength; ++i) code.push_back(kAlphabet[mac[i] & 31]);
  return code;
}

std::string LookupCodes::HexMac(std::string_view input) const {
  return absl::BytesToHexString(digest::HmacSha256(secret_, A(input)));
}

std::string LookupCodes::NewSalt() {
  std::string salt(16, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), 16) != 1) {
    // No entropy is a broken machine, not a bad request: fail fast.
    std::abort();
  }
  return salt;
}

std::string LookupCodes::Hash(std::string_view salt, std::string_view code) {
  std::string input(salt);
  input.append(code);
  return digest::Sha256(input);
}

bool LookupCodes::Matches(std::string_view salt, std::string_view code,
                          std::string_view hash) {
  std::string h = Hash(salt, code);
  return h.size() == hash.size() &&
         CRYPTO_memcmp(h.data(), hash.data(), h.size()) == 0;
}

}  // namespace caserelay::intake
