// The text of lights, stats and deadlines from hand-built answers, and a
// SUPERVISE event in `casectl show`.
#include "tools/casectl/supervision_format.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "tools/casectl/format.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;

google::protobuf::Timestamp China(int y, int m, int d, int hh = 0, int mm = 0) {
  return time::ToProto(absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0),
                                       time::ChinaTimeZone()));
}

// Due at the end (24:00) of the China day y-m-d: its last day is y-m-d.
google::protobuf::Timestamp DueEndOf(int y, int m, int d) {
  return time::ToProto(time::EndOf(absl::CivilDay(y, m, d)));
}

v1::Rate Rate(int64_t numerator, int64_t denominator) {
  v1::Rate rate;
  rate.set_numerator(numerator);
  rate.set_denominator(denominator);
  if (denominator > 0) {
    rate.set_value(static_cast<double>(numerator) / denominator);
  }
  return rate;
}

v1::RedLight Light(const std::string& case_id, v1::DeadlineKind kind,
                   const std::string& office, google::protobuf::Timestamp due,
                   int64_t overdue_days, v1::SupervisionLevel level) {
  v1::RedLight light;
  v1::Deadline* d = light.mutable_deadline();
  d->set_case_id(case_id);
  d->set_kind(kind);
  d->set_office_code(office);
  *d->mutable_due_at() = due;
  d->set_state(v1::DEADLINE_STATE_MISSED);
  light.set_overdue_days(overdue_days);
  light.set_supervision(level);
  return light;
}

TEST(LightsFormatTest, BoardIsATableOldestFirstWithTheScopeAndTime) {
  v1::ListRedLightsRequest req;
  req.set_region_code("140431");
  v1::ListRedLightsResponse resp;
  *resp.add_lights() = Light(
      "140431-20260301-000004", v1::DEADLINE_KIND_HANDLING, "140431:labour",
      DueEndOf(2026, 4, 30), 12, v1::SUPERVISION_LEVEL_LISTED);
  *resp.add_lights() = Light(
      "140431-20260420-000017", v1::DEADLINE_KIND_TRANSFER, "140431:bureau",
      DueEndOf(2026, 5, 11), 1, v1::SUPERVISION_LEVEL_UNSPECIFIED);
  *resp.add_lights() = Light(
      "140431-20260310-000002", v1::DEADLINE_KIND_SUPERVISION_REPLY,
      "140431100:gov", DueEndOf(2026, 5, 11), 1, v1::SUPERVISION_LEVEL_LETTER);
  *resp.mutable_as_of() = China(2026, 5, 12, 9, 30);
  EXPECT_EQ(FormatLights(req, resp),
            "DUE         OVERDUE  KIND                          OFFICE         "
            "CASE                    SUPERVISION\n"
            "2026-04-30  12 days  handling (处理意见)           140431:labour  "
            "140431-20260301-000004  listed (挂牌督办)\n"
            "2026-05-11  1 day    transfer (转送交办)           140431:bureau  "
            "140431-20260420-000017  none\n"
            "2026-05-11  1 day    supervision-reply (督办回复)  140431100:gov  "
            "140431-20260310-000002  letter (督办函)\n"
            "3 red lights in region 140431 as of 2026-05-12 09:30:00 (China "
            "time)\n");
}

TEST(LightsFormatTest, EmptyBoardSaysSoWithItsScopeAndTime) {
  v1::ListRedLightsResponse resp;
  *resp.mutable_as_of() = China(2026, 5, 12, 9, 30);
  v1::ListRedLightsRequest req;
  EXPECT_EQ(FormatLights(req, resp),
            "no red lights in the whole deployment as of 2026-05-12 09:30:00 "
            "(China time)\n");
  req.set_office_code("140431:labour");
  EXPECT_EQ(LightsScope(req), "office 140431:labour");
  req.set_region_code("1404");
  EXPECT_EQ(LightsScope(req), "office 140431:labour in region 1404");
}

TEST(StatsFormatTest, RateIsAPercentageWithItsFractionOrADash) {
  EXPECT_EQ(RateText(Rate(19, 20)), "95.0% 19/20");
  EXPECT_EQ(RateText(Rate(2, 3)), "66.7% 2/3");
  EXPECT_EQ(RateText(Rate(0, 0)), "— 0/0");
  v1::Rate no_value;  // an older server: only the fraction
  no_value.set_numerator(1);
  no_value.set_denominator(8);
  EXPECT_EQ(RateText(no_value), "12.5% 1/8");
}

v1::Indicators Sample(const std::string& key) {
  v1::Indicators ind;
  ind.set_key(key);
  *ind.mutable_timely_acceptance_bureau() = Rate(19, 20);
  *ind.mutable_timely_acceptance_handling() = Rate(0, 0);
  *ind.mutable_on_time_completion() = Rate(7, 8);
  *ind.mutable_evaluation() = Rate(3, 4);
  *ind.mutable_satisfaction() = Rate(2, 3);
  *ind.mutable_repeat() = Rate(1, 20);
  *ind.mutable_level_skipping() = Rate(0, 20);
  *ind.mutable_first_pass_resolution() = Rate(3, 4);
  ind.set_backlog(3);
  return ind;
}

TEST(StatsFormatTest, TotalIsOneLinePerIndicatorWithItsChineseName) {
  v1::GetIndicatorsRequest req;
  req.mutable_scope()->set_region_code("140431");
  req.mutable_scope()->set_level(v1::OFFICE_LEVEL_COUNTY);
  v1::GetIndicatorsResponse resp;
  *resp.mutable_from() = China(2026, 5, 1);
  *resp.mutable_to() = China(2026, 5, 20, 14, 3);
  *resp.mutable_total() = Sample("");
  EXPECT_EQ(FormatIndicators(req, resp),
            "indicators of region 140431, county offices\n"
            "period: 2026-05-01 00:00:00 to 2026-05-20 14:03:00 (China time, "
            "end exclusive)\n"
            "及时受理率(信访部门)  95.0%  19/20  timely acceptance, bureau\n"
            "及时受理率(办理单位)  —      0/0    timely acceptance, handling "
            "unit\n"
            "按期办结率            87.5%  7/8    on-time completion\n"
            "参评率                75.0%  3/4    evaluation rate\n"
            "群众满意率            66.7%  2/3    satisfaction\n"
            "重复信访率            5.0%   1/20   repeat rate\n"
            "越级访率              0.0%   0/20   level-skipping rate\n"
            "一次性化解率          75.0%  3/4    first-pass resolution\n"
            "积案                  3             backlog: cases overdue at the "
            "period's end\n");
}

TEST(StatsFormatTest, BreakdownIsOneRowPerKeyAndTheTotal) {
  v1::GetIndicatorsRequest req;
  req.mutable_scope()->set_office_code("140431:labour");
  req.set_breakdown(v1::BREAKDOWN_LEVEL);
  v1::GetIndicatorsResponse resp;
  *resp.mutable_from() = China(2026, 1, 1);
  *resp.mutable_to() = China(2026, 4, 1);
  *resp.add_rows() = Sample("OFFICE_LEVEL_COUNTY");
  *resp.add_rows() = Sample("township");
  *resp.mutable_total() = Sample("");
  resp.mutable_total()->set_backlog(6);
  const std::string cells =
      "95.0% 19/20           — 0/0                 87.5% 7/8   75.0% 3/4  "
      "66.7% 2/3   5.0% 1/20   0.0% 0/20  75.0% 3/4     ";
  EXPECT_EQ(FormatIndicators(req, resp),
            "indicators of office 140431:labour\n"
            "period: 2026-01-01 00:00:00 to 2026-04-01 00:00:00 (China time, "
            "end exclusive)\n"
            "LEVEL              及时受理率(信访部门)  及时受理率(办理单位)  "
            "按期办结率  参评率     群众满意率  重复信访率  越级访率   "
            "一次性化解率  积案\n"
            "county (县级)      " +
                cells + "3\n" + "township (乡镇级)  " + cells + "3\n" +
                "total              " + cells + "6\n");
}

TEST(DeadlinesFormatTest, DeadlinesAndTheirSupervision) {
  const std::string id = "140431-20260301-000004";
  v1::ListDeadlinesResponse resp;
  v1::Deadline* d = resp.add_deadlines();
  d->set_case_id(id);
  d->set_kind(v1::DEADLINE_KIND_TRANSFER);
  d->set_office_code("140431:bureau");
  *d->mutable_started_at() = China(2026, 3, 1, 9, 0);
  *d->mutable_due_at() = DueEndOf(2026, 3, 16);
  d->set_state(v1::DEADLINE_STATE_DONE);
  *d->mutable_ended_at() = China(2026, 3, 2, 10, 0);
  d = resp.add_deadlines();
  d->set_kind(v1::DEADLINE_KIND_HANDLING);
  d->set_office_code("140431:labour");
  *d->mutable_started_at() = China(2026, 3, 2, 10, 0);
  *d->mutable_due_at() = DueEndOf(2026, 5, 1);
  d->set_state(v1::DEADLINE_STATE_MISSED);
  d->set_warned(true);
  d = resp.add_deadlines();
  d->set_kind(v1::DEADLINE_KIND_SUPERVISION_REPLY);
  d->set_office_code("140431:labour");
  *d->mutable_started_at() = China(2026, 5, 2, 0, 0);
  *d->mutable_due_at() = DueEndOf(2026, 6, 1);
  d->set_state(v1::DEADLINE_STATE_PAUSED);
  *d->mutable_paused_at() = China(2026, 5, 3, 8, 0);
  d->set_supervision_id(id + "/supervision/1");
  v1::SupervisionIssued* s = resp.add_supervisions();
  s->set_supervision_id(id + "/supervision/1");
  s->set_level(v1::SUPERVISION_LEVEL_LETTER);
  s->set_issuer_office_code("140431:bureau");
  s->set_issuer_office_name("沁源县信访局");
  s->set_target_office_code("140431:labour");
  s->set_missed_kind(v1::DEADLINE_KIND_HANDLING);
  *s->mutable_missed_due_at() = DueEndOf(2026, 5, 1);
  s->set_miss_count(1);
  s = resp.add_supervisions();
  s->set_supervision_id(id + "/supervision/2");
  s->set_level(v1::SUPERVISION_LEVEL_LISTED);
  s->set_issuer_office_code("140400:bureau");
  s->set_target_office_code("140431:labour");
  s->set_missed_kind(v1::DEADLINE_KIND_SUPERVISION_REPLY);
  *s->mutable_missed_due_at() = DueEndOf(2026, 6, 1);
  s->set_miss_count(2);
  EXPECT_EQ(
      FormatDeadlines(id, resp),
      "case 140431-20260301-000004: 3 deadlines\n"
      "KIND                          OFFICE         STARTED              DUE  "
      "       STATE                             ENDED                FOR\n"
      "transfer (转送交办)           140431:bureau  2026-03-01 09:00:00  "
      "2026-03-16  done                              2026-03-02 10:00:00  "
      "-\n"
      "handling (处理意见)           140431:labour  2026-03-02 10:00:00  "
      "2026-05-01  missed, warned                    -                    "
      "-\n"
      "supervision-reply (督办回复)  140431:labour  2026-05-02 00:00:00  "
      "2026-06-01  paused since 2026-05-03 08:00:00  -                    "
      "140431-20260301-000004/supervision/1\n"
      "督办 (supervision): 2\n"
      "  140431-20260301-000004/supervision/1  letter (督办函)\n"
      "    沁源县信访局 (140431:bureau) → 140431:labour\n"
      "    missed handling (处理意见) due 2026-05-01, miss 1 of the office "
      "on this case\n"
      "    reply: due 2026-06-01, paused\n"
      "  140431-20260301-000004/supervision/2  listed (挂牌督办)\n"
      "    140400:bureau → 140431:labour\n"
      "    missed supervision-reply (督办回复) due 2026-06-01, miss 2 of the "
      "office on this case\n"
      "    reply: no deadline yet\n");
}

TEST(DeadlinesFormatTest, UnknownCaseSaysSupervisionHasNone) {
  EXPECT_EQ(FormatDeadlines("C9", v1::ListDeadlinesResponse()),
            "no deadlines of case C9 known to supervision\n");
}

// `casectl show` prints a SUPERVISE event's instrument (events.proto
// CaseEvent.supervision) and the reply deadline it started.
TEST(DeadlinesFormatTest, SuperviseEventShowsLevelIssuerTargetAndMiss) {
  v1::Envelope env;
  env.set_sequence(7);
  *env.mutable_occurred_at() = China(2026, 5, 2, 0, 0);
  v1::CaseEvent* e = env.mutable_case_event();
  e->set_action(v1::CASE_ACTION_SUPERVISE);
  e->set_actor_office_code("140431:bureau");
  e->set_from_state(v1::CASE_STATE_ACCEPTED);
  e->set_to_state(v1::CASE_STATE_ACCEPTED);
  e->set_holder_office_code("140431:labour");
  v1::SupervisionIssued* s = e->mutable_supervision();
  s->set_supervision_id("C1/supervision/2");
  s->set_level(v1::SUPERVISION_LEVEL_LISTED);
  s->set_issuer_office_code("140400:bureau");
  s->set_issuer_office_name("长治市信访局");
  s->set_target_office_code("140431:labour");
  s->set_target_office_name("沁源县人社局");
  s->set_missed_kind(v1::DEADLINE_KIND_HANDLING);
  *s->mutable_missed_due_at() = DueEndOf(2026, 5, 1);
  s->set_miss_count(2);
  v1::RunningDeadline* d = e->add_deadlines();
  d->set_kind(v1::DEADLINE_KIND_SUPERVISION_REPLY);
  d->set_office_code("140431:labour");
  *d->mutable_due_at() = DueEndOf(2026, 6, 1);
  d->set_supervision_id("C1/supervision/2");
  EXPECT_EQ(FormatEvent(env),
            "#7  2026-05-02 00:00:00  supervise (督办)  by 140431:bureau\n"
            "    state: accepted (已受理) → accepted (已受理)\n"
            "    holder: 140431:labour\n"
            "    supervision: listed (挂牌督办) C1/supervision/2\n"
            "    issuer → target: 长治市信访局 (140400:bureau) → 沁源县人社局 "
            "(140431:labour)\n"
            "    missed: handling (处理意见) due 2026-05-01, miss 2 of the "
            "office on this case\n"
            "    deadline: supervision-reply (督办回复) due 2026-06-01 at "
            "140431:labour, answers C1/supervision/2\n");
}

}  // namespace
}  // namespace caserelay::casectl
