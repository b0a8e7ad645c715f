// What routing's answers show the console (issue 16, the lead's contract
// "what the console shows comes from the services"):
// - RouteDecision.rule_texts: the rules in words (domain/routing/rules.h),
//   in PreviewRoute and in the views of GetCase and Act, never stored;
// - CaseView.allowed_actions offers 督办回复 only while a 督办 awaits the
//   caller's reply (Lifecycle::MayOffer).
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/routing.pb.h"
#include "common/rpc/auth.h"
#include "common/time/calendar.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/lifecycle.h"
#include "domain/routing/router.h"
#include "domain/routing/rules.h"
#include "domain/routing/statutory_routes.h"
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
using grpc::StatusCode;

template <typename T>
const T& OrDie(absl::StatusOr<T> loaded) {
  if (!loaded.ok()) {
    ADD_FAILURE() << loaded.status();
    std::abort();
  }
  return *new T(*std::move(loaded));
}

// Every request comes from one office's own credential (every role).
class OfficeCaller final : public rpc::Authenticator {
 public:
  absl::StatusOr<rpc::Principal> PrincipalOf(
      const grpc::ServerContext&) const override {
    return rpc::Principal::Office(office);
  }
  std::string office;
};

constexpr char kCase[] = "140431-20260301-000001";
constexpr char kBureau[] = "140431:bureau";

v1::Matter Labour() {
  v1::Matter m;
  m.set_region_code("140431");
  m.set_category("labour");
  m.set_matter_class(v1::MATTER_CLASS_CLAIM);
  m.set_channel(v1::CHANNEL_ONLINE);
  m.set_title("拖欠工资");
  m.set_text("某公司拖欠工资三个月。");
  return m;
}

class AnswersTest : public ::testing::Test {
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
    Envelope e = At(1, "intake/C/received");
    auto* r = e.mutable_petition_received();
    r->set_case_number(kCase);
    r->mutable_petitioner()->set_id("P1");
    *r->mutable_matter() = Labour();
    *r->mutable_received_at() = e.occurred_at();
    ASSERT_TRUE(Consume(e).ok());
    caller_.office = kBureau;
  }

  Envelope At(int day, const std::string& id) {
    Envelope e;
    e.set_event_id(id);
    e.set_case_id(kCase);
    e.set_producer(absl::StrCat(id.substr(0, id.find('/'))));
    *e.mutable_occurred_at() =
        time::ToProto(svctest::ChinaTime(2026, 3, day, 10, 0));
    return e;
  }
  absl::Status Consume(const Envelope& e) {
    store::WriteBatch batch(&t_->store());
    if (absl::Status s = service_->Apply(e, batch); !s.ok()) return s;
    if (absl::Status s = t_->publisher().Commit(batch); !s.ok()) return s;
    service_->Committed();
    return absl::OkStatus();
  }
  grpc::Status Act(ActRequest req, CaseView* view) {
    req.set_case_id(kCase);
    auto record = CaseStore(&t_->store()).Read(kCase);
    req.set_expected_version(record.ok() && record->has_value()
                                 ? (*record)->view().version()
                                 : 0);
    grpc::ServerContext ctx;
    return service_->Act(&ctx, &req, view);
  }
  CaseView Get() {
    v1::GetCaseRequest req;
    req.set_case_id(kCase);
    grpc::ServerContext ctx;
    v1::CaseDetail detail;
    grpc::Status s = service_->GetCase(&ctx, &req, &detail);
    EXPECT_EQ(s.error_code(), StatusCode::OK) << s.error_message();
    history_.assign(detail.events().begin(), detail.events().end());
    return detail.view();
  }
  static bool Offers(const CaseView& view, v1::CaseAction action) {
    for (const auto& a : view.allowed_actions()) {
      if (a.action() == action) return true;
    }
    return false;
  }
  static void ExpectWords(const v1::RouteDecision& d) {
    ASSERT_GT(d.rules_size(), 0);
    ASSERT_EQ(d.rule_texts_size(), d.rules_size());
    for (int i = 0; i < d.rules_size(); ++i) {
      EXPECT_FALSE(RuleText(d.rules(i)).empty()) << d.rules(i);
      EXPECT_EQ(d.rule_texts(i), RuleText(d.rules(i))) << d.rules(i);
    }
  }
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

  OfficeCaller caller_;
  Router router_{&svctest::ShippedRegions(), &svctest::ShippedOfficeDirectory(),
                 Routes()};
  DirectoryResolver resolver_{&svctest::ShippedOfficeDirectory()};
  lifecycle::Lifecycle lifecycle_{lifecycle::Policy{}, Holidays(), &resolver_};
  std::unique_ptr<svctest::TestContext> t_;
  std::unique_ptr<RoutingServiceImpl> service_;
  std::vector<std::string> history_;  // GetCase's events, as published
};

// Issue 16 登记: "the route routing would take shown before saving
// (PreviewRoute, with the rule each step applied, in words)".
TEST_F(AnswersTest, PreviewRouteAnswersTheRulesInWords) {
  v1::PreviewRouteRequest req;
  *req.mutable_matter() = Labour();
  v1::RouteDecision decision;
  grpc::ServerContext ctx;
  grpc::Status s = service_->PreviewRoute(&ctx, &req, &decision);
  ASSERT_EQ(s.error_code(), StatusCode::OK) << s.error_message();
  ExpectWords(decision);
}

// Issue 16 case page: GetCase's and Act's views carry the words too, but
// the stored record and the published events do not: the bytes of the
// hash chain never change with the wording (events.proto rule_texts).
TEST_F(AnswersTest, ViewsAnswerTheWordsThatNoEventStores) {
  ExpectWords(Get().decision());
  ASSERT_FALSE(history_.empty());
  Envelope registered;
  ASSERT_TRUE(registered.ParseFromString(history_.front()));
  ASSERT_GT(registered.case_event().decision().rules_size(), 0);
  EXPECT_EQ(registered.case_event().decision().rule_texts_size(), 0);
  auto record = CaseStore(&t_->store()).Read(kCase);
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_EQ((*record)->view().decision().rule_texts_size(), 0);
  for (const Envelope& e : t_->Published("case-events")) {
    EXPECT_EQ(e.case_event().decision().rule_texts_size(), 0);
  }

  ActRequest transfer;
  transfer.mutable_transfer();
  CaseView view;
  ASSERT_EQ(Act(transfer, &view).error_code(), StatusCode::OK);
  ExpectWords(view.decision());
}

// 2005 Art. 36 / DOMAIN.md Deadlines: the supervised office replies to a
// 督办 while it is outstanding; with none (never issued, or answered) the
// holder is not offered 督办回复.
TEST_F(AnswersTest, ReplySupervisionOnlyWhileASupervisionAwaits) {
  ActRequest transfer;
  transfer.mutable_transfer();
  CaseView view;
  ASSERT_EQ(Act(transfer, &view).error_code(), StatusCode::OK);
  const std::string holder = view.office_code();
  caller_.office = holder;
  EXPECT_FALSE(Offers(Get(), v1::CASE_ACTION_REPLY_SUPERVISION));

  Envelope e = At(20, "supervision/C/1");
  auto* issued = e.mutable_supervision_issued();
  issued->set_supervision_id(absl::StrCat(kCase, "/supervision/1"));
  issued->set_level(v1::SUPERVISION_LEVEL_LETTER);
  issued->set_issuer_office_code(kBureau);
  issued->set_target_office_code(holder);
  issued->set_missed_kind(v1::DEADLINE_KIND_ACCEPTANCE);
  issued->set_miss_count(1);
  ASSERT_TRUE(Consume(e).ok());
  EXPECT_TRUE(Offers(Get(), v1::CASE_ACTION_REPLY_SUPERVISION));
  caller_.office = kBureau;  // the supervising bureau replies to nothing
  EXPECT_FALSE(Offers(Get(), v1::CASE_ACTION_REPLY_SUPERVISION));

  caller_.office = holder;
  ActRequest reply;
  reply.mutable_reply_supervision();
  reply.set_reason("已督促承办人员按期受理");
  grpc::Status replied = Act(reply, &view);
  ASSERT_EQ(replied.error_code(), StatusCode::OK) << replied.error_message();
  EXPECT_FALSE(Offers(view, v1::CASE_ACTION_REPLY_SUPERVISION));
  EXPECT_FALSE(Offers(Get(), v1::CASE_ACTION_REPLY_SUPERVISION));
}

}  // namespace
}  // namespace caserelay::routing
