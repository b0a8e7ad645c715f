// Supervision's subtree queries answered whole by three instances (issue
// 19 item 4; README.md "Subtree queries"; common/rpc/scatter.h): 240 cases
// on case-events, spread over the 8 partitions the instances share, each
// with a TRANSFER deadline that falls due (a red light, 灭红灯) and every
// other one a group petition of 10 persons (a 群体访 alert). Each instance
// asked answers the whole board and the whole alert list, paged across
// owners, identical; supervision's GetIndicators refuses an office's token
// and gives service:statistics the counts of every case. With one instance
// SIGKILLed a query answers UNAVAILABLE naming partitions (never a partial
// board) until the group gives them to the other two, then whole again.
//
// Only devbroker and three supervision instances run, on a simulated
// clock; the test writes case-events as routing would. It needs
// supervision's partitioned state (services/supervision/definition.cc);
// label scale, not in the default run, like supervision_instances_test.

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/supervision.grpc.pb.h"
#include "common/kafka/producer.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/supervision_watch.h"

namespace caserelay::testing {
namespace {

namespace v1 = caserelay::v1;
using v1::Envelope;
using v1::SupervisionService;

constexpr int kCases = 240;
constexpr int kPageSize = 17;  // pages end inside every owner's share
constexpr char kMissed[] =
    "caserelay_supervision_timers_fired_total{kind=\"miss\"}";
constexpr char kApplied[] =
    "caserelay_events_applied_total{loop=\"case-events\"}";

// 2026-06-01 09:00 China time.
const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 6, 1, 9, 0, 0), time::ChinaTimeZone());
// Every deadline has fallen due by then.
const absl::Time kLate = kStart + absl::Hours(48);

std::string CaseId(int i) {
  return absl::StrCat("140431-20260517-", absl::StrFormat("%06d", i + 1));
}

// Case i: registered by 沁源县信访局, a 15-day TRANSFER deadline due
// kStart + 1 d + i minutes (Art. 22); every even case a group of 10.
Envelope RegisterEvent(int i) {
  const absl::Time due = kStart + absl::Hours(24) + i * absl::Minutes(1);
  RegisteredCase c;
  c.case_id = CaseId(i);
  c.started = due - absl::Hours(24 * 15);
  c.due = due;
  c.matter_class = v1::MATTER_CLASS_CLAIM;
  c.head_count = i % 2 == 0 ? 10 : 1;  // every even case a group of 10
  return RegisterEvent(c);
}

void Within(grpc::ClientContext& ctx) {
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
}

// The whole red-light board of 140431 as one instance answers it, page by
// page: the deadline ids in order, or the first error.
absl::StatusOr<std::vector<std::string>> Board(SupervisionService::Stub& s) {
  std::vector<std::string> ids;
  v1::ListRedLightsRequest req;
  req.set_region_code("140431");
  req.set_limit(kPageSize);
  for (int page = 0; page < 100; ++page) {
    grpc::ClientContext ctx;
    Within(ctx);
    v1::ListRedLightsResponse resp;
    grpc::Status st = s.ListRedLights(&ctx, req, &resp);
    if (!st.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(st.error_code()),
                          st.error_message());
    }
    EXPECT_LE(resp.lights_size(), kPageSize);
    for (const auto& l : resp.lights()) {
      ids.push_back(l.deadline().deadline_id());
    }
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return ids;
}

// The whole alert list of 140431 (alert ids in order), or the first error.
absl::StatusOr<std::vector<std::string>> Alerts(SupervisionService::Stub& s) {
  std::vector<std::string> ids;
  v1::ListGroupAlertsRequest req;
  req.set_region_code("140431");
  req.set_limit(kPageSize);
  for (int page = 0; page < 100; ++page) {
    grpc::ClientContext ctx;
    Within(ctx);
    v1::ListGroupAlertsResponse resp;
    grpc::Status st = s.ListGroupAlerts(&ctx, req, &resp);
    if (!st.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(st.error_code()),
                          st.error_message());
    }
    for (const auto& a : resp.alerts()) ids.push_back(a.alert_id());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return ids;
}

v1::GetIndicatorsRequest Figures() {
  v1::GetIndicatorsRequest req;
  req.mutable_scope()->set_region_code("140431");
  *req.mutable_to() = time::ToProto(kLate);
  return req;
}

class SupervisionScatterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SystemOptions options;
    options.services = {"supervision"};
    options.instances = {{"supervision", 3}};
    options.simulated_start = kStart;
    options.settings["supervision"] = {{"supervision.warning_before", "0"}};
    auto started = System::Start(options);
    ASSERT_TRUE(started.ok()) << started.status();
    sys_ = *std::move(started);
    instances_ = sys_->Instances("supervision");
    ASSERT_EQ(instances_.size(), 3u);
    for (const std::string& name : instances_) {
      office_.push_back(SupervisionService::NewStub(
          sys_->Channel(name, System::kProvinceBureau)));
      statistics_.push_back(SupervisionService::NewStub(
          sys_->Channel(name, "service:statistics")));
    }
  }

  double Sum(const std::string& sample) const {
    double n = 0;
    for (const std::string& name : instances_) {
      n += MetricOr0(*sys_, name, sample);
    }
    return n;
  }

  std::unique_ptr<System> sys_;
  std::vector<std::string> instances_;
  std::vector<std::unique_ptr<SupervisionService::Stub>> office_;
  std::vector<std::unique_ptr<SupervisionService::Stub>> statistics_;
};

TEST_F(SupervisionScatterTest, EveryInstanceAnswersTheWholeBoardUntilOneDies) {
  // 1. The cases, then every deadline falls due.
  std::atomic<int> failed{0};
  auto producer = kafka::CreateKafkaProducer(
      {sys_->bootstrap(), "scatter-test", {}, absl::Seconds(10)},
      [&failed](const kafka::DeliveryReport& r) {
        if (!r.status.ok()) ++failed;
      });
  ASSERT_TRUE(producer.ok()) << producer.status();
  std::vector<std::string> expected_lights, expected_alerts;
  for (int i = 0; i < kCases; ++i) {
    const Envelope e = RegisterEvent(i);
    ASSERT_TRUE((*producer)
                    ->Produce("case-events", e.case_id(),
                              e.SerializeAsString(), i)
                    .ok());
    // Oldest due first: case i is due i minutes after case 0.
    expected_lights.push_back(absl::StrCat(
        e.case_id(), "/transfer/",
        absl::ToUnixMicros(
            time::FromProto(e.case_event().deadlines(0).started_at()))));
    // Newest received first: the later the case, the later received.
    if (i % 2 == 0) {
      expected_alerts.insert(expected_alerts.begin(),
                             absl::StrCat(e.case_id(), "/group-alert"));
    }
  }
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  ASSERT_EQ(failed.load(), 0) << "case-events not delivered";
  absl::Time give_up = absl::Now() + Scaled(absl::Seconds(120));
  while (Sum(kApplied) < kCases && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  ASSERT_EQ(Sum(kApplied), kCases);
  for (const std::string& name : instances_) {
    ASSERT_GT(MetricOr0(*sys_, name, kApplied), 0)
        << name << " holds no partition: the board would not be scattered";
  }
  sys_->clock().Set(kLate);
  give_up = absl::Now() + Scaled(absl::Seconds(60));
  while (Sum(kMissed) < kCases && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_EQ(Sum(kMissed), kCases) << "every deadline missed once";

  // 2. Each instance answers the whole board, the same, page by page (a
  // miss is counted as it fires, its light shows once committed: the
  // first instance is asked until the board is whole; and while the group
  // still settles after the last instance joined, cooperative-sticky
  // moves partitions in two rounds, so an instance may answer UNAVAILABLE
  // "moving" first, never a partial board).
  give_up = absl::Now() + Scaled(absl::Seconds(30));
  absl::StatusOr<std::vector<std::string>> first = Board(*office_[0]);
  while ((!first.ok() || *first != expected_lights) && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(200));
    first = Board(*office_[0]);
  }
  for (size_t k = 0; k < instances_.size(); ++k) {
    SCOPED_TRACE(instances_[k]);
    absl::StatusOr<std::vector<std::string>> board = Board(*office_[k]);
    while (!board.ok() && absl::Now() < give_up) {
      EXPECT_EQ(board.status().code(), absl::StatusCode::kUnavailable)
          << board.status();
      absl::SleepFor(absl::Milliseconds(200));
      board = Board(*office_[k]);
    }
    ASSERT_TRUE(board.ok()) << board.status();
    EXPECT_EQ(board->size(), expected_lights.size());
    EXPECT_EQ(*board, expected_lights);
    absl::StatusOr<std::vector<std::string>> alerts = Alerts(*office_[k]);
    ASSERT_TRUE(alerts.ok()) << alerts.status();
    EXPECT_EQ(*alerts, expected_alerts);
  }

  // 3. GetIndicators: an office's token is refused; service:statistics
  // gets the counts of every case, summed over the instances.
  for (size_t k = 0; k < instances_.size(); ++k) {
    SCOPED_TRACE(instances_[k]);
    grpc::ClientContext as_office, as_statistics;
    Within(as_office);
    Within(as_statistics);
    v1::GetIndicatorsResponse refused, figures;
    EXPECT_EQ(office_[k]->GetIndicators(&as_office, Figures(), &refused)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    grpc::Status st =
        statistics_[k]->GetIndicators(&as_statistics, Figures(), &figures);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(figures.total().timely_acceptance_bureau().denominator(),
              kCases);
    EXPECT_EQ(figures.total().timely_acceptance_bureau().numerator(), 0);
    EXPECT_EQ(figures.total().backlog(), kCases);
    EXPECT_EQ(figures.total().repeat().denominator(), kCases)
        << "every petition received in the period";
  }

  // 4. supervision#2 dies: its partitions have no answering owner until
  // the group moves them (session timeout, restore); meanwhile a query
  // names them, never a partial board.
  sys_->Kill("supervision#2", SIGKILL);
  absl::StatusOr<std::vector<std::string>> during = Board(*office_[0]);
  ASSERT_FALSE(during.ok()) << "a board without supervision#2's partitions";
  EXPECT_EQ(during.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(during.status().message().find("partition"), std::string::npos)
      << during.status();
  std::printf("while moving: %s\n", std::string(during.status().message()).c_str());
  int unavailable = 1;
  give_up = absl::Now() + Scaled(absl::Seconds(120));
  while (absl::Now() < give_up) {
    during = Board(*office_[0]);
    if (during.ok()) break;
    EXPECT_EQ(during.status().code(), absl::StatusCode::kUnavailable)
        << during.status();
    ++unavailable;
    absl::SleepFor(absl::Milliseconds(250));
  }
  ASSERT_TRUE(during.ok()) << "never whole again: " << during.status();
  std::printf("%d UNAVAILABLE answers until the partitions moved\n",
              unavailable);
  for (size_t k : {size_t{0}, size_t{2}}) {
    SCOPED_TRACE(instances_[k]);
    // Each instance learns the new owners from the owners topic: until
    // then it too answers UNAVAILABLE naming the partitions.
    absl::StatusOr<std::vector<std::string>> board = Board(*office_[k]);
    while (!board.ok() && absl::Now() < give_up) {
      EXPECT_EQ(board.status().code(), absl::StatusCode::kUnavailable)
          << board.status();
      absl::SleepFor(absl::Milliseconds(200));
      board = Board(*office_[k]);
    }
    ASSERT_TRUE(board.ok()) << board.status();
    EXPECT_EQ(*board, expected_lights);
    absl::StatusOr<std::vector<std::string>> alerts = Alerts(*office_[k]);
    ASSERT_TRUE(alerts.ok()) << alerts.status();
    EXPECT_EQ(*alerts, expected_alerts);
    grpc::ClientContext ctx;
    Within(ctx);
    v1::GetIndicatorsResponse figures;
    ASSERT_TRUE(statistics_[k]->GetIndicators(&ctx, Figures(), &figures).ok());
    EXPECT_EQ(figures.total().backlog(), kCases);
  }
}

}  // namespace
}  // namespace caserelay::testing
