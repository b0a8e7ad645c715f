// The harness turns a child's sanitizer report into a test failure (issue
// 14 item 7: a service that dies with an ASan report, or leaks at its
// exit, must fail the test that started it, though its report goes only
// to its log); and System::Restart brings a service back where the web
// gateway and the other services were told it is.

#include "tests/integration/harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ostream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "caserelay/v1/routing.pb.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "tests/integration/web_browser.h"

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

// One system with the web gateway for the restart tests.
using SystemRestartTest = WebSystemTest;

// W6's finding (issue 15 browser tests): a restarted service came back on a
// new port, where neither the gateway nor intake looked. Now routing and
// notification come back on their gRPC and admin addresses, and the portal
// works through them: web -> notification (the SMS code), intake ->
// notification (redeeming it), web -> routing (the petitioner's view).
TEST_F(SystemRestartTest, RestartedServicesAreReachedAtTheSameAddresses) {
  for (const char* service : {"routing", "notification"}) {
    SCOPED_TRACE(service);
    const std::string grpc = sys_->grpc_address(service);
    const std::string admin = sys_->admin_address(service);
    sys_->Kill(service, SIGKILL);
    ASSERT_TRUE(sys_->Restart(service).ok());
    EXPECT_EQ(sys_->grpc_address(service), grpc);
    EXPECT_EQ(sys_->admin_address(service), admin);
    auto health = sys_->Healthz(service);
    ASSERT_TRUE(health.ok()) << health.status();
  }

  Browser browser(sys_->web_url());
  ASSERT_NO_FATAL_FAILURE(browser.Open());
  v1::SubmitPetitionResponse receipt;
  v1::SubmitPetitionRequest sent;
  ASSERT_NO_FATAL_FAILURE(SubmitThroughPortal(
      *sys_, browser, SamplePetition("140431", 1), &receipt, &sent));
  v1::GetCaseStatusRequest lookup;
  lookup.set_case_number(receipt.case_number());
  lookup.set_lookup_code(receipt.lookup_code());
  auto res = browser.Post("/api/v1/lookups", ToJson(lookup));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  // The gateway's routing channel reconnects to the old address (after its
  // back-off): the petitioner's view once routing registered the case.
  v1::PetitionerView view;
  ASSERT_NO_FATAL_FAILURE(
      AwaitRoutingsView(browser, absl::Seconds(30), &view, &res));
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(view.case_id(), receipt.case_number());
  EXPECT_EQ(view.text(), sent.matter().text());
}

// A port taken while the service was down fails the restart clearly
// (naming the service and the address), not with a service on a port no
// one looks at; once freed, the restart succeeds there.
TEST_F(SystemRestartTest, RestartOnATakenPortFailsNamingIt) {
  const std::string grpc = sys_->grpc_address("routing");
  int port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(grpc.substr(grpc.rfind(':') + 1), &port));
  sys_->Kill("routing", SIGKILL);
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = htons(static_cast<uint16_t>(port));
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  ASSERT_EQ(listen(fd, 1), 0);

  absl::Status taken = sys_->Restart("routing");
  EXPECT_EQ(taken.code(), absl::StatusCode::kFailedPrecondition) << taken;
  EXPECT_TRUE(absl::StrContains(taken.message(), "restart of routing"))
      << taken;
  EXPECT_TRUE(absl::StrContains(taken.message(), grpc)) << taken;

  close(fd);
  ASSERT_TRUE(sys_->Restart("routing").ok());
  EXPECT_EQ(sys_->grpc_address("routing"), grpc);
}

}  // namespace
}  // namespace caserelay::testing
