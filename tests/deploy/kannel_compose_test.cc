// The compose Kannel on this host: deploy/kannel/start runs bearerbox,
// smsbox and the fake SMSC from the repository's templates, on free
// loopback ports instead of the compose network. What the containers would
// do, checked without a container engine: an SMS sent the way notification
// sends reaches the fake SMSC, delivery reports reach the dlr-url and are
// retried while it fails (http-request-retry), and the production
// template's SMPP group is one Kannel 1.4.5 accepts.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/admin/http_client.h"
#include "common/admin/http_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/deploy/deploy_files.h"
#include "tests/integration/harness.h"

namespace caserelay::deploy_test {
namespace {

using caserelay::testing::Process;

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The delivery-report receiver: notification's /sms/dlr, failing the first
// `failures` calls with 503 as a restarting notification would.
class DlrReceiver {
 public:
  explicit DlrReceiver(int failures) : failures_(failures) {
    std::map<std::string, admin::Handler> routes;
    routes["/sms/dlr"] = [this](const admin::HttpRequest& request) {
      absl::MutexLock lock(&mu_);
      calls_.push_back(request.query.count("type") ? request.query.at("type")
                                                   : "");
      if (static_cast<int>(calls_.size()) <= failures_) {
        return admin::HttpResponse{503, "text/plain", "restarting\n"};
      }
      answered_.push_back(calls_.back());
      return admin::HttpResponse{200, "text/plain", "ok\n"};
    };
    auto server = admin::HttpServer::Create("127.0.0.1:0", routes);
    EXPECT_TRUE(server.ok()) << server.status();
    if (server.ok()) server_ = *std::move(server);
  }
  int port() const { return server_ ? server_->port() : 0; }
  int calls() {
    absl::MutexLock lock(&mu_);
    return static_cast<int>(calls_.size());
  }
  std::vector<std::string> answered() {
    absl::MutexLock lock(&mu_);
    return answered_;
  }

 private:
  const int failures_;
  absl::Mutex mu_;
  std::vector<std::string> calls_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> answered_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<admin::HttpServer> server_;
};

class KannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = {{"KANNEL_ADMIN_PORT", std::to_string(FreePort())},
            {"KANNEL_SMSBOX_PORT", std::to_string(FreePort())},
            {"KANNEL_SENDSMS_PORT", std::to_string(FreePort())},
            {"KANNEL_FAKE_SMSC_PORT", std::to_string(FreePort())},
            {"KANNEL_BEARERBOX_HOST", "127.0.0.1"},
            {"KANNEL_BOX_ALLOW_IP", "127.0.0.1"},
            {"KANNEL_SPOOL_DIR", dir_.path() + "/spool"},
            {"KANNEL_RUN_DIR", dir_.path() + "/run"},
            {"KANNEL_ADMIN_PASSWORD", "adm"},
            {"KANNEL_USERNAME", "caserelay"},
            {"KANNEL_PASSWORD", "pw"},
            {"KANNEL_DLR_RETRY_DELAY", "1"},
            {"KANNEL_LOG_LEVEL", "0"}};
  }

  std::unique_ptr<Process> Start(const std::string& what) {
    auto process =
        Process::Start({"/bin/bash", SourcePath("deploy/kannel/start"), what},
                       env_, absl::StrCat(dir_.path(), "/", what, ".log"));
    EXPECT_TRUE(process.ok()) << process.status();
    return process.ok() ? *std::move(process) : nullptr;
  }

  std::string Url(const std::string& port_setting, const std::string& target) {
    return absl::StrCat("http://127.0.0.1:", env_[port_setting], target);
  }

  // Waits until GET `url` answers `status`; false after `timeout`.
  bool WaitForStatus(const std::string& url, int status,
                     absl::Duration timeout) {
    absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      auto response = admin::HttpGet(url, absl::Seconds(2));
      if (response.ok() && response->status == status) return true;
      absl::SleepFor(absl::Milliseconds(200));
    }
    return false;
  }

  caserelay::testing::TempDir dir_;
  std::map<std::string, std::string> env_;
};

TEST_F(KannelTest, DemoDeliversToTheFakeSmscAndRetriesDeliveryReports) {
  DlrReceiver receiver(/*failures=*/2);
  env_["KANNEL_TEMPLATE"] = SourcePath("deploy/kannel/kannel-demo.conf");
  auto bearerbox = Start("bearerbox");
  ASSERT_TRUE(WaitForStatus(Url("KANNEL_ADMIN_PORT", "/status.txt"), 200,
                            absl::Seconds(20)))
      << ReadAll(bearerbox->log());
  auto fakesmsc = Start("fakesmsc");
  auto smsbox = Start("smsbox");
  // smsbox is up: a request without an account is refused.
  ASSERT_TRUE(WaitForStatus(Url("KANNEL_SENDSMS_PORT", "/cgi-bin/sendsms"), 403,
                            absl::Seconds(20)))
      << ReadAll(smsbox->log());

  // As notification's gateway sends a part (services/notification
  // kannel_gateway.cc): UCS-2 text, a dlr-mask and a dlr-url.
  std::string dlr_url =
      absl::StrCat("http%3A%2F%2F127.0.0.1%3A", receiver.port(),
                   "%2Fsms%2Fdlr%3Ftype%3D%25d");
  auto sent = admin::HttpGet(
      Url("KANNEL_SENDSMS_PORT",
          absl::StrCat("/cgi-bin/sendsms?username=caserelay&password=pw"
                       "&to=13800000000&from=10690000&coding=2"
                       "&charset=UTF-16BE&text=%60%A8%59%7D&dlr-mask=27"
                       "&dlr-url=",
                       dlr_url)),
      absl::Seconds(5));
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->status, 202) << sent->body;

  absl::Time deadline = absl::Now() + absl::Seconds(30);
  std::string received;
  while (absl::Now() < deadline) {
    received = ReadAll(fakesmsc->log());
    if (absl::StrContains(received, "Got message") &&
        receiver.answered().size() >= 2) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_THAT(received,
              ::testing::HasSubstr("<10690000 13800000000 ucs-2 %60%A8Y%7D>"));
  // Kannel called the dlr-url twice (SMSC accepted: 8, delivered: 1); the
  // two refused calls were tried again.
  EXPECT_THAT(receiver.answered(), ::testing::UnorderedElementsAre("8", "1"));
  EXPECT_GE(receiver.calls(), 4);
}

TEST_F(KannelTest, BearerboxAcceptsTheProductionSmppGroup) {
  env_["KANNEL_TEMPLATE"] = SourcePath("deploy/kannel/kannel.conf");
  env_["SMSC_HOST"] = "127.0.0.1";
  env_["SMSC_PORT"] = std::to_string(FreePort());  // nobody: it reconnects
  env_["SMSC_USERNAME"] = "u";
  env_["SMSC_PASSWORD"] = "p";
  auto bearerbox = Start("bearerbox");
  std::string url = Url("KANNEL_ADMIN_PORT", "/status.txt");
  ASSERT_TRUE(WaitForStatus(url, 200, absl::Seconds(20)))
      << ReadAll(bearerbox->log());
  auto status = admin::HttpGet(url, absl::Seconds(2));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_THAT(status->body, ::testing::HasSubstr("carrier"));
  EXPECT_TRUE(bearerbox->Running());
}

}  // namespace
}  // namespace caserelay::deploy_test
