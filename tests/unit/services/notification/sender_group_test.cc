// 群体访 / 联名 (issue 18 item 3): "the SMS going to the representatives".
// Each SMS-bearing event of a group petition queues one message per
// representative (REGISTER.representatives), each sent to that
// representative's phone exactly once, with "sending" records of its own,
// so a crash in one representative's message neither re-sends it blindly
// nor holds back, or repeats, the others'.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/notification_service.h"
#include "services/notification/sender.h"
#include "tests/unit/services/notification/sender_fixture.h"

namespace caserelay::notification {
namespace {

using caserelay::v1::Envelope;
using ::testing::ElementsAre;
using ::testing::Pair;

const std::vector<std::string> kPhones = {"13800138000", "13900139001",
                                          "13900139002"};

class SenderGroupTest : public SenderTest {
 protected:
  void SetUp() override {
    SenderTest::SetUp();
    absl::MutexLock lock(&intake_.mu);
    intake_.representative_phones = kPhones;
  }
  // REGISTER of `case_id` by a group of three representatives and 40
  // persons, decided `disposition`.
  static Envelope GroupRegister(const std::string& case_id,
                                caserelay::v1::Disposition disposition =
                                    caserelay::v1::DISPOSITION_TRANSFER) {
    Envelope e = RegisterFor(case_id, disposition);
    e.mutable_case_event()->set_representatives(3);
    e.mutable_case_event()->set_head_count(40);
    return e;
  }
  std::vector<std::string> Ids(const Envelope& event) {
    return {SmsMessageId(event.event_id(), 0), SmsMessageId(event.event_id(), 1),
            SmsMessageId(event.event_id(), 2)};
  }
};

TEST_F(SenderGroupTest, EachRepresentativeGetsTheReceiptOnceAtTheirPhone) {
  const Envelope reg = GroupRegister(kCaseA);
  EXPECT_EQ(QueueEvent(reg), "routing/" + std::string(kCaseA) + "/1/sms");
  // A redelivery queues nothing new (the event's messages exist).
  QueueEvent(reg);
  const std::vector<std::string> ids = Ids(reg);
  EXPECT_EQ(ids[1], "routing/" + std::string(kCaseA) + "/1/sms/1");
  for (int r = 0; r < 3; ++r) {
    caserelay::v1::SmsRecord record = Load(ids[r]);
    EXPECT_EQ(record.representative(), r);
    EXPECT_EQ(record.message().trigger(), "received");
    EXPECT_TRUE(InQueue(ids[r]));
  }
  EXPECT_EQ(t_->Published("notification-events").size(), 3u)
      << "one SmsQueued per representative, none for the redelivery";
  // A later event of the case tells every representative too.
  const std::string transferred =
      QueueLater(kCaseA, 2, caserelay::v1::CASE_ACTION_TRANSFER);

  StartSender();
  for (const std::string& id : ids) {
    ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT)) << id;
  }
  for (int r = 0; r < 3; ++r) {
    ASSERT_TRUE(WaitForState(
        SmsMessageId(absl::StrCat("routing/", kCaseA, "/2"), r),
        caserelay::v1::SMS_STATE_SENT))
        << r;
  }
  sender_->Stop();
  for (int r = 0; r < 3; ++r) {
    std::vector<OutgoingPart> parts = gateway_.sent(ids[r]);
    ASSERT_EQ(parts.size(), 1u) << r;
    EXPECT_EQ(parts[0].phone, kPhones[r]) << r;
    EXPECT_EQ(Outcomes(ids[r], Envelope::kSmsSent).size(), 1u) << r;
  }
  EXPECT_EQ(gateway_.sent().size(), 6u) << "2 events x 3 representatives";
  absl::MutexLock lock(&intake_.mu);
  std::vector<int> asked;
  for (const auto& req : intake_.requests) asked.push_back(req.representative());
  std::sort(asked.begin(), asked.end());
  asked.erase(std::unique(asked.begin(), asked.end()), asked.end());
  EXPECT_THAT(asked, ElementsAre(0, 1, 2))
      << "the contact of each representative, asked at send time";
}

TEST_F(SenderGroupTest, ACrashInOneRepresentativesMessageIsReconciledAlone) {
  // DESIGN.md "Side effects outside Kafka": a crash between "sending" and
  // the gateway's answer is reconciled, never blindly re-sent — per
  // representative (issue 18 item 3).
  const Envelope reg =
      GroupRegister(kCaseA, caserelay::v1::DISPOSITION_NOT_ACCEPTED);
  Envelope long_route = reg;
  long_route.mutable_case_event()->mutable_decision()->set_route(
      "向沁源县劳动人事争议仲裁委员会申请仲裁；对仲裁裁决不服的，可以自收到"
      "仲裁裁决书之日起十五日内向人民法院提起诉讼，或者依法向有权处理的机关"
      "提出");
  QueueEvent(long_route);
  const std::vector<std::string> ids = Ids(long_route);
  ASSERT_EQ(ExpectedParts(ids[1]).size(), 3u);
  LeaveSending(ids[1], 2);  // representative 1: part 1 taken, part 2 in flight
  gateway_.SetFindAnswer(FakeGateway::FindAnswer::kUnimplemented);
  MakeSender();
  ASSERT_EQ(sender_->Start().code(), absl::StatusCode::kOk);
  sender_->Wake();
  ASSERT_TRUE(WaitForState(ids[0], caserelay::v1::SMS_STATE_SENT));
  ASSERT_TRUE(WaitForState(ids[2], caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();

  EXPECT_THAT(gateway_.finds(), ElementsAre(Pair(ids[1], 2)))
      << "only the part left sending is asked of the gateway";
  EXPECT_TRUE(gateway_.sent(ids[1]).empty())
      << "representative 1's parts are never sent again blindly";
  EXPECT_EQ(Load(ids[1]).message().state(), caserelay::v1::SMS_STATE_UNKNOWN);
  for (int r : {0, 2}) {
    std::vector<OutgoingPart> parts = gateway_.sent(ids[r]);
    ASSERT_EQ(parts.size(), 3u) << r;
    for (const OutgoingPart& p : parts) EXPECT_EQ(p.phone, kPhones[r]) << r;
  }
}

TEST_F(SenderGroupTest, AnIndividualPetitionHasOneMessage) {
  const Envelope reg = RegisterFor(kCaseB);  // representatives unset: one
  QueueEvent(reg);
  EXPECT_TRUE(InQueue(SmsMessageId(reg.event_id(), 0)));
  EXPECT_EQ(t_->store().Get(kMessages, SmsMessageId(reg.event_id(), 1))
                ->has_value(),
            false);
  EXPECT_EQ(t_->Published("notification-events").size(), 1u);
}

}  // namespace
}  // namespace caserelay::notification
