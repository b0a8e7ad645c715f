// 领导包案 and 回访 through the real processes (issue 18 items 2 and 7): the
// county government's leader takes charge of a case (the city's leader
// cannot take it twice), the leaders' list shows it with the quarter's
// count against the configured quota (RPC and casectl), a linked repeat
// shows the leader; the bureau's 回访 before the reply is refused citing
// the rule, after it the case view keeps it beside the rating.

#include <string>

#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/life_steps.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::ActRequest;

constexpr char kTownship[] = "140431100";  // 沁河镇, 沁源县
constexpr char kCountyBureau[] = "140431:bureau";
constexpr char kTownshipGov[] = "140431100:gov";  // handles the case
constexpr char kCountyGov[] = "140431:gov";       // its leader takes charge
constexpr char kCityGov[] = "140400:gov";         // a superior government
constexpr char kOtherGov[] = "140200:gov";        // 大同市: not over the case

caserelay::v1::SubmitPetitionRequest Petition(const std::string& request_id) {
  auto req = SamplePetition(kTownship, 18);
  req.mutable_petitioner()->set_id_number("11010519491231002X");
  req.set_request_id(request_id);
  return req;
}

ActRequest TakeCharge(const std::string& name, const std::string& title) {
  ActRequest r;
  r.mutable_take_charge()->set_leader_name(name);
  r.mutable_take_charge()->set_leader_title(title);
  return r;
}

ActRequest FollowUp(caserelay::v1::FollowUpView view) {
  ActRequest r;
  r.mutable_record_follow_up()->set_method(caserelay::v1::FOLLOW_UP_METHOD_PHONE);
  r.mutable_record_follow_up()->set_view(view);
  r.set_reason("电话回访，信访人表示认可处理意见");
  return r;
}

caserelay::v1::ListChargedCasesResponse Charged(System& sys,
                                                const std::string& office,
                                                grpc::Status* status) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  caserelay::v1::ListChargedCasesRequest req;
  caserelay::v1::ListChargedCasesResponse resp;
  *status = sys.routing_as(office).ListChargedCases(&ctx, req, &resp);
  return resp;
}

TEST(LeadersChargeTest, AGovernmentTakesChargeAndTheBureauFollowsUpAfterTheReply) {
  SystemOptions options{
      {kCountyBureau, kTownshipGov, kCountyGov, kCityGov, kOtherGov}};
  options.services = {"intake", "routing", "supervision", "notification"};
  options.settings["routing"]["leadership.charge_quota_per_quarter"] = "3";
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  Steps steps(**sys);
  const std::string id = steps.Submit(Petition("charge-1"));
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(steps.AwaitState(kCountyBureau, id,
                               caserelay::v1::CASE_STATE_REGISTERED).ok());
  ActRequest assign;
  assign.mutable_assign();
  ASSERT_TRUE(steps.Act(kCountyBureau, id, assign).ok());

  // 领导包案: the county government over the township holding the case.
  grpc::Status s = steps.Act(kCountyGov, id, TakeCharge("王某某", "县长"));
  ASSERT_TRUE(s.ok()) << s.error_message();
  auto detail = steps.Get(kCountyGov, id);
  ASSERT_TRUE(detail.ok()) << detail.status();
  EXPECT_EQ(detail->view().leader_in_charge().leader_name(), "王某某");
  EXPECT_EQ(detail->view().leader_in_charge().leader_title(), "县长");
  EXPECT_EQ(detail->view().leader_in_charge().office_code(), kCountyGov);
  EXPECT_EQ(detail->view().state(), caserelay::v1::CASE_STATE_ASSIGNED);
  caserelay::v1::Envelope last;
  ASSERT_TRUE(last.ParseFromString(
      detail->events(detail->events_size() - 1)));
  EXPECT_EQ(last.case_event().action(), caserelay::v1::CASE_ACTION_TAKE_CHARGE);

  // Once while one is in charge: the city's leader is refused with the rule.
  s = steps.Act(kCityGov, id, TakeCharge("李某某", "副市长"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("issue 18 item 2"), std::string::npos)
      << s.error_message();
  EXPECT_NE(s.error_message().find("in charge already"), std::string::npos)
      << s.error_message();
  // A government of another city takes no part in the case.
  EXPECT_EQ(steps.Act(kOtherGov, id, TakeCharge("赵某某", "市长")).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // The leaders' list: the case with its state and next due, and the
  // quarter's count against the configured quota.
  caserelay::v1::ListChargedCasesResponse list = Charged(**sys, kCountyGov, &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(list.cases_size(), 1);
  EXPECT_EQ(list.cases(0).case_id(), id);
  EXPECT_EQ(list.cases(0).state(), caserelay::v1::CASE_STATE_ASSIGNED);
  EXPECT_TRUE(list.cases(0).has_next_due());
  EXPECT_EQ(list.cases(0).holder_office_code(), kTownshipGov);
  EXPECT_EQ(list.quota_per_quarter(), 3);
  ASSERT_EQ(list.leaders_size(), 1);
  EXPECT_EQ(list.leaders(0).leader_name(), "王某某");
  EXPECT_EQ(list.leaders(0).taken(), 1);
  EXPECT_EQ(list.leaders(0).quota(), 3);
  // The city government above reads it too; another city's may not.
  EXPECT_EQ(Charged(**sys, kCityGov, &s).cases_size(), 0);  // its own: none
  ASSERT_TRUE(s.ok()) << s.error_message();
  {
    grpc::ClientContext ctx;
    caserelay::v1::ListChargedCasesRequest req;
    req.set_office_code(kCountyGov);
    caserelay::v1::ListChargedCasesResponse resp;
    s = sys.value()->routing_as(kOtherGov).ListChargedCases(&ctx, req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    grpc::ClientContext above;
    s = sys.value()->routing_as(kCityGov).ListChargedCases(&above, req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(resp.cases_size(), 1);
  }
  // casectl charged prints the list and the count against the quota.
  auto printed = RunCommand(steps.Casectl(kCountyGov) + " charged");
  EXPECT_EQ(printed.code, 0) << printed.output;
  EXPECT_NE(printed.output.find(id), std::string::npos) << printed.output;
  EXPECT_NE(printed.output.find("1/3"), std::string::npos) << printed.output;

  // 回访 before the 处理意见 is refused, citing the rule.
  ActRequest accept;
  accept.mutable_accept();
  ASSERT_TRUE(steps.Act(kTownshipGov, id, accept).ok());
  s = steps.Act(kCountyBureau, id,
                FollowUp(caserelay::v1::FOLLOW_UP_VIEW_AGREE));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("issue 18 item 7"), std::string::npos)
      << s.error_message();

  // After the reply and the petitioner's rating, the registering bureau
  // follows up; the handler does not follow up its own opinion.
  ActRequest reply;
  reply.mutable_reply()->set_outcome(caserelay::v1::OUTCOME_SUPPORT);
  ASSERT_TRUE(steps.Act(kTownshipGov, id, reply).ok());
  ActRequest rate;
  rate.mutable_evaluate()->set_satisfaction(
      caserelay::v1::SATISFACTION_BASICALLY);
  ASSERT_TRUE(steps.Act(kTownshipGov, id, rate).ok());
  EXPECT_EQ(steps.Act(kTownshipGov, id,
                      FollowUp(caserelay::v1::FOLLOW_UP_VIEW_AGREE))
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  s = steps.Act(kCountyBureau, id,
                FollowUp(caserelay::v1::FOLLOW_UP_VIEW_BASICALLY_AGREE));
  ASSERT_TRUE(s.ok()) << s.error_message();
  auto after = steps.Get(kCountyBureau, id);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->view().satisfaction(),
            caserelay::v1::SATISFACTION_BASICALLY);
  ASSERT_EQ(after->view().follow_ups_size(), 1);
  EXPECT_EQ(after->view().follow_ups(0).view(),
            caserelay::v1::FOLLOW_UP_VIEW_BASICALLY_AGREE);
  EXPECT_EQ(after->view().follow_ups(0).method(),
            caserelay::v1::FOLLOW_UP_METHOD_PHONE);
  EXPECT_EQ(after->view().follow_ups(0).office_code(), kCountyBureau);
  EXPECT_EQ(after->view().state(), caserelay::v1::CASE_STATE_EVALUATED);
  // 回访 is a contact by phone or visit: no SMS of its own (issue 18 item 7).
  steps.ExpectSms(id, {"received", "assigned", "accepted", "replied"});
}

TEST(LeadersChargeTest, ALinkedRepeatShowsTheLeaderOfItsOpenCase) {
  SystemOptions options{{kCountyBureau, kCountyGov}};
  options.services = {"intake", "routing"};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  Steps steps(**sys);
  const std::string open = steps.Submit(Petition("linked-1"));
  ASSERT_TRUE(steps.AwaitState(kCountyBureau, open,
                               caserelay::v1::CASE_STATE_REGISTERED).ok());
  grpc::Status s = steps.Act(kCountyGov, open, TakeCharge("王某某", "县长"));
  ASSERT_TRUE(s.ok()) << s.error_message();
  // DOMAIN.md 重复信访: the same petitioner's same matter is linked.
  const std::string repeat = steps.Submit(Petition("linked-2"));
  auto linked = steps.AwaitState(kCountyBureau, repeat,
                                 caserelay::v1::CASE_STATE_LINKED);
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(linked->view().leader_in_charge().leader_name(), "王某某");
  EXPECT_EQ(linked->view().leader_in_charge().office_code(), kCountyGov);
}

}  // namespace
}  // namespace caserelay::testing
