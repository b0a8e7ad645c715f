#include "services/routing/inbox_index.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/time/timestamp.h"
#include "services/routing/case_store.h"

namespace caserelay::routing {

namespace {

using caserelay::v1::RoutingCaseRecord;
using caserelay::v1::RoutingInboxEntry;

constexpr char kSep = '\0';

std::string EncodeState(int state) {
  const auto v = static_cast<uint32_t>(state);
  return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 8), static_cast<char>(v)};
}

// The `inbox` key of `case_id` held by `office`, due at `due` (null:
// nothing due, all ones).
std::string KeyOf(std::string_view office,
                  const google::protobuf::Timestamp* due,
                  std::string_view case_id) {
  uint64_t micros = std::numeric_limits<uint64_t>::max();
  if (due != nullptr) {
    micros = static_cast<uint64_t>(
        std::max<int64_t>(0, absl::ToUnixMicros(time::FromProto(*due))));
  }
  return std::string(office) + std::string(1, kSep) +
         store::EncodeUint64(micros) + std::string(1, kSep) +
         std::string(case_id);
}

template <typename T, typename List>
bool AnyOf(const List& list, const T& value) {
  return list.empty() ||
         std::find(list.begin(), list.end(), value) != list.end();
}

// One key range of an index to read for a page: keys `head` + rest in
// [begin, end); the entry's inbox key is `prefix` + rest.
struct Range {
  const char* family;
  std::string head;
  std::string begin;
  std::string end;
  int limit = 0;  // entries to look at, 0: no bound
};

absl::StatusOr<InboxPart> ReadRange(const store::Store& store,
                                    const InboxQuery& query,
                                    const std::string& prefix,
                                    const Range& range) {
  InboxPart out;
  int looked = 0;
  absl::Status parse_error;
  const size_t max_items = static_cast<size_t>(query.page_size) + 1;
  absl::Status s = store.Scan(
      range.family, range.begin, range.end,
      [&](std::string_view key, std::string_view value) {
        RoutingInboxEntry entry;
        if (!entry.ParseFromArray(value.data(),
                                  static_cast<int>(value.size()))) {
          parse_error = absl::DataLossError(
              absl::StrCat(range.family, ": entry does not parse"));
          return false;
        }
        if (!DueBefore(query, entry.item())) {
          return false;  // ordered by due: nothing later qualifies
        }
        std::string inbox_key =
            prefix + std::string(key.substr(range.head.size()));
        if (MatchesFilters(query, entry) &&
            !(query.hidden && query.hidden(entry))) {
          out.rows.push_back({inbox_key, std::move(*entry.mutable_item())});
          if (out.rows.size() == max_items) return false;  // a page and one
        }
        if (range.limit > 0 && ++looked >= range.limit) {
          out.bound = std::move(inbox_key);
          return false;
        }
        return true;
      });
  if (!s.ok()) return s;
  if (!parse_error.ok()) return parse_error;
  return out;
}

}  // namespace

std::string InboxStateHead(std::string_view office,
                           caserelay::v1::CaseState state) {
  return std::string(office) + std::string(1, kSep) + EncodeState(state) +
         std::string(1, kSep);
}

std::string InboxStateKeyOf(std::string_view inbox_key,
                            caserelay::v1::CaseState state) {
  // The holder is the part up to the first separator (office codes hold
  // none); the state goes after it.
  const size_t holder = inbox_key.find(kSep);
  if (holder == std::string_view::npos) return std::string(inbox_key);
  return InboxStateHead(inbox_key.substr(0, holder), state) +
         std::string(inbox_key.substr(holder + 1));
}

std::string InboxKeyOf(const RoutingCaseRecord& r) {
  auto due = NextDue(r.view());
  return KeyOf(r.view().office_code(),
               due.has_value() ? &due->due_at() : nullptr, r.view().case_id());
}

std::string InboxKeyOfItem(std::string_view office,
                           const caserelay::v1::InboxItem& item) {
  return KeyOf(office, item.has_next_due() ? &item.next_due() : nullptr,
               item.case_id());
}

absl::StatusOr<InboxPart> InboxPartOfPage(const std::string& office,
                                          InboxPage page) {
  InboxPart part;
  if (!page.next_page_token.empty()) {
    const std::string prefix = office + std::string(1, kSep);
    auto resume = ResumeKey(prefix, page.next_page_token, "inbox");
    if (!resume.ok()) return resume.status();
    part.bound = resume->substr(0, resume->size() - 1);  // the token's key
  }
  for (caserelay::v1::InboxItem& item : page.items) {
    std::string key = InboxKeyOfItem(office, item);
    part.rows.push_back({std::move(key), std::move(item)});
  }
  std::sort(part.rows.begin(), part.rows.end(),
            [](const InboxPart::Row& a, const InboxPart::Row& b) {
              return a.key < b.key;
            });
  return part;
}

RoutingInboxEntry InboxEntryOf(const RoutingCaseRecord& r) {
  RoutingInboxEntry entry;
  auto& item = *entry.mutable_item();
  item.set_case_id(r.view().case_id());
  item.set_state(r.view().state());
  if (auto due = NextDue(r.view()); due.has_value()) {
    *item.mutable_next_due() = due->due_at();
    item.set_next_due_kind(due->kind());
  }
  item.set_category(r.view().matter().category());
  item.set_title(r.view().matter().title());
  item.set_version(r.view().version());
  item.set_channel(r.view().matter().channel());
  *item.mutable_received_at() = r.view().received_at();
  item.set_office_code(r.view().office_code());
  for (const auto& code : r.view().matter().accused_offices()) {
    entry.add_accused_offices(code);
  }
  entry.set_text(r.view().matter().text());
  return entry;
}

bool MatchesFilters(const InboxQuery& q, const RoutingInboxEntry& entry) {
  const auto& item = entry.item();
  if (!AnyOf(q.states, item.state())) return false;
  if (!AnyOf(q.categories, item.category())) return false;
  if (!AnyOf(q.channels, item.channel())) return false;
  if (q.received_from.has_value() || q.received_to.has_value()) {
    const absl::Time at = time::FromProto(item.received_at());
    if (q.received_from.has_value() && at < *q.received_from) return false;
    if (q.received_to.has_value() && at >= *q.received_to) return false;
  }
  for (const std::string& word : q.words) {
    if (!absl::StrContains(item.title(), word) &&
        !absl::StrContains(entry.text(), word)) {
      return false;
    }
  }
  return true;
}

bool DueBefore(const InboxQuery& q, const caserelay::v1::InboxItem& item) {
  return !q.due_before.has_value() ||
         (item.has_next_due() &&
          time::FromProto(item.next_due()) < *q.due_before);
}

void InboxIndex::Update(store::WriteBatch& batch,
                        const RoutingCaseRecord* before,
                        const RoutingCaseRecord& after) {
  if (before != nullptr) {
    const std::string old_key = InboxKeyOf(*before);
    batch.Delete(kInbox, old_key);
    batch.Delete(kInboxState, InboxStateKeyOf(old_key, before->view().state()));
  }
  const std::string key = InboxKeyOf(after);
  const std::string entry = InboxEntryOf(after).SerializeAsString();
  batch.Put(kInbox, key, entry);
  batch.Put(kInboxState, InboxStateKeyOf(key, after.view().state()), entry);
}

absl::StatusOr<InboxPage> InboxIndex::Page(const InboxQuery& query) const {
  const std::string prefix = query.office_code + std::string(1, kSep);
  absl::StatusOr<std::string> resume =
      ResumeKey(prefix, query.page_token, "inbox");
  if (!resume.ok()) return resume.status();
  // The part of the resume key after the holder: where each range starts.
  const std::string from = resume->substr(prefix.size());

  std::vector<Range> ranges;
  if (query.states.empty()) {
    ranges.push_back({kInbox, prefix, *resume,
                      query.office_code + std::string(1, kSep + 1),
                      query.scan_limit});
  } else {
    std::vector<caserelay::v1::CaseState> states = query.states;
    std::sort(states.begin(), states.end());
    states.erase(std::unique(states.begin(), states.end()), states.end());
    const int share =
        query.scan_limit <= 0
            ? 0
            : std::max(1, query.scan_limit / static_cast<int>(states.size()));
    for (caserelay::v1::CaseState state : states) {
      std::string head = InboxStateHead(query.office_code, state);
      std::string end = head;
      end.back() = kSep + 1;
      std::string begin = head + from;
      ranges.push_back({kInboxState, std::move(head), std::move(begin),
                        std::move(end), share});
    }
  }

  // Each range's first page_size + 1 matches (a page, and one more that
  // says another page follows), merged.
  std::vector<InboxPart> parts;
  for (const Range& range : ranges) {
    auto part = ReadRange(*store_, query, prefix, range);
    if (!part.ok()) return part.status();
    parts.push_back(*std::move(part));
  }
  return MergeInboxParts(std::move(parts), query.page_size);
}

InboxPage MergeInboxParts(std::vector<InboxPart> parts, int page_size) {
  std::vector<InboxPart::Row> rows;
  std::optional<std::string> bound;
  for (InboxPart& part : parts) {
    if (part.bound.has_value() &&
        (!bound.has_value() || *part.bound < *bound)) {
      bound = part.bound;
    }
    for (InboxPart::Row& row : part.rows) rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(),
            [](const InboxPart::Row& a, const InboxPart::Row& b) {
              return a.key < b.key;
            });
  std::set<std::string> listed;
  rows.erase(std::remove_if(rows.begin(), rows.end(),
                            [&](const InboxPart::Row& r) {
                              return !listed.insert(r.item.case_id()).second;
                            }),
             rows.end());
  if (bound.has_value()) {
    rows.erase(
        std::find_if(rows.begin(), rows.end(),
                     [&](const InboxPart::Row& r) { return r.key > *bound; }),
        rows.end());
  }
  InboxPage page;
  const size_t size = static_cast<size_t>(page_size);
  if (rows.size() > size) {
    page.next_page_token = PageTokenOf(rows[size - 1].key);
    rows.resize(size);
  } else if (bound.has_value()) {
    page.next_page_token = PageTokenOf(*bound);
  }
  for (InboxPart::Row& row : rows) page.items.push_back(std::move(row.item));
  return page;
}

absl::StatusOr<int64_t> InboxIndex::Backfill(store::Store& store,
                                             const BackfillOptions& options) {
  auto done = store.Get(kInboxState, kInboxStateComplete);
  if (!done.ok()) return done.status();
  if (done->has_value()) return 0;
  const auto start = std::chrono::steady_clock::now();
  auto took = [&] {
    return absl::FromChrono(std::chrono::steady_clock::now() - start);
  };
  absl::Duration reported;
  int64_t written = 0;
  std::string begin;
  const size_t chunk = static_cast<size_t>(std::max(1, options.batch_entries));
  while (true) {
    std::vector<std::pair<std::string, std::string>> entries;
    absl::Status s = store.Scan(
        kInbox, begin, "", [&](std::string_view key, std::string_view value) {
          entries.emplace_back(key, value);
          return entries.size() < chunk;
        });
    if (!s.ok()) return s;
    store::WriteBatch batch(&store);
    for (const auto& [key, value] : entries) {
      RoutingInboxEntry entry;
      if (!entry.ParseFromString(value)) {
        return absl::DataLossError(
            "inbox: an entry does not parse; the inbox_state index is not "
            "complete");
      }
      batch.Put(kInboxState, InboxStateKeyOf(key, entry.item().state()), value);
    }
    const bool last = entries.size() < chunk;
    if (last) batch.Put(kInboxState, kInboxStateComplete, "");
    if (auto committed = store.Commit(batch); !committed.ok()) {
      return committed.status();
    }
    written += static_cast<int64_t>(entries.size());
    if (last) break;
    begin = entries.back().first + std::string(1, kSep);
    if (options.progress && took() - reported >= options.progress_every) {
      reported = took();
      options.progress(written, reported, false);
    }
  }
  if (options.progress) options.progress(written, took(), true);
  return written;
}

}  // namespace caserelay::routing
