// The look-up's memo of intake's answer (lookup_memo.h).
#include "services/web/lookup_memo.h"

#include <utility>

namespace caserelay::web {

void LookupMemo::Remember(const std::string& session_id,
                          const caserelay::v1::GetCaseStatusResponse& status,
                          absl::Time expires_at) {
  absl::MutexLock lock(&mu_);
  if (entries_.size() >= capacity_ && entries_.count(session_id) == 0) {
    // Full: drop the entry that expires first (the expired ones first).
    auto first = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second.expires_at < first->second.expires_at) first = it;
    }
    if (first != entries_.end()) entries_.erase(first);
  }
  if (capacity_ == 0) return;
  entries_[session_id] = Entry{status, expires_at};
}

std::optional<caserelay::v1::GetCaseStatusResponse> LookupMemo::Find(
    const std::string& session_id, const std::string& case_id,
    absl::Time now) const {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(session_id);
  if (it == entries_.end() || now >= it->second.expires_at ||
      it->second.status.case_number() != case_id) {
    return std::nullopt;
  }
  return it->second.status;
}

void LookupMemo::Forget(const std::string& session_id) {
  absl::MutexLock lock(&mu_);
  entries_.erase(session_id);
}

caserelay::v1::PetitionerView ViewFromIntake(
    const caserelay::v1::GetCaseStatusResponse& status) {
  caserelay::v1::PetitionerView view;
  view.set_case_id(status.case_number());
  view.set_state(status.state());
  view.set_state_text(status.state_text());
  view.set_office_name(status.office_name());
  *view.mutable_received_at() = status.received_at();
  return view;
}

}  // namespace caserelay::web
