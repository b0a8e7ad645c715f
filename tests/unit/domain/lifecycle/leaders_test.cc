// 领导包案 (TAKE_CHARGE) and 回访 (FOLLOW_UP), issue 18 items 2 and 7: who
// may take them, in which states, what they need and what they change.
// Each row cites its rule; every refusal leaves the record as it was.

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/lifecycle.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/lifecycle/case_builder.h"

namespace caserelay::lifecycle::testing {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;

constexpr absl::StatusCode kOk = absl::StatusCode::kOk;
constexpr absl::StatusCode kDenied = absl::StatusCode::kPermissionDenied;
constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;
constexpr absl::StatusCode kRefused = absl::StatusCode::kFailedPrecondition;

struct Row {
  const char* rule;  // what the row checks, citing the rule
  v1::CaseState state;
  v1::CaseAction action;
  const char* actor;
  std::function<void(Command&)> edit;  // changes the valid command
  absl::StatusCode want;
  const char* message_has;  // on error
  v1::Disposition disposition = v1::DISPOSITION_TRANSFER;
};

// The case in row.state, then row.action by row.actor an hour later.
void Check(const Row& row) {
  SCOPED_TRACE(row.rule);
  CaseBuilder builder;
  BuildOptions options;
  options.disposition = row.disposition;
  absl::StatusOr<Built> built =
      builder.InState(row.state, China(2026, 3, 2, 9), options);
  ASSERT_TRUE(built.ok()) << built.status();
  Command cmd =
      ValidCommand(row.action, row.actor, built->last + absl::Hours(1));
  if (row.edit) row.edit(cmd);
  const v1::RoutingCaseRecord before = built->record;
  absl::StatusOr<v1::CaseEvent> event =
      builder.lifecycle().Apply(cmd, built->record);
  ASSERT_EQ(event.status().code(), row.want) << event.status();
  if (row.want != kOk) {
    EXPECT_THAT(std::string(event.status().message()),
                HasSubstr(row.message_has));
    EXPECT_TRUE(MessageDifferencer::Equals(before, built->record))
        << "the record changed on error";
    return;
  }
  // Neither action changes the state, the holder or a deadline.
  EXPECT_EQ(event->to_state(), row.state);
  EXPECT_EQ(built->record.view().office_code(), before.view().office_code());
  EXPECT_EQ(built->record.view().deadlines_size(),
            before.view().deadlines_size());
  if (row.action == v1::CASE_ACTION_TAKE_CHARGE) {
    const v1::LeaderInCharge& leader = built->record.view().leader_in_charge();
    EXPECT_EQ(leader.leader_name(), "张某某");
    EXPECT_EQ(leader.leader_title(), "副县长");
    EXPECT_EQ(leader.office_code(), row.actor);
    EXPECT_FALSE(leader.office_name().empty());
    EXPECT_EQ(time::FromProto(leader.since()), cmd.now);
    EXPECT_TRUE(MessageDifferencer::Equals(event->leader_in_charge(), leader));
  } else {
    ASSERT_EQ(built->record.view().follow_ups_size(), 1);
    const v1::FollowUp& follow_up = built->record.view().follow_ups(0);
    EXPECT_EQ(follow_up.method(), cmd.follow_up_method);
    EXPECT_EQ(follow_up.view(), cmd.follow_up_view);
    EXPECT_EQ(follow_up.office_code(), row.actor);
    EXPECT_TRUE(MessageDifferencer::Equals(event->follow_up(), follow_up));
  }
}

TEST(TakeChargeTest, AGovernmentOverTheHolderTakesChargeOfAnOpenCase) {
  const auto take = v1::CASE_ACTION_TAKE_CHARGE;
  const Row rows[] = {
      {"issue 18 item 2, 谁主管谁负责: the county government of the county "
       "人社局 holding the case",
       v1::CASE_STATE_ACCEPTED, take, kCountyGov, nullptr, kOk, ""},
      {"issue 18 item 2: a superior government (the city's) may take it",
       v1::CASE_STATE_ACCEPTED, take, kCityGov, nullptr, kOk, ""},
      {"issue 18 item 2: while the bureau still holds it (登记 to 转送)",
       v1::CASE_STATE_REGISTERED, take, kCountyGov, nullptr, kOk, ""},
      {"issue 18 item 2: until resolved: also in review (复查)",
       v1::CASE_STATE_REVIEW_REQUESTED, take, kCityGov, nullptr, kOk, ""},
      {"issue 18 item 2: a leader of a government, not of a bureau",
       v1::CASE_STATE_ACCEPTED, take, kCountyBureau, nullptr, kDenied,
       "people's government"},
      {"issue 18 item 2: the holding department itself is no government",
       v1::CASE_STATE_ACCEPTED, take, kCountyHrss, nullptr, kDenied,
       "people's government"},
      {"issue 18 item 2: the leader's name is required", v1::CASE_STATE_ACCEPTED,
       take, kCountyGov, [](Command& c) { c.leader_name = "  "; }, kInvalid,
       "leader_name"},
      {"issue 18 item 2: the leader's title is required",
       v1::CASE_STATE_ACCEPTED, take, kCountyGov,
       [](Command& c) { c.leader_title.clear(); }, kInvalid, "leader_title"},
      {"issue 18 item 2: a closed case is resolved: nothing to take charge of",
       v1::CASE_STATE_CLOSED, take, kCountyGov, nullptr, kRefused,
       kRuleTakeCharge},
      {"Arts. 23, 31: a case not accepted is no petition to take charge of",
       v1::CASE_STATE_NOT_ACCEPTED, take, kCountyGov, nullptr, kRefused,
       kRuleTakeCharge, v1::DISPOSITION_NOT_ACCEPTED},
  };
  for (const Row& row : rows) Check(row);
}

TEST(TakeChargeTest, OneLeaderAtATimeASecondIsRefusedCitingTheRule) {
  // issue 18 item 2: once per case while one is in charge — the city's
  // leader cannot take a case the county's leader has taken.
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  built = builder.Then(std::move(built), v1::CASE_ACTION_TAKE_CHARGE,
                       kCountyGov);
  ASSERT_TRUE(built.ok()) << built.status();
  const v1::RoutingCaseRecord before = built->record;
  absl::StatusOr<v1::CaseEvent> again = builder.lifecycle().Apply(
      ValidCommand(v1::CASE_ACTION_TAKE_CHARGE, kCityGov,
                   built->last + absl::Hours(1)),
      built->record);
  EXPECT_EQ(again.status().code(), kRefused);
  EXPECT_THAT(std::string(again.status().message()),
              HasSubstr(kRuleTakeCharge));
  EXPECT_THAT(std::string(again.status().message()),
              HasSubstr("沁源县人民政府"));
  EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
}

TEST(FollowUpTest, TheRegisteringBureauFollowsUpAfterTheOpinion) {
  const auto follow = v1::CASE_ACTION_FOLLOW_UP;
  const Row rows[] = {
      {"issue 18 item 7, Art. 22: the registering (and sending) bureau after "
       "the 处理意见 (Art. 34)",
       v1::CASE_STATE_REPLIED, follow, kCountyBureau, nullptr, kOk, ""},
      {"issue 18 item 7: by visit, the petitioner disagreeing (不认同)",
       v1::CASE_STATE_EVALUATED, follow, kCountyBureau,
       [](Command& c) {
         c.follow_up_method = v1::FOLLOW_UP_METHOD_VISIT;
         c.follow_up_view = v1::FOLLOW_UP_VIEW_DISAGREE;
       },
       kOk, ""},
      {"issue 18 item 7: after 信访终结 and 办结归档 too",
       v1::CASE_STATE_CLOSED, follow, kCountyBureau, nullptr, kOk, ""},
      {"issue 18 item 7: a contact earlier today, after the opinion",
       v1::CASE_STATE_REPLIED, follow, kCountyBureau,
       [](Command& c) { c.contacted_at = c.now - absl::Minutes(30); }, kOk,
       ""},
      {"Art. 34, issue 18 item 7: no 回访 before the 处理意见",
       v1::CASE_STATE_ACCEPTED, follow, kCountyBureau, nullptr, kRefused,
       kRuleFollowUp},
      {"Art. 34, issue 18 item 7: nor while extended", v1::CASE_STATE_EXTENDED,
       follow, kCountyBureau, nullptr, kRefused, kRuleFollowUp},
      {"Art. 22: the handling organ does not follow up its own opinion",
       v1::CASE_STATE_REPLIED, follow, kCountyHrss, nullptr, kDenied,
       "registering or sending bureau"},
      {"Art. 22: a bureau that neither registered nor sent the case",
       v1::CASE_STATE_REPLIED, follow, kCityBureau, nullptr, kDenied,
       kCountyBureau},
      {"issue 18 item 7: the method (phone or visit) is required",
       v1::CASE_STATE_REPLIED, follow, kCountyBureau,
       [](Command& c) {
         c.follow_up_method = v1::FOLLOW_UP_METHOD_UNSPECIFIED;
       },
       kInvalid, "follow_up.method"},
      {"issue 18 item 7: the petitioner's view is required",
       v1::CASE_STATE_REPLIED, follow, kCountyBureau,
       [](Command& c) { c.follow_up_view = v1::FOLLOW_UP_VIEW_UNSPECIFIED; },
       kInvalid, "follow_up.view"},
      {"issue 18 item 7: a contact before the opinion is no 回访 of it",
       v1::CASE_STATE_REPLIED, follow, kCountyBureau,
       [](Command& c) { c.contacted_at = c.now - absl::Hours(24 * 30); },
       kRefused, "before the 处理意见"},
      {"issue 18 item 7: a contact is recorded after it happened",
       v1::CASE_STATE_REPLIED, follow, kCountyBureau,
       [](Command& c) { c.contacted_at = c.now + absl::Hours(2); }, kInvalid,
       "follow_up.contacted_at"},
  };
  for (const Row& row : rows) Check(row);
}

TEST(TakeChargeTest, OfferedOnlyToAGovernmentOverTheHolderWhileNoneIsInCharge) {
  // issue 18 items 2 and 7: allowed_actions offer 包案 and 回访 only to the
  // offices their rows name — not to the holding department, which MayTake
  // lets try any action — and 包案 only while no leader is in charge.
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REPLIED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  const Lifecycle& l = builder.lifecycle();
  const auto take = v1::CASE_ACTION_TAKE_CHARGE;
  const auto follow = v1::CASE_ACTION_FOLLOW_UP;
  EXPECT_TRUE(l.MayOffer(kCountyGov, take, built->record).ok());
  EXPECT_EQ(l.MayOffer(kCountyHrss, take, built->record).code(), kDenied);
  EXPECT_TRUE(l.MayOffer(kCountyBureau, follow, built->record).ok());
  EXPECT_EQ(l.MayOffer(kCountyHrss, follow, built->record).code(), kDenied);
  built = builder.Then(std::move(built), take, kCountyGov);
  ASSERT_TRUE(built.ok()) << built.status();
  absl::Status again = l.MayOffer(kCityGov, take, built->record);
  EXPECT_EQ(again.code(), kRefused);
  EXPECT_THAT(std::string(again.message()), HasSubstr(kRuleTakeCharge));
}

TEST(FollowUpTest, ACaseClosedWithoutAnOpinionHasNothingToFollowUp) {
  // Arts. 23, 31 and issue 18 item 7: a case not accepted and closed never
  // had a 处理意见; CLOSED's row is for replied cases only.
  CaseBuilder builder;
  BuildOptions options;
  options.disposition = v1::DISPOSITION_NOT_ACCEPTED;
  absl::StatusOr<Built> built = builder.Then(
      builder.InState(v1::CASE_STATE_NOT_ACCEPTED, China(2026, 3, 2, 9),
                      options),
      v1::CASE_ACTION_CLOSE, kCountyBureau);
  ASSERT_TRUE(built.ok()) << built.status();
  ASSERT_EQ(built->record.view().state(), v1::CASE_STATE_CLOSED);
  const v1::RoutingCaseRecord before = built->record;
  absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Apply(
      ValidCommand(v1::CASE_ACTION_FOLLOW_UP, kCountyBureau,
                   built->last + absl::Hours(1)),
      built->record);
  EXPECT_EQ(event.status().code(), kRefused);
  EXPECT_THAT(std::string(event.status().message()),
              HasSubstr("without a 处理意见"));
  EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
}

TEST(FollowUpTest, FollowUpsRepeatAndKeepTheirOrder) {
  // issue 18 item 7: 回访 may repeat; each is kept, oldest first.
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REPLIED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  Command first = ValidCommand(v1::CASE_ACTION_FOLLOW_UP, kCountyBureau,
                               built->last + absl::Hours(1));
  first.follow_up_view = v1::FOLLOW_UP_VIEW_DISAGREE;
  ASSERT_TRUE(builder.lifecycle().Apply(first, built->record).ok());
  Command second = ValidCommand(v1::CASE_ACTION_FOLLOW_UP, kCountyBureau,
                                built->last + absl::Hours(48));
  second.follow_up_method = v1::FOLLOW_UP_METHOD_VISIT;
  ASSERT_TRUE(builder.lifecycle().Apply(second, built->record).ok());
  ASSERT_EQ(built->record.view().follow_ups_size(), 2);
  EXPECT_EQ(built->record.view().follow_ups(0).view(),
            v1::FOLLOW_UP_VIEW_DISAGREE);
  EXPECT_EQ(built->record.view().follow_ups(1).method(),
            v1::FOLLOW_UP_METHOD_VISIT);
  EXPECT_EQ(built->record.view().state(), v1::CASE_STATE_REPLIED);
}

}  // namespace
}  // namespace caserelay::lifecycle::testing
