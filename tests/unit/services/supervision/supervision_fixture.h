// Shared by the SupervisionServiceImpl tests: a temp-dir store, a
// simulated clock, the committed region tree and office tables, case
// events built by hand and the published supervision-events.
#ifndef CASERELAY_TESTS_UNIT_SERVICES_SUPERVISION_SUPERVISION_FIXTURE_H_
#define CASERELAY_TESTS_UNIT_SERVICES_SUPERVISION_SUPERVISION_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "caserelay/v1/events.pb.h"
#include "common/rpc/auth.h"
#include "common/store/store.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "services/supervision/supervision_service.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::supervision::testing {

using caserelay::v1::Deadline;
using caserelay::v1::Envelope;
using caserelay::v1::RunningDeadline;

inline constexpr char kCase[] = "140431-20261122-000001";

// Receipt 2026-11-22 10:00; the 15-day transfer deadline's last day is
// 2026-12-07, so it falls due at 2026-12-08 00:00 China time.
inline absl::Time Received() { return svctest::ChinaTime(2026, 11, 22, 10, 0); }
inline absl::Time TransferDue() {
  return svctest::ChinaTime(2026, 12, 8, 0, 0);
}

inline RunningDeadline Running(caserelay::v1::DeadlineKind kind,
                               absl::Time started, absl::Time due,
                               const std::string& office) {
  RunningDeadline d;
  d.set_kind(kind);
  d.set_office_code(office);
  *d.mutable_started_at() = time::ToProto(started);
  *d.mutable_due_at() = time::ToProto(due);
  return d;
}

inline RunningDeadline Transfer() {
  return Running(caserelay::v1::DEADLINE_KIND_TRANSFER, Received(),
                 TransferDue(), "140431:bureau");
}

// Event `sequence` of `case_id`, at `at`, listing `deadlines` (a TRANSFER:
// case_facts.h needs only action and to_state of it).
inline Envelope Event(uint64_t sequence, absl::Time at,
                      std::vector<RunningDeadline> deadlines,
                      const std::string& case_id = kCase) {
  Envelope e;
  e.set_event_id("routing/" + case_id + "/" + std::to_string(sequence));
  e.set_case_id(case_id);
  e.set_sequence(sequence);
  e.set_producer("routing");
  *e.mutable_occurred_at() = time::ToProto(at);
  auto* c = e.mutable_case_event();
  c->set_action(caserelay::v1::CASE_ACTION_TRANSFER);
  c->set_from_state(caserelay::v1::CASE_STATE_REGISTERED);
  c->set_to_state(caserelay::v1::CASE_STATE_TRANSFERRED);
  for (RunningDeadline& d : deadlines) *c->add_deadlines() = std::move(d);
  return e;
}

using svctest::FixedCaller;

class SupervisionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = svctest::TestContext::Create(ColumnFamilies(), Received());
    ASSERT_TRUE(t.ok()) << t.status();
    t_ = *std::move(t);
    Make();
  }

  // (Re)builds the service over the same store; `caller` set: with an
  // authenticator saying every call comes from that office.
  void Make(SupervisionOptions options = {}, std::string caller = "") {
    service::Context context = t_->context();
    if (!caller.empty()) {
      auth_ = std::make_unique<FixedCaller>(caller);
      context.auth = auth_.get();
    }
    service_ = std::make_unique<SupervisionServiceImpl>(
        context,
        SupervisionTables{&svctest::ShippedRegions(),
                          &svctest::ShippedOfficeDirectory()},
        options);
  }

  // A service without warnings (supervision.warning_before = 0): only
  // miss timers, one per deadline.
  void MakeMissesOnly(int fire_batch = SupervisionOptions{}.fire_batch) {
    SupervisionOptions options;
    options.fire_batch = fire_batch;
    options.warning_before = absl::ZeroDuration();
    Make(options);
  }

  void ApplyAndCommit(const Envelope& event) {
    store::WriteBatch batch(&t_->store());
    ASSERT_EQ(service_->Apply(event, batch).code(), absl::StatusCode::kOk);
    ASSERT_EQ(t_->publisher().Commit(batch).code(), absl::StatusCode::kOk);
  }

  void TickAndCommit() {
    store::WriteBatch batch(&t_->store());
    ASSERT_EQ(service_->Tick(batch).code(), absl::StatusCode::kOk);
    ASSERT_EQ(t_->publisher().Commit(batch).code(), absl::StatusCode::kOk);
  }

  // Sets the clock to `at` and ticks.
  void TickAt(absl::Time at) {
    t_->clock().Set(at);
    TickAndCommit();
  }

  caserelay::v1::ListDeadlinesResponse ListAll(
      const std::string& case_id = kCase) {
    caserelay::v1::ListDeadlinesRequest req;
    req.set_case_id(case_id);
    caserelay::v1::ListDeadlinesResponse resp;
    grpc::ServerContext ctx;
    grpc::Status s = service_->ListDeadlines(&ctx, &req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  std::vector<Deadline> List(const std::string& case_id = kCase) {
    caserelay::v1::ListDeadlinesResponse resp = ListAll(case_id);
    return {resp.deadlines().begin(), resp.deadlines().end()};
  }

  // The supervision-events published so far with payload `payload`.
  std::vector<Envelope> Published(Envelope::PayloadCase payload) {
    std::vector<Envelope> out;
    for (Envelope& e : t_->Published("supervision-events")) {
      if (e.payload_case() == payload) out.push_back(std::move(e));
    }
    return out;
  }
  std::vector<Envelope> Missed() {
    return Published(Envelope::kDeadlineMissed);
  }
  std::vector<Envelope> Warnings() {
    return Published(Envelope::kDeadlineWarning);
  }
  std::vector<Envelope> Issued() {
    return Published(Envelope::kSupervisionIssued);
  }

  int Count(const char* cf) {
    int n = 0;
    EXPECT_TRUE(t_->store()
                    .Scan(cf, "", "",
                          [&](std::string_view, std::string_view) {
                            ++n;
                            return true;
                          })
                    .ok());
    return n;
  }
  int Timers() { return Count(kTimers); }

  std::unique_ptr<svctest::TestContext> t_;
  std::unique_ptr<FixedCaller> auth_;
  std::unique_ptr<SupervisionServiceImpl> service_;
};

}  // namespace caserelay::supervision::testing

#endif  // CASERELAY_TESTS_UNIT_SERVICES_SUPERVISION_SUPERVISION_FIXTURE_H_
