// The Sender: queued SMS through the gateway one part at a time, with
// DESIGN.md's rule for side effects ("Side effects outside Kafka (an SMS)
// record 'sending' before the call and the gateway's message id after it;
// a crash in between is reconciled, never blindly re-sent") and the answers
// of the gateway.h contract (issue 5, items 3 and 4). Order per case, quiet
// hours and the rate limit are sender_schedule_test.cc.

#include "services/notification/sender.h"

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "domain/sms/segment.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/services/notification/sender_fixture.h"

namespace caserelay::notification {
namespace {

using caserelay::v1::Envelope;
using caserelay::v1::SmsRecord;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// ---- one part, many parts ---------------------------------------------------

TEST_F(SenderTest, OnePartMessageIsSentOnceWithSendingRecordedFirst) {
  // DESIGN.md Side effects outside Kafka: "sending" before the call, the
  // gateway's id after it.
  SetContact("+86 138-0013-8000", kLookupCode);
  std::string id = Queue(kCaseA);
  absl::Mutex mu;
  std::vector<SmsRecord> seen;  // the record as the gateway call began
  gateway_.OnSend([&](const OutgoingPart& part) {
    auto r = book_->Load(part.message_id);
    absl::MutexLock lock(&mu);
    seen.push_back(r.ok() ? *r : SmsRecord());
  });
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();

  {
    absl::MutexLock lock(&mu);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].message().state(), caserelay::v1::SMS_STATE_SENDING);
    ASSERT_EQ(seen[0].message().part_states_size(), 1);
    EXPECT_EQ(seen[0].message().part_states(0).state(),
              caserelay::v1::SMS_PART_STATE_SENDING);
    EXPECT_FALSE(seen[0].message().text().empty()) << "rendered before";
  }
  ASSERT_EQ(gateway_.send_calls(), 1);
  const OutgoingPart part = gateway_.sent()[0];
  EXPECT_EQ(part.message_id, id);
  EXPECT_EQ(part.phone, kPhone) << "the normalised 11-digit mobile";
  EXPECT_EQ(part.index, 1);
  EXPECT_EQ(part.total, 1);
  EXPECT_THAT(Utf8(part), HasSubstr(kCaseA));

  SmsRecord record = Load(id);
  EXPECT_EQ(record.message().parts(), 1);
  ASSERT_EQ(record.message().part_states_size(), 1);
  EXPECT_EQ(record.message().part_states(0).state(),
            caserelay::v1::SMS_PART_STATE_ACCEPTED);
  EXPECT_EQ(record.message().part_states(0).gateway_message_id(),
            FakeGatewayId(id, 1));
  EXPECT_EQ(record.message().attempts(), 0) << "no failed try";
  EXPECT_EQ(record.message().phone_masked(), "138****8000");
  EXPECT_FALSE(InQueue(id));

  std::vector<Envelope> sent = Outcomes(id, Envelope::kSmsSent);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].event_id(), id + "/sent");
  EXPECT_EQ(sent[0].case_id(), kCaseA);
  EXPECT_EQ(sent[0].sms_sent().gateway(), "fake");
  EXPECT_EQ(sent[0].sms_sent().gateway_message_id(), FakeGatewayId(id, 1));
  EXPECT_EQ(sent[0].sms_sent().parts(), 1);
  EXPECT_EQ(Counter("caserelay_sms_sent_total"), 1u);
  EXPECT_EQ(Counter("caserelay_sms_parts_sent_total"), 1u);
}

TEST_F(SenderTest, PhoneIsAskedOfIntakeForTheCaseAtSendTime) {
  // Issue 5 item 5: notification asks intake for the phone at send time.
  std::string id = Queue(kCaseA);
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();
  absl::MutexLock lock(&intake_.mu);
  ASSERT_EQ(intake_.requests.size(), 1u);
  EXPECT_EQ(intake_.requests[0].petitioner().id(), std::string("P") + kCaseA);
  EXPECT_EQ(intake_.requests[0].case_number(), kCaseA);
}

TEST_F(SenderTest, LongMessageGoesAsItsPartsInOrderUnderOneReference) {
  // Issue 5 item 2: 67 units per part of a long message; gateway.h: our
  // segmentation, one reference for every part.
  std::string id = QueueLong(kCaseA);
  const std::vector<std::u16string> expected = ExpectedParts(id);
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();

  std::vector<OutgoingPart> parts = gateway_.sent(id);
  ASSERT_THAT(Indices(parts), ElementsAre(1, 2, 3));
  EXPECT_EQ(gateway_.send_calls(), 3);
  std::u16string whole;
  for (size_t i = 0; i < parts.size(); ++i) {
    EXPECT_EQ(parts[i].total, 3);
    EXPECT_EQ(parts[i].reference, parts[0].reference) << "part " << i + 1;
    EXPECT_EQ(parts[i].text, expected[i]) << "part " << i + 1;
    whole += parts[i].text;
  }
  EXPECT_GE(parts[0].reference, 0);
  EXPECT_LE(parts[0].reference, 255);
  EXPECT_EQ(parts[0].text.size(), size_t{sms::kMultiPartUnits});

  SmsRecord record = Load(id);
  EXPECT_EQ(record.message().text(), sms::Utf16ToUtf8(whole));
  EXPECT_EQ(record.message().parts(), 3);
  std::vector<Envelope> sent = Outcomes(id, Envelope::kSmsSent);
  ASSERT_EQ(sent.size(), 1u) << "SmsSent once for the message, not per part";
  EXPECT_EQ(sent[0].sms_sent().parts(), 3);
  EXPECT_EQ(sent[0].sms_sent().gateway_message_id(), FakeGatewayId(id, 1));
  EXPECT_EQ(Counter("caserelay_sms_parts_sent_total"), 3u);
  EXPECT_EQ(Counter("caserelay_sms_sent_total"), 1u);
}

TEST_F(SenderTest, MessageOverThePartCapFailsWithoutACall) {
  // Issue 5 item 2: "a configurable cap on parts" (sms.max_parts); a
  // message that would take more is not sent in pieces.
  std::string id = QueueLong(kCaseA);  // three parts
  options_.segments.max_parts = 2;
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_FAILED));
  sender_->Stop();
  EXPECT_EQ(gateway_.send_calls(), 0);
  EXPECT_FALSE(InQueue(id));
  std::vector<Envelope> failed = Outcomes(id, Envelope::kSmsFailed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].sms_failed().part(), 0);
  EXPECT_THAT(failed[0].sms_failed().reason(), HasSubstr("needs 3 parts"))
      << "names the parts it needs";
}

TEST_F(SenderTest, EachPartIsRecordedSendingBeforeItsCallAndAcceptedAfter) {
  // DESIGN.md Side effects outside Kafka, per part: at each call the parts
  // before it are taken, it is SENDING, the ones after it PENDING.
  std::string id = QueueLong(kCaseA);
  absl::Mutex mu;
  std::vector<std::vector<caserelay::v1::SmsPartState>> seen;
  gateway_.OnSend([&](const OutgoingPart& part) {
    std::vector<caserelay::v1::SmsPartState> states;
    auto r = book_->Load(part.message_id);
    if (r.ok()) {
      for (const auto& p : r->message().part_states()) {
        states.push_back(p.state());
      }
    }
    absl::MutexLock lock(&mu);
    seen.push_back(states);
  });
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();

  constexpr auto kPending = caserelay::v1::SMS_PART_STATE_PENDING;
  constexpr auto kSending = caserelay::v1::SMS_PART_STATE_SENDING;
  constexpr auto kAccepted = caserelay::v1::SMS_PART_STATE_ACCEPTED;
  absl::MutexLock lock(&mu);
  EXPECT_THAT(seen, ElementsAre(ElementsAre(kSending, kPending, kPending),
                                ElementsAre(kAccepted, kSending, kPending),
                                ElementsAre(kAccepted, kAccepted, kSending)));
  SmsRecord record = Load(id);
  ASSERT_EQ(record.message().part_states_size(), 3);
  for (int i = 1; i <= 3; ++i) {
    const auto& p = record.message().part_states(i - 1);
    EXPECT_EQ(p.index(), i);
    EXPECT_EQ(p.state(), kAccepted) << "part " << i;
    EXPECT_EQ(p.gateway_message_id(), FakeGatewayId(id, i)) << "part " << i;
  }
}

// ---- personal data ----------------------------------------------------------

TEST_F(SenderTest, RecordKeepsTheLookupCodeMaskedWhileThePhoneGetsIt) {
  // sender.cc: the look-up code goes to the phone only (DESIGN.md Security:
  // the look-up code is stored hashed, in intake).
  std::string id = Queue(kCaseA);
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();
  ASSERT_EQ(gateway_.sent().size(), 1u);
  EXPECT_THAT(Utf8(gateway_.sent()[0]), HasSubstr(kLookupCode));
  const std::string text = Load(id).message().text();
  EXPECT_THAT(text, Not(HasSubstr(kLookupCode)));
  EXPECT_THAT(text, HasSubstr(std::string("查询码") + "********"));
  EXPECT_THAT(text, HasSubstr(kCaseA)) << "only the code is masked";
}

TEST_F(SenderTest, LookupCodeIsNeverStoredNorPublished) {
  // Issue 5 item 5: notification keeps no copy beyond the message in
  // flight. A sent message and one whose fate is unknown leave no trace of
  // the code in any column family or on any topic.
  std::string sent = Queue(kCaseA);
  gateway_.Fail({absl::StatusCode::kUnknown, 1,
                 "routing/" + std::string(kCaseB) + "/1/sms", 0});
  std::string unknown = Queue(kCaseB);
  StartSender();
  ASSERT_TRUE(WaitForState(sent, caserelay::v1::SMS_STATE_SENT));
  ASSERT_TRUE(WaitForState(unknown, caserelay::v1::SMS_STATE_UNKNOWN));
  sender_->Stop();

  std::vector<std::string> families = ColumnFamilies();
  families.insert(families.end(), {"outbox", "offsets", "meta"});
  for (const std::string& cf : families) {
    absl::Status s = t_->store().Scan(
        cf, "", "", [&](std::string_view k, std::string_view v) {
          EXPECT_EQ(k.find(kLookupCode), std::string_view::npos) << cf;
          EXPECT_EQ(v.find(kLookupCode), std::string_view::npos)
              << cf << " " << k;
          return true;
        });
    EXPECT_EQ(s.code(), absl::StatusCode::kOk) << cf << ": " << s;
  }
  for (const Envelope& e : t_->Published("notification-events")) {
    EXPECT_EQ(e.SerializeAsString().find(kLookupCode), std::string::npos)
        << e.ShortDebugString();
  }
}

struct NoPhoneCase {
  std::string phone;
  std::string rule;
};

void PrintTo(const NoPhoneCase& c, std::ostream* os) {
  *os << '"' << c.phone << '"';
}

class NoPhoneTest : public SenderTest,
                    public ::testing::WithParamInterface<NoPhoneCase> {};

TEST_P(NoPhoneTest, EndsNoPhoneAndSendsNothing) {
  SetContact(GetParam().phone, kLookupCode);
  std::string id = Queue(kCaseA);
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_NO_PHONE))
      << GetParam().rule;
  sender_->Stop();
  EXPECT_EQ(gateway_.send_calls(), 0) << GetParam().rule;
  EXPECT_FALSE(InQueue(id));
  EXPECT_TRUE(Outcomes(id, Envelope::kSmsSent).empty());
  EXPECT_TRUE(Outcomes(id, Envelope::kSmsFailed).empty());
}

INSTANTIATE_TEST_SUITE_P(
    Phone, NoPhoneTest,
    ::testing::Values(
        NoPhoneCase{"", "DOMAIN.md Who is involved: a phone is optional"},
        NoPhoneCase{"010-12345678",
                    "identity.h IsMobile: only a mainland mobile receives "
                    "SMS, a landline cannot"}));

TEST_F(SenderTest, IntakeUnavailableKeepsTheMessageQueuedWithoutATry) {
  SetIntakeError(grpc::Status(grpc::StatusCode::UNAVAILABLE, "intake down"));
  std::string id = Queue(kCaseA);
  StartSender();
  ASSERT_TRUE(WaitUntil([this] {
    absl::MutexLock lock(&intake_.mu);
    return intake_.calls >= 2;
  })) << "intake is asked again";
  EXPECT_EQ(gateway_.send_calls(), 0);
  EXPECT_EQ(Load(id).message().state(), caserelay::v1::SMS_STATE_QUEUED);
  EXPECT_EQ(Load(id).message().attempts(), 0);

  SetIntakeError(grpc::Status::OK);
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();
  EXPECT_EQ(gateway_.send_calls(), 1);
}

TEST_F(SenderTest, IntakeThatHangsPausesTheWholeSenderNotEachCase) {
  // sender.h (issue 22 item 8): intake not answering in time pauses the
  // sender with backoff, instead of a call with its own deadline for every
  // queued case, pass after pass.
  options_.first_backoff = absl::Milliseconds(400);
  options_.max_backoff = absl::Seconds(1);
  // One call at a time; with several in flight, sender_contacts_test.cc.
  options_.intake_concurrency = 1;
  SetIntakeError(
      grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "intake hangs"));
  std::vector<std::string> ids = {Queue(kCaseA), Queue(kCaseB),
                                  Queue("140431-20261122-000003")};
  StartSender();
  ASSERT_TRUE(WaitUntil([this] {
    absl::MutexLock lock(&intake_.mu);
    return intake_.calls >= 1;
  }));
  absl::SleepFor(absl::Milliseconds(250));
  {
    absl::MutexLock lock(&intake_.mu);
    EXPECT_EQ(intake_.calls, 1) << "one call, then the whole sender waits";
  }
  EXPECT_EQ(Gauge("caserelay_sms_intake_unreachable", false), 1);
  SetIntakeError(grpc::Status::OK);
  for (const std::string& id : ids) {
    ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT)) << id;
  }
  EXPECT_EQ(Gauge("caserelay_sms_intake_unreachable", false), 0);
  for (const std::string& id : ids) EXPECT_EQ(Load(id).message().attempts(), 0);
}

// ---- what the gateway answers (gateway.h) -----------------------------------

TEST_F(SenderTest, UnreachableGatewayPausesTheSenderWithoutATryThenResumes) {
  // gateway.h UNAVAILABLE: certainly not sent, no try counted; sender.h:
  // the whole sender pauses (backoff), then goes on with the parts left.
  options_.first_backoff = absl::Milliseconds(300);
  options_.max_backoff = absl::Seconds(1);
  std::string a = QueueLong(kCaseA);
  std::string b = Queue(kCaseB);
  gateway_.Fail({absl::StatusCode::kUnavailable, 1, a, 2});
  absl::Mutex mu;
  double down_while_paused = -1;
  SmsRecord paused;  // `a` as the first call after the failure began
  gateway_.OnSend([&](const OutgoingPart&) {
    std::vector<FakeGateway::Call> calls = gateway_.calls();
    if (calls.empty() || calls.back().result == absl::StatusCode::kOk) return;
    absl::MutexLock lock(&mu);
    down_while_paused = Gauge("caserelay_sms_gateway_unreachable");
    paused = Load(a);
  });
  StartSender();
  ASSERT_TRUE(WaitForState(a, caserelay::v1::SMS_STATE_SENT));
  ASSERT_TRUE(WaitForState(b, caserelay::v1::SMS_STATE_SENT));
  ASSERT_TRUE(WaitUntil(
      [&] { return Gauge("caserelay_sms_gateway_unreachable") == 0; }));
  sender_->Stop();

  std::vector<FakeGateway::Call> calls = gateway_.calls();
  ASSERT_EQ(calls.size(), 5u) << "a1, a2 refused, a2, a3, b1";
  EXPECT_EQ(calls[1].part.index, 2);
  EXPECT_EQ(calls[1].result, absl::StatusCode::kUnavailable);
  EXPECT_GE(calls[2].at - calls[1].at, options_.first_backoff)
      << "no call at all, of any message, during the pause";
  EXPECT_THAT(Indices(gateway_.sent(a)), ElementsAre(1, 2, 3))
      << "part 1, taken before the outage, is not sent again";
  EXPECT_EQ(Load(a).message().attempts(), 0) << "an outage is not a try";
  EXPECT_TRUE(Outcomes(a, Envelope::kSmsFailed).empty());
  EXPECT_EQ(Outcomes(a, Envelope::kSmsSent).size(), 1u);
  EXPECT_GE(Counter("caserelay_sms_retries_total"), 1u);
  absl::MutexLock lock(&mu);
  EXPECT_EQ(down_while_paused, 1) << "caserelay_sms_gateway_unreachable";
  EXPECT_EQ(paused.message().attempts(), 0);
  EXPECT_THAT(paused.message().last_error(), HasSubstr("unreachable"));
}

TEST_F(SenderTest, UnreachableGatewayNeverUsesUpTheTries) {
  // gateway.h UNAVAILABLE: "no try counted", so an outage longer than
  // sms.max_attempts tries does not fail the message.
  options_.max_attempts = 1;
  gateway_.FailNext(2, absl::StatusCode::kUnavailable);
  std::string id = Queue(kCaseA);
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();
  EXPECT_EQ(gateway_.send_calls(), 3);
  EXPECT_EQ(gateway_.sent().size(), 1u);
  EXPECT_EQ(Load(id).message().attempts(), 0);
  EXPECT_TRUE(Outcomes(id, Envelope::kSmsFailed).empty());
}

TEST_F(SenderTest, NotNowCountsATryAndIsRetried) {
  // gateway.h RESOURCE_EXHAUSTED: not sent, retried with backoff, counted.
  options_.max_attempts = 5;
  gateway_.FailNext(2, absl::StatusCode::kResourceExhausted);
  std::string id = Queue(kCaseA);
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();
  EXPECT_EQ(gateway_.send_calls(), 3);
  EXPECT_EQ(gateway_.sent().size(), 1u);
  EXPECT_EQ(Load(id).message().attempts(), 2);
  EXPECT_EQ(Outcomes(id, Envelope::kSmsSent).size(), 1u);
  EXPECT_EQ(Counter("caserelay_sms_retries_total"), 2u);
}

TEST_F(SenderTest, NotNowMaxAttemptsTimesFailsWithSmsFailed) {
  // Issue 5 item 3: "a terminal failure after N tries as SmsFailed"
  // (sms.max_attempts); events.proto SmsFailed: part 0 when given up.
  options_.max_attempts = 3;
  gateway_.Fail({absl::StatusCode::kResourceExhausted, -1, "", 0});
  std::string id = Queue(kCaseA);
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_FAILED));
  sender_->Stop();
  EXPECT_EQ(gateway_.send_calls(), 3);
  EXPECT_TRUE(gateway_.sent().empty());
  EXPECT_EQ(Load(id).message().attempts(), 3);
  EXPECT_FALSE(InQueue(id));
  std::vector<Envelope> failed = Outcomes(id, Envelope::kSmsFailed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].event_id(), id + "/failed");
  EXPECT_EQ(failed[0].sms_failed().part(), 0);
  EXPECT_EQ(failed[0].sms_failed().parts(), 1);
  EXPECT_THAT(failed[0].sms_failed().reason(), HasSubstr("after 3 tries"));
  EXPECT_TRUE(Outcomes(id, Envelope::kSmsSent).empty());
  EXPECT_EQ(Counter("caserelay_sms_failed_total"), 1u);
}

TEST_F(SenderTest, MessageGivenUpLeavesNoPartSending) {
  // SmsPart SENDING means "with the gateway, fate unknown" (message_rules.h);
  // a part the gateway answered "not now" certainly did not go, so a
  // message given up after sms.max_attempts must not show it SENDING.
  options_.max_attempts = 1;
  gateway_.Fail({absl::StatusCode::kResourceExhausted, -1, "", 0});
  std::string id = Queue(kCaseA);
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_FAILED));
  sender_->Stop();
  SmsRecord record = Load(id);
  ASSERT_EQ(record.message().part_states_size(), 1);
  EXPECT_NE(record.message().part_states(0).state(),
            caserelay::v1::SMS_PART_STATE_SENDING)
      << "BUG sender.cc RESOURCE_EXHAUSTED give-up: MarkFailed(r, 0, ...) "
         "leaves the part SENDING";
}

TEST_F(SenderTest, BackoffDoublesBetweenNotNowAnswers) {
  // SenderOptions: first_backoff, then twice the previous delay.
  options_.max_attempts = 1000;
  options_.first_backoff = absl::Milliseconds(150);
  options_.max_backoff = absl::Hours(1);
  gateway_.Fail({absl::StatusCode::kResourceExhausted, -1, "", 0});
  Queue(kCaseA);
  StartSender();
  ASSERT_TRUE(WaitUntil([this] { return gateway_.send_calls() >= 3; }));
  sender_->Stop();
  std::vector<FakeGateway::Call> calls = gateway_.calls();
  EXPECT_GE(calls[1].at - calls[0].at, options_.first_backoff);
  EXPECT_GE(calls[2].at - calls[1].at, 2 * options_.first_backoff)
      << "the second wait is twice the first";
}

TEST_F(SenderTest, RefusedPartFailsTheMessageAndSendsNoMore) {
  // gateway.h: any other code refuses the part for good; events.proto
  // SmsFailed names the refused part.
  std::string id = QueueLong(kCaseA);
  gateway_.Fail({absl::StatusCode::kInvalidArgument, 1, id, 2});
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_FAILED));
  sender_->Stop();
  EXPECT_EQ(gateway_.send_calls(), 2) << "part 3 is not tried";
  SmsRecord record = Load(id);
  ASSERT_EQ(record.message().part_states_size(), 3);
  EXPECT_EQ(record.message().part_states(1).state(),
            caserelay::v1::SMS_PART_STATE_FAILED);
  EXPECT_EQ(record.message().part_states(2).state(),
            caserelay::v1::SMS_PART_STATE_PENDING);
  EXPECT_FALSE(InQueue(id));
  std::vector<Envelope> failed = Outcomes(id, Envelope::kSmsFailed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].event_id(), id + "/failed/2");
  EXPECT_EQ(failed[0].sms_failed().part(), 2);
  EXPECT_EQ(failed[0].sms_failed().parts(), 3);
  EXPECT_THAT(failed[0].sms_failed().reason(), HasSubstr("refused"));
  EXPECT_EQ(Counter("caserelay_sms_failed_total"), 1u);
}

TEST_F(SenderTest, NoAnswerMakesTheMessageUnknownAndNeverResendsIt) {
  // gateway.h UNKNOWN: "never retried blindly"; issue 5 item 4: an honest
  // "unknown — reconcile" state, for a delivery report or an operator.
  std::string id = QueueLong(kCaseA);
  gateway_.Fail({absl::StatusCode::kUnknown, 1, id, 2});
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_UNKNOWN));
  // A later message goes through: the sender looked at the queue again.
  std::string later = Queue(kCaseB);
  ASSERT_TRUE(WaitForState(later, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();

  EXPECT_THAT(Indices(gateway_.sent(id)), ElementsAre(1));
  EXPECT_EQ(gateway_.send_calls(), 3) << "a1, a2 unanswered, b1";
  SmsRecord record = Load(id);
  EXPECT_EQ(record.message().state(), caserelay::v1::SMS_STATE_UNKNOWN);
  ASSERT_EQ(record.message().part_states_size(), 3);
  EXPECT_EQ(record.message().part_states(1).state(),
            caserelay::v1::SMS_PART_STATE_UNKNOWN);
  EXPECT_THAT(record.message().last_error(), HasSubstr("sms-resolve"));
  EXPECT_FALSE(InQueue(id));
  EXPECT_TRUE(Outcomes(id, Envelope::kSmsSent).empty());
  EXPECT_TRUE(Outcomes(id, Envelope::kSmsFailed).empty());
  EXPECT_EQ(Counter("caserelay_sms_unknown_total"), 1u);
}

}  // namespace
}  // namespace caserelay::notification
