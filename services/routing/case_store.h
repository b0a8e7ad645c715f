// routing's store schema: each case, its history as a hash chain, the
// offices' inbox index and the index of matters by petitioner.
//
// Column families (all keys are raw bytes; "\0" separates parts):
//   cases    case id -> RoutingCaseRecord
//   history  case id "\0" sequence (8 bytes, big-endian) -> the Envelope
//            exactly as published; the chain hashes these bytes
//   inbox, inbox_state  the offices' inboxes (inbox_index.h)
//   matters  identity key "\0" matter key "\0" case id -> "" (repeats and
//            terminated matters of one petitioner, DOMAIN.md "Routing")
//   approvals  holder office "\0" proposed at (8 bytes, micros, big-endian)
//            "\0" case id -> ApprovalItem: the cases whose proposal waits
//            for the office head (CaseView.pending, issue 16)
//   charged  the cases leaders took in charge (领导包案), charged_index.h
//
// Thread safety: CaseStore holds no state of its own; reads go to the
// Store (thread-safe) and writes into the caller's WriteBatch.

#ifndef CASERELAY_SERVICES_ROUTING_CASE_STORE_H_
#define CASERELAY_SERVICES_ROUTING_CASE_STORE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/store/store.h"
#include "services/routing/inbox_index.h"

namespace caserelay::routing {

inline constexpr char kCases[] = "cases";
inline constexpr char kHistory[] = "history";
inline constexpr char kMatters[] = "matters";
inline constexpr char kApprovals[] = "approvals";

// Every column family of routing's store (those above, inbox_index.h's
// and charged_index.h's), for Store::Open.
std::vector<std::string> ColumnFamilies();

// The next running deadline of a case: the earliest due_at among its
// deadlines that are not paused; nullopt if none runs.
std::optional<caserelay::v1::RunningDeadline> NextDue(
    const caserelay::v1::CaseView& view);

// Reads one committed (or batched) case by id: nullopt if unknown here.
using CaseReader = std::function<
    absl::StatusOr<std::optional<caserelay::v1::RoutingCaseRecord>>(
        const std::string& case_id)>;

struct ApprovalPage {
  std::vector<caserelay::v1::ApprovalItem> items;
  std::string next_page_token;  // empty on the last page
};

// Where a paged listing of the keys under `prefix` (an office's prefix,
// ending in the separator) resumes: `prefix` itself without a token, else
// the key right after the last key of the previous page (`page_token`,
// web-safe base64 of that key, as PageTokenOf makes it). INVALID_ARGUMENT
// "page_token: not a token of this office's <what>" for any other token.
absl::StatusOr<std::string> ResumeKey(const std::string& prefix,
                                      const std::string& page_token,
                                      const std::string& what);
// The next_page_token of a page whose last key was `last_key`.
std::string PageTokenOf(const std::string& last_key);
// The key a page token of `prefix`'s list continues after (the last key of
// its page); nullopt for no token. ResumeKey's errors.
absl::StatusOr<std::optional<std::string>> TokenKey(
    const std::string& prefix, const std::string& page_token,
    const std::string& what);
// The `approvals` key of `item` in `office_code`'s queue (its proposal's
// proposed_at, its case id): the key a merged page is ordered by.
std::string ApprovalKeyOfItem(const std::string& office_code,
                              const caserelay::v1::ApprovalItem& item);

class CaseStore {
 public:
  explicit CaseStore(store::Store* store) : store_(store) {}

  // The case as committed; nullopt if unknown. UNAVAILABLE if RocksDB
  // fails, DATA_LOSS if the record does not parse.
  absl::StatusOr<std::optional<caserelay::v1::RoutingCaseRecord>> Read(
      const std::string& case_id) const;
  // As Read, through `batch` (sees what the batch wrote).
  absl::StatusOr<std::optional<caserelay::v1::RoutingCaseRecord>> Read(
      const store::WriteBatch& batch, const std::string& case_id) const;

  // Appends `event` to the case's history and writes the case after it:
  //   - sets event.sequence = after.view.version = before's version + 1
  //     (1 for a new case), event.prev_hash = before's head hash;
  //   - stores the envelope's bytes in history, after.head_hash = their
  //     hash, after.view.updated_at = event.occurred_at;
  //   - moves the case's inbox entries from before's keys to after's
  //     (InboxIndex::Update);
  //   - moves its approvals entry likewise while a proposal pends (drops
  //     it when none does);
//   - indexes a case that gains a leader in charge (ChargedIndex);
  //   - for a new case (before == nullptr) with an identity key, or a
  //     corrected matter, indexes it under its matter (IndexMatter) in
  //     `matters`: `&batch` with one store; with partitioned state the
  //     instance-local DB's batch (`matters` stays per instance, README
  //     "Routing as N instances"); null when the caller indexed it already;
  //   - queues the envelope for "case-events".
  // REQUIRES: event has event_id, case_id, occurred_at and its payload;
  // `before` is the committed or batched state of the same case.
  void Append(store::WriteBatch& batch,
              const caserelay::v1::RoutingCaseRecord* before,
              caserelay::v1::RoutingCaseRecord& after,
              caserelay::v1::Envelope& event,
              store::WriteBatch* matters) const;

  // Moves the case in the `matters` index from `before`'s matter (null: a
  // new case) to `after`'s, into `batch`; nothing for a case without an
  // identity key or whose matter did not change.
  static void IndexMatter(store::WriteBatch& batch,
                          const caserelay::v1::RoutingCaseRecord* before,
                          const caserelay::v1::RoutingCaseRecord& after);

  // Every event of the case as published, oldest first.
  absl::StatusOr<std::vector<std::string>> History(
      const std::string& case_id) const;

  // True if the committed history of the case has a SUPERVISE event of
  // `supervision_id` (the consume loop's replay check; it reads every event
  // of the case). UNAVAILABLE if RocksDB fails, DATA_LOSS if an event does
  // not parse.
  absl::StatusOr<bool> HasSupervision(const std::string& case_id,
                                      const std::string& supervision_id) const;

  // The key under which a case is indexed by matter.
  static std::string MatterIndexKey(const caserelay::v1::RoutingCaseRecord& r);

  // The cases of one petitioner's identity about one matter, by case id:
  // those this store's `matters` names and `uncommitted` (ids the caller's
  // batch indexed), each read by `read` (one it does not find is left
  // out).
  absl::StatusOr<std::vector<caserelay::v1::RoutingCaseRecord>> SameMatter(
      const CaseReader& read, const std::string& identity_key,
      const std::string& matter_key,
      const std::vector<std::string>& uncommitted) const;

  // One page of an office's inbox, ordered by next due date, then case id,
  // with InboxQuery's filters and bound (a page shorter than page_size
  // with a next_page_token: the bound was reached): InboxIndex::Page, or
  // with query.case_ids each case read by id. INVALID_ARGUMENT for a page
  // token that is not one of ours; UNAVAILABLE / DATA_LOSS from the store.
  // REQUIRES: query.page_size >= 1.
  absl::StatusOr<InboxPage> Inbox(const InboxQuery& query) const;

  // One page of the proposals waiting for `office_code`'s head, oldest
  // proposal first, then case id; `page_size` >= 1. INVALID_ARGUMENT for a
  // page token that is not one of this office's queue.
  absl::StatusOr<ApprovalPage> Approvals(const std::string& office_code,
                                         int page_size,
                                         const std::string& page_token) const;

 private:
  // Inbox() for query.case_ids: each case read by id, kept if the office
  // holds it and it passes the query; `after` is the last key of the
  // previous page ("" for the first).
  absl::StatusOr<InboxPage> InboxOfCases(const InboxQuery& query,
                                         const std::string& after) const;

  store::Store* const store_;  // not owned
};

}  // namespace caserelay::routing

#endif  // CASERELAY_SERVICES_ROUTING_CASE_STORE_H_
