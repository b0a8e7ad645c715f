// routing's roles and approvals (issue 16; services/routing/approvals.h,
// domain/access/roles.h) through the service's handlers: a handler's
// REPLY, EXTEND, DECLINE wait for the head (PROPOSE, nothing else
// changes), the head approves (the proposer stays the operator,
// approved_by the head) or returns it with a reason, ListApprovals is the
// head's queue, CaseView.allowed_actions is the caller's, and the roles
// narrow what an office's user may do and read.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/routing.pb.h"
#include "common/rpc/auth.h"
#include "common/time/calendar.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/lifecycle.h"
#include "domain/routing/router.h"
#include "domain/routing/statutory_routes.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/routing/case_store.h"
#include "services/routing/directory_resolver.h"
#include "services/routing/routing_service.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::routing {
namespace {

using caserelay::v1::ActRequest;
using caserelay::v1::CaseView;
using caserelay::v1::Envelope;
using google::protobuf::util::MessageDifferencer;
using grpc::StatusCode;
using v1::StaffRole;

constexpr StaffRole kHandler = v1::STAFF_ROLE_HANDLER;
constexpr StaffRole kHead = v1::STAFF_ROLE_HEAD;
constexpr v1::CaseState kNone = v1::CASE_STATE_UNSPECIFIED;  // refused

template <typename T>
const T& OrDie(absl::StatusOr<T> loaded) {
  if (!loaded.ok()) {
    ADD_FAILURE() << loaded.status();
    std::abort();
  }
  return *new T(*std::move(loaded));
}

// The caller of every request: an office's own credential, or a staff
// user the web gateway speaks for (as rpc::Caller makes it from
// x-caserelay-user-bin, -office and -roles).
class StaffCaller final : public rpc::Authenticator {
 public:
  absl::StatusOr<rpc::Principal> PrincipalOf(
      const grpc::ServerContext&) const override {
    absl::MutexLock lock(&mu_);
    return principal_;
  }
  void Office(const std::string& office) {
    absl::MutexLock lock(&mu_);
    principal_ = rpc::Principal::Office(office);
  }
  void User(const std::string& office, const std::string& person,
            std::vector<StaffRole> roles) {
    rpc::Principal p = rpc::Principal::Office(office, person);
    p.via = rpc::kWebService;
    p.roles = std::move(roles);
    absl::MutexLock lock(&mu_);
    principal_ = std::move(p);
  }

 private:
  mutable absl::Mutex mu_;
  rpc::Principal principal_ ABSL_GUARDED_BY(mu_);
};

class ApprovalsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = svctest::TestContext::Create(
        ColumnFamilies(),
        svctest::ChinaTime(2026, 3, 2, 10, 0));
    ASSERT_TRUE(t.ok()) << t.status();
    t_ = *std::move(t);
    service::Context context = t_->context();
    context.auth = &caller_;
    service_ = std::make_unique<RoutingServiceImpl>(
        context, RoutingParts{&svctest::ShippedOfficeDirectory(), &router_,
                              &lifecycle_, &caller_});
    // A labour claim in 沁源县, transferred by its bureau and accepted by
    // the competent office: the handler's stage.
    Envelope e;
    e.set_event_id("intake/C/received");
    e.set_case_id(kCase);
    e.set_producer("intake");
    *e.mutable_occurred_at() =
        time::ToProto(svctest::ChinaTime(2026, 3, 1, 10, 0));
    auto* r = e.mutable_petition_received();
    r->set_case_number(kCase);
    r->mutable_petitioner()->set_id("P1");
    auto* m = r->mutable_matter();
    m->set_region_code("140431");
    m->set_category("labour");
    m->set_matter_class(v1::MATTER_CLASS_CLAIM);
    m->set_channel(v1::CHANNEL_ONLINE);
    m->set_title("拖欠工资");
    m->set_text("某公司拖欠工资三个月。");
    *r->mutable_received_at() = e.occurred_at();
    store::WriteBatch batch(&t_->store());
    ASSERT_TRUE(service_->Apply(e, batch).ok());
    ASSERT_TRUE(t_->publisher().Commit(batch).ok());
    service_->Committed();

    caller_.Office(kBureau);
    ActRequest transfer;
    transfer.mutable_transfer();
    CaseView view;
    ASSERT_EQ(Act(transfer, &view).error_code(), StatusCode::OK);
    office_ = view.office_code();
    ASSERT_NE(office_, kBureau);
    caller_.Office(office_);
    ActRequest accept;
    accept.mutable_accept();
    grpc::Status accepted = Act(accept, &view);
    ASSERT_EQ(accepted.error_code(), StatusCode::OK)
        << accepted.error_message();
    ASSERT_EQ(view.state(), v1::CASE_STATE_ACCEPTED);
  }

  // Act on the case at its current version.
  grpc::Status Act(ActRequest req, CaseView* view) {
    req.set_case_id(kCase);
    req.set_expected_version(Version());
    grpc::ServerContext ctx;
    return service_->Act(&ctx, &req, view);
  }
  uint64_t Version() {
    auto record = CaseStore(&t_->store()).Read(kCase);
    return record.ok() && record->has_value() ? (*record)->view().version() : 0;
  }
  grpc::Status Get(v1::CaseDetail* detail) {
    v1::GetCaseRequest req;
    req.set_case_id(kCase);
    grpc::ServerContext ctx;
    return service_->GetCase(&ctx, &req, detail);
  }
  grpc::Status Approvals(v1::ListApprovalsResponse* resp) {
    v1::ListApprovalsRequest req;
    grpc::ServerContext ctx;
    return service_->ListApprovals(&ctx, &req, resp);
  }
  v1::CaseEvent LastEvent() {
    auto events = t_->Published("case-events");
    return events.empty() ? v1::CaseEvent() : events.back().case_event();
  }
  static ActRequest Reply() {
    ActRequest req;
    req.mutable_reply()->set_outcome(v1::OUTCOME_SUPPORT);
    req.set_reason("经核查，公司已承诺补发工资");
    return req;
  }
  static ActRequest Extend(int days) {
    ActRequest req;
    req.mutable_extend()->set_days(days);
    req.set_reason("需要补充调查");
    return req;
  }
  // The request fields of allowed_actions, "extend" or "extend*" when it
  // needs approval.
  static std::set<std::string> Offered(const CaseView& view) {
    std::set<std::string> out;
    for (const auto& a : view.allowed_actions()) {
      out.insert(a.request() + (a.needs_approval() ? "*" : ""));
    }
    return out;
  }

  static constexpr char kCase[] = "140431-20260301-000001";
  static constexpr char kBureau[] = "140431:bureau";
  static constexpr char kCountyGov[] = "140431:gov";
  static const StatutoryRoutes* Routes() {
    static const std::unique_ptr<StatutoryRoutes>& routes =
        OrDie(StatutoryRoutes::Load(CASERELAY_SOURCE_DIR
                                    "/data/routing/statutory_routes.tsv"));
    return routes.get();
  }
  static const time::Calendar* Holidays() {
    static const time::Calendar* calendar =
        &OrDie(time::Calendar::Load(CASERELAY_SOURCE_DIR "/data/holidays"));
    return calendar;
  }

  StaffCaller caller_;
  Router router_{&svctest::ShippedRegions(), &svctest::ShippedOfficeDirectory(),
                 Routes()};
  DirectoryResolver resolver_{&svctest::ShippedOfficeDirectory()};
  lifecycle::Lifecycle lifecycle_{lifecycle::Policy{}, Holidays(), &resolver_};
  std::unique_ptr<svctest::TestContext> t_;
  std::unique_ptr<RoutingServiceImpl> service_;
  std::string office_;  // the office handling the case
};

// Issue 16 item 2 and Art. 34: the handler's 处理意见 waits for the head;
// approved, it is recorded as the handler's with the head as approver.
TEST_F(ApprovalsTest, AHandlersReplyWaitsAndTheHeadApprovesIt) {
  v1::CaseDetail before;
  caller_.User(office_, "张承办", {kHandler});
  ASSERT_EQ(Get(&before).error_code(), StatusCode::OK);
  EXPECT_EQ(Offered(before.view()).count("reply*"), 1u);
  EXPECT_EQ(Offered(before.view()).count("extend*"), 1u);
  EXPECT_EQ(Offered(before.view()).count("approve"), 0u);

  CaseView view;
  ASSERT_EQ(Act(Reply(), &view).error_code(), StatusCode::OK);
  // Nothing changes but the pending proposal: state, holder, deadlines.
  EXPECT_EQ(view.state(), v1::CASE_STATE_ACCEPTED);
  EXPECT_EQ(view.version(), before.view().version() + 1);
  ASSERT_EQ(view.deadlines_size(), before.view().deadlines_size());
  for (int i = 0; i < view.deadlines_size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(view.deadlines(i),
                                           before.view().deadlines(i)));
  }
  ASSERT_TRUE(view.has_pending());
  EXPECT_EQ(view.pending().action(), v1::CASE_ACTION_REPLY);
  EXPECT_EQ(view.pending().proposed_by(), "张承办");
  EXPECT_EQ(view.pending().request().reply().outcome(), v1::OUTCOME_SUPPORT);
  // One at a time: the handler is offered no other proposal meanwhile.
  EXPECT_EQ(Offered(view).count("extend*"), 0u);
  const v1::CaseEvent proposed = LastEvent();
  EXPECT_EQ(proposed.action(), v1::CASE_ACTION_PROPOSE);
  EXPECT_EQ(proposed.proposed_action(), v1::CASE_ACTION_REPLY);
  EXPECT_EQ(proposed.operator_(), "张承办");
  EXPECT_EQ(proposed.to_state(), v1::CASE_STATE_ACCEPTED);
  EXPECT_EQ(proposed.deadlines_size(), before.view().deadlines_size());
  EXPECT_EQ(proposed.outcome(), v1::OUTCOME_SUPPORT);

  // The head's queue and choices.
  caller_.User(office_, "李局长", {kHead});
  v1::ListApprovalsResponse queue;
  ASSERT_EQ(Approvals(&queue).error_code(), StatusCode::OK);
  ASSERT_EQ(queue.items_size(), 1);
  EXPECT_EQ(queue.items(0).case_id(), kCase);
  EXPECT_EQ(queue.items(0).version(), view.version());
  EXPECT_EQ(queue.items(0).proposal().proposed_by(), "张承办");
  v1::CaseDetail head_view;
  ASSERT_EQ(Get(&head_view).error_code(), StatusCode::OK);
  EXPECT_EQ(Offered(head_view.view()).count("approve"), 1u);
  EXPECT_EQ(Offered(head_view.view()).count("return_proposal"), 1u);

  ActRequest approve;
  approve.mutable_approve();
  ASSERT_EQ(Act(approve, &view).error_code(), StatusCode::OK);
  EXPECT_EQ(view.state(), v1::CASE_STATE_REPLIED);
  EXPECT_FALSE(view.has_pending());
  const v1::CaseEvent replied = LastEvent();
  EXPECT_EQ(replied.action(), v1::CASE_ACTION_REPLY);
  EXPECT_EQ(replied.operator_(), "张承办");
  EXPECT_EQ(replied.approved_by(), "李局长");
  EXPECT_EQ(replied.reason(), "经核查，公司已承诺补发工资");
  queue.Clear();
  ASSERT_EQ(Approvals(&queue).error_code(), StatusCode::OK);
  EXPECT_EQ(queue.items_size(), 0);
}

// Issue 16: the head may return a proposal, with a reason; nothing else
// changes and the handler may propose again.
TEST_F(ApprovalsTest, TheHeadReturnsAProposalWithAReason) {
  caller_.User(office_, "张承办", {kHandler});
  CaseView view;
  ASSERT_EQ(Act(Extend(20), &view).error_code(), StatusCode::OK);
  const v1::CaseState state = view.state();
  caller_.User(office_, "李局长", {kHead});
  ActRequest give_back;
  give_back.mutable_return_proposal();
  EXPECT_EQ(Act(give_back, &view).error_code(), StatusCode::INVALID_ARGUMENT);
  give_back.set_reason("延期理由不充分");
  ASSERT_EQ(Act(give_back, &view).error_code(), StatusCode::OK);
  EXPECT_FALSE(view.has_pending());
  EXPECT_EQ(view.state(), state);
  const v1::CaseEvent returned = LastEvent();
  EXPECT_EQ(returned.action(), v1::CASE_ACTION_RETURN_PROPOSAL);
  EXPECT_EQ(returned.proposed_action(), v1::CASE_ACTION_EXTEND);
  EXPECT_EQ(returned.operator_(), "李局长");
  EXPECT_EQ(returned.reason(), "延期理由不充分");
  caller_.User(office_, "张承办", {kHandler});
  EXPECT_EQ(Act(Extend(10), &view).error_code(), StatusCode::OK);
  EXPECT_TRUE(view.has_pending());
}

// The role table through Act, GetCase and ListApprovals: each row names
// who calls, what, and the rule it follows.
TEST_F(ApprovalsTest, RolesDecideWhatAnOfficesUserMayDo) {
  struct Row {
    const char* rule;
    std::vector<StaffRole> roles;  // empty: the office's own credential
    ActRequest request;
    StatusCode code;
    v1::CaseState state;  // after, when OK
    bool pending;         // after, when OK
  };
  ActRequest approve;
  approve.mutable_approve();
  ActRequest decline;
  decline.mutable_decline()->set_route("向人民法院起诉");
  decline.set_reason("属诉讼事项");
  for (const Row& row : std::vector<Row>{
           {"roles.h: 督查员 acts on no case",
            {v1::STAFF_ROLE_INSPECTOR},
            Reply(),
            StatusCode::PERMISSION_DENIED,
            kNone,
            false},
           {"roles.h: 领导 acts on no case",
            {v1::STAFF_ROLE_LEADER},
            Extend(10),
            StatusCode::PERMISSION_DENIED,
            kNone,
            false},
           {"roles.h: 管理员 acts on no case (and reads none)",
            {v1::STAFF_ROLE_ADMIN},
            Reply(),
            StatusCode::PERMISSION_DENIED,
            kNone,
            false},
           {"roles.h: 登记员 does not reply",
            {v1::STAFF_ROLE_REGISTRAR},
            Reply(),
            StatusCode::PERMISSION_DENIED,
            kNone,
            false},
           {"issue 16: only the head approves",
            {kHandler},
            approve,
            StatusCode::PERMISSION_DENIED,
            kNone,
            false},
           {"issue 16: nothing pends to approve",
            {kHead},
            approve,
            StatusCode::FAILED_PRECONDITION,
            kNone,
            false},
           {"Art. 34: a proposal is checked at once (1..30 days)",
            {kHandler},
            Extend(0),
            StatusCode::INVALID_ARGUMENT,
            kNone,
            false},
           {"Art. 34: the handler's 延期 waits for the head",
            {kHandler},
            Extend(10),
            StatusCode::OK,
            v1::CASE_STATE_ACCEPTED,
            true},
           {"approvals.h: one proposal at a time",
            {kHandler},
            Reply(),
            StatusCode::FAILED_PRECONDITION,
            kNone,
            false},
           {"Art. 34: the head approves the 延期",
            {kHead},
            approve,
            StatusCode::OK,
            v1::CASE_STATE_EXTENDED,
            false},
           {"issue 16 item 1: the head's own 处理意见 applies at once",
            {kHandler, kHead},
            Reply(),
            StatusCode::OK,
            v1::CASE_STATE_REPLIED,
            false},
       }) {
    SCOPED_TRACE(row.rule);
    caller_.User(office_, "某人", row.roles);
    CaseView view;
    grpc::Status s = Act(row.request, &view);
    EXPECT_EQ(s.error_code(), row.code) << s.error_message();
    if (s.ok()) {
      EXPECT_EQ(view.state(), row.state);
      EXPECT_EQ(view.has_pending(), row.pending);
    } else if (row.code == StatusCode::PERMISSION_DENIED) {
      // For the person in the console: in Chinese.
      ASSERT_FALSE(s.error_message().empty());
      EXPECT_GE(static_cast<unsigned char>(s.error_message()[0]), 0x80)
          << s.error_message();
    }
  }
  // A refusal by role still says nothing to an office outside the case.
  caller_.User("140431:bureau", "某人", {kHandler});
  CaseView view;
  EXPECT_EQ(Act(Reply(), &view).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Act(decline, &view).error_code(), StatusCode::PERMISSION_DENIED);
}

TEST_F(ApprovalsTest, TheOfficesOwnCredentialActsAtOnce) {
  caller_.Office(office_);  // casectl: every role (auth.h)
  CaseView view;
  ASSERT_EQ(Act(Extend(10), &view).error_code(), StatusCode::OK);
  EXPECT_EQ(view.state(), v1::CASE_STATE_EXTENDED);
  EXPECT_FALSE(view.has_pending());
  EXPECT_EQ(LastEvent().approved_by(), "");
  EXPECT_EQ(Offered(view).count("reply"), 1u);
}

// roles.h ReadScopeOf: who reads the case, who lists the queue.
TEST_F(ApprovalsTest, WhatEachRoleReadsAndWhoseQueueItIs) {
  struct Row {
    const char* rule;
    std::string office;  // "" the handling office
    std::vector<StaffRole> roles;
    StatusCode get;
    StatusCode queue;
    StatusCode inbox;  // ListInbox of the handling office
  };
  for (const Row& row : std::vector<Row>{
           {"issue 16: the handler reads its office's case",
            "",
            {kHandler},
            StatusCode::OK,
            StatusCode::PERMISSION_DENIED,
            StatusCode::OK},
           {"issue 16: the head reads it and has the queue",
            "",
            {kHead},
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::OK},
           {"roles.h: 管理员 reads no case",
            "",
            {v1::STAFF_ROLE_ADMIN},
            StatusCode::PERMISSION_DENIED,
            StatusCode::PERMISSION_DENIED,
            StatusCode::PERMISSION_DENIED},
           {"roles.h: 领导 of the bureau reads the subtree",
            kBureau,
            {v1::STAFF_ROLE_LEADER},
            StatusCode::OK,
            StatusCode::PERMISSION_DENIED,
            StatusCode::OK},
           {"roles.h: 督查员 of the bureau reads the subtree",
            kBureau,
            {v1::STAFF_ROLE_INSPECTOR},
            StatusCode::OK,
            StatusCode::PERMISSION_DENIED,
            StatusCode::OK},
           {"roles.h: the bureau's 承办人 reads the cases its office is named "
            "in (a past holder)",
            kBureau,
            {kHandler},
            StatusCode::OK,
            StatusCode::PERMISSION_DENIED,
            StatusCode::PERMISSION_DENIED},
           {"roles.h: 领导 of the county government reads the subtree",
            kCountyGov,
            {v1::STAFF_ROLE_LEADER},
            StatusCode::OK,
            StatusCode::PERMISSION_DENIED,
            StatusCode::OK},
           {"roles.h: its 承办人 only what the government is named in",
            kCountyGov,
            {kHandler},
            StatusCode::PERMISSION_DENIED,
            StatusCode::PERMISSION_DENIED,
            StatusCode::PERMISSION_DENIED},
       }) {
    SCOPED_TRACE(row.rule);
    caller_.User(row.office.empty() ? office_ : row.office, "某人", row.roles);
    v1::CaseDetail detail;
    EXPECT_EQ(Get(&detail).error_code(), row.get);
    v1::ListApprovalsResponse queue;
    EXPECT_EQ(Approvals(&queue).error_code(), row.queue);
    v1::ListInboxRequest inbox;
    inbox.set_office_code(office_);
    grpc::ServerContext ctx;
    v1::ListInboxResponse listed;
    EXPECT_EQ(service_->ListInbox(&ctx, &inbox, &listed).error_code(),
              row.inbox);
  }
  // Another office's queue is not the head's.
  caller_.User(office_, "李局长", {kHead});
  v1::ListApprovalsRequest req;
  req.set_office_code(kBureau);
  grpc::ServerContext ctx;
  v1::ListApprovalsResponse resp;
  EXPECT_EQ(service_->ListApprovals(&ctx, &req, &resp).error_code(),
            StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace caserelay::routing
