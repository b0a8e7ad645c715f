// IntakeServiceImpl with a real temp-dir Store: the read model of
// "case-events" (Apply) and what the petitioner sees of it.

#include "services/intake/intake_service.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/region/region_tree.h"
#include "common/rpc/convert.h"
#include "common/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::intake {
namespace {

using caserelay::v1::Envelope;
using caserelay::v1::IntakeCaseRecord;

class IntakeServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = svctest::TestContext::Create(
        {kPetitioners, kCases, kCounters, kRequests},
        svctest::ChinaTime(2026, 11, 22, 10, 0));
    ASSERT_TRUE(t.ok()) << t.status();
    t_ = *std::move(t);
    service_ = std::make_unique<IntakeServiceImpl>(
        t_->context(), &svctest::ShippedRegions(), LookupCodes("test-secret"), Limits());
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
    grpc::Status s = service_->SubmitPetition(nullptr, &req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  static Envelope Routed(const std::string& case_id, uint64_t sequence,
                         const std::string& office_code,
                         const std::string& office_name) {
    Envelope e;
    e.set_event_id("routing/" + case_id + "/" + std::to_string(sequence));
    e.set_case_id(case_id);
    e.set_sequence(sequence);
    e.set_producer("routing");
    *e.mutable_occurred_at() =
        rpc::ToProto(svctest::ChinaTime(2026, 11, 22, 11, 0));
    e.mutable_case_routed()->set_office_code(office_code);
    e.mutable_case_routed()->set_office_name(office_name);
    e.mutable_case_routed()->set_region_code("140431");
    return e;
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

TEST_F(IntakeServiceTest, CaseRoutedUpdatesStateAndOffice) {
  std::string case_number = Submit().case_number();
  Envelope e = Routed(case_number, 1, "140431:bureau", "沁源县信访局");
  ASSERT_EQ(ApplyAndCommit(e).code(), absl::StatusCode::kOk);

  IntakeCaseRecord record = LoadCase(case_number);
  EXPECT_EQ(record.state(), caserelay::v1::CASE_STATE_ROUTED);
  EXPECT_EQ(record.office_code(), "140431:bureau");
  EXPECT_EQ(record.office_name(), "沁源县信访局");
  EXPECT_EQ(record.last_sequence(), 1u);
  EXPECT_EQ(rpc::FromProto(record.updated_at()),
            svctest::ChinaTime(2026, 11, 22, 11, 0));
}

TEST_F(IntakeServiceTest, ReplayedEventWithSameSequenceIsIgnored) {
  // DESIGN.md One recipe: a redelivered event must not change state twice.
  std::string case_number = Submit().case_number();
  ASSERT_EQ(
      ApplyAndCommit(Routed(case_number, 2, "140431:bureau", "沁源县信访局"))
          .code(),
      absl::StatusCode::kOk);

  Envelope replay = Routed(case_number, 2, "140400:bureau", "长治市信访局");
  store::WriteBatch batch(&t_->store());
  EXPECT_EQ(service_->Apply(replay, batch).code(), absl::StatusCode::kOk);
  EXPECT_TRUE(batch.empty()) << "a replay must write nothing";

  IntakeCaseRecord record = LoadCase(case_number);
  EXPECT_EQ(record.office_code(), "140431:bureau");
  EXPECT_EQ(record.last_sequence(), 2u);
}

TEST_F(IntakeServiceTest, OlderEventAfterNewerIsIgnored) {
  std::string case_number = Submit().case_number();
  ASSERT_EQ(
      ApplyAndCommit(Routed(case_number, 3, "140431:bureau", "沁源县信访局"))
          .code(),
      absl::StatusCode::kOk);
  ASSERT_EQ(
      ApplyAndCommit(Routed(case_number, 1, "140400:bureau", "长治市信访局"))
          .code(),
      absl::StatusCode::kOk);
  IntakeCaseRecord record = LoadCase(case_number);
  EXPECT_EQ(record.office_code(), "140431:bureau");
  EXPECT_EQ(record.last_sequence(), 3u);
}

TEST_F(IntakeServiceTest, CaseRoutedForUnknownCaseIsNotFound) {
  Envelope e =
      Routed("140431-20261122-999999", 1, "140431:bureau", "沁源县信访局");
  store::WriteBatch batch(&t_->store());
  absl::Status s = service_->Apply(e, batch);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(s.message(), ::testing::HasSubstr("140431-20261122-999999"));
  EXPECT_TRUE(batch.empty()) << "check first, then write";
}

TEST_F(IntakeServiceTest, OtherEventsLeaveTheReadModelAlone) {
  std::string case_number = Submit().case_number();
  Envelope e;
  e.set_event_id("supervision/x");
  e.set_case_id(case_number);
  e.set_sequence(5);
  e.mutable_deadline_missed()->set_deadline_id("d1");
  store::WriteBatch batch(&t_->store());
  EXPECT_EQ(service_->Apply(e, batch).code(), absl::StatusCode::kOk);
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(LoadCase(case_number).state(), caserelay::v1::CASE_STATE_RECEIVED);
}

TEST_F(IntakeServiceTest, StatusLookUpShowsTheRoutedOffice) {
  auto submitted = Submit();
  ASSERT_EQ(ApplyAndCommit(Routed(submitted.case_number(), 1, "140431:bureau",
                                  "沁源县信访局"))
                .code(),
            absl::StatusCode::kOk);
  caserelay::v1::GetCaseStatusRequest req;
  req.set_case_number(submitted.case_number());
  req.set_lookup_code(submitted.lookup_code());
  caserelay::v1::GetCaseStatusResponse resp;
  grpc::Status s = service_->GetCaseStatus(nullptr, &req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.state(), caserelay::v1::CASE_STATE_ROUTED);
  EXPECT_EQ(resp.office_name(), "沁源县信访局");
}

TEST_F(IntakeServiceTest, StatusLookUpWithWrongCodeIsNotFound) {
  // DESIGN.md Security: only with the case number and its look-up code.
  auto submitted = Submit();
  caserelay::v1::GetCaseStatusRequest req;
  req.set_case_number(submitted.case_number());
  req.set_lookup_code(submitted.lookup_code() == "22222222" ? "33333333"
                                                            : "22222222");
  caserelay::v1::GetCaseStatusResponse resp;
  EXPECT_EQ(service_->GetCaseStatus(nullptr, &req, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace caserelay::intake
