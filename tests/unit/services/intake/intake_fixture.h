// What intake's unit tests and its fuzz target (tests/fuzz/intake_fuzzer.cc)
// build intake from:
//   TestPii()          the personal-data cipher: one key "t1", current, and
//                      the identity secret "test-identity-secret" (so
//                      identity keys equal
//                      IdentityKey(LookupCodes("test-identity-secret"), ...))
//   ValidPetition()    a petition intake accepts, with a phone proof
//   FakePhoneProofs    notification's RedeemPhoneCode, with a switch
//   Event(), Registered()  routing's CaseEvents on case-events
//   NewIntakeService() IntakeServiceImpl as the unit fixtures build it
//   IntakeServiceTest  IntakeServiceImpl over a real temp-dir Store, called
//                      by the portal's gateway (intake_service_test.cc,
//                      intake_lookup_access_test.cc)
//
// Not thread-safe, but TestPii(), which any thread may call.

#ifndef CASERELAY_TESTS_UNIT_SERVICES_INTAKE_INTAKE_FIXTURE_H_
#define CASERELAY_TESTS_UNIT_SERVICES_INTAKE_INTAKE_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/intake.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/store/store.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "services/intake/intake_service.h"
#include "services/intake/phone_proof.h"
#include "services/intake/pii_cipher.h"
#include "tests/unit/services/store_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::intake {

inline const PiiCipher& TestPii() {
  static const PiiCipher* const kPii = [] {
    PiiKeyRing ring;
    ring.keys["t1"] = std::string(kPiiKeySize, '\x11');
    ring.current = "t1";
    ring.identity_secret = "test-identity-secret";
    return PiiCipher::Create(std::move(ring)).value().release();
  }();
  return *kPii;
}

// The phone proof ValidPetition carries (issue 15 item 2: an online
// petition proves its phone; offices' petitions ignore it).
inline constexpr char kTestChallenge[] = "0123456789abcdef0123456789abcdef";
inline constexpr char kTestPhoneCode[] = "123456";

// 张三 (mobile 13800138000) of 沁源县 (140431) submits a labour claim
// online: "某公司拖欠工资三个月。" unless `text` says otherwise, with the
// phone proof kTestChallenge / kTestPhoneCode.
inline caserelay::v1::SubmitPetitionRequest ValidPetition(
    const std::string& text = "某公司拖欠工资三个月。") {
  caserelay::v1::SubmitPetitionRequest req;
  auto* p = req.mutable_petitioner();
  p->set_name("张三");
  p->set_phone("13800138000");
  p->set_address("山西省长治市沁源县沁河镇1号");
  auto* m = req.mutable_matter();
  m->set_region_code("140431");
  m->set_category("labour");
  m->set_matter_class(caserelay::v1::MATTER_CLASS_CLAIM);
  m->set_channel(caserelay::v1::CHANNEL_ONLINE);
  m->set_text(text);
  req.mutable_phone_proof()->set_challenge_id(kTestChallenge);
  req.mutable_phone_proof()->set_code(kTestPhoneCode);
  return req;
}

// notification's RedeemPhoneCode as intake sees it (phone_proof.h): each
// Redeem answers `answer` (OK unless set) and is recorded. Thread-safe.
class FakePhoneProofs final : public PhoneProofs {
 public:
  absl::Status Redeem(const caserelay::v1::PhoneProof& proof,
                      std::string_view phone) override {
    absl::MutexLock lock(&mu_);
    ++calls_;
    last_proof_ = proof;
    last_phone_ = std::string(phone);
    return answer_;
  }
  void Answer(absl::Status answer) {
    absl::MutexLock lock(&mu_);
    answer_ = std::move(answer);
  }
  int calls() const {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  caserelay::v1::PhoneProof last_proof() const {
    absl::MutexLock lock(&mu_);
    return last_proof_;
  }
  std::string last_phone() const {
    absl::MutexLock lock(&mu_);
    return last_phone_;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Status answer_ ABSL_GUARDED_BY(mu_);
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
  caserelay::v1::PhoneProof last_proof_ ABSL_GUARDED_BY(mu_);
  std::string last_phone_ ABSL_GUARDED_BY(mu_);
};

// A FakePhoneProofs that accepts every proof, shared by the fixtures that
// do not look at proofs (never switched).
inline FakePhoneProofs& AcceptingPhoneProofs() {
  static FakePhoneProofs* const kProofs = new FakePhoneProofs();
  return *kProofs;
}

// routing's CaseEvent number `sequence` of `case_id` on case-events, at
// 2026-11-22 11:00 China time: REGISTER if `sequence` is 1, TRANSFER
// otherwise; the case is held by `office_code` in `state` after it.
inline caserelay::v1::Envelope Event(const std::string& case_id,
                                     uint64_t sequence,
                                     caserelay::v1::CaseState state,
                                     const std::string& office_code,
                                     const std::string& office_name) {
  caserelay::v1::Envelope e;
  e.set_event_id("routing/" + case_id + "/" + std::to_string(sequence));
  e.set_case_id(case_id);
  e.set_sequence(sequence);
  e.set_producer("routing");
  *e.mutable_occurred_at() =
      time::ToProto(svctest::ChinaTime(2026, 11, 22, 11, 0));
  auto* c = e.mutable_case_event();
  c->set_action(sequence == 1 ? caserelay::v1::CASE_ACTION_REGISTER
                              : caserelay::v1::CASE_ACTION_TRANSFER);
  c->set_to_state(state);
  c->set_holder_office_code(office_code);
  c->set_holder_office_name(office_name);
  c->set_region_code("140431");
  return e;
}

// Event() leaving the case REGISTERED with `office_code`.
inline caserelay::v1::Envelope Registered(const std::string& case_id,
                                          uint64_t sequence,
                                          const std::string& office_code,
                                          const std::string& office_name) {
  return Event(case_id, sequence, caserelay::v1::CASE_STATE_REGISTERED,
               office_code, office_name);
}

// IntakeServiceImpl over `t`'s context (which outlives it) with the data
// the project ships, TestPii(), the look-up secret "test-secret", the
// default Limits, `lookup`, `request_ids` and `proofs` (not owned;
// null: AcceptingPhoneProofs()). Fails the calling test if the shipped
// data does not load (svctest::ShippedRegions).
inline std::unique_ptr<IntakeServiceImpl> NewIntakeService(
    svctest::TestContext& t, LookupLimits lookup = {},
    RequestIdOptions request_ids = {}, PhoneProofs* proofs = nullptr) {
  return std::make_unique<IntakeServiceImpl>(
      t.context(), &svctest::ShippedRegions(),
      &svctest::ShippedOfficeDirectory(), &TestPii(),
      LookupCodes("test-secret"), Limits(), lookup, request_ids,
      proofs != nullptr ? proofs : &AcceptingPhoneProofs());
}

// Look-up limits of the fixture: 5 failures, then one wait of 15 minutes,
// forgotten 15 minutes after the last failure. Calls come from
// service:web (caller_) with no peer address ("unknown").
class IntakeServiceTest : public svctest::StoreFixture {
 protected:
  IntakeServiceTest() : StoreFixture(ColumnFamilies()) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreFixture::SetUp());
    t_->set_auth(&caller_);
    LookupLimits lookup;
    lookup.max_failures = 5;
    lookup.backoff_first = absl::Minutes(15);
    lookup.backoff_max = absl::Minutes(15);
    lookup.quiet_period = absl::Minutes(15);
    service_ = NewIntakeService(*t_, lookup);
  }

  // Submits ValidPetition(); returns its case number and look-up code.
  caserelay::v1::SubmitPetitionResponse Submit() {
    caserelay::v1::SubmitPetitionRequest req = ValidPetition();
    caserelay::v1::SubmitPetitionResponse resp;
    grpc::Status s = service_->SubmitPetition(&ctx_, &req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  // GetCaseStatus as caller_; its code, the answer in `resp` if given.
  grpc::StatusCode Look(const std::string& case_number, const std::string& code,
                        caserelay::v1::GetCaseStatusResponse* resp = nullptr) {
    caserelay::v1::GetCaseStatusRequest req;
    req.set_case_number(case_number);
    req.set_lookup_code(code);
    caserelay::v1::GetCaseStatusResponse ignored;
    return service_->GetCaseStatus(&ctx_, &req, resp ? resp : &ignored)
        .error_code();
  }

  // A look-up code that is not `code`.
  static std::string WrongCode(const std::string& code) {
    return code == "22222222" ? "33333333" : "22222222";
  }

  // Applies `event` in its own batch and commits it if Apply succeeded.
  absl::Status ApplyAndCommit(const caserelay::v1::Envelope& event) {
    store::WriteBatch batch(&t_->store());
    absl::Status s = service_->Apply(event, batch);
    if (!s.ok()) return s;
    return t_->publisher().Commit(batch);
  }

  // The stored read model of `case_number`; a test failure if there is none.
  caserelay::v1::IntakeCaseRecord LoadCase(const std::string& case_number) {
    caserelay::v1::IntakeCaseRecord record;
    auto raw = t_->store().Get(kCases, case_number);
    EXPECT_TRUE(raw.ok()) << raw.status();
    if (raw.ok() && raw->has_value()) {
      EXPECT_TRUE(record.ParseFromString(**raw));
    } else {
      ADD_FAILURE() << "no case " << case_number;
    }
    return record;
  }

  // The portal's gateway submits and looks up (issue 14 item 1).
  svctest::FixedCaller caller_{"service:web"};
  grpc::ServerContext ctx_;
  std::unique_ptr<IntakeServiceImpl> service_;
};

}  // namespace caserelay::intake

#endif  // CASERELAY_TESTS_UNIT_SERVICES_INTAKE_INTAKE_FIXTURE_H_
