// casectl show and history say 领导包案 and 回访 (issue 18 items 2 and 7):
// the leader in charge, and each follow-up with its method and the
// petitioner's view, on the case and on its events.

#include <string>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "tools/casectl/format.h"

namespace caserelay::casectl {
namespace {

google::protobuf::Timestamp At(int y, int m, int d, int hh) {
  return time::ToProto(absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0),
                                       absl::FixedTimeZone(8 * 3600)));
}

v1::LeaderInCharge Leader() {
  v1::LeaderInCharge l;
  l.set_leader_name("王某某");
  l.set_leader_title("县长");
  l.set_office_code("140431:gov");
  l.set_office_name("沁源县人民政府");
  *l.mutable_since() = At(2026, 3, 2, 10);
  return l;
}

v1::FollowUp Contact() {
  v1::FollowUp f;
  f.set_method(v1::FOLLOW_UP_METHOD_PHONE);
  f.set_view(v1::FOLLOW_UP_VIEW_BASICALLY_AGREE);
  *f.mutable_contacted_at() = At(2026, 3, 20, 15);
  f.set_office_code("140431:bureau");
  f.set_office_name("沁源县信访局");
  return f;
}

TEST(LeadersFormatTest, TheCaseShowsItsLeaderAndFollowUpsBesideTheRating) {
  v1::CaseView v;
  v.set_case_id("C1");
  v.set_satisfaction(v1::SATISFACTION_BASICALLY);
  *v.mutable_leader_in_charge() = Leader();
  *v.add_follow_ups() = Contact();
  const std::string out = FormatView(v);
  EXPECT_TRUE(absl::StrContains(out, "县长 王某某")) << out;
  EXPECT_TRUE(absl::StrContains(out, "沁源县人民政府")) << out;
  EXPECT_TRUE(absl::StrContains(out, "2026-03-02 10:00")) << out;
  EXPECT_TRUE(absl::StrContains(out, "phone (电话回访): basically (基本认同)"))
      << out;
  // The 回访 comes after the petitioner's own rating.
  EXPECT_LT(out.find("satisfaction"), out.find("follow-up (回访)")) << out;
}

TEST(LeadersFormatTest, TheHistorySaysWhoTookChargeAndWhatTheFollowUpFound) {
  v1::Envelope env;
  env.set_case_id("C1");
  env.mutable_case_event()->set_action(v1::CASE_ACTION_TAKE_CHARGE);
  *env.mutable_case_event()->mutable_leader_in_charge() = Leader();
  std::string out = FormatEvent(env);
  EXPECT_TRUE(absl::StrContains(out, "领导包案")) << out;
  EXPECT_TRUE(absl::StrContains(out, "leader in charge (包案): 县长 王某某"))
      << out;
  env.mutable_case_event()->set_action(v1::CASE_ACTION_FOLLOW_UP);
  env.mutable_case_event()->clear_leader_in_charge();
  *env.mutable_case_event()->mutable_follow_up() = Contact();
  out = FormatEvent(env);
  EXPECT_TRUE(absl::StrContains(out, "回访")) << out;
  EXPECT_TRUE(absl::StrContains(out, "basically (基本认同), by 沁源县信访局"))
      << out;
}

}  // namespace
}  // namespace caserelay::casectl
