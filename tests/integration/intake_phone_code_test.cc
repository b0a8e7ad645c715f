// Issue 15 item 2 through the real processes (devbroker, intake,
// notification with its development SMS sink): an online petition (the web
// gateway's call, service:web) is accepted only with the SMS code
// notification sent to its phone; the code is single-use, a wrong one is
// refused with the tries left, codes are throttled per phone with the
// seconds to wait, only the gateway asks for codes and only intake redeems
// them, notification down means nothing accepted, and neither log names
// the phone or the code.

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "caserelay/v1/notification.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::IntakeService;
using caserelay::v1::NotificationService;
using caserelay::v1::SubmitPetitionRequest;
using caserelay::v1::SubmitPetitionResponse;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Deadline(grpc::ClientContext* ctx) {
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
}

class IntakePhoneCodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SystemOptions options;
    options.services = {"intake", "notification"};
    auto sys = System::Start(options);
    ASSERT_TRUE(sys.ok()) << sys.status();
    sys_ = *std::move(sys);
    web_intake_ = IntakeService::NewStub(sys_->Channel("intake", System::kWeb));
    web_notification_ = NotificationService::NewStub(
        sys_->Channel("notification", System::kWeb));
  }

  // SendPhoneCode as the gateway for a user at `address`.
  grpc::Status SendCode(const std::string& phone,
                        caserelay::v1::SendPhoneCodeResponse* resp,
                        std::string* retry_after = nullptr,
                        const std::string& address = "203.0.113.7") {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    ctx.AddMetadata("x-caserelay-client-address", address);
    caserelay::v1::SendPhoneCodeRequest req;
    req.set_phone(phone);
    grpc::Status s = web_notification_->SendPhoneCode(&ctx, req, resp);
    if (retry_after != nullptr) {
      auto it = ctx.GetServerTrailingMetadata().find("x-caserelay-retry-after");
      if (it != ctx.GetServerTrailingMetadata().end()) {
        *retry_after = std::string(it->second.data(), it->second.size());
      }
    }
    return s;
  }

  // The code the development sink holds for `challenge_id` ("" if none):
  // the line of message "phone-code/<id>", its text's 6 digits; the phone
  // it went to in `*phone`.
  std::string CodeFromSink(const std::string& challenge_id,
                           std::string* phone = nullptr) {
    std::istringstream lines(ReadAll(sys_->sms_sink()));
    std::string line;
    const std::regex code("验证码为([0-9]{6})");
    while (std::getline(lines, line)) {
      if (!absl::StartsWith(line, "phone-code/" + challenge_id + "\t")) {
        continue;
      }
      std::vector<std::string> fields;
      std::stringstream l(line);
      for (std::string f; std::getline(l, f, '\t');) fields.push_back(f);
      if (fields.size() < 4) return "";
      if (phone != nullptr) *phone = fields[2];
      std::smatch m;
      if (std::regex_search(fields[3], m, code)) return m[1].str();
    }
    return "";
  }

  // A code sent to `petition`'s phone through the gateway: the challenge
  // in *sent and the code the sink holds in *code (gtest failures if
  // either is missing).
  void SendAndReadCode(const SubmitPetitionRequest& petition,
                       caserelay::v1::SendPhoneCodeResponse* sent,
                       std::string* code) {
    ASSERT_TRUE(SendCode(petition.petitioner().phone(), sent).ok());
    *code = CodeFromSink(sent->challenge_id());
    ASSERT_EQ(code->size(), 6u);
  }

  grpc::Status SubmitOnline(const SubmitPetitionRequest& req,
                            SubmitPetitionResponse* resp) {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    return web_intake_->SubmitPetition(&ctx, req, resp);
  }

  static SubmitPetitionRequest WithProof(SubmitPetitionRequest req,
                                         const std::string& challenge_id,
                                         const std::string& code) {
    req.mutable_phone_proof()->set_challenge_id(challenge_id);
    req.mutable_phone_proof()->set_code(code);
    return req;
  }

  std::unique_ptr<System> sys_;
  std::unique_ptr<IntakeService::Stub> web_intake_;
  std::unique_ptr<NotificationService::Stub> web_notification_;
};

TEST_F(IntakePhoneCodeTest, OnlinePetitionIsAcceptedOnlyWithItsSmsCode) {
  const SubmitPetitionRequest petition = SamplePetition("140431", 1);
  const std::string phone = petition.petitioner().phone();
  SubmitPetitionResponse resp;

  // Without a proof: refused, naming phone_proof.
  grpc::Status s = SubmitOnline(petition, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "phone_proof"))
      << s.error_message();
  EXPECT_TRUE(resp.case_number().empty());

  // The code, through notification's configured gateway (the dev sink).
  caserelay::v1::SendPhoneCodeResponse sent;
  s = SendCode(phone, &sent);
  ASSERT_TRUE(s.ok()) << s.error_message();
  std::string sink_phone;
  const std::string code = CodeFromSink(sent.challenge_id(), &sink_phone);
  ASSERT_EQ(code.size(), 6u) << ReadAll(sys_->sms_sink());
  EXPECT_EQ(sink_phone, phone);
  EXPECT_GT(sent.expires_at().seconds(), sent.resend_after().seconds())
      << "10 minutes to redeem, 60 s before another code";

  // With it: accepted.
  s = SubmitOnline(WithProof(petition, sent.challenge_id(), code), &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_FALSE(resp.case_number().empty());
  EXPECT_FALSE(resp.lookup_code().empty());

  // A retry of the accepted request (same request_id, petition and the
  // used code) gets its case back; it asks no second code.
  SubmitPetitionResponse retry;
  s = SubmitOnline(WithProof(petition, sent.challenge_id(), code), &retry);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(retry.case_number(), resp.case_number());

  // Single use: the same code on another request is refused.
  SubmitPetitionRequest other = petition;
  other.set_request_id(petition.request_id() + "-other");
  SubmitPetitionResponse second;
  s = SubmitOnline(WithProof(other, sent.challenge_id(), code), &second);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << s.error_message();
  EXPECT_TRUE(absl::StrContains(s.error_message(), "已使用"))
      << s.error_message();
  EXPECT_TRUE(second.case_number().empty());

  // Throttle per phone: no second code within the resend interval, with
  // the seconds to wait.
  caserelay::v1::SendPhoneCodeResponse again;
  std::string retry_after;
  s = SendCode(phone, &again, &retry_after, "198.51.100.9");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  int seconds = 0;
  EXPECT_TRUE(absl::SimpleAtoi(retry_after, &seconds)) << retry_after;
  EXPECT_GE(seconds, 1);
  EXPECT_LE(seconds, 60);

  // Neither log names the phone or the code.
  for (const char* service : {"intake", "notification"}) {
    const std::string log = ReadAll(sys_->dir() + "/" + service + ".log");
    EXPECT_FALSE(absl::StrContains(log, phone)) << service;
    EXPECT_FALSE(absl::StrContains(log, code)) << service;
  }
}

TEST_F(IntakePhoneCodeTest, WrongCodeIsRefusedWithTheTriesLeft) {
  const SubmitPetitionRequest petition = SamplePetition("140431", 2);
  caserelay::v1::SendPhoneCodeResponse sent;
  std::string code;
  ASSERT_NO_FATAL_FAILURE(SendAndReadCode(petition, &sent, &code));
  const std::string wrong = code == "000000" ? "000001" : "000000";
  SubmitPetitionResponse resp;
  grpc::Status s =
      SubmitOnline(WithProof(petition, sent.challenge_id(), wrong), &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "还可再试4次"))
      << s.error_message();
  // The right code still works after one wrong try.
  s = SubmitOnline(WithProof(petition, sent.challenge_id(), code), &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

TEST_F(IntakePhoneCodeTest, OnlyTheGatewayAsksAndOnlyIntakeRedeems) {
  // The code of notification's `method` called as `principal`.
  auto code_as = [this](const char* principal, auto method, const auto& request,
                        auto* response) {
    auto stub =
        NotificationService::NewStub(sys_->Channel("notification", principal));
    grpc::ClientContext ctx;
    Deadline(&ctx);
    return ((*stub).*method)(&ctx, request, response).error_code();
  };
  caserelay::v1::SendPhoneCodeRequest send;
  send.set_phone("13800001234");
  caserelay::v1::SendPhoneCodeResponse sent;
  for (const char* principal :
       {System::kProvinceBureau, "service:intake", "service:routing"}) {
    EXPECT_EQ(code_as(principal, &NotificationService::Stub::SendPhoneCode,
                      send, &sent),
              grpc::StatusCode::PERMISSION_DENIED)
        << principal;
  }
  caserelay::v1::RedeemPhoneCodeRequest redeem;
  redeem.set_challenge_id(std::string(32, 'a'));
  redeem.set_phone("13800001234");
  redeem.set_code("123456");
  caserelay::v1::RedeemPhoneCodeResponse redeemed;
  for (const char* principal : {System::kWeb, System::kProvinceBureau}) {
    EXPECT_EQ(code_as(principal, &NotificationService::Stub::RedeemPhoneCode,
                      redeem, &redeemed),
              grpc::StatusCode::PERMISSION_DENIED)
        << principal;
  }
  EXPECT_EQ(ReadAll(sys_->sms_sink()), "") << "no SMS for a refused caller";
}

TEST_F(IntakePhoneCodeTest, NotificationDownMeansNothingAccepted) {
  const SubmitPetitionRequest petition = SamplePetition("140431", 3);
  caserelay::v1::SendPhoneCodeResponse sent;
  std::string code;
  ASSERT_NO_FATAL_FAILURE(SendAndReadCode(petition, &sent, &code));
  sys_->Kill("notification", SIGKILL);
  SubmitPetitionResponse resp;
  grpc::Status s =
      SubmitOnline(WithProof(petition, sent.challenge_id(), code), &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_TRUE(resp.case_number().empty());
  // Back up, the unspent code is still good: nothing was consumed. (intake
  // finds notification again within gRPC's reconnect backoff.)
  ASSERT_TRUE(sys_->Restart("notification").ok());
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  do {
    resp.Clear();
    s = SubmitOnline(WithProof(petition, sent.challenge_id(), code), &resp);
    if (s.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    absl::SleepFor(absl::Milliseconds(200));
  } while (absl::Now() < give_up);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_FALSE(resp.case_number().empty());
}

}  // namespace
}  // namespace caserelay::testing
