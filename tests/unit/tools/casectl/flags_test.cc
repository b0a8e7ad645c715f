#include "tools/casectl/flags.h"

#include "gtest/gtest.h"

namespace caserelay::casectl {
namespace {

const std::vector<FlagSpec>& Spec() {
  static const auto* const kSpec = new std::vector<FlagSpec>{
      {"to", FlagKind::kValue, false, "OFFICE", ""},
      {"state", FlagKind::kValue, true, "S", ""},
      {"all", FlagKind::kBool, false, "", ""},
  };
  return *kSpec;
}

TEST(FlagsTest, ValueFlagTakesTheNextWordOrAnInlineValue) {
  auto flags = ParseFlags({"--to", "1:a", "C1"}, Spec());
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(flags->Value("to"), "1:a");
  EXPECT_EQ(flags->positional(), std::vector<std::string>{"C1"});
  flags = ParseFlags({"--to=--odd"}, Spec());
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(flags->Value("to"), "--odd");
}

TEST(FlagsTest, RepeatableFlagCollectsInOrder) {
  auto flags = ParseFlags({"--state", "a", "--state=b"}, Spec());
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(flags->Values("state"), (std::vector<std::string>{"a", "b"}));
}

TEST(FlagsTest, AbsentFlagIsEmpty) {
  auto flags = ParseFlags({}, Spec());
  ASSERT_TRUE(flags.ok());
  EXPECT_FALSE(flags->Has("to"));
  EXPECT_EQ(flags->Value("to"), "");
  EXPECT_TRUE(flags->Values("state").empty());
}

TEST(FlagsTest, BoolFlagIsSetAndMayRepeat) {
  auto flags = ParseFlags({"--all", "--all"}, Spec());
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_TRUE(flags->Has("all"));
}

TEST(FlagsTest, DoubleDashEndsFlagsAndDashIsPositional) {
  auto flags = ParseFlags({"-", "--", "--to"}, Spec());
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(flags->positional(), (std::vector<std::string>{"-", "--to"}));
  EXPECT_FALSE(flags->Has("to"));
}

TEST(FlagsTest, ErrorsNameTheFlag) {
  struct Row {
    std::vector<std::string> args;
    std::string message;
  };
  const Row rows[] = {
      {{"--bogus", "x"}, "unknown flag --bogus"},
      {{"--to"}, "--to needs OFFICE"},
      {{"--to", "--all"}, "--to needs OFFICE"},
      {{"--all=yes"}, "--all takes no value"},
      {{"--to", "a", "--to", "b"}, "--to given twice"},
  };
  for (const Row& row : rows) {
    auto flags = ParseFlags(row.args, Spec());
    EXPECT_EQ(flags.status().code(), absl::StatusCode::kInvalidArgument)
        << row.message;
    EXPECT_EQ(flags.status().message(), row.message);
  }
}

}  // namespace
}  // namespace caserelay::casectl
