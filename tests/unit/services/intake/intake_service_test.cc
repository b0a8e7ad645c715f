// IntakeServiceImpl with a real temp-dir Store: the read model of
// "case-events" (Apply), what the petitioner sees of it, the rate limit on
// look-ups, and the identity key on PetitionReceived.

#include "services/intake/intake_service.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/region/region_tree.h"
#include "common/rpc/convert.h"
#include "common/service/held_events.h"
#include "common/store/store.h"
#include "common/time/timestamp.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/intake/identity_key.h"
#include "tests/unit/services/intake/test_pii.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::intake {
namespace {

using caserelay::v1::Envelope;
using caserelay::v1::IntakeCaseRecord;

class IntakeServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = svctest::TestContext::Create(
        ColumnFamilies(), svctest::ChinaTime(2026, 11, 22, 10, 0));
    ASSERT_TRUE(t.ok()) << t.status();
    t_ = *std::move(t);
    t_->set_auth(&caller_);
    LookupLimits lookup;
    lookup.max_failures = 5;
    // One wait of 15 minutes, forgotten 15 minutes after the last failure.
    lookup.backoff_first = absl::Minutes(15);
    lookup.backoff_max = absl::Minutes(15);
    lookup.quiet_period = absl::Minutes(15);
    service_ = std::make_unique<IntakeServiceImpl>(
        t_->context(), &svctest::ShippedRegions(),
        &svctest::ShippedOfficeDirectory(), &TestPii(),
        LookupCodes("test-secret"), Limits(), lookup);
  }

  // Submits a valid petition; returns its case number and look-up code.
  caserelay::v1::SubmitPetitionResponse Submit() {
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
    m->set_text("某公司拖欠工资三个月。");
    caserelay::v1::SubmitPetitionResponse resp;
    grpc::Status s = service_->SubmitPetition(&ctx_, &req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  // routing's CaseEvent number `sequence` of `case_id`: the case is held
  // by `office_code` in `state` after it.
  static Envelope Event(const std::string& case_id, uint64_t sequence,
                        caserelay::v1::CaseState state,
                        const std::string& office_code,
                        const std::string& office_name) {
    Envelope e;
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

  // REGISTER: held by the county bureau.
  static Envelope Registered(const std::string& case_id, uint64_t sequence,
                             const std::string& office_code,
                             const std::string& office_name) {
    return Event(case_id, sequence, caserelay::v1::CASE_STATE_REGISTERED,
                 office_code, office_name);
  }

  grpc::StatusCode Look(const std::string& case_number, const std::string& code,
                        caserelay::v1::GetCaseStatusResponse* resp = nullptr) {
    caserelay::v1::GetCaseStatusRequest req;
    req.set_case_number(case_number);
    req.set_lookup_code(code);
    caserelay::v1::GetCaseStatusResponse ignored;
    return service_->GetCaseStatus(&ctx_, &req, resp ? resp : &ignored)
        .error_code();
  }

  static std::string WrongCode(const std::string& code) {
    return code == "22222222" ? "33333333" : "22222222";
  }

  // Applies `event` in its own batch and commits it if Apply succeeded.
  absl::Status ApplyAndCommit(const Envelope& event) {
    store::WriteBatch batch(&t_->store());
    absl::Status s = service_->Apply(event, batch);
    if (!s.ok()) return s;
    return t_->publisher().Commit(batch);
  }

  IntakeCaseRecord LoadCase(const std::string& case_number) {
    IntakeCaseRecord record;
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
  std::unique_ptr<svctest::TestContext> t_;
  std::unique_ptr<IntakeServiceImpl> service_;
};

TEST_F(IntakeServiceTest, SubmittedCaseStartsReceived) {
  auto resp = Submit();
  EXPECT_EQ(resp.case_number(), "140431-20261122-000001");
  IntakeCaseRecord record = LoadCase(resp.case_number());
  EXPECT_EQ(record.state(), caserelay::v1::CASE_STATE_RECEIVED);
  EXPECT_EQ(record.last_sequence(), 0u);
  EXPECT_TRUE(record.office_code().empty());
}

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

TEST_F(IntakeServiceTest, ACaseStoredWithALookUpHashLosesItAtItsNextEvent) {
  // lookup_code.h (issue 22 item 8): cases stored before the code stopped
  // being hashed keep no salted hash once their read model moves on.
  std::string case_number = Submit().case_number();
  IntakeCaseRecord record = LoadCase(case_number);
  std::string old = record.SerializeAsString();
  // Fields 3 (lookup_salt) and 4 (lookup_hash) as an old intake wrote them.
  old += std::string("\x1a\x04salt", 6) + std::string("\x22\x04hash", 6);
  store::WriteBatch put(&t_->store());
  put.Put(kCases, case_number, old);
  ASSERT_TRUE(t_->publisher().Commit(put).ok());
  ASSERT_FALSE(LoadCase(case_number)
                   .GetReflection()
                   ->GetUnknownFields(LoadCase(case_number))
                   .empty());
  ASSERT_EQ(ApplyAndCommit(
                Registered(case_number, 1, "140431:bureau", "沁源县信访局"))
                .code(),
            absl::StatusCode::kOk);
  IntakeCaseRecord after = LoadCase(case_number);
  EXPECT_TRUE(after.GetReflection()->GetUnknownFields(after).empty());
  EXPECT_EQ(after.office_code(), "140431:bureau");
}

TEST_F(IntakeServiceTest, CaseEventUpdatesStateAndOffice) {
  std::string case_number = Submit().case_number();
  Envelope e = Registered(case_number, 1, "140431:bureau", "沁源县信访局");
  ASSERT_EQ(ApplyAndCommit(e).code(), absl::StatusCode::kOk);

  IntakeCaseRecord record = LoadCase(case_number);
  EXPECT_EQ(record.state(), caserelay::v1::CASE_STATE_REGISTERED);
  EXPECT_EQ(record.office_code(), "140431:bureau");
  EXPECT_EQ(record.office_name(), "沁源县信访局");
  EXPECT_EQ(record.last_sequence(), 1u);
  EXPECT_EQ(time::FromProto(record.updated_at()),
            svctest::ChinaTime(2026, 11, 22, 11, 0));
}

TEST_F(IntakeServiceTest, ReplayedEventWithSameSequenceIsIgnored) {
  // DESIGN.md One recipe: a redelivered event must not change state twice.
  std::string case_number = Submit().case_number();
  // Events 1 and 2, in order (a later one first would be a gap, held).
  for (uint64_t seq : {1u, 2u}) {
    ASSERT_EQ(ApplyAndCommit(
                  Registered(case_number, seq, "140431:bureau", "沁源县信访局"))
                  .code(),
              absl::StatusCode::kOk);
  }

  Envelope replay = Registered(case_number, 2, "140400:bureau", "长治市信访局");
  store::WriteBatch batch(&t_->store());
  EXPECT_EQ(service_->Apply(replay, batch).code(), absl::StatusCode::kOk);
  EXPECT_TRUE(batch.empty()) << "a replay must write nothing";

  IntakeCaseRecord record = LoadCase(case_number);
  EXPECT_EQ(record.office_code(), "140431:bureau");
  EXPECT_EQ(record.last_sequence(), 2u);
}

// Issue 22 item 5: event 3 before event 2 is a gap: not applied out of
// order (the consume loop holds it), nothing written.
TEST_F(IntakeServiceTest, EventAfterAMissingOneIsASequenceGapAndWritesNothing) {
  std::string case_number = Submit().case_number();
  ASSERT_EQ(ApplyAndCommit(
                Registered(case_number, 1, "140431:bureau", "沁源县信访局"))
                .code(),
            absl::StatusCode::kOk);
  store::WriteBatch batch(&t_->store());
  absl::Status gap = service_->Apply(
      Registered(case_number, 3, "140400:bureau", "长治市信访局"), batch);
  EXPECT_TRUE(service::IsSequenceGap(gap)) << gap;
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(LoadCase(case_number).last_sequence(), 1u);
}

TEST_F(IntakeServiceTest, OlderEventAfterNewerIsIgnored) {
  std::string case_number = Submit().case_number();
  // Events 1 to 3, in order (a later one first would be a gap, held).
  for (uint64_t seq : {1u, 2u, 3u}) {
    ASSERT_EQ(ApplyAndCommit(
                  Registered(case_number, seq, "140431:bureau", "沁源县信访局"))
                  .code(),
              absl::StatusCode::kOk);
  }
  ASSERT_EQ(ApplyAndCommit(
                Registered(case_number, 1, "140400:bureau", "长治市信访局"))
                .code(),
            absl::StatusCode::kOk);
  IntakeCaseRecord record = LoadCase(case_number);
  EXPECT_EQ(record.office_code(), "140431:bureau");
  EXPECT_EQ(record.last_sequence(), 3u);
}

TEST_F(IntakeServiceTest, CaseEventForUnknownCaseIsNotFound) {
  Envelope e =
      Registered("140431-20261122-999999", 1, "140431:bureau", "沁源县信访局");
  store::WriteBatch batch(&t_->store());
  absl::Status s = service_->Apply(e, batch);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(s.message(), ::testing::HasSubstr("140431-20261122-999999"));
  EXPECT_TRUE(batch.empty()) << "check first, then write";
}

// Issue 14 item 5: a record on case-events that carries another payload
// is poison, refused (so dead-lettered with the reason), not skipped; the
// read model is left alone.
TEST_F(IntakeServiceTest, OtherEventsAreRefusedLeavingTheReadModelAlone) {
  std::string case_number = Submit().case_number();
  Envelope e;
  e.set_event_id("supervision/x");
  e.set_case_id(case_number);
  e.set_sequence(5);
  e.mutable_deadline_missed()->set_deadline_id("d1");
  store::WriteBatch batch(&t_->store());
  absl::Status s = service_->Apply(e, batch);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "case-events: event supervision/x carries deadline_missed, not "
            "case_event");
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(LoadCase(case_number).state(), caserelay::v1::CASE_STATE_RECEIVED);
}

TEST_F(IntakeServiceTest, StatusLookUpShowsTheRoutedOffice) {
  auto submitted = Submit();
  ASSERT_EQ(ApplyAndCommit(Registered(submitted.case_number(), 1,
                                      "140431:bureau", "沁源县信访局"))
                .code(),
            absl::StatusCode::kOk);
  caserelay::v1::GetCaseStatusRequest req;
  req.set_case_number(submitted.case_number());
  req.set_lookup_code(submitted.lookup_code());
  caserelay::v1::GetCaseStatusResponse resp;
  grpc::Status s = service_->GetCaseStatus(&ctx_, &req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.state(), caserelay::v1::CASE_STATE_REGISTERED);
  EXPECT_EQ(resp.office_name(), "沁源县信访局");
}

TEST_F(IntakeServiceTest, StatusLookUpShowsWhenTheReviewWindowEnds) {
  // Issue 23 item 4, Art. 35: the petitioner is told the day the 复查
  // window ends, counted from the recorded receipt (送达), or that receipt
  // is not yet recorded; the window closes with the next step.
  auto submitted = Submit();
  const std::string& n = submitted.case_number();
  ASSERT_TRUE(
      ApplyAndCommit(Registered(n, 1, "140431:bureau", "沁源县信访局")).ok());
  Envelope replied = Event(n, 2, caserelay::v1::CASE_STATE_REPLIED,
                           "140431:hrss", "沁源县人力资源和社会保障局");
  replied.mutable_case_event()->mutable_window()->set_request(
      caserelay::v1::CASE_ACTION_REQUEST_REVIEW);
  ASSERT_TRUE(ApplyAndCommit(replied).ok());
  caserelay::v1::GetCaseStatusResponse resp;
  ASSERT_EQ(Look(n, submitted.lookup_code(), &resp), grpc::StatusCode::OK);
  ASSERT_TRUE(resp.has_window());
  EXPECT_EQ(resp.window().request(), caserelay::v1::CASE_ACTION_REQUEST_REVIEW);
  EXPECT_FALSE(resp.window().has_service());  // 尚未登记送达
  EXPECT_FALSE(resp.window().has_ends_at());

  Envelope served = replied;
  served.set_sequence(3);
  served.set_event_id("routing/" + n + "/3");
  caserelay::v1::PetitionerWindow& w =
      *served.mutable_case_event()->mutable_window();
  w.mutable_service()->set_method(caserelay::v1::SERVICE_METHOD_POST);
  *w.mutable_service()->mutable_received_on() =
      time::ToProto(svctest::ChinaTime(2026, 3, 10, 0, 0));
  *w.mutable_ends_at() = time::ToProto(svctest::ChinaTime(2026, 4, 10, 0, 0));
  ASSERT_TRUE(ApplyAndCommit(served).ok());
  ASSERT_EQ(Look(n, submitted.lookup_code(), &resp), grpc::StatusCode::OK);
  EXPECT_EQ(time::FromProto(resp.window().ends_at()),
            svctest::ChinaTime(2026, 4, 10, 0, 0));
  EXPECT_EQ(resp.window().service().method(),
            caserelay::v1::SERVICE_METHOD_POST);

  ASSERT_TRUE(
      ApplyAndCommit(Event(n, 4, caserelay::v1::CASE_STATE_REVIEW_REQUESTED,
                           "140400:hrss", "长治市人力资源和社会保障局"))
          .ok());
  resp.Clear();
  ASSERT_EQ(Look(n, submitted.lookup_code(), &resp), grpc::StatusCode::OK);
  EXPECT_FALSE(resp.has_window());
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

TEST_F(IntakeServiceTest, LaterEventsMoveStateAndOfficeAlong) {
  auto submitted = Submit();
  const std::string& n = submitted.case_number();
  ASSERT_EQ(
      ApplyAndCommit(Registered(n, 1, "140431:bureau", "沁源县信访局")).code(),
      absl::StatusCode::kOk);
  ASSERT_EQ(ApplyAndCommit(Event(n, 2, caserelay::v1::CASE_STATE_TRANSFERRED,
                                 "140431:labour", "沁源县人力资源和社会保障局"))
                .code(),
            absl::StatusCode::kOk);
  caserelay::v1::GetCaseStatusResponse resp;
  ASSERT_EQ(Look(n, submitted.lookup_code(), &resp), grpc::StatusCode::OK);
  EXPECT_EQ(resp.state(), caserelay::v1::CASE_STATE_TRANSFERRED);
  EXPECT_EQ(resp.office_code(), "140431:labour");
  EXPECT_EQ(resp.office_name(), "沁源县人力资源和社会保障局");
  EXPECT_EQ(time::FromProto(resp.updated_at()),
            svctest::ChinaTime(2026, 11, 22, 11, 0));
}

TEST_F(IntakeServiceTest, CaseEventWithoutSequenceIsInvalidArgument) {
  std::string case_number = Submit().case_number();
  Envelope e = Registered(case_number, 0, "140431:bureau", "沁源县信访局");
  store::WriteBatch batch(&t_->store());
  EXPECT_EQ(service_->Apply(e, batch).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(batch.empty());
}

TEST_F(IntakeServiceTest, PetitionReceivedCarriesTheIdentityKey) {
  // identity_key.h: name + mobile when no ID number is given.
  Submit();
  std::vector<Envelope> published = t_->Published("petitions");
  ASSERT_EQ(published.size(), 1u);
  caserelay::v1::Petitioner p;
  p.set_name("张三");
  p.set_phone("13800138000");
  // Under the identity secret of the key ring, not lookup.secret (issue
  // 14 item 3: a keyed hash under its own key).
  const std::string key = IdentityKey(LookupCodes("test-identity-secret"), p);
  EXPECT_EQ(key.size(), 64u);
  EXPECT_EQ(published[0].petition_received().identity_key(), key);
  EXPECT_NE(key, IdentityKey(LookupCodes("test-secret"), p));
}

TEST_F(IntakeServiceTest, PetitionerRefIsRandomAndThePetitionerSealed) {
  // Issue 14 items 1 and 3: the reference is not "P" + the case number
  // (nothing to enumerate), and no field of the petitioner is stored in
  // clear; ResolveContact opens it for notification.
  auto first = Submit();
  auto second = Submit();
  const std::string ref1 = LoadCase(first.case_number()).petitioner().id();
  const std::string ref2 = LoadCase(second.case_number()).petitioner().id();
  EXPECT_NE(ref1, ref2);
  EXPECT_NE(ref1, "P" + first.case_number());
  EXPECT_EQ(ref1.find(first.case_number().substr(0, 6)), std::string::npos);
  std::vector<Envelope> published = t_->Published("petitions");
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[0].petition_received().petitioner().id(), ref1);

  auto raw = t_->store().Get(kPetitioners, ref1);
  ASSERT_TRUE(raw.ok() && raw->has_value());
  for (const char* clear : {"张三", "13800138000", "沁河镇1号"}) {
    EXPECT_EQ((*raw)->find(clear), std::string::npos) << clear;
  }

  caserelay::v1::ResolveContactRequest req;
  req.mutable_petitioner()->set_id(ref1);
  req.set_case_number(first.case_number());
  caserelay::v1::ResolveContactResponse resp;
  caller_.Become("service:notification");
  grpc::Status s = service_->ResolveContact(&ctx_, &req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.phone(), "13800138000");
  EXPECT_EQ(resp.lookup_code(), first.lookup_code());
  // The old form of reference finds nobody.
  req.mutable_petitioner()->set_id("P" + first.case_number());
  EXPECT_EQ(service_->ResolveContact(&ctx_, &req, &resp).error_code(),
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
  service_ = std::make_unique<IntakeServiceImpl>(
      t_->context(), &svctest::ShippedRegions(),
      &svctest::ShippedOfficeDirectory(), &TestPii(),
      LookupCodes("test-secret"), Limits(), LookupLimits());
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
    caserelay::v1::SubmitPetitionRequest submit;
    submit.mutable_petitioner()->set_name("李四");
    submit.mutable_petitioner()->set_phone("13900139000");
    submit.mutable_petitioner()->set_address("山西省长治市沁源县沁河镇2号");
    auto* m = submit.mutable_matter();
    m->set_region_code("140431");
    m->set_category("labour");
    m->set_matter_class(caserelay::v1::MATTER_CLASS_CLAIM);
    m->set_channel(caserelay::v1::CHANNEL_ONLINE);
    m->set_text("某公司拖欠工资两个月。");
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
