// CheckMatterBounds: every field of a Matter has a size bound and every
// list an item bound (issue 22 item 1: "bounds on every field of every
// request (counts ..., not only lengths)").

#include "domain/petition/matter_bounds.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace caserelay::petition {
namespace {

using caserelay::v1::Matter;

Matter Valid() {
  Matter m;
  m.set_region_code("140431");
  m.set_category("labour");
  m.set_title("拖欠工资");
  m.set_text("某公司拖欠工资三个月。");
  m.add_accused_offices("140431:housing");
  m.add_other_regions("140402");
  m.add_other_categories("housing");
  m.set_lodged_with("140431:bureau");
  return m;
}

std::string Chars(int n, const std::string& one = "信") {
  std::string s;
  for (int i = 0; i < n; ++i) s += one;
  return s;
}

struct Row {
  const char* rule;
  const char* path;  // the message starts with it
  std::function<void(Matter&, int)> grow;  // to `n` items or characters
  int limit;  // at the default MatterBounds
};

TEST(MatterBoundsTest, EachFieldIsRefusedJustOverItsBoundAndTakenAtIt) {
  const std::vector<Row> rows = {
      {"issue 22.1: accused_offices is a list of office codes, at most "
       "max_list_items (20)",
       "matter.accused_offices",
       [](Matter& m, int n) {
         m.clear_accused_offices();
         for (int i = 0; i < n; ++i) m.add_accused_offices("140431:housing");
       },
       20},
      {"issue 22.1: other_regions (三跨) at most max_list_items (20)",
       "matter.other_regions",
       [](Matter& m, int n) {
         m.clear_other_regions();
         for (int i = 0; i < n; ++i) m.add_other_regions("140402");
       },
       20},
      {"issue 22.1: other_categories at most max_list_items (20); the "
       "reproduction sent 120,000",
       "matter.other_categories",
       [](Matter& m, int n) {
         m.clear_other_categories();
         for (int i = 0; i < n; ++i) m.add_other_categories("housing");
       },
       20},
      {"an office code is at most 64 characters", "matter.accused_offices[0]",
       [](Matter& m, int n) { m.set_accused_offices(0, Chars(n, "a")); }, 64},
      {"a region code is at most 12 digits (GB/T 2260 + township)",
       "matter.other_regions[0]",
       [](Matter& m, int n) { m.set_other_regions(0, Chars(n, "1")); }, 12},
      {"a category code is at most 64 characters",
       "matter.other_categories[0]",
       [](Matter& m, int n) { m.set_other_categories(0, Chars(n, "a")); }, 64},
      {"lodged_with is an office code: at most 64 characters",
       "matter.lodged_with",
       [](Matter& m, int n) { m.set_lodged_with(Chars(n, "a")); }, 64},
      {"region_code at most 12 characters", "matter.region_code",
       [](Matter& m, int n) { m.set_region_code(Chars(n, "1")); }, 12},
      {"category at most 64 characters", "matter.category",
       [](Matter& m, int n) { m.set_category(Chars(n, "a")); }, 64},
      {"title at most 200 characters (intake Limits)", "matter.title",
       [](Matter& m, int n) { m.set_title(Chars(n)); }, 200},
      {"accused is a name: at most 100 characters", "matter.accused",
       [](Matter& m, int n) { m.set_accused(Chars(n)); }, 100},
      {"text at most 10000 characters (intake.max_text_chars)", "matter.text",
       [](Matter& m, int n) { m.set_text(Chars(n)); }, 10000},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    Matter at = Valid();
    row.grow(at, row.limit);
    EXPECT_TRUE(CheckMatterBounds(at, MatterBounds()).ok());
    Matter over = Valid();
    row.grow(over, row.limit + 1);
    absl::Status s = CheckMatterBounds(over, MatterBounds());
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(s.message(), std::string(row.path) + ": "))
        << s.message();
  }
}

TEST(MatterBoundsTest, MessagesSayInChineseWhatIsAllowedAndWhatCame) {
  Matter m = Valid();
  for (int i = 0; i < 120000; ++i) m.add_other_categories("c");
  absl::Status s = CheckMatterBounds(m, MatterBounds());
  EXPECT_EQ(s.message(), "matter.other_categories: 最多 20 项，收到 120001 项");
}

TEST(MatterBoundsTest, TheConfiguredListBoundIsTheOneApplied) {
  // intake.max_list_items is configuration.
  Matter m = Valid();
  m.add_other_regions("140403");
  MatterBounds bounds;
  bounds.max_list_items = 1;
  EXPECT_EQ(CheckMatterBounds(m, bounds).code(),
            absl::StatusCode::kInvalidArgument);
  bounds.max_list_items = 2;
  EXPECT_TRUE(CheckMatterBounds(m, bounds).ok());
}

TEST(MatterBoundsTest, CountsCodePointsAndBytesOfInvalidUtf8) {
  EXPECT_EQ(CountCodePoints("信访abc"), 5u);
  EXPECT_EQ(CountCodePoints("\xF0\x9F\x98\x80"), 1u);
  // Stray continuation bytes count as bytes: they cannot slip past a bound.
  EXPECT_EQ(CountCodePoints("\x80\x80\x80"), 3u);
  EXPECT_EQ(CountCodePoints("\xE4\xBF"), 2u);  // a cut-off character
}

}  // namespace
}  // namespace caserelay::petition
