// roles.h MayReadCaseAs and NarrowToRoleScope: what a person reads by their
// roles, applied alike by routing, supervision and notification (issue 16
// item 4: "every page reads only what the user's office may read", and
// K2's report: an ADMIN-only user read red lights, deadlines and SMS).
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "domain/access/roles.h"
#include "gtest/gtest.h"

namespace caserelay::access {
namespace {

using v1::StaffRole;

constexpr char kOffice[] = "140431001:gov";
constexpr char kOther[] = "140431002:gov";

const StaffRoles kAdmin = {v1::STAFF_ROLE_ADMIN};
const StaffRoles kHandler = {v1::STAFF_ROLE_HANDLER};
const StaffRoles kHead = {v1::STAFF_ROLE_HEAD};
const StaffRoles kInspector = {v1::STAFF_ROLE_INSPECTOR};
const StaffRoles kLeader = {v1::STAFF_ROLE_LEADER};

CaseParties Held(const std::string& holder, const std::string& past = "",
                 const std::string& party = "") {
  CaseParties p;
  p.case_id = "C";
  p.acting_offices = {holder};
  if (!past.empty()) p.past_holders = {past};
  if (!party.empty()) p.parties = {party};
  return p;
}

TEST(ReadScopeTest, OneCaseByTheRoles) {
  struct Row {
    const char* rule;
    StaffRoles roles;
    CaseParties parties;
    bool reads;
  };
  const std::vector<Row> rows = {
      {"roles.h: ADMIN alone reads no case (管理员只管理本单位用户)", kAdmin,
       Held(kOffice), false},
      {"roles.h: a HANDLER reads a case its office holds", kHandler,
       Held(kOffice), true},
      {"roles.h: ... or held before (past holder)", kHandler,
       Held(kOther, kOffice), true},
      {"roles.h: ... or is a party of (review organ, supervised office)",
       kHead, Held(kOther, "", kOffice), true},
      {"roles.h: a HEAD does not read the subtree's other cases", kHead,
       Held(kOther), false},
      {"roles.h: an INSPECTOR reads the subtree (CaseAccess decides)",
       kInspector, Held(kOther), true},
      {"roles.h: a LEADER reads the subtree (CaseAccess decides)", kLeader,
       Held(kOther), true},
      {"roles.h: the office's own credential has every role", EveryRole(),
       Held(kOther), true},
      {"roles.h: ADMIN with HANDLER reads as the handler",
       {v1::STAFF_ROLE_ADMIN, v1::STAFF_ROLE_HANDLER}, Held(kOffice), true},
  };
  for (const Row& row : rows) {
    absl::Status s = MayReadCaseAs(row.roles, kOffice, row.parties);
    EXPECT_EQ(s.ok(), row.reads) << row.rule << ": " << s;
    if (!row.reads) {
      EXPECT_TRUE(absl::IsPermissionDenied(s)) << row.rule;
    }
  }
}

TEST(ReadScopeTest, ListsByTheRoles) {
  struct Row {
    const char* rule;
    StaffRoles roles;
    std::string region, office;  // asked
    bool allowed;
    std::string region_after, office_after;
  };
  const std::vector<Row> rows = {
      {"roles.h: ADMIN alone lists nothing (no red lights, no figures)",
       kAdmin, "", "", false, "", ""},
      {"roles.h: a HEAD's board is its own office's", kHead, "", "", true, "",
       kOffice},
      {"roles.h: ... asked by name, too", kHead, "", kOffice, true, "",
       kOffice},
      {"roles.h: ... never another office's", kHead, "", kOther, false, "",
       kOther},
      {"roles.h: ... nor a region's", kHandler, "140431", "", false, "140431",
       ""},
      {"roles.h: an INSPECTOR asks the subtree (CaseAccess decides)",
       kInspector, "140431", "", true, "140431", ""},
      {"roles.h: a LEADER's empty ask stays for the office's own scope",
       kLeader, "", "", true, "", ""},
      {"roles.h: the office's own credential has every role", EveryRole(),
       "", kOther, true, "", kOther},
  };
  for (const Row& row : rows) {
    std::string region = row.region, office = row.office;
    absl::Status s = NarrowToRoleScope(row.roles, kOffice, &region, &office);
    EXPECT_EQ(s.ok(), row.allowed) << row.rule << ": " << s;
    if (!row.allowed) {
      EXPECT_TRUE(absl::IsPermissionDenied(s)) << row.rule;
      continue;
    }
    EXPECT_EQ(region, row.region_after) << row.rule;
    EXPECT_EQ(office, row.office_after) << row.rule;
  }
}

}  // namespace
}  // namespace caserelay::access
