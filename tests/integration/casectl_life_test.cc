// Issue 23 items 3-6 through the real processes, driven by casectl as the
// offices use it: the result report (办结报告) of an assigned case after
// it went to review (item 3); each refusal's own ground (item 5); the
// review of a department's reply by the same line one level up (item 6);
// the review window counted from the recorded service (送达, item 4).

#include <string>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/time/china_time.h"
#include "gtest/gtest.h"
#include "tests/integration/life_steps.h"

namespace caserelay::testing {
namespace {

constexpr char kTownship[] = "140431100";  // 沁河镇, 沁源县
constexpr char kCountyBureau[] = "140431:bureau";
constexpr char kTownshipGov[] = "140431100:gov";
constexpr char kCountyGov[] = "140431:gov";  // reviews the township (Art. 35)
constexpr char kCityGov[] = "140400:gov";    // re-reviews (Art. 36)

// Runs `casectl ARGS` as `office`; expects exit code `want`.
std::string Expect(Steps& steps, const std::string& office,
                   const std::string& args, int want) {
  auto run = RunCommand(steps.Casectl(office) + " " + args);
  EXPECT_EQ(run.code, want) << args << "\n" << run.output;
  return run.output;
}

TEST(CasectlLifeTest, AssignedCaseReviewedBeforeItsReportIsReportedAndClosed) {
  // Item 3: Art. 22 交办 — the township owes its 办结报告 to the county
  // bureau; the petitioner asked for 复查 (Art. 35) before it was filed.
  // The township must still be able to file it, and the case to close.
  auto sys =
      System::Start({{kCountyBureau, kTownshipGov, kCountyGov, kCityGov}});
  ASSERT_TRUE(sys.ok()) << sys.status();
  Steps steps(**sys);
  const std::string id = steps.Submit(SamplePetition(kTownship, 41));
  ASSERT_TRUE(
      steps.AwaitState(kCountyBureau, id, caserelay::v1::CASE_STATE_REGISTERED)
          .ok());
  Expect(steps, kCountyBureau, "assign " + id, 0);
  Expect(steps, kTownshipGov, "accept " + id, 0);
  Expect(steps, kTownshipGov, "reply " + id + " --outcome explain", 0);
  Expect(steps, kCountyGov, "request-review " + id, 0);
  // The county government holds the case now; the township still owes
  // the report, and files it (was PERMISSION_DENIED: "neither holds case
  // ... nor reviews its decisions").
  Expect(steps, kTownshipGov, "report-result " + id, 0);
  // Once only (Art. 22).
  std::string again = Expect(steps, kTownshipGov, "report-result " + id, 1);
  EXPECT_TRUE(absl::StrContains(again, "FAILED_PRECONDITION")) << again;
  // An office with no part in it is still refused before anything else.
  std::string stranger = Expect(steps, kCityGov, "report-result " + id, 1);
  EXPECT_TRUE(absl::StrContains(stranger, "PERMISSION_DENIED")) << stranger;

  Expect(steps, kCountyGov, "decide-review " + id + " --outcome reject", 0);
  Expect(steps, kCityGov, "request-rereview " + id, 0);
  Expect(steps, kCityGov, "decide-rereview " + id + " --outcome reject", 0);
  Expect(steps, kCityGov, "close " + id, 0);
  auto closed = steps.Get(System::kProvinceBureau, id);
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->view().state(), caserelay::v1::CASE_STATE_CLOSED);
  EXPECT_TRUE(closed->view().result_reported());
  EXPECT_EQ(closed->view().deadlines_size(), 0);
  steps.ExpectDeadlines(id, {});
}

TEST(CasectlLifeTest, EachRefusalNamesItsGroundInShowAndInTheSms) {
  // Item 5: a visit to the city about a matter the county is handling
  // within its time limit is refused as "in progress below" (Art. 22), not
  // as 诉访分离; an office's 不予受理 (Art. 23) names its own ground.
  auto sys = System::Start({{kCountyBureau, kTownshipGov}});
  ASSERT_TRUE(sys.ok()) << sys.status();
  Steps steps(**sys);
  auto petition = SamplePetition(kTownship, 42);
  petition.mutable_petitioner()->set_id_number("11010519491231002X");
  petition.set_request_id("ground-1");
  const std::string open = steps.Submit(petition);
  ASSERT_TRUE(
      steps
          .AwaitState(kCountyBureau, open, caserelay::v1::CASE_STATE_REGISTERED)
          .ok());
  auto visit = petition;
  visit.set_request_id("ground-2");
  visit.mutable_matter()->set_channel(caserelay::v1::CHANNEL_VISIT);
  visit.mutable_matter()->set_lodged_with("140400:bureau");
  const std::string refused = steps.Submit(visit);
  ASSERT_TRUE(steps
                  .AwaitState(System::kProvinceBureau, refused,
                              caserelay::v1::CASE_STATE_NOT_ACCEPTED)
                  .ok());
  std::string show =
      Expect(steps, System::kProvinceBureau, "show " + refused, 0);
  EXPECT_TRUE(absl::StrContains(show, "disposition: not-accepted (不予受理)"))
      << show;
  EXPECT_TRUE(absl::StrContains(
      show, "ground: in-progress-below (同一事项正在下级办理期限内)"))
      << show;
  EXPECT_FALSE(absl::StrContains(show, "诉访分离")) << show;
  steps.ExpectSms(refused, {"not_accepted_in_progress"});

  // The township declines the case it was assigned: out of its remit by
  // default; the ground is in the history and in the SMS.
  Expect(steps, kCountyBureau, "assign " + open, 0);
  Expect(steps, kTownshipGov,
         "decline " + open + " --reason 不属本级职责 --route 向县人社局提出",
         0);
  show = Expect(steps, kCountyBureau, "show " + open, 0);
  EXPECT_TRUE(absl::StrContains(show, "ground: out-of-scope (不属于受理范围)"))
      << show;
  steps.ExpectSms(open, {"received", "assigned", "not_accepted_out_of_scope"});
}

TEST(CasectlLifeTest, ADepartmentsReplyIsReviewedByTheLineOneLevelUp) {
  // Item 6: Art. 35 — 沁源县人社局 replied; the petitioner asks 长治市人社局
  // (上一级主管部门) for the review, which takes it (was refused: only the
  // county government could). Art. 36 — the re-review then goes to
  // 山西省人社厅 or 长治市人民政府; the petitioner asked the 厅.
  constexpr char kCountyHrss[] = "140431:hrss";
  constexpr char kCityHrss[] = "140400:hrss";
  constexpr char kProvinceHrss[] = "140000:hrss";
  auto sys = System::Start({{kCountyBureau, kCountyHrss, kCityHrss,
                             kProvinceHrss, kCountyGov, kCityGov}});
  ASSERT_TRUE(sys.ok()) << sys.status();
  Steps steps(**sys);
  const std::string id = steps.Submit(SamplePetition("140431", 43));
  auto registered =
      steps.AwaitState(kCountyBureau, id, caserelay::v1::CASE_STATE_REGISTERED);
  ASSERT_TRUE(registered.ok()) << registered.status();
  ASSERT_EQ(registered->view().decision().target_office_code(), kCountyHrss);
  Expect(steps, kCountyBureau, "transfer " + id, 0);
  Expect(steps, kCountyHrss, "accept " + id, 0);
  Expect(steps, kCountyHrss, "reply " + id + " --outcome reject", 0);
  // Two levels up is no review organ.
  std::string denied = Expect(steps, kCityGov, "request-review " + id, 1);
  EXPECT_TRUE(absl::StrContains(denied, "PERMISSION_DENIED")) << denied;
  Expect(steps, kCityHrss, "request-review " + id, 0);
  std::string show = Expect(steps, kCityHrss, "show " + id, 0);
  EXPECT_TRUE(absl::StrContains(show, "holder: 长治市人力资源和社会保障局"))
      << show;
  EXPECT_TRUE(absl::StrContains(show,
                                "review organ by: Arts. 35-36: "
                                "上一级主管部门"))
      << show;
  Expect(steps, kCityHrss, "decide-review " + id + " --outcome reject", 0);
  Expect(steps, kProvinceHrss, "request-rereview " + id, 0);
  auto detail = steps.Get(System::kProvinceBureau, id);
  ASSERT_TRUE(detail.ok()) << detail.status();
  EXPECT_EQ(detail->view().state(),
            caserelay::v1::CASE_STATE_REREVIEW_REQUESTED);
  EXPECT_EQ(detail->view().office_code(), kProvinceHrss);
  steps.ExpectDeadlines(id, {caserelay::v1::DEADLINE_KIND_REREVIEW});
}

absl::Time ChinaAt(int y, int m, int d, int hh) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0),
                         time::ChinaTimeZone());
}

TEST(CasectlLifeTest, TheReviewWindowRunsFromTheRecordedReceipt) {
  // Item 4: Art. 35 counts 30 days from the petitioner's receipt of the
  // written reply (收到书面答复之日). Replied 3-02, received by post 3-10:
  // the window ends 4-09, not 4-01; before the receipt is recorded, show
  // says so and nothing closes.
  constexpr char kCountyHrss[] = "140431:hrss";
  constexpr char kCityHrss[] = "140400:hrss";
  SystemOptions options{{kCountyBureau, kCountyHrss, kCityHrss}};
  options.simulated_start = ChinaAt(2026, 3, 2, 9);
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  Steps steps(**sys);
  const std::string id = steps.Submit(SamplePetition("140431", 44));
  ASSERT_TRUE(
      steps.AwaitState(kCountyBureau, id, caserelay::v1::CASE_STATE_REGISTERED)
          .ok());
  Expect(steps, kCountyBureau, "transfer " + id, 0);
  Expect(steps, kCountyHrss, "accept " + id, 0);
  Expect(steps, kCountyHrss, "reply " + id + " --outcome explain", 0);
  std::string show = Expect(steps, kCountyHrss, "show " + id, 0);
  EXPECT_TRUE(absl::StrContains(
      show, "review window: receipt not yet recorded (尚未登记送达)"))
      << show;
  EXPECT_TRUE(absl::StrContains(show, "service (送达) due 2026-03-12")) << show;
  steps.ExpectDeadlines(id, {caserelay::v1::DEADLINE_KIND_SERVICE});

  (*sys)->clock().Set(ChinaAt(2026, 3, 11, 9));
  std::string early = Expect(steps, kCountyHrss, "close " + id, 1);
  EXPECT_TRUE(absl::StrContains(early, "FAILED_PRECONDITION")) << early;
  EXPECT_TRUE(absl::StrContains(early, "尚未登记送达")) << early;
  // Received in the future is refused by name.
  std::string future =
      Expect(steps, kCountyHrss,
             "serve " + id + " --method post --received 2026-03-12", 1);
  EXPECT_TRUE(absl::StrContains(future, "received_at")) << future;
  Expect(steps, kCountyHrss,
         "serve " + id + " --method post --received 2026-03-10", 0);
  show = Expect(steps, kCityHrss, "show " + id, 0);
  EXPECT_TRUE(absl::StrContains(
      show,
      "review window: ends 2026-04-09 (复查, Art. 35: counted from "
      "receipt on 2026-03-10 by post (邮寄送达))"))
      << show;
  EXPECT_TRUE(absl::StrContains(show,
                                "served: reply (出具处理意见), received "
                                "2026-03-10 by post (邮寄送达)"))
      << show;
  steps.ExpectDeadlines(id, {});

  // 4-09, the 30th day after receipt (the 38th after the reply): in time.
  // Counted from the reply, the window would have ended with 4-01.
  (*sys)->clock().Set(ChinaAt(2026, 4, 9, 20));
  Expect(steps, kCityHrss, "request-review " + id, 0);
  auto detail = steps.Get(System::kProvinceBureau, id);
  ASSERT_TRUE(detail.ok()) << detail.status();
  EXPECT_EQ(detail->view().state(), caserelay::v1::CASE_STATE_REVIEW_REQUESTED);
  EXPECT_FALSE(detail->view().has_window());
}

}  // namespace
}  // namespace caserelay::testing
