// NotificationServiceImpl: Apply turns case events into queued SMS, exactly
// once per event (DESIGN.md One recipe: replay produces the same ids),
// queued by case and event sequence (MessageBook::QueueKey), and keeps what
// a REGISTER said for the case's later events. Which trigger each action
// takes is sms_plan_test.cc; ResolveMessage is resolve_message_test.cc.

#include "services/notification/notification_service.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/message_book.h"
#include "tests/unit/services/notification/fakes.h"
#include "tests/unit/services/notification/service_fixture.h"

namespace caserelay::notification {
namespace {

using caserelay::v1::Envelope;
using caserelay::v1::SmsRecord;

TEST_F(NotificationServiceTest, RegisterQueuesExactlyOneReceiptMessage) {
  Envelope routed = RegisterFor(kCase);
  ApplyAndCommit(routed);
  const std::string id = routed.event_id() + "/sms";

  EXPECT_THAT(Keys(kMessages), ::testing::ElementsAre(id));
  EXPECT_THAT(Keys(kCases), ::testing::ElementsAre(kCase));
  EXPECT_THAT(Keys(kQueue),
              ::testing::ElementsAre(MessageBook::QueueKey(kCase, 1, id)));
  EXPECT_THAT(Keys(kByCase),
              ::testing::ElementsAre(std::string(kCase) + "/" + id));

  auto raw = t_->store().Get(kMessages, id);
  ASSERT_TRUE(raw.ok() && raw->has_value());
  SmsRecord record;
  ASSERT_TRUE(record.ParseFromString(**raw));
  EXPECT_EQ(record.message().state(), caserelay::v1::SMS_STATE_QUEUED);
  EXPECT_EQ(record.message().trigger(), "received");
  EXPECT_EQ(record.message().case_id(), kCase);
  EXPECT_EQ(record.petitioner().id(), std::string("P") + kCase);
  EXPECT_EQ(record.vars().at("case_number"), kCase);
  EXPECT_EQ(record.queue_key(), MessageBook::QueueKey(kCase, 1, id));
  EXPECT_EQ(record.message().attempts(), 0);
  EXPECT_EQ(record.message().part_states_size(), 0) << "rendered at send time";
  EXPECT_TRUE(record.message().phone_masked().empty())
      << "no personal data is stored here";

  std::vector<Envelope> queued = Queued();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].event_id(), id + "/queued");
  EXPECT_EQ(queued[0].case_id(), kCase);
  EXPECT_EQ(queued[0].sms_queued().message_id(), id);
  EXPECT_EQ(queued[0].sms_queued().trigger(), "received");
  EXPECT_EQ(wakes_, 1) << "the sender is woken after the commit";
}

TEST_F(NotificationServiceTest, SameEventAppliedAgainQueuesNothing) {
  Envelope routed = RegisterFor(kCase);
  ApplyAndCommit(routed);

  store::WriteBatch batch(&t_->store());
  ASSERT_EQ(service_->Apply(routed, batch).code(), absl::StatusCode::kOk);
  EXPECT_TRUE(batch.empty()) << "a redelivered event must write nothing";
  ASSERT_EQ(t_->publisher().Commit(batch).code(), absl::StatusCode::kOk);
  service_->Committed();

  EXPECT_EQ(Keys(kMessages).size(), 1u);
  EXPECT_EQ(Keys(kQueue).size(), 1u);
  EXPECT_EQ(Queued().size(), 1u);
  EXPECT_EQ(wakes_, 1) << "nothing new queued: no wake";
}

TEST_F(NotificationServiceTest, SameEventTwiceInOneBatchQueuesOnce) {
  // A poll may bring a duplicate in the same batch; Apply reads through it.
  Envelope routed = RegisterFor(kCase);
  store::WriteBatch batch(&t_->store());
  ASSERT_EQ(service_->Apply(routed, batch).code(), absl::StatusCode::kOk);
  ASSERT_EQ(service_->Apply(routed, batch).code(), absl::StatusCode::kOk);
  ASSERT_EQ(t_->publisher().Commit(batch).code(), absl::StatusCode::kOk);
  service_->Committed();
  EXPECT_EQ(Keys(kMessages).size(), 1u);
  EXPECT_EQ(Queued().size(), 1u);
}

TEST_F(NotificationServiceTest, SentMessageIsNotQueuedAgainByAReplay) {
  // After the sender finished, the message has left "queue"; a replay of
  // the event must not put it back.
  Envelope routed = RegisterFor(kCase);
  ApplyAndCommit(routed);
  const std::string id = routed.event_id() + "/sms";
  store::WriteBatch done(&t_->store());
  done.Delete(kQueue, Message(id).queue_key());
  ASSERT_EQ(t_->publisher().Commit(done).code(), absl::StatusCode::kOk);

  ApplyAndCommit(routed);
  EXPECT_TRUE(Keys(kQueue).empty());
  EXPECT_EQ(Queued().size(), 1u);
}

TEST_F(NotificationServiceTest, EventsWithoutAnSmsQueueNothing) {
  Envelope e;
  e.set_event_id("supervision/x");
  e.set_case_id(kCase);
  e.mutable_deadline_missed()->set_deadline_id("d1");
  store::WriteBatch batch(&t_->store());
  EXPECT_EQ(service_->Apply(e, batch).code(), absl::StatusCode::kOk);
  EXPECT_TRUE(batch.empty());
}

TEST_F(NotificationServiceTest, EachCaseGetsItsOwnMessage) {
  ApplyAndCommit(RegisterFor(kCase));
  ApplyAndCommit(RegisterFor("140431-20261122-000002"));
  EXPECT_EQ(Keys(kMessages).size(), 2u);
  EXPECT_EQ(Queued().size(), 2u);
  EXPECT_EQ(wakes_, 2);
}

TEST_F(NotificationServiceTest, ListMessagesShowsTheCaseMessagesOnly) {
  ApplyAndCommit(RegisterFor(kCase));
  ApplyAndCommit(RegisterFor("140431-20261122-000002"));
  caserelay::v1::ListMessagesRequest req;
  req.set_case_id(kCase);
  caserelay::v1::ListMessagesResponse resp;
  grpc::Status s = service_->ListMessages(nullptr, &req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(resp.messages_size(), 1);
  EXPECT_EQ(resp.messages(0).case_id(), kCase);
  EXPECT_EQ(resp.messages(0).state(), caserelay::v1::SMS_STATE_QUEUED);
}

TEST_F(NotificationServiceTest, ListMessagesWithoutCaseIdIsInvalidArgument) {
  caserelay::v1::ListMessagesRequest req;
  caserelay::v1::ListMessagesResponse resp;
  grpc::Status s = service_->ListMessages(nullptr, &req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), ::testing::StartsWith("case_id"));
}

TEST_F(NotificationServiceTest, LaterEventGoesToTheRegisteredPetitioner) {
  // Only REGISTER names the petitioner; later events are told to them.
  ApplyAndCommit(RegisterFor(kCase));
  Envelope transfer =
      CaseEventFor(kCase, 2, caserelay::v1::CASE_ACTION_TRANSFER);
  ApplyAndCommit(transfer);
  SmsRecord record = Message(transfer.event_id() + "/sms");
  EXPECT_EQ(record.message().trigger(), "transferred");
  EXPECT_EQ(record.petitioner().id(), std::string("P") + kCase);
  EXPECT_EQ(record.vars().at("office_name"), "沁源县人力资源和社会保障局");
  EXPECT_EQ(Queued().size(), 2u) << "one message per event";
}

TEST_F(NotificationServiceTest, RegisterAndLaterEventInOneBatchBothQueue) {
  store::WriteBatch batch(&t_->store());
  ASSERT_EQ(service_->Apply(RegisterFor(kCase), batch).code(),
            absl::StatusCode::kOk);
  ASSERT_EQ(
      service_
          ->Apply(CaseEventFor(kCase, 2, caserelay::v1::CASE_ACTION_ASSIGN),
                  batch)
          .code(),
      absl::StatusCode::kOk);
  ASSERT_EQ(t_->publisher().Commit(batch).code(), absl::StatusCode::kOk);
  EXPECT_EQ(Keys(kMessages).size(), 2u);
}

TEST_F(NotificationServiceTest, AccusationReasonNeverReachesTheSms) {
  // DOMAIN.md Notifying: "An SMS carries no accusation content". The
  // matter class is only on REGISTER; a later DECLINE must still know it.
  ApplyAndCommit(RegisterFor(kCase, caserelay::v1::DISPOSITION_TRANSFER,
                             caserelay::v1::MATTER_CLASS_ACCUSATION));
  Envelope decline = CaseEventFor(kCase, 2, caserelay::v1::CASE_ACTION_DECLINE);
  decline.mutable_case_event()->set_reason(
      "举报的王某某受贿一事不属本机关管辖");
  decline.mutable_case_event()->set_route("向县纪委监委提出");
  ApplyAndCommit(decline);
  SmsRecord record = Message(decline.event_id() + "/sms");
  // An office's 不予受理 without a ground: out of scope (issue 23 item 5).
  EXPECT_EQ(record.message().trigger(), "not_accepted_out_of_scope");
  EXPECT_EQ(record.vars().at("reason"), SmsTexts().reason_neutral);
  for (const auto& [name, value] : record.vars()) {
    EXPECT_THAT(value, ::testing::Not(::testing::HasSubstr("王某某"))) << name;
  }
}

TEST_F(NotificationServiceTest, ClaimReasonIsTold) {
  ApplyAndCommit(RegisterFor(kCase));
  Envelope decline = CaseEventFor(kCase, 2, caserelay::v1::CASE_ACTION_DECLINE);
  decline.mutable_case_event()->set_reason("该事项已进入诉讼程序");
  decline.mutable_case_event()->set_route("向人民法院了解审理进展");
  ApplyAndCommit(decline);
  SmsRecord record = Message(decline.event_id() + "/sms");
  EXPECT_EQ(record.vars().at("reason"), "该事项已进入诉讼程序");
  EXPECT_EQ(record.vars().at("route"), "向人民法院了解审理进展");
}

TEST_F(NotificationServiceTest, EventWithoutSmsWritesNothing) {
  ApplyAndCommit(RegisterFor(kCase));
  store::WriteBatch batch(&t_->store());
  ASSERT_EQ(
      service_
          ->Apply(CaseEventFor(kCase, 2, caserelay::v1::CASE_ACTION_OBJECT),
                  batch)
          .code(),
      absl::StatusCode::kOk);
  EXPECT_TRUE(batch.empty());
}

TEST_F(NotificationServiceTest, SmsEventOfAnUnregisteredCaseIsNotFound) {
  store::WriteBatch batch(&t_->store());
  absl::Status s = service_->Apply(
      CaseEventFor(kCase, 2, caserelay::v1::CASE_ACTION_TRANSFER), batch);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(s.message(), ::testing::HasSubstr(kCase));
  EXPECT_TRUE(batch.empty()) << "check first, then write";
}

TEST_F(NotificationServiceTest, RegisterWithoutPetitionerIsInvalidArgument) {
  Envelope e = RegisterFor(kCase);
  e.mutable_case_event()->clear_petitioner();
  store::WriteBatch batch(&t_->store());
  absl::Status s = service_->Apply(e, batch);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), ::testing::HasSubstr("petitioner.id"));
  EXPECT_TRUE(batch.empty());
}

TEST_F(NotificationServiceTest,
       AcceptWithoutHandlingDeadlineIsFailedPrecondition) {
  ApplyAndCommit(RegisterFor(kCase));
  store::WriteBatch batch(&t_->store());
  absl::Status s = service_->Apply(
      CaseEventFor(kCase, 2, caserelay::v1::CASE_ACTION_ACCEPT), batch);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(batch.empty());
}

TEST_F(NotificationServiceTest, ViewHintComesFromTheSettings) {
  SmsTexts texts;
  texts.view_hint = "关注“山西信访”微信公众号查看";
  service_ = std::make_unique<NotificationServiceImpl>(
      t_->context(), book_.get(), "fake", [this] { ++wakes_; }, texts);
  ApplyAndCommit(RegisterFor(kCase));
  Envelope reply = CaseEventFor(kCase, 2, caserelay::v1::CASE_ACTION_REPLY);
  ApplyAndCommit(reply);
  SmsRecord record = Message(reply.event_id() + "/sms");
  EXPECT_EQ(record.message().trigger(), "replied");
  EXPECT_EQ(record.vars().at("view_hint"), "关注“山西信访”微信公众号查看");
}

// ---- the queue: by case, then by the event's sequence -----------------------

TEST(QueueKeyTest, OrdersByCaseThenSequenceThenMessage) {
  // records.proto SmsRecord.queue_key: "so that a case's messages go out
  // in the order of its events"; the sequence is zero-padded, so 10 > 9.
  const std::vector<std::string> ordered = {
      MessageBook::QueueKey("140431-20261122-000001", 2, "z"),
      MessageBook::QueueKey("140431-20261122-000001", 9, "a"),
      MessageBook::QueueKey("140431-20261122-000001", 10, "a"),
      MessageBook::QueueKey("140431-20261122-000001", 10, "b"),
      MessageBook::QueueKey("140431-20261122-000002", 1, "a"),
      MessageBook::QueueKey("140431-20261122-0000021", 1, "a"),
  };
  for (size_t i = 1; i < ordered.size(); ++i) {
    EXPECT_LT(ordered[i - 1], ordered[i]) << "row " << i;
  }
  EXPECT_EQ(MessageBook::CaseOfQueueKey(ordered[3]), "140431-20261122-000001");
  EXPECT_EQ(MessageBook::CaseOfQueueKey(ordered[5]), "140431-20261122-0000021");
}

TEST_F(NotificationServiceTest, QueueHoldsMessagesByCaseThenEventSequence) {
  // message_book.h: the queue orders by case, then the sequence of the
  // event that queued the message, whatever the order they arrived in.
  const std::string other = "140431-20261122-000002";
  ApplyAndCommit(RegisterFor(other));
  ApplyAndCommit(RegisterFor(kCase));
  ApplyAndCommit(CaseEventFor(kCase, 10, caserelay::v1::CASE_ACTION_ASSIGN));
  ApplyAndCommit(CaseEventFor(kCase, 2, caserelay::v1::CASE_ACTION_TRANSFER));
  auto queue = book_->Queue();
  ASSERT_TRUE(queue.ok()) << queue.status();
  std::vector<std::string> ids;
  for (const MessageBook::Queued& q : *queue) {
    EXPECT_EQ(q.key, Message(q.message_id).queue_key());
    ids.push_back(q.message_id);
  }
  EXPECT_THAT(
      ids, ::testing::ElementsAre("routing/" + std::string(kCase) + "/1/sms",
                                  "routing/" + std::string(kCase) + "/2/sms",
                                  "routing/" + std::string(kCase) + "/10/sms",
                                  "routing/" + other + "/1/sms"));
}

}  // namespace
}  // namespace caserelay::notification
