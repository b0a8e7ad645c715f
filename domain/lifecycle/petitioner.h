// The petitioner's own actions on their case (issue 15 item 2: 满意度评价,
// 复查 and 复核 requests from the portal), decided by the life cycle's
// existing rules: the table's rows of EVALUATE, REQUEST_REVIEW and
// REQUEST_REREVIEW and the petitioner's window (view.window, counted from
// the receipt of the decision: Arts. 35-36, README "Service"). Nothing here
// is a second copy of a rule: an action is offered iff the table has its
// row from the case's state and the window has not ended.
//
// The rating window (评价期限) is the opinion's window: the petitioner may
// rate the 处理意见 while they may still ask for its 复查 (Art. 35's 30
// days from receipt), and once (the table: REPLIED -> EVALUATED, and
// EVALUATED -> EVALUATED over an office-entered rating: the petitioner's
// own replaces it as the source of 参评率/满意率, issue 15 item 2).
//
// Refusals are for the petitioner (the portal shows them): plain Chinese,
// FAILED_PRECONDITION, naming the window's last day where one ended.
//
// Pure; thread-safe (Lifecycle's const methods).
#ifndef CASERELAY_DOMAIN_LIFECYCLE_PETITIONER_H_
#define CASERELAY_DOMAIN_LIFECYCLE_PETITIONER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/routing.pb.h"
#include "domain/lifecycle/office_resolver.h"

namespace caserelay::lifecycle {

// One action the petitioner may take now.
struct PetitionerOption {
  caserelay::v1::PetitionerAction action =
      caserelay::v1::PETITIONER_ACTION_UNSPECIFIED;
  caserelay::v1::CaseAction case_action =
      caserelay::v1::CASE_ACTION_UNSPECIFIED;
  // The end of the window; nullopt while the receipt of the decision is
  // not recorded (the window cannot have ended, README "Service").
  std::optional<absl::Time> until;
  // REQUEST_REVIEW / REQUEST_REREVIEW: the organs the petitioner may apply
  // to (OfficeResolver::ReviewOrgansOf of the decider), never empty.
  std::vector<ReviewOrgan> organs;
};

// An action that was open and whose window has ended (issue 15 item 2:
// the page says why it is no longer offered).
struct PetitionerClosedOption {
  caserelay::v1::PetitionerAction action =
      caserelay::v1::PETITIONER_ACTION_UNSPECIFIED;
  // Why, for the petitioner: the same plain-Chinese text PetitionerMay's
  // refusal gives, naming the window's last day and its article.
  std::string reason;
  absl::Time closed_at;  // the window's end
};

// The petitioner's action for a life-cycle action: RATE for EVALUATE,
// REQUEST_REVIEW, REQUEST_REREVIEW; UNSPECIFIED for every other action
// (a petitioner takes none of them).
caserelay::v1::PetitionerAction PetitionerActionOf(
    caserelay::v1::CaseAction action);

// A case's state in plain Chinese for the petitioner ("已受理，正在办理"
// etc.; "" for UNSPECIFIED or an unknown value): the one text routing's
// PetitionerView and intake's GetCaseStatus answer both carry.
std::string StateText(caserelay::v1::CaseState state);

// "满意", "基本满意", "不满意"; "" for UNSPECIFIED or an unknown value.
std::string SatisfactionText(caserelay::v1::Satisfaction satisfaction);

// "2026年2月4日": a China day in plain Chinese.
std::string ChineseDay(absl::CivilDay day);

}  // namespace caserelay::lifecycle

#endif  // CASERELAY_DOMAIN_LIFECYCLE_PETITIONER_H_
