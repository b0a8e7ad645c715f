// LookupCodes: the petitioner's look-up code (查询码), derived from a secret
// and kept only as a salted hash (DESIGN.md Security: "the petitioner sees
// a case only with its case number and look-up code (stored hashed)").

#include "services/intake/lookup_code.h"

#include <set>
#include <string>

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

TEST(LookupCodesTest, NewSaltIsSixteenFreshBytes) {
  std::string a = LookupCodes::NewSalt();
  std::string b = LookupCodes::NewSalt();
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(b.size(), 16u);
  EXPECT_NE(a, b);
}

TEST(LookupCodesTest, HashIsSha256Sized) {
  EXPECT_EQ(LookupCodes::Hash("salt", "ABCD2345").size(), 32u);
}

TEST(LookupCodesTest, MatchesTheRightCode) {
  std::string salt = LookupCodes::NewSalt();
  std::string code = LookupCodes("secret-1").Derive(kCase);
  std::string hash = LookupCodes::Hash(salt, code);
  EXPECT_TRUE(LookupCodes::Matches(salt, code, hash));
}

TEST(LookupCodesTest, DoesNotMatchAWrongCode) {
  std::string salt = LookupCodes::NewSalt();
  std::string hash = LookupCodes::Hash(salt, "ABCD2345");
  EXPECT_FALSE(LookupCodes::Matches(salt, "ABCD2346", hash));
  EXPECT_FALSE(LookupCodes::Matches(salt, "", hash));
  EXPECT_FALSE(LookupCodes::Matches(salt, "abcd2345", hash));
}

TEST(LookupCodesTest, DoesNotMatchUnderAnotherSalt) {
  std::string hash = LookupCodes::Hash("salt-a", "ABCD2345");
  EXPECT_FALSE(LookupCodes::Matches("salt-b", "ABCD2345", hash));
}

TEST(LookupCodesTest, DoesNotMatchATruncatedHash) {
  std::string hash = LookupCodes::Hash("salt", "ABCD2345");
  EXPECT_FALSE(LookupCodes::Matches("salt", "ABCD2345", hash.substr(0, 16)));
  EXPECT_FALSE(LookupCodes::Matches("salt", "ABCD2345", ""));
}

TEST(LookupCodesTest, SameCodeHashesDifferentlyUnderDifferentSalts) {
  // A copy of the database alone must not reveal equal codes.
  EXPECT_NE(LookupCodes::Hash("salt-a", "ABCD2345"),
            LookupCodes::Hash("salt-b", "ABCD2345"));
}

}  // namespace
}  // namespace caserelay::intake
