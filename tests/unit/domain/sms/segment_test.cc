#include "domain/sms/segment.h"

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::sms {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

constexpr char kRule[] =
    "DOMAIN.md Notifying the petitioner: Chinese SMS are UCS-2, 70 characters "
    "in one message, 67 per part";

// Repeats `unit` (one UTF-8 character) n times.
std::string Repeat(const std::string& unit, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += unit;
  return out;
}

const std::string kHan = "信";                  // U+4FE1, one UTF-16 unit
const std::string kEmoji = "\xF0\x9F\x98\x80";  // U+1F600, a surrogate pair

SegmentOptions Cap(int max_parts) {
  SegmentOptions options;
  options.max_parts = max_parts;
  return options;
}

bool IsHighSurrogate(char16_t u) { return u >= 0xD800 && u <= 0xDBFF; }

struct SegmentCase {
  std::string name;
  std::string text;
  std::vector<size_t> part_units;  // expected size of each part
  std::string rule;
};

void PrintTo(const SegmentCase& c, std::ostream* os) { *os << c.name; }

class SegmentTableTest : public ::testing::TestWithParam<SegmentCase> {};

TEST_P(SegmentTableTest, SplitsAtUcs2Boundaries) {
  const SegmentCase& c = GetParam();
  absl::StatusOr<std::vector<std::u16string>> parts =
      SegmentUcs2(c.text, SegmentOptions{});
  ASSERT_TRUE(parts.ok()) << c.rule << ": " << parts.status();
  std::vector<size_t> sizes;
  std::u16string joined;
  for (const std::u16string& part : *parts) {
    sizes.push_back(part.size());
    joined += part;
    EXPECT_FALSE(IsHighSurrogate(part.back()))
        << c.rule << ": a part ends inside a surrogate pair";
  }
  EXPECT_THAT(sizes, ElementsAreArray(c.part_units)) << c.rule;
  EXPECT_EQ(Utf16ToUtf8(joined), c.text) << "parts must rejoin to the text";
}

INSTANTIATE_TEST_SUITE_P(
    Boundaries, SegmentTableTest,
    ::testing::Values(
        SegmentCase{"Han1", kHan, {1}, kRule},
        SegmentCase{"Han70", Repeat(kHan, 70), {70}, kRule},
        SegmentCase{"Han71", Repeat(kHan, 71), {67, 4}, kRule},
        SegmentCase{"Han134", Repeat(kHan, 134), {67, 67}, kRule},
        SegmentCase{"Han135", Repeat(kHan, 135), {67, 67, 1}, kRule},
        SegmentCase{"Han201", Repeat(kHan, 201), {67, 67, 67}, kRule},
        SegmentCase{"Han202", Repeat(kHan, 202), {67, 67, 67, 1}, kRule},
        // Latin text is still sent as UCS-2 (one coding for every SMS), so
        // it counts the same as Chinese.
        SegmentCase{"Ascii70", Repeat("a", 70), {70}, kRule},
        SegmentCase{"Ascii71", Repeat("a", 71), {67, 4}, kRule},
        // 35 emoji are 70 UTF-16 units: one message.
        SegmentCase{"Emoji35", Repeat(kEmoji, 35), {70}, kRule},
        // 36 emoji are 72 units; 67 would end on a high surrogate, so the
        // first part stops at 66.
        SegmentCase{"Emoji36",
                    Repeat(kEmoji, 36),
                    {66, 6},
                    "issue: never splitting a surrogate pair"},
        // A pair at units 67-68 straddles the boundary and moves whole.
        SegmentCase{"EmojiAcross67",
                    Repeat(kHan, 66) + kEmoji + Repeat(kHan, 10),
                    {66, 12},
                    "issue: never splitting a surrogate pair"},
        // A pair at units 66-67 ends the first part exactly.
        SegmentCase{"EmojiEndingAt67",
                    Repeat(kHan, 65) + kEmoji + Repeat(kHan, 10),
                    {67, 10},
                    "issue: never splitting a surrogate pair"},
        // A pair at units 68-69 opens the second part.
        SegmentCase{"EmojiOpeningPart2",
                    Repeat(kHan, 67) + kEmoji + Repeat(kHan, 10),
                    {67, 12},
                    "issue: never splitting a surrogate pair"},
        // 69 Han + a pair = 71 units: a pair counts as two characters.
        SegmentCase{"EmojiMakes71", Repeat(kHan, 69) + kEmoji, {67, 4}, kRule},
        // The second boundary (unit 134) also moves a straddling pair.
        SegmentCase{"EmojiAcross134",
                    Repeat(kHan, 133) + kEmoji + Repeat(kHan, 3),
                    {67, 66, 5},
                    "issue: never splitting a surrogate pair"}),
    [](const ::testing::TestParamInfo<SegmentCase>& info) {
      return info.param.name;
    });

TEST(SegmentTest, EmptyTextIsInvalidArgument) {
  absl::StatusOr<std::vector<std::u16string>> parts =
      SegmentUcs2("", SegmentOptions{});
  EXPECT_EQ(parts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parts.status().message(), HasSubstr("empty"));
}

TEST(SegmentTest, InvalidUtf8IsInvalidArgument) {
  const std::vector<std::string> bad = {
      "\xFF",              // not a lead byte
      "\x80",              // stray continuation byte
      "\xE4\xBF",          // truncated 3-byte sequence (信 is E4 BF A1)
      "ok\xE4\x41\xA1",    // bad continuation byte
      "\xC0\xAF",          // overlong '/'
      "\xE0\x80\xAF",      // overlong '/' in three bytes
      "\xED\xA0\x80",      // encoded high surrogate (CESU-8)
      "\xF4\x90\x80\x80",  // above U+10FFFF
  };
  for (const std::string& text : bad) {
    absl::StatusOr<std::vector<std::u16string>> parts =
        SegmentUcs2(text, SegmentOptions{});
    EXPECT_EQ(parts.status().code(), absl::StatusCode::kInvalidArgument)
        << "input bytes: " << ::testing::PrintToString(text);
    EXPECT_THAT(parts.status().message(), HasSubstr("UTF-8"));
  }
}

TEST(SegmentTest, ExactlyMaxPartsIsAccepted) {
  absl::StatusOr<std::vector<std::u16string>> parts =
      SegmentUcs2(Repeat(kHan, 6 * 67), Cap(6));
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_EQ(parts->size(), 6u);
}

TEST(SegmentTest, MorePartsThanCapIsOutOfRangeNamingTheCount) {
  absl::StatusOr<std::vector<std::u16string>> parts =
      SegmentUcs2(Repeat(kHan, 6 * 67 + 1), Cap(6));
  EXPECT_EQ(parts.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(parts.status().message(), HasSubstr("7 parts"));
  EXPECT_THAT(parts.status().message(), HasSubstr("max_parts 6"));
}

TEST(SegmentTest, CapOfOneAllowsOnlyASingleMessage) {
  EXPECT_TRUE(SegmentUcs2(Repeat(kHan, 70), Cap(1)).ok());
  EXPECT_EQ(SegmentUcs2(Repeat(kHan, 71), Cap(1)).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(SegmentTest, MaxPartsOutsideOneTo255IsInvalidArgument) {
  for (int max_parts : {0, -1, 256}) {
    absl::StatusOr<std::vector<std::u16string>> parts =
        SegmentUcs2(kHan, Cap(max_parts));
    EXPECT_EQ(parts.status().code(), absl::StatusCode::kInvalidArgument)
        << max_parts;
    EXPECT_THAT(parts.status().message(), HasSubstr("max_parts"));
  }
}

TEST(SegmentTest, Utf8RoundTripsThroughUtf16) {
  const std::string text = "【信访】编号140431-20261122-000001 " + kEmoji + "é";
  absl::StatusOr<std::u16string> utf16 = Utf8ToUtf16(text);
  ASSERT_TRUE(utf16.ok()) << utf16.status();
  // 【信访】4 + 编号2 + case number 22 + space 1 + pair 2 + é 1.
  EXPECT_EQ(utf16->size(), 32u);
  EXPECT_EQ(Utf16ToUtf8(*utf16), text);
}

TEST(SegmentTest, UnpairedSurrogateBecomesReplacementCharacter) {
  EXPECT_EQ(Utf16ToUtf8(std::u16string{u'a', char16_t{0xD83D}, u'b'}),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(Utf16ToUtf8(std::u16string{char16_t{0xDE00}}), "\xEF\xBF\xBD");
}

TEST(SegmentTest, BigEndianBytesPutHighByteFirst) {
  // 信访 = U+4FE1 U+8BBF; U+1F600 = D83D DE00; 'A' = 0041.
  EXPECT_EQ(ToUcs2BigEndianBytes(u"信访"), std::string("\x4F\xE1\x8B\xBF", 4));
  EXPECT_EQ(ToUcs2BigEndianBytes(u"\U0001F600A"),
            std::string("\xD8\x3D\xDE\x00\x00\x41", 6));
  EXPECT_EQ(ToUcs2BigEndianBytes(u""), "");
}

}  // namespace
}  // namespace caserelay::sms
