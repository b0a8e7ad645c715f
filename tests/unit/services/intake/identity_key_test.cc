// The petitioner's identity key (identity_key.h): what makes two petitions
// "the same petitioner" for routing's repeat and 信访终结 rules.

#include "services/intake/identity_key.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::intake {
namespace {

using caserelay::v1::Petitioner;

// A valid GB 11643 number whose check character is X.
constexpr char kIdX[] = "11010519491231002X";
constexpr char kOtherId[] = "110105194912310029";  // not valid: only a key

Petitioner Make(const std::string& name, const std::string& phone,
                const std::string& id = "") {
  Petitioner p;
  p.set_name(name);
  p.set_phone(phone);
  p.set_id_number(id);
  p.set_address("山西省长治市沁源县沁河镇1号");
  return p;
}

const LookupCodes& Codes() {
  static const LookupCodes* const kCodes = new LookupCodes("test-secret");
  return *kCodes;
}

TEST(IdentityKeyTest, IdNumberDecidesWhenGiven) {
  // Rule 1: the same ID number is the same petitioner, whatever the name
  // and phone.
  EXPECT_EQ(IdentityInput(Make("张三", "13800138000", kIdX)),
            std::string("id:") + kIdX);
  EXPECT_EQ(IdentityKey(Codes(), Make("张三", "13800138000", kIdX)),
            IdentityKey(Codes(), Make("张 三丰", "", kIdX)));
}

TEST(IdentityKeyTest, LowercaseXIsTheSameIdNumber) {
  std::string lower = kIdX;
  lower.back() = 'x';
  EXPECT_EQ(IdentityKey(Codes(), Make("张三", "", lower)),
            IdentityKey(Codes(), Make("张三", "", kIdX)));
}

TEST(IdentityKeyTest, DifferentIdNumbersAreDifferentPetitioners) {
  EXPECT_NE(IdentityKey(Codes(), Make("张三", "13800138000", kIdX)),
            IdentityKey(Codes(), Make("张三", "13800138000", kOtherId)));
}

TEST(IdentityKeyTest, WithoutIdNameAndMobileDecide) {
  // Rule 2: name and normalized mobile.
  EXPECT_EQ(IdentityInput(Make("张三", "+86 138-0013-8000")),
            "np:张三|13800138000");
}

TEST(IdentityKeyTest, WhitespaceInTheNameIsIgnored) {
  const std::string key = IdentityKey(Codes(), Make("张三", "13800138000"));
  EXPECT_EQ(IdentityKey(Codes(), Make("  张 三\t", "13800138000")), key);
  EXPECT_EQ(IdentityKey(Codes(), Make("张\u3000三", "13800138000")), key)
      << "the ideographic space U+3000";
  EXPECT_EQ(IdentityKey(Codes(), Make("张\u00a0三", "13800138000")), key)
      << "the no-break space U+00A0";
}

TEST(IdentityKeyTest, MobileFormsAreTheSameNumber) {
  EXPECT_EQ(IdentityKey(Codes(), Make("张三", "13800138000")),
            IdentityKey(Codes(), Make("张三", "0086 138 0013 8000")));
}

TEST(IdentityKeyTest, SameNameDifferentMobileIsADifferentPetitioner) {
  EXPECT_NE(IdentityKey(Codes(), Make("张三", "13800138000")),
            IdentityKey(Codes(), Make("张三", "13900139000")));
}

TEST(IdentityKeyTest, SameMobileDifferentNameIsADifferentPetitioner) {
  EXPECT_NE(IdentityKey(Codes(), Make("张三", "13800138000")),
            IdentityKey(Codes(), Make("李四", "13800138000")));
}

TEST(IdentityKeyTest, NothingIdentifyingGivesAnEmptyKey) {
  // Rule 3: a name alone, or with a landline, identifies nobody.
  EXPECT_EQ(IdentityKey(Codes(), Make("张三", "")), "");
  EXPECT_EQ(IdentityKey(Codes(), Make("张三", "0355-1234567")), "");
  EXPECT_EQ(IdentityKey(Codes(), Make("  ", "13800138000")), "");
}

TEST(IdentityKeyTest, KeyIsHexHmacUnderTheLookUpSecret) {
  const std::string key = IdentityKey(Codes(), Make("张三", "13800138000"));
  EXPECT_EQ(key, Codes().HexMac("np:张三|13800138000"));
  EXPECT_THAT(key, ::testing::MatchesRegex("[0-9a-f]{64}"));
  EXPECT_NE(key, IdentityKey(LookupCodes("other-secret"),
                             Make("张三", "13800138000")));
}

TEST(IdentityKeyTest, IdAndNamePhoneKeysNeverCollide) {
  // The prefixes keep the two kinds of input apart.
  EXPECT_NE(IdentityInput(Make("张三", "13800138000", kIdX)),
            IdentityInput(Make("张三", "13800138000")));
}

}  // namespace
}  // namespace caserelay::intake
