// The petitioner's actions (petitioner.h): the table's rows and the
// petitioner's window, with reasons in plain Chinese.
#include "domain/lifecycle/petitioner.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/time/china_time.h"
#include "domain/lifecycle/internal.h"
#include "domain/lifecycle/lifecycle.h"
#include "domain/lifecycle/transitions.h"

namespace caserelay::lifecycle {
namespace {

using internal::FromProto;

// The window rule of the action (README "Service"): the window of the
// request it belongs to — the opinion's (REQUEST_REVIEW) for a rating and
// a 复查 request, the review decision's (REQUEST_REREVIEW) for a 复核
// request.
v1::CaseAction WindowOf(v1::CaseAction action) {
  return action == v1::CASE_ACTION_REQUEST_REREVIEW
             ? v1::CASE_ACTION_REQUEST_REREVIEW
             : v1::CASE_ACTION_REQUEST_REVIEW;
}

// What the petitioner asks for, in words: "评价", "申请复查", "申请复核".
const char* Verb(v1::CaseAction action) {
  switch (action) {
    case v1::CASE_ACTION_EVALUATE:
      return "评价";
    case v1::CASE_ACTION_REQUEST_REVIEW:
      return "申请复查";
    default:
      return "申请复核";
  }
}

// Why the action is not open at this stage (the table has no row from the
// state), for the petitioner.
std::string NotAtThisStage(v1::CaseAction action, v1::CaseState state) {
  switch (state) {
    case v1::CASE_STATE_NOT_ACCEPTED:
    case v1::CASE_STATE_CLOSED:
    case v1::CASE_STATE_TERMINATED:
    case v1::CASE_STATE_LINKED:
      return absl::StrCat("本事项已不予受理、办结或终结，不能再", Verb(action),
                          "。");
    case v1::CASE_STATE_REVIEW_REQUESTED:
    case v1::CASE_STATE_REREVIEW_REQUESTED:
    case v1::CASE_STATE_HEARING:
      return absl::StrCat("本事项正在复查或复核中，现在不能", Verb(action),
                          "。");
    case v1::CASE_STATE_REVIEWED:
      if (action == v1::CASE_ACTION_EVALUATE) {
        return "复查意见已出具，处理意见的评价期已结束。";
      }
      if (action == v1::CASE_ACTION_REQUEST_REVIEW) {
        return "复查意见已出具；如不服，可以申请复核。";
      }
      break;
    default:
      break;
  }
  return action == v1::CASE_ACTION_REQUEST_REREVIEW
             ? "复查意见出具后，才能申请复核。"
             : absl::StrCat("处理意见出具后，才能", Verb(action), "。");
}

// Why the window ended, naming its days (Arts. 35-36).
std::string WindowEnded(v1::CaseAction action,
                        const v1::PetitionerWindow& window) {
  const std::string received =
      ChineseDay(time::ChinaDay(FromProto(window.service().received_on())));
  const std::string last = ChineseDay(
      time::ChinaDay(FromProto(window.ends_at()) - absl::Nanoseconds(1)));
  if (action == v1::CASE_ACTION_REQUEST_REREVIEW) {
    return absl::StrCat("申请复核的期限已过：复查意见于", received,
                        "送达，应自收到之日起30日内申请复核（《信访工作条例》"
                        "第三十六条），期限已于",
                        last, "届满。");
  }
  if (action == v1::CASE_ACTION_REQUEST_REVIEW) {
    return absl::StrCat("申请复查的期限已过：处理意见于", received,
                        "送达，应自收到之日起30日内申请复查（《信访工作条例》"
                        "第三十五条），期限已于",
                        last, "届满。");
  }
  return absl::StrCat("评价期限已过：处理意见于", received,
                      "送达，评价期限与申请复查的期限相同，已于", last,
                      "届满。");
}

// EVALUATE from EVALUATED when the rating there is the petitioner's own:
// they rate once (the table's row is for an office-entered rating).
bool RatedByThePetitioner(v1::CaseAction action, const v1::CaseView& view) {
  return action == v1::CASE_ACTION_EVALUATE &&
         view.state() == v1::CASE_STATE_EVALUATED && view.rated_by_petitioner();
}

// The end of the action's window, if the case has it and it is known.
std::optional<absl::Time> WindowEnd(v1::CaseAction action,
                                    const v1::CaseView& view) {
  const v1::PetitionerWindow& window = view.window();
  if (window.request() != WindowOf(action) || !window.has_ends_at()) {
    return std::nullopt;
  }
  return FromProto(window.ends_at());
}

constexpr v1::CaseAction kPetitionerActions[] = {
    v1::CASE_ACTION_EVALUATE, v1::CASE_ACTION_REQUEST_REVIEW,
    v1::CASE_ACTION_REQUEST_REREVIEW};

}  // namespace

std::string StateText(v1::CaseState state) {
  switch (state) {
    case v1::CASE_STATE_RECEIVED:
      return "已收到，等待登记";
    case v1::CASE_STATE_REGISTERED:
      return "已登记，等待转送";
    case v1::CASE_STATE_TRANSFERRED:
      return "已转送，等待受理";
    case v1::CASE_STATE_ASSIGNED:
      return "已交办，等待受理";
    case v1::CASE_STATE_ACCEPTED:
      return "已受理，正在办理";
    case v1::CASE_STATE_NOT_ACCEPTED:
      return "不予受理";
    case v1::CASE_STATE_EXTENDED:
      return "已延期，正在办理";
    case v1::CASE_STATE_REPLIED:
      return "已出具处理意见";
    case v1::CASE_STATE_EVALUATED:
      return "已出具处理意见，已评价";
    case v1::CASE_STATE_REVIEW_REQUESTED:
      return "复查中";
    case v1::CASE_STATE_REVIEWED:
      return "已出具复查意见";
    case v1::CASE_STATE_REREVIEW_REQUESTED:
      return "复核中";
    case v1::CASE_STATE_HEARING:
      return "复核中（听证）";
    case v1::CASE_STATE_TERMINATED:
      return "已出具复核意见，信访事项终结";
    case v1::CASE_STATE_CLOSED:
      return "已办结";
    case v1::CASE_STATE_LINKED:
      return "已与同一事项合并办理";
    default:
      return "";
  }
}

v1::PetitionerAction PetitionerActionOf(v1::CaseAction action) {
  switch (action) {
    case v1::CASE_ACTION_EVALUATE:
      return v1::PETITIONER_ACTION_RATE;
    case v1::CASE_ACTION_REQUEST_REVIEW:
      return v1::PETITIONER_ACTION_REQUEST_REVIEW;
    case v1::CASE_ACTION_REQUEST_REREVIEW:
      return v1::PETITIONER_ACTION_REQUEST_REREVIEW;
    default:
      return v1::PETITIONER_ACTION_UNSPECIFIED;
  }
}

std::string SatisfactionText(v1::Satisfaction satisfaction) {
  switch (satisfaction) {
    case v1::SATISFACTION_SATISFIED:
      return "满意";
    case v1::SATISFACTION_BASICALLY:
      return "基本满意";
    case v1::SATISFACTION_DISSATISFIED:
      return "不满意";
    default:
      return "";
  }
}

std::string ChineseDay(absl::CivilDay day) {
  return absl::StrCat(day.year(), "年", day.month(), "月", day.day(), "日");
}

absl::StatusOr<PetitionerOption> Lifecycle::PetitionerMay(
    v1::CaseAction action, const v1::RoutingCaseRecord& record,
    absl::Time now) const {
  PetitionerOption option;
  option.action = PetitionerActionOf(action);
  option.case_action = action;
  if (option.action == v1::PETITIONER_ACTION_UNSPECIFIED) {
    return absl::PermissionDeniedError(
        absl::StrCat("a petitioner may not take ", ActionName(action),
                     " (only EVALUATE, REQUEST_REVIEW, REQUEST_REREVIEW)"));
  }
  const v1::CaseView& view = record.view();
  if (FindTransition(view.state(), action) == nullptr) {
    return absl::FailedPreconditionError(NotAtThisStage(action, view.state()));
  }
  if (RatedByThePetitioner(action, view)) {
    return absl::FailedPreconditionError(
        "您已对处理意见作过评价，不能重复评价。");
  }
  if (std::optional<absl::Time> end = WindowEnd(action, view)) {
    if (now >= *end) {
      return absl::FailedPreconditionError(WindowEnded(action, view.window()));
    }
    option.until = *end;
  }
  if (action != v1::CASE_ACTION_EVALUATE) {
    const std::string& decider = action == v1::CASE_ACTION_REQUEST_REVIEW
                                     ? record.handler_office_code()
                                     : record.reviewer_office_code();
    absl::StatusOr<std::vector<ReviewOrgan>> organs =
        offices_->ReviewOrgansOf(decider);
    if (absl::IsNotFound(organs.status()) || (organs.ok() && organs->empty())) {
      return absl::FailedPreconditionError(
          absl::StrCat("本事项没有可受理", Verb(action),
                       "的上一级机关，请向原办理机关咨询。"));
    }
    if (!organs.ok()) return organs.status();
    option.organs = *std::move(organs);
  }
  return option;
}

absl::StatusOr<std::vector<PetitionerOption>> Lifecycle::PetitionerOptions(
    const v1::RoutingCaseRecord& record, absl::Time now) const {
  std::vector<PetitionerOption> options;
  for (v1::CaseAction action : kPetitionerActions) {
    absl::StatusOr<PetitionerOption> option =
        PetitionerMay(action, record, now);
    if (option.ok()) {
      options.push_back(*std::move(option));
    } else if (!absl::IsFailedPrecondition(option.status())) {
      return option.status();
    }
  }
  return options;
}

std::vector<PetitionerClosedOption> Lifecycle::PetitionerClosed(
    const v1::RoutingCaseRecord& record, absl::Time now) const {
  std::vector<PetitionerClosedOption> closed;
  const v1::CaseView& view = record.view();
  for (v1::CaseAction action : kPetitionerActions) {
    if (FindTransition(view.state(), action) == nullptr ||
        RatedByThePetitioner(action, view)) {
      continue;
    }
    std::optional<absl::Time> end = WindowEnd(action, view);
    if (!end.has_value() || now < *end) continue;
    closed.push_back(
        {PetitionerActionOf(action), WindowEnded(action, view.window()), *end});
  }
  return closed;
}

absl::StatusOr<Command> Lifecycle::PetitionerCommand(
    const Command& cmd, const v1::RoutingCaseRecord& record) const {
  absl::StatusOr<PetitionerOption> option =
      PetitionerMay(cmd.action, record, cmd.now);
  if (!option.ok()) return option.status();
  Command out = cmd;
  if (cmd.action == v1::CASE_ACTION_EVALUATE) {
    out.actor_office_code = record.view().office_code();
    return out;
  }
  if (cmd.target_office_code.empty()) {
    out.actor_office_code = option->organs.front().office.code;
    return out;
  }
  for (const ReviewOrgan& organ : option->organs) {
    if (organ.office.code == cmd.target_office_code) {
      out.actor_office_code = organ.office.code;
      return out;
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("office_code: '", cmd.target_office_code.substr(0, 64),
                   "' is not an organ that may review this decision"));
}

}  // namespace caserelay::lifecycle
