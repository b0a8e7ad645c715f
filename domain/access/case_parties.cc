#include "domain/access/case_parties.h"

#include <algorithm>

namespace caserelay::access {

void UpdateParties(const caserelay::v1::CaseEvent& e, uint64_t sequence,
                   caserelay::v1::CaseParties* kept) {
  if (sequence == 1 && !kept->registered()) {
    *kept->mutable_accused_office_codes() = e.accused_office_codes();
    kept->set_registered(true);
  }
  const std::string& holder = e.holder_office_code();
  if (holder.empty() || holder == kept->holder_office_code()) return;
  const std::string& before = kept->holder_office_code();
  const auto& past = kept->past_holder_office_codes();
  if (!before.empty() &&
      std::find(past.begin(), past.end(), before) == past.end()) {
    kept->add_past_holder_office_codes(before);
  }
  kept->set_holder_office_code(holder);
}

CaseParties FromKept(const std::string& case_id,
                     const caserelay::v1::CaseParties& kept) {
  CaseParties p;
  p.case_id = case_id;
  if (!kept.holder_office_code().empty()) {
    p.acting_offices.push_back(kept.holder_office_code());
  }
  p.past_holders.assign(kept.past_holder_office_codes().begin(),
                        kept.past_holder_office_codes().end());
  if (kept.registered()) {
    p.accused.emplace(kept.accused_office_codes().begin(),
                      kept.accused_office_codes().end());
  }
  return p;
}

}  // namespace caserelay::access
