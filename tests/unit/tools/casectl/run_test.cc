// The office commands against a fake RoutingService on a loopback port:
// what casectl sends and prints. (The real services: tests/integration.)
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "common/digest/digest.h"
#include "domain/chain/chain.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tools/casectl/office_commands.h"
#include "tools/casectl/verify_route.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;

// Answers from canned data and records what it was asked.
class FakeRouting final : public v1::RoutingService::Service {
 public:
  grpc::Status GetCase(grpc::ServerContext*, const v1::GetCaseRequest* req,
                       v1::CaseDetail* resp) override {
    absl::MutexLock lock(&mu_);
    ++get_calls_;
    if (req->case_id() != detail_.view().case_id()) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such case");
    }
    *resp = detail_;
    return grpc::Status::OK;
  }
  grpc::Status ListInbox(grpc::ServerContext*, const v1::ListInboxRequest* req,
                         v1::ListInboxResponse* resp) override {
    absl::MutexLock lock(&mu_);
    inbox_requests_.push_back(*req);
    v1::InboxItem* item = resp->add_items();
    if (req->page_token().empty()) {
      item->set_case_id("C1");
      item->set_state(v1::CASE_STATE_ASSIGNED);
      item->set_title("拖欠工资");
      resp->set_next_page_token("p2");
    } else {
      item->set_case_id("C2");
      item->set_state(v1::CASE_STATE_EXTENDED);
    }
    return grpc::Status::OK;
  }
  grpc::Status Act(grpc::ServerContext*, const v1::ActRequest* req,
                   v1::CaseView* resp) override {
    absl::MutexLock lock(&mu_);
    act_requests_.push_back(*req);
    if (req->expected_version() != detail_.view().version()) {
      return grpc::Status(grpc::StatusCode::ABORTED, "stale version");
    }
    *resp = detail_.view();
    resp->set_state(v1::CASE_STATE_ACCEPTED);
    resp->set_version(detail_.view().version() + 1);
    return grpc::Status::OK;
  }
  grpc::Status PreviewRoute(grpc::ServerContext*,
                            const v1::PreviewRouteRequest* req,
                            v1::RouteDecision* resp) override {
    resp->set_disposition(v1::DISPOSITION_TRANSFER);
    resp->set_target_office_code(req->matter().region_code() + ":labour");
    return grpc::Status::OK;
  }

  absl::Mutex mu_;
  v1::CaseDetail detail_ ABSL_GUARDED_BY(mu_);
  int get_calls_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<v1::ListInboxRequest> inbox_requests_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::ActRequest> act_requests_ ABSL_GUARDED_BY(mu_);
};

// Case "C1" at version n with a proper hash chain.
v1::CaseDetail Chain(int n) {
  v1::CaseDetail detail;
  detail.mutable_view()->set_case_id("C1");
  detail.mutable_view()->set_version(n);
  detail.mutable_view()->set_office_code("140431:labour");
  std::string prev;
  for (int i = 1; i <= n; ++i) {
    v1::Envelope env;
    env.set_case_id("C1");
    env.set_sequence(i);
    if (!prev.empty()) env.set_prev_hash(digest::Sha256(prev));
    env.mutable_case_event()->set_action(v1::CASE_ACTION_REGISTER);
    prev = env.SerializeAsString();
    detail.add_events(prev);
  }
  return detail;
}

class RunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      absl::MutexLock lock(&fake_.mu_);
      fake_.detail_ = Chain(3);
    }
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&fake_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::RoutingService::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                            grpc::InsecureChannelCredentials()));
  }
  void TearDown() override { server_->Shutdown(); }

  ActCommand Accept(bool with_version, uint64_t version) {
    ActCommand cmd;
    cmd.request.set_case_id("C1");
    cmd.request.mutable_accept();
    cmd.version_given = with_version;
    cmd.request.set_expected_version(version);
    return cmd;
  }

  FakeRouting fake_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::RoutingService::Stub> stub_;
};

TEST_F(RunTest, ActWithoutVersionReadsTheCaseAndActsOnItsVersion) {
  std::ostringstream out;
  ASSERT_TRUE(RunAct(*stub_, Accept(false, 0), {}, out).ok());
  absl::MutexLock lock(&fake_.mu_);
  EXPECT_EQ(fake_.get_calls_, 1);
  ASSERT_EQ(fake_.act_requests_.size(), 1u);
  EXPECT_EQ(fake_.act_requests_[0].expected_version(), 3u);
  EXPECT_EQ(out.str(),
            "case: C1\nstate: accepted (已受理)\nholder: 140431:labour\n"
            "version: 4\n");
}

TEST_F(RunTest, ActWithAStaleVersionIsAbortedWithoutReading) {
  std::ostringstream out;
  absl::Status s = RunAct(*stub_, Accept(true, 2), {}, out);
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(s.message(), "stale version");
  EXPECT_EQ(out.str(), "");
  absl::MutexLock lock(&fake_.mu_);
  EXPECT_EQ(fake_.get_calls_, 0);
}

TEST_F(RunTest, InboxWithAllFollowsThePages) {
  InboxCommand cmd;
  cmd.all = true;
  std::ostringstream out;
  ASSERT_TRUE(RunInbox(*stub_, cmd, {}, out).ok());
  EXPECT_TRUE(absl::StrContains(out.str(), "C1    assigned")) << out.str();
  EXPECT_TRUE(absl::StrContains(out.str(), "C2    extended")) << out.str();
  EXPECT_TRUE(absl::StrContains(out.str(), "2 cases\n")) << out.str();
  EXPECT_FALSE(absl::StrContains(out.str(), "more:")) << out.str();
  absl::MutexLock lock(&fake_.mu_);
  ASSERT_EQ(fake_.inbox_requests_.size(), 2u);
  EXPECT_EQ(fake_.inbox_requests_[1].page_token(), "p2");
}

TEST_F(RunTest, InboxWithoutAllNamesTheNextPage) {
  std::ostringstream out;
  ASSERT_TRUE(RunInbox(*stub_, InboxCommand(), {}, out).ok());
  EXPECT_TRUE(absl::StrContains(out.str(), "1 case\nmore: --page-token p2"))
      << out.str();
}

TEST_F(RunTest, ShowJsonIsOneObjectWithTheDecodedEvents) {
  std::ostringstream out;
  ASSERT_TRUE(RunShow(*stub_, "C1", PrintOptions{true}, out).ok());
  google::protobuf::Struct parsed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out.str(), &parsed).ok())
      << out.str();
  EXPECT_EQ(parsed.fields()
                .at("view")
                .struct_value()
                .fields()
                .at("caseId")
                .string_value(),
            "C1");
  EXPECT_EQ(parsed.fields().at("events").list_value().values_size(), 3);
}

TEST_F(RunTest, ShowOfAnUnknownCaseReturnsNotFound) {
  std::ostringstream out;
  EXPECT_EQ(RunShow(*stub_, "C9", {}, out).code(), absl::StatusCode::kNotFound);
}

TEST_F(RunTest, VerifyReportsAnAlteredEvent) {
  std::ostringstream out;
  absl::StatusOr<bool> intact = RunVerify(*stub_, "C1", {}, out);
  ASSERT_TRUE(intact.ok()) << intact.status();
  EXPECT_TRUE(*intact) << out.str();
  {
    absl::MutexLock lock(&fake_.mu_);
    v1::Envelope env;
    ASSERT_TRUE(env.ParseFromString(fake_.detail_.events(0)));
    env.set_producer("someone else");
    fake_.detail_.set_events(0, env.SerializeAsString());
  }
  out.str("");
  intact = RunVerify(*stub_, "C1", {}, out);
  ASSERT_TRUE(intact.ok()) << intact.status();
  EXPECT_FALSE(*intact);
  EXPECT_TRUE(absl::StartsWith(out.str(), "broken: event 1: ")) << out.str();
}

TEST_F(RunTest, RouteSendsTheMatterAndPrintsTheDecision) {
  v1::PreviewRouteRequest req;
  req.mutable_matter()->set_region_code("140431");
  std::ostringstream out;
  ASSERT_TRUE(RunRoute(*stub_, req, {}, out).ok());
  EXPECT_TRUE(absl::StartsWith(out.str(),
                               "disposition: transfer (转送)\n"
                               "target: 140431:labour\n"))
      << out.str();
}

}  // namespace
}  // namespace caserelay::casectl
