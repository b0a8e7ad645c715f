// Issue 23 items 3-6 through the real processes, driven by casectl as the
// offices use it: the result report (办结报告) of an assigned case after
// it went to review (item 3).

#include <string>

#include "absl/strings/match.h"
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
  auto sys = System::Start(
      {{kCountyBureau, kTownshipGov, kCountyGov, kCityGov}});
  ASSERT_TRUE(sys.ok()) << sys.status();
  Steps steps(**sys);
  const std::string id = steps.Submit(SamplePetition(kTownship, 41));
  ASSERT_TRUE(steps.AwaitState(kCountyBureau, id,
                               caserelay::v1::CASE_STATE_REGISTERED)
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

}  // namespace
}  // namespace caserelay::testing
