// The index answers GetIndicators exactly as supervision's scan does
// (issue 17: "GetIndicators answering the 三率 from the index"; issue 20
// item 4): random case histories are applied to the statistics' index
// (StatisticsServiceImpl::Apply) and, as supervision keeps them, to case
// records (the shared deadline mirror and case facts of domain/indicators)
// fed to supervision's IndicatorCalculator; every scope, period and
// breakdown below must give the same answer, at whole days and with the
// clock in the middle of a day (the open deadlines of today, the backlog
// at now).
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "caserelay/v1/statistics_index.pb.h"
#include "common/time/timestamp.h"
#include "domain/indicators/case_facts.h"
#include "domain/indicators/deadline_mirror.h"
#include "domain/indicators/definitions.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/statistics/statistics_service.h"
#include "services/supervision/indicators.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::statistics {
namespace {

using caserelay::v1::Envelope;
using caserelay::v1::GetIndicatorsRequest;
using caserelay::v1::SupervisionCaseRecord;

// Offices of 山西 at every level (data/offices): the province's, a city's,
// a county's bureau and department, a township government.
const std::vector<std::string>& Offices() {
  static const auto* const kOffices = new std::vector<std::string>{
      "140000:bureau", "140400:bureau", "140431:bureau", "140431:hrss",
      "140431100:gov", "140200:bureau"};
  return *kOffices;
}

absl::Time Start() { return svctest::ChinaTime(2026, 1, 1, 0, 0); }

// A random history of one case: REGISTER, then actions at increasing
// times, each listing the deadlines running after it (some ended by their
// due, some late, some never, one paused for a while).
std::vector<Envelope> History(int n, std::mt19937& rng) {
  auto pick = [&](int k) { return static_cast<int>(rng() % k); };
  const std::string case_id = absl::StrCat("140431-20260101-", 100000 + n);
  absl::Time t = Start() + absl::Hours(pick(24 * 80)) + absl::Minutes(pick(60));
  struct Running {
    caserelay::v1::RunningDeadline d;
    absl::Time end;  // when it stops being listed
    absl::Time pause_from = absl::InfiniteFuture();
  };
  std::vector<Running> running;
  auto add_deadline = [&](absl::Time at) {
    Running r;
    const caserelay::v1::DeadlineKind kinds[] = {
        caserelay::v1::DEADLINE_KIND_TRANSFER,
        caserelay::v1::DEADLINE_KIND_ACCEPTANCE,
        caserelay::v1::DEADLINE_KIND_HANDLING,
        caserelay::v1::DEADLINE_KIND_SIMPLIFIED,
        caserelay::v1::DEADLINE_KIND_RESULT_REPORT,
        caserelay::v1::DEADLINE_KIND_SUPERVISION_REPLY};
    r.d.set_kind(kinds[pick(6)]);
    r.d.set_office_code(Offices()[pick(static_cast<int>(Offices().size()))]);
    *r.d.mutable_started_at() = time::ToProto(at);
    const absl::Time due = at + absl::Hours(24 * (5 + pick(40)) + pick(24));
    *r.d.mutable_due_at() = time::ToProto(due);
    const int fate = pick(4);  // in time, late, never, paused a while
    r.end = fate == 0   ? due - absl::Hours(1 + pick(200))
            : fate == 1 ? due + absl::Hours(pick(24 * 20))
            : fate == 2 ? absl::InfiniteFuture()
                        : due + absl::Hours(pick(24 * 30));
    if (r.end < at) r.end = at + absl::Hours(1);
    if (fate == 3) r.pause_from = at + absl::Hours(24);
    running.push_back(r);
  };
  std::vector<Envelope> events;
  const caserelay::v1::CaseAction actions[] = {
      caserelay::v1::CASE_ACTION_ACCEPT, caserelay::v1::CASE_ACTION_REPLY,
      caserelay::v1::CASE_ACTION_EVALUATE,
      caserelay::v1::CASE_ACTION_REQUEST_REVIEW,
      caserelay::v1::CASE_ACTION_LINK_REPEAT,
      caserelay::v1::CASE_ACTION_TRANSFER};
  const int steps = 1 + pick(7);
  for (int s = 0; s <= steps; ++s) {
    Envelope e;
    e.set_case_id(case_id);
    e.set_sequence(s + 1);
    e.set_event_id(absl::StrCat("routing/", case_id, "/", s + 1));
    *e.mutable_occurred_at() = time::ToProto(t);
    auto* c = e.mutable_case_event();
    c->set_to_state(caserelay::v1::CASE_STATE_REGISTERED);
    if (s == 0) {
      c->set_action(caserelay::v1::CASE_ACTION_REGISTER);
      *c->mutable_received_at() = time::ToProto(t - absl::Hours(pick(30)));
      auto* d = c->mutable_decision();
      d->set_registering_office_code(Offices()[pick(3)]);
      d->set_disposition(static_cast<caserelay::v1::Disposition>(1 + pick(7)));
      c->set_region_code("140431100");
    } else {
      c->set_action(actions[pick(6)]);
      c->set_actor_office_code(Offices()[pick(static_cast<int>(Offices().size()))]);
      c->set_outcome(static_cast<caserelay::v1::Outcome>(1 + pick(3)));
      c->set_satisfaction(static_cast<caserelay::v1::Satisfaction>(1 + pick(3)));
      c->set_by_petitioner(pick(2) == 0);
    }
    if (pick(2) == 0 || s == 0) add_deadline(t);
    for (const Running& r : running) {
      if (r.end <= t) continue;
      caserelay::v1::RunningDeadline d = r.d;
      if (r.pause_from <= t && t < r.pause_from + absl::Hours(24 * 10)) {
        *d.mutable_paused_at() = time::ToProto(r.pause_from);
      }
      *c->add_deadlines() = d;
    }
    events.push_back(e);
    // The next event: at a random later time, or when a deadline ends.
    absl::Time next = t + absl::Hours(1 + pick(24 * 25));
    for (const Running& r : running) {
      if (r.end > t && r.end < next) next = r.end;
    }
    t = next;
  }
  return events;
}

// What supervision keeps of a case after `events` (its Apply, without the
// timers): the deadlines mirrored with the misses the events' times imply,
// and the facts.
SupervisionCaseRecord AsSupervision(const std::vector<Envelope>& events,
                                    absl::Time now) {
  SupervisionCaseRecord record;
  for (const Envelope& e : events) {
    if (time::FromProto(e.occurred_at()) > now) break;
    EXPECT_TRUE(indicators::UpdateFacts(e, record.mutable_facts()).ok());
    const absl::Time at = time::FromProto(e.occurred_at());
    for (auto& d : *record.mutable_deadlines()) {
      if (indicators::FallsDueBy(d, at)) {
        d.set_state(caserelay::v1::DEADLINE_STATE_MISSED);
      }
    }
    indicators::Mirror(e.case_id(), e.case_event().deadlines(), at,
                       record.mutable_deadlines());
  }
  return record;
}

struct Query {
  const char* name;
  std::string office;
  std::string region;
  caserelay::v1::OfficeLevel level;
  absl::Time from;
  std::optional<absl::Time> to;
  caserelay::v1::Breakdown breakdown;
};

std::vector<Query> Queries() {
  const absl::Time jan = Start();
  const absl::Time feb = svctest::ChinaTime(2026, 2, 1, 0, 0);
  const absl::Time mar10 = svctest::ChinaTime(2026, 3, 10, 0, 0);
  const absl::Time y2027 = svctest::ChinaTime(2027, 1, 1, 0, 0);
  using caserelay::v1::BREAKDOWN_LEVEL;
  using caserelay::v1::BREAKDOWN_NONE;
  using caserelay::v1::BREAKDOWN_OFFICE;
  using caserelay::v1::OFFICE_LEVEL_COUNTY;
  using caserelay::v1::OFFICE_LEVEL_UNSPECIFIED;
  return {
      {"deployment, the year", "", "", OFFICE_LEVEL_UNSPECIFIED, jan, y2027,
       BREAKDOWN_NONE},
      {"province, January, by office", "", "140000", OFFICE_LEVEL_UNSPECIFIED,
       jan, feb, BREAKDOWN_OFFICE},
      {"长治市, Feb 1 - Mar 10, by level", "", "140400",
       OFFICE_LEVEL_UNSPECIFIED, feb, mar10, BREAKDOWN_LEVEL},
      {"counties of the province, the year", "", "140000", OFFICE_LEVEL_COUNTY,
       jan, y2027, BREAKDOWN_OFFICE},
      {"沁源县人社局, January to now", "140431:hrss", "",
       OFFICE_LEVEL_UNSPECIFIED, jan, std::nullopt, BREAKDOWN_NONE},
      {"province, Feb 1 to now, by level", "", "140000",
       OFFICE_LEVEL_UNSPECIFIED, feb, std::nullopt, BREAKDOWN_LEVEL},
      {"沁源县, Mar 10 - 2027", "", "140431", OFFICE_LEVEL_UNSPECIFIED, mar10,
       y2027, BREAKDOWN_OFFICE},
  };
}

TEST(StatisticsAgreementTest, IndexGivesSupervisionsIndicatorsAtEveryInstant) {
  auto t = svctest::TestContext::Create(ColumnFamilies(), Start());
  ASSERT_TRUE(t.ok()) << t.status();
  svctest::TestContext& ctx = **t;
  StatisticsServiceImpl stats(ctx.context(),
                              {&svctest::ShippedRegions(),
                               &svctest::ShippedOfficeDirectory()});
  std::mt19937 rng(20260101);
  std::vector<std::vector<Envelope>> cases;
  for (int n = 0; n < 300; ++n) cases.push_back(History(n, rng));
  // Events in time order across cases, applied as the clock passes them.
  std::multimap<absl::Time, const Envelope*> timeline;
  for (const auto& h : cases) {
    for (const Envelope& e : h) {
      timeline.emplace(time::FromProto(e.occurred_at()), &e);
    }
  }
  auto next = timeline.begin();
  // Instants: whole days and the middle of days, through the period.
  const std::vector<absl::Time> instants = {
      svctest::ChinaTime(2026, 1, 20, 0, 0),
      svctest::ChinaTime(2026, 2, 14, 13, 37),
      svctest::ChinaTime(2026, 3, 10, 9, 0),
      svctest::ChinaTime(2026, 4, 2, 17, 5),
      svctest::ChinaTime(2026, 9, 1, 0, 0)};
  int compared = 0;
  for (absl::Time now : instants) {
    ctx.clock().Set(now);
    store::WriteBatch batch(&ctx.store());
    for (; next != timeline.end() && next->first <= now; ++next) {
      ASSERT_TRUE(stats.Apply(*next->second, batch).ok());
      if (batch.outbox().size() > 0) FAIL() << "statistics published";
    }
    ASSERT_TRUE(ctx.store().Commit(batch).ok());
    for (const Query& q : Queries()) {
      if (q.from >= (q.to.has_value() ? *q.to : now)) continue;
      GetIndicatorsRequest req;
      req.mutable_scope()->set_office_code(q.office);
      req.mutable_scope()->set_region_code(q.region);
      req.mutable_scope()->set_level(q.level);
      *req.mutable_from() = time::ToProto(q.from);
      if (q.to.has_value()) *req.mutable_to() = time::ToProto(*q.to);
      req.set_breakdown(q.breakdown);
      auto calc = supervision::IndicatorCalculator::Create(
          svctest::ShippedRegions(), req, now);
      ASSERT_TRUE(calc.ok()) << calc.status();
      for (const auto& h : cases) calc->Add(AsSupervision(h, now));
      auto got = stats.query().Indicators(req);
      ASSERT_TRUE(got.ok()) << q.name << ": " << got.status();
      const auto want = calc->Result();
      EXPECT_TRUE(
          google::protobuf::util::MessageDifferencer::Equals(*got, want))
          << q.name << " at " << absl::FormatTime(now) << "\nindex:       "
          << got->ShortDebugString() << "\nsupervision: "
          << want.ShortDebugString();
      ++compared;
      EXPECT_GT(want.total().on_time_completion().denominator() +
                    want.total().repeat().denominator() + want.total().backlog(),
                0)
          << q.name << ": a query with no item proves nothing";
    }
  }
  EXPECT_GE(compared, 30);
}

}  // namespace
}  // namespace caserelay::statistics
