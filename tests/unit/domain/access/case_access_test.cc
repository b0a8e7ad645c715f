// CaseAccess over the committed offices: who reads a case, which rows of
// a list an office sees, which scopes it may ask for (DESIGN.md
// "Security"; Regulation Art. 30). Each row cites its rule.
#include "domain/access/case_access.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/offices/offices_fixture.h"

namespace caserelay::access {
namespace {

using ::caserelay::offices::testing::Offices;
using ::testing::HasSubstr;
using ::testing::Not;
using C = absl::StatusCode;

constexpr char kCase[] = "140431-20261201-000001";

// Rules, as the file comment of case_access.h states them.
constexpr char kHolder[] = "the holder reads its case";
constexpr char kSuperior[] =
    "a bureau or government whose region contains the holder's reads it";
constexpr char kDepartment[] = "departments supervise nothing";
constexpr char kPast[] = "a past holder reads the case";
constexpr char kParty[] = "a party the caller names reads the case";
constexpr char kOutside[] =
    "an office outside the case and its subtree does not";
constexpr char kArt30[] =
    "Art. 30: never the accused unit, whatever else it is";
constexpr char kArt30Member[] =
    "Art. 30: an accused government's offices are its members";
constexpr char kActing[] =
    "supervision's deadline offices act on the case: they and their superiors "
    "read";
constexpr char kUnknown[] =
    "accused unknown: only the offices named in the case, no superior";

// 沁源县人社局 holds the case; 沁河镇 held it before; 长治市人社局 is a
// review organ (a party).
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
const std::vector<std::string> kCityBureauAccused = {"140400:bureau"};
const std::vector<std::string> kCountyGovAccused = {"140431:gov"};

// Who reads the case of Parties(accused), with `extra_acting` acting on it.
TEST(CaseAccessTest, MayReadFollowsTheRules) {
  struct ReadCase {
    std::string rule;
    std::string office;
    std::optional<std::vector<std::string>> accused;
    C want;
    std::vector<std::string> extra_acting = {};
  };
  CaseAccess access(&Offices());
  for (const ReadCase& c : std::vector<ReadCase>{
           ReadCase{kHolder, "140431:hrss", kNone, C::kOk},
           ReadCase{kSuperior, "140431:gov", kNone, C::kOk},
           ReadCase{kSuperior, "140400:bureau", kNone, C::kOk},
           ReadCase{kSuperior, "140000:bureau", kNone, C::kOk},
           ReadCase{kSuperior, "140000:gov", kNone, C::kOk},
           ReadCase{kDepartment, "140000:hrss", kNone, C::kPermissionDenied},
           ReadCase{kPast, "140431100:gov", kNone, C::kOk},
           ReadCase{kParty, "140400:hrss", kNone, C::kOk},
           ReadCase{kOutside, "140431:housing", kNone, C::kPermissionDenied},
           ReadCase{kOutside, "140404:bureau", kNone, C::kPermissionDenied},
           ReadCase{kOutside, "140200:bureau", kNone, C::kPermissionDenied},
           ReadCase{kOutside, "130000:bureau", kNone, C::kPermissionDenied},
           ReadCase{kOutside, "not-an-office", kNone, C::kPermissionDenied},
           ReadCase{kArt30, "140400:bureau", kCityBureauAccused,
                    C::kPermissionDenied},
           ReadCase{kSuperior, "140000:bureau", kCityBureauAccused, C::kOk},
           ReadCase{kArt30, "140431:hrss",
                    std::vector<std::string>{"140431:hrss"},
                    C::kPermissionDenied},
           ReadCase{kArt30Member, "140431:bureau", kCountyGovAccused,
                    C::kPermissionDenied},
           ReadCase{kArt30Member, "140431:hrss", kCountyGovAccused,
                    C::kPermissionDenied},
           ReadCase{kArt30Member, "140400:bureau", kCountyGovAccused, C::kOk},
           ReadCase{kActing, "140404:hrss", kNone, C::kOk, {"140404:hrss"}},
           ReadCase{kActing, "140404:bureau", kNone, C::kOk, {"140404:hrss"}},
           ReadCase{kUnknown, "140431:hrss", std::nullopt, C::kOk},
           ReadCase{kUnknown, "140431100:gov", std::nullopt, C::kOk},
           ReadCase{kUnknown, "140400:hrss", std::nullopt, C::kOk},
           ReadCase{kUnknown, "140400:bureau", std::nullopt,
                    C::kPermissionDenied},
           ReadCase{kUnknown, "140200:bureau", std::nullopt,
                    C::kPermissionDenied},
       }) {
    SCOPED_TRACE(absl::StrCat(c.office, " (", c.rule, ")"));
    CaseParties p = Parties(c.accused);
    for (const auto& a : c.extra_acting) p.acting_offices.push_back(a);
    absl::Status s = access.MayRead(c.office, p);
    EXPECT_EQ(s.code(), c.want) << c.rule << ": " << s;
    if (!s.ok()) {
      EXPECT_THAT(s.message(), HasSubstr(c.office)) << "names the office";
      EXPECT_THAT(s.message(), HasSubstr(kCase)) << "names the case";
      if (c.accused.has_value()) {
        for (const auto& a : *c.accused) {
          if (a != c.office) {
            EXPECT_THAT(s.message(), Not(HasSubstr(a))) << "never the accused";
          }
        }
      }
    }
  }
}

TEST(CaseAccessTest, AccusedMessageCitesArt30AndNamesOnlyTheCaller) {
  CaseAccess access(&Offices());
  absl::Status s = access.MayRead("140431:hrss", Parties(kCountyGovAccused));
  EXPECT_EQ(s.code(), C::kPermissionDenied);
  EXPECT_EQ(s.message(),
            "Art. 30: 140431:hrss may not see case 140431-20261201-000001");
}

// Rows of a list asked for within an authorised scope.
TEST(CaseAccessTest, MayListRowFollowsTheRules) {
  struct RowCase {
    std::string rule;
    std::string office;
    std::optional<std::vector<std::string>> accused;
    bool want;
  };
  CaseAccess access(&Offices());
  for (const RowCase& c : std::vector<RowCase>{
           RowCase{"no accusation: the scope decides", "140400:bureau", kNone,
                   true},
           RowCase{kArt30, "140400:bureau", kCityBureauAccused, false},
           RowCase{kArt30Member, "140431:bureau", kCountyGovAccused, false},
           RowCase{"Art. 30: an office not accused still lists it",
                   "140000:bureau", kCityBureauAccused, true},
           RowCase{kUnknown, "140400:bureau", std::nullopt, false},
           RowCase{kUnknown, "140431:hrss", std::nullopt, true},
           RowCase{kUnknown, "140431100:gov", std::nullopt, true},
       }) {
    EXPECT_EQ(access.MayListRow(c.office, Parties(c.accused)), c.want)
        << c.office << " (" << c.rule << ")";
  }
}

constexpr char kOwn[] = "an office asks for its own cases";
constexpr char kSubtree[] =
    "a bureau or government asks for its region's subtree";

// Scoped queries: an office, or a region.
TEST(CaseAccessTest, ScopesFollowTheRules) {
  struct ScopeCase {
    std::string rule;
    std::string office;
    std::string scope;  // an office code, or a region code if no ':'
    C want;
  };
  CaseAccess access(&Offices());
  for (const ScopeCase& c : std::vector<ScopeCase>{
           ScopeCase{kOwn, "140431:hrss", "140431:hrss", C::kOk},
           ScopeCase{kDepartment, "140431:hrss", "140431:housing",
                     C::kPermissionDenied},
           ScopeCase{kDepartment, "140431:hrss", "140431",
                     C::kPermissionDenied},
           ScopeCase{kSubtree, "140400:bureau", "140431:hrss", C::kOk},
           ScopeCase{kSubtree, "140400:bureau", "140400", C::kOk},
           ScopeCase{kSubtree, "140400:bureau", "140431100", C::kOk},
           ScopeCase{kSubtree, "140400:gov", "140431", C::kOk},
           ScopeCase{kSubtree, "140431:bureau", "140431", C::kOk},
           ScopeCase{kOutside, "140431:bureau", "140400", C::kPermissionDenied},
           ScopeCase{kOutside, "140200:bureau", "140431", C::kPermissionDenied},
           ScopeCase{kOutside, "140200:bureau", "140431:bureau",
                     C::kPermissionDenied},
           ScopeCase{kOutside, "130000:bureau", "140000", C::kPermissionDenied},
           ScopeCase{"an unknown region is nobody's", "140000:bureau", "149999",
                     C::kPermissionDenied},
       }) {
    SCOPED_TRACE(absl::StrCat(c.office, " asks ", c.scope, " (", c.rule, ")"));
    absl::Status s = c.scope.find(':') == std::string::npos
                         ? access.MayAskRegion(c.office, c.scope)
                         : access.MayAskOffice(c.office, c.scope);
    EXPECT_EQ(s.code(), c.want) << c.rule << ": " << s;
    if (!s.ok()) {
      EXPECT_THAT(s.message(), HasSubstr(c.office));
    }
  }
}

}  // namespace
}  // namespace caserelay::access
