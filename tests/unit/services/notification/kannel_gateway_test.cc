#include "services/notification/kannel_gateway.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/admin/http_client.h"
#include "common/admin/http_message.h"
#include "common/admin/http_server.h"
#include "common/config/config.h"
#include "common/text/utf8.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::notification {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// "您好😀": two BMP ideographs and an emoji (a surrogate pair).
const std::u16string kChineseAndEmoji = u"您好\U0001F600";
// Its UTF-16BE bytes, %-encoded: 60A8 597D D83D DE00 (0x59 is 'Y').
constexpr char kChineseAndEmojiEncoded[] = "%60%A8Y%7D%D8%3D%DE%00";

// The delivery-report secret of these tests (dlr_mac.h).
const std::string kDlrSecret(64, 'd');

// A file holding `text`, with `mode`; its path.
std::string SecretFile(const std::string& name, const std::string& text,
                       mode_t mode) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  EXPECT_EQ(chmod(path.c_str(), mode), 0);
  return path;
}

KannelOptions Options() {
  KannelOptions o;
  o.dlr_keys = *DlrKeys::Parse(kDlrSecret);
  o.sendsms_url = "http://127.0.0.1:13013/cgi-bin/sendsms";
  o.username = "cr";
  o.password = "s&cret=1";
  o.from = "12345";
  o.dlr_url = "http://127.0.0.1:8081/sms/dlr";
  return o;
}

OutgoingPart Part(int index, int total) {
  OutgoingPart p;
  p.message_id = "evt-7/sms";
  p.phone = "13800000000";
  p.index = index;
  p.total = total;
  p.reference = 7;
  p.text = kChineseAndEmoji;
  return p;
}

// The query of `url`, decoded as Kannel's smsbox decodes it.
std::map<std::string, std::string> QueryOf(const std::string& url) {
  const size_t q = url.find('?');
  EXPECT_NE(q, std::string::npos) << url;
  auto query = admin::ParseQuery(std::string_view(url).substr(q + 1));
  EXPECT_TRUE(query.ok()) << query.status();
  return query.ok() ? *query : std::map<std::string, std::string>{};
}

// What Kannel 1.4.5 does with a dlr-url when it reports (gw/urltrans.c,
// urltrans_fill_escape_codes): %d the type, %A the SMSC's answer
// %-encoded, %T the unix time, %% one '%', any other %X left as it is.
// Only the codes our URL uses, plus %C (the charset) to catch a '%' we
// failed to double.
std::string KannelSubstitutes(absl::string_view pattern, int type,
                              absl::string_view answer, int64_t time) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%' || i + 1 == pattern.size()) {
      out.push_back(pattern[i]);
      continue;
    }
    switch (pattern[++i]) {
      case 'd':
        absl::StrAppend(&out, type);
        break;
      case 'A':
        out += admin::UrlEncode(std::string_view(answer.data(), answer.size()));
        break;
      case 'T':
        absl::StrAppend(&out, time);
        break;
      case 'C':
        out += "UTF-16BE";
        break;
      case '%':
        out.push_back('%');
        break;
      default:
        out.push_back('%');
        out.push_back(pattern[i]);
    }
  }
  return out;
}

TEST(KannelSendsmsUrlTest, OnePartCarriesEverythingButUdh) {
  // Kannel 1.4.5 user guide, sendsms: username, password, to, from, text,
  // coding=2 (UCS-2) with charset, smsc, dlr-mask, dlr-url; no udh for a
  // message that fits one SMS.
  const std::string url = KannelSendsmsUrl(Options(), Part(1, 1));
  EXPECT_THAT(url, ::testing::StartsWith(
                       "http://127.0.0.1:13013/cgi-bin/sendsms?username=cr&"
                       "password=s%26cret%3D1&to=13800000000&from=12345&"));
  auto q = QueryOf(url);
  EXPECT_EQ(q["password"], "s&cret=1");
  EXPECT_EQ(q["coding"], "2");
  EXPECT_EQ(q["charset"], "UTF-16BE");
  EXPECT_EQ(q["dlr-mask"], "27");
  EXPECT_EQ(q.count("udh"), 0u);
  EXPECT_EQ(q.count("smsc"), 0u);
}

TEST(KannelSendsmsUrlTest, UdhPerPartOfAThreePartMessage) {
  // Kannel 1.4.5 user guide, sendsms: udh is the raw User Data Header;
  // 05 00 03 <reference> <total> <index> is the 8-bit concatenation
  // element (3GPP TS 23.040 9.2.3.24.1), as Kannel's own splitting writes.
  struct Row {
    int index;
    std::string udh;
  };
  for (const Row& row : std::vector<Row>{
           {1, std::string("\x05\x00\x03\x07\x03\x01", 6)},
           {2, std::string("\x05\x00\x03\x07\x03\x02", 6)},
           {3, std::string("\x05\x00\x03\x07\x03\x03", 6)},
       }) {
    const std::string url = KannelSendsmsUrl(Options(), Part(row.index, 3));
    EXPECT_THAT(
        url, HasSubstr(absl::StrCat("&udh=%05%00%03%07%03%0", row.index, "&")));
    EXPECT_EQ(QueryOf(url)["udh"], row.udh) << "part " << row.index;
  }
}

TEST(KannelSendsmsUrlTest, TextIsUtf16BigEndianBytesIncludingSurrogates) {
  // Kannel 1.4.5 user guide, sendsms: with coding=2 and charset=UTF-16BE
  // the text is passed through as UCS-2/UTF-16BE bytes; an emoji stays
  // one surrogate pair (D83D DE00).
  const std::string url = KannelSendsmsUrl(Options(), Part(1, 1));
  EXPECT_THAT(url, HasSubstr(absl::StrCat("&text=", kChineseAndEmojiEncoded,
                                          "&coding=2&charset=UTF-16BE&")));
  EXPECT_EQ(QueryOf(url)["text"],
            std::string("\x60\xA8\x59\x7D\xD8\x3D\xDE\x00", 8));
}

TEST(KannelSendsmsUrlTest, OptionalFromAndSmsc) {
  // Kannel 1.4.5 user guide, sendsms: from is optional (global-sender then
  // applies); smsc forces the SMSC connection by its smsc-id.
  KannelOptions o = Options();
  o.from = "";
  o.smsc_id = "fake smsc";
  auto q = QueryOf(KannelSendsmsUrl(o, Part(1, 1)));
  EXPECT_EQ(q.count("from"), 0u);
  EXPECT_EQ(q["smsc"], "fake smsc");
}

TEST(KannelSendsmsUrlTest, DlrUrlIsOneEncodedParameter) {
  // Kannel 1.4.5 user guide, sendsms: dlr-url "must be urlencoded"; smsbox
  // decodes it once, so the decoded parameter is our URL with the codes.
  const std::string url = KannelSendsmsUrl(Options(), Part(2, 3));
  EXPECT_THAT(url, HasSubstr("&dlr-url=http%3A%2F%2F127.0.0.1%3A8081%2Fsms"));
  EXPECT_EQ(
      QueryOf(url)["dlr-url"],
      absl::StrCat("http://127.0.0.1:8081/sms/dlr?m=evt-7%%2Fsms&p=2&n=3"
                   "&k=",
                   DlrMac(kDlrSecret, "evt-7/sms", 2, 3), "&t=%d&a=%A&ts=%T"));
  EXPECT_EQ(QueryOf(url)["dlr-url"], KannelDlrUrl(Options(), Part(2, 3)));
}

TEST(KannelDlrUrlTest, RoundTripsThroughKannelSubstitutionAndParse) {
  // Kannel 1.4.5 user guide, "Delivery Reports": Kannel fetches dlr-url
  // with %d = DLR type, %A = the SMSC's answer, %T = unix time. Rows as
  // measured with the fake SMSC and dlr-mask 31: type 8 "ACK/" then 1.
  struct Row {
    std::string dlr_url, message_id;
    int type;
    std::string answer;
  };
  for (const Row& row : std::vector<Row>{
           {"http://127.0.0.1:8081/sms/dlr", "evt-7/sms", 8, "ACK/"},
           {"http://127.0.0.1:8081/sms/dlr", "evt-7/sms", 1, ""},
           // A query of its own, and a %-escape in it.
           {"http://h:1/sms/dlr?key=a%2Fb", "evt-7/sms", 2, "NACK/0x0000000b"},
           // Non-ASCII in the id: "%C3" must not become Kannel's %C.
           // Measured with Kannel 1.4.5 and the fake SMSC: undoubled,
           // m=case-%C3%A9 came back as m=case-UTF-83ACK%2F9; doubled
           // (%%C3%%A9) it came back as m=case-%C3%A9.
           {"http://h:1/sms/dlr", "case-\xC3\xA9 1/sms", 16, "NACK/x y&z"},
       }) {
    KannelOptions o = Options();
    o.dlr_url = row.dlr_url;
    OutgoingPart p = Part(2, 3);
    p.message_id = row.message_id;
    const std::string pattern =
        QueryOf(KannelSendsmsUrl(o, p))["dlr-url"];  // What smsbox keeps.
    const std::string called =
        KannelSubstitutes(pattern, row.type, row.answer, 1700000000);
    EXPECT_THAT(called, Not(HasSubstr("UTF-16BE"))) << called;
    auto query = QueryOf(called);
    if (row.dlr_url.find('?') != std::string::npos) {
      EXPECT_EQ(query["key"], "a/b") << called;
    }
    absl::StatusOr<DeliveryReport> report = ParseDeliveryReport(query);
    ASSERT_TRUE(report.ok()) << called << ": " << report.status();
    EXPECT_EQ(report->message_id, row.message_id);
    EXPECT_EQ(report->part, 2);
    EXPECT_EQ(report->parts, 3);
    EXPECT_EQ(report->type, row.type);
    EXPECT_EQ(report->smsc_answer, row.answer);
    EXPECT_EQ(report->at, absl::FromUnixSeconds(1700000000));
  }
}

TEST(ParseDeliveryReportTest, EmptyTimeIsInfinitePast) {
  // Kannel 1.4.5 (urltrans.c): %T is empty when the report has no time.
  auto report = ParseDeliveryReport(
      {{"m", "x"}, {"p", "1"}, {"n", "1"}, {"t", "1"}, {"ts", ""}});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->at, absl::InfinitePast());
  EXPECT_EQ(report->smsc_answer, "");
}

TEST(ParseDeliveryReportTest, NamesTheMissingOrBadParameter) {
  const std::map<std::string, std::string> good = {
      {"m", "x"}, {"p", "2"},    {"n", "3"},
      {"t", "8"}, {"a", "ACK/"}, {"ts", "1700000000"}};
  ASSERT_TRUE(ParseDeliveryReport(good).ok());
  struct Row {
    std::string key, value;  // value "-" removes the key
    std::string named;
  };
  for (const Row& row : std::vector<Row>{
           {"m", "-", "parameter m "},
           {"m", "", "parameter m "},
           {"p", "-", "parameter p "},
           {"p", "0", "parameter p "},
           {"p", "4", "parameter p "},
           {"p", "x", "parameter p "},
           {"n", "-", "parameter n "},
           {"n", "256", "parameter n "},
           {"n", "-3", "parameter n "},
           {"t", "-", "parameter t "},
           {"t", "3", "parameter t "},   // Not a DLR type: a sum of two.
           {"t", "32", "parameter t "},  // No such type in Kannel 1.4.5.
           {"ts", "-", "parameter ts "},
           {"ts", "12:00", "parameter ts "},
       }) {
    std::map<std::string, std::string> query = good;
    if (row.value == "-") {
      query.erase(row.key);
    } else {
      query[row.key] = row.value;
    }
    absl::StatusOr<DeliveryReport> report = ParseDeliveryReport(query);
    EXPECT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument)
        << row.key << "=" << row.value;
    EXPECT_THAT(report.status().message(), HasSubstr(row.named))
        << row.key << "=" << row.value;
  }
}

TEST(ClassifyDlrTypeTest, KannelDlrTypes) {
  // Kannel 1.4.5 user guide, "Delivery Reports" (DLR types) and gw/dlr.h.
  struct Row {
    int type;
    DlrOutcome outcome;
    bool final;
    const char* kannel;
  };
  for (const Row& row : std::vector<Row>{
           {1, DlrOutcome::kDelivered, true, "1: delivery success"},
           {2, DlrOutcome::kFailed, true, "2: delivery failure"},
           {4, DlrOutcome::kQueued, false, "4: message buffered"},
           {8, DlrOutcome::kSmscAccepted, false, "8: smsc submit"},
           {16, DlrOutcome::kFailed, true, "16: smsc reject"},
       }) {
    absl::StatusOr<DlrOutcome> outcome = ClassifyDlrType(row.type);
    ASSERT_TRUE(outcome.ok()) << row.kannel;
    EXPECT_EQ(*outcome, row.outcome) << row.kannel;
    EXPECT_EQ(IsFinal(*outcome), row.final) << row.kannel;
  }
  for (int type : {0, 3, 27, 31, 32, -1}) {
    EXPECT_EQ(ClassifyDlrType(type).status().code(),
              absl::StatusCode::kInvalidArgument)
        << type;
  }
}

TEST(ClassifySendsmsAnswerTest, KannelAnswers) {
  // Kannel 1.4.5 user guide, sendsms "HTTP return codes", and smsbox's
  // answers (strings in /usr/sbin/smsbox).
  struct Row {
    int status;
    std::string body;
    absl::StatusCode code;
    const char* why;
  };
  for (const Row& row : std::vector<Row>{
           {202, "0: Accepted for delivery", absl::StatusCode::kOk,
            "accepted and passed to an SMSC driver"},
           {202, "3: Queued for later delivery", absl::StatusCode::kOk,
            "stored by bearerbox, no SMSC connected yet: sent later"},
           {200, "0: Accepted for delivery\n", absl::StatusCode::kOk,
            "older Kannels answer 200"},
           {403, "Authorization failed for sendsms",
            absl::StatusCode::kPermissionDenied, "bad username/password"},
           {403, "Not routable. Do not try again.",
            absl::StatusCode::kInvalidArgument, "no route for the number"},
           {400, "Missing receiver number, rejected",
            absl::StatusCode::kInvalidArgument, "bad request"},
           {400, "Sender missing and no global set, rejected",
            absl::StatusCode::kInvalidArgument, "no from, no global-sender"},
           {503, "Temporal failure, try again later.",
            absl::StatusCode::kResourceExhausted, "temporary failure"},
           {500, "Sending failed.", absl::StatusCode::kResourceExhausted,
            "bearerbox refused it"},
           {202, "Sent.", absl::StatusCode::kUnknown,
            "not an answer Kannel 1.4.5 gives: may have been taken"},
           {302, "", absl::StatusCode::kFailedPrecondition,
            "a redirect: not Kannel's sendsms"},
       }) {
    const absl::Status s = ClassifySendsmsAnswer(row.status, row.body);
    EXPECT_EQ(s.code(), row.code) << row.status << " " << row.why;
    if (!s.ok()) {
      EXPECT_THAT(s.message(),
                  HasSubstr(std::string(absl::StripAsciiWhitespace(row.body))))
          << row.why;
    }
  }
}

TEST(ClassifySendsmsAnswerTest, BodyExcerptIsValidUtf8CutOnACharacter) {
  // Issue 22 item 2: the answer's excerpt (200 bytes) becomes a record's
  // last_error; cut inside a character, or with bytes that are not UTF-8,
  // it made the record unreadable.
  std::string chinese;
  for (int i = 0; i < 100; ++i) chinese += "错";  // 300 bytes
  for (const auto& [body, excerpt] :
       std::vector<std::pair<std::string, std::string>>{
           {chinese, chinese.substr(0, 198) + "..."},
           {"Temporal failure \xFF\xFE",
            "Temporal failure \xEF\xBF\xBD"
            "\xEF\xBF\xBD"},
       }) {
    const absl::Status s = ClassifySendsmsAnswer(503, body);
    EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
    EXPECT_THAT(s.message(), HasSubstr(absl::StrCat("\"", excerpt, "\"")));
    EXPECT_TRUE(text::IsValidUtf8(std::string(s.message())));
  }
}

std::map<std::string, std::string> KannelEnv() {
  return {{"CASERELAY_KANNEL_SENDSMS_URL",
           "http://127.0.0.1:13013/cgi-bin/sendsms"},
          {"CASERELAY_KANNEL_USERNAME", "cr"},
          {"CASERELAY_KANNEL_PASSWORD", "from-env"},
          {"CASERELAY_KANNEL_DLR_URL", "http://127.0.0.1:8081/sms/dlr"},
          {"CASERELAY_KANNEL_DLR_SECRET_PATH",
           SecretFile("kannel-dlr.secret", kDlrSecret + "\n", 0600)}};
}

TEST(KannelOptionsFromConfigTest, ReadsSettingsWithDefaults) {
  auto env = KannelEnv();
  env["CASERELAY_KANNEL_SMSC_ID"] = "fake";
  auto config = config::Config::Load("", KannelSettings(), env);
  ASSERT_TRUE(config.ok()) << config.status();
  absl::StatusOr<KannelOptions> o = KannelOptionsFromConfig(*config);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->sendsms_url, "http://127.0.0.1:13013/cgi-bin/sendsms");
  EXPECT_EQ(o->username, "cr");
  EXPECT_EQ(o->password, "from-env");
  EXPECT_EQ(o->from, "");
  EXPECT_EQ(o->smsc_id, "fake");
  EXPECT_EQ(o->dlr_url, "http://127.0.0.1:8081/sms/dlr");
  EXPECT_EQ(o->dlr_mask, 27);
  EXPECT_EQ(o->dlr_keys.signing(), kDlrSecret);
  EXPECT_EQ(o->timeout, absl::Seconds(10));
}

TEST(KannelOptionsFromConfigTest, RefusesMissingOrBadSettingNamingIt) {
  struct Row {
    std::string env, value, named;
  };
  for (const Row& row : std::vector<Row>{
           {"CASERELAY_KANNEL_SENDSMS_URL", "", "kannel.sendsms_url"},
           {"CASERELAY_KANNEL_SENDSMS_URL", "https://k/cgi-bin/sendsms",
            "kannel.sendsms_url"},
           {"CASERELAY_KANNEL_USERNAME", "", "kannel.username"},
           {"CASERELAY_KANNEL_PASSWORD", "", "kannel.password"},
           {"CASERELAY_KANNEL_DLR_URL", "", "kannel.dlr_url"},
           {"CASERELAY_KANNEL_DLR_URL", "/sms/dlr", "kannel.dlr_url"},
           {"CASERELAY_KANNEL_DLR_MASK", "0", "kannel.dlr_mask"},
           {"CASERELAY_KANNEL_DLR_MASK", "32", "kannel.dlr_mask"},
           {"CASERELAY_KANNEL_TIMEOUT", "0", "kannel.timeout"},
           // dlr_mac.h: the secret is required, owner-only, long enough.
           {"CASERELAY_KANNEL_DLR_SECRET_PATH",
            SecretFile("kannel-dlr-open.secret", kDlrSecret, 0644),
            "kannel.dlr_secret_path"},
           {"CASERELAY_KANNEL_DLR_SECRET_PATH",
            SecretFile("kannel-dlr-short.secret", "short", 0600),
            "kannel.dlr_secret_path"},
       }) {
    auto env = KannelEnv();
    env[row.env] = row.value;
    auto config = config::Config::Load("", KannelSettings(), env);
    ASSERT_TRUE(config.ok()) << config.status();
    absl::StatusOr<KannelOptions> o = KannelOptionsFromConfig(*config);
    EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument)
        << row.env << "=" << row.value;
    EXPECT_THAT(o.status().message(), HasSubstr(row.named));
  }
  // dlr_mac.h: without a secret the Kannel gateway does not start.
  auto env = KannelEnv();
  env.erase("CASERELAY_KANNEL_DLR_SECRET_PATH");
  auto config = config::Config::Load("", KannelSettings(), env);
  ASSERT_TRUE(config.ok()) << config.status();
  absl::StatusOr<KannelOptions> o = KannelOptionsFromConfig(*config);
  EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(o.status().message(), HasSubstr("kannel.dlr_secret_path"));
}

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
