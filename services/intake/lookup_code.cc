#include "services/intake/lookup_code.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstdlib>

namespace caserelay::intake {
namespace {
// 32 symbols: digits and capitals without 0/O, 1/I.
constexpr char kAlphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr int kCodeLength = 8;
}  // namespace

std::string LookupCodes::Derive(std::string_view case_number) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(case_number.data()),
       case_number.size(), mac, &len);
  std::string code;
  for (int i = 0; i < kCodeLength; ++i) code.push_back(kAlphabet[mac[i] & 31]);
  return code;
}

std::string LookupCodes::HexMac(std::string_view input) const {
  static constexpr char kHex[] = "0123456789abcdef";
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac,
       &len);
  std::string hex;
  hex.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[mac[i] >> 4]);
    hex.push_back(kHex[mac[i] & 15]);
  }
  return hex;
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
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(),
         reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

bool LookupCodes::Matches(std::string_view salt, std::string_view code,
                          std::string_view hash) {
  std::string h = Hash(salt, code);
  return h.size() == hash.size() &&
         CRYPTO_memcmp(h.data(), hash.data(), h.size()) == 0;
}

}  // namespace caserelay::intake
