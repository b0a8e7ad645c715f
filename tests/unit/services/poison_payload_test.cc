// A record on case-events that parses as an Envelope but carries no
// CaseEvent is poison (issue 14 item 5: "A poison record on any topic goes
// to the dead letters with its reason"). Every consumer of case-events
// refuses it with INVALID_ARGUMENT naming the payload, writing nothing, so
// the consume loop keeps it in "dead-letters" (consume_loop.h EventHandler
// ::Apply) instead of skipping it unseen, as they did before.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "caserelay/v1/events.pb.h"
#include "common/service/consume_loop.h"
#include "common/service/payload.h"
#include "common/store/store.h"
#include "gtest/gtest.h"
#include "services/intake/intake_service.h"
#include "services/notification/message_book.h"
#include "services/notification/notification_service.h"
#include "services/supervision/supervision_service.h"
#include "tests/unit/services/intake/intake_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::svctest {
namespace {

using caserelay::v1::Envelope;

// One wrong payload: the envelope and the field name the refusal gives.
struct Poison {
  const char* carries;
  std::function<void(Envelope&)> set;
};

std::vector<Poison> Poisons() {
  return {
      {"no payload", [](Envelope&) {}},
      {"petition_received",
       [](Envelope& e) {
         e.mutable_petition_received()->set_case_number(e.case_id());
       }},
      {"deadline_missed",
       [](Envelope& e) { e.mutable_deadline_missed()->set_deadline_id("d"); }},
      {"supervision_issued",
       [](Envelope& e) {
         e.mutable_supervision_issued()->set_supervision_id("s");
       }},
      {"sms_sent", [](Envelope& e) { e.mutable_sms_sent(); }},
  };
}

Envelope PoisonEnvelope(const Poison& p) {
  Envelope e;
  e.set_event_id("routing/140431-20261122-000001/1");
  e.set_case_id("140431-20261122-000001");
  e.set_sequence(1);
  e.set_producer("routing");
  p.set(e);
  return e;
}

// notification's handler and the MessageBook it writes through.
struct NotificationParts {
  explicit NotificationParts(const service::Context& context)
      : book(context), service(context, &book, "fake", [] {}) {}
  notification::MessageBook book;
  notification::NotificationServiceImpl service;
};

// A consumer of case-events over its own store.
struct Consumer {
  const char* name;
  std::function<absl::StatusOr<std::unique_ptr<TestContext>>()> context;
  std::function<std::shared_ptr<service::EventHandler>(TestContext&)> make;
};

std::vector<Consumer> CaseEventConsumers() {
  const absl::Time start = ChinaTime(2026, 11, 22, 10, 0);
  return {
      {"intake",
       [start] { return TestContext::Create(intake::ColumnFamilies(), start); },
       [](TestContext& t) -> std::shared_ptr<service::EventHandler> {
         return intake::NewIntakeService(t);
       }},
      {"supervision",
       [start] {
         return TestContext::Create(supervision::ColumnFamilies(), start);
       },
       [](TestContext& t) -> std::shared_ptr<service::EventHandler> {
         return std::make_shared<supervision::SupervisionServiceImpl>(
             t.context(), supervision::SupervisionTables{
                              &ShippedRegions(), &ShippedOfficeDirectory()});
       }},
      {"notification",
       [start] {
         return TestContext::Create(notification::ColumnFamilies(), start);
       },
       [](TestContext& t) -> std::shared_ptr<service::EventHandler> {
         auto both = std::make_shared<NotificationParts>(t.context());
         return std::shared_ptr<service::EventHandler>(both, &both->service);
       }},
  };
}

TEST(PoisonPayloadTest, ExpectPayloadNamesWhatTheEventCarries) {
  for (const Poison& p : Poisons()) {
    SCOPED_TRACE(p.carries);
    absl::Status s = service::ExpectPayload(
        PoisonEnvelope(p), Envelope::kCaseEvent, "case-events");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(s.message(),
              std::string("case-events: event "
                          "routing/140431-20261122-000001/1 carries ") +
                  p.carries + ", not case_event");
  }
  Envelope good;
  good.mutable_case_event();
  EXPECT_EQ(
      service::ExpectPayload(good, Envelope::kCaseEvent, "case-events").code(),
      absl::StatusCode::kOk);
}

TEST(PoisonPayloadTest, CaseEventConsumersRefuseAnotherPayloadWritingNothing) {
  for (const Consumer& c : CaseEventConsumers()) {
    auto t = c.context();
    ASSERT_TRUE(t.ok()) << t.status();
    std::shared_ptr<service::EventHandler> handler = c.make(**t);
    for (const Poison& p : Poisons()) {
      SCOPED_TRACE(std::string(c.name) + " given " + p.carries);
      store::WriteBatch batch(&(*t)->store());
      absl::Status s = handler->Apply(PoisonEnvelope(p), batch);
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
      EXPECT_TRUE(absl::StrContains(s.message(), p.carries)) << s;
      EXPECT_TRUE(batch.empty());
    }
  }
}

}  // namespace
}  // namespace caserelay::svctest
