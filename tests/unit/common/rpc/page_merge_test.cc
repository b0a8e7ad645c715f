// Issue 19 item 4 (the team's contract, item 5: "queries over an office or
// subtree scatter-gather to every distinct owner address and merge"):
// the pages several instances answered merge into the page one instance
// holding every partition would answer (common/rpc/page_merge.h), and the
// scatter's bookkeeping (common/rpc/scatter.h) answers whole or names the
// partitions not answered.

#include "common/rpc/page_merge.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/rpc/scatter.h"
#include "gtest/gtest.h"

namespace caserelay::rpc {
namespace {

// A page of rows whose value is their key; `more`: the source has rows
// after its last one ("" none).
KeyedPage<std::string> Page(std::vector<std::string> keys,
                            std::string more = "") {
  KeyedPage<std::string> page;
  for (auto& k : keys) page.rows.emplace_back(k, k);
  if (!more.empty()) page.more_after = std::move(more);
  return page;
}

TEST(PageMergeTest, MergesInKeyOrderWithinTheLimitAndContinuesRight) {
  struct Row {
    const char* rule;
    std::vector<KeyedPage<std::string>> pages;
    int limit;
    std::vector<std::string> rows;
    std::string next_after;
  };
  const Row rows[] = {
      {"order: rows of several owners interleave by key (the list's order)",
       {Page({"a", "d"}), Page({"b", "c", "e"})},
       10,
       {"a", "b", "c", "d", "e"},
       ""},
      {"page size: more rows than the limit keep the smallest, the token "
       "continues after the last kept",
       {Page({"a", "c", "e"}), Page({"b", "d", "f"})},
       4,
       {"a", "b", "c", "d"},
       "d"},
      {"cursor across owners: an owner with more gives nothing past its "
       "last row, so rows past it wait for the next page",
       {Page({"a", "b"}, "b"), Page({"c", "d"})},
       2,
       {"a", "b"},
       "b"},
      {"cursor across owners: the smallest bound limits the page even when "
       "fewer rows precede it than the limit (never a row skipped)",
       {Page({"a", "c"}, "c"), Page({"b", "d", "e"}, "e")},
       3,
       {"a", "b", "c"},
       "c"},
      {"a bound whose own rows were all dropped still continues after it",
       {Page({}, "c"), Page({"d"})},
       5,
       {},
       "c"},
      {"no owner has more and all fit: the last page",
       {Page({"a"}), Page({}), Page({"b"})},
       2,
       {"a", "b"},
       ""},
      {"a row given twice (a case seen by two owners mid-move) is one row",
       {Page({"a", "b"}), Page({"b", "c"})},
       10,
       {"a", "b", "c"},
       ""},
      {"one owner alone is passed through unchanged",
       {Page({"a", "b"}, "b")},
       2,
       {"a", "b"},
       "b"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.rule);
    MergedPage<std::string> merged = MergePages(r.pages, r.limit);
    EXPECT_EQ(merged.rows, r.rows);
    EXPECT_EQ(merged.next_after, r.next_after);
  }
}

// Paging through merged pages visits every row once, in order, whatever
// the limit: each owner answers the rows after the token, as a service
// does.
TEST(PageMergeTest, PagingThroughMergedPagesSeesEveryRowOnce) {
  const std::vector<std::vector<std::string>> owners = {
      {"a", "e", "f", "k"}, {"b", "c", "g"}, {"d", "h", "i", "j", "l"}};
  for (int limit = 1; limit <= 6; ++limit) {
    SCOPED_TRACE(limit);
    std::vector<std::string> seen;
    std::string after;
    for (int pages = 0; pages < 20; ++pages) {
      std::vector<KeyedPage<std::string>> answers;
      for (const auto& keys : owners) {
        std::vector<std::string> page;
        for (const auto& k : keys) {
          if (k > after) page.push_back(k);
        }
        std::string more;
        if (static_cast<int>(page.size()) > limit) {
          page.resize(limit);
          more = page.back();
        }
        answers.push_back(Page(page, more));
      }
      MergedPage<std::string> merged = MergePages(answers, limit);
      EXPECT_LE(static_cast<int>(merged.rows.size()), limit);
      seen.insert(seen.end(), merged.rows.begin(), merged.rows.end());
      if (merged.next_after.empty()) break;
      after = merged.next_after;
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "d", "e", "f",
                                              "g", "h", "i", "j", "k", "l"}));
  }
}

ShardOutcome Outcome(std::string from, std::vector<int32_t> asked,
                     std::vector<int32_t> answered,
                     grpc::Status status = grpc::Status::OK) {
  ShardOutcome o;
  o.from = std::move(from);
  o.asked = std::move(asked);
  o.answered = std::move(answered);
  o.status = std::move(status);
  return o;
}

TEST(ScatterTest, AnAnswerIsWholeOrNamesThePartitionsNotAnswered) {
  const grpc::Status slow(grpc::StatusCode::DEADLINE_EXCEEDED, "too slow");
  const grpc::Status gone(grpc::StatusCode::UNAVAILABLE, "refused");
  const grpc::Status denied(grpc::StatusCode::PERMISSION_DENIED, "nope");
  struct Row {
    const char* rule;
    std::vector<int32_t> unowned;
    std::vector<ShardOutcome> outcomes;
    absl::StatusCode code;
    std::vector<std::string> in_message;
  };
  const Row rows[] = {
      {"every partition answered once: whole",
       {},
       {Outcome("", {0, 1}, {0, 1}), Outcome("h:2", {2, 3}, {2, 3})},
       absl::StatusCode::kOk,
       {}},
      {"a partition with no owner (moving): UNAVAILABLE naming it, never a "
       "partial board",
       {3},
       {Outcome("", {0, 1}, {0, 1}), Outcome("h:2", {2}, {2})},
       absl::StatusCode::kUnavailable,
       {"partition 3 of supervision not answered", "no owner known"}},
      {"an owner that does not answer in time: its partitions named",
       {},
       {Outcome("", {0, 1}, {0, 1}), Outcome("h:2", {2, 3}, {}, slow)},
       absl::StatusCode::kUnavailable,
       {"partitions 2, 3 of supervision", "owner h:2 did not answer",
        "DEADLINE_EXCEEDED"}},
      {"a killed owner (connection refused) likewise",
       {},
       {Outcome("", {0, 1, 2}, {0, 1, 2}), Outcome("h:2", {3}, {}, gone)},
       absl::StatusCode::kUnavailable,
       {"partition 3 of", "owner h:2 did not answer: UNAVAILABLE refused"}},
      {"an owner that released a partition before answering",
       {},
       {Outcome("", {0, 1}, {0, 1}), Outcome("h:2", {2, 3}, {2})},
       absl::StatusCode::kUnavailable,
       {"partition 3 of", "owner h:2 no longer holds it"}},
      {"this instance lost one of its own meanwhile",
       {},
       {Outcome("", {0, 1}, {1}), Outcome("h:2", {2, 3}, {2, 3})},
       absl::StatusCode::kUnavailable,
       {"partition 0 of", "this instance no longer holds it"}},
      {"an owner refusing the caller: its answer, not UNAVAILABLE",
       {},
       {Outcome("", {0, 1}, {0, 1}), Outcome("h:2", {2, 3}, {}, denied)},
       absl::StatusCode::kPermissionDenied,
       {"owner h:2: nope"}},
      {"a partition answered but not asked of that owner does not count",
       {},
       {Outcome("", {0, 1, 2}, {0, 1, 2}), Outcome("h:2", {}, {3})},
       absl::StatusCode::kUnavailable,
       {"partition 3 of", "not asked of any owner"}},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.rule);
    absl::Status s = CheckCovered("supervision", 4, r.unowned, r.outcomes);
    EXPECT_EQ(s.code(), r.code) << s;
    for (const std::string& part : r.in_message) {
      EXPECT_NE(s.message().find(part), std::string::npos)
          << s.message() << " lacks " << part;
    }
  }
}

TEST(ScatterTest, PartitionsMetadataRoundTripsAndRefusesGarbage) {
  EXPECT_EQ(EncodePartitions({0, 3, 5}), "0,3,5");
  EXPECT_EQ(*ParsePartitions("5,0,3,3", 8), (std::vector<int32_t>{0, 3, 5}));
  EXPECT_TRUE(ParsePartitions("", 8)->empty());
  EXPECT_EQ(ParsePartitions("8", 8).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParsePartitions("1,x", 8).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParsePartitions("-1", 8).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caserelay::rpc
