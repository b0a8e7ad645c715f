// The Sender's window (发送窗口, issue 20 item 2; sender.h "The window"):
// up to sms.window messages of different cases in flight at once, bounded
// by sms.rate_limit, each part still recorded SENDING before its gateway
// call, each case's messages still one at a time and in order, and a
// crash with a full window reconciled part by part, never re-sent blindly
// (DESIGN.md "Side effects outside Kafka").

#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "caserelay/v1/events.pb.h"
#include "gtest/gtest.h"
#include "services/notification/sender.h"
#include "tests/unit/services/notification/sender_fixture.h"

namespace caserelay::notification {
namespace {

using caserelay::v1::Envelope;

std::string CaseNumber(int n) {
  return absl::StrFormat("140431-20261122-%06d", n);
}

// Holds every SendPart call until Release(), counting the calls that are
// inside the gateway at once and checking, per call, that the part was
// recorded SENDING first and that no other message of its case is in the
// gateway meanwhile.
class Gate {
 public:
  // A SendPart call of `case_id` comes in; blocks until released.
  void Enter(const std::string& case_id) {
    absl::MutexLock lock(&mu_);
    ++inside_;
    max_inside_ = std::max(max_inside_, inside_);
    if (cases_.count(case_id) > 0) ++same_case_;
    cases_.insert(case_id);
    mu_.Await(absl::Condition(&open_));
  }
  // The call of `case_id` goes on to the gateway.
  void Leave(const std::string& case_id) {
    absl::MutexLock lock(&mu_);
    --inside_;
    cases_.erase(cases_.find(case_id));
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    open_ = true;
  }
  // Waits until `n` calls are inside; false after kPatience.
  bool AwaitInside(int n) {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return inside_ >= n;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), kPatience);
  }
  int inside() {
    absl::MutexLock lock(&mu_);
    return inside_;
  }
  int max_inside() {
    absl::MutexLock lock(&mu_);
    return max_inside_;
  }
  int same_case() {
    absl::MutexLock lock(&mu_);
    return same_case_;
  }

 private:
  absl::Mutex mu_;
  bool open_ ABSL_GUARDED_BY(mu_) = false;
  int inside_ ABSL_GUARDED_BY(mu_) = 0;
  int max_inside_ ABSL_GUARDED_BY(mu_) = 0;
  int same_case_ ABSL_GUARDED_BY(mu_) = 0;
  std::multiset<std::string> cases_ ABSL_GUARDED_BY(mu_);
};

// ---- how wide the window is -------------------------------------------------

struct WidthCase {
  int window;
  double rate_limit;
  int want;
  std::string rule;
};

void PrintTo(const WidthCase& c, std::ostream* os) { *os << c.rule; }

class WindowWidthTest : public ::testing::TestWithParam<WidthCase> {};

TEST_P(WindowWidthTest, WindowIsTheSettingBoundedByTheRateLimit) {
  const WidthCase& c = GetParam();
  SenderOptions o;
  o.window = c.window;
  o.rate_limit = c.rate_limit;
  EXPECT_EQ(EffectiveWindow(o), c.want) << c.rule;
}

INSTANTIATE_TEST_SUITE_P(
    Settings, WindowWidthTest,
    ::testing::Values(
        WidthCase{64, 0, 64,
                  "issue 20 item 2: sms.window messages in flight; "
                  "sms.rate_limit 0 is no limit"},
        WidthCase{64, 20, 20,
                  "issue 20 item 2: bounded by sms.rate_limit (the deployed "
                  "20 parts/s: at most 20 in flight)"},
        WidthCase{8, 20, 8, "a window below the limit is kept"},
        WidthCase{4, 2.5, 3, "a fractional limit rounds up"},
        WidthCase{64, 0.5, 1, "a limit below 1/s still lets one go"},
        WidthCase{0, 0, 1, "at least one message is in flight"}));

// ---- messages in flight -----------------------------------------------------

struct InFlightCase {
  int window;
  int cases;
  int want_inside;
  std::string rule;
};

void PrintTo(const InFlightCase& c, std::ostream* os) { *os << c.rule; }

class InFlightTest : public SenderTest,
                     public ::testing::WithParamInterface<InFlightCase> {};

TEST_P(InFlightTest, WindowFillsWithOneMessagePerCaseEachRecordedSending) {
  const InFlightCase& c = GetParam();
  options_.window = c.window;
  std::vector<std::string> ids;
  for (int n = 1; n <= c.cases; ++n) ids.push_back(Queue(CaseNumber(n)));
  Gate gate;
  gateway_.OnSend([&](const OutgoingPart& part) {
    EXPECT_EQ(Load(part.message_id).message().state(),
              caserelay::v1::SMS_STATE_SENDING)
        << part.message_id << ": SENDING is recorded before the call";
    const std::string case_id = Load(part.message_id).message().case_id();
    gate.Enter(case_id);
    gate.Leave(case_id);
  });
  StartSender();
  ASSERT_TRUE(gate.AwaitInside(c.want_inside)) << c.rule;
  // A moment more: no further call may join a full window.
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(gate.inside(), c.want_inside) << c.rule;
  EXPECT_EQ(Gauge("caserelay_sms_parts_in_flight"), c.want_inside) << c.rule;
  EXPECT_EQ(Gauge("caserelay_sms_window"), c.window) << c.rule;
  int sending = 0;
  for (const std::string& id : ids) {
    sending += Load(id).message().state() == caserelay::v1::SMS_STATE_SENDING;
  }
  EXPECT_EQ(sending, c.want_inside) << "each part in flight is on record";
  gate.Release();
  for (const std::string& id : ids) {
    ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT)) << id;
    EXPECT_EQ(gateway_.sent(id).size(), 1u) << id << ": sent once";
    EXPECT_EQ(Outcomes(id, Envelope::kSmsSent).size(), 1u) << id;
  }
  EXPECT_EQ(gate.max_inside(), c.want_inside) << c.rule;
  EXPECT_EQ(Gauge("caserelay_sms_parts_in_flight"), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Windows, InFlightTest,
    ::testing::Values(
        InFlightCase{1, 5, 1, "sms.window 1: one part at a time, as before"},
        InFlightCase{4, 10, 4,
                     "issue 20 item 2: a window of 4 keeps 4 parts in "
                     "flight, no more"},
        InFlightCase{8, 3, 3,
                     "a window wider than the queue: every case at once, "
                     "one message each"}));

TEST_F(SenderTest, WindowKeepsEachCasesMessagesOneAtATimeAndInOrder) {
  // sender.h Order: a case's messages go in the order of its events, one
  // at a time, however wide the window; other cases fill it meanwhile.
  options_.window = 4;
  std::vector<std::string> a = {
      Queue(kCaseA), QueueLater(kCaseA, 2, caserelay::v1::CASE_ACTION_TRANSFER),
      QueueLater(kCaseA, 3, caserelay::v1::CASE_ACTION_ASSIGN)};
  std::vector<std::string> b = {
      QueueLong(kCaseB),
      QueueLater(kCaseB, 2, caserelay::v1::CASE_ACTION_ASSIGN)};
  std::vector<std::string> others;
  for (int n = 3; n <= 6; ++n) others.push_back(Queue(CaseNumber(n)));
  Gate gate;
  gate.Release();  // count, do not hold
  gateway_.OnSend([&](const OutgoingPart& part) {
    const std::string case_id = Load(part.message_id).message().case_id();
    gate.Enter(case_id);
    absl::SleepFor(absl::Milliseconds(5));  // long enough to overlap
    gate.Leave(case_id);
  });
  StartSender();
  for (const auto* ids : {&a, &b, &others}) {
    for (const std::string& id : *ids) {
      ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT)) << id;
    }
  }
  EXPECT_EQ(gate.same_case(), 0) << "never two parts of one case at once";
  EXPECT_GT(gate.max_inside(), 1) << "other cases share the window";
  EXPECT_LE(gate.max_inside(), 4);
  std::vector<std::string> order_a, order_b;
  std::vector<int> parts_b;
  for (const OutgoingPart& p : gateway_.sent()) {
    const std::string c = std::string(Load(p.message_id).message().case_id());
    if (c == kCaseA) order_a.push_back(p.message_id);
    if (c == kCaseB) {
      if (order_b.empty() || order_b.back() != p.message_id) {
        order_b.push_back(p.message_id);
      }
      if (p.message_id == b[0]) parts_b.push_back(p.index);
    }
  }
  EXPECT_EQ(order_a, a);
  EXPECT_EQ(order_b, b);
  EXPECT_EQ(parts_b, (std::vector<int>{1, 2, 3})) << "a long SMS part by part";
}

TEST_F(SenderTest, FullWindowFindingTheGatewayDownSendsEachLaterOnce) {
  // sender.h: the gateway not reached: every part in flight goes back to
  // PENDING (no try counted) and the sender pauses once; then each goes
  // exactly once.
  options_.window = 4;
  std::vector<std::string> ids;
  for (int n = 1; n <= 8; ++n) ids.push_back(Queue(CaseNumber(n)));
  gateway_.FailNext(4, absl::StatusCode::kUnavailable);
  StartSender();
  for (const std::string& id : ids) {
    ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT)) << id;
    EXPECT_EQ(gateway_.sent(id).size(), 1u) << id;
    EXPECT_EQ(Load(id).message().attempts(), 0) << "an outage counts no try";
  }
  EXPECT_EQ(Gauge("caserelay_sms_gateway_unreachable"), 0);
}

// ---- a crash with a full window ---------------------------------------------

struct CrashCase {
  FakeGateway::FindAnswer find;
  caserelay::v1::SmsState state;  // of every message after the restart
  size_t sends;                   // SendPart calls per message after it
  std::string rule;
};

void PrintTo(const CrashCase& c, std::ostream* os) { *os << c.rule; }

class FullWindowCrashTest : public SenderTest,
                            public ::testing::WithParamInterface<CrashCase> {};

TEST_P(FullWindowCrashTest, EveryPartLeftSendingIsReconciledOnItsOwn) {
  // A crash with a window of 8 full leaves 8 messages of 8 cases SENDING,
  // one part each (LeaveSending: what the store holds after SIGKILL).
  const CrashCase& c = GetParam();
  constexpr int kWindow = 8;
  options_.window = kWindow;
  std::vector<std::string> ids;
  for (int n = 1; n <= kWindow; ++n) {
    ids.push_back(Queue(CaseNumber(n)));
    LeaveSending(ids.back(), 1);
  }
  gateway_.SetFindAnswer(c.find);
  MakeSender();
  ASSERT_EQ(sender_->Start().code(), absl::StatusCode::kOk);
  std::string later = Queue(CaseNumber(kWindow + 1));
  ASSERT_TRUE(WaitForState(later, caserelay::v1::SMS_STATE_SENT));
  for (const std::string& id : ids) {
    ASSERT_TRUE(WaitForState(id, c.state)) << id << ": " << c.rule;
  }
  sender_->Stop();
  EXPECT_EQ(gateway_.finds().size(), static_cast<size_t>(kWindow))
      << "each part in flight asked of the gateway once";
  for (const std::string& id : ids) {
    EXPECT_EQ(gateway_.sent(id).size(), c.sends) << id << ": " << c.rule;
    EXPECT_EQ(Outcomes(id, Envelope::kSmsSent).size(),
              c.state == caserelay::v1::SMS_STATE_SENT ? 1u : 0u)
        << id;
  }
}

INSTANTIATE_TEST_SUITE_P(
    FindAnswers, FullWindowCrashTest,
    ::testing::Values(
        CrashCase{FakeGateway::FindAnswer::kFound,
                  caserelay::v1::SMS_STATE_SENT, 0,
                  "DESIGN.md: the gateway has every part in flight: taken, "
                  "none sent again"},
        CrashCase{FakeGateway::FindAnswer::kNotFound,
                  caserelay::v1::SMS_STATE_SENT, 1,
                  "the gateway certainly never got them: each goes once"},
        CrashCase{FakeGateway::FindAnswer::kUnimplemented,
                  caserelay::v1::SMS_STATE_UNKNOWN, 0,
                  "the gateway cannot tell (Kannel): each UNKNOWN, for its "
                  "delivery report or an operator; nothing sent blindly"}));

}  // namespace
}  // namespace caserelay::notification
