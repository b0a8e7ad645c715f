// PetitionerMay: what the portal's petitioner may ask of routing (issue 15
// item 2; Art. 30). Each row cites its rule.
#include "domain/access/petitioner_access.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace caserelay::access {
namespace {

using C = absl::StatusCode;
namespace v1 = ::caserelay::v1;

constexpr char kOwn[] = "140431-20261201-000001";
constexpr char kOther[] = "140431-20261201-000002";

TEST(PetitionerAccessTest, OnlyTheViewAndThePetitionersActionsOnTheirCase) {
  struct Row {
    const char* rule;
    std::string own;
    PetitionerCall call;
    std::string case_id;
    v1::CaseAction action;
    C want;
  };
  const PetitionerCall kView = PetitionerCall::kGetPetitionerView,
                       kAct = PetitionerCall::kAct;
  for (const Row& row : std::vector<Row>{
           {"issue 15: the petitioner reads the view of their own case", kOwn,
            kView, kOwn, v1::CASE_ACTION_UNSPECIFIED, C::kOk},
           {"issue 15: 满意度评价 by the petitioner", kOwn, kAct, kOwn,
            v1::CASE_ACTION_EVALUATE, C::kOk},
           {"Art. 35: the petitioner asks for 复查", kOwn, kAct, kOwn,
            v1::CASE_ACTION_REQUEST_REVIEW, C::kOk},
           {"Art. 36: the petitioner asks for 复核", kOwn, kAct, kOwn,
            v1::CASE_ACTION_REQUEST_REREVIEW, C::kOk},
           {"issue 15: never another case's view", kOwn, kView, kOther,
            v1::CASE_ACTION_UNSPECIFIED, C::kPermissionDenied},
           {"issue 15: never an action on another case", kOwn, kAct, kOther,
            v1::CASE_ACTION_EVALUATE, C::kPermissionDenied},
           {"issue 15: an office's action is not the petitioner's (REPLY)",
            kOwn, kAct, kOwn, v1::CASE_ACTION_REPLY, C::kPermissionDenied},
           {"issue 15: nor is 送达 (SERVE), recorded by the office", kOwn, kAct,
            kOwn, v1::CASE_ACTION_SERVE, C::kPermissionDenied},
           {"issue 15: nor CLOSE", kOwn, kAct, kOwn, v1::CASE_ACTION_CLOSE,
            C::kPermissionDenied},
           {"issue 15: nor DECIDE_REVIEW", kOwn, kAct, kOwn,
            v1::CASE_ACTION_DECIDE_REVIEW, C::kPermissionDenied},
           {"Art. 30: never GetCase's full detail, even of their own case",
            kOwn, PetitionerCall::kGetCase, kOwn, v1::CASE_ACTION_UNSPECIFIED,
            C::kPermissionDenied},
           {"issue 15: never an inbox", kOwn, PetitionerCall::kListInbox, "",
            v1::CASE_ACTION_UNSPECIFIED, C::kPermissionDenied},
           {"issue 15: PreviewRoute is for offices", kOwn,
            PetitionerCall::kPreviewRoute, "", v1::CASE_ACTION_UNSPECIFIED,
            C::kPermissionDenied},
           {"no case named: no petitioner", "", kView, "",
            v1::CASE_ACTION_UNSPECIFIED, C::kPermissionDenied},
       }) {
    absl::Status got =
        PetitionerMay(row.own, row.call, row.case_id, row.action);
    EXPECT_EQ(got.code(), row.want) << row.rule << ": " << got;
    if (!got.ok()) {
      EXPECT_EQ(std::string(got.message()).find(kOther), std::string::npos)
          << row.rule << ": the other case is never named";
    }
  }
}

}  // namespace
}  // namespace caserelay::access
