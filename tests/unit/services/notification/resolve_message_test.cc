// NotificationServiceImpl::ResolveMessage: an operator's decision on a
// message whose fate is unknown (issue 5 item 4: "A crash between the
// gateway call and its record is reconciled (by delivery report or an
// operator decision), never blindly re-sent"; notification.proto
// SmsResolution). The sender's side of it is sender_recovery_test.cc.

#include <string>
#include <vector>

#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/notification.pb.h"
#include "caserelay/v1/records.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/notification_service.h"
#include "tests/unit/services/notification/service_fixture.h"

namespace caserelay::notification {
namespace {

using caserelay::v1::Envelope;
using caserelay::v1::SmsRecord;

TEST_F(NotificationServiceTest, ResolveOfAnUnknownIdIsNotFound) {
  caserelay::v1::ResolveMessageResponse resp;
  grpc::Status s =
      Resolve("routing/nope/1/sms", caserelay::v1::SMS_RESOLUTION_SENT,
              "checked", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << s.error_message();
}

TEST_F(NotificationServiceTest, ResolveWithoutMessageIdIsInvalidArgument) {
  caserelay::v1::ResolveMessageResponse resp;
  grpc::Status s =
      Resolve("", caserelay::v1::SMS_RESOLUTION_SENT, "checked", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), ::testing::StartsWith("message_id"));
}

TEST_F(NotificationServiceTest,
       ResolveOfAMessageNotUnknownIsFailedPrecondition) {
  // notification.proto: FAILED_PRECONDITION unless the message is UNKNOWN.
  Envelope routed = RegisterFor(kCase);
  ApplyAndCommit(routed);
  const std::string id = routed.event_id() + "/sms";
  const std::string before = Message(id).SerializeAsString();
  caserelay::v1::ResolveMessageResponse resp;
  grpc::Status s =
      Resolve(id, caserelay::v1::SMS_RESOLUTION_SENT, "checked", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), ::testing::HasSubstr("QUEUED"));
  EXPECT_EQ(Message(id).SerializeAsString(), before) << "nothing changed";
  EXPECT_TRUE(Published(Envelope::kSmsSent).empty());
}

TEST_F(NotificationServiceTest,
       ResolveWithoutNoteOrResolutionIsInvalidArgument) {
  // notification.proto ResolveMessageRequest: the note (who decided and
  // why) and a resolution are required.
  const std::string id = QueuedUnknown(1, 1);
  struct Row {
    caserelay::v1::SmsResolution resolution;
    std::string note;
    std::string field;
  };
  for (const Row& row : {Row{caserelay::v1::SMS_RESOLUTION_SENT, "", "note"},
                         Row{caserelay::v1::SMS_RESOLUTION_UNSPECIFIED,
                             "checked", "resolution"}}) {
    caserelay::v1::ResolveMessageResponse resp;
    grpc::Status s = Resolve(id, row.resolution, row.note, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << row.field;
    EXPECT_THAT(s.error_message(), ::testing::StartsWith(row.field));
    EXPECT_EQ(Message(id).message().state(), caserelay::v1::SMS_STATE_UNKNOWN);
  }
  EXPECT_TRUE(Published(Envelope::kSmsSent).empty());
  EXPECT_TRUE(Published(Envelope::kSmsFailed).empty());
}

TEST_F(NotificationServiceTest, ResolveSentSettlesTheMessageWithOneSmsSent) {
  // SMS_RESOLUTION_SENT: the unknown part counts as taken; SmsSent once.
  const std::string id = QueuedUnknown(1, 1);
  const int wakes = wakes_;
  caserelay::v1::ResolveMessageResponse resp;
  grpc::Status s = Resolve(id, caserelay::v1::SMS_RESOLUTION_SENT,
                           "petitioner confirmed by phone", &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.message().state(), caserelay::v1::SMS_STATE_SENT);
  SmsRecord record = Message(id);
  EXPECT_EQ(record.message().state(), caserelay::v1::SMS_STATE_SENT);
  EXPECT_EQ(record.message().part_states(0).state(),
            caserelay::v1::SMS_PART_STATE_ACCEPTED);
  EXPECT_EQ(record.message().resolution_note(),
            "petitioner confirmed by phone");
  EXPECT_FALSE(InQueue(id));
  EXPECT_EQ(wakes_, wakes) << "nothing left to send";

  caserelay::v1::ResolveMessageResponse again;
  EXPECT_EQ(Resolve(id, caserelay::v1::SMS_RESOLUTION_SENT, "twice", &again)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  std::vector<Envelope> sent = Published(Envelope::kSmsSent);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].event_id(), id + "/sent");
  EXPECT_EQ(sent[0].sms_sent().message_id(), id);
  EXPECT_EQ(sent[0].sms_sent().gateway(), "fake");
  EXPECT_EQ(sent[0].sms_sent().parts(), 1);
}

TEST_F(NotificationServiceTest, ResolveSentOfAPartlySentMessageQueuesTheRest) {
  // notification.proto SMS_RESOLUTION_SENT: "parts never tried are sent".
  const std::string id = QueuedUnknown(3, 2);
  const int wakes = wakes_;
  caserelay::v1::ResolveMessageResponse resp;
  ASSERT_TRUE(
      Resolve(id, caserelay::v1::SMS_RESOLUTION_SENT, "SMSC log", &resp).ok());
  SmsRecord record = Message(id);
  EXPECT_EQ(record.message().state(), caserelay::v1::SMS_STATE_QUEUED);
  EXPECT_EQ(record.message().part_states(1).state(),
            caserelay::v1::SMS_PART_STATE_ACCEPTED);
  EXPECT_EQ(record.message().part_states(2).state(),
            caserelay::v1::SMS_PART_STATE_PENDING);
  EXPECT_TRUE(InQueue(id));
  EXPECT_EQ(wakes_, wakes + 1) << "the sender is woken for part 3";
  EXPECT_TRUE(Published(Envelope::kSmsSent).empty()) << "not every part yet";
}

TEST_F(NotificationServiceTest, ResolveResendPutsTheMessageBackOnTheQueue) {
  // SMS_RESOLUTION_RESEND: "the unknown parts are sent again".
  const std::string id = QueuedUnknown(1, 1);
  const int wakes = wakes_;
  caserelay::v1::ResolveMessageResponse resp;
  grpc::Status s = Resolve(id, caserelay::v1::SMS_RESOLUTION_RESEND,
                           "SMSC has no record of it", &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.message().state(), caserelay::v1::SMS_STATE_QUEUED);
  SmsRecord record = Message(id);
  EXPECT_EQ(record.message().state(), caserelay::v1::SMS_STATE_QUEUED);
  EXPECT_EQ(record.message().part_states(0).state(),
            caserelay::v1::SMS_PART_STATE_PENDING);
  EXPECT_TRUE(InQueue(id));
  EXPECT_EQ(wakes_, wakes + 1);
  EXPECT_TRUE(Published(Envelope::kSmsSent).empty());
  EXPECT_TRUE(Published(Envelope::kSmsFailed).empty());
}

TEST_F(NotificationServiceTest, ResolveAbandonFailsTheMessageWithSmsFailed) {
  // SMS_RESOLUTION_ABANDON: FAILED, SmsFailed with part 0 (events.proto).
  const std::string id = QueuedUnknown(1, 1);
  caserelay::v1::ResolveMessageResponse resp;
  ASSERT_TRUE(Resolve(id, caserelay::v1::SMS_RESOLUTION_ABANDON,
                      "number no longer in use", &resp)
                  .ok());
  EXPECT_EQ(Message(id).message().state(), caserelay::v1::SMS_STATE_FAILED);
  EXPECT_FALSE(InQueue(id));
  std::vector<Envelope> failed = Published(Envelope::kSmsFailed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].event_id(), id + "/failed");
  EXPECT_EQ(failed[0].sms_failed().part(), 0);
  EXPECT_EQ(failed[0].sms_failed().parts(), 1);
  EXPECT_THAT(failed[0].sms_failed().reason(),
              ::testing::HasSubstr("number no longer in use"));
  EXPECT_TRUE(Published(Envelope::kSmsSent).empty());
}

}  // namespace
}  // namespace caserelay::notification
