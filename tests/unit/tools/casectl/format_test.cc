// casectl's text output and verify's verdicts.
#include "tools/casectl/format.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "common/digest/digest.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "tools/casectl/verify_route.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;

google::protobuf::Timestamp At(absl::Time t) { return time::ToProto(t); }

TEST(FormatTest, TimesAreChinaStandardTime) {
  // 2024-02-09T16:00:00Z is the first instant of 2024-02-10 in China.
  absl::Time t = absl::FromCivil(absl::CivilSecond(2024, 2, 9, 16, 0, 0),
                                 absl::UTCTimeZone());
  EXPECT_EQ(ChinaDateTime(At(t)), "2024-02-10 00:00:00");
  EXPECT_EQ(ChinaDateTime(google::protobuf::Timestamp()), "-");
}

// A deadline falls due at 24:00 of its last day (民法典 Art. 203), which is
// the next day's first instant: the last day is printed.
TEST(FormatTest, DueDayIsTheDeadlinesLastDay) {
  absl::Time due = time::EndOf(absl::CivilDay(2026, 4, 30));
  EXPECT_EQ(ChinaDueDay(At(due)), "2026-04-30");
  EXPECT_EQ(ChinaDueDay(At(due - absl::Hours(3))), "2026-04-30");
  EXPECT_EQ(ChinaDueDay(google::protobuf::Timestamp()), "-");
}

TEST(FormatTest, OfficeLabelShowsNameAndCode) {
  EXPECT_EQ(OfficeLabel("140431:bureau", "沁源县信访局"),
            "沁源县信访局 (140431:bureau)");
  EXPECT_EQ(OfficeLabel("140431:bureau", ""), "140431:bureau");
  EXPECT_EQ(OfficeLabel("", ""), "-");
}

TEST(FormatTest, ChineseCharactersAreTwoColumnsWide) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("拖欠工资"), 8u);
  EXPECT_EQ(DisplayWidth("a（b）"), 6u);  // full-width parentheses
  EXPECT_EQ(DisplayWidth("\xe6"), 1u);    // a truncated sequence: one column
}

TEST(FormatTest, TableColumnsAlignByDisplayWidth) {
  std::string table = FormatTable(
      {{"CASE", "TITLE", "X"}, {"工资", "t", "y"}, {"C-1", "long title", "z"}});
  EXPECT_EQ(table,
            "CASE  TITLE       X\n"
            "工资  t           y\n"
            "C-1   long title  z\n");
}

TEST(FormatTest, DecisionPrintsEveryLine) {
  v1::RouteDecision d;
  d.set_disposition(v1::DISPOSITION_ASSIGN);
  d.set_target_office_code("140431:labour");
  d.set_target_office_name("沁源县人社局");
  d.set_registering_office_code("140431:bureau");
  d.add_rules("territorial");
  d.add_rules("lowest-level");
  d.set_cross_jurisdiction(true);
  EXPECT_EQ(FormatDecision(d),
            "disposition: assign (交办)\n"
            "target: 沁源县人社局 (140431:labour)\n"
            "registering: 140431:bureau\n"
            "rules:\n"
            "  - territorial\n"
            "  - lowest-level\n"
            "route: -\n"
            "linked case: -\n"
            "cross-jurisdiction: yes\n");
}

TEST(FormatTest, UndecidedDecisionShowsItsReason) {
  // Issue 22 item 3: a matter the rules cannot place is triaged by the
  // receiving bureau with the reason, which the bureau must see.
  v1::RouteDecision d;
  d.set_disposition(v1::DISPOSITION_TRIAGE);
  d.set_registering_office_code("140431:bureau");
  d.add_rules("undecided");
  d.set_undecided_reason("accused-excluded: no discipline office");
  EXPECT_EQ(FormatDecision(d),
            "disposition: triage (无头事项)\n"
            "target: -\n"
            "registering: 140431:bureau\n"
            "rules:\n"
            "  - undecided\n"
            "route: -\n"
            "linked case: -\n"
            "cross-jurisdiction: no\n"
            "undecided: accused-excluded: no discipline office\n");
}

TEST(FormatTest, EachRefusalNamesItsOwnGround) {
  // Issue 23 item 5: not every 不予受理 is 诉访分离.
  struct Row {
    const char* rule;
    v1::Disposition disposition;
    v1::RefusalGround ground;
    const char* line;
  };
  const Row rows[] = {
      {"Art. 31 items 1-5: 诉访分离", v1::DISPOSITION_NOT_ACCEPTED,
       v1::REFUSAL_GROUND_STATUTORY_ROUTE,
       "ground: statutory-route (诉访分离，应通过法定途径解决)\n"},
      {"Art. 22: in progress below within its time limit",
       v1::DISPOSITION_NOT_ACCEPTED, v1::REFUSAL_GROUND_IN_PROGRESS_BELOW,
       "ground: in-progress-below (同一事项正在下级办理期限内)\n"},
      {"Art. 36: 信访终结", v1::DISPOSITION_REFUSED_TERMINATED,
       v1::REFUSAL_GROUND_TERMINATED,
       "ground: terminated (信访终结，不再受理)\n"},
      {"依法逐级走访: 越级走访", v1::DISPOSITION_REDIRECT,
       v1::REFUSAL_GROUND_LEVEL_SKIPPING,
       "ground: level-skipping (越级走访)\n"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    v1::RouteDecision d;
    d.set_disposition(row.disposition);
    d.set_refusal_ground(row.ground);
    const std::string out = FormatDecision(d);
    EXPECT_TRUE(absl::StrContains(out, row.line)) << out;
    EXPECT_FALSE(row.ground != v1::REFUSAL_GROUND_STATUTORY_ROUTE &&
                 absl::StrContains(out, "诉访分离"))
        << out;
  }
  v1::Envelope env;
  v1::CaseEvent& e = *env.mutable_case_event();
  e.set_action(v1::CASE_ACTION_DECLINE);
  e.set_refusal_ground(v1::REFUSAL_GROUND_OUT_OF_SCOPE);
  EXPECT_TRUE(absl::StrContains(FormatEvent(env),
                                "    ground: out-of-scope (不属于受理范围)\n"))
      << FormatEvent(env);
}

TEST(FormatTest, ReviewRequestNamesTheRuleThatMadeTheOrgan) {
  // Issue 23 item 6: Art. 35's organ one level up, as the petitioner chose.
  v1::Envelope env;
  v1::CaseEvent& e = *env.mutable_case_event();
  e.set_action(v1::CASE_ACTION_REQUEST_REVIEW);
  e.set_review_rule(
      "Arts. 35-36: 上一级主管部门 — the department of the same "
      "line one level up");
  EXPECT_TRUE(absl::StrContains(
      FormatEvent(env),
      "    review organ by: Arts. 35-36: 上一级主管部门 — the department of "
      "the same line one level up\n"))
      << FormatEvent(env);
}

TEST(FormatTest, ShowSaysWhoseRatingItIs) {
  // Issue 15 item 2: the petitioner's own rating is told apart from one an
  // office entered for them, on the case and on its event.
  v1::CaseView v;
  v.set_satisfaction(v1::SATISFACTION_SATISFIED);
  EXPECT_TRUE(absl::StrContains(FormatView(v), "(entered by an office)"))
      << FormatView(v);
  v.set_rated_by_petitioner(true);
  EXPECT_TRUE(absl::StrContains(FormatView(v), "(by the petitioner)"))
      << FormatView(v);
  v1::Envelope env;
  v1::CaseEvent& e = *env.mutable_case_event();
  e.set_action(v1::CASE_ACTION_EVALUATE);
  e.set_satisfaction(v1::SATISFACTION_SATISFIED);
  EXPECT_FALSE(absl::StrContains(FormatEvent(env), "taken by"));
  e.set_by_petitioner(true);
  EXPECT_TRUE(absl::StrContains(
      FormatEvent(env), "    taken by: the petitioner (portal, service:web)\n"))
      << FormatEvent(env);
}

TEST(FormatTest, ShowSaysWhenTheWindowEndsOrThatReceiptIsNotRecorded) {
  // Issue 23 item 4: Arts. 35-36 count from receipt (送达); the window's
  // last day is shown, or that receipt is not yet recorded.
  v1::CaseView v;
  v.set_case_id("C1");
  v.mutable_window()->set_request(v1::CASE_ACTION_REQUEST_REVIEW);
  EXPECT_TRUE(absl::StrContains(
      FormatView(v),
      "review window: receipt not yet recorded (尚未登记送达), so its end is "
      "not known (复查, Art. 35)\n"))
      << FormatView(v);
  v1::Service& s = *v.mutable_window()->mutable_service();
  s.set_document(v1::CASE_ACTION_REPLY);
  s.set_method(v1::SERVICE_METHOD_POST);
  *s.mutable_received_on() =
      time::ToProto(time::StartOf(absl::CivilDay(2026, 3, 10)));
  *v.mutable_window()->mutable_ends_at() =
      time::ToProto(time::EndOf(absl::CivilDay(2026, 4, 9)));
  EXPECT_TRUE(absl::StrContains(
      FormatView(v),
      "review window: ends 2026-04-09 (复查, Art. 35: counted from receipt on "
      "2026-03-10 by post (邮寄送达))\n"))
      << FormatView(v);
  v.mutable_window()->set_request(v1::CASE_ACTION_REQUEST_REREVIEW);
  EXPECT_TRUE(absl::StrContains(FormatView(v),
                                "re-review window: ends "
                                "2026-04-09 (复核, Art. 36"))
      << FormatView(v);
}

TEST(FormatTest, EventShowsWhoDidWhatAndTheDeadlines) {
  v1::Envelope env;
  env.set_sequence(3);
  *env.mutable_occurred_at() = At(absl::FromCivil(
      absl::CivilSecond(2026, 5, 1, 10, 0, 0), time::ChinaTimeZone()));
  v1::CaseEvent* e = env.mutable_case_event();
  e->set_action(v1::CASE_ACTION_EXTEND);
  e->set_actor_office_code("140431:labour");
  e->set_operator_("王五");
  e->set_reason("情况复杂");
  e->set_from_state(v1::CASE_STATE_ACCEPTED);
  e->set_to_state(v1::CASE_STATE_EXTENDED);
  e->set_holder_office_code("140431:labour");
  e->set_extension_days(30);
  v1::RunningDeadline* d = e->add_deadlines();
  d->set_kind(v1::DEADLINE_KIND_HANDLING);
  d->set_office_code("140431:labour");
  *d->mutable_due_at() = At(time::EndOf(absl::CivilDay(2026, 7, 30)));
  const std::string text = FormatEvent(env);
  for (const char* want :
       {"#3  2026-05-01 10:00:00  extend (延期)  by 140431:labour, operator "
        "王五",
        "state: accepted (已受理) → extended (已延期)", "reason: 情况复杂",
        "extension: 30 days",
        "deadline: handling (处理意见) due 2026-07-30 at 140431:labour"}) {
    EXPECT_TRUE(absl::StrContains(text, want)) << want << "\n" << text;
  }
}

// Issue 18 items 5-6: the history of a 提级 names the office the case was
// taken from; of a 更正 each corrected field, old → new, and the rules that
// decided the corrected matter (DOMAIN.md Records: both values).
TEST(FormatTest, EscalationAndCorrectionShowWhatChanged) {
  v1::Envelope env;
  v1::CaseEvent* e = env.mutable_case_event();
  e->set_action(v1::CASE_ACTION_ESCALATE);
  e->set_escalated_from_office_code("140431:hrss");
  e->set_escalated_from_office_name("沁源县人力资源和社会保障局");
  EXPECT_TRUE(absl::StrContains(
      FormatEvent(env), "    提级 taken up from: 沁源县人力资源和社会保障局 "))
      << FormatEvent(env);
  e->Clear();
  e->set_action(v1::CASE_ACTION_CORRECT);
  v1::MatterCorrection* c = e->mutable_correction();
  c->set_old_category("labour");
  c->set_new_category("housing");
  c->set_old_region_code("140431");
  c->set_new_region_code("140431");
  c->set_old_matter_class(v1::MATTER_CLASS_CLAIM);
  c->set_new_matter_class(v1::MATTER_CLASS_SUGGESTION);
  e->mutable_decision()->add_rules("territorial-tiered");
  const std::string text = FormatEvent(env);
  for (const char* want :
       {"    更正 事项类别 (category): labour → housing\n",
        "    更正 信访类型 (class): claim (申诉求决类) → suggestion "
        "(建议意见类)\n",
        "    rules: territorial-tiered\n"}) {
    EXPECT_TRUE(absl::StrContains(text, want)) << want << "\n" << text;
  }
  EXPECT_FALSE(absl::StrContains(text, "事项发生地")) << text;  // unchanged
}

// Issue 16 item 2: the history shows who proposed and who approved.
TEST(FormatTest, EventShowsTheProposalAndItsApprover) {
  v1::Envelope env;
  env.set_sequence(4);
  *env.mutable_occurred_at() = At(absl::FromCivil(
      absl::CivilSecond(2026, 5, 2, 9, 0, 0), time::ChinaTimeZone()));
  v1::CaseEvent* e = env.mutable_case_event();
  e->set_action(v1::CASE_ACTION_PROPOSE);
  e->set_proposed_action(v1::CASE_ACTION_REPLY);
  e->set_actor_office_code("140431:labour");
  e->set_operator_("张承办");
  std::string text = FormatEvent(env);
  EXPECT_TRUE(absl::StrContains(text, "operator 张承办\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "proposed: reply (出具处理意见)")) << text;
  e->set_action(v1::CASE_ACTION_REPLY);
  e->clear_proposed_action();
  e->set_approved_by("李主任");
  text = FormatEvent(env);
  EXPECT_TRUE(absl::StrContains(
      text, "reply (出具处理意见)  by 140431:labour, operator 张承办, approved "
            "by 李主任\n"))
      << text;
  EXPECT_FALSE(absl::StrContains(text, "proposed:")) << text;
}

// A chain of `n` events of case "C1" as routing publishes them.
v1::CaseDetail Chain(int n) {
  v1::CaseDetail detail;
  detail.mutable_view()->set_case_id("C1");
  detail.mutable_view()->set_version(n);
  std::string prev;
  for (int i = 1; i <= n; ++i) {
    v1::Envelope env;
    env.set_case_id("C1");
    env.set_sequence(i);
    env.set_event_id("e" + std::to_string(i));
    if (!prev.empty()) env.set_prev_hash(digest::Sha256(prev));
    env.mutable_case_event()->set_action(v1::CASE_ACTION_ACCEPT);
    prev = env.SerializeAsString();
    detail.add_events(prev);
  }
  return detail;
}

TEST(VerifyTest, IntactChainNamesItsHead) {
  v1::CaseDetail detail = Chain(3);
  VerifyResult result = chain::CheckHistory(detail);
  EXPECT_TRUE(result.verdict.intact) << result.verdict.reason;
  EXPECT_EQ(VerifyText(result),
            "intact: 3 events, head " +
                absl::BytesToHexString(digest::Sha256(detail.events(2))) +
                "\n");
}

TEST(VerifyTest, AlteredEventIsNamed) {
  v1::CaseDetail detail = Chain(4);
  v1::Envelope env;
  ASSERT_TRUE(env.ParseFromString(detail.events(1)));
  env.mutable_case_event()->set_reason("rewritten");
  detail.set_events(1, env.SerializeAsString());
  VerifyResult result = chain::CheckHistory(detail);
  EXPECT_FALSE(result.verdict.intact);
  EXPECT_EQ(result.verdict.altered_sequence, 2u);
  EXPECT_TRUE(absl::StartsWith(VerifyText(result), "broken: event 2: "))
      << VerifyText(result);
  EXPECT_FALSE(absl::StrContains(VerifyText(result), "event 2: event 2"));
}

// No head hash in the view: a history cut at its end is caught by the
// count of events against the case's version.
TEST(VerifyTest, HistoryShorterThanTheVersionIsBroken) {
  v1::CaseDetail detail = Chain(3);
  detail.mutable_view()->set_version(5);
  VerifyResult result = chain::CheckHistory(detail);
  EXPECT_FALSE(result.verdict.intact);
  EXPECT_EQ(result.verdict.altered_sequence, 4u);
  EXPECT_EQ(VerifyText(result),
            "broken: event 4: the case is at version 5 but its history has 3 "
            "events\n");
}

TEST(VerifyTest, EmptyHistoryOfAnEmptyCaseIsIntact) {
  VerifyResult result = chain::CheckHistory(Chain(0));
  EXPECT_TRUE(result.verdict.intact);
  EXPECT_EQ(VerifyText(result), "intact: 0 events, head -\n");
}

}  // namespace
}  // namespace caserelay::casectl
