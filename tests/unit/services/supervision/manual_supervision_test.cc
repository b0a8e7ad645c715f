// 督办 by hand through SupervisionServiceImpl (issue 18 item 4;
// manual_supervision.h): who may issue it (rows citing DOMAIN.md
// "Supervision", 2005 Art. 36, Art. 30), the one counter shared with the
// automatic 督办, what ListDeadlines offers.
#include <string>
#include <vector>

#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/supervision.pb.h"
#include "gtest/gtest.h"
#include "services/supervision/supervision_service.h"
#include "tests/unit/services/supervision/supervision_fixture.h"

namespace caserelay::supervision::testing {
namespace {

using G = grpc::StatusCode;

constexpr char kHrss[] = "140431:hrss";              // 沁源县人社局, holder
constexpr char kCountyBureau[] = "140431:bureau";    // 沁源县信访局
constexpr char kCityBureau[] = "140400:bureau";      // 长治市信访局
constexpr char kStranger[] = "140200:bureau";        // 大同市信访局
constexpr char kAccusation[] = "140431-20261201-000009";

absl::Time Accepted() { return svctest::ChinaTime(2026, 12, 1, 9, 0); }
absl::Time HandlingDue() { return svctest::ChinaTime(2027, 1, 31, 0, 0); }

// The case's first event: held by the county 人社局 with its HANDLING
// deadline, accusing `accused`.
Envelope First(const std::string& case_id,
               std::vector<std::string> accused = {}) {
  Envelope e = Event(
      1, Accepted(),
      {Running(caserelay::v1::DEADLINE_KIND_HANDLING, Accepted(),
               HandlingDue(), kHrss)},
      case_id);
  e.mutable_case_event()->set_holder_office_code(kHrss);
  for (auto& a : accused) e.mutable_case_event()->add_accused_office_codes(a);
  return e;
}

caserelay::v1::SuperviseRequest Request(
    const std::string& case_id = kCase,
    caserelay::v1::SupervisionGround ground =
        caserelay::v1::SUPERVISION_GROUND_SHIRKING,
    const std::string& target = "", const std::string& reason = "久拖不决") {
  caserelay::v1::SuperviseRequest req;
  req.set_case_id(case_id);
  req.set_ground(ground);
  req.set_target_office_code(target);
  req.set_reason(reason);
  return req;
}

class ManualSupervisionTest : public SupervisionTest {
 protected:
  void SetUp() override {
    SupervisionTest::SetUp();
    ApplyAndCommit(First(kCase));
    ApplyAndCommit(First(kAccusation, {kCountyBureau}));
  }

  grpc::Status Supervise(const std::string& caller,
                         const caserelay::v1::SuperviseRequest& req,
                         caserelay::v1::SuperviseResponse* resp) {
    Make({}, caller);
    grpc::ServerContext ctx;
    return service_->Supervise(&ctx, &req, resp);
  }
};

TEST_F(ManualSupervisionTest, WhoMayIssue) {
  struct Row {
    const char* rule;
    const char* caller;
    caserelay::v1::SuperviseRequest req;
    G want;
  };
  const std::vector<Row> rows = {
      {"DOMAIN.md Supervision: a bureau of another city supervises nothing "
       "here",
       kStranger, Request(), G::PERMISSION_DENIED},
      {"2005 Art. 36: only a 信访部门 supervises (not the holder itself)",
       kHrss, Request(), G::PERMISSION_DENIED},
      {"Art. 30: an accused bureau never supervises its accusation",
       kCountyBureau, Request(kAccusation), G::PERMISSION_DENIED},
      {"unknown case: refused as outside it, revealing nothing", kCityBureau,
       Request("140431-20261201-000404"), G::PERMISSION_DENIED},
      {"DOMAIN.md Supervision: only an office acting on the case",
       kCityBureau,
       Request(kCase, caserelay::v1::SUPERVISION_GROUND_SHIRKING,
               "140431:edu"),
       G::FAILED_PRECONDITION},
      {"2005 Art. 36 item 6: 其他 needs its reason", kCityBureau,
       Request(kCase, caserelay::v1::SUPERVISION_GROUND_OTHER, "", ""),
       G::INVALID_ARGUMENT},
      {"2005 Art. 36: a ground is named", kCityBureau,
       Request(kCase, caserelay::v1::SUPERVISION_GROUND_UNSPECIFIED),
       G::INVALID_ARGUMENT},
  };
  for (const Row& row : rows) {
    caserelay::v1::SuperviseResponse resp;
    grpc::Status s = Supervise(row.caller, row.req, &resp);
    EXPECT_EQ(s.error_code(), row.want) << row.rule << ": " << s.error_message();
  }
  EXPECT_TRUE(Issued().empty()) << "a refusal publishes nothing";
}

TEST_F(ManualSupervisionTest, OneCounterWithTheAutomaticOnes) {
  // The county bureau supervises the holder by hand: <case>/supervision/1.
  caserelay::v1::SuperviseResponse resp;
  grpc::Status s = Supervise(kCountyBureau, Request(), &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const std::string first = std::string(kCase) + "/supervision/1";
  EXPECT_EQ(resp.supervision().supervision_id(), first);
  EXPECT_EQ(resp.supervision().source(), caserelay::v1::SUPERVISION_SOURCE_MANUAL);
  EXPECT_EQ(resp.supervision().issuer_office_code(), kCountyBureau);
  EXPECT_EQ(resp.supervision().target_office_code(), kHrss);
  ASSERT_EQ(Issued().size(), 1u);
  EXPECT_EQ(Issued()[0].event_id(), "supervision/" + first + "/issued");
  EXPECT_EQ(ListAll().supervisions_size(), 1);
  // The holder then misses its handling deadline: the automatic 督办 is
  // numbered 2 and, after the manual 督办函, is 挂牌督办 (escalation.h).
  TickAt(HandlingDue() + absl::Hours(1));
  std::vector<Envelope> of_case;
  for (Envelope& e : Issued()) {
    if (e.case_id() == kCase) of_case.push_back(std::move(e));
  }
  ASSERT_EQ(of_case.size(), 2u);
  const caserelay::v1::SupervisionIssued& automatic =
      of_case[1].supervision_issued();
  EXPECT_EQ(automatic.supervision_id(), std::string(kCase) + "/supervision/2");
  EXPECT_EQ(automatic.source(), caserelay::v1::SUPERVISION_SOURCE_AUTOMATIC);
  EXPECT_EQ(automatic.ground(), caserelay::v1::SUPERVISION_GROUND_MISSED_DEADLINE);
  EXPECT_EQ(automatic.level(), caserelay::v1::SUPERVISION_LEVEL_LISTED);
}

TEST_F(ManualSupervisionTest, AStoreRebuiltFromCaseEventsLearnsTheManualOne) {
  // A store rebuilt from case-events (operator guide "Rebuilding a service
  // from Kafka") never saw the Supervise RPC: it learns the manual 督办
  // from routing's SUPERVISE, so the holder's later miss is still numbered
  // 2 and escalates to 挂牌督办, as in the first run (the test above).
  const absl::Time issued_at = svctest::ChinaTime(2027, 1, 20, 10, 0);
  caserelay::v1::SupervisionIssued manual;
  manual.set_supervision_id(std::string(kCase) + "/supervision/1");
  manual.set_level(caserelay::v1::SUPERVISION_LEVEL_LETTER);
  manual.set_issuer_office_code(kCountyBureau);
  manual.set_target_office_code(kHrss);
  manual.set_source(caserelay::v1::SUPERVISION_SOURCE_MANUAL);
  manual.set_ground(caserelay::v1::SUPERVISION_GROUND_SHIRKING);
  RunningDeadline reply = Running(
      caserelay::v1::DEADLINE_KIND_SUPERVISION_REPLY, issued_at,
      svctest::ChinaTime(2027, 2, 20, 0, 0), kHrss);
  reply.set_supervision_id(manual.supervision_id());
  Envelope supervise = Event(
      2, issued_at,
      {Running(caserelay::v1::DEADLINE_KIND_HANDLING, Accepted(),
               HandlingDue(), kHrss),
       reply},
      kCase);
  supervise.mutable_case_event()->set_action(
      caserelay::v1::CASE_ACTION_SUPERVISE);
  supervise.mutable_case_event()->set_from_state(
      caserelay::v1::CASE_STATE_ACCEPTED);
  supervise.mutable_case_event()->set_to_state(
      caserelay::v1::CASE_STATE_ACCEPTED);
  supervise.mutable_case_event()->set_holder_office_code(kHrss);
  *supervise.mutable_case_event()->mutable_supervision() = manual;
  ApplyAndCommit(supervise);
  ApplyAndCommit(supervise);  // a replay learns nothing twice
  ASSERT_EQ(ListAll().supervisions_size(), 1);
  EXPECT_TRUE(Issued().empty()) << "learnt, not issued again";

  TickAt(HandlingDue() + absl::Hours(1));
  std::vector<Envelope> of_case;
  for (Envelope& e : Issued()) {
    if (e.case_id() == kCase) of_case.push_back(std::move(e));
  }
  ASSERT_EQ(of_case.size(), 1u);
  const caserelay::v1::SupervisionIssued& automatic =
      of_case[0].supervision_issued();
  EXPECT_EQ(automatic.supervision_id(), std::string(kCase) + "/supervision/2");
  EXPECT_EQ(automatic.level(), caserelay::v1::SUPERVISION_LEVEL_LISTED);
}

TEST_F(ManualSupervisionTest, ListDeadlinesOffersWhatTheRuleAllows) {
  // The console offers exactly this (DOMAIN.md Supervision: a bureau over
  // its subtree; a holder that is no bureau is offered nothing).
  Make({}, kCityBureau);
  caserelay::v1::ListDeadlinesResponse city = ListAll();
  ASSERT_TRUE(city.has_supervise_offer());
  ASSERT_EQ(city.supervise_offer().targets_size(), 1);
  EXPECT_EQ(city.supervise_offer().targets(0).office_code(), kHrss);
  EXPECT_FALSE(city.supervise_offer().targets(0).office_name().empty());
  EXPECT_EQ(city.supervise_offer().grounds_size(), 6);
  Make({}, kHrss);
  EXPECT_FALSE(ListAll().has_supervise_offer());
}

}  // namespace
}  // namespace caserelay::supervision::testing
