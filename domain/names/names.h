// The domain's names for the protocol's enums: a lowercase word
// ("assigned", "admin-review"; casectl's command-line word) and the Chinese
// term of DOMAIN.md ("已交办"), as casectl prints them ("assigned
// (已交办)") and the portal offers them (services/web: the form's matter
// classes). One table per enum, covering every value the .proto declares
// (the unit test walks the enum descriptors). Pure: no I/O.
//
// Words are lowercase with hyphens. The zero value of each enum is named
// "unspecified" (StatutoryRoute and SupervisionLevel: "none") and is
// printed but, except for StatutoryRoute's "none", never parsed.
//
// Thread safety: the tables are constant; every function is thread-safe.

#ifndef CASERELAY_DOMAIN_NAMES_NAMES_H_
#define CASERELAY_DOMAIN_NAMES_NAMES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "caserelay/v1/case.pb.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/supervision.pb.h"

namespace caserelay::names {

// One row of a name table.
struct EnumName {
  int value;
  absl::string_view name;     // the word (casectl's command line)
  absl::string_view chinese;  // the term of DOMAIN.md / the .proto comment
};

// The table of each enum, in the .proto's order. The same object on every
// call.
const std::vector<EnumName>& CaseStateNames();
const std::vector<EnumName>& ChannelNames();
const std::vector<EnumName>& MatterClassNames();
const std::vector<EnumName>& OutcomeNames();
const std::vector<EnumName>& SatisfactionNames();
const std::vector<EnumName>& StatutoryRouteNames();
const std::vector<EnumName>& DispositionNames();
// Why a case is not accepted (不予受理): statutory-route, in-progress-below,
// terminated, level-skipping, out-of-scope.
const std::vector<EnumName>& RefusalGroundNames();
const std::vector<EnumName>& DeadlineKindNames();
// How a decision was served (送达): in-person, post, portal, sms.
const std::vector<EnumName>& ServiceMethodNames();
const std::vector<EnumName>& CaseActionNames();
const std::vector<EnumName>& SupervisionLevelNames();  // 督办函, 挂牌督办
const std::vector<EnumName>& DeadlineStateNames();
const std::vector<EnumName>& OfficeLevelNames();  // province ... township
// 回访 (issue 18 item 7): phone, visit; the petitioner's view: agree,
// basically, disagree (statistics' follow_ups_by_view keys).
const std::vector<EnumName>& FollowUpMethodNames();
const std::vector<EnumName>& FollowUpViewNames();
// 领导接访 (issue 18 item 1): scheduled (领导接访日), down-visit (下访),
// with-cases (带案下访).
const std::vector<EnumName>& ReceptionKindNames();

// The word for `value` in `table`, or "unknown(<value>)" for a value the
// table lacks (a newer server's).
std::string NameOf(const std::vector<EnumName>& table, int value);
// "<word> (<chinese>)", or "unknown(<value>)".
std::string LabelOf(const std::vector<EnumName>& table, int value);
// The value whose word is `name`. INVALID_ARGUMENT "must be one of a, b
// or c; got 'x'" when no parseable row has it; the zero value's word is
// refused unless `table` is StatutoryRouteNames().
absl::StatusOr<int> ValueOf(const std::vector<EnumName>& table,
                            absl::string_view name);
// "a, b or c": the parseable words of `table`, for help texts.
std::string Choices(const std::vector<EnumName>& table);

// Typed shorthands of the above.
std::string StateName(caserelay::v1::CaseState state);  // "assigned"
std::string StateLabel(caserelay::v1::CaseState state);  // "assigned (已交办)"
std::string ActionLabel(caserelay::v1::CaseAction action);  // "accept (受理)"
absl::StatusOr<caserelay::v1::CaseState> ParseState(absl::string_view name);
absl::StatusOr<caserelay::v1::Channel> ParseChannel(absl::string_view name);
absl::StatusOr<caserelay::v1::MatterClass> ParseMatterClass(
    absl::string_view name);
absl::StatusOr<caserelay::v1::Outcome> ParseOutcome(absl::string_view name);
absl::StatusOr<caserelay::v1::Satisfaction> ParseSatisfaction(
    absl::string_view name);
absl::StatusOr<caserelay::v1::StatutoryRoute> ParseStatutoryRoute(
    absl::string_view name);
absl::StatusOr<caserelay::v1::RefusalGround> ParseRefusalGround(
    absl::string_view name);
absl::StatusOr<caserelay::v1::ServiceMethod> ParseServiceMethod(
    absl::string_view name);
absl::StatusOr<caserelay::v1::OfficeLevel> ParseOfficeLevel(
    absl::string_view name);

}  // namespace caserelay::names

#endif  // CASERELAY_DOMAIN_NAMES_NAMES_H_
