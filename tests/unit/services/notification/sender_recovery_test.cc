// The Sender after a crash: a message left SENDING with part k in flight is
// reconciled with the gateway (SmsGateway::Find), never re-sent blindly
// (DESIGN.md "Side effects outside Kafka": "a crash in between is
// reconciled, never blindly re-sent"; issue 5 item 4). Parts before k were
// taken and are never sent again.

#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/message_rules.h"
#include "services/notification/sender.h"
#include "tests/unit/services/notification/sender_fixture.h"

namespace caserelay::notification {
namespace {

using caserelay::v1::Envelope;
using caserelay::v1::SmsRecord;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::Pair;

struct RecoveryCase {
  FakeGateway::FindAnswer find;
  std::vector<int> sent;  // the parts sent after the restart
  caserelay::v1::SmsState state;
  std::string rule;
};

void PrintTo(const RecoveryCase& c, std::ostream* os) { *os << c.rule; }

class RecoveryTest : public SenderTest,
                     public ::testing::WithParamInterface<RecoveryCase> {};

TEST_P(RecoveryTest, PartLeftSendingIsAskedOfTheGatewayNeverResentBlindly) {
  const RecoveryCase& c = GetParam();
  std::string id = QueueLong(kCaseA);
  LeaveSending(id, 2);  // part 1 taken, part 2 in flight, part 3 pending
  gateway_.SetFindAnswer(c.find);
  MakeSender();
  ASSERT_EQ(sender_->Start().code(), absl::StatusCode::kOk);
  if (c.state == caserelay::v1::SMS_STATE_SENT) {
    ASSERT_TRUE(WaitForState(id, c.state)) << c.rule;
  } else {
    // Settled inside Start(); a later message shows the sender went past.
    EXPECT_EQ(Load(id).message().state(), c.state) << c.rule;
    std::string later = Queue(kCaseB);
    ASSERT_TRUE(WaitForState(later, caserelay::v1::SMS_STATE_SENT));
  }
  sender_->Stop();

  EXPECT_THAT(gateway_.finds(), ElementsAre(Pair(id, 2))) << c.rule;
  EXPECT_THAT(Indices(gateway_.sent(id)), ElementsAreArray(c.sent))
      << c.rule << "; part 1 is never sent again";
  SmsRecord record = Load(id);
  EXPECT_EQ(record.message().state(), c.state) << c.rule;
  EXPECT_EQ(Outcomes(id, Envelope::kSmsSent).size(),
            c.state == caserelay::v1::SMS_STATE_SENT ? 1u : 0u);
  EXPECT_EQ(InQueue(id), false) << "finished or unknown: off the queue";
  ASSERT_EQ(record.message().part_states_size(), 3);
  EXPECT_EQ(record.message().part_states(0).gateway_message_id(),
            FakeGatewayId(id, 1));
  if (c.find == FakeGateway::FindAnswer::kFound) {
    EXPECT_EQ(record.message().part_states(1).gateway_message_id(),
              FakeGatewayId(id, 2))
        << "the id Find gave";
  }
}

INSTANTIATE_TEST_SUITE_P(
    FindAnswers, RecoveryTest,
    ::testing::Values(
        RecoveryCase{FakeGateway::FindAnswer::kFound,
                     {3},
                     caserelay::v1::SMS_STATE_SENT,
                     "found: the gateway has part 2, so only part 3 goes"},
        RecoveryCase{FakeGateway::FindAnswer::kNotFound,
                     {2, 3},
                     caserelay::v1::SMS_STATE_SENT,
                     "not found: the gateway certainly never got part 2, "
                     "so it goes again, then part 3"},
        RecoveryCase{FakeGateway::FindAnswer::kUnimplemented,
                     {},
                     caserelay::v1::SMS_STATE_UNKNOWN,
                     "cannot tell: UNKNOWN, for a delivery report or an "
                     "operator; nothing is sent"}));

TEST_F(SenderTest, PartLeftSendingThatCannotBeToldIsCountedUnknown) {
  // sender.h: UNKNOWN when the gateway cannot tell; the metric shows it.
  std::string id = QueueLong(kCaseA);
  LeaveSending(id, 2);
  gateway_.SetFindAnswer(FakeGateway::FindAnswer::kUnimplemented);
  MakeSender();
  ASSERT_EQ(sender_->Start().code(), absl::StatusCode::kOk);
  sender_->Stop();
  SmsRecord record = Load(id);
  EXPECT_EQ(record.message().part_states(1).state(),
            caserelay::v1::SMS_PART_STATE_UNKNOWN);
  EXPECT_THAT(record.message().last_error(), ::testing::HasSubstr("part 2"));
  EXPECT_EQ(Counter("caserelay_sms_unknown_total"), 1u);
}

TEST_F(SenderTest, GatewayThatCannotAnswerFindNowIsAskedAgainNothingSent) {
  // gateway.h Find: UNAVAILABLE "if it cannot answer now": the part stays
  // SENDING and nothing is sent until the gateway can tell.
  std::string id = QueueLong(kCaseA);
  LeaveSending(id, 2);
  gateway_.SetFindAnswer(FakeGateway::FindAnswer::kUnavailable);
  StartSender();
  ASSERT_TRUE(WaitUntil([this] { return gateway_.finds().size() >= 2; }))
      << "asked again";
  EXPECT_EQ(gateway_.send_calls(), 0);
  EXPECT_EQ(Load(id).message().state(), caserelay::v1::SMS_STATE_SENDING);
  EXPECT_EQ(Load(id).message().part_states(1).state(),
            caserelay::v1::SMS_PART_STATE_SENDING);

  gateway_.SetFindAnswer(FakeGateway::FindAnswer::kNotFound);
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();
  EXPECT_THAT(Indices(gateway_.sent(id)), ElementsAre(2, 3));
  for (const auto& [message, index] : gateway_.finds()) {
    EXPECT_EQ(index, 2) << message;
  }
}

// ---- a delivery report that overtakes the gateway's answer ------------------

// Applies, from the gateway call's hook, a delivery report of part 1 as
// the admin HTTP thread would (delivery_reports.h): the SMSC can report a
// part before the sender has the gateway's answer (or its time-out).
void DeliverFirstPartDuringTheCall(MessageBook& book, FakeGateway& gateway) {
  gateway.OnSend([&book](const OutgoingPart& part) {
    if (part.index != 1) return;
    PartReport report;
    report.message_id = part.message_id;
    report.part = 1;
    report.parts = part.total;
    report.outcome = ReportOutcome::kDelivered;
    report.detail = "DELIVRD";
    auto applied = book.Update(
        part.message_id, [&](SmsRecord& r) -> absl::StatusOr<Change> {
          return ApplyReport(r, report, "fake", absl::Now());
        });
    EXPECT_TRUE(applied.ok()) << applied.status();
  });
}

TEST_F(SenderTest, DeliveryReportBeforeTheGatewaysAnswerIsKept) {
  // message_rules.h MarkPartAccepted: "A report that came first and moved
  // the part further is kept".
  std::string id = Queue(kCaseA);
  DeliverFirstPartDuringTheCall(*book_, gateway_);
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_DELIVERED));
  sender_->Stop();
  EXPECT_EQ(Load(id).message().part_states(0).state(),
            caserelay::v1::SMS_PART_STATE_DELIVERED);
  EXPECT_EQ(Outcomes(id, Envelope::kSmsSent).size(), 1u);
  EXPECT_EQ(Outcomes(id, Envelope::kSmsDelivered).size(), 1u);
  EXPECT_FALSE(InQueue(id));
}

TEST_F(SenderTest, DeliveryReportBeforeANoAnswerIsKept) {
  // The part is on the handset (the report says so) although the gateway's
  // answer never came (UNKNOWN): the message is delivered, not UNKNOWN — an
  // operator's RESEND of it would send a delivered SMS a second time
  // (issue 5 item 4: exactly once).
  std::string id = Queue(kCaseA);
  gateway_.FailNext(1, absl::StatusCode::kUnknown);
  DeliverFirstPartDuringTheCall(*book_, gateway_);
  StartSender();
  ASSERT_TRUE(WaitUntil([&] { return gateway_.send_calls() == 1; }));
  std::string later = Queue(kCaseB);
  ASSERT_TRUE(WaitForState(later, caserelay::v1::SMS_STATE_DELIVERED));
  sender_->Stop();
  SmsRecord record = Load(id);
  EXPECT_EQ(record.message().part_states(0).state(),
            caserelay::v1::SMS_PART_STATE_DELIVERED)
      << "a report never moves a part back (message_rules.h MarkPartUnknown)";
  EXPECT_EQ(record.message().state(), caserelay::v1::SMS_STATE_DELIVERED);
  EXPECT_EQ(Outcomes(id, Envelope::kSmsSent).size(), 1u);
}

// ---- an operator's decision, then the sender --------------------------------

TEST_F(SenderTest, OperatorResendSendsTheUnknownPartAgainNeverTakenOnes) {
  // notification.proto SMS_RESOLUTION_RESEND: "the unknown parts are sent
  // again"; the parts the gateway took are not.
  std::string id = QueueLong(kCaseA);
  gateway_.Fail({absl::StatusCode::kUnknown, 1, id, 2});
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_UNKNOWN));

  caserelay::v1::ResolveMessageRequest req;
  req.set_message_id(id);
  req.set_resolution(caserelay::v1::SMS_RESOLUTION_RESEND);
  req.set_note("SMSC has no record of part 2");
  caserelay::v1::ResolveMessageResponse resp;
  grpc::Status s = service_->ResolveMessage(nullptr, &req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();
  EXPECT_THAT(Indices(gateway_.sent(id)), ElementsAre(1, 2, 3));
  EXPECT_EQ(gateway_.send_calls(), 4) << "1, 2 unanswered, 2, 3";
  EXPECT_EQ(Outcomes(id, Envelope::kSmsSent).size(), 1u);
}

}  // namespace
}  // namespace caserelay::notification
