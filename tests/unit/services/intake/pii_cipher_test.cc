// PiiCipher (pii_cipher.h): AES-256-GCM of personal data at rest, issue 14
// item 3 ("an authenticated cipher ... with key rotation: new writes under
// the new key, old ones readable").

#include "services/intake/pii_cipher.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace caserelay::intake {
namespace {

const std::string kKey1(kPiiKeySize, '\x01');
const std::string kKey2(kPiiKeySize, '\x02');

std::unique_ptr<PiiCipher> Ring(std::map<std::string, std::string> keys,
                                const std::string& current) {
  PiiKeyRing ring;
  ring.keys = std::move(keys);
  ring.current = current;
  ring.identity_secret = std::string(16, 'i');
  auto cipher = PiiCipher::Create(std::move(ring));
  EXPECT_TRUE(cipher.ok()) << cipher.status();
  return cipher.ok() ? *std::move(cipher) : nullptr;
}

// Offset of the first ciphertext byte of a value sealed under key id "k1"
// (marker, version, length, id, 12-byte nonce).
constexpr size_t kBodyAt = 3 + 2 + 12;

// `s` with the byte at `at` changed (`at` from the end when negative).
std::string Flip(std::string s, long at, char bits = 0x01) {
  size_t i =
      at >= 0 ? static_cast<size_t>(at) : s.size() - static_cast<size_t>(-at);
  if (i < s.size()) s[i] = static_cast<char>(s[i] ^ bits);
  return s;
}

TEST(PiiCipherTest, OpensWhatItSealedAndRefusesEveryChange) {
  struct Row {
    const char* rule;
    // Changes the sealed value or the reader; returns the value to open.
    std::function<std::string(std::string sealed)> change;
    const char* reader_current;  // the reader's ring: k1 (+ k2 if "k2")
    std::string aad;
    absl::StatusCode want;
  };
  const std::vector<Row> rows = {
      {"round trip: the same ring and record open it", [](auto s) { return s; },
       "k1", "rec-1", absl::StatusCode::kOk},
      {"rotation: a ring whose current key is k2 still opens k1's value",
       [](auto s) { return s; }, "k2", "rec-1", absl::StatusCode::kOk},
      {"moved ciphertext: another record's associated data does not open",
       [](auto s) { return s; }, "k1", "rec-2", absl::StatusCode::kDataLoss},
      {"tampered ciphertext byte", [](auto s) { return Flip(s, kBodyAt); },
       "k1", "rec-1", absl::StatusCode::kDataLoss},
      {"tampered tag byte", [](auto s) { return Flip(s, -1, '\x80'); }, "k1",
       "rec-1", absl::StatusCode::kDataLoss},
      {"tampered nonce byte", [](auto s) { return Flip(s, kBodyAt - 1); }, "k1",
       "rec-1", absl::StatusCode::kDataLoss},
      {"wrong key id: relabelled k2 (in the ring, another key)",
       [](auto s) { return Flip(s, 4, '1' ^ '2'); }, "k2", "rec-1",
       absl::StatusCode::kDataLoss},
      {"wrong key id: a key the ring does not hold",
       [](auto s) { return Flip(s, 4, '1' ^ '9'); }, "k1", "rec-1",
       absl::StatusCode::kFailedPrecondition},
      {"truncated: shorter than nonce and tag",
       [](auto s) { return s.substr(0, kBodyAt); }, "k1", "rec-1",
       absl::StatusCode::kDataLoss},
      {"not sealed: a protobuf kept in clear",
       [](auto) { return std::string("\x0a\x06\xe5\xbc\xa0\xe4\xb8\x89"); },
       "k1", "rec-1", absl::StatusCode::kDataLoss},
  };
  auto writer = Ring({{"k1", kKey1}}, "k1");
  auto sealed = writer->Seal("张三|13800138000", "rec-1");
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(PiiCipher::KeyIdOf(*sealed), "k1");
  EXPECT_EQ(sealed->find("13800138000"), std::string::npos) << "in clear";
  for (const Row& row : rows) {
    auto reader = std::string(row.reader_current) == "k2"
                      ? Ring({{"k1", kKey1}, {"k2", kKey2}}, "k2")
                      : Ring({{"k1", kKey1}}, "k1");
    auto opened = reader->Open(row.change(*sealed), row.aad);
    EXPECT_EQ(opened.status().code(), row.want)
        << row.rule << ": " << opened.status();
    if (row.want == absl::StatusCode::kOk && opened.ok()) {
      EXPECT_EQ(*opened, "张三|13800138000") << row.rule;
    }
  }
}

TEST(PiiCipherTest, NewWritesGoUnderTheCurrentKeyWithAFreshNonce) {
  // Rotation: after k2 is made current, new values are sealed under k2;
  // every Seal draws a new nonce, so equal plaintexts never look equal.
  auto rotated = Ring({{"k1", kKey1}, {"k2", kKey2}}, "k2");
  auto a = rotated->Seal("same", "rec");
  auto b = rotated->Seal("same", "rec");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(PiiCipher::KeyIdOf(*a), "k2");
  EXPECT_NE(*a, *b);
  auto old_reader = Ring({{"k1", kKey1}}, "k1");
  EXPECT_EQ(old_reader->Open(*a, "rec").status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "a ring without k2 cannot read k2's values";
}

TEST(PiiCipherTest, CreateRefusesABadRing) {
  struct Row {
    const char* rule;
    PiiKeyRing ring;
  };
  PiiKeyRing no_current{{{"k1", kKey1}}, "k2", "identity-secret!"};
  PiiKeyRing short_key{
      {{"k1", std::string(16, 'x')}}, "k1", "identity-secret!"};
  const std::vector<Row> rows = {
      {"the current key must be in the ring", no_current},
      {"an AES-256 key is 32 bytes", short_key},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(PiiCipher::Create(row.ring).status().code(),
              absl::StatusCode::kInvalidArgument)
        << row.rule;
  }
}

}  // namespace
}  // namespace caserelay::intake
