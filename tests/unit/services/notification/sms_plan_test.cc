// sms_plan.h: which SMS each case event sends and with what variables; and
// that every planned SMS renders with the shipped templates (the contract
// of domain/sms/triggers.h).

#include "services/notification/sms_plan.h"

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "domain/sms/template_set.h"
#include "domain/sms/triggers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::notification {
namespace {

using caserelay::v1::CaseAction;
using caserelay::v1::CaseEvent;
using caserelay::v1::DeadlineKind;
using caserelay::v1::Disposition;

constexpr char kCase[] = "140431-20261122-000001";
constexpr char kHolder[] = "沁源县人力资源和社会保障局";

// The handling deadline's last day 2027-01-30 (due 2027-01-31 00:00).
absl::Time HandlingDue() { return time::EndOf(absl::CivilDay(2027, 1, 30)); }

void AddDeadline(CaseEvent& e, DeadlineKind kind, absl::Time due) {
  auto* d = e.add_deadlines();
  d->set_kind(kind);
  d->set_office_code("140431:labour");
  *d->mutable_started_at() = time::ToProto(due - absl::Hours(24 * 60));
  *d->mutable_due_at() = time::ToProto(due);
}

CaseEvent Event(CaseAction action) {
  CaseEvent e;
  e.set_action(action);
  e.set_holder_office_code("140431:labour");
  e.set_holder_office_name(kHolder);
  return e;
}

CaseEvent Register(Disposition disposition, const std::string& route = "") {
  CaseEvent e = Event(caserelay::v1::CASE_ACTION_REGISTER);
  e.mutable_decision()->set_disposition(disposition);
  e.mutable_decision()->set_route(route);
  return e;
}

struct Row {
  std::string rule;  // where the expectation comes from
  CaseEvent event;
  bool accusation;
  std::optional<std::string> trigger;       // nullopt: no SMS
  std::map<std::string, std::string> vars;  // besides case_number
};

void PrintTo(const Row& r, std::ostream* os) { *os << r.rule; }

std::vector<Row> Rows() {
  const SmsTexts t;
  std::vector<Row> rows;
  auto add = [&](std::string rule, CaseEvent e, std::optional<std::string> trig,
                 std::map<std::string, std::string> vars, bool acc = false) {
    rows.push_back(Row{std::move(rule), std::move(e), acc, std::move(trig),
                       std::move(vars)});
  };
  for (Disposition d :
       {caserelay::v1::DISPOSITION_TRANSFER, caserelay::v1::DISPOSITION_ASSIGN,
        caserelay::v1::DISPOSITION_TRIAGE,
        caserelay::v1::DISPOSITION_LINKED_REPEAT}) {
    add("REGISTER " + caserelay::v1::Disposition_Name(d) +
            ": receipt with case number and look-up code (查询码)",
        Register(d), "received", {});
  }
  add("REGISTER NOT_ACCEPTED: Art. 31 statutory route (诉访分离)",
      Register(caserelay::v1::DISPOSITION_NOT_ACCEPTED, "向人民法院提起诉讼"),
      "not_accepted",
      {{"reason", t.reason_statutory_route}, {"route", "向人民法院提起诉讼"}});
  add("REGISTER REDIRECT: 越级走访, directed to the competent organ, in its "
      "own template (issue 23 item 5)",
      Register(caserelay::v1::DISPOSITION_REDIRECT, "向沁源县信访局提出"),
      "not_accepted_level_skipping",
      {{"reason", t.reason_redirect}, {"route", "向沁源县信访局提出"}});
  add("REGISTER REFUSED_TERMINATED: 信访终结 (Art. 36), no route to offer",
      Register(caserelay::v1::DISPOSITION_REFUSED_TERMINATED),
      "not_accepted_terminated", {{"reason", t.reason_terminated}});
  {
    // Routing names the ground: a visit to the city about a matter the
    // county is handling within its time limit (Art. 22) is not 诉访分离.
    CaseEvent e =
        Register(caserelay::v1::DISPOSITION_NOT_ACCEPTED,
                 "该信访事项正由沁源县信访局办理，请向其了解办理情况");
    e.mutable_decision()->set_refusal_ground(
        caserelay::v1::REFUSAL_GROUND_IN_PROGRESS_BELOW);
    add("REGISTER NOT_ACCEPTED in progress below (Art. 22): its own template",
        e, "not_accepted_in_progress",
        {{"route", "该信访事项正由沁源县信访局办理，请向其了解办理情况"}});
    e.mutable_decision()->set_refusal_ground(
        caserelay::v1::REFUSAL_GROUND_STATUTORY_ROUTE);
    add("REGISTER NOT_ACCEPTED naming the statutory route (Art. 31)", e,
        "not_accepted",
        {{"reason", t.reason_statutory_route},
         {"route", "该信访事项正由沁源县信访局办理，请向其了解办理情况"}});
  }
  add("REGISTER without a disposition: nothing to tell",
      Register(caserelay::v1::DISPOSITION_UNSPECIFIED), std::nullopt, {});
  add("TRANSFER (转送): the organ now holding it",
      Event(caserelay::v1::CASE_ACTION_TRANSFER), "transferred",
      {{"office_name", kHolder}});
  add("ESCALATE (提级办理, issue 18 item 5): the superior organ now "
      "holding it, as on 转送",
      Event(caserelay::v1::CASE_ACTION_ESCALATE), "escalated",
      {{"office_name", kHolder}});
  {
    CaseEvent e = Event(caserelay::v1::CASE_ACTION_CORRECT);
    e.set_reason("登记时事项类别有误");
    e.mutable_decision()->set_disposition(
        caserelay::v1::DISPOSITION_NOT_ACCEPTED);
    e.mutable_decision()->set_route("向人民法院提起诉讼");
    add("CORRECT (更正登记, issue 18 item 6) to a statutory route: told as "
        "at registration (Art. 31), never the office's reason",
        e, "not_accepted",
        {{"reason", t.reason_statutory_route}, {"route", "向人民法院提起诉讼"}});
    e.mutable_decision()->set_disposition(caserelay::v1::DISPOSITION_TRANSFER);
    add("CORRECT registered anew: no SMS; the next 转送/交办 names the organ "
        "(issue 18 item 6)",
        e, std::nullopt, {});
  }
  add("ASSIGN (交办): the organ now holding it",
      Event(caserelay::v1::CASE_ACTION_ASSIGN), "assigned",
      {{"office_name", kHolder}});
  {
    CaseEvent e = Event(caserelay::v1::CASE_ACTION_ACCEPT);
    AddDeadline(e, caserelay::v1::DEADLINE_KIND_HANDLING, HandlingDue());
    add("ACCEPT (受理): the opinion's due date, 60 days (Art. 34)", e,
        "accepted", {{"office_name", kHolder}, {"due_date", "2027年1月30日"}});
  }
  {
    CaseEvent e = Event(caserelay::v1::CASE_ACTION_ACCEPT);
    e.set_simplified(true);
    AddDeadline(e, caserelay::v1::DEADLINE_KIND_SIMPLIFIED,
                time::EndOf(absl::CivilDay(2026, 12, 21)));
    add("ACCEPT simplified (简易办理): 10 working days", e, "accepted",
        {{"office_name", kHolder}, {"due_date", "2026年12月21日"}});
  }
  {
    CaseEvent e = Event(caserelay::v1::CASE_ACTION_DECLINE);
    e.set_reason("不属于本机关职责范围");
    e.set_route("向沁源县自然资源局提出");
    add("DECLINE (不予受理, Art. 23) without a ground: out of scope, the "
        "office's reason and route",
        e, "not_accepted_out_of_scope",
        {{"reason", "不属于本机关职责范围"},
         {"route", "向沁源县自然资源局提出"}});
    add("DECLINE of an accusation: never its reason (Art. 30)", e,
        "not_accepted_out_of_scope",
        {{"reason", t.reason_neutral}, {"route", "向沁源县自然资源局提出"}},
        /*acc=*/true);
    e.set_refusal_ground(caserelay::v1::REFUSAL_GROUND_STATUTORY_ROUTE);
    add("DECLINE naming a statutory route (诉访分离, Art. 31): the office's "
        "reason in the statutory-route template",
        e, "not_accepted",
        {{"reason", "不属于本机关职责范围"},
         {"route", "向沁源县自然资源局提出"}});
  }
  {
    CaseEvent e = Event(caserelay::v1::CASE_ACTION_EXTEND);
    e.set_reason("需要补充调查");
    e.set_extension_days(30);
    AddDeadline(e, caserelay::v1::DEADLINE_KIND_HANDLING,
                HandlingDue() + absl::Hours(24 * 30));
    add("EXTEND (延期): new date and reason told (Art. 34)", e, "extended",
        {{"new_due_date", "2027年3月1日"}, {"reason", "需要补充调查"}});
    add("EXTEND of an accusation: the neutral reason", e, "extended",
        {{"new_due_date", "2027年3月1日"}, {"reason", t.reason_neutral}},
        /*acc=*/true);
    e.clear_reason();
    add("EXTEND without a reason: the neutral reason", e, "extended",
        {{"new_due_date", "2027年3月1日"}, {"reason", t.reason_neutral}});
  }
  add("REPLY: 提醒查看办理结果", Event(caserelay::v1::CASE_ACTION_REPLY),
      "replied", {{"view_hint", t.view_hint}});
  add("REQUEST_REVIEW (复查, Art. 35)",
      Event(caserelay::v1::CASE_ACTION_REQUEST_REVIEW), "review_received",
      {{"office_name", kHolder}});
  add("DECIDE_REVIEW", Event(caserelay::v1::CASE_ACTION_DECIDE_REVIEW),
      "review_decided", {{"view_hint", t.view_hint}});
  add("REQUEST_REREVIEW (复核, Art. 36)",
      Event(caserelay::v1::CASE_ACTION_REQUEST_REREVIEW), "rereview_received",
      {{"office_name", kHolder}});
  add("DECIDE_REREVIEW", Event(caserelay::v1::CASE_ACTION_DECIDE_REREVIEW),
      "rereview_decided", {{"view_hint", t.view_hint}});
  // Issue 16: a handler's proposal (报批) and the head's return tell the
  // petitioner nothing; only the approved action itself does, as any.
  for (CaseAction proposed : {caserelay::v1::CASE_ACTION_EXTEND,
                              caserelay::v1::CASE_ACTION_DECLINE,
                              caserelay::v1::CASE_ACTION_REPLY,
                              caserelay::v1::CASE_ACTION_DECIDE_REREVIEW}) {
    for (CaseAction a : {caserelay::v1::CASE_ACTION_PROPOSE,
                         caserelay::v1::CASE_ACTION_RETURN_PROPOSAL}) {
      CaseEvent e = Event(a);
      e.set_proposed_action(proposed);
      e.set_reason("需要补充调查");
      e.set_extension_days(30);
      e.set_outcome(caserelay::v1::OUTCOME_SUPPORT);
      e.set_route("向沁源县自然资源局提出");
      AddDeadline(e, caserelay::v1::DEADLINE_KIND_HANDLING, HandlingDue());
      add(caserelay::v1::CaseAction_Name(a) + " of " +
              caserelay::v1::CaseAction_Name(proposed) +
              ": no SMS until the head approves (issue 16 item 2)",
          e, std::nullopt, {});
    }
  }
  {
    CaseEvent e = Event(caserelay::v1::CASE_ACTION_REPLY);
    e.set_approved_by("李局长");
    add("REPLY approved by the head (issue 16): 提醒查看办理结果 as any REPLY",
        e, "replied", {{"view_hint", t.view_hint}});
  }
  for (CaseAction a : {caserelay::v1::CASE_ACTION_OBJECT,
                       caserelay::v1::CASE_ACTION_REPORT_RESULT,
                       caserelay::v1::CASE_ACTION_EVALUATE,
                       caserelay::v1::CASE_ACTION_START_HEARING,
                       caserelay::v1::CASE_ACTION_END_HEARING,
                       caserelay::v1::CASE_ACTION_CLOSE,
                       caserelay::v1::CASE_ACTION_LINK_REPEAT}) {
    add(caserelay::v1::CaseAction_Name(a) + ": no SMS", Event(a), std::nullopt,
        {});
  }
  // Issue 18 items 2 and 7: DOMAIN.md "Notifying" names the SMS points
  // (acceptance, handling: 转送/交办/延期, the result); 领导包案 changes
  // neither the holder nor a deadline, and 回访 is itself a contact with
  // the petitioner by phone or visit — neither sends an SMS.
  for (CaseAction a : {caserelay::v1::CASE_ACTION_TAKE_CHARGE,
                       caserelay::v1::CASE_ACTION_FOLLOW_UP}) {
    add(caserelay::v1::CaseAction_Name(a) +
            ": no SMS (issue 18: 包案 moves nothing the petitioner is told "
            "of; 回访 is a call or visit)",
        Event(a), std::nullopt, {});
  }
  return rows;
}

class SmsPlanTest : public ::testing::TestWithParam<Row> {};

TEST_P(SmsPlanTest, PlansTheTriggerAndVariables) {
  const Row& row = GetParam();
  auto plan = PlanSms(kCase, row.event, row.accusation, SmsTexts());
  ASSERT_TRUE(plan.ok()) << plan.status();
  if (!row.trigger.has_value()) {
    EXPECT_FALSE(plan->has_value());
    return;
  }
  ASSERT_TRUE(plan->has_value());
  EXPECT_EQ((*plan)->trigger, *row.trigger);
  std::map<std::string, std::string> want = row.vars;
  want["case_number"] = kCase;
  EXPECT_EQ((*plan)->vars, want);
}

// The rows that send an SMS.
std::vector<Row> RowsWithSms() {
  std::vector<Row> rows;
  for (Row& r : Rows()) {
    if (r.trigger.has_value()) rows.push_back(std::move(r));
  }
  return rows;
}

class SmsRenderTest : public ::testing::TestWithParam<Row> {};

TEST_P(SmsRenderTest, RendersWithTheShippedTemplates) {
  const Row& row = GetParam();
  static const auto* const kTemplates = [] {
    auto t = sms::TemplateSet::Load(CASERELAY_SOURCE_DIR "/data/sms/templates",
                                    sms::StandardTriggers());
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? new sms::TemplateSet(*std::move(t)) : nullptr;
  }();
  ASSERT_NE(kTemplates, nullptr);
  auto plan = PlanSms(kCase, row.event, row.accusation, SmsTexts());
  ASSERT_TRUE(plan.ok() && plan->has_value());
  std::map<std::string, std::string> vars = (*plan)->vars;
  // The sender adds the look-up code, which intake derives at send time.
  if (sms::StandardTriggers().at((*plan)->trigger).count("lookup_code")) {
    vars["lookup_code"] = "ABCD2345";
  }
  auto text = kTemplates->Render((*plan)->trigger, vars);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, ::testing::HasSubstr(kCase));
}

INSTANTIATE_TEST_SUITE_P(Actions, SmsPlanTest, ::testing::ValuesIn(Rows()));
INSTANTIATE_TEST_SUITE_P(Actions, SmsRenderTest,
                         ::testing::ValuesIn(RowsWithSms()));

TEST(SmsPlanErrorsTest, AcceptWithoutDeadlineIsFailedPrecondition) {
  auto plan = PlanSms(kCase, Event(caserelay::v1::CASE_ACTION_ACCEPT), false,
                      SmsTexts());
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SmsPlanErrorsTest, ExtendWithoutDeadlineIsFailedPrecondition) {
  auto plan = PlanSms(kCase, Event(caserelay::v1::CASE_ACTION_EXTEND), false,
                      SmsTexts());
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SmsPlanErrorsTest, TransferWithoutHolderNameIsInvalidArgument) {
  CaseEvent e = Event(caserelay::v1::CASE_ACTION_TRANSFER);
  e.clear_holder_office_name();
  auto plan = PlanSms(kCase, e, false, SmsTexts());
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(plan.status().message(),
              ::testing::HasSubstr("holder_office_name"));
}

TEST(ChinaDueDateTest, EndOfDayIsThatDay) {
  // A deadline due at 24:00 of its last day (time::EndOf) shows that day.
  EXPECT_EQ(ChinaDueDate(time::EndOf(absl::CivilDay(2026, 12, 21))),
            "2026年12月21日");
}

TEST(ChinaDueDateTest, InstantWithinADayIsThatDay) {
  EXPECT_EQ(ChinaDueDate(time::StartOf(absl::CivilDay(2026, 12, 21)) +
                         absl::Hours(15)),
            "2026年12月21日");
}

TEST(ChinaDueDateTest, DayIsCountedInChinaTime) {
  // 2026-12-21T16:30Z is 2026-12-22 00:30 in China.
  EXPECT_EQ(
      ChinaDueDate(absl::FromCivil(absl::CivilSecond(2026, 12, 21, 16, 30, 0),
                                   absl::UTCTimeZone())),
      "2026年12月22日");
}

}  // namespace
}  // namespace caserelay::notification
