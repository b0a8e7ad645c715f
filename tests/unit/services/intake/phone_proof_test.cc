// An online petition proves its phone (issue 15 item 2; intake_service.h
// SubmitPetition, phone_proof.h): the web gateway's submission is
// accepted only after notification redeemed its phone_proof; offices'
// petitions are unchanged; a retry of an accepted request needs no second
// code. notification is FakePhoneProofs (intake_fixture.h), whose answers
// stand for RedeemPhoneCode's (tests/unit/services/notification pins
// those).

#include <functional>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/unit/services/intake/intake_fixture.h"

namespace caserelay::intake {
namespace {

using caserelay::v1::SubmitPetitionRequest;
using caserelay::v1::SubmitPetitionResponse;

class PhoneProofTest : public IntakeServiceTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(IntakeServiceTest::SetUp());
    service_ = NewIntakeService(*t_, {}, {}, &proofs_);
  }

  grpc::Status SubmitAs(const std::string& principal,
                        const SubmitPetitionRequest& req,
                        SubmitPetitionResponse* resp) {
    caller_.Become(principal);
    grpc::ServerContext ctx;
    return service_->SubmitPetition(&ctx, &req, resp);
  }

  int StoredCases() {
    int n = 0;
    EXPECT_TRUE(t_->store()
                    .Scan(kCases, "", "",
                          [&](std::string_view, std::string_view) {
                            ++n;
                            return true;
                          })
                    .ok());
    return n;
  }

  FakePhoneProofs proofs_;
};

TEST_F(PhoneProofTest, SubmissionAndProof) {
  struct Row {
    const char* rule;
    const char* caller;
    std::function<void(SubmitPetitionRequest&)> edit;
    absl::Status answer;  // notification's
    grpc::StatusCode want;
    int redeemed;                     // RedeemPhoneCode calls
    const char* message_starts = "";  // of a refusal
  };
  auto none = [](SubmitPetitionRequest&) {};
  auto no_proof = [](SubmitPetitionRequest& r) { r.clear_phone_proof(); };
  auto no_code = [](SubmitPetitionRequest& r) {
    r.mutable_phone_proof()->clear_code();
  };
  auto no_phone = [](SubmitPetitionRequest& r) {
    r.mutable_petitioner()->clear_phone();
  };
  const Row rows[] = {
      {"issue 15 #2: an online petition with a redeemed proof is accepted",
       "service:web", none, absl::OkStatus(), grpc::StatusCode::OK, 1},
      {"issue 15 #2: an online petition without phone_proof is refused",
       "service:web", no_proof, absl::OkStatus(),
       grpc::StatusCode::FAILED_PRECONDITION, 0, "phone_proof"},
      {"a proof without its code is no proof", "service:web", no_code,
       absl::OkStatus(), grpc::StatusCode::FAILED_PRECONDITION, 0,
       "phone_proof"},
      {"an online petition without a phone cannot prove one", "service:web",
       no_phone, absl::OkStatus(), grpc::StatusCode::FAILED_PRECONDITION, 0,
       "petitioner.phone"},
      {"a wrong code: INVALID_ARGUMENT with notification's reason",
       "service:web", none,
       absl::InvalidArgumentError(
           "phone_proof.code: 验证码不正确，还可再试4次。"),
       grpc::StatusCode::INVALID_ARGUMENT, 1, "phone_proof.code"},
      {"issue 15 #2 expired / used / dead: FAILED_PRECONDITION", "service:web",
       none,
       absl::FailedPreconditionError(
           "phone_proof: 验证码已使用，请重新获取验证码。"),
       grpc::StatusCode::FAILED_PRECONDITION, 1, "phone_proof"},
      {"notification unreachable: UNAVAILABLE, nothing accepted", "service:web",
       none, absl::UnavailableError("phone_proof: down"),
       grpc::StatusCode::UNAVAILABLE, 1, "phone_proof"},
      {"offices are unchanged: a visit entered by staff needs no proof",
       "140431:bureau", no_proof, absl::UnavailableError("never asked"),
       grpc::StatusCode::OK, 0},
      {"an office's petition with a proof: the proof is not redeemed",
       "140431:bureau", none, absl::UnavailableError("never asked"),
       grpc::StatusCode::OK, 0},
  };
  for (const Row& r : rows) {
    const int before_calls = proofs_.calls();
    const int before_cases = StoredCases();
    proofs_.Answer(r.answer);
    SubmitPetitionRequest req = ValidPetition();
    r.edit(req);
    SubmitPetitionResponse resp;
    grpc::Status got = SubmitAs(r.caller, req, &resp);
    EXPECT_EQ(got.error_code(), r.want)
        << r.rule << ": " << got.error_message();
    EXPECT_EQ(proofs_.calls() - before_calls, r.redeemed) << r.rule;
    EXPECT_EQ(StoredCases() - before_cases, got.ok() ? 1 : 0)
        << r.rule << ": nothing stored unless accepted";
    if (!got.ok()) {
      EXPECT_TRUE(absl::StartsWith(got.error_message(), r.message_starts))
          << r.rule << ": " << got.error_message();
      EXPECT_TRUE(resp.lookup_code().empty()) << r.rule;
    }
    if (r.redeemed == 1) {
      EXPECT_EQ(proofs_.last_proof().challenge_id(), kTestChallenge) << r.rule;
      EXPECT_EQ(proofs_.last_phone(), "13800138000") << r.rule;
    }
  }
}

TEST_F(PhoneProofTest, RetryOfAnAcceptedRequestNeedsNoSecondCode) {
  // request_ids.h: the same request_id and petition get the same case;
  // the first call used the code up, so the retry must not redeem again.
  SubmitPetitionRequest req = ValidPetition();
  req.set_request_id("portal-1");
  SubmitPetitionResponse first, again, without_proof;
  ASSERT_TRUE(SubmitAs("service:web", req, &first).ok());
  proofs_.Answer(absl::FailedPreconditionError(
      "phone_proof: 验证码已使用，请重新获取验证码。"));
  grpc::Status s = SubmitAs("service:web", req, &again);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(again.case_number(), first.case_number());
  EXPECT_EQ(again.lookup_code(), first.lookup_code());
  req.clear_phone_proof();
  s = SubmitAs("service:web", req, &without_proof);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(without_proof.case_number(), first.case_number());
  EXPECT_EQ(proofs_.calls(), 1);
  // A new request id is a new petition: it must prove its phone again.
  req.set_request_id("portal-2");
  EXPECT_EQ(SubmitAs("service:web", req, &without_proof).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(PhoneProofTest, WithoutANotificationClientNoOnlinePetitionIsTaken) {
  service_ = std::make_unique<IntakeServiceImpl>(
      t_->context(), &svctest::ShippedRegions(),
      &svctest::ShippedOfficeDirectory(), &TestPii(),
      LookupCodes("test-secret"), Limits(), LookupLimits(), RequestIdOptions(),
      nullptr);
  SubmitPetitionResponse resp;
  EXPECT_EQ(SubmitAs("service:web", ValidPetition(), &resp).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(StoredCases(), 0);
  EXPECT_TRUE(SubmitAs("140431:bureau", ValidPetition(), &resp).ok());
}

}  // namespace
}  // namespace caserelay::intake
