#include "domain/petition/identity.h"

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::petition {
namespace {

using ::testing::HasSubstr;

const absl::CivilDay kToday(2026, 11, 22);

constexpr char kChecksum[] =
    "DOMAIN.md Who is involved: validate the GB 11643 checksum (ISO 7064 "
    "MOD 11-2)";
constexpr char kBirthDate[] =
    "GB 11643-1999: characters 7-14 are the birth date YYYYMMDD";
constexpr char kLength[] = "GB 11643-1999: 17 digits + 1 check character";

struct IdCase {
  std::string id;
  std::string rule;
};

void PrintTo(const IdCase& c, std::ostream* os) { *os << c.id; }

class ValidIdTest : public ::testing::TestWithParam<IdCase> {};

TEST_P(ValidIdTest, IsAccepted) {
  EXPECT_TRUE(ValidateIdNumber(GetParam().id, kToday).ok())
      << GetParam().id << " — " << GetParam().rule;
}

INSTANTIATE_TEST_SUITE_P(
    Gb11643, ValidIdTest,
    ::testing::Values(
        IdCase{"11010519491231002X", "GB 11643-1999 worked example, check X"},
        IdCase{"11010519491231002x", "lowercase x accepted as X"},
        IdCase{"440308199901011234", kChecksum},
        IdCase{"320106198005150011", "check character 1 (remainder 0)"},
        IdCase{"320106198005150070", "check character 0 (remainder 1)"},
        IdCase{"140431200002290042", "2000-02-29: 2000 is a leap year"},
        IdCase{"650102202611220016", "born today is not in the future"},
        IdCase{"140431180001010015", "1800-01-01 is the earliest birth date"}));

struct BadIdCase {
  std::string id;
  std::string message;  // what the error must name
  std::string rule;
};

void PrintTo(const BadIdCase& c, std::ostream* os) { *os << c.id; }

class InvalidIdTest : public ::testing::TestWithParam<BadIdCase> {};

TEST_P(InvalidIdTest, IsInvalidArgumentNamingTheRule) {
  const BadIdCase& c = GetParam();
  absl::Status s = ValidateIdNumber(c.id, kToday);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument)
      << c.id << " — " << c.rule;
  EXPECT_THAT(s.message(), HasSubstr(c.message)) << c.rule;
  EXPECT_THAT(s.message(), HasSubstr("id_number"));
}

INSTANTIATE_TEST_SUITE_P(
    Gb11643, InvalidIdTest,
    ::testing::Values(
        BadIdCase{"", "18 characters", kLength},
        BadIdCase{"11010519491231002", "18 characters", kLength},
        BadIdCase{"11010519491231002X0", "18 characters", kLength},
        BadIdCase{"110105491231002", "18 characters",
                  "15-digit first-generation numbers are not accepted"},
        BadIdCase{"1101051949123100AX", "digits", kLength},
        BadIdCase{" 1010519491231002X", "digits", kLength},
        BadIdCase{"11010519491231002Y", "0-9 or X", kLength},
        BadIdCase{"110105194912310021", "checksum", kChecksum},
        BadIdCase{"11010519491231003X", "checksum",
                  "one digit changed (002 -> 003) with the old check X"},
        BadIdCase{"110105194912310020", "checksum", kChecksum},
        // Each birth-date row carries a correct check character, so only the
        // date can be what fails.
        BadIdCase{"140431190002290011", "not a real date",
                  "1900-02-29: 1900 is not a leap year"},
        BadIdCase{"140431200102290015", "not a real date", kBirthDate},
        BadIdCase{"140431194904310016", "not a real date", "April has 30 days"},
        BadIdCase{"140431194913310018", "not a real date", "month 13"},
        BadIdCase{"140431194912000018", "not a real date", "day 00"},
        BadIdCase{"140431194912320011", "not a real date", "day 32"},
        BadIdCase{"14043120261123001X", "future", "born tomorrow"},
        BadIdCase{"140431179912310010", "before 1800", kBirthDate}));

TEST(IdNumberTest, NormalizeUppercasesTheCheckCharacter) {
  absl::StatusOr<std::string> id =
      NormalizeIdNumber("11010519491231002x", kToday);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, "11010519491231002X");
}

TEST(IdNumberTest, NormalizeRejectsWhatValidateRejects) {
  EXPECT_EQ(NormalizeIdNumber("110105194912310021", kToday).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(IdNumberTest, ErrorsDoNotEchoTheNumber) {
  // DOMAIN.md Who is involved: personal data is sensitive.
  absl::Status s = ValidateIdNumber("110105194912310021", kToday);
  EXPECT_THAT(s.message(), ::testing::Not(HasSubstr("11010519491231")));
}

struct PhoneCase {
  std::string phone;
  bool valid;
  bool mobile;
  std::string normalized;  // for mobiles
  std::string rule;
};

void PrintTo(const PhoneCase& c, std::ostream* os) { *os << c.phone; }

class PhoneTest : public ::testing::TestWithParam<PhoneCase> {};

TEST_P(PhoneTest, ClassifiesAndNormalizes) {
  const PhoneCase& c = GetParam();
  absl::Status valid = ValidatePhone(c.phone);
  if (c.valid) {
    EXPECT_TRUE(valid.ok()) << c.phone << " — " << c.rule << ": " << valid;
  } else {
    EXPECT_EQ(valid.code(), absl::StatusCode::kInvalidArgument)
        << c.phone << " — " << c.rule;
    EXPECT_THAT(valid.message(), HasSubstr("phone"));
  }
  EXPECT_EQ(IsMobile(c.phone), c.mobile) << c.phone << " — " << c.rule;
  absl::StatusOr<std::string> mobile = NormalizeMobile(c.phone);
  if (c.mobile) {
    ASSERT_TRUE(mobile.ok()) << c.phone << ": " << mobile.status();
    EXPECT_EQ(*mobile, c.normalized);
  } else {
    EXPECT_EQ(mobile.status().code(), absl::StatusCode::kInvalidArgument)
        << c.phone << " — " << c.rule;
  }
}

constexpr char kMobile[] = "mainland mobile 1[3-9] + 9 digits";
constexpr char kLandline[] = "landline 0 + 2-3 digit area code + 7-8 digits";
constexpr char kSms[] = "DOMAIN.md: a phone is needed for SMS; only mobiles";

INSTANTIATE_TEST_SUITE_P(
    Phones, PhoneTest,
    ::testing::Values(
        PhoneCase{"13800138000", true, true, "13800138000", kMobile},
        PhoneCase{"19912345678", true, true, "19912345678", kMobile},
        PhoneCase{"+8613800138000", true, true, "13800138000", "+86 prefix"},
        PhoneCase{"008613800138000", true, true, "13800138000", "0086 prefix"},
        PhoneCase{"8613800138000", true, true, "13800138000", "86 prefix"},
        PhoneCase{"+86 138-0013-8000", true, true, "13800138000",
                  "spaces and hyphens ignored"},
        PhoneCase{" 138 0013 8000 ", true, true, "13800138000",
                  "spaces ignored"},
        PhoneCase{"12800138000", false, false, "", "second digit 2"},
        PhoneCase{"23800138000", false, false, "", "does not start with 1"},
        PhoneCase{"1380013800", false, false, "", "10 digits"},
        PhoneCase{"138001380001", false, false, "", "12 digits"},
        PhoneCase{"+85213800138000", false, false, "", "not +86"},
        PhoneCase{"1380013800a", false, false, "", "a letter"},
        PhoneCase{"", false, false, "", "empty"},
        PhoneCase{"010-12345678", true, false, "", kLandline},
        PhoneCase{"0354-3123456", true, false, "", kLandline},
        PhoneCase{"03543123456", true, false, "", kLandline},
        PhoneCase{"01012345678", true, false, "", kLandline},
        PhoneCase{"010-123456", false, false, "", "6-digit local number"},
        PhoneCase{"01-12345678", false, false, "", "1-digit area code"},
        PhoneCase{"03541-3123456", false, false, "", "5-digit area code"},
        PhoneCase{"010--12345678", false, false, "", "two hyphens"},
        PhoneCase{"12345678", false, false, "", kSms}));

}  // namespace
}  // namespace caserelay::petition
