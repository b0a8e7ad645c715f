// CaseAccess::MaySeePetitioner over the committed offices: who may see a
// petitioner's personal data and so find a case by the petitioner's name
// or phone (issue 16, the console's search). Each row cites its rule.
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "domain/access/case_access.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/offices/offices_fixture.h"

namespace caserelay::access {
namespace {

using ::caserelay::offices::testing::Offices;
using ::testing::HasSubstr;
using ::testing::Not;
using C = absl::StatusCode;

constexpr char kCase[] = "140431-20261201-000002";

// Rules, as case_access.h states them for MaySeePetitioner.
constexpr char kHolder[] = "the holder handles the case: it sees";
constexpr char kParty[] = "a named party (review organ) answers for it: sees";
constexpr char kSuperior[] =
    "a bureau or government supervising the holder answers for its "
    "handling: sees";
constexpr char kPast[] =
    "个人信息保护法 Art. 6: a past holder handles it no more: does not";
constexpr char kDepartment[] = "departments supervise nothing: do not";
constexpr char kOutside[] = "an office outside the case: does not";
constexpr char kArt30[] = "Art. 30: never the accused unit";
constexpr char kArt30Member[] =
    "Art. 30: an accused government's offices are its members";
constexpr char kUnknown[] =
    "accused unknown: only an acting office or a party itself";

// 沁源县人社局 holds the case; 沁河镇 and the county bureau held it before;
// 长治市人社局 is a review organ (a party).
CaseParties Parties(std::optional<std::vector<std::string>> accused) {
  CaseParties p;
  p.case_id = kCase;
  p.acting_offices = {"140431:hrss"};
  p.past_holders = {"140431100:gov", "140431:bureau"};
  p.parties = {"140400:hrss"};
  p.accused = std::move(accused);
  return p;
}

const std::vector<std::string> kNone;

TEST(PetitionerContactTest, MaySeePetitionerFollowsTheRules) {
  struct Row {
    std::string rule;
    std::string office;
    std::optional<std::vector<std::string>> accused;
    C want;
  };
  const std::vector<std::string> city_bureau = {"140400:bureau"};
  const std::vector<std::string> county_gov = {"140431:gov"};
  CaseAccess access(&Offices());
  for (const Row& r : std::vector<Row>{
           {kHolder, "140431:hrss", kNone, C::kOk},
           {kParty, "140400:hrss", kNone, C::kOk},
           {kSuperior, "140431:gov", kNone, C::kOk},
           {kSuperior, "140400:bureau", kNone, C::kOk},
           {kSuperior, "140000:bureau", kNone, C::kOk},
           // The county bureau supervises its county's holder: it sees,
           // as a superior, not as the past holder it also is.
           {kSuperior, "140431:bureau", kNone, C::kOk},
           {kPast, "140431100:gov", kNone, C::kPermissionDenied},
           {kDepartment, "140000:hrss", kNone, C::kPermissionDenied},
           {kOutside, "140431:housing", kNone, C::kPermissionDenied},
           {kOutside, "140404:bureau", kNone, C::kPermissionDenied},
           {kOutside, "130000:bureau", kNone, C::kPermissionDenied},
           {kArt30, "140400:bureau", city_bureau, C::kPermissionDenied},
           {kSuperior, "140000:bureau", city_bureau, C::kOk},
           {kArt30, "140431:hrss", std::vector<std::string>{"140431:hrss"},
            C::kPermissionDenied},
           {kArt30Member, "140431:bureau", county_gov, C::kPermissionDenied},
           {kArt30Member, "140431:hrss", county_gov, C::kPermissionDenied},
           {kUnknown, "140431:hrss", std::nullopt, C::kOk},
           {kUnknown, "140400:hrss", std::nullopt, C::kOk},
           {kUnknown, "140431100:gov", std::nullopt, C::kPermissionDenied},
           {kUnknown, "140400:bureau", std::nullopt, C::kPermissionDenied},
       }) {
    SCOPED_TRACE(absl::StrCat(r.office, " (", r.rule, ")"));
    absl::Status s = access.MaySeePetitioner(r.office, Parties(r.accused));
    EXPECT_EQ(s.code(), r.want) << r.rule << ": " << s;
    if (!s.ok()) {
      EXPECT_THAT(s.message(), HasSubstr(r.office)) << "names the office";
      EXPECT_THAT(s.message(), HasSubstr(kCase)) << "names the case";
      if (r.accused.has_value()) {
        for (const auto& a : *r.accused) {
          if (a != r.office) {
            EXPECT_THAT(s.message(), Not(HasSubstr(a))) << "never the accused";
          }
        }
      }
    }
  }
}

// Whoever sees the petitioner reads the case (MayRead): the contact rule
// is never wider than the read rule.
TEST(PetitionerContactTest, NoOneSeesThePetitionerOfACaseTheyMayNotRead) {
  CaseAccess access(&Offices());
  for (const auto& accused :
       std::vector<std::optional<std::vector<std::string>>>{
           kNone, std::vector<std::string>{"140400:bureau"},
           std::vector<std::string>{"140431:gov"}, std::nullopt}) {
    for (const char* office :
         {"140431:hrss", "140400:hrss", "140431:gov", "140431:bureau",
          "140400:bureau", "140000:bureau", "140431100:gov", "140000:hrss",
          "140404:bureau"}) {
      const CaseParties p = Parties(accused);
      if (access.MaySeePetitioner(office, p).ok()) {
        EXPECT_TRUE(access.MayRead(office, p).ok()) << office;
      }
    }
  }
}

}  // namespace
}  // namespace caserelay::access
