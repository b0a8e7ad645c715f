// The one table of transitions (domain/lifecycle/transitions.cc), walked
// whole: every (state, action) pair of the enums is tried on a real case in
// that state, and must be accepted iff the table lists it.

#include "domain/lifecycle/transitions.h"

#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/lifecycle.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/lifecycle/case_builder.h"

namespace caserelay::lifecycle::testing {
namespace {

using ::google::protobuf::util::MessageDifferencer;

std::vector<v1::CaseState> AllStates() {
  std::vector<v1::CaseState> states;
  const auto* d = v1::CaseState_descriptor();
  for (int i = 0; i < d->value_count(); ++i) {
    const auto s = static_cast<v1::CaseState>(d->value(i)->number());
    if (s != v1::CASE_STATE_UNSPECIFIED) states.push_back(s);
  }
  return states;
}

std::vector<v1::CaseAction> AllActions() {
  std::vector<v1::CaseAction> actions;
  const auto* d = v1::CaseAction_descriptor();
  for (int i = 0; i < d->value_count(); ++i) {
    const auto a = static_cast<v1::CaseAction>(d->value(i)->number());
    if (a != v1::CASE_ACTION_UNSPECIFIED) actions.push_back(a);
  }
  return actions;
}

// The supervision (督办) the walk records, and before REPLY_SUPERVISION
// issues so that there is one to answer: from the city bureau to an office
// that does not hold the case (the target need not hold it).
v1::SupervisionIssued Walked() {
  v1::SupervisionIssued s;
  s.set_supervision_id("QY-2026-000001/supervision/1");
  s.set_level(v1::SUPERVISION_LEVEL_LETTER);
  s.set_issuer_office_code(kCityBureau);
  s.set_issuer_office_name("长治市信访局");
  s.set_target_office_code(kCountyHousing);
  s.set_target_office_name("沁源县住房和城乡建设局");
  s.set_missed_kind(v1::DEADLINE_KIND_ACCEPTANCE);
  return s;
}

std::set<v1::CaseState> TargetsOf(v1::CaseState from, v1::CaseAction action) {
  std::set<v1::CaseState> to;
  for (const Transition& row : Transitions()) {
    if (row.from == from && row.action == action) to.insert(row.to);
  }
  return to;
}

// The office the table's role names for this case; for an action that is
// not legal in the state, the role of the action's first row. Falls back to
// the holder where the role's office is not known yet (e.g. no handler).
std::string ActorFor(v1::CaseState state, v1::CaseAction action,
                     const v1::RoutingCaseRecord& record,
                     const FakeOffices& offices) {
  const Transition* row = FindTransition(state, action);
  Role role = Role::kHolder;
  if (row != nullptr) {
    role = row->role;
  } else {
    for (const Transition& r : Transitions()) {
      if (r.action == action) {
        role = r.role;
        break;
      }
    }
  }
  std::string actor;
  switch (role) {
    case Role::kRouting:
      actor = kRoutingActor;
      break;
    case Role::kHolder:
      actor = record.view().office_code();
      break;
    case Role::kHandler:
      actor = record.handler_office_code();
      break;
    case Role::kReviewOffice:
    case Role::kRereviewOffice: {
      const std::string& by = role == Role::kReviewOffice
                                  ? record.handler_office_code()
                                  : record.reviewer_office_code();
      absl::StatusOr<OfficeRef> reviewer = offices.ReviewOfficeOf(by);
      if (reviewer.ok()) actor = reviewer->code;
      break;
    }
    case Role::kSupervisor:
      actor = kCityBureau;
      break;
    case Role::kSupervised:
      actor = kCountyHousing;  // the target of Walked()'s supervision
      break;
    case Role::kGovernmentOver:
      actor = kProvinceGov;  // over every holder of the walk
      break;
    case Role::kFollowUpBureau:
      actor = kCountyBureau;  // the registering (and sending) bureau
      break;
    case Role::kSuperiorOrgan:
      actor = kCityBureau;  // 提级: the city bureau over the county's organ
      break;
    case Role::kRegisteringBureau:
      actor = record.view().decision().registering_office_code();
      break;
  }
  if (actor.empty()) actor = record.view().office_code();
  if (actor.empty()) actor = kCountyBureau;
  return actor;
}

TEST(TransitionsTest, WholeTableAcceptsExactlyTheListedPairs) {
  CaseBuilder builder;
  const absl::Time start = China(2026, 3, 2, 9);
  int accepted = 0;
  for (v1::CaseState state : AllStates()) {
    for (v1::CaseAction action : AllActions()) {
      SCOPED_TRACE(
          absl::StrCat(StateName(state), " --", ActionName(action), "-->"));
      // REPORT_RESULT is owed only by an assigned case; CLOSE must not have
      // one outstanding. Either way the state is the same.
      BuildOptions options;
      if (action == v1::CASE_ACTION_REPORT_RESULT) options.path = Path::kAssign;
      // CLOSE after a decision needs its receipt recorded (送达, Arts.
      // 35-36: the windows count from it).
      if (action == v1::CASE_ACTION_CLOSE) options.served = true;
      absl::StatusOr<Built> built = builder.InState(state, start, options);
      ASSERT_TRUE(built.ok()) << built.status();
      ASSERT_EQ(built->record.view().state(), state);
      // In every window: an hour later, or for CLOSE after the 30-day
      // review and re-review windows (Arts. 35, 36).
      const absl::Time now =
          built->last + (action == v1::CASE_ACTION_CLOSE ? absl::Hours(24 * 70)
                                                         : absl::Hours(1));
      if (action == v1::CASE_ACTION_REPLY_SUPERVISION &&
          state != v1::CASE_STATE_RECEIVED) {
        // Something to answer (in a final state Supervise starts nothing).
        ASSERT_TRUE(builder.lifecycle()
                        .Supervise(Walked(), now - absl::Minutes(30),
                                   now - absl::Minutes(30), built->record)
                        .ok());
      }
      if (action == v1::CASE_ACTION_RECOMMEND &&
          state != v1::CASE_STATE_RECEIVED) {
        // A 督办 whose 30-day reply (2005 Art. 36) passed unanswered: the
        // city bureau may follow it (DOMAIN.md Supervision). In a final
        // state Supervise starts no reply, so a 督办 recorded before the
        // case closed, and answered, stands in.
        v1::SupervisionIssued walked = Walked();
        if (IsFinal(state)) {
          v1::CaseSupervision* cs =
              built->record.mutable_view()->add_supervisions();
          *cs->mutable_issued() = walked;
          *cs->mutable_issued_at() = time::ToProto(built->last);
          *cs->mutable_replied_at() = time::ToProto(built->last);
        } else {
          ASSERT_TRUE(builder.lifecycle()
                          .Supervise(walked, now - absl::Hours(24 * 40),
                                     now - absl::Minutes(30), built->record)
                          .ok());
        }
      }
      const v1::RoutingCaseRecord before = built->record;
      absl::StatusOr<v1::CaseEvent> event;
      if (action == v1::CASE_ACTION_SUPERVISE) {
        event =
            builder.lifecycle().Supervise(Walked(), now, now, built->record);
      } else if (action == v1::CASE_ACTION_REGISTER) {
        event = builder.lifecycle().Register(Petition(now),
                                             Decision(v1::DISPOSITION_TRANSFER),
                                             now, built->record);
      } else if (action == v1::CASE_ACTION_LINK_REPEAT) {
        event = builder.lifecycle().LinkRepeat("QY-2026-000099", now,
                                               built->record);
      } else {
        const std::string actor =
            ActorFor(state, action, built->record, builder.offices());
        Command cmd = ValidCommand(action, actor, now);
        // Issue 15 item 2: EVALUATED's EVALUATE row is the petitioner's own
        // rating over an office-entered one (an office never rates twice).
        if (state == v1::CASE_STATE_EVALUATED &&
            action == v1::CASE_ACTION_EVALUATE) {
          cmd.by_petitioner = true;
          cmd.operator_name = "petitioner";
        }
        event = builder.lifecycle().Apply(cmd, built->record);
      }
      const std::set<v1::CaseState> targets = TargetsOf(state, action);
      if (targets.empty()) {
        EXPECT_EQ(event.status().code(), absl::StatusCode::kFailedPrecondition)
            << event.status();
        EXPECT_THAT(std::string(event.status().message()),
                    ::testing::HasSubstr(std::string(RuleOf(action))));
        EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
        continue;
      }
      ASSERT_TRUE(event.ok()) << event.status();
      ++accepted;
      EXPECT_EQ(event->action(), action);
      EXPECT_EQ(event->from_state(), state);
      EXPECT_EQ(targets.count(event->to_state()), 1u);
      EXPECT_EQ(built->record.view().state(), event->to_state());
      EXPECT_EQ(event->holder_office_code(),
                built->record.view().office_code());
    }
  }
  std::set<std::pair<v1::CaseState, v1::CaseAction>> listed;
  for (const Transition& row : Transitions())
    listed.insert({row.from, row.action});
  EXPECT_EQ(accepted, static_cast<int>(listed.size()));
}

TEST(TransitionsTest, TableIsTheLifeCycleOfTheIssue) {
  // Written out independently of transitions.cc, from DOMAIN.md "Routing"
  // and "Deadlines" (Arts. 22-23, 31, 34-36), so the walk above cannot pass
  // on a table that lost or gained a row.
  using S = v1::CaseState;
  using A = v1::CaseAction;
  using Row = std::tuple<S, A, S, Role>;
  const S kReceived = v1::CASE_STATE_RECEIVED, kReg = v1::CASE_STATE_REGISTERED,
          kTr = v1::CASE_STATE_TRANSFERRED, kAs = v1::CASE_STATE_ASSIGNED,
          kAcc = v1::CASE_STATE_ACCEPTED, kNa = v1::CASE_STATE_NOT_ACCEPTED,
          kExt = v1::CASE_STATE_EXTENDED, kRep = v1::CASE_STATE_REPLIED,
          kEva = v1::CASE_STATE_EVALUATED,
          kRvq = v1::CASE_STATE_REVIEW_REQUESTED,
          kRvd = v1::CASE_STATE_REVIEWED,
          kRrq = v1::CASE_STATE_REREVIEW_REQUESTED,
          kHear = v1::CASE_STATE_HEARING, kTerm = v1::CASE_STATE_TERMINATED,
          kClosed = v1::CASE_STATE_CLOSED, kLinked = v1::CASE_STATE_LINKED;
  const Role kH = Role::kHolder;
  std::set<Row> want = {
      {kReceived, v1::CASE_ACTION_REGISTER, kReg, Role::kRouting},
      {kReceived, v1::CASE_ACTION_REGISTER, kNa, Role::kRouting},
      {kReceived, v1::CASE_ACTION_REGISTER, kLinked, Role::kRouting},
      {kReg, v1::CASE_ACTION_TRANSFER, kTr, kH},
      {kReg, v1::CASE_ACTION_ASSIGN, kAs, kH},
      {kTr, v1::CASE_ACTION_OBJECT, kReg, kH},
      {kAs, v1::CASE_ACTION_OBJECT, kReg, kH},
      {kTr, v1::CASE_ACTION_ACCEPT, kAcc, kH},
      {kAs, v1::CASE_ACTION_ACCEPT, kAcc, kH},
      {kTr, v1::CASE_ACTION_DECLINE, kNa, kH},
      {kAs, v1::CASE_ACTION_DECLINE, kNa, kH},
      {kAcc, v1::CASE_ACTION_EXTEND, kExt, kH},
      {kAcc, v1::CASE_ACTION_REPLY, kRep, kH},
      {kExt, v1::CASE_ACTION_REPLY, kRep, kH},
      {kRep, v1::CASE_ACTION_EVALUATE, kEva, kH},
      // Issue 15 item 2: the petitioner's own rating replaces an
      // office-entered one.
      {kEva, v1::CASE_ACTION_EVALUATE, kEva, kH},
      {kRep, v1::CASE_ACTION_REQUEST_REVIEW, kRvq, Role::kReviewOffice},
      {kEva, v1::CASE_ACTION_REQUEST_REVIEW, kRvq, Role::kReviewOffice},
      {kRvq, v1::CASE_ACTION_DECIDE_REVIEW, kRvd, kH},
      {kRvd, v1::CASE_ACTION_REQUEST_REREVIEW, kRrq, Role::kRereviewOffice},
      {kRrq, v1::CASE_ACTION_START_HEARING, kHear, kH},
      {kHear, v1::CASE_ACTION_END_HEARING, kRrq, kH},
      {kRrq, v1::CASE_ACTION_DECIDE_REREVIEW, kTerm, kH},
      {kTerm, v1::CASE_ACTION_CLOSE, kClosed, kH},
      {kNa, v1::CASE_ACTION_CLOSE, kClosed, kH},
      {kRep, v1::CASE_ACTION_CLOSE, kClosed, kH},
      {kEva, v1::CASE_ACTION_CLOSE, kClosed, kH},
      {kRvd, v1::CASE_ACTION_CLOSE, kClosed, kH},
  };
  // 送达 of the opinion and of the review decision (Arts. 35-36).
  for (S s : {kRep, kEva, kRvd}) {
    want.insert({s, v1::CASE_ACTION_SERVE, s, kH});
  }
  // 办结报告 by the handler, from its opinion on.
  for (S s : {kRep, kEva, kRvq, kRvd, kRrq, kHear, kTerm}) {
    want.insert({s, v1::CASE_ACTION_REPORT_RESULT, s, Role::kHandler});
  }
  // 重复信访 on every open case.
  for (S s :
       {kReg, kTr, kAs, kAcc, kExt, kRep, kEva, kRvq, kRvd, kRrq, kHear}) {
    want.insert({s, v1::CASE_ACTION_LINK_REPEAT, s, Role::kRouting});
  }
  // 督办 (DOMAIN.md "Supervision") recorded in every state a case can be
  // in; the reply (DOMAIN.md "Deadlines": 30 days, 2005 Art. 36) in every
  // state but the final ones, where no reply deadline runs.
  for (S s : {kReg, kTr, kAs, kAcc, kNa, kExt, kRep, kEva, kRvq, kRvd, kRrq,
              kHear, kTerm, kClosed, kLinked}) {
    want.insert({s, v1::CASE_ACTION_SUPERVISE, s, Role::kSupervisor});
    if (s != kClosed && s != kLinked) {
      want.insert({s, v1::CASE_ACTION_REPLY_SUPERVISION, s, Role::kSupervised});
    }
  }
  // 改进工作建议 / 追责建议 (issue 18 item 4; DOMAIN.md Supervision, 2005
  // Arts. 36, 38) by the issuer of a 督办, in every state but LINKED.
  for (S s : {kReg, kTr, kAs, kAcc, kNa, kExt, kRep, kEva, kRvq, kRvd, kRrq,
              kHear, kTerm, kClosed}) {
    want.insert({s, v1::CASE_ACTION_RECOMMEND, s, Role::kSupervisor});
  }
  // 提级办理 (issue 18 item 5) while an organ handles the case, by a
  // superior bureau or government; 更正登记 (issue 18 item 6, Arts. 22-23)
  // before acceptance, by the registering bureau, re-registered or not
  // accepted as the rules decide the corrected matter.
  for (S s : {kTr, kAs, kAcc, kExt}) {
    want.insert({s, v1::CASE_ACTION_ESCALATE, s, Role::kSuperiorOrgan});
  }
  for (S s : {kReg, kTr, kAs}) {
    want.insert({s, v1::CASE_ACTION_CORRECT, kReg, Role::kRegisteringBureau});
    want.insert({s, v1::CASE_ACTION_CORRECT, kNa, Role::kRegisteringBureau});
  }
  // 领导包案 (issue 18 item 2) on every open case, by a government over
  // the holder; 回访 (issue 18 item 7) from the 处理意见 on, by the
  // registering or sending bureau.
  for (S s :
       {kReg, kTr, kAs, kAcc, kExt, kRep, kEva, kRvq, kRvd, kRrq, kHear}) {
    want.insert({s, v1::CASE_ACTION_TAKE_CHARGE, s, Role::kGovernmentOver});
  }
  for (S s : {kRep, kEva, kRvq, kRvd, kRrq, kHear, kTerm, kClosed}) {
    want.insert({s, v1::CASE_ACTION_FOLLOW_UP, s, Role::kFollowUpBureau});
  }
  std::set<Row> got;
  for (const Transition& row : Transitions()) {
    EXPECT_TRUE(got.insert({row.from, row.action, row.to, row.role}).second)
        << "duplicate row " << StateName(row.from) << " "
        << ActionName(row.action);
  }
  for (const Row& row : want) {
    EXPECT_EQ(got.count(row), 1u) << "missing " << StateName(std::get<0>(row))
                                  << " --" << ActionName(std::get<1>(row))
                                  << "--> " << StateName(std::get<2>(row));
  }
  for (const Row& row : got) {
    EXPECT_EQ(want.count(row), 1u)
        << "unexpected " << StateName(std::get<0>(row)) << " --"
        << ActionName(std::get<1>(row)) << "--> "
        << StateName(std::get<2>(row));
  }
}

TEST(TransitionsTest, EveryActionHasARowAndEveryRowCitesItsRule) {
  for (v1::CaseAction action : AllActions()) {
    EXPECT_FALSE(RuleOf(action).empty()) << ActionName(action);
  }
  for (const Transition& row : Transitions()) {
    const std::string rule = row.rule;
    EXPECT_TRUE(absl::StartsWith(rule, "Art") ||
                absl::StartsWith(rule, "DOMAIN.md"))
        << rule;
  }
}

TEST(TransitionsTest, OnlyRegisterAndCorrectHaveSeveralRowsFromOneState) {
  std::set<std::pair<v1::CaseState, v1::CaseAction>> seen;
  for (const Transition& row : Transitions()) {
    const bool fresh = seen.insert({row.from, row.action}).second;
    // Routing's decision picks the row of REGISTER and of CORRECT (issue
    // 18 item 6: the corrected matter is routed again by the rules).
    if (row.action != v1::CASE_ACTION_REGISTER &&
        row.action != v1::CASE_ACTION_CORRECT) {
      EXPECT_TRUE(fresh) << StateName(row.from) << " "
                         << ActionName(row.action);
    }
  }
}

TEST(TransitionsTest, OnlyClosedAndLinkedAreFinal) {
  for (v1::CaseState state : AllStates()) {
    bool has_exit = false;
    for (const Transition& row : Transitions()) {
      has_exit |= row.from == state && row.to != state;
    }
    const bool final_state =
        state == v1::CASE_STATE_CLOSED || state == v1::CASE_STATE_LINKED;
    EXPECT_EQ(has_exit, !final_state) << StateName(state);
  }
}

TEST(TransitionsTest, SelfTransitionsAreTheActionsThatChangeNoState) {
  for (const Transition& row : Transitions()) {
    if (row.from != row.to) continue;
    EXPECT_TRUE(row.action == v1::CASE_ACTION_REPORT_RESULT ||
                row.action == v1::CASE_ACTION_LINK_REPEAT ||
                row.action == v1::CASE_ACTION_SUPERVISE ||
                row.action == v1::CASE_ACTION_REPLY_SUPERVISION ||
                row.action == v1::CASE_ACTION_SERVE ||
                // Issue 18 item 4: a recommendation changes no state.
                row.action == v1::CASE_ACTION_RECOMMEND ||
                // Issue 18 items 2 and 7: 领导包案 and 回访 change none.
                row.action == v1::CASE_ACTION_TAKE_CHARGE ||
                row.action == v1::CASE_ACTION_FOLLOW_UP ||
                // Issue 18 item 5: 提级 changes the holder, not the state;
                // item 6: a registered case corrected is registered anew.
                row.action == v1::CASE_ACTION_ESCALATE ||
                (row.action == v1::CASE_ACTION_CORRECT &&
                 row.from == v1::CASE_STATE_REGISTERED) ||
                // Issue 15 item 2: the petitioner's own rating replaces an
                // office-entered one; the case stays rated (EVALUATED).
                (row.action == v1::CASE_ACTION_EVALUATE &&
                 row.from == v1::CASE_STATE_EVALUATED))
        << StateName(row.from) << " " << ActionName(row.action);
  }
  // And those never change it.
  for (const Transition& row : Transitions()) {
    if (row.action == v1::CASE_ACTION_SUPERVISE ||
        row.action == v1::CASE_ACTION_REPLY_SUPERVISION) {
      EXPECT_EQ(row.from, row.to) << StateName(row.from);
    }
  }
}

TEST(TransitionsTest, IsFinalExactlyForClosedAndLinked) {
  for (v1::CaseState state : AllStates()) {
    EXPECT_EQ(IsFinal(state),
              state == v1::CASE_STATE_CLOSED || state == v1::CASE_STATE_LINKED)
        << StateName(state);
  }
}

TEST(TransitionsTest, ExtendIsLegalOnlyFromAcceptedSoOnlyOnce) {
  // Art. 34: extension once. EXTENDED has no EXTEND row and nothing leads
  // back to ACCEPTED.
  EXPECT_NE(FindTransition(v1::CASE_STATE_ACCEPTED, v1::CASE_ACTION_EXTEND),
            nullptr);
  EXPECT_EQ(FindTransition(v1::CASE_STATE_EXTENDED, v1::CASE_ACTION_EXTEND),
            nullptr);
  for (const Transition& row : Transitions()) {
    if (row.to == v1::CASE_STATE_ACCEPTED && row.from != row.to) {
      EXPECT_EQ(row.action, v1::CASE_ACTION_ACCEPT);
    }
  }
}

TEST(TransitionsTest, NamesDropTheEnumPrefix) {
  EXPECT_EQ(StateName(v1::CASE_STATE_REREVIEW_REQUESTED), "REREVIEW_REQUESTED");
  EXPECT_EQ(ActionName(v1::CASE_ACTION_START_HEARING), "START_HEARING");
  EXPECT_EQ(StateName(static_cast<v1::CaseState>(999)), "?");
  EXPECT_EQ(RoleName(Role::kRereviewOffice), "re-review office");
  EXPECT_EQ(RoleName(Role::kSupervised), "supervised office");
}

}  // namespace
}  // namespace caserelay::lifecycle::testing
