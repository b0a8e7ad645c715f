// The fixture of the Sender's tests (sender_test.cc, sender_schedule_test.cc):
// a TestContext (temp-dir store, outbox over a fake producer, simulated
// clock), the shipped templates, a MessageBook, the notification service
// that queues messages from case events as in production, a FakeGateway and
// a fake intake. The sender is built by each test after it has set its
// options.
//
// Thread safety: the fixture is used from the test's thread; the fakes are
// thread-safe, so the sender's thread may call them meanwhile.

#ifndef CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_SENDER_FIXTURE_H_
#define CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_SENDER_FIXTURE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "domain/sms/template_set.h"
#include "gtest/gtest.h"
#include "services/notification/message_book.h"
#include "services/notification/notification_service.h"
#include "services/notification/sender.h"
#include "tests/unit/services/notification/fakes.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::notification {

inline constexpr char kCaseA[] = "140431-20261122-000001";
inline constexpr char kCaseB[] = "140431-20261122-000002";
// The look-up code (查询码) intake answers.
inline constexpr char kLookupCode[] = "ABCD2345";
inline constexpr char kPhone[] = "13800138000";
// How long a test waits for the sender before it fails.
inline constexpr absl::Duration kPatience = absl::Seconds(10);

class SenderTest : public ::testing::Test {
 protected:
  // The clock starts at 2026-11-22 10:00 China time; intake answers
  // kPhone and kLookupCode; backoffs are 1..10 ms.
  void SetUp() override;
  // Stops the sender before the fakes go.
  void TearDown() override;

  void SetContact(const std::string& phone, const std::string& code);
  void SetIntakeError(grpc::Status error);

  // Builds (not starts) the sender under test with options_.
  void MakeSender();
  // Builds it if need be, starts it and wakes it.
  void StartSender();

  // Applies `event` through the service as the consume loop does (Apply,
  // commit, Committed); returns the id of the SMS it queues.
  std::string QueueEvent(const caserelay::v1::Envelope& event);
  // The receipt SMS of `case_id` (its REGISTER, sequence 1): one part.
  std::string Queue(const std::string& case_id);
  // A later event of `case_id` that queues an SMS: TRANSFER ("transferred")
  // or ASSIGN ("assigned") as event `sequence`.
  std::string QueueLater(const std::string& case_id, uint64_t sequence,
                         caserelay::v1::CaseAction action);
  // A "not_accepted" SMS of `case_id` (a REGISTER decided NOT_ACCEPTED with
  // a long route) that takes three parts (checked).
  std::string QueueLong(const std::string& case_id);
  // The parts the message `id` renders to now (its vars and the look-up
  // code), as the sender segments them.
  std::vector<std::u16string> ExpectedParts(const std::string& id);

  // Rewrites `id` as a crash would have left it: rendered into
  // ExpectedParts, the parts before `k` ACCEPTED (with FakeGateway ids),
  // part `k` and the message SENDING, the rest PENDING; still queued.
  void LeaveSending(const std::string& id, int k);

  caserelay::v1::SmsRecord Load(const std::string& id);
  // True iff `id` has an entry in the "queue" family under its queue key.
  bool InQueue(const std::string& id);

  // Polls until `done()` holds or kPatience passes; returns whether it did.
  static bool WaitUntil(const std::function<bool()>& done);
  // Polls the store until `done(record)` holds or kPatience passes.
  bool WaitFor(
      const std::string& id,
      const std::function<bool(const caserelay::v1::SmsRecord&)>& done);
  // WaitFor the state, with a failure naming the state reached instead.
  bool WaitForState(const std::string& id, caserelay::v1::SmsState state);

  // The events of `kind` (SmsSent, SmsFailed, SmsDelivered) published on
  // notification-events for message `id`.
  std::vector<caserelay::v1::Envelope> Outcomes(
      const std::string& id, caserelay::v1::Envelope::PayloadCase kind);

  // The sender's metrics with the gateway label ("fake").
  uint64_t Counter(const std::string& name);
  double Gauge(const std::string& name, bool gateway_label = true);

  std::unique_ptr<svctest::TestContext> t_;
  std::unique_ptr<sms::TemplateSet> templates_;
  std::unique_ptr<MessageBook> book_;
  FakeGateway gateway_;
  FakeIntakeStub::State intake_;
  SenderOptions options_;
  std::unique_ptr<NotificationServiceImpl> service_;
  std::unique_ptr<Sender> sender_;
};

// The gateway id FakeGateway gives part `index` of `message_id`.
std::string FakeGatewayId(const std::string& message_id, int index);

// The UTF-8 text of a part.
std::string Utf8(const OutgoingPart& part);

// The part indices of `parts`, in order.
std::vector<int> Indices(const std::vector<OutgoingPart>& parts);

}  // namespace caserelay::notification

#endif  // CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_SENDER_FIXTURE_H_
