// The Sender's contact look-ups (sender.h, contact_resolver.h; issue 22
// item 8): the contacts of the cases ready to send are asked of intake in
// one pass, at most sms.intake_concurrency calls in flight, while a case's
// messages still go in order and a hanging intake still pauses the whole
// sender. The fake intake counts overlapping calls: no test times a pass.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/unit/services/notification/sender_fixture.h"

namespace caserelay::notification {
namespace {

// Case number `n` of the county's 2026-11-22 register.
std::string CaseNumber(int n) {
  return absl::StrCat("140431-20261122-",
                      std::string(6 - std::to_string(n).size(), '0'), n);
}

void SetIntakeDelay(FakeIntakeStub::State& intake, absl::Duration delay) {
  absl::MutexLock lock(&intake.mu);
  intake.delay = delay;
}

TEST_F(SenderTest, ReadyCasesAskIntakeConcurrentlyUpToTheLimit) {
  // 8 cases with a slow intake and 4 calls allowed: the calls overlap 4 at
  // a time (about 8 / 4 round trips), never more, and each case is asked
  // once.
  options_.intake_concurrency = 4;
  SetIntakeDelay(intake_, absl::Milliseconds(150));
  std::vector<std::string> ids;
  for (int n = 1; n <= 8; ++n) ids.push_back(Queue(CaseNumber(n)));
  StartSender();
  for (const std::string& id : ids) {
    ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT)) << id;
  }
  absl::MutexLock lock(&intake_.mu);
  EXPECT_EQ(intake_.max_in_flight, 4) << "4 calls at once, not one by one";
  EXPECT_EQ(intake_.calls, 8) << "one call per case";
}

TEST_F(SenderTest, ConcurrentLookUpsKeepEachCasesMessagesInOrder) {
  // Order per case (sender.h): the contacts come in any order, the parts
  // still go in the order of each case's events, each recorded SENDING
  // before the gateway call.
  options_.intake_concurrency = 3;
  SetIntakeDelay(intake_, absl::Milliseconds(50));
  std::vector<std::string> a = {
      Queue(kCaseA), QueueLater(kCaseA, 2, caserelay::v1::CASE_ACTION_TRANSFER),
      QueueLater(kCaseA, 3, caserelay::v1::CASE_ACTION_ASSIGN)};
  std::vector<std::string> b = {
      Queue(kCaseB), QueueLater(kCaseB, 2, caserelay::v1::CASE_ACTION_ASSIGN)};
  std::string c = Queue(CaseNumber(3));
  gateway_.OnSend([this](const OutgoingPart& part) {
    EXPECT_EQ(Load(part.message_id).message().state(),
              caserelay::v1::SMS_STATE_SENDING)
        << part.message_id << ": SENDING is recorded before the call";
  });
  StartSender();
  for (const std::string& id : {a[0], a[1], a[2], b[0], b[1], c}) {
    ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT)) << id;
  }
  std::vector<std::string> order_a, order_b;
  for (const OutgoingPart& p : gateway_.sent()) {
    if (p.message_id.rfind(std::string("routing/") + kCaseA, 0) == 0) {
      order_a.push_back(p.message_id);
    }
    if (p.message_id.rfind(std::string("routing/") + kCaseB, 0) == 0) {
      order_b.push_back(p.message_id);
    }
  }
  EXPECT_EQ(order_a, a);
  EXPECT_EQ(order_b, b);
  absl::MutexLock lock(&intake_.mu);
  EXPECT_LE(intake_.max_in_flight, 3);
}

TEST_F(SenderTest, HangingIntakeStopsTheRoundAndPausesTheWholeSender) {
  // A hanging intake (every call runs into its deadline): the calls already
  // in flight end, no further case is asked, the sender pauses as a whole
  // (caserelay_sms_intake_unreachable) and sends everything once intake
  // answers again, counting no try.
  options_.intake_concurrency = 2;
  options_.first_backoff = absl::Milliseconds(600);
  options_.max_backoff = absl::Seconds(1);
  SetIntakeDelay(intake_, absl::Milliseconds(100));
  SetIntakeError(
      grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "intake hangs"));
  std::vector<std::string> ids;
  for (int n = 1; n <= 6; ++n) ids.push_back(Queue(CaseNumber(n)));
  StartSender();
  ASSERT_TRUE(WaitUntil([this] {
    return Gauge("caserelay_sms_intake_unreachable", false) == 1;
  }));
  absl::SleepFor(absl::Milliseconds(250));
  {
    absl::MutexLock lock(&intake_.mu);
    EXPECT_EQ(intake_.calls, 2) << "one round of 2 calls, not one per case";
  }
  EXPECT_EQ(gateway_.send_calls(), 0);
  SetIntakeDelay(intake_, absl::ZeroDuration());
  SetIntakeError(grpc::Status::OK);
  for (const std::string& id : ids) {
    ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT)) << id;
    EXPECT_EQ(Load(id).message().attempts(), 0);
  }
  EXPECT_EQ(Gauge("caserelay_sms_intake_unreachable", false), 0);
}

}  // namespace
}  // namespace caserelay::notification
