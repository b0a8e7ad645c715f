// Issue 16 items 1-2 through the real processes: the web gateway's
// identity (service:web) speaks for a township's staff users with their
// roles (x-caserelay-roles, common/rpc/auth.h). A handler's 处理意见 waits
// in the head's queue (PROPOSE): no state change, the deadlines keep
// running, no SMS; the head approves it, the history names both persons,
// and only then the petitioner's "replied" SMS goes out. A client that is
// not service:web naming roles is refused.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "common/rpc/auth.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/life_steps.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::ActRequest;
using grpc::StatusCode;

constexpr char kCountyBureau[] = "140431:bureau";
constexpr char kTownshipGov[] = "140431100:gov";

void Within(grpc::ClientContext& ctx) {
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
}

// A staff user of the township the gateway speaks for.
struct User {
  std::string name;
  std::string roles;  // x-caserelay-roles
};

class Console {
 public:
  Console(System& sys, Steps& steps, std::string principal = System::kWeb)
      : steps_(steps),
        routing_(caserelay::v1::RoutingService::NewStub(
            sys.Channel("routing", principal))) {}

  // Act on case `id` at its current version as `user` of the township.
  grpc::Status Act(const User& user, const std::string& id, ActRequest req,
                   caserelay::v1::CaseView* view) {
    auto current = steps_.Get(System::kProvinceBureau, id);
    if (!current.ok()) {
      return grpc::Status(grpc::StatusCode::UNKNOWN,
                          std::string(current.status().message()));
    }
    req.set_case_id(id);
    req.set_expected_version(current->view().version());
    grpc::ClientContext ctx;
    Speak(ctx, user);
    return routing_->Act(&ctx, req, view);
  }
  grpc::Status Approvals(const User& user,
                         caserelay::v1::ListApprovalsResponse* resp) {
    grpc::ClientContext ctx;
    Speak(ctx, user);
    return routing_->ListApprovals(&ctx, caserelay::v1::ListApprovalsRequest(),
                                   resp);
  }
  grpc::Status Get(const User& user, const std::string& id,
                   caserelay::v1::CaseDetail* detail) {
    grpc::ClientContext ctx;
    Speak(ctx, user);
    caserelay::v1::GetCaseRequest req;
    req.set_case_id(id);
    return routing_->GetCase(&ctx, req, detail);
  }

 private:
  static void Speak(grpc::ClientContext& ctx, const User& user) {
    Within(ctx);
    ctx.AddMetadata(rpc::kUserMetadata, user.name);
    ctx.AddMetadata(rpc::kOfficeMetadata, kTownshipGov);
    ctx.AddMetadata(rpc::kRolesMetadata, user.roles);
  }

  Steps& steps_;
  std::unique_ptr<caserelay::v1::RoutingService::Stub> routing_;
};

TEST(ApprovalTest, AHandlersReplyWaitsForTheHeadAndTheSmsFollowsApproval) {
  SystemOptions options;
  options.offices = {kCountyBureau, kTownshipGov};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  Steps steps(**sys);
  const std::string id = steps.Submit(SamplePetition("140431100", 16));
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(
      steps.AwaitState(kCountyBureau, id, caserelay::v1::CASE_STATE_REGISTERED)
          .ok());
  ActRequest assign;
  assign.mutable_assign();
  ASSERT_TRUE(steps.Act(kCountyBureau, id, assign).ok());
  ActRequest accept;
  accept.mutable_accept();
  ASSERT_TRUE(steps.Act(kTownshipGov, id, accept).ok());
  using K = caserelay::v1::DeadlineKind;
  const std::vector<K> running = {K::DEADLINE_KIND_HANDLING,
                                  K::DEADLINE_KIND_RESULT_REPORT};
  steps.ExpectDeadlines(id, running);
  steps.ExpectSms(id, {"received", "assigned", "accepted"});

  Console console(**sys, steps);
  const User handler{"张承办", "handler"};
  const User head{"李主任", "head"};

  // The handler's 处理意见 (Art. 34) is a proposal: nothing else changes.
  ActRequest reply;
  reply.mutable_reply()->set_outcome(caserelay::v1::OUTCOME_EXPLAIN);
  reply.set_reason("已向信访人解释工资支付的法律规定");
  caserelay::v1::CaseView view;
  grpc::Status s = console.Act(handler, id, reply, &view);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(view.state(), caserelay::v1::CASE_STATE_ACCEPTED);
  ASSERT_TRUE(view.has_pending());
  EXPECT_EQ(view.pending().proposed_by(), "张承办");
  // The handler may not approve their own proposal.
  ActRequest approve;
  approve.mutable_approve();
  EXPECT_EQ(console.Act(handler, id, approve, &view).error_code(),
            StatusCode::PERMISSION_DENIED);

  // Supervision and notification consumed the PROPOSE and changed nothing:
  // the same deadlines run and no "replied" SMS goes out.
  steps.ExpectDeadlines(id, running);
  absl::SleepFor(absl::Seconds(3));
  steps.ExpectSms(id, {"received", "assigned", "accepted"});

  // The head's queue holds it.
  caserelay::v1::ListApprovalsResponse queue;
  s = console.Approvals(head, &queue);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(queue.items_size(), 1);
  EXPECT_EQ(queue.items(0).case_id(), id);
  EXPECT_EQ(queue.items(0).proposal().action(),
            caserelay::v1::CASE_ACTION_REPLY);
  EXPECT_EQ(console.Approvals(handler, &queue).error_code(),
            StatusCode::PERMISSION_DENIED);

  s = console.Act(head, id, approve, &view);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(view.state(), caserelay::v1::CASE_STATE_REPLIED);
  EXPECT_FALSE(view.has_pending());

  // The history: the proposal by the handler, then the reply as the
  // handler's with the head as approver.
  caserelay::v1::CaseDetail detail;
  s = console.Get(head, id, &detail);
  ASSERT_TRUE(s.ok()) << s.error_message();
  std::vector<std::pair<std::string, std::string>> persons;
  for (const std::string& bytes : detail.events()) {
    caserelay::v1::Envelope e;
    ASSERT_TRUE(e.ParseFromString(bytes));
    const auto& ce = e.case_event();
    if (ce.action() == caserelay::v1::CASE_ACTION_PROPOSE ||
        ce.action() == caserelay::v1::CASE_ACTION_REPLY) {
      persons.emplace_back(caserelay::v1::CaseAction_Name(ce.action()),
                           absl::StrCat(ce.operator_(), "/", ce.approved_by()));
    }
  }
  EXPECT_EQ(persons, (std::vector<std::pair<std::string, std::string>>{
                         {"CASE_ACTION_PROPOSE", "张承办/"},
                         {"CASE_ACTION_REPLY", "张承办/李主任"}}));

  // Only now the petitioner is told (DOMAIN.md Notifying: 提醒查看办理结果).
  steps.ExpectSms(id, {"received", "assigned", "accepted", "replied"});
  queue.Clear();
  ASSERT_TRUE(console.Approvals(head, &queue).ok());
  EXPECT_EQ(queue.items_size(), 0);
}

// Issue 16 item 2: only the gateway's own identity may speak for a user;
// roles named by anyone else are refused, not ignored.
TEST(ApprovalTest, OnlyTheWebGatewayNamesRoles) {
  SystemOptions options;
  options.services = {"intake", "routing"};
  options.offices = {kCountyBureau, kTownshipGov};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  Steps steps(**sys);
  const std::string id = steps.Submit(SamplePetition("140431100", 17));
  ASSERT_TRUE(
      steps.AwaitState(kCountyBureau, id, caserelay::v1::CASE_STATE_REGISTERED)
          .ok());
  ActRequest assign;
  assign.mutable_assign();
  ASSERT_TRUE(steps.Act(kCountyBureau, id, assign).ok());
  ActRequest accept;
  accept.mutable_accept();
  const User head{"李主任", "head"};
  for (const char* principal :
       {kTownshipGov, kCountyBureau, "service:notification"}) {
    SCOPED_TRACE(principal);
    Console impostor(**sys, steps, principal);
    caserelay::v1::CaseView view;
    EXPECT_EQ(impostor.Act(head, id, accept, &view).error_code(),
              StatusCode::PERMISSION_DENIED);
    caserelay::v1::ListApprovalsResponse queue;
    EXPECT_EQ(impostor.Approvals(head, &queue).error_code(),
              StatusCode::PERMISSION_DENIED);
  }
  // Nothing was recorded; the gateway itself is heard.
  auto detail = steps.Get(System::kProvinceBureau, id);
  ASSERT_TRUE(detail.ok()) << detail.status();
  EXPECT_EQ(detail->view().state(), caserelay::v1::CASE_STATE_ASSIGNED);
  Console gateway(**sys, steps);
  caserelay::v1::CaseView view;
  grpc::Status s = gateway.Act({"赵承办", "handler"}, id, accept, &view);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(view.state(), caserelay::v1::CASE_STATE_ACCEPTED);
  // A role the gateway did not name is not had: an inspector acts on no case.
  ActRequest extend;
  extend.mutable_extend()->set_days(10);
  extend.set_reason("需要补充调查");
  EXPECT_EQ(
      gateway.Act({"钱督查", "inspector"}, id, extend, &view).error_code(),
      StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace caserelay::testing
