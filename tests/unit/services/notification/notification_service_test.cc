// NotificationServiceImpl::Apply: case events become queued SMS, exactly
// once per event (DESIGN.md One recipe: replay produces the same ids).

#include "services/notification/notification_service.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/services/notification/fakes.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::notification {
namespace {

using caserelay::v1::Envelope;
using caserelay::v1::SmsRecord;

constexpr char kCase[] = "140431-20261122-000001";

class NotificationServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = svctest::TestContext::Create(
        {kMessages, kQueue, kByCase}, svctest::ChinaTime(2026, 11, 22, 10, 0));
    ASSERT_TRUE(t.ok()) << t.status();
    t_ = *std::move(t);
    service_ = std::make_unique<NotificationServiceImpl>(t_->context(),
                                                         [this] { ++wakes_; });
  }

  // Applies `event` in its own batch, commits, and tells the service.
  void ApplyAndCommit(const Envelope& event) {
    store::WriteBatch batch(&t_->store());
    ASSERT_EQ(service_->Apply(event, batch).code(), absl::StatusCode::kOk);
    ASSERT_EQ(t_->publisher().Commit(batch).code(), absl::StatusCode::kOk);
    service_->Committed();
  }

  // Keys of column family `cf`.
  std::vector<std::string> Keys(const char* cf) {
    std::vector<std::string> keys;
    absl::Status s =
        t_->store().Scan(cf, "", "", [&](std::string_view k, std::string_view) {
          keys.emplace_back(k);
          return true;
        });
    EXPECT_TRUE(s.ok()) << s;
    return keys;
  }

  std::vector<Envelope> Queued() {
    std::vector<Envelope> out;
    for (Envelope& e : t_->Published("notification-events")) {
      if (e.has_sms_queued()) out.push_back(e);
    }
    return out;
  }

  std::unique_ptr<svctest::TestContext> t_;
  std::unique_ptr<NotificationServiceImpl> service_;
  int wakes_ = 0;
};

TEST_F(NotificationServiceTest, CaseRoutedQueuesExactlyOneReceiptMessage) {
  Envelope routed = CaseRoutedFor(kCase);
  ApplyAndCommit(routed);
  const std::string id = routed.event_id() + "/sms";

  EXPECT_THAT(Keys(kMessages), ::testing::ElementsAre(id));
  EXPECT_THAT(Keys(kQueue), ::testing::ElementsAre(id));
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
  EXPECT_EQ(record.attempts(), 0);
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
  Envelope routed = CaseRoutedFor(kCase);
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
  Envelope routed = CaseRoutedFor(kCase);
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
  Envelope routed = CaseRoutedFor(kCase);
  ApplyAndCommit(routed);
  const std::string id = routed.event_id() + "/sms";
  store::WriteBatch done(&t_->store());
  done.Delete(kQueue, id);
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
  ApplyAndCommit(CaseRoutedFor(kCase));
  ApplyAndCommit(CaseRoutedFor("140431-20261122-000002"));
  EXPECT_EQ(Keys(kMessages).size(), 2u);
  EXPECT_EQ(Queued().size(), 2u);
  EXPECT_EQ(wakes_, 2);
}

TEST_F(NotificationServiceTest, ListMessagesShowsTheCaseMessagesOnly) {
  ApplyAndCommit(CaseRoutedFor(kCase));
  ApplyAndCommit(CaseRoutedFor("140431-20261122-000002"));
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

}  // namespace
}  // namespace caserelay::notification
