// BuildPetitionerView: what the petitioner sees of their case and what they
// never see (issue 15 item 2; Art. 30). Each row cites its rule.
#include "services/routing/petitioner_view.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/time/timestamp.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::routing {
namespace {

namespace v1 = ::caserelay::v1;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCase[] = "140431-20260302-000001";
constexpr char kAccused[] = "140431:housing";  // the accused unit
const std::map<std::string, std::string> kNames = {
    {"140431:bureau", "沁源县信访局"},
    {"140431:hrss", "沁源县人力资源和社会保障局"},
    {"140431:gov", "沁源县人民政府"},
    {"140400:hrss", "长治市人力资源和社会保障局"},
    {kAccused, "沁源县住房和城乡建设局"},
};

// The namer routing gives: never the accused unit.
std::optional<std::string> Namer(const std::string& code) {
  if (code == kAccused) return std::nullopt;
  auto it = kNames.find(code);
  if (it == kNames.end()) return std::nullopt;
  return it->second;
}

absl::Time At(int day, int hour) {
  return absl::FromCivil(absl::CivilSecond(2026, 3, day, hour, 0, 0),
                         absl::FixedTimeZone(8 * 3600));
}

std::string Event(int day, v1::CaseEvent e) {
  v1::Envelope env;
  env.set_case_id(kCase);
  *env.mutable_occurred_at() = time::ToProto(At(day, 9));
  e.set_operator_(e.by_petitioner() ? "petitioner" : "王科员");
  *env.mutable_case_event() = std::move(e);
  return env.SerializeAsString();
}

v1::CaseEvent E(v1::CaseAction action, std::string actor, std::string holder,
                std::string reason = "") {
  v1::CaseEvent e;
  e.set_action(action);
  e.set_actor_office_code(actor);
  e.set_actor_office_name(kNames.count(actor) ? kNames.at(actor) : actor);
  e.set_holder_office_code(holder);
  e.set_holder_office_name(kNames.count(holder) ? kNames.at(holder) : holder);
  e.set_reason(std::move(reason));
  return e;
}

// An accusation against the county 住建局, handled by the county 人社局:
// registered, transferred, accepted, supervised (督办), replied, its result
// reported, rated by the office and then by the petitioner.
struct Fixture {
  v1::RoutingCaseRecord record;
  std::vector<std::string> history;
  std::vector<lifecycle::PetitionerOption> options;
};

Fixture Replied() {
  Fixture f;
  v1::CaseView& c = *f.record.mutable_view();
  c.set_case_id(kCase);
  c.set_state(v1::CASE_STATE_EVALUATED);
  c.set_office_code("140431:hrss");
  c.set_version(8);
  *c.mutable_received_at() = time::ToProto(At(2, 8));
  c.mutable_matter()->set_title("拖欠工资");
  c.mutable_matter()->set_text("<script>alert(1)</script>请求支付工资");
  c.mutable_matter()->set_accused("李四科长");
  c.mutable_matter()->add_accused_offices(kAccused);
  for (auto [kind, office] :
       std::vector<std::pair<v1::DeadlineKind, std::string>>{
           {v1::DEADLINE_KIND_SERVICE, "140431:hrss"},
           {v1::DEADLINE_KIND_RESULT_REPORT, "140431:hrss"},
           {v1::DEADLINE_KIND_SUPERVISION_REPLY, "140431:hrss"}}) {
    v1::RunningDeadline* d = c.add_deadlines();
    d->set_kind(kind);
    d->set_office_code(office);
    *d->mutable_due_at() = time::ToProto(At(30, 0));
  }
  v1::CaseEvent reg = E(v1::CASE_ACTION_REGISTER, "routing", "140431:bureau",
                        "Art. 22 rules r1 r2");
  reg.set_to_state(v1::CASE_STATE_REGISTERED);
  reg.add_accused_office_codes(kAccused);
  f.history.push_back(Event(2, reg));
  f.history.push_back(Event(3, E(v1::CASE_ACTION_TRANSFER, "140431:bureau",
                                 "140431:hrss", "内部备注：转交人社")));
  f.history.push_back(Event(4, E(v1::CASE_ACTION_ACCEPT, "140431:hrss",
                                 "140431:hrss", "内部受理备注")));
  v1::CaseEvent sup = E(v1::CASE_ACTION_SUPERVISE, "140400:bureau",
                        "140431:hrss", "督办函：内部督办说明");
  f.history.push_back(Event(5, sup));
  v1::CaseEvent reply = E(v1::CASE_ACTION_REPLY, "140431:hrss", "140431:hrss",
                          "经核实，已责令用人单位支付工资。");
  reply.set_outcome(v1::OUTCOME_SUPPORT);
  f.history.push_back(Event(6, reply));
  f.history.push_back(Event(7, E(v1::CASE_ACTION_REPORT_RESULT, "140431:hrss",
                                 "140431:hrss", "办结报告内部内容")));
  v1::CaseEvent office_rating =
      E(v1::CASE_ACTION_EVALUATE, "140431:hrss", "140431:hrss", "电话回访");
  office_rating.set_satisfaction(v1::SATISFACTION_DISSATISFIED);
  f.history.push_back(Event(8, office_rating));
  lifecycle::PetitionerOption review;
  review.action = v1::PETITIONER_ACTION_REQUEST_REVIEW;
  review.case_action = v1::CASE_ACTION_REQUEST_REVIEW;
  review.until = At(31, 0);
  review.organs = {{{"140431:gov", "沁源县人民政府"}, "r"},
                   {{kAccused, "沁源县住房和城乡建设局"}, "r"},
                   {{"140400:hrss", "长治市人力资源和社会保障局"}, "r"}};
  f.options.push_back(review);
  return f;
}

TEST(PetitionerViewTest, WhatThePetitionerSees) {
  Fixture f = Replied();
  auto view = BuildPetitionerView(f.record, f.history, f.options, Namer);
  ASSERT_TRUE(view.ok()) << view.status();
  // Issue 15: state in plain Chinese, the office holding it, received.
  EXPECT_EQ(view->state_text(), "已出具处理意见，已评价");
  EXPECT_EQ(view->office_name(), "沁源县人力资源和社会保障局");
  EXPECT_EQ(view->version(), 8u);
  // Issue 15: the petitioner's own title and text, as data.
  EXPECT_EQ(view->title(), "拖欠工资");
  EXPECT_EQ(view->text(), "<script>alert(1)</script>请求支付工资");
  // Issue 15: the 处理意见 with its reasons once issued.
  EXPECT_EQ(view->outcome().document_text(), "处理意见");
  EXPECT_EQ(view->outcome().outcome_text(), "支持");
  EXPECT_EQ(view->outcome().reason(), "经核实，已责令用人单位支付工资。");
  EXPECT_EQ(time::FromProto(view->outcome().decided_at()), At(6, 9));
  // Issue 15: each step with its date, in order.
  std::vector<std::string> steps;
  for (const auto& s : view->steps()) steps.push_back(s.text());
  EXPECT_EQ(steps, (std::vector<std::string>{
                       "信访事项已登记（沁源县信访局）。",
                       "已转送沁源县人力资源和社会保障局办理。",
                       "沁源县人力资源和社会保障局已受理。",
                       "沁源县人力资源和社会保障局出具处理意见：支持。",
                       "记录满意度评价：不满意。",
                   }));
  EXPECT_EQ(time::FromProto(view->steps(0).at()), At(2, 9));
  // Issue 15: the time limits that apply to the petitioner's matter.
  ASSERT_EQ(view->deadlines_size(), 1);
  EXPECT_EQ(view->deadlines(0).text(), "送达期限");
  // Issue 15: the actions with until-when and the organs to choose from.
  ASSERT_EQ(view->actions_size(), 1);
  EXPECT_EQ(view->actions(0).action(), v1::PETITIONER_ACTION_REQUEST_REVIEW);
  EXPECT_EQ(view->actions(0).text(), "申请复查");
  EXPECT_EQ(time::FromProto(view->actions(0).until()), At(31, 0));
}

TEST(PetitionerViewTest, EscalationAndCorrectionAreToldWithoutTheirReasons) {
  // Issue 18 items 5-6: the petitioner sees who handles the case after a
  // 提级 and that the registration was corrected, never an office's reason.
  Fixture f = Replied();
  f.history.resize(2);  // registered, transferred
  v1::CaseEvent corrected = E(v1::CASE_ACTION_CORRECT, "140431:bureau",
                              "140431:bureau", "内部：登记类别有误");
  corrected.set_to_state(v1::CASE_STATE_REGISTERED);
  f.history.push_back(Event(3, corrected));
  v1::CaseEvent up = E(v1::CASE_ACTION_ESCALATE, "140431:gov", "140431:gov",
                       "内部：久拖未决");
  up.set_escalated_from_office_code("140431:hrss");
  f.history.push_back(Event(4, up));
  auto view = BuildPetitionerView(f.record, f.history, f.options, Namer);
  ASSERT_TRUE(view.ok()) << view.status();
  std::vector<std::string> steps;
  for (const auto& s : view->steps()) steps.push_back(s.text());
  EXPECT_EQ(steps, (std::vector<std::string>{
                       "信访事项已登记（沁源县信访局）。",
                       "已转送沁源县人力资源和社会保障局办理。",
                       "登记信息已更正，信访事项重新登记（沁源县信访局）。",
                       "已由沁源县人民政府提级办理。",
                   }));
  for (const std::string& s : steps) {
    EXPECT_THAT(s, Not(HasSubstr("内部"))) << s;
  }
}

TEST(PetitionerViewTest, WhatThePetitionerNeverSees) {
  Fixture f = Replied();
  auto view = BuildPetitionerView(f.record, f.history, f.options, Namer);
  ASSERT_TRUE(view.ok()) << view.status();
  // Every field as UTF-8 text (DebugString would escape the Chinese).
  const std::string all = view->Utf8DebugString();
  ASSERT_THAT(all, HasSubstr("沁源县人力资源和社会保障局"));
  struct Row {
    const char* rule;
    std::string never;
  };
  for (const Row& row : std::vector<Row>{
           {"Art. 30: never the accused unit's name", "沁源县住房和城乡建设局"},
           {"Art. 30: never the accused unit's code", kAccused},
           {"Art. 30: never the accusation's words", "李四科长"},
           {"issue 15: no operator's name", "王科员"},
           {"issue 15: no internal note of a transfer", "内部备注"},
           {"issue 15: no internal note of an acceptance", "内部受理备注"},
           {"issue 15: 督办 is between offices", "督办"},
           {"issue 15: the result report is between offices", "办结报告"},
           {"issue 15: routing's rules are not the petitioner's", "Art. 22"},
           {"issue 15: the office's notes of a rating it entered", "电话回访"},
       }) {
    EXPECT_THAT(all, Not(HasSubstr(row.never))) << row.rule;
  }
  // Issue 15: an office-entered rating is not shown as the petitioner's.
  EXPECT_FALSE(view->has_rating());
  // Art. 30: an accused organ is never offered for the request.
  std::vector<std::string> organs;
  for (const auto& o : view->actions(0).organs())
    organs.push_back(o.office_code());
  EXPECT_EQ(organs, (std::vector<std::string>{"140431:gov", "140400:hrss"}));
}

TEST(PetitionerViewTest, ThePetitionersOwnRatingAndAnUnnamedHolder) {
  Fixture f = Replied();
  v1::CaseEvent own =
      E(v1::CASE_ACTION_EVALUATE, "140431:hrss", "140431:hrss", "办得好");
  own.set_satisfaction(v1::SATISFACTION_SATISFIED);
  own.set_by_petitioner(true);
  f.history.push_back(Event(9, own));
  // Art. 30: were the case ever held by an office the view may not name,
  // it reads "有关机关".
  f.record.mutable_view()->set_office_code(kAccused);
  auto view = BuildPetitionerView(f.record, f.history, {}, Namer);
  ASSERT_TRUE(view.ok()) << view.status();
  // Issue 15: the petitioner's own rating with their comment.
  EXPECT_EQ(view->rating().satisfaction(), v1::SATISFACTION_SATISFIED);
  EXPECT_EQ(view->rating().satisfaction_text(), "满意");
  EXPECT_EQ(view->rating().comment(), "办得好");
  EXPECT_EQ(view->steps(view->steps_size() - 1).text(),
            "您作出满意度评价：满意。");
  EXPECT_EQ(view->office_name(), kUnnamedOffice);
  EXPECT_TRUE(view->actions().empty());
}

TEST(PetitionerViewTest, EveryStateHasAPlainText) {
  // Issue 15: state in plain Chinese for every state a case can be in.
  for (int s = v1::CASE_STATE_RECEIVED; s <= v1::CASE_STATE_LINKED; ++s) {
    EXPECT_FALSE(lifecycle::StateText(static_cast<v1::CaseState>(s)).empty())
        << s;
  }
}

TEST(PetitionerViewTest, TheStateTextIsTheLifeCyclesOne) {
  // Issue 15 item 2: one domain function gives the state's text, the one
  // intake's GetCaseStatus answer carries too.
  Fixture f = Replied();
  auto view = BuildPetitionerView(f.record, f.history, {}, Namer);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_EQ(view->state_text(), lifecycle::StateText(f.record.view().state()));
}

TEST(PetitionerViewTest, AClosedActionCarriesTheLifeCyclesReason) {
  // Issue 15 item 2: after a window passed the view says why the action is
  // no longer offered, in the life cycle's words, with the window's end.
  Fixture f = Replied();
  const std::string reason =
      "申请复查的期限已过：处理意见于2026年3月3日送达，应自收到之日起30日内"
      "申请复查（《信访工作条例》第三十五条），期限已于2026年4月2日届满。";
  auto view = BuildPetitionerView(
      f.record, f.history, {}, Namer,
      {{v1::PETITIONER_ACTION_REQUEST_REVIEW, reason, At(30, 0)}});
  ASSERT_TRUE(view.ok()) << view.status();
  ASSERT_EQ(view->closed_actions_size(), 1);
  EXPECT_EQ(view->closed_actions(0).action(),
            v1::PETITIONER_ACTION_REQUEST_REVIEW);
  EXPECT_EQ(view->closed_actions(0).text(), reason);
  EXPECT_EQ(time::FromProto(view->closed_actions(0).closed_at()), At(30, 0));
  EXPECT_TRUE(view->actions().empty());
}

TEST(PetitionerViewTest, ABrokenHistoryIsDataLoss) {
  Fixture f = Replied();
  f.history.push_back("not an envelope \xff");
  EXPECT_EQ(BuildPetitionerView(f.record, f.history, {}, Namer).status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace caserelay::routing
