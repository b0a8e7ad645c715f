// DeliveryReports::Handle over a real store, called exactly as Kannel
// 1.4.5 calls back: the dlr-url of our sendsms GET (kannel_gateway.h
// KannelSendsmsUrl) as smsbox keeps it, with its escape codes filled, then
// parsed as the admin HTTP server parses a query (admin::ParseQuery). So
// the two ends of the DLR URL are tested together. Rows cite issue 5 #3
// ("delivery reports become SmsDelivered / SmsFailed ... per part"), #4
// (exactly once, "reconciled by delivery report"), delivery_reports.h's
// answers, and Kannel's DLR types (kannel_gateway.h DlrOutcome).

#include "services/notification/delivery_reports.h"

#include <cctype>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/admin/http_message.h"
#include "common/store/store.h"
#include "common/time/timestamp.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/kannel_gateway.h"
#include "services/notification/message_book.h"
#include "services/notification/message_rules.h"
#include "services/notification/notification_service.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::notification {
namespace {

using caserelay::v1::Envelope;
using caserelay::v1::SmsRecord;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kCase[] = "140431-20261122-000001";
constexpr char kMsg[] = "routing/140431-20261122-000001/3/sms";
constexpr char kAdmin[] = "http://127.0.0.1:18081";
constexpr char kTopic[] = "notification-events";
constexpr int64_t kReportedAt = 1795000000;
// The deployment's delivery-report secret (dlr_mac.h).
const std::string kDlrSecret(64, 's');

// Kannel's DLR types (Kannel 1.4.5 user guide, "Delivery Reports").
constexpr int kDelivered = 1, kUndeliverable = 2, kBuffered = 4,
              kSmscSubmit = 8, kSmscReject = 16;

// Kannel's octstr_url_encode (gwlib/octstr.c): letters, digits and
// "-_.!~*'()" as they are, space as '+', any other byte as %XX.
std::string KannelUrlEncode(std::string_view s) {
  static const std::string kSafe = "-_.!~*'()";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || kSafe.find(static_cast<char>(c)) != kSafe.npos) {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += absl::StrCat("%", absl::Hex(c, absl::kZeroPad2));
      out[out.size() - 2] = std::toupper(out[out.size() - 2]);
      out[out.size() - 1] = std::toupper(out[out.size() - 1]);
    }
  }
  return out;
}

// Kannel's urltrans_fill_escape_codes (gw/urltrans.c) on a DLR: %d the
// type, %A the SMSC's answer URL-encoded, %T the unix time, %% one '%',
// any other %X kept as it is.
std::string KannelFill(std::string_view pattern, int type,
                       std::string_view answer, int64_t at) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%' || i + 1 == pattern.size()) {
      out += pattern[i];
      continue;
    }
    const char c = pattern[++i];
    if (c == 'd') {
      absl::StrAppend(&out, type);
    } else if (c == 'A') {
      out += KannelUrlEncode(answer);
    } else if (c == 'T') {
      absl::StrAppend(&out, at);
    } else if (c == '%') {
      out += '%';
    } else {
      out += '%';
      out += c;
    }
  }
  return out;
}

// The parts of a record, one letter each: P PENDING, S SENDING, A ACCEPTED, C
// SMSC_ACCEPTED, D DELIVERED, F FAILED, U UNKNOWN.
caserelay::v1::SmsPartState PartState(char c) {
  switch (c) {
    case 'P':
      return caserelay::v1::SMS_PART_STATE_PENDING;
    case 'S':
      return caserelay::v1::SMS_PART_STATE_SENDING;
    case 'A':
      return caserelay::v1::SMS_PART_STATE_ACCEPTED;
    case 'C':
      return caserelay::v1::SMS_PART_STATE_SMSC_ACCEPTED;
    case 'D':
      return caserelay::v1::SMS_PART_STATE_DELIVERED;
    case 'F':
      return caserelay::v1::SMS_PART_STATE_FAILED;
    case 'U':
      return caserelay::v1::SMS_PART_STATE_UNKNOWN;
  }
  ADD_FAILURE() << "no part state " << c;
  return caserelay::v1::SMS_PART_STATE_UNSPECIFIED;
}

std::string Letters(const SmsRecord& r) {
  std::string out;
  for (const auto& p : r.message().part_states()) {
    for (char c : std::string("PSACDFU")) {
      if (PartState(c) == p.state()) out += c;
    }
  }
  return out;
}

class DeliveryReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = svctest::TestContext::Create(
        ColumnFamilies(), svctest::ChinaTime(2026, 11, 22, 10, 0));
    ASSERT_TRUE(t.ok()) << t.status();
    t_ = *std::move(t);
    book_ = std::make_unique<MessageBook>(t_->context());
    options_.dlr_keys = *DlrKeys::Parse(kDlrSecret);
    reports_ = std::make_unique<DeliveryReports>(t_->context(), book_.get(),
                                                 "kannel", options_.dlr_keys,
                                                 [this] { ++requeued_; });
    options_.sendsms_url = "http://127.0.0.1:13013/cgi-bin/sendsms";
    options_.username = "caserelay";
    options_.password = "s3cret";
    options_.dlr_url = absl::StrCat(kAdmin, kDeliveryReportPath);
  }

  // Stores a record of `id` with one part per letter of `parts`, in the
  // state its parts give, on the queue when `queued`.
  SmsRecord Put(const std::string& id, const std::string& parts, bool queued) {
    SmsRecord r;
    r.mutable_message()->set_message_id(id);
    r.mutable_message()->set_case_id(kCase);
    r.mutable_message()->set_trigger("received");
    r.set_queue_key(MessageBook::QueueKey(kCase, 3, id));
    StartParts(r, static_cast<int>(parts.size()), t_->clock().Now());
    for (size_t i = 0; i < parts.size(); ++i) {
      r.mutable_message()
          ->mutable_part_states(static_cast<int>(i))
          ->set_state(PartState(parts[i]));
    }
    r.mutable_message()->set_state(StateFromParts(r));
    store::WriteBatch batch(&t_->store());
    batch.Put(kMessages, id, r.SerializeAsString());
    if (queued) batch.Put(kQueue, r.queue_key(), id);
    EXPECT_TRUE(t_->publisher().Commit(batch).ok());
    return r;
  }

  SmsRecord Stored(const std::string& id) {
    auto r = book_->Load(id);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : SmsRecord();
  }

  std::vector<std::string> Queue() {
    auto q = book_->Queue();
    EXPECT_TRUE(q.ok()) << q.status();
    std::vector<std::string> ids;
    if (q.ok()) {
      for (const auto& e : *q) ids.push_back(e.message_id);
    }
    return ids;
  }

  // The request Kannel makes for a DLR of `type` on part `index` of
  // `total` of message `id`: smsbox keeps the dlr-url parameter of our
  // sendsms GET (CGI-decoded) and fills its escape codes.
  admin::HttpRequest KannelCallsBack(const std::string& id, int index,
                                     int total, int type,
                                     std::string_view answer) {
    OutgoingPart part{id, "13800000000", index, total, 7, u"您好"};
    const std::string sendsms = KannelSendsmsUrl(options_, part);
    auto params = admin::ParseQuery(sendsms.substr(sendsms.find('?') + 1));
    EXPECT_TRUE(params.ok()) << params.status();
    if (!params.ok() || params->count("dlr-url") == 0) return {};
    EXPECT_EQ(params->at("dlr-url"), KannelDlrUrl(options_, part));
    const std::string url =
        KannelFill(params->at("dlr-url"), type, answer, kReportedAt);
    EXPECT_EQ(url.rfind(kAdmin, 0), 0u) << url;
    const std::string target = url.substr(std::string(kAdmin).size());
    const size_t q = target.find('?');
    admin::HttpRequest request;
    request.method = "GET";
    request.path = target.substr(0, q);
    auto query = admin::ParseQuery(
        q == std::string::npos ? "" : std::string_view(target).substr(q + 1));
    EXPECT_TRUE(query.ok()) << query.status() << " in " << url;
    if (query.ok()) request.query = *query;
    EXPECT_EQ(request.path, kDeliveryReportPath) << url;
    return request;
  }

  admin::HttpResponse Call(const std::string& id, int index, int total,
                           int type, std::string_view answer) {
    return reports_->Handle(KannelCallsBack(id, index, total, type, answer));
  }

  std::vector<Envelope> Events() { return t_->Published(kTopic); }

  std::vector<std::string> EventIds() {
    std::vector<std::string> ids;
    for (const Envelope& e : Events()) ids.push_back(e.event_id());
    return ids;
  }

  uint64_t Counted(const char* outcome) {
    return t_->metrics()
        .GetCounter("caserelay_sms_delivery_reports_total", "",
                    {{"outcome", outcome}})
        .Value();
  }

  std::unique_ptr<svctest::TestContext> t_;
  std::unique_ptr<MessageBook> book_;
  std::unique_ptr<DeliveryReports> reports_;
  KannelOptions options_;
  int requeued_ = 0;
};

TEST_F(DeliveryReportsTest, DeliveredReportRecordsThePartAndPublishesIt) {
  Put(kMsg, "C", /*queued=*/false);
  t_->clock().Advance(absl::Minutes(2));
  admin::HttpResponse r = Call(kMsg, 1, 1, kDelivered, "");
  EXPECT_EQ(r.status, 200) << r.body;

  SmsRecord stored = Stored(kMsg);
  EXPECT_EQ(Letters(stored), "D");
  EXPECT_EQ(stored.message().state(), caserelay::v1::SMS_STATE_DELIVERED);
  std::vector<Envelope> events = Events();
  ASSERT_EQ(events.size(), 1u) << "#3: SmsDelivered";
  EXPECT_EQ(events[0].event_id(), absl::StrCat(kMsg, "/delivered/1"));
  EXPECT_EQ(events[0].case_id(), kCase);
  EXPECT_EQ(time::FromProto(events[0].occurred_at()), t_->clock().Now());
  EXPECT_EQ(events[0].sms_delivered().message_id(), kMsg);
  EXPECT_EQ(events[0].sms_delivered().part(), 1);
  EXPECT_EQ(events[0].sms_delivered().parts(), 1);
  EXPECT_EQ(Counted("delivered"), 1u);
  EXPECT_EQ(requeued_, 0);
}

TEST_F(DeliveryReportsTest, FakeSmscAckThenDeliveryForEachPart) {
  // With the fake SMSC Kannel calls back twice per part: type 8 ("ACK/"),
  // then type 1 (an empty answer).
  Put(kMsg, "AA", /*queued=*/false);
  for (int part : {1, 2}) {
    EXPECT_EQ(Call(kMsg, part, 2, kSmscSubmit, "ACK/").status, 200);
    EXPECT_EQ(Call(kMsg, part, 2, kDelivered, "").status, 200);
  }
  SmsRecord stored = Stored(kMsg);
  EXPECT_EQ(Letters(stored), "DD");
  EXPECT_EQ(stored.message().part_states(0).detail(), "ACK/")
      << "the SMSC's words are kept";
  EXPECT_EQ(stored.message().state(), caserelay::v1::SMS_STATE_DELIVERED);
  EXPECT_THAT(EventIds(), ElementsAre(absl::StrCat(kMsg, "/delivered/1"),
                                      absl::StrCat(kMsg, "/delivered/2")))
      << "#3 per part; no SmsSent again: it was SENT already";
  EXPECT_EQ(Counted("smsc_accepted"), 2u);
  EXPECT_EQ(Counted("delivered"), 2u);
}

TEST_F(DeliveryReportsTest, SameReportTwiceAnswersOkAndPublishesOnce) {
  // Kannel calls again when it did not get our answer.
  Put(kMsg, "A", /*queued=*/false);
  EXPECT_EQ(Call(kMsg, 1, 1, kDelivered, "").status, 200);
  const std::string once = Stored(kMsg).SerializeAsString();
  t_->clock().Advance(absl::Seconds(30));
  admin::HttpResponse again = Call(kMsg, 1, 1, kDelivered, "");
  EXPECT_EQ(again.status, 200) << "delivery_reports.h: 200 already known";
  EXPECT_EQ(Stored(kMsg).SerializeAsString(), once);
  EXPECT_THAT(EventIds(), ElementsAre(absl::StrCat(kMsg, "/delivered/1")));
}

TEST_F(DeliveryReportsTest, UnknownMessageIsNotFound) {
  Put(kMsg, "A", /*queued=*/false);
  admin::HttpResponse r =
      Call("routing/no-such-case/1/sms", 1, 1, kDelivered, "");
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_THAT(Events(), IsEmpty());
}

TEST_F(DeliveryReportsTest, MalformedReportsAreRefused) {
  Put(kMsg, "A", /*queued=*/false);
  const std::string before = Stored(kMsg).SerializeAsString();
  struct Row {
    const char* name;
    const char* value;  // nullptr: the parameter is missing
    const char* rule;
  };
  const Row rows[] = {
      {"m", nullptr, "ParseDeliveryReport: m missing"},
      {"m", "", "ParseDeliveryReport: m empty"},
      {"t", "3", "Kannel DLR types are 1, 2, 4, 8, 16, one per call"},
      {"t", "%d", "Kannel did not fill %d"},
      {"t", "x", "t not decimal"},
      {"t", nullptr, "t missing"},
      {"p", "2", "p <= n"},
      {"n", "0", "n >= 1"},
      {"ts", "yesterday", "ts not unix seconds"},
  };
  uint64_t malformed = 0;
  for (const Row& row : rows) {
    admin::HttpRequest request = KannelCallsBack(kMsg, 1, 1, kDelivered, "");
    if (row.value == nullptr) {
      request.query.erase(row.name);
    } else {
      request.query[row.name] = row.value;
    }
    admin::HttpResponse r = reports_->Handle(request);
    EXPECT_EQ(r.status, 400) << row.rule;
    EXPECT_NE(r.body.find(absl::StrCat("parameter ", row.name)),
              std::string::npos)
        << row.rule << ": the answer names the parameter: " << r.body;
    EXPECT_EQ(Counted("malformed"), ++malformed) << row.rule;
  }
  EXPECT_EQ(Stored(kMsg).SerializeAsString(), before);
  EXPECT_THAT(Events(), IsEmpty());
}

TEST_F(DeliveryReportsTest, PartsThatDoNotMatchTheMessageAreRefused) {
  Put(kMsg, "AA", /*queued=*/false);
  const std::string before = Stored(kMsg).SerializeAsString();
  for (const auto& [part, parts] : {std::pair{3, 3}, std::pair{1, 1}}) {
    admin::HttpResponse r = Call(kMsg, part, parts, kDelivered, "");
    EXPECT_EQ(r.status, 400) << "part " << part << "/" << parts
                             << " of a 2-part message: " << r.body;
  }
  EXPECT_EQ(Stored(kMsg).SerializeAsString(), before);
  EXPECT_THAT(Events(), IsEmpty());
}

TEST_F(DeliveryReportsTest, UnknownPartProvedSentRequeuesTheRest) {
  // #4: a crash between the gateway call and its record is reconciled by
  // the delivery report: part 1 went out, part 2 is still to send.
  Put(kMsg, "UP", /*queued=*/false);  // UNKNOWN is off the queue
  EXPECT_THAT(Queue(), IsEmpty());
  EXPECT_EQ(Call(kMsg, 1, 2, kSmscSubmit, "ACK/").status, 200);
  SmsRecord stored = Stored(kMsg);
  EXPECT_EQ(Letters(stored), "CP");
  EXPECT_EQ(stored.message().state(), caserelay::v1::SMS_STATE_QUEUED);
  EXPECT_THAT(Queue(), ElementsAre(kMsg)) << "back on the queue";
  EXPECT_EQ(requeued_, 1) << "the sender is woken";
  EXPECT_THAT(Events(), IsEmpty()) << "not SENT yet: part 2";
}

TEST_F(DeliveryReportsTest, UnknownLastPartProvedSentSendsTheMessage) {
  Put(kMsg, "AU", /*queued=*/false);
  EXPECT_EQ(Call(kMsg, 2, 2, kSmscSubmit, "ACK/").status, 200);
  SmsRecord stored = Stored(kMsg);
  EXPECT_EQ(stored.message().state(), caserelay::v1::SMS_STATE_SENT);
  EXPECT_THAT(Queue(), IsEmpty());
  EXPECT_EQ(requeued_, 0) << "nothing left to send";
  std::vector<Envelope> events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_id(), absl::StrCat(kMsg, "/sent"));
  EXPECT_EQ(events[0].sms_sent().gateway(), "kannel");
  EXPECT_EQ(events[0].sms_sent().parts(), 2);
}

TEST_F(DeliveryReportsTest, SmscRejectFailsASentMessage) {
  Put(kMsg, "AC", /*queued=*/false);
  const char kNack[] = "NACK/0x0000000b/Invalid Destination Address";
  EXPECT_EQ(Call(kMsg, 1, 2, kSmscReject, kNack).status, 200);
  SmsRecord stored = Stored(kMsg);
  EXPECT_EQ(Letters(stored), "FC");
  EXPECT_EQ(stored.message().state(), caserelay::v1::SMS_STATE_FAILED);
  std::vector<Envelope> events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_id(), absl::StrCat(kMsg, "/failed/1"));
  EXPECT_EQ(events[0].sms_failed().part(), 1);
  EXPECT_EQ(events[0].sms_failed().parts(), 2);
  EXPECT_THAT(events[0].sms_failed().reason(), ::testing::HasSubstr(kNack))
      << "the SMSC's words, through Kannel's URL encoding";
  EXPECT_EQ(Counted("failed"), 1u);
}

TEST_F(DeliveryReportsTest, EachKannelTypeIsCountedByWhatItSaid) {
  // kannel_gateway.h ClassifyDlrType: 1 delivered, 2 and 16 failed, 4
  // buffered (queued), 8 SMSC submit.
  struct Row {
    int type;
    const char* outcome;
    const char* parts_after;
  };
  const Row rows[] = {
      {kBuffered, "queued", "A"},     {kSmscSubmit, "smsc_accepted", "C"},
      {kDelivered, "delivered", "D"}, {kUndeliverable, "failed", "F"},
      {kSmscReject, "failed", "F"},
  };
  int n = 0;
  for (const Row& row : rows) {
    const std::string id = absl::StrCat(kMsg, "/", ++n);
    Put(id, "A", /*queued=*/false);
    const uint64_t before = Counted(row.outcome);
    EXPECT_EQ(Call(id, 1, 1, row.type, "ACK/").status, 200) << row.type;
    EXPECT_EQ(Counted(row.outcome), before + 1) << "type " << row.type;
    EXPECT_EQ(Letters(Stored(id)), row.parts_after) << "type " << row.type;
  }
  EXPECT_EQ(Counted("malformed"), 0u);
}

TEST_F(DeliveryReportsTest, MessageIdsSurviveKannelsUrlHandling) {
  // KannelDlrUrl doubles every '%' that Kannel must not fill: an id with
  // '%', '&', '+', '=', ' ' and Chinese reaches us as it was.
  const std::string id = "routing/x%41&p=9+ 1/信访/sms";
  Put(id, "A", /*queued=*/false);
  admin::HttpRequest request = KannelCallsBack(id, 1, 1, kDelivered, "");
  EXPECT_EQ(request.query["m"], id);
  EXPECT_EQ(request.query["p"], "1");
  EXPECT_EQ(request.query["t"], "1");
  EXPECT_EQ(request.query["ts"], absl::StrCat(kReportedAt));
  EXPECT_EQ(reports_->Handle(request).status, 200);
  EXPECT_EQ(Letters(Stored(id)), "D");
}

TEST_F(DeliveryReportsTest, DlrUrlWithAQueryOfItsOwnStillReachesUs) {
  // kannel_gateway.h KannelOptions::dlr_url "may carry a query of its own";
  // its escapes must survive Kannel's filling too.
  options_.dlr_url =
      absl::StrCat(kAdmin, kDeliveryReportPath, "?via=kannel%2F1&x=%41");
  Put(kMsg, "A", /*queued=*/false);
  admin::HttpRequest request = KannelCallsBack(kMsg, 1, 1, kSmscSubmit, "ACK/");
  EXPECT_EQ(request.query["via"], "kannel/1");
  EXPECT_EQ(request.query["x"], "A");
  EXPECT_EQ(request.query["m"], kMsg);
  EXPECT_EQ(request.query["a"], "ACK/");
  EXPECT_EQ(reports_->Handle(request).status, 200);
  EXPECT_EQ(Letters(Stored(kMsg)), "C");
}

TEST_F(DeliveryReportsTest, SmscAnswerThatIsNotUtf8LeavesTheMessageReadable) {
  // Issue 22 item 2: "a=%FF%FE" made the record unreadable for good (every
  // Load DATA_LOSS). The SMSC's words are kept, with each invalid byte as
  // U+FFFD, and a later report still applies.
  Put(kMsg, "A", /*queued=*/false);
  EXPECT_EQ(Call(kMsg, 1, 1, kSmscSubmit, "\xFF\xFE").status, 200);
  auto loaded = book_->Load(kMsg);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->message().part_states(0).detail(),
            "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(Call(kMsg, 1, 1, kDelivered, "").status, 200);
  EXPECT_EQ(Letters(Stored(kMsg)), "D");
}

TEST_F(DeliveryReportsTest, LongSmscAnswerIsCutOnACharacter) {
  // kannel_gateway.h kMaxSmscAnswerBytes: a record does not grow with what
  // an SMSC says, and the cut never splits a character.
  std::string answer;
  for (int i = 0; i < 100; ++i) answer += "错";  // 300 bytes
  Put(kMsg, "A", /*queued=*/false);
  EXPECT_EQ(Call(kMsg, 1, 1, kSmscSubmit, answer).status, 200);
  const std::string detail = Stored(kMsg).message().part_states(0).detail();
  EXPECT_EQ(detail, answer.substr(0, 198) + "...");
}

TEST_F(DeliveryReportsTest, ForgedReportsAreRefusedAndChangeNothing) {
  // Issue 14 item 1: a report without the MAC of its message and part
  // under the deployment's secret (dlr_mac.h) is refused with 403, counted
  // by reason, and changes no record, queue or topic.
  Put(kMsg, "AA", /*queued=*/false);
  Put("routing/140431-20261122-000002/3/sms", "A", /*queued=*/false);
  const std::string before = Stored(kMsg).SerializeAsString();
  struct Row {
    const char* rule;
    std::optional<std::string> mac;  // nullopt: no k parameter
    const char* reason;
  };
  const std::vector<Row> rows = {
      {"no MAC: anyone who reaches the port", std::nullopt, "missing"},
      {"a wrong MAC", std::string(64, '0'), "mismatch"},
      {"an empty MAC", "", "mismatch"},
      {"the MAC of another message",
       DlrMac(kDlrSecret, "routing/140431-20261122-000002/3/sms", 1, 2),
       "mismatch"},
      {"the MAC of the other part of this message",
       DlrMac(kDlrSecret, kMsg, 2, 2), "mismatch"},
      {"a MAC under another secret", DlrMac(std::string(64, 'x'), kMsg, 1, 2),
       "mismatch"},
  };
  for (int type : {kDelivered, kUndeliverable, kSmscSubmit, kSmscReject}) {
    for (const Row& row : rows) {
      admin::HttpRequest request = KannelCallsBack(kMsg, 1, 2, type, "ACK/");
      ASSERT_EQ(request.query.count(kDlrMacParam), 1u) << "the dlr-url has k";
      if (row.mac.has_value()) {
        request.query[kDlrMacParam] = *row.mac;
      } else {
        request.query.erase(kDlrMacParam);
      }
      admin::HttpResponse r = reports_->Handle(request);
      EXPECT_EQ(r.status, 403) << row.rule << ", type " << type;
      EXPECT_EQ(r.body.find(kDlrSecret), std::string::npos) << row.rule;
    }
  }
  EXPECT_EQ(Stored(kMsg).SerializeAsString(), before) << "nothing changed";
  EXPECT_THAT(Events(), IsEmpty());
  EXPECT_EQ(requeued_, 0);
  auto rejected = [this](const char* reason) {
    return t_->metrics()
        .GetCounter("caserelay_dlr_rejected_total", "", {{"reason", reason}})
        .Value();
  };
  EXPECT_EQ(rejected("missing"), 4u);
  EXPECT_EQ(rejected("mismatch"), 20u);
  // The genuine report, after all that, still applies.
  EXPECT_EQ(Call(kMsg, 1, 2, kDelivered, "").status, 200);
  EXPECT_EQ(Letters(Stored(kMsg)), "DA");
}

TEST_F(DeliveryReportsTest, WithoutASecretEveryReportIsRefused) {
  // delivery_reports.h: a notification without a secret (no Kannel)
  // refuses every report, even one signed with some secret.
  reports_ = std::make_unique<DeliveryReports>(t_->context(), book_.get(),
                                               "dev-file", DlrKeys(), [] {});
  Put(kMsg, "A", /*queued=*/false);
  const std::string before = Stored(kMsg).SerializeAsString();
  EXPECT_EQ(Call(kMsg, 1, 1, kDelivered, "").status, 403);
  EXPECT_EQ(Stored(kMsg).SerializeAsString(), before);
  EXPECT_THAT(Events(), IsEmpty());
  EXPECT_EQ(t_->metrics()
                .GetCounter("caserelay_dlr_rejected_total", "",
                            {{"reason", "no_secret"}})
                .Value(),
            1u);
}

}  // namespace
}  // namespace caserelay::notification
