// routing's inbox (待办): the two indexes ListInbox reads an office's
// cases from, and the query over them.
//
// Column families (keys are raw bytes; "\0" separates parts):
//   inbox        holder office "\0" next due (8 bytes, micros since the
//                epoch, big-endian; all ones when nothing is due) "\0"
//                case id -> RoutingInboxEntry
//   inbox_state  holder office "\0" state (4 bytes, big-endian) "\0" next
//                due "\0" case id -> the same RoutingInboxEntry (issue 20
//                item 4: a state filter reads only the entries of the
//                states asked for); and one key, kInboxStateComplete, once
//                the family holds every case of `inbox` (Backfill).
// InboxIndex::Update writes both in the caller's WriteBatch, so they never
// disagree in a committed state. Both order an office's cases by (next
// due, case id): the "inbox order". A page token is the `inbox` key of the
// last entry of a page (or of the last entry looked at), whichever index
// the page was read from, so a token of one query goes on in another.
//
// Thread safety: InboxIndex holds no state of its own; reads go to the
// Store (thread-safe) and writes into the caller's WriteBatch.

#ifndef CASERELAY_SERVICES_ROUTING_INBOX_INDEX_H_
#define CASERELAY_SERVICES_ROUTING_INBOX_INDEX_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/records.pb.h"
#include "caserelay/v1/routing.pb.h"
#include "common/store/store.h"

namespace caserelay::routing {

inline constexpr char kInbox[] = "inbox";
inline constexpr char kInboxState[] = "inbox_state";
// The key in kInboxState that says the family holds every case (written
// by Backfill in its last batch; sorts before every office's keys and
// lies in none of their ranges).
inline constexpr char kInboxStateComplete[] = "#complete";

// One page of an office's inbox to list (ListInbox). Every filter set
// keeps only the cases that match it, all together.
struct InboxQuery {
  std::string office_code;
  // Empty: all. Set: read from `inbox_state`, only these states' entries.
  std::vector<caserelay::v1::CaseState> states;
  std::optional<absl::Time> due_before;
  // The console's filters (issue 16), each empty or unset: any.
  std::vector<std::string> categories;
  std::vector<caserelay::v1::Channel> channels;
  std::optional<absl::Time> received_from;  // received_at >= this
  std::optional<absl::Time> received_to;    // received_at < this
  std::vector<std::string> words;           // each in the title or in the text
  // Set: only these cases of the office, read one by one by id instead of
  // scanning the index, each kept only if `admit` (when set) says so.
  std::optional<std::vector<std::string>> case_ids;
  std::function<bool(const caserelay::v1::RoutingCaseRecord&)> admit;
  // The most index entries one call looks at (0: no bound). The indexes
  // are ordered by next due (and `inbox_state` by state first), not by
  // the other filters, so a filter the entries rarely match would
  // otherwise walk the office's whole inbox: past the bound the page ends
  // early (possibly empty) with a next_page_token after the last entry
  // looked at. With `states` the bound is shared among the states.
  int scan_limit = 0;
  int page_size = 50;
  std::string page_token;  // opaque, from a previous page
  // Leave out cases that accuse this office (or one it is a member of);
  // the caller decides membership.
  std::function<bool(const caserelay::v1::RoutingInboxEntry&)> hidden;
};

struct InboxPage {
  std::vector<caserelay::v1::InboxItem> items;
  std::string next_page_token;  // empty on the last page
};

// The `inbox` key of the case as `r` leaves it.
std::string InboxKeyOf(const caserelay::v1::RoutingCaseRecord& r);
// Where the `inbox_state` keys of `office`'s cases in `state` begin:
// office "\0" state "\0" (the range ends where the last "\0" is "\1").
std::string InboxStateHead(std::string_view office,
                           caserelay::v1::CaseState state);
// The `inbox_state` key of the case whose `inbox` key is `inbox_key`, in
// `state`.
std::string InboxStateKeyOf(std::string_view inbox_key,
                            caserelay::v1::CaseState state);
// The entry both indexes hold for `r`.
caserelay::v1::RoutingInboxEntry InboxEntryOf(
    const caserelay::v1::RoutingCaseRecord& r);
// Whether `entry` passes the query's filters other than due_before (which
// a scan stops at), `hidden`, `admit` and case_ids.
bool MatchesFilters(const InboxQuery& q,
                    const caserelay::v1::RoutingInboxEntry& entry);
// Whether `item` is due before query.due_before (true when unset).
bool DueBefore(const InboxQuery& q, const caserelay::v1::InboxItem& item);

// One part of a page: the matches of one index range (one state), or of
// one instance when a query goes to several, in the inbox order, each with
// its `inbox` key; and `bound`, where the part stopped looking before its
// end (nothing after it was looked at: the scan bound, or an instance's
// next_page_token). A part without a bound read to its end or holds more
// rows than the page needs.
struct InboxPart {
  struct Row {
    std::string key;
    caserelay::v1::InboxItem item;
  };
  std::vector<Row> rows;  // ascending keys
  std::optional<std::string> bound;
};

// The `inbox` key of an item of `office`'s inbox as answered (its
// next_due, case_id): the key its entry has in the index.
std::string InboxKeyOfItem(std::string_view office,
                           const caserelay::v1::InboxItem& item);

// One instance's page of `office`'s inbox as a part of a page merged over
// several instances (routing as N instances, README "Routing as N
// instances": ListInbox asks every instance with the same query and token
// and merges): its items keyed by InboxKeyOfItem, its next_page_token as
// the bound. INVALID_ARGUMENT for a token that is not one of the office's
// inbox.
absl::StatusOr<InboxPart> InboxPartOfPage(const std::string& office,
                                          InboxPage page);

// The page the parts make together: their rows merged in key order, up to
// the earliest bound (a part may hold rows just after it that were not
// looked at), the first `page_size` of them; next_page_token the key of
// the last row when more rows are left, else the earliest bound, else
// none. A case in two parts (moved between instances while they answered)
// is listed once, at its first key. REQUIRES: page_size >= 1.
InboxPage MergeInboxParts(std::vector<InboxPart> parts, int page_size);

class InboxIndex {
 public:
  // `store` is not owned and outlives the index.
  explicit InboxIndex(const store::Store* store) : store_(store) {}

  // Moves the case's entries in both families from `before`'s keys (null
  // for a new case) to `after`'s.
  static void Update(store::WriteBatch& batch,
                     const caserelay::v1::RoutingCaseRecord* before,
                     const caserelay::v1::RoutingCaseRecord& after);

  // One page of the office's inbox in the inbox order, with the query's
  // filters and bound (query.case_ids is the caller's: ignored here;
  // REQUIRES: query.page_size >= 1). A
  // page shorter than page_size with a next_page_token: the bound was
  // reached. Without `states` it reads `inbox`; with them `inbox_state`,
  // one range per state, merged. INVALID_ARGUMENT for a page token that
  // is not one of this office's inbox; UNAVAILABLE from the store,
  // DATA_LOSS for an entry that does not parse.
  absl::StatusOr<InboxPage> Page(const InboxQuery& query) const;

  struct BackfillOptions {
    int batch_entries = 1000;  // entries per WriteBatch, >= 1
    // Called every `progress_every` and once at the end with the entries
    // written so far and the time taken.
    absl::Duration progress_every = absl::Seconds(10);
    std::function<void(int64_t entries, absl::Duration took, bool done)>
        progress;
  };
  // Makes `inbox_state` hold an entry for every entry of `inbox` (a store
  // written before the family existed), in batches of
  // options.batch_entries, the last one with kInboxStateComplete; returns
  // how many entries it wrote, 0 at once when kInboxStateComplete is
  // there. Safe to run again after a crash (it writes the same keys).
  // REQUIRES: nothing else writes the store meanwhile (routing runs it at
  // start, before its loop and its RPCs). UNAVAILABLE from the store,
  // DATA_LOSS for an entry that does not parse (nothing more written).
  static absl::StatusOr<int64_t> Backfill(store::Store& store,
                                          const BackfillOptions& options);

 private:
  const store::Store* const store_;  // not owned
};

}  // namespace caserelay::routing

#endif  // CASERELAY_SERVICES_ROUTING_INBOX_INDEX_H_
