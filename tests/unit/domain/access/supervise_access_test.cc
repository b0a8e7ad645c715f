// Who may issue a 督办 by hand and on what ground (supervise_access.h,
// issue 18 item 4), over the committed regions and office tables. Each row
// cites its rule: DOMAIN.md "Supervision" (Regulation Arts. 39-40), 2005
// Art. 36, Art. 30.
#include "domain/access/supervise_access.h"

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/offices/offices_fixture.h"

namespace caserelay::access {
namespace {

using ::caserelay::offices::testing::Offices;
using C = absl::StatusCode;
using v1::SupervisionGround;

constexpr char kCase[] = "140431-20261201-000001";

// 沁源县人社局 holds the case; the county bureau owes a result on it.
SuperviseCase Case(std::optional<std::vector<std::string>> accused,
                   bool final_state = false) {
  SuperviseCase c;
  c.case_id = kCase;
  c.holder_office_code = "140431:hrss";
  c.deadline_offices = {"140431:hrss", "140431:bureau"};
  c.accused = std::move(accused);
  c.final_state = final_state;
  return c;
}

const std::vector<std::string> kNone;

struct Row {
  const char* rule;
  const char* issuer;
  const char* target;
  std::optional<std::vector<std::string>> accused;
  bool final_state;
  C want;
};

TEST(SuperviseAccessTest, WhoMayIssueToWhom) {
  const std::vector<Row> rows = {
      {"DOMAIN.md Supervision: the county bureau supervises its county's "
       "organs",
       "140431:bureau", "140431:hrss", kNone, false, C::kOk},
      {"DOMAIN.md Supervision: the city bureau supervises its subtree",
       "140400:bureau", "140431:hrss", kNone, false, C::kOk},
      {"DOMAIN.md Supervision: the province bureau supervises its subtree",
       "140000:bureau", "140431:hrss", kNone, false, C::kOk},
      {"DOMAIN.md Supervision: an office bound by a running deadline is "
       "supervised too (the late office)",
       "140400:bureau", "140431:bureau", kNone, false, C::kOk},
      {"DOMAIN.md Supervision: a bureau of another city does not supervise",
       "140100:bureau", "140431:hrss", kNone, false, C::kPermissionDenied},
      {"2005 Art. 36: 信访工作机构 supervise, not the people's government",
       "140431:gov", "140431:hrss", kNone, false, C::kPermissionDenied},
      {"2005 Art. 36: a department supervises nothing", "140400:hrss",
       "140431:hrss", kNone, false, C::kPermissionDenied},
      {"2005 Art. 36: 县级以上 — a township office issues no 督办",
       "140431100:gov", "140431:hrss", kNone, false, C::kPermissionDenied},
      {"DOMAIN.md Supervision: a bureau does not supervise itself",
       "140431:bureau", "140431:bureau", kNone, false, C::kPermissionDenied},
      {"DOMAIN.md Supervision: only an office acting on the case (holder or "
       "deadline office) is supervised on it",
       "140400:bureau", "140431:edu", kNone, false, C::kFailedPrecondition},
      {"Art. 30: the accused unit never supervises the case",
       "140400:bureau", "140431:hrss", std::vector<std::string>{"140400:bureau"},
       false, C::kPermissionDenied},
      {"Art. 30: a member of an accused government (its county bureau) "
       "never supervises the case",
       "140431:bureau", "140431:hrss", std::vector<std::string>{"140431:gov"},
       false, C::kPermissionDenied},
      {"Art. 30: no 督办 to an accused unit or a member of one about the "
       "accusation",
       "140400:bureau", "140431:hrss", std::vector<std::string>{"140431:gov"},
       false, C::kPermissionDenied},
      {"Art. 30 (case_access.h): accused unknown: nobody issues",
       "140400:bureau", "140431:hrss", std::nullopt, false,
       C::kPermissionDenied},
      {"Lifecycle::Supervise: a closed or linked case starts no reply "
       "deadline",
       "140400:bureau", "140431:hrss", kNone, true, C::kFailedPrecondition},
  };
  for (const Row& row : rows) {
    absl::Status s = MaySupervise(Offices(), row.issuer, row.target,
                                  Case(row.accused, row.final_state));
    EXPECT_EQ(s.code(), row.want)
        << row.rule << " (" << row.issuer << " -> " << row.target << "): "
        << s;
    if (!s.ok()) {
      EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr("："))
          << row.rule << ": the refusal carries its Chinese words";
    }
  }
}

TEST(SuperviseAccessTest, RefusalsNeverNameTheAccusedUnit) {
  // Art. 30: the message names the caller and the case, not the accused.
  absl::Status s =
      MaySupervise(Offices(), "140400:bureau", "140431:hrss",
                   Case(std::vector<std::string>{"140431:hrss"}));
  EXPECT_EQ(s.code(), C::kPermissionDenied);
  EXPECT_THAT(std::string(s.message()),
              ::testing::Not(::testing::HasSubstr("140431:hrss")));
}

TEST(SuperviseAccessTest, OfferListsTheTargetsTheRuleAllows) {
  // The console offers what MaySupervise allows: the city bureau both
  // acting offices (holder first); the county bureau not itself; a bureau
  // outside nothing (DOMAIN.md Supervision).
  EXPECT_THAT(SupervisableTargets(Offices(), "140400:bureau", Case(kNone)),
              ::testing::ElementsAre("140431:hrss", "140431:bureau"));
  EXPECT_THAT(SupervisableTargets(Offices(), "140431:bureau", Case(kNone)),
              ::testing::ElementsAre("140431:hrss"));
  EXPECT_TRUE(
      SupervisableTargets(Offices(), "140100:bureau", Case(kNone)).empty());
}

struct GroundRow {
  const char* rule;
  int ground;
  const char* reason;
  C want;
};

TEST(SuperviseAccessTest, Grounds) {
  const std::vector<GroundRow> rows = {
      {"2005 Art. 36: a 督办 names its ground", 0, "x", C::kInvalidArgument},
      {"2005 Art. 36 item 1: 未按规定期限办结",
       v1::SUPERVISION_GROUND_MISSED_DEADLINE, "", C::kOk},
      {"2005 Art. 36 item 2: 未按规定反馈办理结果",
       v1::SUPERVISION_GROUND_RESULT_NOT_REPORTED, "", C::kOk},
      {"2005 Art. 36 item 3: 未按规定程序办理",
       v1::SUPERVISION_GROUND_PROCEDURE_BREACHED, "", C::kOk},
      {"2005 Art. 36 item 4 (Regulation Art. 39): 推诿、敷衍、拖延",
       v1::SUPERVISION_GROUND_SHIRKING, "", C::kOk},
      {"2005 Art. 36 item 5: 不执行信访处理意见",
       v1::SUPERVISION_GROUND_OPINION_NOT_CARRIED_OUT, "", C::kOk},
      {"2005 Art. 36 item 6: 其他 needs its reason",
       v1::SUPERVISION_GROUND_OTHER, "", C::kInvalidArgument},
      {"2005 Art. 36 item 6: a blank reason is none",
       v1::SUPERVISION_GROUND_OTHER, "  ", C::kInvalidArgument},
      {"2005 Art. 36 item 6: 其他 with its reason",
       v1::SUPERVISION_GROUND_OTHER, "群众反映久拖不决", C::kOk},
      {"2005 Art. 36: no ground beyond items 1-6", 99, "x",
       C::kInvalidArgument},
  };
  for (const GroundRow& row : rows) {
    absl::Status s = CheckSupervisionGround(
        static_cast<SupervisionGround>(row.ground), row.reason);
    EXPECT_EQ(s.code(), row.want) << row.rule << ": " << s;
  }
  EXPECT_EQ(ManualGrounds().size(), 6u);
  for (SupervisionGround g : ManualGrounds()) {
    EXPECT_FALSE(GroundText(g).empty()) << g;
  }
}

}  // namespace
}  // namespace caserelay::access
