#include "services/routing/case_store.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/digest/digest.h"
#include "common/time/timestamp.h"
#include "services/routing/charged_index.h"

namespace caserelay::routing {

namespace {

using caserelay::v1::Envelope;
using caserelay::v1::RoutingCaseRecord;

constexpr char kSep = '\0';

std::string HistoryKey(std::string_view case_id, uint64_t sequence) {
  return absl::StrCat(std::string(case_id), std::string(1, kSep),
                      store::EncodeUint64(sequence));
}

caserelay::v1::ApprovalItem ApprovalItemOf(const RoutingCaseRecord& r) {
  caserelay::v1::ApprovalItem item;
  item.set_case_id(r.view().case_id());
  item.set_state(r.view().state());
  item.set_category(r.view().matter().category());
  item.set_title(r.view().matter().title());
  *item.mutable_proposal() = r.view().pending();
  item.set_version(r.view().version());
  return item;
}

std::string ApprovalKey(const RoutingCaseRecord& r) {
  return ApprovalKeyOfItem(r.view().office_code(), ApprovalItemOf(r));
}

std::string MatterPrefix(std::string_view identity_key,
                         std::string_view matter_key) {
  return absl::StrCat(std::string(identity_key), std::string(1, kSep),
                      std::string(matter_key), std::string(1, kSep));
}

absl::StatusOr<std::optional<RoutingCaseRecord>> ParseCase(
    absl::StatusOr<std::optional<std::string>> raw, const std::string& id) {
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<RoutingCaseRecord>();
  RoutingCaseRecord record;
  if (!record.ParseFromString(**raw)) {
    return absl::DataLossError(
        absl::StrCat("cases: record of ", id, " does not parse"));
  }
  return std::optional<RoutingCaseRecord>(std::move(record));
}

}  // namespace

std::string ApprovalKeyOfItem(const std::string& office_code,
                              const caserelay::v1::ApprovalItem& item) {
  const int64_t at =
      absl::ToUnixMicros(time::FromProto(item.proposal().proposed_at()));
  return absl::StrCat(office_code, std::string(1, kSep),
                      store::EncodeUint64(static_cast<uint64_t>(
                          std::max<int64_t>(0, at))),
                      std::string(1, kSep), item.case_id());
}

std::vector<std::string> ColumnFamilies() {
  return {kCases,   kHistory,   kInbox,  kInboxState,
          kMatters, kApprovals, kCharged};
}

std::optional<caserelay::v1::RunningDeadline> NextDue(
    const caserelay::v1::CaseView& view) {
  std::optional<caserelay::v1::RunningDeadline> best;
  for (const auto& d : view.deadlines()) {
    if (d.has_paused_at()) continue;
    if (!best.has_value() ||
        time::FromProto(d.due_at()) < time::FromProto(best->due_at())) {
      best = d;
    }
  }
  return best;
}

absl::StatusOr<std::optional<RoutingCaseRecord>> CaseStore::Read(
    const std::string& case_id) const {
  return ParseCase(store_->Get(kCases, case_id), case_id);
}

absl::StatusOr<std::optional<RoutingCaseRecord>> CaseStore::Read(
    const store::WriteBatch& batch, const std::string& case_id) const {
  return ParseCase(batch.Get(kCases, case_id), case_id);
}

void CaseStore::Append(store::WriteBatch& batch,
                       const RoutingCaseRecord* before,
                       RoutingCaseRecord& after, Envelope& event,
                       store::WriteBatch* matters) const {
  const uint64_t sequence =
      before == nullptr ? 1 : before->view().version() + 1;
  event.set_sequence(sequence);
  event.set_prev_hash(before == nullptr ? std::string() : before->head_hash());
  std::string bytes = event.SerializeAsString();

  after.mutable_view()->set_version(sequence);
  after.set_head_hash(digest::Sha256(bytes));
  *after.mutable_view()->mutable_updated_at() = event.occurred_at();

  const std::string& case_id = event.case_id();
  batch.Put(kHistory, HistoryKey(case_id, sequence), bytes);
  InboxIndex::Update(batch, before, after);
  if (before != nullptr && before->view().has_pending()) {
    batch.Delete(kApprovals, ApprovalKey(*before));
  }
  if (after.view().has_pending()) {
    batch.Put(kApprovals, ApprovalKey(after),
              ApprovalItemOf(after).SerializeAsString());
  }
  if (matters != nullptr) IndexMatter(*matters, before, after);
  ChargedIndex::Update(batch, before, after);  // 领导包案
  batch.Put(kCases, case_id, after.SerializeAsString());
  batch.AddOutbox("case-events", case_id, bytes);
}

void CaseStore::IndexMatter(store::WriteBatch& batch,
                            const RoutingCaseRecord* before,
                            const RoutingCaseRecord& after) {
  // A corrected matter (更正登记) moves the case in the matters' index.
  if (!after.identity_key().empty() &&
      (before == nullptr || before->matter_key() != after.matter_key())) {
    if (before != nullptr) batch.Delete(kMatters, MatterIndexKey(*before));
    batch.Put(kMatters, MatterIndexKey(after), "");
  }
}

std::string CaseStore::MatterIndexKey(const RoutingCaseRecord& r) {
  return MatterPrefix(r.identity_key(), r.matter_key()) + r.view().case_id();
}

absl::StatusOr<std::vector<std::string>> CaseStore::History(
    const std::string& case_id) const {
  std::vector<std::string> events;
  absl::Status s =
      store_->ScanPrefix(kHistory, case_id + std::string(1, kSep),
                         [&](std::string_view, std::string_view value) {
                           events.emplace_back(value);
                           return true;
                         });
  if (!s.ok()) return s;
  return events;
}

absl::StatusOr<bool> CaseStore::HasSupervision(
    const std::string& case_id, const std::string& supervision_id) const {
  bool found = false;
  bool corrupt = false;
  absl::Status s = store_->ScanPrefix(
      kHistory, case_id + std::string(1, kSep),
      [&](std::string_view, std::string_view value) {
        Envelope e;
        if (!e.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          corrupt = true;
          return false;
        }
        found =
            e.case_event().action() == caserelay::v1::CASE_ACTION_SUPERVISE &&
            e.case_event().supervision().supervision_id() == supervision_id;
        return !found;
      });
  if (!s.ok()) return s;
  if (corrupt) {
    return absl::DataLossError(
        absl::StrCat("routing: an event of case ", case_id, " does not parse"));
  }
  return found;
}

absl::StatusOr<std::vector<RoutingCaseRecord>> CaseStore::SameMatter(
    const CaseReader& read, const std::string& identity_key,
    const std::string& matter_key,
    const std::vector<std::string>& uncommitted) const {
  std::vector<std::string> ids = uncommitted;
  const std::string prefix = MatterPrefix(identity_key, matter_key);
  absl::Status s = store_->ScanPrefix(
      kMatters, prefix, [&](std::string_view key, std::string_view) {
        ids.emplace_back(key.substr(prefix.size()));
        return true;
      });
  if (!s.ok()) return s;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<RoutingCaseRecord> out;
  for (const auto& id : ids) {
    auto record = read(id);
    if (!record.ok()) return record.status();
    if (record->has_value()) out.push_back(**record);
  }
  return out;
}

absl::StatusOr<InboxPage> CaseStore::InboxOfCases(
    const InboxQuery& query, const std::string& after) const {
  std::vector<std::string> ids = *query.case_ids;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::pair<std::string, caserelay::v1::InboxItem>> rows;
  for (const std::string& id : ids) {
    auto record = Read(id);
    if (!record.ok()) return record.status();
    if (!record->has_value()) continue;
    const RoutingCaseRecord& r = **record;
    if (r.view().office_code() != query.office_code) continue;
    std::string key = InboxKeyOf(r);
    if (key <= after) continue;  // on an earlier page
    if (query.admit && !query.admit(r)) continue;
    caserelay::v1::RoutingInboxEntry entry = InboxEntryOf(r);
    if (!DueBefore(query, entry.item()) || !MatchesFilters(query, entry)) {
      continue;
    }
    if (query.hidden && query.hidden(entry)) continue;
    rows.emplace_back(std::move(key), std::move(*entry.mutable_item()));
  }
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  InboxPage page;
  for (auto& [key, item] : rows) {
    if (static_cast<int>(page.items.size()) == query.page_size) {
      page.next_page_token =
          absl::WebSafeBase64Escape(rows[page.items.size() - 1].first);
      break;
    }
    page.items.push_back(std::move(item));
  }
  return page;
}

absl::StatusOr<std::string> ResumeKey(const std::string& prefix,
                                      const std::string& page_token,
                                      const std::string& what) {
  if (page_token.empty()) return prefix;
  std::string last;
  if (!absl::WebSafeBase64Unescape(page_token, &last) ||
      last.rfind(prefix, 0) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_token: not a token of this office's ", what));
  }
  return last + std::string(1, kSep);  // the key right after `last`
}

absl::StatusOr<std::optional<std::string>> TokenKey(
    const std::string& prefix, const std::string& page_token,
    const std::string& what) {
  if (page_token.empty()) return std::optional<std::string>();
  absl::StatusOr<std::string> resume = ResumeKey(prefix, page_token, what);
  if (!resume.ok()) return resume.status();
  return std::optional<std::string>(resume->substr(0, resume->size() - 1));
}

std::string PageTokenOf(const std::string& last_key) {
  return absl::WebSafeBase64Escape(last_key);
}

absl::StatusOr<InboxPage> CaseStore::Inbox(const InboxQuery& query) const {
  if (!query.case_ids.has_value()) return InboxIndex(store_).Page(query);
  const std::string prefix = query.office_code + std::string(1, kSep);
  absl::StatusOr<std::string> resume =
      ResumeKey(prefix, query.page_token, "inbox");
  if (!resume.ok()) return resume.status();
  const std::string begin = *std::move(resume);
  // `begin` minus its separator is the last key of the previous page.
  return InboxOfCases(query, begin == prefix
                                 ? std::string()
                                 : begin.substr(0, begin.size() - 1));
}

absl::StatusOr<ApprovalPage> CaseStore::Approvals(
    const std::string& office_code, int page_size,
    const std::string& page_token) const {
  const std::string prefix = office_code + std::string(1, kSep);
  absl::StatusOr<std::string> resume =
      ResumeKey(prefix, page_token, "approvals");
  if (!resume.ok()) return resume.status();
  const std::string begin = *std::move(resume);
  const std::string end = office_code + std::string(1, kSep + 1);
  ApprovalPage page;
  std::string last_key;
  bool more = false;
  bool corrupt = false;
  absl::Status s = store_->Scan(
      kApprovals, begin, end,
      [&](std::string_view key, std::string_view value) {
        if (static_cast<int>(page.items.size()) == page_size) {
          more = true;
          return false;
        }
        caserelay::v1::ApprovalItem item;
        if (!item.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          corrupt = true;
          return false;
        }
        page.items.push_back(std::move(item));
        last_key = std::string(key);
        return true;
      });
  if (!s.ok()) return s;
  if (corrupt) return absl::DataLossError("approvals: entry does not parse");
  if (more) page.next_page_token = PageTokenOf(last_key);
  return page;
}

}  // namespace caserelay::routing
