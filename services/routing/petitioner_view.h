// The petitioner's view of their case (routing.proto PetitionerView; issue
// 15 item 2: the portal's look-up), built from routing's record, the case's
// history and the life cycle's offer of the petitioner's actions. Every
// text is plain Chinese for a petitioner.
//
// What it never carries (Art. 30; issue 15): an accused unit's name or the
// accusation's words (Matter.accused, accused_offices) — an office the
// caller's `office_name` refuses to name is shown as "有关机关"; an
// operator's name; an office's internal steps (办结报告 to the assigning
// bureau, 督办 and its reply); the reasons of an office's actions other
// than the written decisions, an extension (Art. 34: the reason is told to
// the petitioner) and the route of a refusal (Art. 31).
//
// Pure; thread-safe.
#ifndef CASERELAY_SERVICES_ROUTING_PETITIONER_VIEW_H_
#define CASERELAY_SERVICES_ROUTING_PETITIONER_VIEW_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "caserelay/v1/records.pb.h"
#include "caserelay/v1/routing.pb.h"
#include "domain/lifecycle/petitioner.h"

namespace caserelay::routing {

// "有关机关": an office the view may not name.
inline constexpr char kUnnamedOffice[] = "有关机关";

// The name the petitioner may read for an office code; nullopt for one the
// view must not name (an accused unit or a member of one) or an unknown
// code. Both are shown as kUnnamedOffice.
using OfficeNamer =
    std::function<std::optional<std::string>(const std::string& code)>;

// "受理告知期限" etc.; "" for a kind the petitioner is not shown
// (RESULT_REPORT, SUPERVISION_REPLY: between offices).
std::string DeadlineText(caserelay::v1::DeadlineKind kind);
// "支持", "解释说明", "不予支持".
std::string OutcomeText(caserelay::v1::Outcome outcome);

// The view of `record` with its `history` (every Envelope as stored,
// oldest first), the petitioner's `options` now and the actions whose
// window has `closed` (closed_actions, with the life cycle's reason); the
// state text is lifecycle::StateText's. DATA_LOSS if an event of the
// history does not parse.
absl::StatusOr<caserelay::v1::PetitionerView> BuildPetitionerView(
    const caserelay::v1::RoutingCaseRecord& record,
    const std::vector<std::string>& history,
    const std::vector<lifecycle::PetitionerOption>& options,
    const OfficeNamer& office_name,
    const std::vector<lifecycle::PetitionerClosedOption>& closed = {});

}  // namespace caserelay::routing

#endif  // CASERELAY_SERVICES_ROUTING_PETITIONER_VIEW_H_
