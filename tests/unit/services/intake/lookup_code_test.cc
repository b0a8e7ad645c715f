// LookupCodes: the petitioner's look-up code (查询码), derived from a secret
// and never stored: a look-up is verified by deriving it again (DESIGN.md
// Security; issue 22 item 8: a stored salted hash of 40 bits was an
// offline oracle).

#include "services/intake/lookup_code.h"

#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::intake {
namespace {

// lookup_code.cc: digits and capitals without the look-alikes 0/O, 1/I.
constexpr char kAlphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr char kCase[] = "140431-20261122-000001";

TEST(LookupCodesTest, DeriveIsTheSameForTheSameSecretAndCase) {
  LookupCodes a("secret-1");
  LookupCodes b("secret-1");
  EXPECT_EQ(a.Derive(kCase), a.Derive(kCase));
  EXPECT_EQ(a.Derive(kCase), b.Derive(kCase));
}

TEST(LookupCodesTest, DeriveDiffersAcrossCases) {
  LookupCodes codes("secret-1");
  std::set<std::string> seen;
  for (int i = 1; i <= 200; ++i) {
    seen.insert(codes.Derive(absl::StrFormat("140431-20261122-%06d", i)));
  }
  // 200 codes out of 32^8: a collision would mean the case is ignored.
  EXPECT_EQ(seen.size(), 200u);
}

TEST(LookupCodesTest, DeriveDiffersAcrossSecrets) {
  EXPECT_NE(LookupCodes("secret-1").Derive(kCase),
            LookupCodes("secret-2").Derive(kCase));
}

TEST(LookupCodesTest, CodeIsEightCharactersOfTheAlphabet) {
  LookupCodes codes("secret-1");
  std::set<char> used;
  for (int i = 1; i <= 500; ++i) {
    std::string code = codes.Derive(absl::StrFormat("110101-20261122-%06d", i));
    ASSERT_EQ(code.size(), 8u) << code;
    for (char c : code) {
      ASSERT_NE(std::string(kAlphabet).find(c), std::string::npos)
          << "'" << c << "' of " << code << " is not in " << kAlphabet;
      used.insert(c);
    }
  }
  // 4000 symbols drawn: every one of the 32 shows up.
  EXPECT_EQ(used.size(), 32u);
}

TEST(LookupCodesTest, VerifiesTheRightCode) {
  const LookupCodes codes("secret-1");
  EXPECT_TRUE(codes.Verify(kCase, codes.Derive(kCase)));
}

TEST(LookupCodesTest, DoesNotVerifyAWrongCode) {
  // Issue 22 item 8: verify by re-deriving the keyed code. Each row a way
  // to be wrong.
  const LookupCodes codes("secret-1");
  const std::string right = codes.Derive(kCase);
  std::string one_off = right;
  one_off[7] = one_off[7] == '2' ? '3' : '2';
  std::string lower = right;
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  for (const auto& [why, code] : std::vector<std::pair<const char*, std::string>>{
           {"last character differs", one_off},
           {"empty", ""},
           {"truncated", right.substr(0, 7)},
           {"with a character more", right + "2"},
           {"lowercase: codes are case-sensitive", lower},
       }) {
    if (code == right) continue;  // a code of digits only has no lowercase
    EXPECT_FALSE(codes.Verify(kCase, code)) << why;
  }
}

TEST(LookupCodesTest, DoesNotVerifyAnotherCasesCode) {
  const LookupCodes codes("secret-1");
  EXPECT_FALSE(codes.Verify(kCase, codes.Derive("140431-20261122-000002")));
}

TEST(LookupCodesTest, DoesNotVerifyUnderAnotherSecret) {
  // lookup_code.h: the secret is not rotatable; a code of one secret is
  // not a code of another.
  EXPECT_FALSE(
      LookupCodes("secret-2").Verify(kCase, LookupCodes("secret-1").Derive(kCase)));
}

}  // namespace
}  // namespace caserelay::intake
