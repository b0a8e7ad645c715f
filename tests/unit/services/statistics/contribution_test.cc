// What one case record contributes to the index
// (services/statistics/contribution.h), and how an event moves it (Diff);
// table-driven, each row citing its rule.
#include "services/statistics/contribution.h"

#include <map>
#include <string>

#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::statistics {
namespace {

using caserelay::v1::StatisticsCaseRecord;

absl::Time At(int month, int day, int hour = 9) {
  return svctest::ChinaTime(2026, month, day, hour, 0);
}

// A case received on 03-02 09:00, registered by 沁源县's bureau, online,
// a labour claim, transferred.
StatisticsCaseRecord Received() {
  StatisticsCaseRecord r;
  r.set_case_id("140431-20260302-000001");
  auto* f = r.mutable_facts();
  *f->mutable_received_at() = time::ToProto(At(3, 2));
  f->set_registering_office_code("140431:bureau");
  f->set_disposition(caserelay::v1::DISPOSITION_TRANSFER);
  r.set_channel(caserelay::v1::CHANNEL_ONLINE);
  r.set_category("labour");
  r.set_matter_class(caserelay::v1::MATTER_CLASS_CLAIM);
  return r;
}

caserelay::v1::Deadline Handling(absl::Time due, caserelay::v1::DeadlineState s,
                                 std::optional<absl::Time> ended) {
  caserelay::v1::Deadline d;
  d.set_kind(caserelay::v1::DEADLINE_KIND_HANDLING);
  d.set_office_code("140431:hrss");
  *d.mutable_due_at() = time::ToProto(due);
  d.set_state(s);
  if (ended.has_value()) *d.mutable_ended_at() = time::ToProto(*ended);
  return d;
}

// The counts of `c` under `scope` in `bucket`.
std::map<std::string, int64_t> Under(const Contribution& c,
                                     const std::string& scope,
                                     const std::string& bucket) {
  auto it = c.counts.find(CounterKey(scope, bucket));
  return it == c.counts.end() ? std::map<std::string, int64_t>{} : it->second;
}

struct Row {
  const char* rule;
  StatisticsCaseRecord record;
  std::string scope;
  std::string bucket;
  std::map<std::string, int64_t> want;
};

TEST(ContributionTest, EachItemCountsUnderItsOfficesScopesOnItsDay) {
  using caserelay::v1::DEADLINE_STATE_DONE;
  using caserelay::v1::DEADLINE_STATE_MISSED;
  using caserelay::v1::DEADLINE_STATE_PAUSED;
  std::vector<Row> rows;
  rows.push_back({"statistics.proto VolumeFigures: a received petition counts "
                  "under the registering bureau's region on its day",
                  Received(), "r:140431", "d20260302",
                  {{"cases", 1}, {"ch/online", 1}, {"cat/labour", 1},
                   {"cls/claim", 1}}});
  {
    StatisticsCaseRecord r = Received();
    r.mutable_facts()->set_disposition(caserelay::v1::DISPOSITION_REDIRECT);
    rows.push_back({"definitions.h IsLevelSkipping: REDIRECT is 越级 and not "
                    "accepted",
                    r, "r:140000", "m202603",
                    {{"cases", 1}, {"ch/online", 1}, {"cat/labour", 1},
                     {"cls/claim", 1}, {"skip", 1}, {"not_accepted", 1}}});
  }
  {
    StatisticsCaseRecord r = Received();
    r.mutable_facts()->set_disposition(
        caserelay::v1::DISPOSITION_LINKED_REPEAT);
    rows.push_back({"definitions.h IsRepeat: LINKED_REPEAT is 重复信访", r,
                    "r:", "y2026",
                    {{"cases", 1}, {"ch/online", 1}, {"cat/labour", 1},
                     {"cls/claim", 1}, {"repeat", 1}, {"not_accepted", 1}}});
  }
  {
    StatisticsCaseRecord r = Received();
    *r.add_deadlines() =
        Handling(At(4, 30, 23), DEADLINE_STATE_DONE, At(4, 20));
    rows.push_back({"definitions.h InTime: ended before its due counts in "
                    "time, under the handling office on the due's day",
                    r, "o:140431:hrss", "d20260430", {{"dl/3/in", 1}}});
  }
  {
    StatisticsCaseRecord r = Received();
    *r.add_deadlines() =
        Handling(At(4, 30, 23), DEADLINE_STATE_MISSED, At(5, 3));
    rows.push_back({"indicators.h: a MISSED deadline ended late counts "
                    "against; it is overdue from its due to its end "
                    "(积案 in on the due's day)",
                    r, "r:140431", "d20260430",
                    {{"dl/3/late", 1}, {"bl/in", 1}}});
    rows.push_back({"contribution.h: the backlog's out is the end's day", r,
                    "r:140431", "d20260503", {{"bl/out", 1}}});
  }
  {
    StatisticsCaseRecord r = Received();
    *r.add_deadlines() =
        Handling(At(4, 30, 23), DEADLINE_STATE_PAUSED, std::nullopt);
    rows.push_back({"indicators.h: a PAUSED deadline (听证) counts nowhere", r,
                    "o:140431:hrss", "y2026", {}});
  }
  {
    StatisticsCaseRecord r = Received();
    *r.add_deadlines() =
        Handling(At(4, 30, 23), DEADLINE_STATE_MISSED, std::nullopt);
    caserelay::v1::Deadline second =
        Handling(At(5, 10, 23), DEADLINE_STATE_MISSED, std::nullopt);
    second.set_kind(caserelay::v1::DEADLINE_KIND_RESULT_REPORT);
    *r.add_deadlines() = second;
    rows.push_back({"indicators.h 积案: a case with two overdue deadlines is "
                    "one case (their intervals merge)",
                    r, "o:140431:hrss", "y2026",
                    {{"dl/3/open", 1}, {"dl/5/open", 1}, {"bl/in", 1}}});
  }
  {
    StatisticsCaseRecord r = Received();
    auto* f = r.mutable_facts();
    f->set_handling_office_code("140431:hrss");
    *f->mutable_replied_at() = time::ToProto(At(4, 1));
    f->set_satisfaction(caserelay::v1::SATISFACTION_BASICALLY);
    r.set_outcome(caserelay::v1::OUTCOME_EXPLAIN);
    rows.push_back({"indicators.h reply-based: a reply counts under the "
                    "handling office on the reply's day; 基本满意 is satisfied",
                    r, "o:140431:hrss", "d20260401",
                    {{"rp/n", 1}, {"rp/eval", 1}, {"rp/sat", 1},
                     {"rp/first", 1}}});
    rows.push_back({"VolumeFigures: 化解 counts with the petition received",
                    r, "o:140431:bureau", "d20260302",
                    {{"cases", 1}, {"ch/online", 1}, {"cat/labour", 1},
                     {"cls/claim", 1}, {"replied", 1}, {"out/explain", 1},
                     {"rate/basically", 1}}});
  }
  {
    StatisticsCaseRecord r;
    auto* s = r.add_supervisions();
    s->set_level(caserelay::v1::SUPERVISION_LEVEL_LETTER);
    s->set_target_office_code("140431:hrss");
    *s->mutable_issued_at() = time::ToProto(At(5, 1));
    rows.push_back({"VolumeFigures: a 督办 counts under the late office, never "
                    "under the issuer",
                    r, "r:140431/county", "d20260501", {{"sup/letter", 1}}});
  }
  ScopeResolver scopes(&svctest::ShippedRegions());
  for (const Row& row : rows) {
    EXPECT_EQ(Under(Contribute(row.record, scopes), row.scope, row.bucket),
              row.want)
        << row.rule;
  }
}

TEST(ContributionTest, AnEventMovesTheCaseFromOneBucketToAnother) {
  ScopeResolver scopes(&svctest::ShippedRegions());
  StatisticsCaseRecord before = Received();
  *before.add_deadlines() =
      Handling(At(4, 30, 23), caserelay::v1::DEADLINE_STATE_ARMED,
               std::nullopt);
  StatisticsCaseRecord after = before;
  *after.mutable_deadlines(0)->mutable_ended_at() = time::ToProto(At(4, 2));
  after.mutable_deadlines(0)->set_state(caserelay::v1::DEADLINE_STATE_DONE);
  const CountsByKey delta =
      Diff(Contribute(before, scopes).counts, Contribute(after, scopes).counts);
  // contribution.h: open -> in, on the due's day, month and year, under
  // every scope of the office, and the case is no longer overdue from its
  // due on (积案 in taken back); nothing else moves.
  auto it = delta.find(CounterKey("r:140000", "m202604"));
  ASSERT_NE(it, delta.end());
  EXPECT_EQ(it->second, (std::map<std::string, int64_t>{
                            {"bl/in", -1}, {"dl/3/in", 1}, {"dl/3/open", -1}}));
  EXPECT_EQ(delta.count(CounterKey("r:140431", "d20260302")), 0u)
      << "the petition's own counts did not change";
  EXPECT_TRUE(Diff(Contribute(after, scopes).counts,
                   Contribute(after, scopes).counts)
                  .empty())
      << "the same record twice (a redelivered event) moves nothing";
}

}  // namespace
}  // namespace caserelay::statistics
