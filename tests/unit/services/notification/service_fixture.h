// The fixture of NotificationServiceImpl's tests
// (notification_service_test.cc, resolve_message_test.cc): a TestContext
// (svctest::StoreFixture: temp-dir store, outbox over a fake producer,
// simulated clock at 2026-11-22 10:00 China time), a MessageBook and the
// service, whose on_queued counts wakes.
//
// Thread safety: used from the test's thread only.

#ifndef CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_SERVICE_FIXTURE_H_
#define CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_SERVICE_FIXTURE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/notification.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/store/store.h"
#include "gtest/gtest.h"
#include "services/notification/message_book.h"
#include "services/notification/message_rules.h"
#include "services/notification/notification_service.h"
#include "tests/unit/services/notification/fakes.h"
#include "tests/unit/services/store_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::notification {

inline constexpr char kCase[] = "140431-20261122-000001";

class NotificationServiceTest : public svctest::StoreFixture {
 protected:
  NotificationServiceTest() : StoreFixture(ColumnFamilies()) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreFixture::SetUp());
    book_ = std::make_unique<MessageBook>(t_->context());
    service_ = std::make_unique<NotificationServiceImpl>(
        t_->context(), book_.get(), "fake", [this] { ++wakes_; });
  }

  // Applies `event` in its own batch, commits, and tells the service.
  void ApplyAndCommit(const caserelay::v1::Envelope& event) {
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

  // The last case-events sequence applied for `case_id`; "" if none.
  std::string LastSequence(const std::string& case_id) {
    auto raw = t_->store().Get(kSequences, case_id);
    EXPECT_TRUE(raw.ok()) << raw.status();
    return raw.ok() && raw->has_value() ? **raw : std::string();
  }

  std::vector<caserelay::v1::Envelope> Queued() {
    std::vector<caserelay::v1::Envelope> out;
    for (caserelay::v1::Envelope& e : t_->Published("notification-events")) {
      if (e.has_sms_queued()) out.push_back(e);
    }
    return out;
  }

  caserelay::v1::SmsRecord Message(const std::string& id) {
    caserelay::v1::SmsRecord record;
    auto raw = t_->store().Get(kMessages, id);
    EXPECT_TRUE(raw.ok() && raw->has_value()) << "no message " << id;
    if (raw.ok() && raw->has_value()) {
      EXPECT_TRUE(record.ParseFromString(**raw));
    }
    return record;
  }

  // Makes the queued message `id` as the sender leaves one whose part `k`
  // got no answer: `parts` parts, those before `k` ACCEPTED, `k` UNKNOWN,
  // the rest PENDING; the message UNKNOWN and off the queue.
  void MakeUnknown(const std::string& id, int parts, int k) {
    auto made = book_->Update(
        id, [&](caserelay::v1::SmsRecord& r) -> absl::StatusOr<Change> {
          auto* m = r.mutable_message();
          m->set_state(caserelay::v1::SMS_STATE_UNKNOWN);
          m->set_parts(parts);
          m->set_text("【信访】您的信访事项已收到，查询码********");
          m->set_last_error("no answer from the gateway for part " +
                            std::to_string(k));
          for (int i = 1; i <= parts; ++i) {
            caserelay::v1::SmsPart* p = m->add_part_states();
            p->set_index(i);
            p->set_state(i < k    ? caserelay::v1::SMS_PART_STATE_ACCEPTED
                         : i == k ? caserelay::v1::SMS_PART_STATE_UNKNOWN
                                  : caserelay::v1::SMS_PART_STATE_PENDING);
            if (i < k) p->set_gateway_message_id("gw-" + std::to_string(i));
          }
          Change c;
          c.dequeue = true;
          return c;
        });
    ASSERT_TRUE(made.ok()) << made.status();
    ASSERT_FALSE(InQueue(id));
  }

  // The receipt SMS of kCase, queued and then made UNKNOWN (MakeUnknown).
  std::string QueuedUnknown(int parts, int k) {
    caserelay::v1::Envelope routed = RegisterFor(kCase);
    ApplyAndCommit(routed);
    const std::string id = routed.event_id() + "/sms";
    MakeUnknown(id, parts, k);
    return id;
  }

  // An operator's ResolveMessage, on a service built without an
  // authenticator (the access rules are access_test.cc's).
  grpc::Status Resolve(const std::string& id,
                       caserelay::v1::SmsResolution resolution,
                       const std::string& note,
                       caserelay::v1::ResolveMessageResponse* resp) {
    caserelay::v1::ResolveMessageRequest req;
    req.set_message_id(id);
    req.set_resolution(resolution);
    req.set_note(note);
    return service_->ResolveMessage(nullptr, &req, resp);
  }

  bool InQueue(const std::string& id) {
    auto raw = t_->store().Get(kQueue, Message(id).queue_key());
    EXPECT_TRUE(raw.ok()) << raw.status();
    return raw.ok() && raw->has_value();
  }

  // The events of `kind` published on notification-events.
  std::vector<caserelay::v1::Envelope> Published(
      caserelay::v1::Envelope::PayloadCase kind) {
    std::vector<caserelay::v1::Envelope> out;
    for (caserelay::v1::Envelope& e : t_->Published("notification-events")) {
      if (e.payload_case() == kind) out.push_back(e);
    }
    return out;
  }

  std::unique_ptr<MessageBook> book_;
  std::unique_ptr<NotificationServiceImpl> service_;
  int wakes_ = 0;
};

}  // namespace caserelay::notification

#endif  // CASERELAY_TESTS_UNIT_SERVICES_NOTIFICATION_SERVICE_FIXTURE_H_
