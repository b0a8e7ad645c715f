// Issue 15 item 2 through the real Kannel (bearerbox, smsbox, the fake
// SMSC), as in production: the phone code notification sends for the
// portal reaches the SMSC as one UCS-2 SMS to the petitioner's number, in
// Chinese, and its 6 digits prove the online petition at intake; Kannel's
// delivery report of it is taken without a 404.

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "caserelay/v1/notification.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/kannel.h"
#include "tests/integration/sms_steps.h"

namespace caserelay::testing {
namespace {

TEST(SmsPhoneCodeTest, CodeGoesThroughKannelAndProvesTheOnlinePetition) {
  SystemOptions options;
  options.services = {"intake", "notification"};
  auto started = StartWithKannel(options);
  ASSERT_TRUE(started.ok()) << started.status();
  System& sys = *started->sys;
  const caserelay::v1::SubmitPetitionRequest petition =
      SamplePetition(kSmsTownship, 1);

  auto notification = caserelay::v1::NotificationService::NewStub(
      sys.Channel("notification", System::kWeb));
  caserelay::v1::SendPhoneCodeRequest send;
  send.set_phone(petition.petitioner().phone());
  caserelay::v1::SendPhoneCodeResponse sent;
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    ctx.AddMetadata("x-caserelay-client-address", "203.0.113.7");
    grpc::Status s = notification->SendPhoneCode(&ctx, send, &sent);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  auto received = started->kannel->WaitForReceived(1, absl::Seconds(30));
  ASSERT_TRUE(received.ok()) << received.status();
  ASSERT_EQ(received->size(), 1u) << "exactly one SMS per code";
  const FakeSmscMessage& sms = received->front();
  EXPECT_TRUE(absl::EndsWith(sms.to, petition.petitioner().phone())) << sms.to;
  EXPECT_EQ(sms.type, "ucs-2");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      sms.text, m,
      std::regex("^【信访】您的验证码为([0-9]{6})，10分钟内有效。")))
      << sms.text;
  const std::string code = m[1].str();

  auto intake = caserelay::v1::IntakeService::NewStub(
      sys.Channel("intake", System::kWeb));
  caserelay::v1::SubmitPetitionRequest req = petition;
  req.mutable_phone_proof()->set_challenge_id(sent.challenge_id());
  req.mutable_phone_proof()->set_code(code);
  caserelay::v1::SubmitPetitionResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  grpc::Status s = intake->SubmitPetition(&ctx, req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_FALSE(resp.case_number().empty());

  // Kannel's delivery reports of the code's SMS: acknowledged, so
  // notification logs no "delivery report not applied" for it.
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  double reports = 0;
  while (absl::Now() < give_up) {
    auto sum =
        sys.MetricSum("notification", "caserelay_sms_delivery_reports_total");
    if (sum.ok() && *sum >= 1) {
      reports = *sum;
      break;
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_GE(reports, 1) << "no delivery report came back";
  std::string log;
  {
    std::ifstream in(sys.dir() + "/notification.log");
    std::stringstream text;
    text << in.rdbuf();
    log = text.str();
  }
  EXPECT_FALSE(absl::StrContains(log, "delivery report not applied")) << log;
  EXPECT_FALSE(absl::StrContains(log, code)) << "the code in the log";
}

}  // namespace
}  // namespace caserelay::testing
