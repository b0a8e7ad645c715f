// IntakeServiceImpl's look-ups with a real temp-dir Store
// (intake_fixture.h): the look-up code checked under the secret, the
// limits on failed look-ups (DESIGN.md Security, issue 14 item 4) and who
// may call each RPC (issue 14 item 1).

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/intake.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/intake/intake_service.h"
#include "tests/unit/services/intake/intake_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::intake {
namespace {

using caserelay::v1::IntakeCaseRecord;

TEST_F(IntakeServiceTest, LookUpCodeIsVerifiedByTheSecretNotByTheStore) {
  // lookup_code.h (issue 22 item 8): nothing of the code is stored, so a
  // copy of the store is no oracle; the right code under another secret
  // is no code at all.
  auto submitted = Submit();
  IntakeCaseRecord record = LoadCase(submitted.case_number());
  EXPECT_TRUE(record.GetReflection()->GetUnknownFields(record).empty())
      << "no look-up salt or hash kept";
  EXPECT_EQ(Look(submitted.case_number(), submitted.lookup_code()),
            grpc::StatusCode::OK);
  service_ = std::make_unique<IntakeServiceImpl>(
      t_->context(), &svctest::ShippedRegions(),
      &svctest::ShippedOfficeDirectory(), &TestPii(),
      LookupCodes("another-secret"), Limits(), LookupLimits());
  EXPECT_EQ(Look(submitted.case_number(), submitted.lookup_code()),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(IntakeServiceTest, StatusLookUpWithWrongCodeIsNotFound) {
  // DESIGN.md Security: only with the case number and its look-up code.
  auto submitted = Submit();
  caserelay::v1::GetCaseStatusRequest req;
  req.set_case_number(submitted.case_number());
  req.set_lookup_code(submitted.lookup_code() == "22222222" ? "33333333"
                                                            : "22222222");
  caserelay::v1::GetCaseStatusResponse resp;
  EXPECT_EQ(service_->GetCaseStatus(&ctx_, &req, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// DESIGN.md Security: "look-up code stored hashed, attempts rate-limited".
// The limits of the fixture: 5 failures, then a wait of 15 minutes;
// Look() comes from one address (no peer: "unknown").

TEST_F(IntakeServiceTest, FifthFailedLookUpLocksEvenTheRightCode) {
  auto submitted = Submit();
  const std::string wrong = WrongCode(submitted.lookup_code());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Look(submitted.case_number(), wrong), grpc::StatusCode::NOT_FOUND)
        << "attempt " << i + 1;
  }
  EXPECT_EQ(Look(submitted.case_number(), submitted.lookup_code()),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(Look(submitted.case_number(), wrong),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(IntakeServiceTest, FourFailedLookUpsDoNotLock) {
  auto submitted = Submit();
  for (int i = 0; i < 4; ++i) {
    Look(submitted.case_number(), WrongCode(submitted.lookup_code()));
  }
  EXPECT_EQ(Look(submitted.case_number(), submitted.lookup_code()),
            grpc::StatusCode::OK);
}

TEST_F(IntakeServiceTest, LockLiftsWhenTheWindowHasPassed) {
  auto submitted = Submit();
  for (int i = 0; i < 5; ++i) {
    Look(submitted.case_number(), WrongCode(submitted.lookup_code()));
  }
  t_->clock().Advance(absl::Minutes(10));
  // Refused attempts while locked are not counted and do not extend it.
  EXPECT_EQ(Look(submitted.case_number(), WrongCode(submitted.lookup_code())),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  t_->clock().Advance(absl::Minutes(4) + absl::Seconds(59));
  EXPECT_EQ(Look(submitted.case_number(), submitted.lookup_code()),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  t_->clock().Advance(absl::Seconds(1));
  EXPECT_EQ(Look(submitted.case_number(), submitted.lookup_code()),
            grpc::StatusCode::OK);
}

TEST_F(IntakeServiceTest, FailuresInDifferentWindowsDoNotAddUp) {
  auto submitted = Submit();
  for (int i = 0; i < 4; ++i) {
    Look(submitted.case_number(), WrongCode(submitted.lookup_code()));
  }
  t_->clock().Advance(absl::Minutes(15));
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Look(submitted.case_number(), WrongCode(submitted.lookup_code())),
              grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_EQ(Look(submitted.case_number(), submitted.lookup_code()),
            grpc::StatusCode::OK);
}

TEST_F(IntakeServiceTest, SuccessfulLookUpClearsTheFailures) {
  auto submitted = Submit();
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 4; ++i) {
      Look(submitted.case_number(), WrongCode(submitted.lookup_code()));
    }
    EXPECT_EQ(Look(submitted.case_number(), submitted.lookup_code()),
              grpc::StatusCode::OK)
        << "round " << round + 1;
  }
}

TEST_F(IntakeServiceTest, UnknownCaseNumberCountsAndAnswersLikeAWrongCode) {
  // Look-ups must not reveal which case numbers exist: the same answers,
  // in the same order, for a case that exists and one that does not.
  auto submitted = Submit();
  const std::string unknown = "140431-20261122-999999";
  const std::string wrong = WrongCode(submitted.lookup_code());
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(Look(unknown, wrong), Look(submitted.case_number(), wrong))
        << "attempt " << i + 1;
  }
  EXPECT_EQ(Look(unknown, wrong), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(IntakeServiceTest, LockIsPerCaseNumber) {
  auto first = Submit();
  auto second = Submit();
  for (int i = 0; i < 5; ++i) {
    Look(first.case_number(), WrongCode(first.lookup_code()));
  }
  EXPECT_EQ(Look(first.case_number(), first.lookup_code()),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(Look(second.case_number(), second.lookup_code()),
            grpc::StatusCode::OK);
}

TEST_F(IntakeServiceTest, LockSurvivesARestart) {
  auto submitted = Submit();
  for (int i = 0; i < 5; ++i) {
    Look(submitted.case_number(), WrongCode(submitted.lookup_code()));
  }
  service_ = NewIntakeService(*t_);
  EXPECT_EQ(Look(submitted.case_number(), submitted.lookup_code()),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(IntakeServiceTest, EndedWindowsAreSweptAway) {
  // An unknown number's failures must not stay in the store for ever.
  auto submitted = Submit();
  Look("140431-20261122-999999", "22222222");
  t_->clock().Advance(absl::Minutes(16));
  Look(submitted.case_number(), WrongCode(submitted.lookup_code()));
  std::vector<std::string> keys;
  ASSERT_TRUE(t_->store()
                  .Scan(kLookupFailures, "", "",
                        [&](std::string_view k, std::string_view) {
                          keys.emplace_back(k);
                          return true;
                        })
                  .ok());
  EXPECT_THAT(keys, ::testing::ElementsAre(submitted.case_number()));
}

// Issue 14 item 1: every RPC authenticated; an office or the portal's
// gateway submits and looks up; the phone number goes to notification
// only; any other principal is refused, not answered less.
TEST_F(IntakeServiceTest, EachRpcAnswersOnlyItsCallers) {
  using Code = grpc::StatusCode;
  const auto submitted = Submit();  // as service:web
  const std::string ref = LoadCase(submitted.case_number()).petitioner().id();
  struct Row {
    const char* rule;
    const char* caller;  // FixedCaller's principal; not one: no credentials
    Code submit, look_up, resolve;
  };
  for (const Row& row : std::vector<Row>{
           {"an office submits and looks up, never reads contacts",
            "140431:bureau", Code::OK, Code::OK, Code::PERMISSION_DENIED},
           {"the portal's gateway likewise", "service:web", Code::OK, Code::OK,
            Code::PERMISSION_DENIED},
           {"notification resolves contacts and nothing else",
            "service:notification", Code::PERMISSION_DENIED,
            Code::PERMISSION_DENIED, Code::OK},
           {"another service's identity gets nothing", "service:routing",
            Code::PERMISSION_DENIED, Code::PERMISSION_DENIED,
            Code::PERMISSION_DENIED},
           {"no credentials", "no-credentials", Code::UNAUTHENTICATED,
            Code::UNAUTHENTICATED, Code::UNAUTHENTICATED},
       }) {
    caller_.Become(row.caller);
    caserelay::v1::SubmitPetitionRequest submit =
        ValidPetition("某公司拖欠工资两个月。");
    submit.mutable_petitioner()->set_name("李四");
    submit.mutable_petitioner()->set_phone("13900139000");
    submit.mutable_petitioner()->set_address("山西省长治市沁源县沁河镇2号");
    caserelay::v1::SubmitPetitionResponse submitted_now;
    EXPECT_EQ(
        service_->SubmitPetition(&ctx_, &submit, &submitted_now).error_code(),
        row.submit)
        << row.rule;
    EXPECT_EQ(Look(submitted.case_number(), submitted.lookup_code()),
              row.look_up)
        << row.rule;
    caserelay::v1::ResolveContactRequest resolve;
    resolve.mutable_petitioner()->set_id(ref);
    caserelay::v1::ResolveContactResponse contact;
    EXPECT_EQ(service_->ResolveContact(&ctx_, &resolve, &contact).error_code(),
              row.resolve)
        << row.rule;
    EXPECT_EQ(contact.phone().empty(), row.resolve != Code::OK) << row.rule;
  }
}

TEST_F(IntakeServiceTest, RefusedLookUpSaysSoInChineseWithoutHint) {
  // Issue 14 item 4: RESOURCE_EXHAUSTED for people, the same words for a
  // case that exists and one that does not.
  auto submitted = Submit();
  const std::string unknown = "140431-20261122-999999";
  std::vector<std::string> messages;
  for (const std::string& n : {submitted.case_number(), unknown}) {
    for (int i = 0; i < 5; ++i) Look(n, WrongCode(submitted.lookup_code()));
    caserelay::v1::GetCaseStatusRequest req;
    req.set_case_number(n);
    req.set_lookup_code(submitted.lookup_code());
    caserelay::v1::GetCaseStatusResponse resp;
    grpc::Status s = service_->GetCaseStatus(&ctx_, &req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << n;
    messages.push_back(s.error_message());
  }
  EXPECT_EQ(messages[0], kTooManyLookUps);
  EXPECT_EQ(messages[1], messages[0]);
}

TEST_F(IntakeServiceTest, OwnerLooksUpWhileOtherAddressesFail) {
  // lookup_limits.h bound 1 through the service: failures from other
  // addresses make the case number wait, but not for an address with a
  // full budget; the address with the failures is refused.
  auto submitted = Submit();
  caserelay::v1::GetCaseStatusRequest wrong;
  wrong.set_case_number(submitted.case_number());
  wrong.set_lookup_code(WrongCode(submitted.lookup_code()));
  for (int i = 0; i < 8; ++i) {
    auto r = service_->LookUp(wrong, absl::StrCat("ipv4:198.51.100.", i % 2));
    EXPECT_TRUE(absl::IsNotFound(r.status()) ||
                absl::IsResourceExhausted(r.status()))
        << r.status();
  }
  caserelay::v1::GetCaseStatusRequest right = wrong;
  right.set_lookup_code(submitted.lookup_code());
  EXPECT_EQ(service_->LookUp(right, "ipv4:198.51.100.1").status().code(),
            absl::StatusCode::kResourceExhausted)
      << "an address with failures waits with the case number";
  auto owner = service_->LookUp(right, "ipv4:203.0.113.50");
  ASSERT_TRUE(owner.ok()) << owner.status();
  EXPECT_EQ(owner->case_number(), submitted.case_number());
}

}  // namespace
}  // namespace caserelay::intake
