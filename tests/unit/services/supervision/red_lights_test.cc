// SupervisionServiceImpl's red lights (灭红灯) and 督办 (DOMAIN.md
// "Supervision", Regulation Arts. 39-40; rule in escalation.h), the
// red-light board's paging and the callers' subtrees (DESIGN.md
// "Security").

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "caserelay/v1/events.pb.h"
#include "common/time/timestamp.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/supervision/deadline_mirror.h"
#include "services/supervision/supervision_service.h"
#include "tests/unit/services/supervision/supervision_fixture.h"

namespace caserelay::supervision::testing {
namespace {

using caserelay::v1::ListRedLightsRequest;
using caserelay::v1::ListRedLightsResponse;
using caserelay::v1::SupervisionIssued;

constexpr char kTownGov[] = "140431100:gov";  // 沁河镇人民政府

absl::Time Accepted() { return svctest::ChinaTime(2026, 12, 1, 9, 0); }
absl::Time HandlingDue() { return svctest::ChinaTime(2027, 1, 31, 0, 0); }

RunningDeadline Handling(const std::string& office = kTownGov) {
  return Running(caserelay::v1::DEADLINE_KIND_HANDLING, Accepted(),
                 HandlingDue(), office);
}

class RedLightsTest : public SupervisionTest {
 protected:
  absl::StatusOr<ListRedLightsResponse> Lights(ListRedLightsRequest req) {
    ListRedLightsResponse resp;
    grpc::ServerContext ctx;
    grpc::Status s = service_->ListRedLights(&ctx, &req, &resp);
    if (!s.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                          s.error_message());
    }
    return resp;
  }
  std::vector<std::string> LitIds(ListRedLightsRequest req = {}) {
    auto resp = Lights(req);
    EXPECT_TRUE(resp.ok()) << resp.status();
    std::vector<std::string> ids;
    if (resp.ok()) {
      for (const auto& l : resp->lights()) {
        ids.push_back(l.deadline().deadline_id());
      }
    }
    return ids;
  }
  uint64_t IssuedMetric(const char* level) {
    return t_->metrics()
        .GetCounter("caserelay_supervision_instruments_issued_total", "",
                    {{"level", level}})
        .Value();
  }
};

TEST_F(RedLightsTest, MissLightsARedLightUntilRoutingStopsListingIt) {
  ApplyAndCommit(Event(1, Accepted(), {Handling()}));
  EXPECT_TRUE(LitIds().empty());
  TickAt(HandlingDue() + absl::Hours(24 * 3 + 5));

  auto resp = Lights({});
  ASSERT_TRUE(resp.ok()) << resp.status();
  ASSERT_EQ(resp->lights_size(), 1);
  const auto& light = resp->lights(0);
  EXPECT_EQ(
      light.deadline().deadline_id(),
      DeadlineId(kCase, caserelay::v1::DEADLINE_KIND_HANDLING, Accepted()));
  EXPECT_EQ(light.deadline().state(), caserelay::v1::DEADLINE_STATE_MISSED);
  EXPECT_EQ(light.overdue_days(), 3) << "whole days past due_at";
  EXPECT_EQ(light.supervision(), caserelay::v1::SUPERVISION_LEVEL_LETTER);
  EXPECT_EQ(time::FromProto(resp->as_of()), t_->clock().Now());
  EXPECT_TRUE(resp->next_page_token().empty());

  ApplyAndCommit(Event(2, HandlingDue() + absl::Hours(24 * 4), {}));  // replied
  EXPECT_TRUE(LitIds().empty()) << "灭红灯: the office acted";
  EXPECT_EQ(Count(kLights), 0);
}

TEST_F(RedLightsTest, FirstMissOfATownshipIsALetterFromItsCountyBureau) {
  ApplyAndCommit(Event(1, Accepted(), {Handling()}));
  TickAt(HandlingDue());
  std::vector<Envelope> issued = Issued();
  ASSERT_EQ(issued.size(), 1u);
  const std::string sid = std::string(kCase) + "/supervision/1";
  EXPECT_EQ(issued[0].event_id(), "supervision/" + sid + "/issued");
  EXPECT_EQ(issued[0].case_id(), kCase);
  const SupervisionIssued& s = issued[0].supervision_issued();
  EXPECT_EQ(s.supervision_id(), sid);
  EXPECT_EQ(s.level(), caserelay::v1::SUPERVISION_LEVEL_LETTER);
  EXPECT_EQ(s.issuer_office_code(), "140431:bureau");
  EXPECT_EQ(s.issuer_office_name(), "沁源县信访局");
  EXPECT_EQ(s.target_office_code(), kTownGov);
  EXPECT_EQ(s.missed_kind(), caserelay::v1::DEADLINE_KIND_HANDLING);
  EXPECT_EQ(time::FromProto(s.missed_due_at()), HandlingDue());
  EXPECT_EQ(s.miss_count(), 1);

  caserelay::v1::ListDeadlinesResponse all = ListAll();
  ASSERT_EQ(all.supervisions_size(), 1);
  EXPECT_EQ(all.supervisions(0).supervision_id(), sid);
  EXPECT_EQ(IssuedMetric("letter"), 1u);
}

TEST_F(RedLightsTest, CountyBureauLateOnTransferIsSupervisedByTheCity) {
  ApplyAndCommit(Event(1, Received(), {Transfer()}));  // 140431:bureau
  TickAt(TransferDue());
  std::vector<Envelope> issued = Issued();
  ASSERT_EQ(issued.size(), 1u);
  EXPECT_EQ(issued[0].supervision_issued().issuer_office_code(),
            "140400:bureau");
  EXPECT_EQ(issued[0].supervision_issued().issuer_office_name(),
            "长治市信访局");
}

TEST_F(RedLightsTest, SecondMissIsListedByTheLetterIssuersParentOnce) {
  ApplyAndCommit(Event(1, Accepted(), {Handling()}));
  TickAt(HandlingDue());
  ASSERT_EQ(Issued().size(), 1u);
  const std::string sid = std::string(kCase) + "/supervision/1";

  // Routing records the 督办 and starts the 30-day reply (2005 Art. 36);
  // the office still has not replied.
  const absl::Time supervised = HandlingDue() + absl::Hours(1);
  const absl::Time reply_due = HandlingDue() + absl::Hours(24 * 30);
  RunningDeadline reply =
      Running(caserelay::v1::DEADLINE_KIND_SUPERVISION_REPLY, supervised,
              reply_due, kTownGov);
  reply.set_supervision_id(sid);
  ApplyAndCommit(Event(2, supervised, {Handling(), reply}));
  EXPECT_EQ(List()[1].supervision_id(), sid);

  TickAt(reply_due);
  std::vector<Envelope> issued = Issued();
  ASSERT_EQ(issued.size(), 2u);
  const SupervisionIssued& listed = issued[1].supervision_issued();
  EXPECT_EQ(listed.supervision_id(), std::string(kCase) + "/supervision/2");
  EXPECT_EQ(listed.level(), caserelay::v1::SUPERVISION_LEVEL_LISTED);
  EXPECT_EQ(listed.issuer_office_code(), "140400:bureau");
  EXPECT_EQ(listed.miss_count(), 2);
  EXPECT_EQ(IssuedMetric("listed"), 1u);

  // A third miss: only a red light (挂牌督办 is issued once).
  const absl::Time third_due = reply_due + absl::Hours(24 * 30);
  RunningDeadline reply2 =
      Running(caserelay::v1::DEADLINE_KIND_SUPERVISION_REPLY,
              reply_due + absl::Hours(1), third_due, kTownGov);
  reply2.set_supervision_id(listed.supervision_id());
  ApplyAndCommit(
      Event(3, reply_due + absl::Hours(1), {Handling(), reply, reply2}));
  TickAt(third_due);
  EXPECT_EQ(Missed().size(), 3u);
  EXPECT_EQ(Issued().size(), 2u);
  EXPECT_EQ(LitIds().size(), 3u);
  auto resp = Lights({});
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->lights(0).supervision(),
            caserelay::v1::SUPERVISION_LEVEL_LISTED)
      << "the highest instrument issued to the office on the case";
}

TEST_F(RedLightsTest, MissesFallingDueTogetherAreOneInstrument) {
  // 交办: HANDLING and RESULT_REPORT of one office due at the same instant.
  RunningDeadline report = Running(caserelay::v1::DEADLINE_KIND_RESULT_REPORT,
                                   Accepted(), HandlingDue(), kTownGov);
  ApplyAndCommit(Event(1, Accepted(), {Handling(), report}));
  TickAt(HandlingDue());
  EXPECT_EQ(Missed().size(), 2u);
  ASSERT_EQ(Issued().size(), 1u);
  EXPECT_EQ(Issued()[0].supervision_issued().level(),
            caserelay::v1::SUPERVISION_LEVEL_LETTER);
  EXPECT_EQ(LitIds().size(), 2u);
}

TEST_F(RedLightsTest, ReplayAndASecondTickProduceNothingTwice) {
  ApplyAndCommit(Event(1, Accepted(), {Handling()}));
  TickAt(HandlingDue());
  Make();                                              // restarted
  ApplyAndCommit(Event(1, Accepted(), {Handling()}));  // redelivered
  TickAndCommit();
  TickAt(HandlingDue() + absl::Hours(24));
  EXPECT_EQ(Missed().size(), 1u);
  EXPECT_EQ(Issued().size(), 1u);
  EXPECT_EQ(ListAll().supervisions_size(), 1);
  EXPECT_EQ(LitIds().size(), 1u);
}

TEST_F(RedLightsTest, DeadlineEndedAfterItsDueIsMissedBeforeItsTimerFires) {
  // Supervision was stopped over the due: routing's event of the office's
  // late reply comes before any Tick.
  ApplyAndCommit(Event(1, Accepted(), {Handling()}));
  const absl::Time replied = HandlingDue() + absl::Hours(5);
  t_->clock().Set(replied + absl::Hours(1));
  ApplyAndCommit(Event(2, replied, {}));
  std::vector<Deadline> d = List();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].state(), caserelay::v1::DEADLINE_STATE_MISSED);
  EXPECT_EQ(time::FromProto(d[0].ended_at()), replied);
  EXPECT_EQ(Missed().size(), 1u);
  EXPECT_EQ(Issued().size(), 1u) << "late is late (Art. 39)";
  EXPECT_TRUE(LitIds().empty()) << "ended: no red light left";
  EXPECT_EQ(Timers(), 0);
  TickAndCommit();
  EXPECT_EQ(Missed().size(), 1u);
}

TEST_F(RedLightsTest, DeadlineEndedBeforeItsDueIsDone) {
  ApplyAndCommit(Event(1, Accepted(), {Handling()}));
  ApplyAndCommit(Event(2, HandlingDue() - absl::Microseconds(1), {}));
  EXPECT_EQ(List()[0].state(), caserelay::v1::DEADLINE_STATE_DONE);
  EXPECT_TRUE(Missed().empty());
}

TEST_F(RedLightsTest, MissOfAnUnknownOfficeIsLitWithoutInstrument) {
  ApplyAndCommit(Event(1, Accepted(), {Handling("140431:nosuchunit")}));
  TickAt(HandlingDue());
  EXPECT_EQ(Missed().size(), 1u);
  EXPECT_TRUE(Issued().empty());
  EXPECT_EQ(LitIds().size(), 1u);
  EXPECT_EQ(t_->metrics()
                .GetCounter("caserelay_supervision_unknown_offices_total", "")
                .Value(),
            1u);
}

// Five lights, one case each, due a day apart: counties 140431 (沁源县)
// and 140404 (上党区) of 长治市.
class BoardTest : public RedLightsTest {
 protected:
  void SetUp() override {
    RedLightsTest::SetUp();
    const char* offices[] = {"140431:hrss", "140404:hrss", "140431100:gov",
                             "140404:bureau", "140431:hrss"};
    for (int i = 0; i < 5; ++i) {
      std::string case_id = "140431-20261201-00000" + std::to_string(i + 1);
      ApplyAndCommit(
          Event(1, Accepted(),
                {Running(caserelay::v1::DEADLINE_KIND_HANDLING, Accepted(),
                         HandlingDue() + absl::Hours(24 * i), offices[i])},
                case_id));
      ids_.push_back(DeadlineId(case_id, caserelay::v1::DEADLINE_KIND_HANDLING,
                                Accepted()));
    }
    TickAt(HandlingDue() + absl::Hours(24 * 10));
  }
  std::vector<std::string> ids_;  // in due order
};

TEST_F(BoardTest, PagesGoOldestFirstToTheEnd) {
  ListRedLightsRequest req;
  req.set_limit(2);
  std::vector<std::string> seen;
  std::vector<int> sizes;
  for (int page = 0; page < 5; ++page) {
    auto resp = Lights(req);
    ASSERT_TRUE(resp.ok()) << resp.status();
    sizes.push_back(resp->lights_size());
    for (const auto& l : resp->lights()) {
      seen.push_back(l.deadline().deadline_id());
    }
    if (resp->next_page_token().empty()) break;
    req.set_page_token(resp->next_page_token());
  }
  EXPECT_EQ(seen, ids_);
  EXPECT_EQ(sizes, (std::vector<int>{2, 2, 1}));
}

TEST_F(BoardTest, RegionAndOfficeFilterTheBoard) {
  ListRedLightsRequest req;
  req.set_region_code("140431");
  EXPECT_EQ(LitIds(req), (std::vector<std::string>{ids_[0], ids_[2], ids_[4]}))
      << "the township's office lies in the county's subtree";
  req.set_office_code("140431:hrss");
  EXPECT_EQ(LitIds(req), (std::vector<std::string>{ids_[0], ids_[4]}));
  req.set_region_code("");
  req.set_office_code("140404:bureau");
  EXPECT_EQ(LitIds(req), (std::vector<std::string>{ids_[3]}));
  req.set_office_code("");
  req.set_region_code("140400");
  EXPECT_EQ(LitIds(req).size(), 5u);
  req.set_region_code("110000");
  EXPECT_TRUE(LitIds(req).empty());
}

TEST_F(BoardTest, BadArgumentsAreInvalidArgument) {
  ListRedLightsRequest req;
  req.set_region_code("999999");
  EXPECT_EQ(Lights(req).status().code(), absl::StatusCode::kInvalidArgument);
  req = {};
  req.set_limit(10001);
  EXPECT_EQ(Lights(req).status().code(), absl::StatusCode::kInvalidArgument);
  req = {};
  req.set_page_token("not-a-token");
  EXPECT_EQ(Lights(req).status().code(), absl::StatusCode::kInvalidArgument);
  req = {};
  req.set_office_code("hrss");
  EXPECT_EQ(Lights(req).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BoardTest, CallerSeesOnlyItsOwnSubtree) {
  Make({}, "140431:bureau");  // 沁源县信访局
  ListRedLightsRequest req;
  EXPECT_EQ(LitIds(req), (std::vector<std::string>{ids_[0], ids_[2], ids_[4]}))
      << "no region: the caller's own";
  req.set_region_code("140431100");
  EXPECT_EQ(LitIds(req), (std::vector<std::string>{ids_[2]}));
  req.set_region_code("140400");
  EXPECT_EQ(Lights(req).status().code(), absl::StatusCode::kPermissionDenied);
  req.set_region_code("");
  req.set_office_code("140404:bureau");
  EXPECT_EQ(Lights(req).status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(BoardTest, ListDeadlinesOnlyForACaseOfTheCallersSubtree) {
  Make({}, "140431:bureau");
  caserelay::v1::ListDeadlinesRequest req;
  caserelay::v1::ListDeadlinesResponse resp;
  grpc::ServerContext ctx;
  req.set_case_id("140431-20261201-000003");  // 140431100:gov's
  EXPECT_TRUE(service_->ListDeadlines(&ctx, &req, &resp).ok());
  EXPECT_EQ(resp.deadlines_size(), 1);
  req.set_case_id("140431-20261201-000002");  // 140404:hrss's
  EXPECT_EQ(service_->ListDeadlines(&ctx, &req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  req.set_case_id("140431-20261201-999999");  // unknown: nothing revealed
  EXPECT_EQ(service_->ListDeadlines(&ctx, &req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(BoardTest, IndicatorsOfTheBoard) {
  caserelay::v1::GetIndicatorsRequest req;
  req.mutable_scope()->set_region_code("140431");
  caserelay::v1::GetIndicatorsResponse resp;
  grpc::ServerContext ctx;
  grpc::Status s = service_->GetIndicators(&ctx, &req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // Three HANDLING deadlines of 沁源县's offices, all missed (按期办结率).
  EXPECT_EQ(resp.total().on_time_completion().numerator(), 0);
  EXPECT_EQ(resp.total().on_time_completion().denominator(), 3);
  EXPECT_EQ(resp.total().backlog(), 3);
}

// Issue 19 G item 2: supervision's GetIndicators scans every case and is
// kept as the reference of statistics' index, so with auth only
// service:statistics may call it, over any scope, every case counted;
// offices (the county bureau used to read its own subtree here) and every
// other identity ask statistics.
TEST_F(BoardTest, IndicatorsAnswerServiceStatisticsOnly) {
  struct Row {
    const char* rule;
    const char* caller;
    const char* region;
    const char* office;
    grpc::StatusCode code;
    int64_t backlog;
  };
  const Row rows[] = {
      {"an office's own subtree: offices ask statistics", "140431:bureau", "",
       "", grpc::StatusCode::PERMISSION_DENIED, 0},
      {"an office naming its own region: refused all the same",
       "140431:bureau", "140431", "", grpc::StatusCode::PERMISSION_DENIED, 0},
      {"the province bureau: refused, it asks statistics", "140000:bureau", "",
       "", grpc::StatusCode::PERMISSION_DENIED, 0},
      {"the web gateway's own identity", "service:web", "", "",
       grpc::StatusCode::PERMISSION_DENIED, 0},
      {"another service", "service:routing", "", "",
       grpc::StatusCode::PERMISSION_DENIED, 0},
      {"statistics, no scope: the whole deployment, all five missed",
       "service:statistics", "", "", grpc::StatusCode::OK, 5},
      {"statistics, the county's subtree (the township's office in it)",
       "service:statistics", "140431", "", grpc::StatusCode::OK, 3},
      {"statistics, another county's office (no subtree rule for it)",
       "service:statistics", "", "140404:hrss", grpc::StatusCode::OK, 1},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.rule);
    Make({}, r.caller);
    caserelay::v1::GetIndicatorsRequest req;
    req.mutable_scope()->set_region_code(r.region);
    req.mutable_scope()->set_office_code(r.office);
    caserelay::v1::GetIndicatorsResponse resp;
    grpc::ServerContext ctx;
    grpc::Status s = service_->GetIndicators(&ctx, &req, &resp);
    EXPECT_EQ(s.error_code(), r.code) << s.error_message();
    EXPECT_EQ(resp.total().backlog(), r.backlog);
  }
}

}  // namespace
}  // namespace caserelay::supervision::testing
