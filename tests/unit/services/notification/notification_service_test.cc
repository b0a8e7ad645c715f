// NotificationServiceImpl: Apply turns case events into queued SMS, exactly
// once per event (DESIGN.md One recipe: replay produces the same ids),
// queued by case and event sequence (MessageBook::QueueKey), and keeps what
// a REGISTER said for the case's later events; a case's events apply in
// sequence order only, an event after a missing one answering
// SequenceGapError for the consume loop to hold (issue 22 item 5). Which
// trigger each action takes is sms_plan_test.cc; ResolveMessage is
// resolve_message_test.cc.

#include "services/notification/notification_service.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/service/held_events.h"
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

// Issue 14 item 5: a record on case-events that carries another payload
// is poison, refused (so dead-lettered with the reason), not skipped.
TEST_F(NotificationServiceTest, OtherPayloadsAreRefusedQueueingNothing) {
  Envelope e;
  e.set_event_id("supervision/x");
  e.set_case_id(kCase);
  e.mutable_deadline_missed()->set_deadline_id("d1");
  store::WriteBatch batch(&t_->store());
  absl::Status s = service_->Apply(e, batch);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "case-events: event supervision/x carries deadline_missed, not "
            "case_event");
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

TEST_F(NotificationServiceTest,
       EventWithoutSmsQueuesNothingButCountsInSequence) {
  ApplyAndCommit(RegisterFor(kCase));
  ApplyAndCommit(CaseEventFor(kCase, 2, caserelay::v1::CASE_ACTION_OBJECT));
  EXPECT_EQ(Keys(kMessages).size(), 1u);
  EXPECT_EQ(Keys(kQueue).size(), 1u);
  EXPECT_EQ(Queued().size(), 1u);
  EXPECT_EQ(LastSequence(kCase), "2") << "event 3 may follow it";
}

TEST_F(NotificationServiceTest, SmsEventOfAnUnregisteredCaseIsNotFound) {
  // Event 1 of a case that is no REGISTER (routing never sends one).
  store::WriteBatch batch(&t_->store());
  absl::Status s = service_->Apply(
      CaseEventFor(kCase, 1, caserelay::v1::CASE_ACTION_TRANSFER), batch);
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
  // event that queued the message, whatever order the cases arrived in
  // (a case's own events apply in sequence order only: gaps are held).
  const std::string other = "140431-20261122-000002";
  // Events 3 to 9 (OBJECT) queue nothing: 10's key must sort after 2's.
  ApplyAndCommit(RegisterFor(other));
  ApplyAndCommit(RegisterFor(kCase));
  ApplyAndCommit(CaseEventFor(kCase, 2, caserelay::v1::CASE_ACTION_TRANSFER));
  for (uint64_t seq = 3; seq <= 9; ++seq) {
    ApplyAndCommit(CaseEventFor(kCase, seq, caserelay::v1::CASE_ACTION_OBJECT));
  }
  ApplyAndCommit(CaseEventFor(kCase, 10, caserelay::v1::CASE_ACTION_ASSIGN));
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

// ---- per-case sequence (issue 22 item 5) -----------------------------------

// Event 3 before event 2 is a gap: not applied out of order (the consume
// loop holds it), nothing written.
TEST_F(NotificationServiceTest,
       EventAfterAMissingOneIsASequenceGapAndWritesNothing) {
  ApplyAndCommit(RegisterFor(kCase));
  store::WriteBatch batch(&t_->store());
  absl::Status gap = service_->Apply(
      CaseEventFor(kCase, 3, caserelay::v1::CASE_ACTION_ASSIGN), batch);
  EXPECT_EQ(gap.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(service::IsSequenceGap(gap)) << gap;
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(Keys(kMessages).size(), 1u);
  EXPECT_EQ(LastSequence(kCase), "1");
}

// What the consume loop does with it: once event 2 was applied, the held
// event 3 is offered again and queues its SMS, behind event 2's.
TEST_F(NotificationServiceTest, HeldEventAppliesOnceTheMissingOneCame) {
  ApplyAndCommit(RegisterFor(kCase));
  Envelope assign = CaseEventFor(kCase, 3, caserelay::v1::CASE_ACTION_ASSIGN);
  {
    store::WriteBatch batch(&t_->store());
    ASSERT_TRUE(service::IsSequenceGap(service_->Apply(assign, batch)));
  }
  // The missing event and the held one come in one batch, as in the loop.
  store::WriteBatch batch(&t_->store());
  ASSERT_EQ(
      service_
          ->Apply(CaseEventFor(kCase, 2, caserelay::v1::CASE_ACTION_TRANSFER),
                  batch)
          .code(),
      absl::StatusCode::kOk);
  ASSERT_EQ(service_->Apply(assign, batch).code(), absl::StatusCode::kOk);
  ASSERT_EQ(t_->publisher().Commit(batch).code(), absl::StatusCode::kOk);
  service_->Committed();

  auto queue = book_->Queue();
  ASSERT_TRUE(queue.ok()) << queue.status();
  std::vector<std::string> ids;
  for (const MessageBook::Queued& q : *queue) ids.push_back(q.message_id);
  const std::string prefix = "routing/" + std::string(kCase) + "/";
  EXPECT_THAT(ids, ::testing::ElementsAre(prefix + "1/sms", prefix + "2/sms",
                                          prefix + "3/sms"));
  EXPECT_EQ(LastSequence(kCase), "3");
}

// Whether an event applies, by the case's last applied sequence (as
// supervision decides it): each row, on a case of its own, applies `before`
// in order (each must be OK), then `event`.
TEST_F(NotificationServiceTest, SequenceDecidesWhetherAnEventApplies) {
  enum class Outcome { kApplied, kIgnored, kGap, kInvalid };
  struct Row {
    const char* name;
    std::vector<uint64_t> before;  // 1 is REGISTER, the rest TRANSFER
    uint64_t event;                // an ASSIGN with this sequence
    Outcome outcome;
    const char* last;  // the case's sequence after it ("" none)
  };
  const Row rows[] = {
      {"a case never seen starts at its REGISTER",
       {},
       1,
       Outcome::kApplied,
       "1"},
      {"a case never seen: event 2 waits for event 1",
       {},
       2,
       Outcome::kGap,
       ""},
      {"the next one applies", {1}, 2, Outcome::kApplied, "2"},
      {"one skipped is a gap", {1}, 3, Outcome::kGap, "1"},
      {"several skipped is a gap", {1, 2}, 7, Outcome::kGap, "2"},
      {"the last applied again is a duplicate",
       {1, 2},
       2,
       Outcome::kIgnored,
       "2"},
      {"an older one is a duplicate", {1, 2, 3}, 2, Outcome::kIgnored, "3"},
      {"no sequence is refused", {1}, 0, Outcome::kInvalid, "1"},
  };
  int n = 0;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const std::string case_id = "140431-20261122-10000" + std::to_string(++n);
    for (uint64_t seq : row.before) {
      ApplyAndCommit(seq == 1
                         ? RegisterFor(case_id)
                         : CaseEventFor(case_id, seq,
                                        caserelay::v1::CASE_ACTION_TRANSFER));
    }
    Envelope event = row.event == 1
                         ? RegisterFor(case_id)
                         : CaseEventFor(case_id, row.event,
                                        caserelay::v1::CASE_ACTION_ASSIGN);
    // Another event id than those before: a duplicate by sequence alone.
    event.set_event_id("routing/row/" + std::to_string(row.event));
    event.set_sequence(row.event);
    store::WriteBatch batch(&t_->store());
    absl::Status s = service_->Apply(event, batch);
    switch (row.outcome) {
      case Outcome::kApplied:
        EXPECT_EQ(s.code(), absl::StatusCode::kOk) << s;
        EXPECT_FALSE(batch.empty());
        break;
      case Outcome::kIgnored:
        EXPECT_EQ(s.code(), absl::StatusCode::kOk) << s;
        EXPECT_TRUE(batch.empty());
        break;
      case Outcome::kGap:
        EXPECT_TRUE(service::IsSequenceGap(s)) << s;
        EXPECT_TRUE(batch.empty());
        break;
      case Outcome::kInvalid:
        EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
        EXPECT_FALSE(service::IsSequenceGap(s));
        EXPECT_TRUE(batch.empty());
        break;
    }
    if (s.ok()) {
      ASSERT_EQ(t_->publisher().Commit(batch).code(), absl::StatusCode::kOk);
    }
    EXPECT_EQ(LastSequence(case_id), row.last);
  }
}

// A store from before sequences were recorded knows an open case (its
// REGISTER) but not where it is: its next event applies whatever its
// sequence, and the case counts from there.
TEST_F(NotificationServiceTest, CaseStoredWithoutSequenceIsNotHeld) {
  ApplyAndCommit(RegisterFor(kCase));
  store::WriteBatch old(&t_->store());
  old.Delete(kSequences, kCase);
  ASSERT_EQ(t_->publisher().Commit(old).code(), absl::StatusCode::kOk);

  Envelope transfer =
      CaseEventFor(kCase, 5, caserelay::v1::CASE_ACTION_TRANSFER);
  ApplyAndCommit(transfer);
  EXPECT_EQ(Message(transfer.event_id() + "/sms").message().trigger(),
            "transferred");
  EXPECT_EQ(LastSequence(kCase), "5");

  store::WriteBatch batch(&t_->store());
  absl::Status gap = service_->Apply(
      CaseEventFor(kCase, 7, caserelay::v1::CASE_ACTION_ASSIGN), batch);
  EXPECT_TRUE(service::IsSequenceGap(gap)) << gap;
  EXPECT_TRUE(batch.empty());
}

}  // namespace
}  // namespace caserelay::notification
