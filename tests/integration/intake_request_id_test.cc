// Issue 22 item 4 through the real processes: request_id makes a retry of
// SubmitPetition idempotent for the same caller and the same petition only
// (services/intake/request_ids.h). Before the fix two petitions with
// request_id "rid-1" both got the first case's number and look-up code,
// and the second petition existed nowhere.

#include <sys/stat.h>

#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/rpc/token_auth.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::SubmitPetitionRequest;
using caserelay::v1::SubmitPetitionResponse;

// SubmitPetition as `token`'s office; with no token, as the harness's web
// gateway (System::intake()); with kNoCredentials, with none at all.
constexpr char kNoCredentials[] = "-";
grpc::Status Submit(System& sys, const SubmitPetitionRequest& req,
                    SubmitPetitionResponse* resp,
                    const std::string& token = "") {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  if (token.empty()) return sys.intake().SubmitPetition(&ctx, req, resp);
  if (token != kNoCredentials) {
    ctx.AddMetadata("authorization", "Bearer " + token);
  }
  return caserelay::v1::IntakeService::NewStub(
             sys.UnauthenticatedChannel("intake"))
      ->SubmitPetition(&ctx, req, resp);
}

SubmitPetitionRequest WithId(SubmitPetitionRequest req, const char* id) {
  req.set_request_id(id);
  return req;
}

grpc::StatusCode Look(System& sys, const SubmitPetitionResponse& r) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  caserelay::v1::GetCaseStatusRequest req;
  req.set_case_number(r.case_number());
  req.set_lookup_code(r.lookup_code());
  caserelay::v1::GetCaseStatusResponse resp;
  return sys.intake().GetCaseStatus(&ctx, req, &resp).error_code();
}

TEST(IntakeRequestIdTest, SameIdForADifferentPetitionIsRefused) {
  SystemOptions options;
  options.services = {"intake"};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  const SubmitPetitionRequest first =
      WithId(SamplePetition("140431", 1), "rid-1");
  const SubmitPetitionRequest other =
      WithId(SamplePetition("140431", 2), "rid-1");

  SubmitPetitionResponse a, b, retry;
  ASSERT_TRUE(Submit(**sys, first, &a).ok());
  grpc::Status s = Submit(**sys, other, &b);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS)
      << s.error_message() << " " << b.case_number();
  EXPECT_TRUE(b.lookup_code().empty()) << "another petitioner's code";

  // A true retry still gets the first case, code and all.
  ASSERT_TRUE(Submit(**sys, first, &retry).ok());
  EXPECT_EQ(retry.case_number(), a.case_number());
  EXPECT_EQ(retry.lookup_code(), a.lookup_code());
  EXPECT_EQ(Look(**sys, retry), grpc::StatusCode::OK);

  // The refused petition, sent again with its own id, is filed.
  SubmitPetitionResponse filed;
  ASSERT_TRUE(Submit(**sys, WithId(other, "rid-2"), &filed).ok());
  EXPECT_NE(filed.case_number(), a.case_number());
}

TEST(IntakeRequestIdTest, IdsOfDifferentCallersNeverMeet) {
  // request_ids.h "Scope": two front ends that both count from 1. intake
  // authenticates callers by token here (and refuses a call without one,
  // issue 14).
  TempDir dir;
  const std::string web = rpc::NewToken(), kiosk = rpc::NewToken();
  const std::string tokens = dir.path() + "/intake-tokens";
  {
    std::ofstream out(tokens);
    out << "140431:bureau " << rpc::TokenHash(web) << "\n"
        << "140400:bureau " << rpc::TokenHash(kiosk) << "\n";
  }
  ASSERT_EQ(chmod(tokens.c_str(), 0600), 0);
  SystemOptions options;
  options.services = {"intake"};
  options.settings["intake"] = {{"auth.mode", "token"},
                                {"auth.tokens_path", tokens}};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();

  // The very same petition under the same id from three callers.
  const SubmitPetitionRequest req = WithId(SamplePetition("140431", 1), "1");
  SubmitPetitionResponse by_web, by_kiosk, by_anyone, web_again;
  ASSERT_TRUE(Submit(**sys, req, &by_web, web).ok());
  ASSERT_TRUE(Submit(**sys, req, &by_kiosk, kiosk).ok());
  EXPECT_EQ(Submit(**sys, req, &by_anyone, kNoCredentials).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(by_kiosk.case_number(), by_web.case_number());
  EXPECT_NE(by_kiosk.lookup_code(), by_web.lookup_code())
      << "no code re-issued to a caller that is not the original one";
  // Each caller's own retry gets its own case back.
  ASSERT_TRUE(Submit(**sys, req, &web_again, web).ok());
  EXPECT_EQ(web_again.case_number(), by_web.case_number());
  EXPECT_EQ(web_again.lookup_code(), by_web.lookup_code());
}

}  // namespace
}  // namespace caserelay::testing
