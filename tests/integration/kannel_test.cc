// The Kannel fixture on its own: real bearerbox, smsbox and fakesmsc on
// loopback, driven over plain HTTP; what the fake SMSC prints is decoded
// back to the exact text, number and UDH.

#include "tests/integration/kannel.h"

#include <signal.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/admin/http_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr char kPhone[] = "13800000000";
constexpr absl::Duration kWait = absl::Seconds(10);

// "您的信访事项已受理 +😀": CJK, a space, a plus and an emoji (a surrogate
// pair), which fakesmsc prints url-encoded with the space as '+'.
constexpr char kAccepted[] =
    "\xE6\x82\xA8\xE7\x9A\x84\xE4\xBF\xA1\xE8\xAE\xBF\xE4\xBA\x8B\xE9\xA1\xB9"
    "\xE5\xB7\xB2\xE5\x8F\x97\xE7\x90\x86 +\xF0\x9F\x98\x80";
// The same in UTF-16BE, spelled out apart from the code under test.
const std::string kAcceptedUtf16Be(
    "\x60\xA8\x76\x84\x4F\xE1\x8B\xBF\x4E\x8B\x98\x79\x5D\xF2\x53\xD7\x74\x06"
    "\x00\x20\x00\x2B\xD8\x3D\xDE\x00",
    26);
constexpr char kPart1[] = "\xE7\xAC\xAC\xE4\xB8\x80\xE9\x83\xA8\xE5\x88\x86";
constexpr char kPart2[] = "\xE7\xAC\xAC\xE4\xBA\x8C\xE9\x83\xA8\xE5\x88\x86";

std::string ConcatUdh(int ref, int total, int index) {
  return std::string{0x05,
                     0x00,
                     0x03,
                     static_cast<char>(ref),
                     static_cast<char>(total),
                     static_cast<char>(index)};
}

// dlr_mask 27: delivered, failed, SMSC ack and SMSC reject (Kannel's
// sendsms dlr-mask bits 1, 2, 8, 16).
SendSmsRequest Sms(const std::string& to, const std::string& text,
                   const std::string& udh = "", const std::string& dlr_url = "",
                   int dlr_mask = 0) {
  SendSmsRequest r;
  r.to = to;
  r.text = text;
  r.udh = udh;
  r.dlr_url = dlr_url;
  r.dlr_mask = dlr_mask;
  return r;
}

class KannelTest : public ::testing::Test {
 protected:
  std::unique_ptr<Kannel> StartKannel(KannelOptions options = {}) {
    options.dir = dir_.path();
    auto kannel = Kannel::Start(options);
    EXPECT_TRUE(kannel.ok()) << kannel.status();
    return kannel.ok() ? *std::move(kannel) : nullptr;
  }

  void ExpectAccepted(Kannel& kannel, const SendSmsRequest& request) {
    auto reply = kannel.SendSms(request);
    ASSERT_TRUE(reply.ok()) << reply.status();
    EXPECT_EQ(reply->status, 202) << reply->body;
    EXPECT_EQ(reply->body, "0: Accepted for delivery");
  }

  TempDir dir_;
};

// Collects the delivery reports Kannel GETs from /dlr.
class DlrReceiver {
 public:
  admin::Handler handler() {
    return [this](const admin::HttpRequest& request) {
      absl::MutexLock lock(&mu_);
      reports_.push_back(request.query);
      return admin::HttpResponse{200, "text/plain", "ok"};
    };
  }
  std::vector<std::map<std::string, std::string>> Wait(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return reports_.size() >= n;
    };
    mu_.AwaitWithTimeout(absl::Condition(&enough), kWait);
    return reports_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::map<std::string, std::string>> reports_ ABSL_GUARDED_BY(mu_);
};

std::string DlrUrl(int port, const std::string& id) {
  return absl::StrCat("http://127.0.0.1:", port, "/dlr?id=", id,
                      "&type=%d&answer=%A");
}

TEST_F(KannelTest, StartRefusesADirectoryThatDoesNotExist) {
  KannelOptions options;
  options.dir = dir_.path() + "/missing";
  EXPECT_EQ(Kannel::Start(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(KannelTest, FakeSmscReceivesUcs2TextWithEmojiExactly) {
  auto kannel = StartKannel();
  ASSERT_NE(kannel, nullptr);
  ExpectAccepted(*kannel, Sms(kPhone, kAccepted));
  auto got = kannel->WaitForReceived(1, kWait);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 1u);
  const FakeSmscMessage& m = (*got)[0];
  EXPECT_EQ(m.from, "12345");
  EXPECT_EQ(m.to, kPhone);
  EXPECT_EQ(m.type, "ucs-2");
  EXPECT_EQ(m.payload, kAcceptedUtf16Be);
  EXPECT_EQ(m.text, kAccepted);
  EXPECT_EQ(m.udh, "");
  EXPECT_EQ(m.concat_ref, -1);
  EXPECT_EQ(m.decode_error, "");
}

TEST_F(KannelTest, FakeSmscReceivesTwoPartsWithTheirConcatenationHeader) {
  auto kannel = StartKannel();
  ASSERT_NE(kannel, nullptr);
  ExpectAccepted(*kannel, Sms(kPhone, kPart1, ConcatUdh(0x2A, 2, 1)));
  ExpectAccepted(*kannel, Sms(kPhone, kPart2, ConcatUdh(0x2A, 2, 2)));
  auto got = kannel->WaitForReceived(2, kWait);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 2u);
  for (int i = 0; i < 2; ++i) {
    const FakeSmscMessage& m = (*got)[i];
    EXPECT_EQ(m.to, kPhone);
    EXPECT_EQ(m.type, "udh");
    EXPECT_EQ(m.udh, ConcatUdh(0x2A, 2, i + 1));
    EXPECT_EQ(m.concat_ref, 0x2A);
    EXPECT_EQ(m.concat_total, 2);
    EXPECT_EQ(m.concat_index, i + 1);
    EXPECT_EQ(m.text, i == 0 ? kPart1 : kPart2);
  }
}

TEST_F(KannelTest, GatewayRefusesWhileDownAndDeliversAfterRestart) {
  auto kannel = StartKannel();
  ASSERT_NE(kannel, nullptr);
  const std::string url = kannel->sendsms_url();
  ExpectAccepted(*kannel, Sms(kPhone, "before"));
  ASSERT_TRUE(kannel->WaitForReceived(1, kWait).ok());

  kannel->StopGateway();
  auto refused = kannel->SendSms(Sms(kPhone, "while down"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(refused.status().message(), HasSubstr("Connection refused"));

  ASSERT_TRUE(kannel->StartGateway().ok());
  EXPECT_EQ(kannel->sendsms_url(), url);
  ExpectAccepted(*kannel, Sms("13900000000", "after"));
  auto got = kannel->WaitForReceived(2, kWait);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].text, "before");
  EXPECT_EQ((*got)[1].text, "after");
  EXPECT_EQ((*got)[1].to, "13900000000");
}

// As the deployment's restart policy does: smsbox dead (here SIGKILLed; in
// the SMS fault tests it panics on a broken delivery-report callback) is
// started again and sendsms answers.
TEST_F(KannelTest, SmsboxThatDiesIsStartedAgain) {
  auto kannel = StartKannel();
  ASSERT_NE(kannel, nullptr);
  const pid_t first = kannel->smsbox_pid();
  ASSERT_GT(first, 0);
  EXPECT_TRUE(kannel->SmsboxExits().empty());
  ASSERT_EQ(kill(first, SIGKILL), 0);
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (kannel->smsbox_pid() == first && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_NE(kannel->smsbox_pid(), first) << "smsbox was not started again";
  EXPECT_EQ(kannel->SmsboxExits().size(), 1u);
  // Started, and once connected it takes messages again.
  absl::StatusOr<admin::HttpClientResponse> reply =
      absl::UnavailableError("not tried");
  while (absl::Now() < deadline) {
    reply = kannel->SendSms(Sms(kPhone, kPart1));
    if (reply.ok() && reply->status == 202) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->status, 202) << reply->body;
  auto got = kannel->WaitForReceived(1, kWait);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ((*got)[0].text, kPart1);
}

TEST_F(KannelTest, DlrUrlIsCalledWithSmscAckThenDelivered) {
  DlrReceiver dlr;
  auto server =
      admin::HttpServer::Create("127.0.0.1:0", {{"/dlr", dlr.handler()}});
  ASSERT_TRUE(server.ok()) << server.status();
  auto kannel = StartKannel();
  ASSERT_NE(kannel, nullptr);
  ExpectAccepted(
      *kannel, Sms(kPhone, kAccepted, "", DlrUrl((*server)->port(), "m1"), 27));
  auto reports = dlr.Wait(2);
  ASSERT_EQ(reports.size(), 2u);
  std::map<std::string, std::string> answers;
  for (const auto& q : reports) {
    EXPECT_EQ(q.at("id"), "m1");
    answers[q.at("type")] = q.at("answer");
  }
  EXPECT_THAT(answers, UnorderedElementsAre(Pair("8", "ACK/"), Pair("1", "")));
}

TEST_F(KannelTest, DlrUrlIsRetriedUntilTheReceiverComesUp) {
  auto port = FreeLoopbackPort();
  ASSERT_TRUE(port.ok());
  auto kannel = StartKannel();
  ASSERT_NE(kannel, nullptr);
  ExpectAccepted(*kannel,
                 Sms(kPhone, "dlr later", "", DlrUrl(*port, "m2"), 27));
  // Wait until smsbox has failed to call the receiver that is not there.
  const absl::Time deadline = absl::Now() + kWait;
  bool failed = false;
  while (!failed && absl::Now() < deadline) {
    std::ifstream in(dir_.path() + "/smsbox.log");
    std::stringstream log;
    log << in.rdbuf();
    failed = absl::StrContains(
        log.str(), absl::StrCat("Couldn't fetch <http://127.0.0.1:", *port));
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(failed) << "smsbox never tried the dlr-url";

  DlrReceiver dlr;
  auto server = admin::HttpServer::Create(absl::StrCat("127.0.0.1:", *port),
                                          {{"/dlr", dlr.handler()}});
  ASSERT_TRUE(server.ok()) << server.status();
  auto reports = dlr.Wait(2);
  ASSERT_EQ(reports.size(), 2u);
  std::vector<std::string> types;
  for (const auto& q : reports) types.push_back(q.at("type"));
  EXPECT_THAT(types, UnorderedElementsAre("8", "1"));
}

// issue 22 item 9: what a test waits on before it says "nothing more came".
TEST_F(KannelTest, AwaitDrainedReturnsOnceEverySentMessageIsReceived) {
  auto kannel = StartKannel();
  ASSERT_NE(kannel, nullptr);
  ASSERT_EQ(kannel->AwaitDrained(kWait), absl::OkStatus());  // nothing sent
  for (int i = 0; i < 5; ++i) ExpectAccepted(*kannel, Sms(kPhone, kAccepted));
  ASSERT_EQ(kannel->AwaitDrained(kWait), absl::OkStatus());
  EXPECT_EQ(kannel->Received().size(), 5u);
  kannel->StopGateway();
  EXPECT_EQ(kannel->AwaitDrained(kWait).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(kannel->StartGateway().ok());
  ExpectAccepted(*kannel, Sms(kPhone, kAccepted));
  ASSERT_EQ(kannel->AwaitDrained(kWait), absl::OkStatus());
  EXPECT_EQ(kannel->Received().size(), 6u);
}

TEST_F(KannelTest, ReceivedAtIsWhenTheFakeSmscPrintedTheMessage) {
  auto kannel = StartKannel();
  ASSERT_NE(kannel, nullptr);
  std::vector<absl::Time> sent;
  for (int i = 0; i < 3; ++i) {
    if (i > 0) absl::SleepFor(absl::Milliseconds(300));
    sent.push_back(absl::Now());
    ExpectAccepted(*kannel, Sms(kPhone, absl::StrCat("m", i)));
    ASSERT_TRUE(kannel->WaitForReceived(i + 1, kWait).ok());
    const absl::Time seen = absl::Now();
    const absl::Time at = kannel->Received()[i].received_at;
    // Finer than fakesmsc's whole-second log: within this send's window.
    EXPECT_GE(at, sent[i]) << i;
    EXPECT_LE(at, seen) << i;
  }
}

// fakesmsc's lines as printed in the brief (measured on Kannel 1.4.5).
TEST(ParseFakeSmscLineTest, DecodesUcs2Payload) {
  auto m = ParseFakeSmscLine(
      "12345 13800000000 ucs-2 "
      "%60%A8v%84O%E1%8B%BFN%8B%98y%5D%F2S%D7t%06%D8%3D%DE%00");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->from, "12345");
  EXPECT_EQ(m->to, "13800000000");
  EXPECT_EQ(m->text,
            "\xE6\x82\xA8\xE7\x9A\x84\xE4\xBF\xA1\xE8\xAE\xBF\xE4\xBA\x8B"
            "\xE9\xA1\xB9\xE5\xB7\xB2\xE5\x8F\x97\xE7\x90\x86\xF0\x9F\x98\x80");
}

TEST(ParseFakeSmscLineTest, ReadsEightAndSixteenBitConcatenationReferences) {
  auto eight = ParseFakeSmscLine(
      "12345 13800000000 udh %05%00%03%07%02%01 data %7B%2CN%00%90%E8R%06");
  ASSERT_TRUE(eight.ok()) << eight.status();
  EXPECT_EQ(eight->concat_ref, 7);
  EXPECT_EQ(eight->concat_total, 2);
  EXPECT_EQ(eight->concat_index, 1);
  EXPECT_EQ(eight->text, kPart1);
  auto sixteen = ParseFakeSmscLine(
      "12345 13800000000 udh %06%08%04%01%02%03%03 data %7B%2CN%00%90%E8R%06");
  ASSERT_TRUE(sixteen.ok()) << sixteen.status();
  EXPECT_EQ(sixteen->concat_ref, 0x0102);
  EXPECT_EQ(sixteen->concat_total, 3);
  EXPECT_EQ(sixteen->concat_index, 3);
}

TEST(ParseFakeSmscLineTest, OddUcs2PayloadIsADecodeError) {
  auto m = ParseFakeSmscLine("1 2 ucs-2 %60%A8v");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->text, "");
  EXPECT_THAT(m->decode_error, HasSubstr("odd length"));
}

TEST(ParseFakeSmscLineTest, MalformedLinesAreInvalidArgument) {
  for (const char* raw :
       {"1 2 ucs-2", "1 2 morse ...", "1 2 udh %05 %00", "1 2 ucs-2 %G0"}) {
    EXPECT_EQ(ParseFakeSmscLine(raw).status().code(),
              absl::StatusCode::kInvalidArgument)
        << raw;
  }
}

}  // namespace
}  // namespace caserelay::testing
