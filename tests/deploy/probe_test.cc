// deploy/bin/caserelay-probe, the health check of every container
// (docker-compose.yml), against the services' own admin HTTP server
// (common/admin) on a free loopback port: it passes on the expected status
// only, and fails when nothing answers.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/admin/http_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/deploy/deploy_files.h"

namespace caserelay::deploy_test {
namespace {

using ::testing::HasSubstr;

class ProbeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::map<std::string, admin::Handler> routes;
    routes["/healthz"] = [this](const admin::HttpRequest&) {
      return healthy_.load()
                 ? admin::HttpResponse{200, "text/plain", "ok\n"}
                 : admin::HttpResponse{503, "text/plain", "consumer failing\n"};
    };
    routes["/status.txt"] = [](const admin::HttpRequest&) {
      return admin::HttpResponse{200, "text/plain", "Status: running\n"};
    };
    auto server = admin::HttpServer::Create("127.0.0.1:0", routes);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  ShellResult Probe(const std::string& args) {
    return RunShell(absl::StrCat(
        "bash ", ShellQuote(SourcePath("deploy/bin/caserelay-probe")), " ",
        args));
  }
  std::string port() { return std::to_string(server_->port()); }

  std::atomic<bool> healthy_{true};
  std::unique_ptr<admin::HttpServer> server_;
};

TEST_F(ProbeTest, PassesAndPrintsTheBodyWhenHealthy) {
  ShellResult run = Probe(absl::StrCat(port(), " /healthz"));
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(run.output, "ok\n");
}

TEST_F(ProbeTest, FailsWhenTheServiceAnswersUnhealthy) {
  healthy_ = false;
  ShellResult run = Probe(absl::StrCat(port(), " /healthz"));
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("503"));
}

TEST_F(ProbeTest, FailsOnAnUnknownPath) {
  ShellResult run = Probe(absl::StrCat(port(), " /nowhere"));
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("404"));
}

TEST_F(ProbeTest, PassesOnTheStatusAskedFor) {
  // smsbox's check: its sendsms answers 403 to a request without account.
  EXPECT_EQ(Probe(absl::StrCat("--status 404 ", port(), " /nowhere")).code, 0);
  EXPECT_EQ(Probe(absl::StrCat("--status 404 ", port(), " /healthz")).code, 1);
}

TEST_F(ProbeTest, FailsWhenNothingListens) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  int free_port = ntohs(address.sin_port);
  close(fd);  // bound but never listening: connections are refused
  ShellResult run = Probe(absl::StrCat(free_port, " /healthz"));
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("nothing listens"));
}

TEST_F(ProbeTest, RefusesBadUsage) {
  EXPECT_EQ(Probe("").code, 2);
  EXPECT_EQ(Probe(absl::StrCat(port(), " healthz")).code, 2);
  EXPECT_EQ(Probe(absl::StrCat("--status ok ", port(), " /healthz")).code, 2);
}

}  // namespace
}  // namespace caserelay::deploy_test
