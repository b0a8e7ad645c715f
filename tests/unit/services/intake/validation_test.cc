// ValidateSubmission against DOMAIN.md "Who is involved" and "Channels",
// with the real region tree.

#include "services/intake/validation.h"

#include <fstream>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "caserelay/v1/intake.pb.h"
#include "common/region/region_tree.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::intake {
namespace {

using caserelay::v1::SubmitPetitionRequest;

const absl::CivilDay kToday(2026, 11, 22);

// A county that exists in data/regions/regions.tsv (山西省长治市沁源县).
constexpr char kRegion[] = "140431";

constexpr char kWhoIsInvolved[] =
    "DOMAIN.md Who is involved: name, address, the request, facts and "
    "reasons are required";

class ValidationTest : public ::testing::Test {
 protected:
  // A petition every rule accepts.
  static SubmitPetitionRequest Valid() {
    SubmitPetitionRequest req;
    auto* p = req.mutable_petitioner();
    p->set_name("张三");
    p->set_id_number("11010519491231002X");  // GB 11643 worked example
    p->set_phone("13800138000");
    p->set_address("山西省长治市沁源县沁河镇1号");
    auto* m = req.mutable_matter();
    m->set_region_code(kRegion);
    m->set_category("labour");
    m->set_matter_class(caserelay::v1::MATTER_CLASS_CLAIM);
    m->set_channel(caserelay::v1::CHANNEL_ONLINE);
    m->set_title("拖欠工资");
    m->set_text("某公司拖欠工资三个月，请求协调支付。");
    req.set_request_id("req-1");
    return req;
  }

  static absl::Status Validate(const SubmitPetitionRequest& req) {
    return ValidateSubmission(req, svctest::ShippedRegions(),
                              svctest::ShippedOfficeDirectory(), Limits(),
                              kToday);
  }
};

// Expects INVALID_ARGUMENT whose message starts with "<path>: ".
void ExpectFieldError(const absl::Status& s, const std::string& path,
                      const std::string& rule) {
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << rule;
  EXPECT_TRUE(absl::StartsWith(s.message(), path + ": "))
      << "message \"" << s.message() << "\" should start with " << path << " — "
      << rule;
}

TEST_F(ValidationTest, FullyValidPetitionIsAccepted) {
  EXPECT_EQ(Validate(Valid()).code(), absl::StatusCode::kOk);
}

TEST_F(ValidationTest, OptionalFieldsMayBeLeftOut) {
  // DOMAIN.md Who is involved: phone and ID number are optional.
  SubmitPetitionRequest req = Valid();
  req.mutable_petitioner()->clear_id_number();
  req.mutable_petitioner()->clear_phone();
  req.mutable_matter()->clear_title();
  req.mutable_matter()->clear_accused();
  req.clear_request_id();
  EXPECT_EQ(Validate(req).code(), absl::StatusCode::kOk);
}

// ---- required fields --------------------------------------------------

struct MissingCase {
  std::string path;
  std::function<void(SubmitPetitionRequest&)> clear;
  std::string rule;
};

void PrintTo(const MissingCase& c, std::ostream* os) { *os << c.path; }

class MissingFieldTest : public ValidationTest,
                         public ::testing::WithParamInterface<MissingCase> {};

TEST_P(MissingFieldTest, IsInvalidArgumentNamingTheField) {
  SubmitPetitionRequest req = Valid();
  GetParam().clear(req);
  ExpectFieldError(Validate(req), GetParam().path, GetParam().rule);
}

INSTANTIATE_TEST_SUITE_P(
    Required, MissingFieldTest,
    ::testing::Values(
        MissingCase{"petitioner",
                    [](SubmitPetitionRequest& r) { r.clear_petitioner(); },
                    kWhoIsInvolved},
        MissingCase{"matter",
                    [](SubmitPetitionRequest& r) { r.clear_matter(); },
                    kWhoIsInvolved},
        MissingCase{"petitioner.name",
                    [](SubmitPetitionRequest& r) {
                      r.mutable_petitioner()->clear_name();
                    },
                    kWhoIsInvolved},
        MissingCase{"petitioner.name",
                    [](SubmitPetitionRequest& r) {
                      r.mutable_petitioner()->set_name(" \t\n");
                    },
                    "a name of blanks is no name"},
        MissingCase{"petitioner.address",
                    [](SubmitPetitionRequest& r) {
                      r.mutable_petitioner()->clear_address();
                    },
                    kWhoIsInvolved},
        MissingCase{
            "matter.text",
            [](SubmitPetitionRequest& r) { r.mutable_matter()->clear_text(); },
            kWhoIsInvolved},
        MissingCase{"matter.text",
                    [](SubmitPetitionRequest& r) {
                      r.mutable_matter()->set_text("   ");
                    },
                    "a request of blanks is no request"},
        MissingCase{
            "matter.region_code",
            [](SubmitPetitionRequest& r) {
              r.mutable_matter()->clear_region_code();
            },
            "DOMAIN.md Routing: the matter's region decides the office"},
        MissingCase{"matter.matter_class",
                    [](SubmitPetitionRequest& r) {
                      r.mutable_matter()->clear_matter_class();
                    },
                    "DOMAIN.md Classification, Regulation Arts. 28-31"},
        MissingCase{"matter.channel",
                    [](SubmitPetitionRequest& r) {
                      r.mutable_matter()->clear_channel();
                    },
                    "DOMAIN.md Channels, Regulation Art. 17"}));

TEST_F(ValidationTest, MatterClassOutsideTheEnumIsRefused) {
  // Regulation Arts. 28-31 know three classes; proto3 lets any int through.
  SubmitPetitionRequest req = Valid();
  req.mutable_matter()->set_matter_class(
      static_cast<caserelay::v1::MatterClass>(99));
  ExpectFieldError(Validate(req), "matter.matter_class",
                   "DOMAIN.md Classification");
}

TEST_F(ValidationTest, ChannelOutsideTheEnumIsRefused) {
  SubmitPetitionRequest req = Valid();
  req.mutable_matter()->set_channel(static_cast<caserelay::v1::Channel>(42));
  ExpectFieldError(Validate(req), "matter.channel", "DOMAIN.md Channels");
}

// ---- ID number and phone ------------------------------------------------

TEST_F(ValidationTest, IdNumberWithBadChecksumIsRefused) {
  // DOMAIN.md Who is involved: validate the GB 11643 checksum when present
  // (the check character of 11010519491231002 is X, not 1).
  SubmitPetitionRequest req = Valid();
  req.mutable_petitioner()->set_id_number("110105194912310021");
  ExpectFieldError(Validate(req), "petitioner.id_number", "GB 11643 checksum");
}

TEST_F(ValidationTest, IdNumberBornAfterTodayIsRefused) {
  // GB 11643-1999: the birth date 2026-11-23 is after `today` (2026-11-22);
  // the checksum is right, so only the date can refuse it.
  SubmitPetitionRequest req = Valid();
  req.mutable_petitioner()->set_id_number("650102202611230011");
  ExpectFieldError(Validate(req), "petitioner.id_number",
                   "GB 11643 birth date not after today");
}

TEST_F(ValidationTest, IdNumberBornTodayIsAccepted) {
  SubmitPetitionRequest req = Valid();
  req.mutable_petitioner()->set_id_number("650102202611220016");
  EXPECT_EQ(Validate(req).code(), absl::StatusCode::kOk);
}

struct PhoneCase {
  std::string phone;
  bool ok;
  std::string rule;
};

void PrintTo(const PhoneCase& c, std::ostream* os) { *os << c.phone; }

class PhoneTest : public ValidationTest,
                  public ::testing::WithParamInterface<PhoneCase> {};

TEST_P(PhoneTest, FollowsThePhoneRule) {
  SubmitPetitionRequest req = Valid();
  req.mutable_petitioner()->set_phone(GetParam().phone);
  absl::Status s = Validate(req);
  if (GetParam().ok) {
    EXPECT_EQ(s.code(), absl::StatusCode::kOk) << GetParam().rule << ": " << s;
  } else {
    ExpectFieldError(s, "petitioner.phone", GetParam().rule);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Phone, PhoneTest,
    ::testing::Values(
        PhoneCase{"13800138000", true, "mainland mobile 1[3-9] + 9 digits"},
        PhoneCase{"+86 138-0013-8000", true, "+86 prefix, blanks and hyphens"},
        PhoneCase{"010-12345678", true,
                  "a landline is a valid contact (only SMS needs a mobile)"},
        PhoneCase{"12800138000", false, "mobiles start 13-19"},
        PhoneCase{"1380013800", false, "a mobile has 11 digits"},
        PhoneCase{"138001380000", false, "a mobile has 11 digits"},
        PhoneCase{"phone", false, "digits only"}));

// ---- region, category --------------------------------------------------

TEST_F(ValidationTest, UnknownRegionIsRefused) {
  // DOMAIN.md Regions: GB/T 2260 codes of the jurisdiction tree; 999999
  // is none.
  SubmitPetitionRequest req = Valid();
  req.mutable_matter()->set_region_code("999999");
  ExpectFieldError(Validate(req), "matter.region_code", "DOMAIN.md Regions");
}

TEST_F(ValidationTest, TownshipRegionIsAccepted) {
  // DOMAIN.md Regions: nine-digit township codes are part of the tree.
  auto children = svctest::ShippedRegions().Children(kRegion);
  ASSERT_FALSE(children.empty());
  SubmitPetitionRequest req = Valid();
  req.mutable_matter()->set_region_code(children.front()->code);
  EXPECT_EQ(Validate(req).code(), absl::StatusCode::kOk);
}

struct CategoryCase {
  std::string category;
  bool ok;
  std::string rule;
};

void PrintTo(const CategoryCase& c, std::ostream* os) { *os << c.category; }

class CategoryTest : public ValidationTest,
                     public ::testing::WithParamInterface<CategoryCase> {};

TEST_P(CategoryTest, FollowsTheCategoryFormat) {
  SubmitPetitionRequest req = Valid();
  req.mutable_matter()->set_category(GetParam().category);
  absl::Status s = Validate(req);
  if (GetParam().ok) {
    EXPECT_EQ(s.code(), absl::StatusCode::kOk) << GetParam().rule << ": " << s;
  } else {
    ExpectFieldError(s, "matter.category", GetParam().rule);
  }
}

constexpr char kCategoryTable[] =
    "issue 22 item 3: a category is a row of data/offices/categories.tsv, "
    "the list routing decides by; anything else routing could only "
    "dead-letter";
constexpr char kCategoryData[] =
    "data/offices/categories.tsv writes hyphenated codes; intake must take "
    "every one of them";
constexpr char kNoResponsibleUnit[] =
    "DOMAIN.md Routing: 无头事项 (no identifiable responsible unit) go to the "
    "receiving bureau's triage queue: no category is a petition too "
    "(issue 13 item 4)";

INSTANTIATE_TEST_SUITE_P(
    Category, CategoryTest,
    ::testing::Values(
        CategoryCase{"labour", true, kCategoryData},
        CategoryCase{"", true, kNoResponsibleUnit},
        CategoryCase{"nosuchcategory", false, kCategoryTable},
        CategoryCase{"land_use_2", false, kCategoryTable},
        CategoryCase{std::string(64, 'a'), false, kCategoryTable},
        CategoryCase{std::string(65, 'a'), false, kCategoryTable},
        CategoryCase{"Labour", false, kCategoryTable},
        CategoryCase{"public-security", true, kCategoryData},
        CategoryCase{"courts-legal", true, kCategoryData},
        CategoryCase{"-labour", false, kCategoryTable},
        CategoryCase{"labour-", false, kCategoryTable},
        CategoryCase{"labour ", false, kCategoryTable},
        CategoryCase{"劳动", false, kCategoryTable}));

// Issue 22 item 3: every code of the matter is checked against the tables
// routing uses, by routing's own check (ValidateMatter), so intake issues
// no receipt for a petition routing could only dead-letter.
TEST_F(ValidationTest, EveryCodeOfTheMatterIsOneRoutingKnows) {
  struct Row {
    const char* rule;
    const char* path;
    std::function<void(SubmitPetitionRequest&)> change;
  };
  const std::vector<Row> rows = {
      {"DOMAIN.md Routing (三跨): a further category is a category too",
       "matter.other_categories[1]",
       [](SubmitPetitionRequest& r) {
         r.mutable_matter()->add_other_categories("housing");
         r.mutable_matter()->add_other_categories("nosuchcategory");
       }},
      {"DOMAIN.md Regions and Routing (三跨): a further region is a region",
       "matter.other_regions[0]",
       [](SubmitPetitionRequest& r) {
         r.mutable_matter()->add_other_regions("999999");
       }},
      {"DOMAIN.md Routing (依法逐级走访): the office visited is an office",
       "matter.lodged_with",
       [](SubmitPetitionRequest& r) {
         r.mutable_matter()->set_lodged_with("140431:nosuchunit");
       }},
      {"DOMAIN.md Classification (Art. 30): the accused are offices",
       "matter.accused_offices[0]",
       [](SubmitPetitionRequest& r) {
         r.mutable_matter()->set_matter_class(
             caserelay::v1::MATTER_CLASS_ACCUSATION);
         r.mutable_matter()->add_accused_offices("140431100:hrss");
       }},
  };
  for (const Row& row : rows) {
    SubmitPetitionRequest req = Valid();
    row.change(req);
    ExpectFieldError(Validate(req), row.path, row.rule);
  }
  // And the same codes, known, pass.
  SubmitPetitionRequest req = Valid();
  req.mutable_matter()->add_other_categories("housing");
  req.mutable_matter()->add_other_regions("140403");
  req.mutable_matter()->set_lodged_with("140431:bureau");
  EXPECT_EQ(Validate(req).code(), absl::StatusCode::kOk) << Validate(req);
}

TEST_F(ValidationTest, NoCategoryStillNeedsARegion) {
  // Issue 13 item 4: a 无头事项 is accepted "with the region still
  // required" — the region names the receiving bureau that triages it
  // (DOMAIN.md Routing).
  SubmitPetitionRequest req = Valid();
  req.mutable_matter()->clear_category();
  EXPECT_EQ(Validate(req).code(), absl::StatusCode::kOk) << Validate(req);
  req.mutable_matter()->clear_region_code();
  ExpectFieldError(Validate(req), "matter.region_code",
                   "DOMAIN.md Routing: 无头事项 go to the receiving bureau");
  req.mutable_matter()->set_region_code("999999");
  ExpectFieldError(Validate(req), "matter.region_code", "DOMAIN.md Regions");
}

TEST_F(ValidationTest, AccusationNoBureauMayReceiveIsRefused) {
  // DOMAIN.md Classification (Art. 30): never routed to the accused. With
  // the governments of 沁源, 长治 and 山西 accused every bureau from the
  // county up to the province is a member: no office of the tree may
  // register it, so no case number is issued for it (issue 22 item 3).
  SubmitPetitionRequest req = Valid();
  auto* m = req.mutable_matter();
  m->set_category("discipline");
  m->set_matter_class(caserelay::v1::MATTER_CLASS_ACCUSATION);
  for (const char* accused : {"140431:gov", "140400:gov", "140000:gov"}) {
    m->add_accused_offices(accused);
  }
  absl::Status s = Validate(req);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_TRUE(absl::StartsWith(s.message(), "matter.accused_offices: "))
      << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "accused-excluded")) << s;
  // With the province's government left out, 山西省信访局 may receive it.
  m->mutable_accused_offices()->RemoveLast();
  EXPECT_EQ(Validate(req).code(), absl::StatusCode::kOk) << Validate(req);
}

TEST_F(ValidationTest, TakesEveryCategoryOfTheCategoryList) {
  // data/offices/categories.tsv is the list routing decides by: a petition
  // of any of its categories must get past intake.
  std::ifstream in(std::string(CASERELAY_SOURCE_DIR) +
                   "/data/offices/categories.tsv");
  ASSERT_TRUE(in.good());
  int seen = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::string category = line.substr(0, line.find('\t'));
    SubmitPetitionRequest req = Valid();
    req.mutable_matter()->set_category(category);
    EXPECT_EQ(Validate(req).code(), absl::StatusCode::kOk) << category;
    ++seen;
  }
  EXPECT_GE(seen, 14);
}

// ---- size limits, in characters ---------------------------------------

struct LimitCase {
  std::string path;
  int max;  // the Limits default
  std::function<void(SubmitPetitionRequest&, const std::string&)> set;
  std::string rule;
};

void PrintTo(const LimitCase& c, std::ostream* os) { *os << c.path; }

// `n` Chinese characters: 3 bytes each in UTF-8, so a byte count would be
// three times the character count.
std::string Chinese(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "信";
  return s;
}

class LimitTest : public ValidationTest,
                  public ::testing::WithParamInterface<LimitCase> {};

TEST_P(LimitTest, ExactlyMaxCharactersIsAccepted) {
  SubmitPetitionRequest req = Valid();
  GetParam().set(req, Chinese(GetParam().max));
  absl::Status s = Validate(req);
  EXPECT_EQ(s.code(), absl::StatusCode::kOk) << GetParam().rule << ": " << s;
}

TEST_P(LimitTest, OneCharacterOverMaxIsRefused) {
  SubmitPetitionRequest req = Valid();
  GetParam().set(req, Chinese(GetParam().max + 1));
  absl::Status s = Validate(req);
  ExpectFieldError(s, GetParam().path, GetParam().rule);
  // Issue 15 item 2: MatterBounds' Chinese words (matter_bounds.h), so the
  // portal shows them beside the field (was "is N characters, at most M").
  EXPECT_THAT(s.message(), ::testing::HasSubstr(absl::StrCat(
                               "最多 ", GetParam().max, " 个字符，收到 ",
                               GetParam().max + 1, " 个")));
}

INSTANTIATE_TEST_SUITE_P(
    Limits, LimitTest,
    ::testing::Values(
        LimitCase{"petitioner.name", 100,
                  [](SubmitPetitionRequest& r, const std::string& v) {
                    r.mutable_petitioner()->set_name(v);
                  },
                  "Limits.max_name_chars = 100"},
        LimitCase{"petitioner.address", 300,
                  [](SubmitPetitionRequest& r, const std::string& v) {
                    r.mutable_petitioner()->set_address(v);
                  },
                  "Limits.max_address_chars = 300"},
        LimitCase{"matter.title", 200,
                  [](SubmitPetitionRequest& r, const std::string& v) {
                    r.mutable_matter()->set_title(v);
                  },
                  "Limits.max_title_chars = 200"},
        LimitCase{"matter.text", 10000,
                  [](SubmitPetitionRequest& r, const std::string& v) {
                    r.mutable_matter()->set_text(v);
                  },
                  "intake.max_text_chars = 10000 (Limits.max_text_chars)"},
        LimitCase{"matter.accused", 100,
                  [](SubmitPetitionRequest& r, const std::string& v) {
                    r.mutable_matter()->set_accused(v);
                  },
                  "the accused is a name: Limits.max_name_chars = 100"},
        LimitCase{"request_id", 64,
                  [](SubmitPetitionRequest& r, const std::string& v) {
                    r.set_request_id(v);
                  },
                  "intake.proto: request_id at most 64 characters"}));

TEST_F(ValidationTest, ConfiguredTextLimitIsTheOneApplied) {
  // DOMAIN.md: limits are configuration (intake.max_text_chars).
  SubmitPetitionRequest req = Valid();
  req.mutable_matter()->set_text(Chinese(11));
  Limits limits;
  limits.max_text_chars = 10;
  ExpectFieldError(
      ValidateSubmission(req, svctest::ShippedRegions(),
                         svctest::ShippedOfficeDirectory(), limits, kToday),
      "matter.text", "Limits.max_text_chars = 10");
  limits.max_text_chars = 11;
  EXPECT_EQ(
      ValidateSubmission(req, svctest::ShippedRegions(),
                         svctest::ShippedOfficeDirectory(), limits, kToday).code(),
      absl::StatusCode::kOk);
}

// Issue 22 item 1: the lists of a matter and its code fields are bounded
// too (the reproduction: 120,000 other_categories were accepted and the
// PetitionReceived they made stalled intake's outbox for good).
TEST_F(ValidationTest, ListsAndCodesOfTheMatterAreBounded) {
  struct Row {
    const char* rule;
    const char* path;
    std::function<void(SubmitPetitionRequest&)> change;
  };
  const std::vector<Row> rows = {
      {"issue 22.1: at most intake.max_list_items (20) other_categories",
       "matter.other_categories",
       [](SubmitPetitionRequest& r) {
         for (int i = 0; i < 120000; ++i)
           r.mutable_matter()->add_other_categories("abcdefghij");
       }},
      {"issue 22.1: at most 20 other_regions", "matter.other_regions",
       [](SubmitPetitionRequest& r) {
         for (int i = 0; i < 21; ++i)
           r.mutable_matter()->add_other_regions("140402");
       }},
      {"issue 22.1: at most 20 accused_offices", "matter.accused_offices",
       [](SubmitPetitionRequest& r) {
         for (int i = 0; i < 21; ++i)
           r.mutable_matter()->add_accused_offices("140431:housing");
       }},
      {"issue 22.1: lodged_with is an office code, at most 64 characters",
       "matter.lodged_with",
       [](SubmitPetitionRequest& r) {
         r.mutable_matter()->set_lodged_with(std::string(65, 'a'));
       }},
      {"issue 22.1: an other_categories item is a code, at most 64",
       "matter.other_categories[0]",
       [](SubmitPetitionRequest& r) {
         r.mutable_matter()->add_other_categories(std::string(65, 'a'));
       }},
  };
  for (const Row& row : rows) {
    SubmitPetitionRequest req = Valid();
    row.change(req);
    ExpectFieldError(Validate(req), row.path, row.rule);
  }
}

TEST_F(ValidationTest, ConfiguredListLimitIsTheOneApplied) {
  // intake.max_list_items is configuration.
  SubmitPetitionRequest req = Valid();
  req.mutable_matter()->add_other_regions("140404");
  req.mutable_matter()->add_other_regions("140403");
  Limits limits;
  limits.max_list_items = 1;
  ExpectFieldError(
      ValidateSubmission(req, svctest::ShippedRegions(),
                         svctest::ShippedOfficeDirectory(), limits, kToday),
      "matter.other_regions", "Limits.max_list_items = 1");
  limits.max_list_items = 2;
  EXPECT_EQ(
      ValidateSubmission(req, svctest::ShippedRegions(),
                         svctest::ShippedOfficeDirectory(), limits, kToday).code(),
      absl::StatusCode::kOk);
}

// ---- CountChars ---------------------------------------------------------

TEST(CountCharsTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(CountChars(""), 0u);
  EXPECT_EQ(CountChars("abc"), 3u);
  EXPECT_EQ(CountChars("信访"), 2u);              // 3 bytes each
  EXPECT_EQ(CountChars("é"), 1u);                 // 2 bytes
  EXPECT_EQ(CountChars("\xF0\x9F\x98\x80"), 1u);  // U+1F600, 4 bytes
}

// validation.h: code points in valid UTF-8, bytes otherwise, so stray
// continuation bytes cannot slip past a size limit (a regression test).
TEST(CountCharsTest, InvalidUtf8CountsBytes) {
  EXPECT_EQ(CountChars("\x80\x80\x80"), 3u);
  EXPECT_EQ(CountChars("a\xBF"), 2u);
}

}  // namespace
}  // namespace caserelay::intake
