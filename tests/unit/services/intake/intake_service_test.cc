// IntakeServiceImpl with a real temp-dir Store (intake_fixture.h): a
// submitted petition, the read model of "case-events" (Apply), what the
// petitioner sees of it, and what PetitionReceived carries (the identity
// key, the random petitioner reference). The look-ups' limits and who may
// call are in intake_lookup_access_test.cc.

#include "services/intake/intake_service.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/config/config.h"
#include "common/service/held_events.h"
#include "common/store/store.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/petitioner.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/intake/identity_key.h"
#include "tests/unit/services/intake/intake_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::intake {
namespace {

using caserelay::v1::Envelope;
using caserelay::v1::IntakeCaseRecord;

TEST_F(IntakeServiceTest, SubmittedCaseStartsReceived) {
  auto resp = Submit();
  EXPECT_EQ(resp.case_number(), "140431-20261122-000001");
  IntakeCaseRecord record = LoadCase(resp.case_number());
  EXPECT_EQ(record.state(), caserelay::v1::CASE_STATE_RECEIVED);
  EXPECT_EQ(record.last_sequence(), 0u);
  EXPECT_TRUE(record.office_code().empty());
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

TEST_F(IntakeServiceTest, StatusLookUpCarriesTheLifeCyclesStateText) {
  // Issue 15 item 2: intake's answer carries the state in plain Chinese,
  // the same domain function's text as routing's PetitionerView, so the
  // portal can show it before routing has registered the case.
  auto submitted = Submit();
  const std::string& n = submitted.case_number();
  struct Row {
    const char* rule;
    int sequence;  // 0: nothing applied yet
    caserelay::v1::CaseState state;
    const char* text;
  };
  for (const Row& row : std::vector<Row>{
           {"received by intake, routing has not registered it", 0,
            caserelay::v1::CASE_STATE_RECEIVED, "已收到，等待登记"},
           {"registered by routing (DOMAIN.md Routing, Art. 22)", 1,
            caserelay::v1::CASE_STATE_REGISTERED, "已登记，等待转送"},
       }) {
    if (row.sequence > 0) {
      ASSERT_TRUE(ApplyAndCommit(Registered(n, row.sequence, "140431:bureau",
                                            "沁源县信访局"))
                      .ok());
    }
    caserelay::v1::GetCaseStatusResponse resp;
    ASSERT_EQ(Look(n, submitted.lookup_code(), &resp), grpc::StatusCode::OK)
        << row.rule;
    EXPECT_EQ(resp.state(), row.state) << row.rule;
    EXPECT_EQ(resp.state_text(), row.text) << row.rule;
    EXPECT_EQ(resp.state_text(), lifecycle::StateText(row.state)) << row.rule;
  }
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

TEST_F(IntakeServiceTest, ACorrectionIsKeptOnTheRecordAndEscalationMovesIt) {
  // Issue 18 item 6: 更正登记 — intake's record of the matter follows the
  // corrected values; item 5: 提级 — the look-up names the superior organ.
  auto submitted = Submit();
  const std::string& n = submitted.case_number();
  ASSERT_EQ(
      ApplyAndCommit(Registered(n, 1, "140431:bureau", "沁源县信访局")).code(),
      absl::StatusCode::kOk);
  const caserelay::v1::Matter before = LoadCase(n).matter();
  Envelope corrected = Event(n, 2, caserelay::v1::CASE_STATE_REGISTERED,
                             "140402:bureau", "长治市潞州区信访局");
  auto* e = corrected.mutable_case_event();
  e->set_action(caserelay::v1::CASE_ACTION_CORRECT);
  auto* c = e->mutable_correction();
  c->set_old_region_code(before.region_code());
  c->set_new_region_code("140402");
  c->set_old_category(before.category());
  c->set_new_category("housing");
  c->set_old_matter_class(before.matter_class());
  c->set_new_matter_class(caserelay::v1::MATTER_CLASS_SUGGESTION);
  ASSERT_EQ(ApplyAndCommit(corrected).code(), absl::StatusCode::kOk);
  IntakeCaseRecord record = LoadCase(n);
  EXPECT_EQ(record.matter().region_code(), "140402");
  EXPECT_EQ(record.matter().category(), "housing");
  EXPECT_EQ(record.matter().matter_class(),
            caserelay::v1::MATTER_CLASS_SUGGESTION);
  EXPECT_EQ(record.matter().title(), before.title());
  EXPECT_EQ(record.office_code(), "140402:bureau");

  Envelope escalated = Event(n, 3, caserelay::v1::CASE_STATE_REGISTERED,
                             "140400:bureau", "长治市信访局");
  escalated.mutable_case_event()->set_action(
      caserelay::v1::CASE_ACTION_ESCALATE);
  ASSERT_EQ(ApplyAndCommit(escalated).code(), absl::StatusCode::kOk);
  caserelay::v1::GetCaseStatusResponse resp;
  ASSERT_EQ(Look(n, submitted.lookup_code(), &resp), grpc::StatusCode::OK);
  EXPECT_EQ(resp.office_code(), "140400:bureau");
  EXPECT_EQ(resp.office_name(), "长治市信访局");
  EXPECT_EQ(LoadCase(n).matter().category(), "housing");
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

// Issue 15 item 2: DescribeForm tells the limits SubmitPetition enforces
// under intake's own settings, so a front end counts against them and not
// against a copy of the defaults.
TEST_F(IntakeServiceTest, DescribeFormAnswersTheLimitsOfItsSettings) {
  auto config =
      config::Config::Load("", IntakeDefinition().settings,
                           {{"CASERELAY_LOOKUP_SECRET", "s"},
                            {"CASERELAY_INTAKE_MAX_TEXT_CHARS", "2500"},
                            {"CASERELAY_INTAKE_MAX_LIST_ITEMS", "7"}});
  ASSERT_TRUE(config.ok()) << config.status();
  service_ = std::make_unique<IntakeServiceImpl>(
      t_->context(), &svctest::ShippedRegions(),
      &svctest::ShippedOfficeDirectory(), &TestPii(),
      LookupCodes("test-secret"), LimitsFromConfig(*config), LookupLimits(),
      RequestIdOptions(), &AcceptingPhoneProofs());
  caserelay::v1::DescribeFormRequest req;
  caserelay::v1::DescribeFormResponse form;
  grpc::Status s = service_->DescribeForm(&ctx_, &req, &form);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(form.max_text_chars(), 2500);
  EXPECT_EQ(form.max_list_items(), 7);
  const Limits defaults;
  EXPECT_EQ(form.max_title_chars(), defaults.max_title_chars);
  EXPECT_EQ(form.max_name_chars(), defaults.max_name_chars);
  EXPECT_EQ(form.max_address_chars(), defaults.max_address_chars);
  EXPECT_EQ(form.max_accused_chars(), defaults.max_name_chars);
  EXPECT_EQ(form.max_request_id_chars(), defaults.max_request_id_chars);

  // What it answers is what SubmitPetition enforces: one more is refused.
  caserelay::v1::SubmitPetitionRequest petition =
      ValidPetition(std::string(2501, 'a'));
  caserelay::v1::SubmitPetitionResponse resp;
  grpc::Status refused = service_->SubmitPetition(&ctx_, &petition, &resp);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(refused.error_message(),
            "matter.text: 最多 2500 个字符，收到 2501 个");
}

// DescribeForm answers whoever submits (an office, the web gateway), like
// SubmitPetition; any other principal is refused.
TEST_F(IntakeServiceTest, DescribeFormAnswersOnlyThoseWhoSubmit) {
  using Code = grpc::StatusCode;
  struct Row {
    const char* caller;
    Code want;
  };
  for (const Row& row : std::vector<Row>{
           {"140431:bureau", Code::OK},
           {"service:web", Code::OK},
           {"service:notification", Code::PERMISSION_DENIED},
           {"service:routing", Code::PERMISSION_DENIED},
           {"no-credentials", Code::UNAUTHENTICATED},
       }) {
    caller_.Become(row.caller);
    caserelay::v1::DescribeFormRequest req;
    caserelay::v1::DescribeFormResponse form;
    EXPECT_EQ(service_->DescribeForm(&ctx_, &req, &form).error_code(), row.want)
        << row.caller;
  }
}

}  // namespace
}  // namespace caserelay::intake
