// KannelGateway against a loopback stand-in for Kannel's smsbox: one
// sendsms GET per part, Kannel's answers mapped per gateway.h's contract,
// an unreachable or silent smsbox, bad parts and options refused by their
// field.
#include "services/notification/kannel_gateway.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/admin/http_message.h"
#include "common/admin/http_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/services/notification/kannel_fixture.h"

namespace caserelay::notification {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A loopback HTTP server standing where Kannel's smsbox would: it records
// each sendsms query and answers as told.
class SmsboxStandIn {
 public:
  explicit SmsboxStandIn(admin::HttpResponse answer,
                         absl::Duration delay = absl::ZeroDuration()) {
    auto server = admin::HttpServer::Create(
        "127.0.0.1:0", {{"/cgi-bin/sendsms",
                         [this, answer, delay](const admin::HttpRequest& r) {
                           absl::SleepFor(delay);
                           absl::MutexLock lock(&mu_);
                           queries_.push_back(r.query);
                           return answer;
                         }}});
    EXPECT_TRUE(server.ok()) << server.status();
    if (server.ok()) server_ = *std::move(server);
  }
  std::string url() const {
    return absl::StrCat("http://127.0.0.1:", server_ ? server_->port() : 1,
                        "/cgi-bin/sendsms");
  }
  std::vector<std::map<std::string, std::string>> queries() {
    absl::MutexLock lock(&mu_);
    return queries_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::map<std::string, std::string>> queries_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<admin::HttpServer> server_;  // Last: stops first.
};

std::unique_ptr<KannelGateway> Gateway(
    const std::string& sendsms_url, absl::Duration timeout = absl::Seconds(5)) {
  KannelOptions o = Options();
  o.sendsms_url = sendsms_url;
  o.timeout = timeout;
  auto gateway = KannelGateway::Create(o);
  EXPECT_TRUE(gateway.ok()) << gateway.status();
  return gateway.ok() ? *std::move(gateway) : nullptr;
}

TEST(KannelGatewayTest, SendPartIssuesOneSendsmsGetAndReturnsPartId) {
  SmsboxStandIn smsbox({202, "text/html", "0: Accepted for delivery"});
  auto gateway = Gateway(smsbox.url());
  ASSERT_NE(gateway, nullptr);
  EXPECT_EQ(gateway->name(), "kannel");
  absl::StatusOr<std::string> id = gateway->SendPart(Part(2, 3));
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, "kannel:evt-7/sms/2");
  auto queries = smsbox.queries();
  ASSERT_EQ(queries.size(), 1u);
  auto& q = queries[0];
  EXPECT_EQ(q["username"], "cr");
  EXPECT_EQ(q["password"], "s&cret=1");
  EXPECT_EQ(q["to"], "13800000000");
  EXPECT_EQ(q["from"], "12345");
  EXPECT_EQ(q["text"], std::string("\x60\xA8\x59\x7D\xD8\x3D\xDE\x00", 8));
  EXPECT_EQ(q["coding"], "2");
  EXPECT_EQ(q["charset"], "UTF-16BE");
  EXPECT_EQ(q["udh"], std::string("\x05\x00\x03\x07\x03\x02", 6));
  EXPECT_EQ(q["dlr-mask"], "27");
  EXPECT_EQ(q["dlr-url"], KannelDlrUrl(Options(), Part(2, 3)));
}

TEST(KannelGatewayTest, SendPartMapsKannelsAnswerPerGatewayContract) {
  // gateway.h: RESOURCE_EXHAUSTED retried with backoff; anything else but
  // UNAVAILABLE/UNKNOWN fails the message for good.
  struct Row {
    admin::HttpResponse answer;
    absl::StatusCode code;
  };
  for (const Row& row : std::vector<Row>{
           {{202, "text/html", "3: Queued for later delivery"},
            absl::StatusCode::kOk},
           {{503, "text/html", "Temporal failure, try again later."},
            absl::StatusCode::kResourceExhausted},
           {{403, "text/html", "Authorization failed for sendsms"},
            absl::StatusCode::kPermissionDenied},
           {{400, "text/html", "Missing receiver number, rejected"},
            absl::StatusCode::kInvalidArgument},
       }) {
    SmsboxStandIn smsbox(row.answer);
    auto gateway = Gateway(smsbox.url());
    ASSERT_NE(gateway, nullptr);
    absl::StatusOr<std::string> id = gateway->SendPart(Part(1, 1));
    EXPECT_EQ(id.status().code(), row.code) << row.answer.body;
    if (!id.ok()) {
      EXPECT_THAT(id.status().message(), HasSubstr(row.answer.body));
      EXPECT_THAT(id.status().message(), HasSubstr("evt-7/sms part 1/1"));
      // Neither the password nor the phone number leak into the message.
      EXPECT_THAT(id.status().message(), Not(HasSubstr("cret")));
      EXPECT_THAT(id.status().message(), Not(HasSubstr("13800000000")));
    }
  }
}

TEST(KannelGatewayTest, ClosedPortIsUnavailable) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  auto gateway = Gateway(absl::StrCat("http://127.0.0.1:", ntohs(addr.sin_port),
                                      "/cgi-bin/sendsms"));
  ASSERT_NE(gateway, nullptr);
  EXPECT_EQ(gateway->SendPart(Part(1, 1)).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(KannelGatewayTest, NoAnswerWithinTimeoutIsUnknown) {
  SmsboxStandIn smsbox({202, "text/html", "0: Accepted for delivery"},
                       absl::Milliseconds(800));
  auto gateway = Gateway(smsbox.url(), absl::Milliseconds(200));
  ASSERT_NE(gateway, nullptr);
  EXPECT_EQ(gateway->SendPart(Part(1, 1)).status().code(),
            absl::StatusCode::kUnknown);
}

TEST(KannelGatewayTest, InvalidPartIsRefusedWithoutACall) {
  SmsboxStandIn smsbox({202, "text/html", "0: Accepted for delivery"});
  auto gateway = Gateway(smsbox.url());
  ASSERT_NE(gateway, nullptr);
  for (auto [field, part] : std::vector<std::pair<std::string, OutgoingPart>>{
           {"message_id",
            [] {
              auto p = Part(1, 1);
              p.message_id = "";
              return p;
            }()},
           {"phone",
            [] {
              auto p = Part(1, 1);
              p.phone = "";
              return p;
            }()},
           {"text",
            [] {
              auto p = Part(1, 1);
              p.text = u"";
              return p;
            }()},
           {"index", Part(4, 3)},
           {"total", Part(1, 256)},
           {"reference",
            [] {
              auto p = Part(1, 2);
              p.reference = 256;
              return p;
            }()},
       }) {
    absl::StatusOr<std::string> id = gateway->SendPart(part);
    EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_THAT(id.status().message(), HasSubstr(field));
  }
  EXPECT_TRUE(smsbox.queries().empty());
}

TEST(KannelGatewayTest, CreateRefusesBadOptionsNamingTheField) {
  for (auto [field, change] :
       std::vector<std::pair<std::string, void (*)(KannelOptions&)>>{
           {"sendsms_url", [](KannelOptions& o) { o.sendsms_url = "k:1/x"; }},
           {"username", [](KannelOptions& o) { o.username = ""; }},
           {"password", [](KannelOptions& o) { o.password = ""; }},
           {"dlr_url", [](KannelOptions& o) { o.dlr_url = "ftp://x/"; }},
           {"dlr_mask", [](KannelOptions& o) { o.dlr_mask = 0; }},
           {"dlr_secret_path",
            [](KannelOptions& o) { o.dlr_keys = DlrKeys(); }},
           {"timeout",
            [](KannelOptions& o) { o.timeout = absl::ZeroDuration(); }},
       }) {
    KannelOptions o = Options();
    change(o);
    auto gateway = KannelGateway::Create(o);
    EXPECT_EQ(gateway.status().code(), absl::StatusCode::kInvalidArgument)
        << field;
    EXPECT_THAT(gateway.status().message(),
                HasSubstr(absl::StrCat("KannelOptions.", field)));
  }
}

TEST(KannelGatewayTest, FindIsUnimplemented) {
  auto gateway = Gateway("http://127.0.0.1:1/cgi-bin/sendsms");
  ASSERT_NE(gateway, nullptr);
  auto found = gateway->Find("evt-7/sms", 1);
  EXPECT_EQ(found.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(found.status().message(), HasSubstr("delivery report"));
}

}  // namespace
}  // namespace caserelay::notification
