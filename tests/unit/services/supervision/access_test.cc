// supervision's views under the shared access rule (domain/access; issue
// 14 item 1; DESIGN.md "Security"; Regulation Art. 30): the holder and
// its superiors see a case's deadlines, red lights and figures; a sibling
// office and another city's bureau do not; an accused bureau never sees
// the accusation, in a list or a figure; a record kept before parties
// were is seen only by the offices named in it.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/rpc/principal.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "gtest/gtest.h"
#include "services/supervision/supervision_service.h"
#include "tests/unit/services/supervision/supervision_fixture.h"

namespace caserelay::supervision::testing {
namespace {

using caserelay::v1::ListRedLightsRequest;
using G = grpc::StatusCode;

constexpr char kAccusation[] =
    "140431-20261201-000001";  // accuses 长治市信访局
constexpr char kOrdinary[] = "140431-20261201-000002";
constexpr char kLegacy[] = "140431-20261201-000003";  // kept before parties
constexpr char kHolder[] = "140431:discipline";       // 沁源县纪委监委
constexpr char kCityBureau[] = "140400:bureau";       // 长治市信访局
constexpr char kProvince[] = "140000:bureau";

absl::Time Accepted() { return svctest::ChinaTime(2026, 12, 1, 9, 0); }
absl::Time HandlingDue() { return svctest::ChinaTime(2027, 1, 31, 0, 0); }

RunningDeadline Handling() {
  return Running(caserelay::v1::DEADLINE_KIND_HANDLING, Accepted(),
                 HandlingDue(), kHolder);
}

// The first event (sequence 1, routing's REGISTER) of a case held by
// kHolder, naming `accused`.
Envelope First(const std::string& case_id, std::vector<std::string> accused) {
  Envelope e = Event(1, Accepted(), {Handling()}, case_id);
  e.mutable_case_event()->set_holder_office_code(kHolder);
  for (auto& a : accused) e.mutable_case_event()->add_accused_office_codes(a);
  return e;
}

class SupervisionAccessTest : public SupervisionTest {
 protected:
  void SetUp() override {
    SupervisionTest::SetUp();
    ApplyAndCommit(First(kAccusation, {kCityBureau}));
    ApplyAndCommit(First(kOrdinary, {}));
    // A record written before parties were kept: no REGISTER with them.
    caserelay::v1::SupervisionCaseRecord legacy;
    {
      store::WriteBatch batch(&t_->store());
      ApplyAndCommit(Event(1, Accepted(), {Handling()}, kLegacy));
      auto kept = LoadCase(batch, kLegacy);
      ASSERT_TRUE(kept.ok()) << kept.status();
      legacy = *kept;
    }
    legacy.clear_parties();
    store::WriteBatch batch(&t_->store());
    batch.Put(kCases, kLegacy, legacy.SerializeAsString());
    ASSERT_TRUE(t_->publisher().Commit(batch).ok());
    TickAt(HandlingDue() + absl::Hours(24));  // all three lit
  }

  G Deadlines(const std::string& caller, const std::string& case_id) {
    Make({}, caller);
    caserelay::v1::ListDeadlinesRequest req;
    req.set_case_id(case_id);
    caserelay::v1::ListDeadlinesResponse resp;
    grpc::ServerContext ctx;
    return service_->ListDeadlines(&ctx, &req, &resp).error_code();
  }

  // The cases of the red lights `caller` lists, or the error code.
  std::vector<std::string> Lit(const std::string& caller,
                               ListRedLightsRequest req, G* code = nullptr) {
    Make({}, caller);
    caserelay::v1::ListRedLightsResponse resp;
    grpc::ServerContext ctx;
    grpc::Status s = service_->ListRedLights(&ctx, &req, &resp);
    if (code != nullptr) *code = s.error_code();
    std::vector<std::string> cases;
    for (const auto& l : resp.lights()) {
      cases.push_back(l.deadline().deadline_id().substr(0, 22));
    }
    return cases;
  }

  int Backlog(const std::string& caller, const std::string& region,
              G* code = nullptr) {
    Make({}, caller);
    caserelay::v1::GetIndicatorsRequest req;
    req.mutable_scope()->set_region_code(region);
    caserelay::v1::GetIndicatorsResponse resp;
    grpc::ServerContext ctx;
    grpc::Status s = service_->GetIndicators(&ctx, &req, &resp);
    if (code != nullptr) *code = s.error_code();
    return resp.total().backlog();
  }
};

TEST_F(SupervisionAccessTest, ListDeadlinesFollowsTheSharedRule) {
  struct Row {
    const char* rule;
    std::string caller;
    std::string case_id;
    G want;
  };
  const std::vector<Row> rows = {
      {"the holder reads its case", kHolder, kAccusation, G::OK},
      {"a superior bureau reads its subtree", kCityBureau, kOrdinary, G::OK},
      {"Art. 30: never the accused unit", kCityBureau, kAccusation,
       G::PERMISSION_DENIED},
      {"a superior not accused reads it", kProvince, kAccusation, G::OK},
      {"departments supervise nothing: a sibling office does not read",
       "140431:hrss", kOrdinary, G::PERMISSION_DENIED},
      {"another city's bureau does not read", "140200:bureau", kOrdinary,
       G::PERMISSION_DENIED},
      {"accused unknown: the office named in the case reads", kHolder, kLegacy,
       G::OK},
      {"accused unknown: no superior reads", kProvince, kLegacy,
       G::PERMISSION_DENIED},
      {"an unknown case: refused, nothing revealed", kProvince,
       "140431-20261201-999999", G::PERMISSION_DENIED},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(Deadlines(r.caller, r.case_id), r.want)
        << r.rule << ": " << r.caller << " " << r.case_id;
  }
}

TEST_F(SupervisionAccessTest,
       AnOfficeWhoseDeadlineEndedReadsButNotItsSuperior) {
  // 上党区人社局 held the case and acted in time (its deadline DONE), then
  // the case moved to kHolder: as in routing, a past holder reads, its
  // superior does not.
  constexpr char kMoved[] = "140431-20261201-000009";
  Envelope first = Event(1, Accepted(),
                         {Running(caserelay::v1::DEADLINE_KIND_ACCEPTANCE,
                                  Accepted(), HandlingDue(), "140404:hrss")},
                         kMoved);
  first.mutable_case_event()->set_holder_office_code("140404:hrss");
  ApplyAndCommit(first);
  Envelope moved = Event(2, Accepted() + absl::Hours(1), {Handling()}, kMoved);
  moved.mutable_case_event()->set_holder_office_code(kHolder);
  ApplyAndCommit(moved);
  EXPECT_EQ(Deadlines("140404:hrss", kMoved), G::OK) << "a past holder";
  EXPECT_EQ(Deadlines("140404:bureau", kMoved), G::PERMISSION_DENIED)
      << "the superior of a past holder only";
  EXPECT_EQ(Deadlines("140431:bureau", kMoved), G::OK)
      << "the superior of the holder";
}

TEST_F(SupervisionAccessTest, RedLightsLeaveOutTheAccusationForTheAccused) {
  const std::vector<std::string> all = {kAccusation, kOrdinary, kLegacy};
  ListRedLightsRequest county;
  county.set_region_code("140431");
  EXPECT_EQ(Lit(kProvince, county),
            (std::vector<std::string>{kAccusation, kOrdinary}))
      << "accused unknown: no superior lists the legacy case";
  EXPECT_EQ(Lit(kCityBureau, county), (std::vector<std::string>{kOrdinary}))
      << "Art. 30: the accused bureau never lists the accusation";
  EXPECT_EQ(Lit(kCityBureau, {}), (std::vector<std::string>{kOrdinary}))
      << "its own subtree by default, still without the accusation";
  EXPECT_EQ(Lit(kHolder, {}), all)
      << "a department's default scope is its own office";
  G code = G::OK;
  Lit(kHolder, county, &code);
  EXPECT_EQ(code, G::PERMISSION_DENIED) << "departments supervise nothing";
  EXPECT_TRUE(Lit("140431:hrss", {}).empty()) << "a sibling: none of them";
  ListRedLightsRequest holder;
  holder.set_office_code(kHolder);
  Lit("140431:hrss", holder, &code);
  EXPECT_EQ(code, G::PERMISSION_DENIED) << "nor may it ask for the holder's";
  Lit("140200:bureau", county, &code);
  EXPECT_EQ(code, G::PERMISSION_DENIED) << "another city's subtree";
}

// Issue 19 G item 2: the indicators' scan answers service:statistics only,
// so no office reads figures here at all (it asks statistics, whose index
// applies Art. 30); statistics reads every case of the scope, the
// accusation and the legacy record included.
TEST_F(SupervisionAccessTest, IndicatorsAnswerNoOfficeAndEveryCaseToStatistics) {
  G code = G::OK;
  Backlog(kProvince, "140431", &code);
  EXPECT_EQ(code, G::PERMISSION_DENIED) << "the province asks statistics";
  Backlog(kHolder, "", &code);
  EXPECT_EQ(code, G::PERMISSION_DENIED) << "so does the holder";
  Backlog(kCityBureau, "140431", &code);
  EXPECT_EQ(code, G::PERMISSION_DENIED)
      << "Art. 30: the accused bureau reads no figure here at all";
  EXPECT_EQ(Backlog("service:statistics", "140431", &code), 3)
      << "the reference counts every case of the scope";
  EXPECT_EQ(code, G::OK);
}

// A staff user the web gateway speaks for (x-caserelay-user-bin, -office,
// -roles), as rpc::Caller makes them.
class StaffUser final : public rpc::Authenticator {
 public:
  StaffUser(std::string office, std::vector<caserelay::v1::StaffRole> roles)
      : principal_(rpc::Principal::Office(std::move(office), "user1")) {
    principal_.via = rpc::kWebService;
    principal_.roles = std::move(roles);
  }
  absl::StatusOr<rpc::Principal> PrincipalOf(
      const grpc::ServerContext&) const override {
    return principal_;
  }

 private:
  rpc::Principal principal_;
};

// Issue 16 item 4 and K2's report (domain/access/roles.h ReadScopeOf, as
// routing applies it): an ADMIN alone reads no deadline, red light or
// figure; a HEAD (registrar, handler) only its own office's; an INSPECTOR
// or LEADER the subtree as the office does.
TEST_F(SupervisionAccessTest, StaffReadByTheirRoles) {
  struct Row {
    const char* rule;
    std::string office;
    caserelay::v1::StaffRole role;
    G deadlines;                    // ListDeadlines of kOrdinary
    G board;                        // ListRedLights of its default scope
    std::vector<std::string> lit;   // ... the cases listed
    G county;                       // ListRedLights of region 140431
    G figures;  // GetIndicators: refused to every office (statistics only)
  };
  using v1 = caserelay::v1::StaffRole;
  const std::vector<Row> rows = {
      {"roles.h: ADMIN alone reads no case", kProvince,
       v1::STAFF_ROLE_ADMIN, G::PERMISSION_DENIED, G::PERMISSION_DENIED, {},
       G::PERMISSION_DENIED, G::PERMISSION_DENIED},
      {"roles.h: the holder's HANDLER reads its own office's", kHolder,
       v1::STAFF_ROLE_HANDLER, G::OK, G::OK,
       {kAccusation, kOrdinary, kLegacy}, G::PERMISSION_DENIED,
       G::PERMISSION_DENIED},
      {"roles.h: a bureau's HEAD: only the bureau's own office, not the "
       "subtree",
       kCityBureau, v1::STAFF_ROLE_HEAD, G::PERMISSION_DENIED, G::OK, {},
       G::PERMISSION_DENIED, G::PERMISSION_DENIED},
      {"roles.h: a bureau's INSPECTOR reads the subtree (Art. 30 holds)",
       kCityBureau, v1::STAFF_ROLE_INSPECTOR, G::OK, G::OK, {kOrdinary},
       G::OK, G::PERMISSION_DENIED},
      {"roles.h: a province LEADER reads the subtree", kProvince,
       v1::STAFF_ROLE_LEADER, G::OK, G::OK, {kAccusation, kOrdinary}, G::OK,
       G::PERMISSION_DENIED},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.rule);
    StaffUser user(r.office, {r.role});
    service::Context context = t_->context();
    context.auth = &user;
    service_ = std::make_unique<SupervisionServiceImpl>(
        context,
        SupervisionTables{&svctest::ShippedRegions(),
                          &svctest::ShippedOfficeDirectory()},
        SupervisionOptions{});
    grpc::ServerContext c1, c2, c3, c4;
    caserelay::v1::ListDeadlinesRequest dl;
    dl.set_case_id(kOrdinary);
    caserelay::v1::ListDeadlinesResponse dr;
    EXPECT_EQ(service_->ListDeadlines(&c1, &dl, &dr).error_code(),
              r.deadlines);
    const ListRedLightsRequest own;
    caserelay::v1::ListRedLightsResponse board;
    EXPECT_EQ(service_->ListRedLights(&c2, &own, &board).error_code(),
              r.board);
    std::vector<std::string> lit;
    for (const auto& l : board.lights()) {
      lit.push_back(l.deadline().deadline_id().substr(0, 22));
    }
    EXPECT_EQ(lit, r.lit);
    ListRedLightsRequest county;
    county.set_region_code("140431");
    caserelay::v1::ListRedLightsResponse county_board;
    EXPECT_EQ(service_->ListRedLights(&c3, &county, &county_board).error_code(),
              r.county);
    caserelay::v1::GetIndicatorsRequest figures;
    caserelay::v1::GetIndicatorsResponse got;
    EXPECT_EQ(service_->GetIndicators(&c4, &figures, &got).error_code(),
              r.figures);
    service_.reset();
  }
}

}  // namespace
}  // namespace caserelay::supervision::testing
