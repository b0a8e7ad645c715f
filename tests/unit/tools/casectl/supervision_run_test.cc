// lights, stats and deadlines against a fake SupervisionService on a
// loopback port: what casectl sends and prints. (The real service:
// tests/integration.)
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "caserelay/v1/statistics.grpc.pb.h"
#include "caserelay/v1/supervision.grpc.pb.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tools/casectl/supervision_commands.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;

google::protobuf::Timestamp China(int y, int m, int d, int hh = 0) {
  return time::ToProto(absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0),
                                       time::ChinaTimeZone()));
}

// Answers from canned data and records what it was asked.
class FakeSupervision final : public v1::SupervisionService::Service {
 public:
  grpc::Status ListRedLights(grpc::ServerContext*,
                             const v1::ListRedLightsRequest* req,
                             v1::ListRedLightsResponse* resp) override {
    absl::MutexLock lock(&mu_);
    lights_requests_.push_back(*req);
    if (refuse_) {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                          "region 140400 is outside 140431:bureau's subtree");
    }
    *resp->mutable_as_of() = China(2026, 5, 12, 9);
    if (empty_) return grpc::Status::OK;
    v1::RedLight* light = resp->add_lights();
    light->mutable_deadline()->set_kind(v1::DEADLINE_KIND_HANDLING);
    light->mutable_deadline()->set_office_code("140431:labour");
    if (req->page_token().empty()) {
      light->mutable_deadline()->set_case_id("C1");
      *light->mutable_deadline()->mutable_due_at() = China(2026, 5, 1);
      light->set_overdue_days(11);
      light->set_supervision(v1::SUPERVISION_LEVEL_LETTER);
      resp->set_next_page_token("p2");
    } else {
      light->mutable_deadline()->set_case_id("C2");
      *light->mutable_deadline()->mutable_due_at() = China(2026, 5, 10);
      light->set_overdue_days(2);
    }
    return grpc::Status::OK;
  }
  grpc::Status ListDeadlines(grpc::ServerContext*,
                             const v1::ListDeadlinesRequest* req,
                             v1::ListDeadlinesResponse* resp) override {
    absl::MutexLock lock(&mu_);
    if (req->case_id() != "C1") return grpc::Status::OK;  // not seen
    v1::Deadline* d = resp->add_deadlines();
    d->set_case_id("C1");
    d->set_kind(v1::DEADLINE_KIND_ACCEPTANCE);
    d->set_office_code("140431:labour");
    *d->mutable_started_at() = China(2026, 4, 1, 10);
    *d->mutable_due_at() = China(2026, 4, 17);
    d->set_state(v1::DEADLINE_STATE_ARMED);
    return grpc::Status::OK;
  }

  absl::Mutex mu_;
  bool empty_ ABSL_GUARDED_BY(mu_) = false;
  bool refuse_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<v1::ListRedLightsRequest> lights_requests_ ABSL_GUARDED_BY(mu_);
};

// statistics' GetIndicators (the one place of the indicators, issue 17),
// from canned data, recording what it was asked.
class FakeStatistics final : public v1::StatisticsService::Service {
 public:
  grpc::Status GetIndicators(grpc::ServerContext*,
                             const v1::GetIndicatorsRequest* req,
                             v1::GetIndicatorsResponse* resp) override {
    absl::MutexLock lock(&mu_);
    indicators_requests_.push_back(*req);
    *resp->mutable_from() = req->from();
    *resp->mutable_to() = req->has_to() ? req->to() : China(2026, 5, 12, 9);
    v1::Rate* rate = resp->mutable_total()->mutable_on_time_completion();
    rate->set_numerator(3);
    rate->set_denominator(4);
    rate->set_value(0.75);
    resp->mutable_total()->set_backlog(1);
    if (req->breakdown() == v1::BREAKDOWN_OFFICE) {
      *resp->add_rows() = resp->total();
      resp->mutable_rows(0)->set_key("140431:labour");
    }
    return grpc::Status::OK;
  }
  absl::Mutex mu_;
  std::vector<v1::GetIndicatorsRequest> indicators_requests_
      ABSL_GUARDED_BY(mu_);
};

class SupervisionRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&fake_);
    builder.RegisterService(&statistics_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                       grpc::InsecureChannelCredentials());
    stub_ = v1::SupervisionService::NewStub(channel);
    statistics_stub_ = v1::StatisticsService::NewStub(channel);
  }
  void TearDown() override { server_->Shutdown(); }

  FakeSupervision fake_;
  FakeStatistics statistics_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::SupervisionService::Stub> stub_;
  std::unique_ptr<v1::StatisticsService::Stub> statistics_stub_;
};

TEST_F(SupervisionRunTest, LightsWithAllFollowsThePagesOldestFirst) {
  LightsCommand cmd;
  cmd.all = true;
  cmd.request.set_region_code("140431");
  cmd.request.set_limit(1);
  std::ostringstream out;
  ASSERT_TRUE(RunLights(*stub_, cmd, {}, out).ok());
  EXPECT_EQ(out.str(),
            "DUE         OVERDUE  KIND                 OFFICE         CASE  "
            "SUPERVISION\n"
            "2026-04-30  11 days  handling (处理意见)  140431:labour  C1    "
            "letter (督办函)\n"
            "2026-05-09  2 days   handling (处理意见)  140431:labour  C2    "
            "none\n"
            "2 red lights in region 140431 as of 2026-05-12 09:00:00 (China "
            "time)\n");
  absl::MutexLock lock(&fake_.mu_);
  ASSERT_EQ(fake_.lights_requests_.size(), 2u);
  EXPECT_EQ(fake_.lights_requests_[0].region_code(), "140431");
  EXPECT_EQ(fake_.lights_requests_[0].limit(), 1);
  EXPECT_EQ(fake_.lights_requests_[1].page_token(), "p2");
  EXPECT_EQ(fake_.lights_requests_[1].region_code(), "140431");
}

TEST_F(SupervisionRunTest, LightsWithoutAllNamesTheNextPage) {
  std::ostringstream out;
  ASSERT_TRUE(RunLights(*stub_, LightsCommand(), {}, out).ok());
  EXPECT_TRUE(absl::StrContains(
      out.str(),
      "1 red light in the whole deployment as of 2026-05-12 09:00:00 (China "
      "time)\nmore: --page-token p2 (or --all)\n"))
      << out.str();
}

TEST_F(SupervisionRunTest, EmptyBoardSaysNoRedLights) {
  {
    absl::MutexLock lock(&fake_.mu_);
    fake_.empty_ = true;
  }
  LightsCommand cmd;
  cmd.request.set_office_code("140431:labour");
  std::ostringstream out;
  ASSERT_TRUE(RunLights(*stub_, cmd, {}, out).ok());
  EXPECT_EQ(out.str(),
            "no red lights in office 140431:labour as of 2026-05-12 09:00:00 "
            "(China time)\n");
}

TEST_F(SupervisionRunTest, LightsJsonIsOneResponseWithEveryPage) {
  LightsCommand cmd;
  cmd.all = true;
  std::ostringstream out;
  ASSERT_TRUE(RunLights(*stub_, cmd, PrintOptions{true}, out).ok());
  v1::ListRedLightsResponse parsed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out.str(), &parsed).ok())
      << out.str();
  ASSERT_EQ(parsed.lights_size(), 2);
  EXPECT_EQ(parsed.lights(0).deadline().case_id(), "C1");
  EXPECT_EQ(parsed.lights(1).deadline().case_id(), "C2");
  EXPECT_TRUE(parsed.next_page_token().empty());
  EXPECT_EQ(parsed.as_of().seconds(), China(2026, 5, 12, 9).seconds());
}

TEST_F(SupervisionRunTest, RefusalIsTheServicesStatusAndPrintsNothing) {
  {
    absl::MutexLock lock(&fake_.mu_);
    fake_.refuse_ = true;
  }
  std::ostringstream out;
  absl::Status s = RunLights(*stub_, LightsCommand(), {}, out);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(), "region 140400 is outside 140431:bureau's subtree");
  EXPECT_EQ(out.str(), "");
}

TEST_F(SupervisionRunTest, StatsSendsTheRequestAndPrintsTheRows) {
  v1::GetIndicatorsRequest req;
  req.mutable_scope()->set_region_code("140431");
  *req.mutable_from() = China(2026, 5, 1);
  req.set_breakdown(v1::BREAKDOWN_OFFICE);
  std::ostringstream out;
  ASSERT_TRUE(RunStats(*statistics_stub_, req, {}, out).ok());
  const std::string text = out.str();
  EXPECT_TRUE(absl::StartsWith(
      text,
      "indicators of region 140431\n"
      "period: 2026-05-01 00:00:00 to 2026-05-12 09:00:00 (China time, end "
      "exclusive)\nOFFICE   "))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "\n140431:labour  — 0/0")) << text;
  EXPECT_TRUE(absl::StrContains(text, "75.0% 3/4")) << text;
  EXPECT_TRUE(absl::StrContains(text, "\ntotal          — 0/0")) << text;
  absl::MutexLock lock(&statistics_.mu_);
  ASSERT_EQ(statistics_.indicators_requests_.size(), 1u);
  EXPECT_EQ(statistics_.indicators_requests_[0].scope().region_code(),
            "140431");
  EXPECT_EQ(statistics_.indicators_requests_[0].breakdown(),
            v1::BREAKDOWN_OFFICE);
  EXPECT_FALSE(statistics_.indicators_requests_[0].has_to());
}

TEST_F(SupervisionRunTest, StatsJsonIsTheResponse) {
  v1::GetIndicatorsRequest req;
  *req.mutable_from() = China(2026, 5, 1);
  std::ostringstream out;
  ASSERT_TRUE(RunStats(*statistics_stub_, req, PrintOptions{true}, out).ok());
  v1::GetIndicatorsResponse parsed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out.str(), &parsed).ok())
      << out.str();
  EXPECT_EQ(parsed.total().on_time_completion().numerator(), 3);
  EXPECT_EQ(parsed.total().on_time_completion().value(), 0.75);
  EXPECT_EQ(parsed.total().backlog(), 1);
}

TEST_F(SupervisionRunTest, DeadlinesOfAKnownAndAnUnknownCase) {
  std::ostringstream out;
  ASSERT_TRUE(RunDeadlines(*stub_, "C1", {}, out).ok());
  EXPECT_EQ(
      out.str(),
      "case C1: 1 deadline\n"
      "KIND                   OFFICE         STARTED              DUE     "
      "    STATE  ENDED  FOR\n"
      "acceptance (受理告知)  140431:labour  2026-04-01 10:00:00  "
      "2026-04-16  armed  -      -\n"
      "督办 (supervision): none\n");
  out.str("");
  ASSERT_TRUE(RunDeadlines(*stub_, "C9", {}, out).ok());
  EXPECT_EQ(out.str(), "no deadlines of case C9 known to supervision\n");
}

}  // namespace
}  // namespace caserelay::casectl
