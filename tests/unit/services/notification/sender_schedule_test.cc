// When the Sender sends: a case's messages in the order of its events
// (issue 5 "Must show": "in order per case"), quiet hours (issue 5 item 6:
// "non-urgent SMS wait until morning", on the service clock in China time)
// and the throughput limit (issue 5 item 3: "Throughput limit per gateway",
// sms.rate_limit parts/s on real time).

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/pacing.h"
#include "services/notification/sender.h"
#include "tests/unit/services/notification/sender_fixture.h"

namespace caserelay::notification {
namespace {

using ::testing::ElementsAre;

constexpr char kHeldGauge[] = "caserelay_sms_quiet_hours_held";

// (message id, part index, OK or not) of each gateway call, in order.
std::vector<std::string> CallLog(const std::vector<FakeGateway::Call>& calls) {
  std::vector<std::string> log;
  for (const FakeGateway::Call& c : calls) {
    log.push_back(
        absl::StrFormat("%s#%d %s", c.part.message_id, c.part.index,
                        c.result == absl::StatusCode::kOk ? "ok" : "not now"));
  }
  return log;
}

// ---- order per case ---------------------------------------------------------

TEST_F(SenderTest, CaseMessagesKeepTheirOrderWhileAnotherCaseGoesMeanwhile) {
  // sender.h Order: while one waits (backoff), the case's later ones wait
  // behind it; other cases go on.
  options_.first_backoff = absl::Milliseconds(400);
  options_.max_backoff = absl::Seconds(1);
  std::string a1 = Queue(kCaseA);
  std::string a2 = QueueLater(kCaseA, 2, caserelay::v1::CASE_ACTION_TRANSFER);
  std::string b1 = Queue(kCaseB);
  gateway_.Fail({absl::StatusCode::kResourceExhausted, 1, a1, 0});
  StartSender();
  for (const std::string& id : {a1, a2, b1}) {
    ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  }
  sender_->Stop();
  std::vector<FakeGateway::Call> calls = gateway_.calls();
  EXPECT_THAT(CallLog(calls), ElementsAre(a1 + "#1 not now", b1 + "#1 ok",
                                          a1 + "#1 ok", a2 + "#1 ok"));
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_GE(calls[2].at - calls[0].at, options_.first_backoff);
}

// ---- quiet hours ------------------------------------------------------------

TEST_F(SenderTest, QuietHoursHoldANonUrgentMessageUntilMorning) {
  auto quiet = QuietHours::Parse("22:00-08:00", {"received"});
  ASSERT_TRUE(quiet.ok()) << quiet.status();
  options_.quiet_hours = *quiet;
  t_->clock().Set(svctest::ChinaTime(2026, 11, 22, 23, 0));
  std::string receipt = Queue(kCaseA);
  std::string transfer =
      QueueLater(kCaseA, 2, caserelay::v1::CASE_ACTION_TRANSFER);
  StartSender();
  ASSERT_TRUE(WaitForState(receipt, caserelay::v1::SMS_STATE_SENT));
  ASSERT_TRUE(WaitUntil([this] { return Gauge(kHeldGauge, false) == 1; }))
      << "the transfer notice is held";
  EXPECT_TRUE(gateway_.sent(transfer).empty());
  EXPECT_EQ(Load(transfer).message().state(), caserelay::v1::SMS_STATE_QUEUED);
  EXPECT_TRUE(InQueue(transfer));
  {
    absl::MutexLock lock(&intake_.mu);
    EXPECT_EQ(intake_.calls, 1) << "a held message asks intake nothing yet";
  }

  t_->clock().Set(svctest::ChinaTime(2026, 11, 23, 7, 59));
  // The sender sets the gauge at the end of each pass: the second pass
  // seen after the clock moved began after it did.
  for (int pass = 0; pass < 2; ++pass) {
    t_->metrics().GetGauge(kHeldGauge, "").Set(-1);
    ASSERT_TRUE(WaitUntil([this] { return Gauge(kHeldGauge, false) == 1; }));
  }
  EXPECT_TRUE(gateway_.sent(transfer).empty()) << "07:59 is still quiet";

  t_->clock().Set(svctest::ChinaTime(2026, 11, 23, 8, 0));
  ASSERT_TRUE(WaitForState(transfer, caserelay::v1::SMS_STATE_SENT));
  ASSERT_TRUE(WaitUntil([this] { return Gauge(kHeldGauge, false) == 0; }));
  sender_->Stop();
  EXPECT_EQ(gateway_.sent(transfer).size(), 1u);
}

TEST_F(SenderTest, IdleSenderDoesNotRescanTheQueueEvery200Ms) {
  // sender.h SenderOptions::idle_rescan (issue 22 item 8): with nothing to
  // do but a held message, the queue is looked at about once a second,
  // not five times.
  auto quiet = QuietHours::Parse("22:00-08:00", {"received"});
  ASSERT_TRUE(quiet.ok()) << quiet.status();
  options_.quiet_hours = *quiet;
  options_.idle_rescan = absl::Seconds(1);
  t_->clock().Set(svctest::ChinaTime(2026, 11, 22, 23, 0));
  std::string receipt = Queue(kCaseA);
  QueueLater(kCaseA, 2, caserelay::v1::CASE_ACTION_TRANSFER);
  StartSender();
  ASSERT_TRUE(WaitForState(receipt, caserelay::v1::SMS_STATE_SENT));
  ASSERT_TRUE(WaitUntil([this] { return Gauge(kHeldGauge, false) == 1; }));
  const uint64_t before = t_->metrics()
                              .GetCounter("caserelay_sms_queue_scans_total", "",
                                          {})
                              .Value();
  absl::SleepFor(absl::Milliseconds(1500));
  const uint64_t scans = t_->metrics()
                             .GetCounter("caserelay_sms_queue_scans_total", "",
                                         {})
                             .Value() -
                         before;
  EXPECT_GE(scans, 1u) << "held messages are still looked at";
  EXPECT_LE(scans, 2u);
}

TEST_F(SenderTest, UrgentMessageGoesDuringQuietHours) {
  // sms.quiet_hours.urgent: the receipt (case number and look-up code) is
  // sent at once, at 23:00 too; the same receipt is held when not urgent.
  auto urgent = QuietHours::Parse("22:00-08:00", {"received"});
  ASSERT_TRUE(urgent.ok()) << urgent.status();
  options_.quiet_hours = *urgent;
  t_->clock().Set(svctest::ChinaTime(2026, 11, 22, 23, 0));
  std::string receipt = Queue(kCaseA);
  StartSender();
  ASSERT_TRUE(WaitForState(receipt, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();
  sender_.reset();

  auto not_urgent = QuietHours::Parse("22:00-08:00", {});
  ASSERT_TRUE(not_urgent.ok()) << not_urgent.status();
  options_.quiet_hours = *not_urgent;
  std::string other = Queue(kCaseB);
  StartSender();
  ASSERT_TRUE(WaitUntil([this] { return Gauge(kHeldGauge, false) == 1; }));
  sender_->Stop();
  EXPECT_TRUE(gateway_.sent(other).empty());
  EXPECT_EQ(Load(other).message().state(), caserelay::v1::SMS_STATE_QUEUED);
}

TEST_F(SenderTest, CaseMessageWaitsBehindItsHeldMessage) {
  // sender.h Order: "while one waits (backoff, quiet hours) the case's
  // later ones wait behind it" — an urgent one included; other cases go.
  auto quiet = QuietHours::Parse("22:00-08:00", {"received", "assigned"});
  ASSERT_TRUE(quiet.ok()) << quiet.status();
  options_.quiet_hours = *quiet;
  t_->clock().Set(svctest::ChinaTime(2026, 11, 22, 23, 0));
  std::string a1 = Queue(kCaseA);
  std::string a2 = QueueLater(kCaseA, 2, caserelay::v1::CASE_ACTION_TRANSFER);
  std::string a3 = QueueLater(kCaseA, 3, caserelay::v1::CASE_ACTION_ASSIGN);
  std::string b1 = Queue(kCaseB);
  StartSender();
  ASSERT_TRUE(WaitForState(b1, caserelay::v1::SMS_STATE_SENT));
  ASSERT_TRUE(WaitUntil([this] { return Gauge(kHeldGauge, false) == 1; }));
  EXPECT_TRUE(gateway_.sent(a3).empty()) << "urgent, but behind a held one";

  t_->clock().Set(svctest::ChinaTime(2026, 11, 23, 8, 0));
  ASSERT_TRUE(WaitForState(a3, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();
  EXPECT_THAT(
      CallLog(gateway_.calls()),
      ElementsAre(a1 + "#1 ok", b1 + "#1 ok", a2 + "#1 ok", a3 + "#1 ok"));
}

// ---- throughput limit -------------------------------------------------------

TEST_F(SenderTest, RateLimitPacesThePartsToTheGateway) {
  // sms.rate_limit = 20 parts/s with a burst of 20: 30 one-part messages
  // take at least 10 / 20 s from the first call to the last.
  options_.rate_limit = 20;
  std::vector<std::string> ids;
  for (int i = 1; i <= 30; ++i) {
    ids.push_back(Queue(absl::StrFormat("140431-20261122-%06d", i)));
  }
  StartSender();
  ASSERT_TRUE(WaitUntil([this] { return gateway_.sent().size() >= 30; }));
  sender_->Stop();
  std::vector<FakeGateway::Call> calls = gateway_.calls();
  ASSERT_EQ(calls.size(), 30u);
  EXPECT_GE(calls.back().at - calls.front().at, absl::Milliseconds(450));
  for (const std::string& id : ids) {
    EXPECT_EQ(gateway_.sent(id).size(), 1u) << id;
  }
}

}  // namespace
}  // namespace caserelay::notification
