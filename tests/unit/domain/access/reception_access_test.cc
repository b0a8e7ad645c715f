// MayManageReception: who keeps an office's reception schedule (领导接访,
// issue 18 item 1). Each row cites its rule.
#include "domain/access/reception_access.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace caserelay::access {
namespace {

using C = absl::StatusCode;
namespace v1 = ::caserelay::v1;

constexpr char kGov[] = "140431:gov";
constexpr char kBureau[] = "140431:bureau";
constexpr char kCityBureau[] = "1404:bureau";

TEST(ReceptionAccessTest, OnlyTheOfficesOwnKeepersPublishItsSchedule) {
  struct Row {
    const char* rule;
    ReceptionKeeper keeper;
    std::string reception_office;
    C want;
  };
  for (const Row& row : std::vector<Row>{
           {"issue 18 item 1: the office's own credential publishes its "
            "leaders' days",
            {kGov, true, {}}, kGov, C::kOk},
           {"issue 18 item 1: a 登记员 of the office keeps the schedule",
            {kGov, false, {v1::STAFF_ROLE_REGISTRAR}}, kGov, C::kOk},
           {"issue 18 item 1: the office's 负责人 keeps it",
            {kGov, false, {v1::STAFF_ROLE_HEAD}}, kGov, C::kOk},
           {"issue 18 item 1: the 领导 who receives keeps it",
            {kGov, false, {v1::STAFF_ROLE_LEADER}}, kGov, C::kOk},
           {"issue 18 item 1: with several roles, one that keeps it is enough",
            {kGov, false, {v1::STAFF_ROLE_HANDLER, v1::STAFF_ROLE_LEADER}},
            kGov, C::kOk},
           {"issue 18 item 1: a 承办人 handles cases, not the schedule",
            {kGov, false, {v1::STAFF_ROLE_HANDLER}}, kGov,
            C::kPermissionDenied},
           {"issue 18 item 1: a 督查员 supervises, not the schedule",
            {kGov, false, {v1::STAFF_ROLE_INSPECTOR}}, kGov,
            C::kPermissionDenied},
           {"issue 16: a 管理员 manages users only",
            {kGov, false, {v1::STAFF_ROLE_ADMIN}}, kGov,
            C::kPermissionDenied},
           {"issue 16: a user with no role does nothing",
            {kGov, false, {}}, kGov, C::kPermissionDenied},
           {"issue 18 item 1: per office — another office of the same region "
            "does not publish for it",
            {kBureau, true, {}}, kGov, C::kPermissionDenied},
           {"issue 18 item 1: per office — not even a superior bureau",
            {kCityBureau, true, {}}, kGov, C::kPermissionDenied},
           {"issue 18 item 1: a 领导 of another office does not publish here",
            {kBureau, false, {v1::STAFF_ROLE_LEADER}}, kGov,
            C::kPermissionDenied},
           {"issue 18 item 1: a service is no office",
            {"", false, {}}, kGov, C::kPermissionDenied},
       }) {
    absl::Status got = MayManageReception(row.keeper, row.reception_office);
    EXPECT_EQ(got.code(), row.want) << row.rule << ": " << got;
    if (!got.ok()) {
      // People read the refusal: Chinese, with the rule.
      EXPECT_NE(got.message().find("接访安排"), std::string::npos) << row.rule;
      EXPECT_NE(got.message().find("issue 18 item 1"), std::string::npos)
          << row.rule;
    }
  }
}

}  // namespace
}  // namespace caserelay::access
