#include "services/routing/office_query.h"

#include <algorithm>
#include <map>

#include "common/rpc/page_merge.h"
#include "services/routing/case_store.h"
#include "services/routing/charged_index.h"
#include "services/routing/inbox_index.h"

namespace caserelay::routing {
namespace {

std::string PrefixOf(const std::string& office) {
  return office + std::string(1, '\0');
}

// A list's rows keyed, with where it stopped (its token's key).
template <typename Row>
absl::StatusOr<rpc::KeyedPage<Row>> Keyed(
    const std::string& office, const std::string& what,
    const std::string& page_token,
    std::vector<std::pair<std::string, Row>> rows) {
  rpc::KeyedPage<Row> page;
  absl::StatusOr<std::optional<std::string>> bound =
      TokenKey(PrefixOf(office), page_token, what);
  if (!bound.ok()) return bound.status();
  page.more_after = *std::move(bound);
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.first < b.first;
  });
  page.rows = std::move(rows);
  return page;
}

}  // namespace

HeldStores HeldStores::Single(store::Store* store) {
  HeldStores held;
  held.stores_.push_back(store);
  return held;
}

HeldStores HeldStores::Lease(
    const store::PartitionedStore& partitions,
    const std::optional<std::vector<int32_t>>& wanted) {
  HeldStores held;
  for (int32_t p : wanted.has_value() ? *wanted : partitions.Held()) {
    absl::StatusOr<store::PartitionLease> lease = partitions.Lease(p);
    if (!lease.ok()) continue;  // not held (or leaving): not answered
    held.leases_.push_back(*std::move(lease));
    held.partitions_.push_back(p);
  }
  for (store::PartitionLease& lease : held.leases_) {
    held.stores_.push_back(&lease.store());
  }
  std::sort(held.partitions_.begin(), held.partitions_.end());
  return held;
}

absl::StatusOr<caserelay::v1::ListInboxResponse> MergeInboxLists(
    const std::string& office,
    std::vector<caserelay::v1::ListInboxResponse> lists, int page_size) {
  std::vector<InboxPart> parts;
  for (caserelay::v1::ListInboxResponse& list : lists) {
    InboxPage page;
    for (caserelay::v1::InboxItem& item : *list.mutable_items()) {
      page.items.push_back(std::move(item));
    }
    page.next_page_token = list.next_page_token();
    absl::StatusOr<InboxPart> part = InboxPartOfPage(office, std::move(page));
    if (!part.ok()) return part.status();
    parts.push_back(*std::move(part));
  }
  InboxPage merged = MergeInboxParts(std::move(parts), page_size);
  caserelay::v1::ListInboxResponse out;
  for (caserelay::v1::InboxItem& item : merged.items) {
    *out.add_items() = std::move(item);
  }
  out.set_next_page_token(merged.next_page_token);
  return out;
}

absl::StatusOr<caserelay::v1::ListApprovalsResponse> MergeApprovalLists(
    const std::string& office,
    std::vector<caserelay::v1::ListApprovalsResponse> lists, int page_size) {
  using Item = caserelay::v1::ApprovalItem;
  std::vector<rpc::KeyedPage<Item>> pages;
  for (caserelay::v1::ListApprovalsResponse& list : lists) {
    std::vector<std::pair<std::string, Item>> rows;
    for (Item& item : *list.mutable_items()) {
      std::string key = ApprovalKeyOfItem(office, item);
      rows.emplace_back(std::move(key), std::move(item));
    }
    auto page = Keyed(office, "approvals", list.next_page_token(),
                      std::move(rows));
    if (!page.ok()) return page.status();
    pages.push_back(*std::move(page));
  }
  rpc::MergedPage<Item> merged = rpc::MergePages(std::move(pages), page_size);
  caserelay::v1::ListApprovalsResponse out;
  for (Item& item : merged.rows) *out.add_items() = std::move(item);
  if (!merged.next_after.empty()) {
    out.set_next_page_token(PageTokenOf(merged.next_after));
  }
  return out;
}

absl::StatusOr<caserelay::v1::ListChargedCasesResponse> MergeChargedLists(
    const std::string& office,
    std::vector<caserelay::v1::ListChargedCasesResponse> lists,
    int page_size) {
  using Row = caserelay::v1::ChargedCase;
  caserelay::v1::ListChargedCasesResponse out;
  std::vector<rpc::KeyedPage<Row>> pages;
  std::map<std::string, caserelay::v1::LeaderQuota> leaders;  // by name
  for (caserelay::v1::ListChargedCasesResponse& list : lists) {
    if (out.quarter().empty() && !list.quarter().empty()) {
      out.set_quarter(list.quarter());
      *out.mutable_quarter_start() = list.quarter_start();
      *out.mutable_quarter_end() = list.quarter_end();
      out.set_quota_per_quarter(list.quota_per_quarter());
    }
    for (const caserelay::v1::LeaderQuota& row : list.leaders()) {
      auto [it, fresh] = leaders.emplace(row.leader_name(), row);
      if (!fresh) it->second.set_taken(it->second.taken() + row.taken());
    }
    std::vector<std::pair<std::string, Row>> rows;
    for (Row& row : *list.mutable_cases()) {
      std::string key = ChargedIndex::KeyOf(row.leader(), row.case_id());
      rows.emplace_back(std::move(key), std::move(row));
    }
    auto page = Keyed(office, "list of 包案", list.next_page_token(),
                      std::move(rows));
    if (!page.ok()) return page.status();
    pages.push_back(*std::move(page));
  }
  rpc::MergedPage<Row> merged = rpc::MergePages(std::move(pages), page_size);
  for (Row& row : merged.rows) *out.add_cases() = std::move(row);
  if (!merged.next_after.empty()) {
    out.set_next_page_token(PageTokenOf(merged.next_after));
  }
  for (auto& [name, row] : leaders) *out.add_leaders() = std::move(row);
  return out;
}

}  // namespace caserelay::routing
