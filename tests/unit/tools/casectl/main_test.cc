// The casectl binary's exit codes and messages for the supervision
// commands (cli.h: 0 done, 1 refused or failed, 2 bad usage), run as a
// child process against a fake SupervisionService on a loopback port.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "caserelay/v1/supervision.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tools/casectl/cli.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;

constexpr char kCasectl[] = CASERELAY_BINARY_DIR "/tools/casectl/casectl";

// An empty board; case "C1" unknown to it is refused, others are empty.
class TinySupervision final : public v1::SupervisionService::Service {
  grpc::Status ListRedLights(grpc::ServerContext*,
                             const v1::ListRedLightsRequest*,
                             v1::ListRedLightsResponse* resp) override {
    resp->mutable_as_of()->set_seconds(1777593600);  // 2026-05-01 08:00 CST
    return grpc::Status::OK;
  }
  grpc::Status ListDeadlines(grpc::ServerContext*,
                             const v1::ListDeadlinesRequest* req,
                             v1::ListDeadlinesResponse*) override {
    if (req->case_id() == "C1") {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                          "case C1 is outside your subtree");
    }
    return grpc::Status::OK;
  }
};

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class MainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("casectl_main_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(&fake_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    server_->Shutdown();
    std::filesystem::remove_all(dir_);
  }

  // Runs casectl with `args` in the empty temp dir (no run/*.endpoints),
  // without the CASERELAY_* address and clock variables.
  Result Run(const std::vector<std::string>& args) {
    std::vector<std::string> quoted;
    for (const std::string& a : args) quoted.push_back("'" + a + "'");
    const std::string command = absl::StrCat(
        "cd '", dir_.string(),
        "' && env -u CASERELAY_SUPERVISION -u CASERELAY_CLOCK_FILE "
        "-u CASERELAY_TOKEN_FILE ",
        kCasectl, " ", absl::StrJoin(quoted, " "), " >out.txt 2>err.txt");
    Result r;
    const int status = std::system(command.c_str());
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    r.out = Slurp(dir_ / "out.txt");
    r.err = Slurp(dir_ / "err.txt");
    return r;
  }

  std::string Address() const { return "127.0.0.1:" + std::to_string(port_); }

  static std::string Slurp(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  TinySupervision fake_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::filesystem::path dir_;
};

TEST_F(MainTest, BadUsageExitsTwoAndSendsNothing) {
  Result r = Run({"lights", "--limit", "0", "--supervision", Address()});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_EQ(r.err,
            "casectl: --limit must be 1..10000; got '0' (try casectl lights "
            "--help)\n");
  EXPECT_EQ(r.out, "");
  r = Run({"stats", "--from", "2026-05-02", "--to", "2026-05-01"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_EQ(r.err,
            "casectl: --to 2026-05-01 is before --from 2026-05-02 (try "
            "casectl stats --help)\n");
}

TEST_F(MainTest, NoSupervisionAddressExitsTwoSayingWhereToGiveOne) {
  Result r = Run({"deadlines", "C2"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_TRUE(absl::StrContains(r.err, "--supervision HOST:PORT")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "$CASERELAY_SUPERVISION")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "run/supervision.endpoints")) << r.err;
}

TEST_F(MainTest, AnswerExitsZeroAndRefusalExitsOneWithTheCode) {
  Result r = Run({"--supervision", Address(), "lights", "--region", "140431"});
  EXPECT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.out,
            "no red lights in region 140431 as of 2026-05-01 08:00:00 (China "
            "time)\n");
  r = Run({"deadlines", "C1", "--supervision", Address()});
  EXPECT_EQ(r.exit_code, kExitFailed);
  EXPECT_EQ(r.err,
            "casectl: PERMISSION_DENIED: case C1 is outside your subtree\n");
  EXPECT_EQ(r.out, "");
}

TEST_F(MainTest, ClockRunsLocallyWithItsOwnErrors) {
  const std::string clock = (dir_ / "clock").string();
  Result r = Run({"clock", "show", "--clock-file", clock});
  EXPECT_EQ(r.exit_code, kExitFailed);
  EXPECT_TRUE(absl::StartsWith(r.err, "casectl: NOT_FOUND: ")) << r.err;
  r = Run({"clock", "set", "2026-05-01", "--clock-file", clock});
  EXPECT_EQ(r.exit_code, kExitOk) << r.err;
  r = Run({"clock", "advance", "1d", "--clock-file", clock});
  EXPECT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.out,
            "clock: 2026-05-02 00:00:00 China time "
            "(2026-05-01T16:00:00Z), file " +
                clock + "\n");
  r = Run({"clock", "advance", "soon", "--clock-file", clock});
  EXPECT_EQ(r.exit_code, kExitUsage);
}

}  // namespace
}  // namespace caserelay::casectl
