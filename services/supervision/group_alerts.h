// 群体访 alerts (issue 18 item 3): "a configurable size above which the
// bureau gets an alert (an aggregate alert about the matter, never a list
// of people)".
//
// Why supervision raises them: it already reads every REGISTER on
// case-events, keeps per-case state written exactly once per event (the
// sequence check), publishes the bureau's other alerts (yellow and red
// lights, 督办) on supervision-events, and serves the bureau's boards
// (灭红灯) under the subtree access rule; intake sees the petition before
// it is routed (no registering bureau yet), routing is the case's writer,
// not the bureaus' watch.
//
// The rule: a REGISTER whose head count (petition::EffectiveHeadCount of
// CaseEvent.head_count and representatives) is at least the setting
// group.alert_head_count (petition::AlertsBureau) raises one
// GroupPetitionAlert ("<case>/group-alert", envelope id
// "supervision/<case>/group-alert") to the registering bureau
// (decision.registering_office_code): head count, category, region, class
// and the time received; nothing of any person. A case's REGISTER applies
// once (sequence 1), so the alert is raised once per case.
//
// Family "group-alerts": key GroupAlertKey (newest first), value the
// GroupPetitionAlert.
//
// Thread safety: stateless functions.

#ifndef CASERELAY_SERVICES_SUPERVISION_GROUP_ALERTS_H_
#define CASERELAY_SERVICES_SUPERVISION_GROUP_ALERTS_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "domain/offices/office_directory.h"

namespace caserelay::supervision {

inline constexpr char kGroupAlerts[] = "group-alerts";

// The setting's name and default: 5 persons, the size local rules commonly
// call a 群体访 ("5人以上"); at least 2 (one person is no group).
inline constexpr char kGroupAlertHeadCountSetting[] = "group.alert_head_count";
inline constexpr char kGroupAlertHeadCountDefault[] = "5";

// The alert a case event raises: for a REGISTER of at least
// `alert_head_count` persons, its envelope on supervision-events
// (occurred_at: the event's); nullopt for any other event or a smaller
// group. The bureau's name comes from `offices` (its code if unknown).
std::optional<caserelay::v1::Envelope> GroupAlertFor(
    const caserelay::v1::Envelope& event, int alert_head_count,
    const offices::OfficeDirectory& offices);

// The "group-alerts" key of `alert`: 8 bytes that sort the newest
// received_at first, then the case id (from alert_id).
std::string GroupAlertKey(const caserelay::v1::GroupPetitionAlert& alert);

// True if `key` has the shape of a GroupAlertKey (a page token's check).
bool IsGroupAlertKey(std::string_view key);

}  // namespace caserelay::supervision

#endif  // CASERELAY_SERVICES_SUPERVISION_GROUP_ALERTS_H_
