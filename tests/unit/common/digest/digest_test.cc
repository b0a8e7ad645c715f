#include "common/digest/digest.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace caserelay::digest {
namespace {

// Published test vectors: FIPS 180-2 ("abc") and RFC 4231 test case 2.
TEST(DigestTest, MatchesThePublishedVectors) {
  EXPECT_EQ(absl::BytesToHexString(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(absl::BytesToHexString(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(absl::BytesToHexString(
                HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// The one comparison of secrets (MACs, look-up codes, token hashes): equal
// only for the same bytes of the same length.
TEST(DigestTest, ConstantTimeEqualsComparesBytesAndLength) {
  struct Row {
    std::string a, b;
    bool equal;
  };
  const Row rows[] = {
      {"", "", true},
      {"abc", "abc", true},
      {"abc", "abd", false},   // last byte differs
      {"xbc", "abc", false},   // first byte differs
      {"abc", "abcd", false},  // a prefix is not equal
      {"abcd", "abc", false},
      {std::string("a\0b", 3), std::string("a\0c", 3), false},  // past a NUL
      {std::string("a\0b", 3), std::string("a\0b", 3), true},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(ConstantTimeEquals(row.a, row.b), row.equal)
        << absl::CEscape(row.a) << " vs " << absl::CEscape(row.b);
  }
}

}  // namespace
}  // namespace caserelay::digest
