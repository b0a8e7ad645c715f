#include "services/supervision/group_alerts.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/time/timestamp.h"
#include "domain/petition/group_petition.h"
#include "services/supervision/keys.h"

namespace caserelay::supervision {
namespace {

constexpr char kAlertSuffix[] = "/group-alert";

}  // namespace

std::optional<caserelay::v1::Envelope> GroupAlertFor(
    const caserelay::v1::Envelope& event, int alert_head_count,
    const offices::OfficeDirectory& offices) {
  const caserelay::v1::CaseEvent& e = event.case_event();
  if (e.action() != caserelay::v1::CASE_ACTION_REGISTER) return std::nullopt;
  const int head_count =
      petition::EffectiveHeadCount(e.head_count(), e.representatives());
  if (!petition::AlertsBureau(head_count, alert_head_count)) {
    return std::nullopt;
  }
  const std::string& bureau = e.decision().registering_office_code();
  caserelay::v1::Envelope out;
  out.set_event_id(absl::StrCat("supervision/", event.case_id(), kAlertSuffix));
  out.set_case_id(event.case_id());
  out.set_producer("supervision");
  *out.mutable_occurred_at() = event.occurred_at();
  caserelay::v1::GroupPetitionAlert* alert =
      out.mutable_group_petition_alert();
  alert->set_alert_id(absl::StrCat(event.case_id(), kAlertSuffix));
  alert->set_office_code(bureau);
  absl::StatusOr<offices::Office> office = offices.Find(bureau);
  alert->set_office_name(office.ok() ? office->name : bureau);
  alert->set_head_count(head_count);
  alert->set_category(e.category());
  alert->set_region_code(e.region_code());
  alert->set_matter_class(e.matter_class());
  *alert->mutable_received_at() =
      e.has_received_at() ? e.received_at() : event.occurred_at();
  return out;
}

std::string GroupAlertKey(const caserelay::v1::GroupPetitionAlert& alert) {
  std::string key = TimeBytes(time::FromProto(alert.received_at()));
  for (char& c : key) c = static_cast<char>(~static_cast<unsigned char>(c));
  absl::string_view id = alert.alert_id();
  if (absl::EndsWith(id, kAlertSuffix)) {
    id.remove_suffix(sizeof(kAlertSuffix) - 1);
  }
  return absl::StrCat(key, id);
}

bool IsGroupAlertKey(std::string_view key) { return key.size() > 8; }

}  // namespace caserelay::supervision
