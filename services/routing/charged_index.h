// routing's index of 领导包案 (issue 18 item 2): which cases the leaders of
// a people's government took in charge, for ListChargedCases.
//
// Column family "charged": the leader's office "\0" (UINT64_MAX - micros
// since, 8 bytes big-endian: newest first) "\0" case id -> LeaderInCharge.
// An entry is written in the same WriteBatch as the TAKE_CHARGE that sets
// view.leader_in_charge (CaseStore::Append) and never removed: a case
// stays in its leader's list, with its state, after it closes.
//
// Thread safety: holds no state of its own; reads go to the Store
// (thread-safe), writes into the caller's WriteBatch.

#ifndef CASERELAY_SERVICES_ROUTING_CHARGED_INDEX_H_
#define CASERELAY_SERVICES_ROUTING_CHARGED_INDEX_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/store/store.h"

namespace caserelay::routing {

inline constexpr char kCharged[] = "charged";

class ChargedIndex {
 public:
  struct Entry {
    std::string case_id;
    caserelay::v1::LeaderInCharge leader;
  };
  struct Page {
    std::vector<Entry> entries;
    std::string next_page_token;  // empty on the last page
  };

  // `store` is not owned and outlives the index.
  explicit ChargedIndex(store::Store* store) : store_(store) {}

  // The key of case `case_id`'s entry under `leader` (its office_code and
  // since): what a list is ordered by.
  static std::string KeyOf(const caserelay::v1::LeaderInCharge& leader,
                           const std::string& case_id);

  // Writes the entry of `after` into `batch` when its case gains a leader
  // in charge (`before` null or without one); nothing otherwise.
  static void Update(store::WriteBatch& batch,
                     const caserelay::v1::RoutingCaseRecord* before,
                     const caserelay::v1::RoutingCaseRecord& after);

  // One page of `office_code`'s entries, newest first; only the leader
  // `leader_name`'s when it is not empty. REQUIRES: page_size >= 1.
  // INVALID_ARGUMENT for a page token that is not one of this office's
  // list; UNAVAILABLE from the store, DATA_LOSS for an entry that does not
  // parse.
  absl::StatusOr<Page> List(const std::string& office_code,
                            const std::string& leader_name, int page_size,
                            const std::string& page_token) const;

  // Every entry of `office_code`, newest first (the quarter's counts).
  // Errors as List().
  absl::StatusOr<std::vector<Entry>> All(const std::string& office_code) const;

 private:
  store::Store* const store_;  // not owned
};

}  // namespace caserelay::routing

#endif  // CASERELAY_SERVICES_ROUTING_CHARGED_INDEX_H_
