// The role table (domain/access/roles.h, issue 16): every action x role x
// state. The expected table below has one row per CaseAction with the
// verdict for each single role and the rule it follows; the test crosses it
// with every state, generated from the life cycle's transition table (a
// state with no row for the action refuses it whatever the roles).
#include "domain/access/roles.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/lifecycle/transitions.h"
#include "gtest/gtest.h"

namespace caserelay::access {
namespace {

using v1::CaseAction;
using v1::CaseState;
using v1::StaffRole;

// A allowed at once, P proposed for the head's approval, R refused.
constexpr char A = 'A', P = 'P', R = 'R';

struct Row {
  CaseAction action;
  // REGISTRAR, HANDLER, HEAD, INSPECTOR, LEADER, ADMIN.
  std::string verdicts;
  const char* rule;  // DOMAIN.md / the Regulation's article / issue 16
};

const std::vector<StaffRole> kSingleRoles = {
    v1::STAFF_ROLE_REGISTRAR, v1::STAFF_ROLE_HANDLER, v1::STAFF_ROLE_HEAD,
    v1::STAFF_ROLE_INSPECTOR, v1::STAFF_ROLE_LEADER,  v1::STAFF_ROLE_ADMIN};

std::vector<Row> Expected() {
  return {
      {v1::CASE_ACTION_REGISTER, "RRRRRR",
       "Art. 22 / DOMAIN.md Routing: routing registers by its own decision"},
      {v1::CASE_ACTION_TRANSFER, "AAARRR",
       "Art. 22: the bureau registers and transfers (转送) within 15 days; "
       "issue 16: 登记员 registers, 承办人 handles"},
      {v1::CASE_ACTION_ASSIGN, "AAARRR",
       "Art. 22: the bureau registers and assigns (交办) within 15 days"},
      {v1::CASE_ACTION_OBJECT, "RAARRR",
       "Art. 23: the organ objects (异议) with reasons: the handler's work"},
      {v1::CASE_ACTION_ACCEPT, "RAARRR",
       "Art. 23: the organ accepts (受理): the handler's work"},
      {v1::CASE_ACTION_DECLINE, "RPARRR",
       "Art. 23 and issue 16 item 1: 负责人 approves 不予受理"},
      {v1::CASE_ACTION_EXTEND, "RPARRR",
       "Art. 34: 延期 \"经本机关、单位负责人批准\"; DOMAIN.md Deadlines: "
       "approved by the organ's head"},
      {v1::CASE_ACTION_REPLY, "RPARRR",
       "Art. 34 and issue 16 item 1: 负责人 approves the 处理意见 before it "
       "leaves the office"},
      {v1::CASE_ACTION_REPORT_RESULT, "RAARRR",
       "Art. 22: the 办结报告 of an assigned case: the handler's work"},
      {v1::CASE_ACTION_EVALUATE, "RAARRR",
       "DOMAIN.md Supervision: the rating recorded by the organ's handler"},
      {v1::CASE_ACTION_REQUEST_REVIEW, "AAARRR",
       "Art. 35: the review organ registers the request (登记员 registers)"},
      {v1::CASE_ACTION_DECIDE_REVIEW, "RAARRR",
       "Art. 35: the review organ decides (复查意见): the handler's work"},
      {v1::CASE_ACTION_REQUEST_REREVIEW, "AAARRR",
       "Art. 36: the re-review organ registers the request"},
      {v1::CASE_ACTION_START_HEARING, "RAARRR",
       "Art. 36: a hearing (听证): the handler's work"},
      {v1::CASE_ACTION_END_HEARING, "RAARRR",
       "Art. 36: the hearing ends: the handler's work"},
      {v1::CASE_ACTION_DECIDE_REREVIEW, "RPARRR",
       "Art. 36 and issue 16 item 1: 负责人 approves 终结 at the re-review "
       "office"},
      {v1::CASE_ACTION_CLOSE, "RAARRR",
       "Arts. 23, 35, 36: 办结归档: the handler's work"},
      {v1::CASE_ACTION_LINK_REPEAT, "RRRRRR",
       "DOMAIN.md Routing: routing links a repeat petition itself"},
      {v1::CASE_ACTION_SUPERVISE, "RRRRRR",
       "DOMAIN.md Supervision (Arts. 39-40): supervision issues 督办, "
       "routing records it"},
      {v1::CASE_ACTION_REPLY_SUPERVISION, "RAARRR",
       "2005 Art. 36: the supervised organ replies to 督办"},
      {v1::CASE_ACTION_SERVE, "RAARRR",
       "Arts. 35-36: the organ records the service (送达) of its decision"},
      {v1::CASE_ACTION_TAKE_CHARGE, "RRRRAR",
       "issue 18 item 2: 领导包案 is the government's 领导's own; the "
       "bureau's staff, 负责人 and 督查员 do not take a case in charge"},
      {v1::CASE_ACTION_FOLLOW_UP, "RAARRR",
       "issue 18 item 7 (回访) and issue 16 item 1: the bureau's 承办人 "
       "follows up with the petitioner, 负责人 heads the office"},
      {v1::CASE_ACTION_ESCALATE, "RRARAR",
       "issue 18 item 5: 提级办理 is the superior organ's decision, its "
       "负责人's or 领导's (not the 承办人's nor the 督查员's)"},
      {v1::CASE_ACTION_CORRECT, "ARARRR",
       "Art. 22 and issue 18 item 6: 更正登记 by the registering bureau's "
       "登记员 (who registered it) or 负责人; not the 承办人"},
      {v1::CASE_ACTION_RECOMMEND, "RRAARR",
       "DOMAIN.md Supervision (Arts. 39-40; 2005 Arts. 36, 38): the "
       "supervising bureau's 督查员 or 负责人 proposes 改进工作建议/追责建议"},
      {v1::CASE_ACTION_PROPOSE, "RRRRRR",
       "issue 16: a proposal is recorded when a handler takes an action "
       "the head approves, never asked for"},
      {v1::CASE_ACTION_RETURN_PROPOSAL, "RRRRRR",
       "issue 16: the head returns a proposal through return_proposal, "
       "not as an action of its own"},
  };
}

std::vector<CaseState> AllStates() {
  std::vector<CaseState> states;
  const auto* d = v1::CaseState_descriptor();
  for (int i = 0; i < d->value_count(); ++i) {
    const auto s = static_cast<CaseState>(d->value(i)->number());
    if (s != v1::CASE_STATE_UNSPECIFIED) states.push_back(s);
  }
  return states;
}

char Letter(Verdict v) {
  switch (v) {
    case Verdict::kAllowed:
      return A;
    case Verdict::kNeedsApproval:
      return P;
    case Verdict::kRefused:
      return R;
  }
  return '?';
}

// A value added to CaseAction without a row here fails this test.
TEST(RolesTest, EveryActionHasARow) {
  std::map<int, int> rows;
  for (const Row& row : Expected()) ++rows[row.action];
  const auto* d = v1::CaseAction_descriptor();
  for (int i = 0; i < d->value_count(); ++i) {
    const int a = d->value(i)->number();
    if (a == v1::CASE_ACTION_UNSPECIFIED) continue;
    EXPECT_EQ(rows[a], 1) << d->value(i)->name();
  }
}

TEST(RolesTest, EveryActionRoleAndStateAsTheTableSays) {
  int checked = 0, allowed = 0, proposed = 0;
  for (const Row& row : Expected()) {
    ASSERT_EQ(row.verdicts.size(), kSingleRoles.size());
    for (size_t i = 0; i < kSingleRoles.size(); ++i) {
      const StaffRole role = kSingleRoles[i];
      for (CaseState state : AllStates()) {
        const bool legal =
            lifecycle::FindTransition(state, row.action) != nullptr;
        // Refused in a state with no row, whatever the roles (lifecycle.h).
        const char want = legal ? row.verdicts[i] : R;
        const Ruling got = Rule({role}, row.action, state);
        SCOPED_TRACE(absl::StrCat(lifecycle::ActionName(row.action), " by ",
                                  RoleText(role), " in ",
                                  lifecycle::StateName(state), ": ", row.rule));
        EXPECT_EQ(Letter(got.verdict), want);
        EXPECT_FALSE(got.rule.empty());
        if (got.verdict == Verdict::kAllowed) {
          EXPECT_TRUE(got.reason.empty()) << got.reason;
          ++allowed;
        } else {
          // People read the reason: Chinese, naming the action.
          EXPECT_FALSE(got.reason.empty());
          EXPECT_GT(got.reason.size(), 6u);
        }
        if (got.verdict == Verdict::kNeedsApproval) {
          EXPECT_TRUE(absl::StrContains(got.reason, "负责人")) << got.reason;
          ++proposed;
        }
        if (want == R && legal && row.verdicts[i] == R) {
          EXPECT_FALSE(got.by_state);
        }
        if (!legal && row.verdicts[i] != R) {
          EXPECT_TRUE(got.by_state);
          EXPECT_TRUE(absl::StrContains(got.reason, "阶段")) << got.reason;
        }
        ++checked;
      }
    }
  }
  // Every row's action x 6 roles x 16 states.
  EXPECT_EQ(checked, static_cast<int>(Expected().size()) * 6 * 16);
  EXPECT_GT(allowed, 0);
  EXPECT_GT(proposed, 0);
}

// Roles add up: a person acts with the union of theirs; the office's own
// credential (every role) takes every office action at once.
TEST(RolesTest, RolesAddUpAndTheOfficeItselfHasEvery) {
  struct Combo {
    const char* rule;
    StaffRoles roles;
    CaseAction action;
    CaseState state;
    char want;
  };
  for (const Combo& c : std::vector<Combo>{
           {"Art. 34: the head extends at once, also as a handler",
            {v1::STAFF_ROLE_HANDLER, v1::STAFF_ROLE_HEAD},
            v1::CASE_ACTION_EXTEND,
            v1::CASE_STATE_ACCEPTED,
            A},
           {"issue 16: a registrar-handler still proposes 不予受理",
            {v1::STAFF_ROLE_REGISTRAR, v1::STAFF_ROLE_HANDLER},
            v1::CASE_ACTION_DECLINE,
            v1::CASE_STATE_TRANSFERRED,
            P},
           {"issue 16: an inspector-leader acts on no case",
            {v1::STAFF_ROLE_INSPECTOR, v1::STAFF_ROLE_LEADER},
            v1::CASE_ACTION_ACCEPT,
            v1::CASE_STATE_TRANSFERRED,
            R},
           {"issue 16: an admin with the handler's role handles",
            {v1::STAFF_ROLE_ADMIN, v1::STAFF_ROLE_HANDLER},
            v1::CASE_ACTION_ACCEPT,
            v1::CASE_STATE_TRANSFERRED,
            A},
           {"auth.h: no role, no action",
            {},
            v1::CASE_ACTION_TRANSFER,
            v1::CASE_STATE_REGISTERED,
            R},
       }) {
    EXPECT_EQ(Letter(Rule(c.roles, c.action, c.state).verdict), c.want)
        << c.rule;
  }
  // The office's own credential (auth.h): every office action at once.
  for (const Row& row : Expected()) {
    for (CaseState state : AllStates()) {
      if (lifecycle::FindTransition(state, row.action) == nullptr) continue;
      const bool office_action = row.verdicts.find(A) != std::string::npos ||
                                 row.verdicts.find(P) != std::string::npos;
      EXPECT_EQ(Letter(Rule(EveryRole(), row.action, state).verdict),
                office_action ? A : R)
          << lifecycle::ActionName(row.action) << " " << row.rule;
    }
  }
}

TEST(RolesTest, OnlyTheHeadAnswersAProposal) {
  for (StaffRole role : kSingleRoles) {
    const std::string why = MayAnswerProposal({role});
    EXPECT_EQ(why.empty(), role == v1::STAFF_ROLE_HEAD)
        << RoleText(role) << " (issue 16 item 2: actions that need approval "
        << "wait in the head's queue)";
  }
  EXPECT_FALSE(MayAnswerProposal({}).empty());
  EXPECT_TRUE(MayAnswerProposal(EveryRole()).empty());
  // Exactly the four the contract names need the head.
  std::vector<CaseAction> approved;
  for (const Row& row : Expected()) {
    if (HeadApproves(row.action)) approved.push_back(row.action);
  }
  EXPECT_EQ(approved,
            (std::vector<CaseAction>{
                v1::CASE_ACTION_DECLINE, v1::CASE_ACTION_EXTEND,
                v1::CASE_ACTION_REPLY, v1::CASE_ACTION_DECIDE_REREVIEW}));
}

TEST(RolesTest, WhatEachRoleReadsAndSees) {
  using V = v1::ConsoleView;
  struct Want {
    const char* rule;
    StaffRole role;
    ReadScope scope;
    std::vector<V> views;
  };
  for (const Want& w : std::vector<Want>{
           {"issue 16 item 1: 登记员 registers visits, letters and calls",
            v1::STAFF_ROLE_REGISTRAR,
            ReadScope::kOffice,
            {v1::CONSOLE_VIEW_INBOX, v1::CONSOLE_VIEW_REGISTER}},
           {"issue 16 item 1: 承办人 handles the office's cases",
            v1::STAFF_ROLE_HANDLER,
            ReadScope::kOffice,
            {v1::CONSOLE_VIEW_INBOX}},
           {"issue 16 item 1: 负责人 approves; watches the office's red lights",
            v1::STAFF_ROLE_HEAD,
            ReadScope::kOffice,
            {v1::CONSOLE_VIEW_INBOX, v1::CONSOLE_VIEW_APPROVALS,
             v1::CONSOLE_VIEW_RED_LIGHTS}},
           {"issue 16 item 1: 督查员 supervises the subtree (Arts. 39-40)",
            v1::STAFF_ROLE_INSPECTOR,
            ReadScope::kSubtree,
            {v1::CONSOLE_VIEW_INBOX, v1::CONSOLE_VIEW_RED_LIGHTS,
             v1::CONSOLE_VIEW_INDICATORS}},
           {"issue 16 item 1: 领导 reads the subtree, the indicators",
            v1::STAFF_ROLE_LEADER,
            ReadScope::kSubtree,
            {v1::CONSOLE_VIEW_INBOX, v1::CONSOLE_VIEW_RED_LIGHTS,
             v1::CONSOLE_VIEW_INDICATORS}},
           {"issue 16 item 1: 管理员 manages users, reads no case",
            v1::STAFF_ROLE_ADMIN,
            ReadScope::kNone,
            {v1::CONSOLE_VIEW_USERS}},
       }) {
    EXPECT_EQ(ReadScopeOf({w.role}), w.scope) << w.rule;
    EXPECT_EQ(ConsoleViews({w.role}), w.views) << w.rule;
  }
  EXPECT_EQ(ReadScopeOf(EveryRole()), ReadScope::kSubtree)
      << "auth.h: the office's own credential reads as the office";
  EXPECT_EQ(ConsoleViews(EveryRole()).size(), 6u);
  EXPECT_TRUE(ConsoleViews({}).empty());
}

// A 督办 by hand (issue 18 item 4): the bureau's 督查员 or 负责人 issues
// it (DOMAIN.md Supervision, 2005 Art. 36); which bureau, supervise_access.h.
TEST(RolesTest, WhoIssuesASupervisionByHand) {
  struct Case {
    StaffRole role;
    bool may;
  };
  for (const Case& c : std::vector<Case>{
           {v1::STAFF_ROLE_REGISTRAR, false},
           {v1::STAFF_ROLE_HANDLER, false},
           {v1::STAFF_ROLE_HEAD, true},
           {v1::STAFF_ROLE_INSPECTOR, true},
           {v1::STAFF_ROLE_LEADER, false},
           {v1::STAFF_ROLE_ADMIN, false},
       }) {
    const std::string why = MayIssueSupervision({c.role});
    EXPECT_EQ(why.empty(), c.may) << RoleText(c.role) << ": " << why;
  }
  EXPECT_TRUE(MayIssueSupervision(EveryRole()).empty())
      << "the office's own credential (casectl) has every role";
}

}  // namespace
}  // namespace caserelay::access
