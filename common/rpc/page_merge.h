// Merging the pages of a scattered list query (scatter.h; issue 19 item 4):
// each instance answered one page of its own rows in the list's order (a
// key per row: what the list is sorted by and what its page token
// continues after), at most `limit` rows after the caller's token, and
// whether it has more. The merged page is what one instance holding every
// partition would have answered: the rows of all pages in key order, at
// most `limit`, and a token that continues after the last row the merge
// can vouch for.
//
// Why a page may end early: an instance that has more rows than it gave
// (more_after set) gave everything up to more_after and nothing past it, so
// only rows up to the smallest such bound are known to be complete across
// instances. The merged page keeps those (at most `limit`), and continues
// after the last kept row, or after the bound when fewer than `limit` rows
// precede it (a short page with a token is then not the last page). With
// every instance answering `limit` rows after the same token, the
// instance with the smallest bound gave `limit` rows below it, so in
// practice pages are full.
//
// Thread safety: stateless.

#ifndef CASERELAY_COMMON_RPC_PAGE_MERGE_H_
#define CASERELAY_COMMON_RPC_PAGE_MERGE_H_

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace caserelay::rpc {

template <typename Row>
struct KeyedPage {
  // Ascending by key.
  std::vector<std::pair<std::string, Row>> rows;
  // Set when the instance has rows after this key that it did not give
  // (its next_page_token's key); every row of its up to this key is in
  // `rows`.
  std::optional<std::string> more_after;
};

template <typename Row>
struct MergedPage {
  std::vector<Row> rows;  // ascending by key, at most the limit
  // The key the next page continues after; empty on the last page.
  std::string next_after;
};

// The merged page of `pages` (above). Rows with equal keys are one row
// (the first page's). REQUIRES: limit >= 1; keys are non-empty.
template <typename Row>
MergedPage<Row> MergePages(std::vector<KeyedPage<Row>> pages, int limit) {
  std::optional<std::string> bound;
  for (const KeyedPage<Row>& page : pages) {
    if (page.more_after.has_value() &&
        (!bound.has_value() || *page.more_after < *bound)) {
      bound = page.more_after;
    }
  }
  std::vector<std::pair<std::string, Row>> all;
  for (KeyedPage<Row>& page : pages) {
    for (auto& row : page.rows) {
      if (bound.has_value() && row.first > *bound) continue;
      all.push_back(std::move(row));
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.first < b.first;
  });
  all.erase(std::unique(all.begin(), all.end(),
                        [](const auto& a, const auto& b) {
                          return a.first == b.first;
                        }),
            all.end());
  MergedPage<Row> merged;
  if (static_cast<int>(all.size()) > limit) {
    all.resize(limit);
    merged.next_after = all.back().first;
  } else if (bound.has_value()) {
    merged.next_after = *bound;
  }
  for (auto& row : all) merged.rows.push_back(std::move(row.second));
  return merged;
}

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_PAGE_MERGE_H_
