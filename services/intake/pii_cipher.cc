#include "services/intake/pii_cipher.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace caserelay::intake {
namespace {

constexpr char kMarker = '\x00';
constexpr char kVersion = '\x01';
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* U(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

// The parts of a sealed value; views into it.
struct Parts {
  std::string_view header;  // marker, version, length, key id
  std::string_view key_id;
  std::string_view nonce;
  std::string_view ciphertext;
  std::string_view tag;
};

bool Split(std::string_view v, Parts* p) {
  if (v.size() < 3 || v[0] != kMarker || v[1] != kVersion) return false;
  size_t n = static_cast<unsigned char>(v[2]);
  if (n == 0 || v.size() < 3 + n + kNonceSize + kTagSize) return false;
  p->header = v.substr(0, 3 + n);
  p->key_id = v.substr(3, n);
  p->nonce = v.substr(3 + n, kNonceSize);
  p->ciphertext =
      v.substr(3 + n + kNonceSize, v.size() - 3 - n - kNonceSize - kTagSize);
  p->tag = v.substr(v.size() - kTagSize);
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PiiCipher>> PiiCipher::Create(PiiKeyRing ring) {
  for (const auto& [id, key] : ring.keys) {
    if (key.size() != kPiiKeySize || id.empty() || id.size() > 255) {
      return absl::InvalidArgumentError(
          absl::StrCat("pii key ", id, ": not a 32-byte AES-256 key"));
    }
  }
  if (ring.keys.count(ring.current) == 0) {
    return absl::InvalidArgumentError(
        "pii keys: the current key is not in the ring");
  }
  return std::unique_ptr<PiiCipher>(new PiiCipher(std::move(ring)));
}

bool PiiCipher::IsSealed(std::string_view value) {
  return !value.empty() && value[0] == kMarker;
}

std::string PiiCipher::KeyIdOf(std::string_view value) {
  Parts p;
  return Split(value, &p) ? std::string(p.key_id) : std::string();
}

absl::StatusOr<std::string> PiiCipher::Seal(std::string_view plaintext,
                                            std::string_view aad) const {
  const std::string& key = ring_.keys.at(ring_.current);
  std::string out;
  out.push_back(kMarker);
  out.push_back(kVersion);
  out.push_back(static_cast<char>(ring_.current.size()));
  out.append(ring_.current);
  const size_t header_size = out.size();
  std::string nonce(kNonceSize, '\0');
  if (RAND_bytes(U(nonce), kNonceSize) != 1) {
    return absl::InternalError("pii: no random nonce from OpenSSL");
  }
  out.append(nonce);
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  std::string body(plaintext.size(), '\0');
  std::string tag(kTagSize, '\0');
  const std::string_view header(out.data(), header_size);
  if (ctx == nullptr ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key),
                         U(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(header),
                        static_cast<int>(header.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(aad),
                        static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), U(body), &len, U(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), U(body) + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, U(tag)) !=
          1) {
    return absl::InternalError("pii: AES-256-GCM encryption failed");
  }
  out.append(body);
  out.append(tag);
  return out;
}

absl::StatusOr<std::string> PiiCipher::Open(std::string_view sealed,
                                            std::string_view aad) const {
  Parts p;
  if (!Split(sealed, &p)) {
    return absl::DataLossError("pii: not a sealed value (malformed header)");
  }
  auto key = ring_.keys.find(std::string(p.key_id));
  if (key == ring_.keys.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat("pii: key id ", std::string(p.key_id),
                     " is not in the key ring; add that key back "
                     "(docs/operator-guide.md \"Personal data keys\")"));
  }
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  std::string plain(p.ciphertext.size(), '\0');
  std::string tag(p.tag);
  bool ok = ctx != nullptr &&
            EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                               U(key->second), U(p.nonce)) == 1 &&
            EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(p.header),
                              static_cast<int>(p.header.size())) == 1 &&
            EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(aad),
                              static_cast<int>(aad.size())) == 1 &&
            EVP_DecryptUpdate(ctx.get(), U(plain), &len, U(p.ciphertext),
                              static_cast<int>(p.ciphertext.size())) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize,
                                U(tag)) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), U(plain) + len, &len) == 1;
  if (!ok) {
    return absl::DataLossError(
        absl::StrCat("pii: value under key ", std::string(p.key_id),
                     " does not authenticate (changed, or moved from "
                     "another record)"));
  }
  return plain;
}

}  // namespace caserelay::intake
