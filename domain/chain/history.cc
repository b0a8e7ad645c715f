#include "domain/chain/history.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/digest/digest.h"

namespace caserelay::chain {

HistoryCheck CheckHistory(const caserelay::v1::CaseDetail& detail) {
  HistoryCheck result;
  std::vector<std::string> events(detail.events().begin(),
                                  detail.events().end());
  result.events = events.size();
  if (!events.empty())
    result.head_hex = absl::BytesToHexString(digest::Sha256(events.back()));
  result.verdict = Verify(detail.view().case_id(), events, "");
  if (!result.verdict.intact) return result;
  const uint64_t version = detail.view().version();
  if (version != events.size()) {
    result.verdict.intact = false;
    result.verdict.altered_sequence =
        version > events.size() ? events.size() + 1 : 0;
    result.verdict.reason = absl::StrCat(
        "the case is at version ", version, " but its history has ",
        events.size(), events.size() == 1 ? " event" : " events");
  }
  return result;
}

}  // namespace caserelay::chain
