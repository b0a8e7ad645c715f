// The Sender: queued SMS through the gateway with DESIGN.md's rule for side
// effects ("record 'sending' before the call and the gateway's message id
// after it; a crash in between is reconciled, never blindly re-sent").

#include "services/notification/sender.h"

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/store/store.h"
#include "domain/sms/template_set.h"
#include "domain/sms/triggers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/notification_service.h"
#include "tests/unit/services/notification/fakes.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::notification {
namespace {

using caserelay::v1::Envelope;
using caserelay::v1::SmsRecord;
using caserelay::v1::SmsState;
using ::testing::HasSubstr;

constexpr char kCase[] = "140431-20261122-000001";
constexpr char kCode[] = "ABCD2345";
constexpr absl::Duration kPatience = absl::Seconds(10);

class SenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = svctest::TestContext::Create(
        ColumnFamilies(), svctest::ChinaTime(2026, 11, 22, 10, 0));
    ASSERT_TRUE(t.ok()) << t.status();
    t_ = *std::move(t);
    auto templates = sms::TemplateSet::Load(
        CASERELAY_SOURCE_DIR "/data/sms/templates", sms::StandardTriggers());
    ASSERT_TRUE(templates.ok()) << templates.status();
    templates_ = std::make_unique<sms::TemplateSet>(*std::move(templates));
    SetContact("13800138000", kCode);
    options_.first_backoff = absl::Milliseconds(1);
    options_.max_backoff = absl::Milliseconds(10);
    service_ = std::make_unique<NotificationServiceImpl>(t_->context(), [this] {
      if (sender_) sender_->Wake();
    });
  }

  void TearDown() override {
    sender_.reset();  // stops the thread before the fakes go
    service_.reset();
    t_.reset();
  }

  void SetContact(const std::string& phone, const std::string& code) {
    absl::MutexLock lock(&intake_.mu);
    intake_.phone = phone;
    intake_.lookup_code = code;
  }

  void SetIntakeError(grpc::Status error) {
    absl::MutexLock lock(&intake_.mu);
    intake_.error = std::move(error);
  }

  // Builds (not starts) the sender under test.
  void MakeSender() {
    sender_ = std::make_unique<Sender>(
        t_->context(), &gateway_, templates_.get(),
        std::make_unique<FakeIntakeStub>(&intake_), options_);
  }

  void StartSender() {
    if (!sender_) MakeSender();
    ASSERT_EQ(sender_->Start().code(), absl::StatusCode::kOk);
    sender_->Wake();
  }

  // Queues the receipt SMS of `case_id` the way the service does (Apply of
  // its REGISTER, then commit); returns its message id.
  std::string Queue(const std::string& case_id) {
    Envelope e = RegisterFor(case_id);
    store::WriteBatch batch(&t_->store());
    EXPECT_EQ(service_->Apply(e, batch).code(), absl::StatusCode::kOk);
    EXPECT_EQ(t_->publisher().Commit(batch).code(), absl::StatusCode::kOk);
    service_->Committed();
    return e.event_id() + "/sms";
  }

  // Writes `record` as if a crash had left it: in "messages" and "queue".
  void PutLeftover(const SmsRecord& record) {
    store::WriteBatch batch(&t_->store());
    batch.Put(kMessages, record.message().message_id(),
              record.SerializeAsString());
    batch.Put(kQueue, record.message().message_id(), "");
    ASSERT_EQ(t_->publisher().Commit(batch).code(), absl::StatusCode::kOk);
  }

  // A receipt SMS left SENDING after one attempt (the crash came between
  // the "sending" record and the gateway's answer).
  static SmsRecord LeftSending(const std::string& case_id) {
    SmsRecord r;
    auto* m = r.mutable_message();
    m->set_message_id("routing/" + case_id + "/1/sms");
    m->set_case_id(case_id);
    m->set_trigger("received");
    m->set_state(caserelay::v1::SMS_STATE_SENDING);
    m->set_parts(1);
    r.mutable_petitioner()->set_id("P" + case_id);
    (*r.mutable_vars())["case_number"] = case_id;
    r.set_attempts(1);
    return r;
  }

  SmsRecord Load(const std::string& id) {
    SmsRecord record;
    auto raw = t_->store().Get(kMessages, id);
    EXPECT_TRUE(raw.ok()) << raw.status();
    if (raw.ok() && raw->has_value()) {
      EXPECT_TRUE(record.ParseFromString(**raw));
    } else {
      ADD_FAILURE() << "no message " << id;
    }
    return record;
  }

  bool InQueue(const std::string& id) {
    auto raw = t_->store().Get(kQueue, id);
    EXPECT_TRUE(raw.ok()) << raw.status();
    return raw.ok() && raw->has_value();
  }

  // Polls the store until `done(record)` holds or kPatience passes.
  bool WaitFor(const std::string& id,
               const std::function<bool(const SmsRecord&)>& done) {
    absl::Time deadline = absl::Now() + kPatience;
    while (absl::Now() < deadline) {
      auto raw = t_->store().Get(kMessages, id);
      SmsRecord record;
      if (raw.ok() && raw->has_value() && record.ParseFromString(**raw) &&
          done(record)) {
        return true;
      }
      absl::SleepFor(absl::Milliseconds(5));
    }
    return false;
  }

  bool WaitForState(const std::string& id, SmsState state) {
    bool reached = WaitFor(id, [state](const SmsRecord& r) {
      return r.message().state() == state;
    });
    EXPECT_TRUE(reached) << id << " never reached "
                         << caserelay::v1::SmsState_Name(state) << "; it is "
                         << caserelay::v1::SmsState_Name(
                                Load(id).message().state());
    return reached;
  }

  // The SmsSent / SmsFailed events published for `id`.
  std::vector<Envelope> Outcomes(const std::string& id,
                                 Envelope::PayloadCase kind) {
    std::vector<Envelope> out;
    for (Envelope& e : t_->Published("notification-events")) {
      if (e.payload_case() != kind) continue;
      const std::string& mid = kind == Envelope::kSmsSent
                                   ? e.sms_sent().message_id()
                                   : e.sms_failed().message_id();
      if (mid == id) out.push_back(e);
    }
    return out;
  }

  uint64_t Counter(const std::string& name) {
    return t_->metrics().GetCounter(name, "", {{"gateway", "fake"}}).Value();
  }

  std::unique_ptr<svctest::TestContext> t_;
  std::unique_ptr<sms::TemplateSet> templates_;
  FakeGateway gateway_;
  FakeIntakeStub::State intake_;
  SenderOptions options_;
  std::unique_ptr<NotificationServiceImpl> service_;
  std::unique_ptr<Sender> sender_;
};

// ---- the happy path -------------------------------------------------------

TEST_F(SenderTest, QueuedMessageIsSentOnceAndRecorded) {
  SetContact("+86 138-0013-8000", kCode);
  std::string id = Queue(kCase);
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();

  ASSERT_EQ(gateway_.sent().size(), 1u);
  const OutgoingSms sms =
      gateway_.sent()[0];  // a copy: sent() returns by value
  EXPECT_EQ(sms.message_id, id);
  EXPECT_EQ(sms.phone, "13800138000") << "normalised 11-digit mobile";
  EXPECT_THAT(sms.text, HasSubstr(kCase));
  EXPECT_THAT(sms.text, HasSubstr(kCode));
  EXPECT_EQ(gateway_.send_calls(), 1);

  SmsRecord record = Load(id);
  EXPECT_EQ(record.message().gateway_message_id(), "gw-" + id);
  EXPECT_EQ(record.message().text(), sms.text);
  EXPECT_EQ(record.message().parts(), sms.parts);
  EXPECT_GE(sms.parts, 1);
  EXPECT_EQ(record.attempts(), 1);
  EXPECT_THAT(record.message().phone_masked(),
              ::testing::Not(HasSubstr("13800138000")));
  EXPECT_FALSE(InQueue(id));

  std::vector<Envelope> sent = Outcomes(id, Envelope::kSmsSent);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].event_id(), id + "/sent");
  EXPECT_EQ(sent[0].case_id(), kCase);
  EXPECT_EQ(sent[0].sms_sent().gateway(), "fake");
  EXPECT_EQ(sent[0].sms_sent().gateway_message_id(), "gw-" + id);
  EXPECT_EQ(Counter("caserelay_sms_sent_total"), 1u);
}

TEST_F(SenderTest, PhoneIsAskedOfIntakeForTheCaseAtSendTime) {
  // DESIGN.md intake: personal data stays in intake; notification asks.
  std::string id = Queue(kCase);
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();
  absl::MutexLock lock(&intake_.mu);
  ASSERT_EQ(intake_.requests.size(), 1u);
  EXPECT_EQ(intake_.requests[0].petitioner().id(), std::string("P") + kCase);
  EXPECT_EQ(intake_.requests[0].case_number(), kCase);
}

TEST_F(SenderTest, SendingIsRecordedBeforeTheGatewayCall) {
  // DESIGN.md: side effects record "sending" before the call.
  std::string id = Queue(kCase);
  absl::Mutex mu;
  std::vector<SmsRecord> seen;
  gateway_.OnSend([&](const OutgoingSms& sms) {
    auto raw = t_->store().Get(kMessages, sms.message_id);
    SmsRecord r;
    if (raw.ok() && raw->has_value()) r.ParseFromString(**raw);
    absl::MutexLock lock(&mu);
    seen.push_back(r);
  });
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();
  absl::MutexLock lock(&mu);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].message().state(), caserelay::v1::SMS_STATE_SENDING);
  EXPECT_EQ(seen[0].attempts(), 1);
  EXPECT_FALSE(seen[0].message().text().empty()) << "rendered before sending";
}

// ---- no mobile ------------------------------------------------------------

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
  SetContact(GetParam().phone, kCode);
  std::string id = Queue(kCase);
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_NO_PHONE))
      << GetParam().rule;
  sender_->Stop();
  EXPECT_EQ(gateway_.send_calls(), 0) << GetParam().rule;
  EXPECT_FALSE(InQueue(id));
  EXPECT_TRUE(Outcomes(id, Envelope::kSmsSent).empty());
}

INSTANTIATE_TEST_SUITE_P(
    Phone, NoPhoneTest,
    ::testing::Values(
        NoPhoneCase{"", "DOMAIN.md Who is involved: a phone is optional"},
        NoPhoneCase{"010-12345678",
                    "identity.h IsMobile: only a mainland mobile receives "
                    "SMS, a landline cannot"}));

// ---- temporary and terminal failures ---------------------------------------

TEST_F(SenderTest, TemporaryGatewayFailureLeavesTheMessageQueued) {
  // gateway.h: UNAVAILABLE is temporary, retry later.
  gateway_.FailUnavailable(1000);
  options_.max_attempts = 1000;
  std::string id = Queue(kCase);
  StartSender();
  ASSERT_TRUE(WaitFor(id, [](const SmsRecord& r) {
    return r.message().state() == caserelay::v1::SMS_STATE_QUEUED &&
           r.attempts() >= 1;
  })) << "never back to QUEUED after a failed attempt";
  sender_->Stop();
  EXPECT_TRUE(InQueue(id));
  EXPECT_TRUE(gateway_.sent().empty());
  EXPECT_TRUE(Outcomes(id, Envelope::kSmsSent).empty());
  EXPECT_TRUE(Outcomes(id, Envelope::kSmsFailed).empty());
}

TEST_F(SenderTest, TemporaryGatewayFailuresAreRetriedThenSent) {
  gateway_.FailUnavailable(2);
  options_.max_attempts = 5;
  std::string id = Queue(kCase);
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();
  EXPECT_EQ(gateway_.send_calls(), 3);
  EXPECT_EQ(gateway_.sent().size(), 1u);
  EXPECT_EQ(Load(id).attempts(), 3);
  EXPECT_EQ(Outcomes(id, Envelope::kSmsSent).size(), 1u);
  EXPECT_EQ(Counter("caserelay_sms_retries_total"), 2u);
}

TEST_F(SenderTest, MaxAttemptsTemporaryFailuresEndFailed) {
  // notification.sms.max_attempts: temporary failures before giving up.
  gateway_.FailUnavailable(1000);
  options_.max_attempts = 3;
  std::string id = Queue(kCase);
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_FAILED));
  sender_->Stop();
  EXPECT_EQ(gateway_.send_calls(), 3);
  EXPECT_EQ(Load(id).attempts(), 3);
  EXPECT_FALSE(InQueue(id));
  std::vector<Envelope> failed = Outcomes(id, Envelope::kSmsFailed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].event_id(), id + "/failed");
  EXPECT_THAT(failed[0].sms_failed().reason(), HasSubstr("unavailable"));
  EXPECT_TRUE(Outcomes(id, Envelope::kSmsSent).empty());
  EXPECT_EQ(Counter("caserelay_sms_failed_total"), 1u);
}

// SenderOptions: temporary failures back off exponentially (first_backoff,
// then double the previous delay, up to max_backoff). A regression test:
// the delay once restarted from first_backoff on every failure.
TEST_F(SenderTest, BackoffDoublesBetweenTemporaryFailures) {
  gateway_.FailUnavailable(1000);
  options_.max_attempts = 1000;
  options_.first_backoff = absl::Milliseconds(600);
  options_.max_backoff = absl::Hours(1);
  absl::Mutex mu;
  std::vector<absl::Time> attempts;
  gateway_.OnSend([&](const OutgoingSms&) {
    absl::MutexLock lock(&mu);
    attempts.push_back(absl::Now());
  });
  Queue(kCase);
  StartSender();
  absl::Time deadline = absl::Now() + kPatience;
  for (;;) {
    {
      absl::MutexLock lock(&mu);
      if (attempts.size() >= 3 || absl::Now() > deadline) break;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  sender_->Stop();
  absl::MutexLock lock(&mu);
  ASSERT_GE(attempts.size(), 3u);
  EXPECT_GE(attempts[1] - attempts[0], options_.first_backoff);
  EXPECT_GE(attempts[2] - attempts[1], 2 * options_.first_backoff)
      << "the second wait should be twice the first backoff";
}

TEST_F(SenderTest, TerminalGatewayErrorFailsAtOnce) {
  // gateway.h: any error but UNAVAILABLE is terminal for the message.
  gateway_.FailWith(absl::InvalidArgumentError("number barred"));
  std::string id = Queue(kCase);
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_FAILED));
  sender_->Stop();
  EXPECT_EQ(gateway_.send_calls(), 1);
  EXPECT_FALSE(InQueue(id));
  std::vector<Envelope> failed = Outcomes(id, Envelope::kSmsFailed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_THAT(failed[0].sms_failed().reason(), HasSubstr("number barred"));
}

TEST_F(SenderTest, IntakeUnavailableKeepsTheMessageQueuedWithoutAnAttempt) {
  SetIntakeError(grpc::Status(grpc::StatusCode::UNAVAILABLE, "intake down"));
  std::string id = Queue(kCase);
  StartSender();
  ASSERT_TRUE(WaitFor(id, [this](const SmsRecord&) {
    absl::MutexLock lock(&intake_.mu);
    return intake_.calls >= 1;
  }));
  EXPECT_EQ(gateway_.send_calls(), 0);
  EXPECT_EQ(Load(id).message().state(), caserelay::v1::SMS_STATE_QUEUED);
  EXPECT_EQ(Load(id).attempts(), 0);

  SetIntakeError(grpc::Status::OK);
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();
  EXPECT_EQ(gateway_.send_calls(), 1);
}

// ---- reconciling at start ------------------------------------------------

TEST_F(SenderTest, LeftSendingThatTheGatewayHasIsSentWithoutASecondSend) {
  SmsRecord left = LeftSending(kCase);
  const std::string id = left.message().message_id();
  PutLeftover(left);
  gateway_.SetFindAnswer(FakeGateway::FindAnswer::kFound);
  MakeSender();
  ASSERT_EQ(sender_->Start().code(), absl::StatusCode::kOk);

  // Reconciling happens inside Start().
  SmsRecord record = Load(id);
  EXPECT_EQ(record.message().state(), caserelay::v1::SMS_STATE_SENT);
  EXPECT_EQ(record.message().gateway_message_id(), "gw-" + id);
  EXPECT_FALSE(InQueue(id));
  std::vector<Envelope> sent = Outcomes(id, Envelope::kSmsSent);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].sms_sent().gateway_message_id(), "gw-" + id);

  // A later message goes through: the sender ran and still left this one.
  std::string other = Queue("140431-20261122-000002");
  ASSERT_TRUE(WaitForState(other, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();
  EXPECT_EQ(gateway_.send_calls(), 1);
  ASSERT_EQ(gateway_.sent().size(), 1u);
  EXPECT_EQ(gateway_.sent()[0].message_id, other);
}

TEST_F(SenderTest, LeftSendingThatTheGatewayNeverGotIsSentOnce) {
  SmsRecord left = LeftSending(kCase);
  const std::string id = left.message().message_id();
  PutLeftover(left);
  gateway_.SetFindAnswer(FakeGateway::FindAnswer::kNotFound);
  StartSender();
  ASSERT_TRUE(WaitForState(id, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();
  EXPECT_EQ(gateway_.find_calls(), 1);
  EXPECT_EQ(gateway_.send_calls(), 1);
  ASSERT_EQ(gateway_.sent().size(), 1u);
  EXPECT_EQ(gateway_.sent()[0].message_id, id);
  EXPECT_FALSE(InQueue(id));
  EXPECT_EQ(Outcomes(id, Envelope::kSmsSent).size(), 1u);
}

TEST_F(SenderTest, LeftSendingThatTheGatewayCannotTellIsUnknownAndNeverSent) {
  // sender.h: never re-sent blindly; UNKNOWN is for an operator.
  SmsRecord left = LeftSending(kCase);
  const std::string id = left.message().message_id();
  PutLeftover(left);
  gateway_.SetFindAnswer(FakeGateway::FindAnswer::kUnimplemented);
  MakeSender();
  ASSERT_EQ(sender_->Start().code(), absl::StatusCode::kOk);
  EXPECT_EQ(Load(id).message().state(), caserelay::v1::SMS_STATE_UNKNOWN);
  EXPECT_FALSE(InQueue(id));

  std::string other = Queue("140431-20261122-000002");
  ASSERT_TRUE(WaitForState(other, caserelay::v1::SMS_STATE_SENT));
  sender_->Stop();
  EXPECT_EQ(Load(id).message().state(), caserelay::v1::SMS_STATE_UNKNOWN);
  ASSERT_EQ(gateway_.sent().size(), 1u);
  EXPECT_EQ(gateway_.sent()[0].message_id, other);
  EXPECT_TRUE(Outcomes(id, Envelope::kSmsSent).empty());
  EXPECT_TRUE(Outcomes(id, Envelope::kSmsFailed).empty());
}

}  // namespace
}  // namespace caserelay::notification
