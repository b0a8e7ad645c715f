// DeliveryReports::Handle as Kannel 1.4.5 calls back
// (delivery_reports_fixture.h). Rows cite issue 5 #3 ("delivery reports
// become SmsDelivered / SmsFailed ... per part"), #4 (exactly once,
// "reconciled by delivery report"), delivery_reports.h's answers, and
// Kannel's DLR types (kannel_gateway.h DlrOutcome).

#include "services/notification/delivery_reports.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/admin/http_message.h"
#include "common/time/timestamp.h"
#include "services/notification/phone_codes.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/services/notification/delivery_reports_fixture.h"

namespace caserelay::notification::dlrtest {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

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

TEST_F(DeliveryReportsTest, PhoneCodeReportIsTakenAndChangesNothing) {
  // phone_codes.h: a code's SMS has no message record; Kannel's report of
  // it is acknowledged (no 404 for Kannel to log) and publishes nothing.
  Put(kMsg, "A", /*queued=*/false);
  admin::HttpResponse r = Call(
      std::string(kPhoneCodeMessagePrefix) + std::string(32, 'a'), 1, 1,
      kDelivered, "");
  EXPECT_EQ(r.status, 200) << r.body;
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

}  // namespace
}  // namespace caserelay::notification::dlrtest
