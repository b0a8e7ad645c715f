// 领导包案 (TAKE_CHARGE) and 回访 (FOLLOW_UP), issue 18 items 2 and 7: the
// effects of the two leaders'-work actions (internal.h). The table's rows
// (transitions.cc) say in which states and by whom; Lifecycle::Apply has
// checked both before. Neither changes the state, the holder or a
// deadline.

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "domain/lifecycle/internal.h"

namespace caserelay::lifecycle::internal {
namespace {

bool Blank(const std::string& text) {
  return absl::StripAsciiWhitespace(text).empty();
}

}  // namespace

absl::Status TakeCharge(Step& s) {
  if (Blank(s.cmd.leader_name)) {
    return Missing(s, "leader_name", "the leader's name (包案领导)");
  }
  if (Blank(s.cmd.leader_title)) {
    return Missing(s, "leader_title", "the leader's title, e.g. 副县长");
  }
  v1::CaseView& view = *s.record.mutable_view();
  if (view.has_leader_in_charge()) {
    const v1::LeaderInCharge& now_in = view.leader_in_charge();
    return Broken(
        s, absl::StrCat(
               "a leader is in charge already: ", now_in.leader_title(), " of ",
               now_in.office_name().empty() ? now_in.office_code()
                                            : now_in.office_name(),
               " since ",
               absl::FormatCivilTime(time::ChinaDay(FromProto(now_in.since())))));
  }
  v1::LeaderInCharge leader;
  leader.set_leader_name(
      std::string(absl::StripAsciiWhitespace(s.cmd.leader_name)));
  leader.set_leader_title(
      std::string(absl::StripAsciiWhitespace(s.cmd.leader_title)));
  leader.set_office_code(s.actor.code);
  leader.set_office_name(s.actor.name);
  *leader.mutable_since() = ToProto(s.cmd.now);
  *view.mutable_leader_in_charge() = leader;
  *s.event.mutable_leader_in_charge() = leader;
  return absl::OkStatus();
}

absl::Status FollowUp(Step& s) {
  if (s.cmd.follow_up_method == v1::FOLLOW_UP_METHOD_UNSPECIFIED ||
      !v1::FollowUpMethod_IsValid(s.cmd.follow_up_method)) {
    return Missing(s, "follow_up.method", "电话回访 phone / 上门回访 visit");
  }
  if (s.cmd.follow_up_view == v1::FOLLOW_UP_VIEW_UNSPECIFIED ||
      !v1::FollowUpView_IsValid(s.cmd.follow_up_view)) {
    return Missing(s, "follow_up.view", "认同/基本认同/不认同");
  }
  // A case closed without an opinion (not accepted, 不予受理) had no 处理意见
  // to follow up: the CLOSED row is for replied cases only.
  if (s.record.handler_office_code().empty() || !s.record.has_replied_at()) {
    return Broken(s, "the case was closed without a 处理意见; there is "
                     "nothing to follow up");
  }
  const absl::Time contacted = s.cmd.contacted_at == absl::InfinitePast()
                                   ? s.cmd.now
                                   : s.cmd.contacted_at;
  if (contacted == absl::InfiniteFuture() || contacted > s.cmd.now) {
    return absl::InvalidArgumentError(absl::StrCat(
        "follow_up.contacted_at: ", FormatChinaTime(contacted),
        " is after now (", FormatChinaTime(s.cmd.now), ")"));
  }
  const absl::Time replied = FromProto(s.record.replied_at());
  if (contacted < replied) {
    return Broken(s, absl::StrCat("the contact (", FormatChinaTime(contacted),
                                  ") is before the 处理意见 (",
                                  FormatChinaTime(replied), ")"));
  }
  v1::FollowUp follow_up;
  follow_up.set_method(s.cmd.follow_up_method);
  follow_up.set_view(s.cmd.follow_up_view);
  *follow_up.mutable_contacted_at() = ToProto(contacted);
  follow_up.set_office_code(s.actor.code);
  follow_up.set_office_name(s.actor.name);
  *s.record.mutable_view()->add_follow_ups() = follow_up;
  *s.event.mutable_follow_up() = follow_up;
  return absl::OkStatus();
}

}  // namespace caserelay::lifecycle::internal
