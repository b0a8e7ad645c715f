// common/text/utf8.h: what protobuf accepts in a proto3 string is what
// IsValidUtf8 accepts, repairs always give valid UTF-8, cuts never split a
// code point (Issue 22 item 2).

#include "common/text/utf8.h"

#include <string>
#include <vector>

#include "caserelay/v1/notification.pb.h"
#include "gtest/gtest.h"

namespace caserelay::text {
namespace {

struct Row {
  const char* why;    // the rule the row pins
  std::string input;  // bytes
  bool valid;
  std::string repaired;  // ToValidUtf8(input)
};

const std::string kFffd = "\xEF\xBF\xBD";

std::vector<Row> Rows() {
  return {
      {"ASCII is UTF-8", "ok 200", true, "ok 200"},
      {"Chinese (3-byte forms) is UTF-8", "短信已送达", true, "短信已送达"},
      {"a 4-byte form (U+1F600) is UTF-8", "\xF0\x9F\x98\x80", true,
       "\xF0\x9F\x98\x80"},
      {"Kannel's a=%FF%FE: bytes never in UTF-8", "\xFF\xFE", false,
       kFffd + kFffd},
      {"a lone continuation byte", "a\x80z", false, "a" + kFffd + "z"},
      {"GBK 信访 (D0 C5 B7 C3) is not UTF-8", "\xD0\xC5\xB7\xC3", false,
       kFffd + "\xC5\xB7" + kFffd},
      {"a character cut at its second byte (Excerpt at byte 200)", "ab\xE4\xBF",
       false, "ab" + kFffd},
      {"overlong '/' (C0 AF) is refused", "\xC0\xAF", false, kFffd + kFffd},
      {"overlong 3-byte form (E0 80 80) is refused", "\xE0\x80\x80", false,
       kFffd + kFffd + kFffd},
      {"a surrogate (ED A0 80, U+D800) is refused", "\xED\xA0\x80", false,
       kFffd + kFffd + kFffd},
      {"above U+10FFFF (F4 90 80 80) is refused", "\xF4\x90\x80\x80", false,
       kFffd + kFffd + kFffd + kFffd},
      {"a truncated 4-byte form is one maximal subpart", "\xF0\x9F\x98z", false,
       kFffd + "z"},
  };
}

TEST(Utf8Test, ValidityAndRepairFollowTheTable) {
  for (const Row& row : Rows()) {
    SCOPED_TRACE(row.why);
    EXPECT_EQ(IsValidUtf8(row.input), row.valid);
    const std::string repaired = ToValidUtf8(row.input);
    EXPECT_EQ(repaired, row.repaired);
    EXPECT_TRUE(IsValidUtf8(repaired));
  }
}

// Our notion of valid is protobuf's: a proto3 string holding the input
// parses back exactly when IsValidUtf8 says so, and always after repair.
TEST(Utf8Test, ValidMeansProtobufParsesItBack) {
  for (const Row& row : Rows()) {
    SCOPED_TRACE(row.why);
    caserelay::v1::SmsPart part;
    part.set_detail(row.input);
    caserelay::v1::SmsPart back;
    EXPECT_EQ(back.ParseFromString(part.SerializeAsString()), row.valid);
    part.set_detail(ToValidUtf8(row.input));
    EXPECT_TRUE(back.ParseFromString(part.SerializeAsString()));
    EXPECT_EQ(back.detail(), row.repaired);
  }
}

TEST(Utf8Test, FirstInvalidUtf8GivesTheOffset) {
  EXPECT_EQ(FirstInvalidUtf8("信访\xFF"), 6u);
  EXPECT_EQ(FirstInvalidUtf8("\x80"), 0u);
  EXPECT_FALSE(FirstInvalidUtf8("信访").has_value());
}

TEST(Utf8Test, CutNeverSplitsACodePoint) {
  // "信访" is 6 bytes; every limit gives a valid prefix of whole characters.
  const std::string s = "a信访\xF0\x9F\x98\x80";  // 1 + 6 + 4 bytes
  const std::vector<std::pair<size_t, std::string>> rows = {
      {0, ""},      {1, "a"},      {2, "a"},   {3, "a"},
      {4, "a信"},   {5, "a信"},    {6, "a信"}, {7, "a信访"},
      {8, "a信访"}, {10, "a信访"}, {11, s},    {100, s},
  };
  for (const auto& [max, want] : rows) {
    SCOPED_TRACE(max);
    EXPECT_EQ(CutUtf8(s, max), want);
    EXPECT_TRUE(IsValidUtf8(CutUtf8(s, max)));
  }
}

TEST(Utf8Test, ValidExcerptRepairsThenCutsWithinTheLimit) {
  // Kannel's error body cut at 200 bytes (kannel_gateway.cc Excerpt): a
  // Chinese body must not be split in a character.
  std::string body;
  for (int i = 0; i < 100; ++i) body += "错";  // 300 bytes
  const std::string excerpt = ValidExcerpt(body, 200);
  EXPECT_EQ(excerpt.size(), 198u + 3u);  // 66 whole characters and "..."
  EXPECT_TRUE(IsValidUtf8(excerpt));
  EXPECT_EQ(excerpt.substr(excerpt.size() - 3), "...");
  EXPECT_EQ(ValidExcerpt("short\xFF", 200), "short" + kFffd);
}

TEST(Utf8Test, CheckUtf8NamesWhereAndTheByte) {
  EXPECT_TRUE(CheckUtf8("沁源县", "offices.tsv:3").ok());
  absl::Status s = CheckUtf8("\xC7\xDF\xD4\xB4", "offices.tsv:3");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "offices.tsv:3: not valid UTF-8 at byte 1");
}

TEST(Utf8Test, CheckUtf8LinesNamesTheFileLineAndByte) {
  // Loaders refuse a file in GBK with the file and line (issue 22 item 2).
  EXPECT_TRUE(CheckUtf8Lines("# 注释\n140431\t沁源县\n", "r.tsv").ok());
  absl::Status s = CheckUtf8Lines("# ok\n140431\t\xC7\xDF\xD4\xB4\n", "r.tsv");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "r.tsv:2: not valid UTF-8 at byte 8 (the file must be UTF-8, not "
            "e.g. GBK)");
  EXPECT_EQ(CheckUtf8Lines("\xFF", "x").message(),
            "x:1: not valid UTF-8 at byte 1 (the file must be UTF-8, not e.g. "
            "GBK)");
}

}  // namespace
}  // namespace caserelay::text
