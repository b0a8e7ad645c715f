// The harness turns a child's sanitizer report into a test failure (issue
// 14 item 7: a service that dies with an ASan report, or leaks at its
// exit, must fail the test that started it, though its report goes only
// to its log).

#include "tests/integration/harness.h"

#include <ostream>
#include <string>

#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"

namespace caserelay::testing {
namespace {

struct VictimCase {
  const char* defect;  // sanitizer_victim's argument
  const char* report;  // expected in the failure ("" : no failure)
  friend void PrintTo(const VictimCase& c, std::ostream* os) {
    *os << c.defect;
  }
};

class SanitizerReportTest : public ::testing::TestWithParam<VictimCase> {};

// Starts the victim, waits until it exits and reaps it (where the harness
// reads its log).
void RunVictim(const std::string& defect, const std::string& log) {
  auto p = Process::Start(
      {Binary("tests/integration/sanitizer_victim"), defect}, {}, log);
  ASSERT_TRUE(p.ok()) << p.status();
  while ((*p)->Running()) absl::SleepFor(absl::Milliseconds(10));
}

TEST_P(SanitizerReportTest, ChildReportFailsTheTest) {
#if !defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "only a sanitizer build (scripts/test --sanitize) reports";
#endif
  const VictimCase& c = GetParam();
  TempDir dir;
  const std::string log = dir.path() + "/victim.log";
  if (*c.report == '\0') {
    RunVictim(c.defect, log);  // a failure here fails this test
  } else {
    EXPECT_NONFATAL_FAILURE(RunVictim(c.defect, log), c.report);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Defects, SanitizerReportTest,
    ::testing::Values(
        // ASan: a memory error ends the child with its report.
        VictimCase{"heap-use-after-free",
                   "AddressSanitizer: heap-use-after-free"},
        // UBSan (-fno-sanitize-recover): undefined behaviour ends it too.
        VictimCase{"signed-overflow", "runtime error: signed integer overflow"},
        // LeakSanitizer at exit: what a service that leaks shows at SIGTERM.
        VictimCase{"leak", "byte(s) leaked"},
        // A child without a defect: no failure.
        VictimCase{"clean", ""}),
    [](const ::testing::TestParamInfo<VictimCase>& info) {
      std::string name = info.param.defect;
      for (char& ch : name) {
        if (ch == '-') ch = '_';
      }
      return name;
    });

// A report written by an earlier process to the same log (a restarted
// service appends to its log) is that process's, not the new one's.
TEST(SanitizerReportLogTest, OnlyWhatTheChildWroteCounts) {
#if !defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "only a sanitizer build (scripts/test --sanitize) reports";
#endif
  TempDir dir;
  const std::string log = dir.path() + "/victim.log";
  EXPECT_NONFATAL_FAILURE(RunVictim("leak", log), "byte(s) leaked");
  RunVictim("clean", log);  // a failure here fails this test
}

}  // namespace
}  // namespace caserelay::testing
