// What our sendsms GET and dlr-url say in Kannel 1.4.5's terms, and how
// Kannel's answers and delivery-report types are read (kannel_gateway.h
// KannelSendsmsUrl, KannelDlrUrl, ParseDeliveryReport, ClassifyDlrType,
// ClassifySendsmsAnswer). Each row cites the Kannel user guide or source.
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/admin/http_client.h"
#include "common/admin/http_message.h"
#include "common/text/utf8.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/kannel_gateway.h"
#include "tests/unit/services/notification/kannel_fixture.h"

namespace caserelay::notification {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// kChineseAndEmoji's UTF-16BE bytes, %-encoded: 60A8 597D D83D DE00
// (0x59 is 'Y').
constexpr char kChineseAndEmojiEncoded[] = "%60%A8Y%7D%D8%3D%DE%00";

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

}  // namespace
}  // namespace caserelay::notification
