// The petitioner in routing through the real processes (issue 15 item 2):
// the web gateway's identity (service:web) speaking for the petitioner of
// one case (x-caserelay-petitioner-case) reads the petitioner's view with
// the 处理意见 once an office replied, rates it, asks for 复查 inside the
// window; outside it the request is refused with the reason in Chinese;
// another case, GetCase and ListInbox are refused; the accused unit is never
// named. On a simulated clock, so the 30-day window can pass.
#include <memory>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "caserelay/v1/supervision.grpc.pb.h"
#include "common/time/timestamp.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/life_steps.h"

namespace caserelay::testing {
namespace {

namespace v1 = ::caserelay::v1;
using ::testing::HasSubstr;
using ::testing::Not;
using v1::ActRequest;

constexpr char kTownship[] = "140431100";  // 沁河镇, 沁源县
constexpr char kCountyBureau[] = "140431:bureau";
constexpr char kTownshipGov[] = "140431100:gov";  // accused in case A
constexpr char kTownshipGovName[] = "沁河镇人民政府";
constexpr char kDiscipline[] = "140431:discipline";  // handles case A
constexpr char kPetitionerKey[] = "x-caserelay-petitioner-case";

void Within(grpc::ClientContext& ctx) {
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
}

// `method` of routing's `stub` with `req` within the deadline, the answer
// in `out`; as the web gateway speaking for the petitioner of
// `petitioner_case` unless it is empty.
template <typename Request, typename Response>
grpc::Status Call(v1::RoutingService::Stub& stub,
                  grpc::Status (v1::RoutingService::Stub::*method)(
                      grpc::ClientContext*, const Request&, Response*),
                  const Request& req, Response* out,
                  const std::string& petitioner_case) {
  grpc::ClientContext ctx;
  Within(ctx);
  if (!petitioner_case.empty()) {
    ctx.AddMetadata(kPetitionerKey, petitioner_case);
  }
  return (stub.*method)(&ctx, req, out);
}

class Petitioner {
 public:
  Petitioner(System& sys, std::string own_case)
      : stub_(
            v1::RoutingService::NewStub(sys.Channel("routing", System::kWeb))),
        own_(std::move(own_case)) {}

  grpc::Status View(const std::string& id, v1::PetitionerView* view) {
    v1::GetPetitionerViewRequest req;
    req.set_case_id(id);
    return Call(*stub_, &v1::RoutingService::Stub::GetPetitionerView, req, view,
                own_);
  }
  // `req` on case `id` at the version the petitioner's view shows.
  grpc::Status Act(const std::string& id, ActRequest req) {
    v1::PetitionerView view;
    if (grpc::Status s = View(own_, &view); !s.ok()) return s;
    req.set_case_id(id);
    req.set_expected_version(view.version());
    v1::CaseView answer;
    grpc::Status s =
        Call(*stub_, &v1::RoutingService::Stub::Act, req, &answer, own_);
    if (s.ok()) last_answer_ = answer;
    return s;
  }
  v1::RoutingService::Stub& stub() { return *stub_; }
  const v1::CaseView& last_answer() const { return last_answer_; }

 private:
  std::unique_ptr<v1::RoutingService::Stub> stub_;
  std::string own_;
  v1::CaseView last_answer_;
};

std::set<v1::PetitionerAction> Actions(const v1::PetitionerView& view) {
  std::set<v1::PetitionerAction> got;
  for (const auto& a : view.actions()) got.insert(a.action());
  return got;
}

ActRequest Rate(v1::Satisfaction satisfaction, const std::string& comment) {
  ActRequest r;
  r.mutable_evaluate()->set_satisfaction(satisfaction);
  r.set_reason(comment);
  return r;
}

ActRequest AskReview(const std::string& reason) {
  ActRequest r;
  r.mutable_request_review();
  r.set_reason(reason);
  return r;
}

// Submits `req` as the county bureau's clerk (a petition entered at the
// bureau; the portal's own submission, with its SMS code, is the web
// gateway's test): the case number, or "" with a test failure.
std::string Submit(System& sys, const v1::SubmitPetitionRequest& req) {
  auto intake =
      v1::IntakeService::NewStub(sys.Channel("intake", kCountyBureau));
  grpc::ClientContext ctx;
  Within(ctx);
  v1::SubmitPetitionResponse resp;
  grpc::Status s = intake->SubmitPetition(&ctx, req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.case_number();
}

// True once the indicators of `office` since the start count one replied
// case, evaluated and satisfied (polled up to 20 s: statistics, the
// indicators' one place, reads case-events on its own loop).
bool RatingCounted(System& sys, const std::string& office) {
  const absl::Time until = absl::Now() + Scaled(absl::Seconds(20));
  while (absl::Now() < until) {
    grpc::ClientContext ctx;
    Within(ctx);
    v1::GetIndicatorsRequest req;
    req.mutable_scope()->set_office_code(office);
    // The simulated clock stands still: `to` past the reply (an unset `to`
    // is now, the reply's own instant, outside [from, to)).
    *req.mutable_from() = time::ToProto(China(2026, 9, 1, 0));
    *req.mutable_to() = time::ToProto(China(2026, 9, 2, 0));
    v1::GetIndicatorsResponse resp;
    if (sys.statistics().GetIndicators(&ctx, req, &resp).ok()) {
      const v1::Indicators& t = resp.total();
      if (t.evaluation().numerator() == 1 &&
          t.evaluation().denominator() == 1 &&
          t.satisfaction().numerator() == 1 &&
          t.satisfaction().denominator() == 1) {
        return true;
      }
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  return false;
}

// The office holding `id` replies (outcome, reasons) and records that the
// petitioner received the opinion now (送达), from which Art. 35 counts.
void ReplyAndServe(System& sys, Steps& steps, const std::string& office,
                   const std::string& id) {
  ActRequest reply;
  reply.mutable_reply()->set_outcome(v1::OUTCOME_SUPPORT);
  reply.set_reason("经核实，已责令有关人员退还款项并作出处理。");
  grpc::Status s = steps.Act(office, id, reply);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ActRequest serve;
  serve.mutable_serve()->set_method(v1::SERVICE_METHOD_PORTAL);
  *serve.mutable_serve()->mutable_received_at() =
      time::ToProto(sys.clock().Now());
  s = steps.Act(office, id, serve);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

TEST(PetitionerTest, ReadsRatesAndAsksForReviewOnlyOnTheirOwnCaseInTime) {
  SystemOptions options;
  options.offices = {kCountyBureau, kDiscipline, kTownshipGov};
  options.simulated_start = China(2026, 9, 1, 9);
  auto started = System::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  System& sys = **started;
  Steps steps(sys);

  // A: an accusation against the township government, handled by the
  // county's discipline commission. B: a labour claim, assigned to the
  // township government.
  const std::string a = Submit(
      sys, SampleAccusation(kTownship, 41, kTownshipGov, "某镇工作人员王某"));
  const std::string b = Submit(sys, SamplePetition(kTownship, 42));
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  auto reg_a =
      steps.AwaitState(System::kProvinceBureau, a, v1::CASE_STATE_REGISTERED);
  ASSERT_TRUE(reg_a.ok()) << reg_a.status();
  auto reg_b =
      steps.AwaitState(System::kProvinceBureau, b, v1::CASE_STATE_REGISTERED);
  ASSERT_TRUE(reg_b.ok()) << reg_b.status();

  Petitioner pa(sys, a), pb(sys, b);
  // Before any opinion: the state in plain Chinese, nothing to do yet.
  v1::PetitionerView view;
  grpc::Status s = pa.View(a, &view);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(view.state_text(), "已登记，等待转送");
  EXPECT_TRUE(view.actions().empty());

  ActRequest transfer;
  transfer.mutable_transfer()->set_office_code(kDiscipline);
  ASSERT_TRUE(steps.Act(reg_a->view().office_code(), a, transfer).ok());
  ActRequest accept;
  accept.mutable_accept();
  ASSERT_TRUE(steps.Act(kDiscipline, a, accept).ok());
  ReplyAndServe(sys, steps, kDiscipline, a);
  ActRequest assign;
  assign.mutable_assign();
  ASSERT_TRUE(steps.Act(reg_b->view().office_code(), b, assign).ok());
  ASSERT_TRUE(steps.Act(kTownshipGov, b, accept).ok());
  ReplyAndServe(sys, steps, kTownshipGov, b);

  // Issue 15: the view with the 处理意见 and what the petitioner may do,
  // until when (Art. 35: 30 days from the receipt).
  s = pa.View(a, &view);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(view.state(), v1::CASE_STATE_REPLIED);
  EXPECT_EQ(view.state_text(), "已出具处理意见");
  EXPECT_EQ(view.office_name(), "中共沁源县纪律检查委员会 沁源县监察委员会");
  EXPECT_EQ(view.outcome().outcome_text(), "支持");
  EXPECT_EQ(view.outcome().reason(),
            "经核实，已责令有关人员退还款项并作出处理。");
  EXPECT_EQ(Actions(view), (std::set<v1::PetitionerAction>{
                               v1::PETITIONER_ACTION_RATE,
                               v1::PETITIONER_ACTION_REQUEST_REVIEW}));
  for (const auto& action : view.actions()) {
    ASSERT_TRUE(action.has_until()) << action.text();
    EXPECT_GT(time::FromProto(action.until()),
              sys.clock().Now() + absl::Hours(24 * 29));
  }
  EXPECT_FALSE(view.steps().empty());
  // Art. 30: the accused unit is never named, nor the accusation's words.
  const std::string all = view.Utf8DebugString();
  EXPECT_THAT(all, HasSubstr("纪律检查委员会"));
  EXPECT_THAT(all, Not(HasSubstr(kTownshipGovName)));
  EXPECT_THAT(all, Not(HasSubstr(kTownshipGov)));
  EXPECT_THAT(all, Not(HasSubstr("某镇工作人员王某")));

  // Issue 15 item 2: an office entered a rating first (不满意); the
  // petitioner may still give their own, which replaces it.
  ASSERT_TRUE(
      steps.Act(kDiscipline, a, Rate(v1::SATISFACTION_DISSATISFIED, "")).ok());
  ASSERT_TRUE(pa.View(a, &view).ok());
  EXPECT_EQ(view.state(), v1::CASE_STATE_EVALUATED);
  EXPECT_FALSE(view.has_rating()) << "the office's rating is not theirs";
  EXPECT_EQ(Actions(view), (std::set<v1::PetitionerAction>{
                               v1::PETITIONER_ACTION_RATE,
                               v1::PETITIONER_ACTION_REQUEST_REVIEW}));

  // Issue 15: 满意度评价 by the petitioner, recorded as theirs, once.
  s = pa.Act(a, Rate(v1::SATISFACTION_BASICALLY, "处理及时"));
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(pa.last_answer().state(), v1::CASE_STATE_EVALUATED);
  EXPECT_FALSE(pa.last_answer().has_matter()) << "the petitioner's answer";
  ASSERT_TRUE(pa.View(a, &view).ok());
  EXPECT_EQ(view.rating().satisfaction(), v1::SATISFACTION_BASICALLY);
  EXPECT_EQ(view.rating().comment(), "处理及时");
  EXPECT_EQ(
      Actions(view),
      (std::set<v1::PetitionerAction>{v1::PETITIONER_ACTION_REQUEST_REVIEW}));
  s = pa.Act(a, Rate(v1::SATISFACTION_SATISFIED, ""));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("不能重复评价"));
  auto detail = steps.Get(kDiscipline, a);
  ASSERT_TRUE(detail.ok()) << detail.status();
  EXPECT_TRUE(detail->view().rated_by_petitioner());

  // Issue 15: supervision counts the petitioner's rating for the handling
  // unit's 参评率 (evaluated / replied) and 满意率 (基本满意 counts; the
  // office's 不满意 it replaced does not).
  EXPECT_TRUE(RatingCounted(sys, kDiscipline)) << "参评率 1/1, 满意率 1/1";

  // Art. 35: 复查 inside the window goes to a review organ of the handler.
  s = pa.Act(a, AskReview("处理结果与事实不符，申请复查"));
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_TRUE(pa.View(a, &view).ok());
  EXPECT_EQ(view.state(), v1::CASE_STATE_REVIEW_REQUESTED);
  EXPECT_EQ(view.state_text(), "复查中");
  EXPECT_TRUE(view.actions().empty());
  EXPECT_THAT(view.steps(view.steps_size() - 1).text(),
              HasSubstr("您申请复查"));

  // Issue 15: never another case, never GetCase's detail, never an inbox,
  // never an office's action.
  EXPECT_EQ(pa.View(b, &view).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(pa.Act(b, AskReview("x")).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::GetCaseRequest get_a;
  get_a.set_case_id(a);
  v1::CaseDetail a_detail;
  EXPECT_EQ(
      Call(pa.stub(), &v1::RoutingService::Stub::GetCase, get_a, &a_detail, a)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::ListInboxResponse inbox;
  EXPECT_EQ(Call(pa.stub(), &v1::RoutingService::Stub::ListInbox,
                 v1::ListInboxRequest(), &inbox, a)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ActRequest close;
  close.mutable_close();
  EXPECT_EQ(pb.Act(b, close).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // An office reads no petitioner's view, and may not name a petitioner.
  v1::GetPetitionerViewRequest view_a;
  view_a.set_case_id(a);
  for (const std::string& named : {std::string(), a}) {
    SCOPED_TRACE(named.empty() ? "no petitioner named" : "petitioner named");
    EXPECT_EQ(
        Call(sys.routing_as(kCountyBureau),
             &v1::RoutingService::Stub::GetPetitionerView, view_a, &view, named)
            .error_code(),
        grpc::StatusCode::PERMISSION_DENIED);
  }
  // A petitioner's reason is bounded (500 characters).
  EXPECT_EQ(pb.Act(b, AskReview(std::string(501, 'x'))).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // Art. 35: 40 days after the receipt the window has ended; refused with
  // the reason in Chinese, and nothing is offered any more.
  sys.clock().Advance(absl::Hours(24 * 40));
  ASSERT_TRUE(pb.View(b, &view).ok());
  EXPECT_TRUE(view.actions().empty());
  s = pb.Act(b, AskReview("逾期申请"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("申请复查的期限已过"));
  EXPECT_THAT(s.error_message(), HasSubstr("第三十五条"));
  s = pb.Act(b, Rate(v1::SATISFACTION_DISSATISFIED, ""));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("评价期限已过"));
  ASSERT_TRUE(pb.View(b, &view).ok());
  EXPECT_EQ(view.state(), v1::CASE_STATE_REPLIED);
  // Issue 15 item 2: the view says why each closed action is no longer
  // offered, in routing's words (the portal shows them as they are).
  ASSERT_EQ(view.closed_actions_size(), 2);
  EXPECT_EQ(view.closed_actions(0).action(), v1::PETITIONER_ACTION_RATE);
  EXPECT_THAT(view.closed_actions(0).text(), HasSubstr("评价期限已过"));
  EXPECT_EQ(view.closed_actions(1).action(),
            v1::PETITIONER_ACTION_REQUEST_REVIEW);
  EXPECT_THAT(view.closed_actions(1).text(), HasSubstr("申请复查的期限已过"));
  EXPECT_THAT(view.closed_actions(1).text(), HasSubstr("第三十五条"));
  EXPECT_TRUE(view.closed_actions(1).has_closed_at());
}

}  // namespace
}  // namespace caserelay::testing
