// intake's GetPetitioner (issue 16, the console's case page: "the
// petitioner (to the offices entitled to contact them, under the security
// issue's rules)"). Each row cites its rule: domain/access case_access.h
// MaySeePetitioner, Regulation Art. 30, intake.proto GetPetitioner, issue
// 14 item 3 (no personal data in logs).
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/services/intake/intake_fixture.h"

namespace caserelay::intake {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Code = grpc::StatusCode;

// A valid GB 11643 number (the standard's own example) and its mask as
// common/log MaskIdNumber gives it: the region prefix and the last 2.
constexpr char kIdNumber[] = "11010519491231002X";
constexpr char kIdMasked[] = "110105**********2X";

class GetPetitionerTest : public IntakeServiceTest {
 protected:
  // Submits as an office a visit of 张三 with an ID number; returns its
  // case number (routing has not registered it yet).
  std::string Submit() {
    caller_.Become("140431:bureau");
    caserelay::v1::SubmitPetitionRequest req = ValidPetition();
    req.mutable_matter()->set_channel(caserelay::v1::CHANNEL_VISIT);
    req.mutable_petitioner()->set_id_number(kIdNumber);
    caserelay::v1::SubmitPetitionResponse resp;
    grpc::Status s = service_->SubmitPetition(&ctx_, &req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    lookup_code_ = resp.lookup_code();
    return resp.case_number();
  }

  grpc::Status Get(const std::string& case_id,
                   caserelay::v1::GetPetitionerResponse* resp) {
    caserelay::v1::GetPetitionerRequest req;
    req.set_case_id(case_id);
    return service_->GetPetitioner(&ctx_, &req, resp);
  }

  std::string lookup_code_;
};

// case_access.h MaySeePetitioner: the offices handling the case and their
// supervising bureaus; not a past holder, not an office outside the case;
// intake.proto: only offices, never a service or the petitioner.
TEST_F(GetPetitionerTest, AnswersOnlyTheOfficesEntitledToContactThePetitioner) {
  const std::string id = Submit();
  // Registered at the county's labour department, then transferred to the
  // county's discipline commission: the department is a past holder.
  ASSERT_TRUE(
      ApplyAndCommit(Registered(id, 1, "140431:hrss", "沁源县人社局")).ok());
  ASSERT_TRUE(ApplyAndCommit(Event(id, 2, caserelay::v1::CASE_STATE_ASSIGNED,
                                   "140431:discipline", "沁源县纪委监委"))
                  .ok());
  struct Row {
    const char* rule;
    const char* caller;
    Code want;
  };
  for (const Row& r : std::vector<Row>{
           {"MaySeePetitioner: the holder, an acting office",
            "140431:discipline", Code::OK},
           {"MaySeePetitioner: the county bureau supervises the holder",
            "140431:bureau", Code::OK},
           {"MaySeePetitioner: the city bureau supervises the holder",
            "140400:bureau", Code::OK},
           {"MaySeePetitioner: a past holder handles it no more (个人信息保护法 "
            "Art. 6)",
            "140431:hrss", Code::PERMISSION_DENIED},
           {"MaySeePetitioner: another county's bureau is outside the case",
            "140404:bureau", Code::PERMISSION_DENIED},
           {"intake.proto: the gateway's own identity is no office",
            "service:web", Code::PERMISSION_DENIED},
           {"intake.proto: notification resolves contacts, never reads them",
            "service:notification", Code::PERMISSION_DENIED},
           {"intake.proto: routing is no office", "service:routing",
            Code::PERMISSION_DENIED},
           {"common/rpc/auth.h: no credentials", "no-credentials",
            Code::UNAUTHENTICATED},
       }) {
    caller_.Become(r.caller);
    caserelay::v1::GetPetitionerResponse resp;
    grpc::Status s = Get(id, &resp);
    EXPECT_EQ(s.error_code(), r.want) << r.rule << ": " << s.error_message();
    if (r.want == Code::OK) {
      EXPECT_EQ(resp.name(), "张三") << r.rule;
      EXPECT_EQ(resp.phone(), "13800138000") << r.rule;
      EXPECT_EQ(resp.address(), "山西省长治市沁源县沁河镇1号") << r.rule;
      EXPECT_EQ(resp.id_number_masked(), kIdMasked) << r.rule;
    } else {
      EXPECT_EQ(resp.ByteSizeLong(), 0u) << r.rule << ": nothing answered";
    }
  }
}

// Art. 30: an accused unit never sees the accuser, whatever else it is
// (here the city bureau, which supervises the holder); the refusal is the
// same words as for an office outside the case, so it learns nothing.
TEST_F(GetPetitionerTest, AnAccusedUnitIsRefusedLikeAnyOutsider) {
  const std::string id = Submit();
  caserelay::v1::Envelope registered =
      Registered(id, 1, "140431:discipline", "沁源县纪委监委");
  registered.mutable_case_event()->add_accused_office_codes("140400:bureau");
  ASSERT_TRUE(ApplyAndCommit(registered).ok());
  caller_.Become("140431:bureau");
  caserelay::v1::GetPetitionerResponse shown;
  ASSERT_TRUE(Get(id, &shown).ok()) << "supervises the holder, not accused";
  caller_.Become("140400:bureau");
  caserelay::v1::GetPetitionerResponse resp;
  grpc::Status s = Get(id, &resp);
  EXPECT_EQ(s.error_code(), Code::PERMISSION_DENIED);
  EXPECT_EQ(s.error_message(),
            "140400:bureau may not see the petitioner of case " + id);
  EXPECT_EQ(resp.ByteSizeLong(), 0u);
}

// intake.proto GetPetitioner: a case intake does not have, or one routing
// has not registered yet (no parties), is refused alike: no office learns
// which cases exist.
TEST_F(GetPetitionerTest, UnknownAndUnregisteredCasesAreRefusedAlike) {
  const std::string id = Submit();
  caller_.Become("140431:bureau");
  for (const std::string& case_id :
       {id, std::string("140431-20991231-000009"), std::string(""),
        std::string(100, '1')}) {
    caserelay::v1::GetPetitionerResponse resp;
    grpc::Status s = Get(case_id, &resp);
    EXPECT_EQ(s.error_code(), Code::PERMISSION_DENIED) << case_id;
    EXPECT_EQ(s.error_message(),
              "140431:bureau may not see the petitioner of case " + case_id);
  }
}

// intake.proto: never the look-up code (it is the petitioner's key to
// the portal); issue 14 item 3: the audit line names the office and the
// case, nothing of the petitioner.
TEST_F(GetPetitionerTest, NeverTheLookUpCodeAndAnAuditLineWithoutPersonalData) {
  const std::string id = Submit();
  ASSERT_FALSE(lookup_code_.empty());
  ASSERT_TRUE(
      ApplyAndCommit(Registered(id, 1, "140431:bureau", "沁源县信访局")).ok());
  caller_.Become("140431:bureau");
  caserelay::v1::GetPetitionerResponse resp;
  ::testing::internal::CaptureStderr();
  grpc::Status s = Get(id, &resp);
  const std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(resp.SerializeAsString(), Not(HasSubstr(lookup_code_)));
  EXPECT_THAT(log, HasSubstr("petitioner read"));
  EXPECT_THAT(log, HasSubstr("140431:bureau"));
  EXPECT_THAT(log, HasSubstr(id));
  EXPECT_THAT(log, HasSubstr("shown"));
  for (const char* personal :
       {"张三", "13800138000", "沁河镇", kIdNumber, kIdMasked, "138****8000"}) {
    EXPECT_THAT(log, Not(HasSubstr(personal))) << personal;
  }
}

}  // namespace
}  // namespace caserelay::intake
