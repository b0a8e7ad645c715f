#include "common/log/log.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::log {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

struct MaskCase {
  std::string input;
  std::string want;
  std::string why;
};

TEST(MaskPhoneTest, MasksAsDocumented) {
  const std::vector<MaskCase> cases = {
      {"13812345678", "138****5678", "mainland mobile: keep 3 + last 4"},
      {"19912345678", "199****5678", "199 segment is a mobile too"},
      {"+8613812345678", "+86138****5678", "country code kept"},
      {"8613812345678", "86138****5678", "country code without +"},
      {"010-62345678", "**********78", "landline: all but last 2"},
      {"1381234567", "********67", "10 digits is not a mobile"},
      {"1234", "****", "4 characters or fewer: masked wholly"},
      {"", "", "empty stays empty"},
      {"电话12345", "*****45", "UTF-8 code points count as one"},
  };
  for (const MaskCase& c : cases) {
    EXPECT_EQ(MaskPhone(c.input), c.want) << c.why << ": " << c.input;
  }
}

TEST(MaskIdNumberTest, KeepsRegionPrefixAndLastTwo) {
  const std::vector<MaskCase> cases = {
      {"14043119900307123X", "140431**********3X",
       "18 chars, X check digit (GB 11643)"},
      {"110105194912310021", "110105**********21", "18 digits"},
      {"11010519491231002x", "110105**********2x", "lower-case x"},
      {"110105491231002", "110105*******02", "15-digit legacy number"},
      {"1101051949", "********49", "other shape: all but last 2"},
      {"abc", "***", "short: masked wholly"},
      {"", "", "empty stays empty"},
  };
  for (const MaskCase& c : cases) {
    EXPECT_EQ(MaskIdNumber(c.input), c.want) << c.why << ": " << c.input;
  }
}

TEST(MaskNameTest, KeepsFirstCodePointOnly) {
  const std::vector<MaskCase> cases = {
      {"张三", "张*", "two-character name"},
      {"欧阳娜娜", "欧***", "compound surname: one * per character"},
      {"买买提·艾力", "买*****", "middle dot counts as a character"},
      {"Li Lei", "L*****", "ASCII: one * per byte"},
      {"王", "*", "one character: masked wholly"},
      {"", "", "empty stays empty"},
      {"\xFF\xFE", "\xFF*", "invalid UTF-8: one code point per byte"},
  };
  for (const MaskCase& c : cases) {
    EXPECT_EQ(MaskName(c.input), c.want) << c.why << ": " << c.input;
  }
}

TEST(MaskTextTest, MasksPhonesAndIdNumbersInFreeText) {
  const std::vector<MaskCase> cases = {
      {"请联系13812345678谢谢", "请联系138****5678谢谢", "mobile in Chinese"},
      {"tel 13812345678.", "tel 138****5678.", "mobile in ASCII"},
      {"+8613812345678", "+86138****5678", "with country code"},
      {"138-1234-5678", "138-****-5678", "dashed 3-4-4"},
      {"138 1234 5678", "138 **** 5678", "spaced 3-4-4"},
      {"身份证14043119900307123X。", "身份证140431**********3X。",
       "ID number with X"},
      {"id=110105194912310021", "id=110105**********21", "18-digit ID"},
      {"a 13812345678 b 13912345678", "a 138****5678 b 139****5678",
       "every match"},
  };
  for (const MaskCase& c : cases) {
    EXPECT_EQ(MaskText(c.input), c.want) << c.why << ": " << c.input;
  }
}

TEST(MaskTextTest, LeavesOtherNumbersAlone) {
  const std::vector<MaskCase> cases = {
      {"case 140431-20261122-000001", "", "case number (DOMAIN.md)"},
      {"offset 1381234567812", "", "13-digit run that is not +86"},
      {"12812345678", "", "12x is no mobile segment"},
      {"138123456789", "", "12 digits: adjacent digit"},
      {"ts 1763772139123", "", "epoch milliseconds"},
      {"1101051949123100211", "", "19 digits is no ID number"},
      {"138-1234-56789", "", "dashed but adjacent digit"},
      {"138-1234 5678", "", "mixed separators"},
      {"138****5678", "", "already masked"},
  };
  for (const MaskCase& c : cases) {
    EXPECT_EQ(MaskText(c.input), c.input) << c.why;
  }
}

TEST(MaskTextTest, IsIdempotent) {
  const std::string text =
      "13812345678 14043119900307123X 138-1234-5678 8613812345678";
  EXPECT_EQ(MaskText(MaskText(text)), MaskText(text));
}

absl::Time ExampleTime() {
  return absl::FromUnixMillis(1795308139123);  // 2026-11-22T00:42:19.123Z
}

TEST(FormatLineTest, WritesTheDocumentedLine) {
  const std::vector<Field> fields = {{"case", "140431-20261122-000001"},
                                     {"phone", MaskPhone("13812345678")}};
  EXPECT_EQ(FormatLine(ExampleTime(), Level::kInfo, "intake",
                       "petition accepted", fields),
            "ts=2026-11-22T00:42:19.123Z level=info service=intake "
            "msg=\"petition accepted\" case=140431-20261122-000001 "
            "phone=138****5678\n");
}

TEST(FormatLineTest, NamesEveryLevel) {
  EXPECT_THAT(FormatLine(ExampleTime(), Level::kDebug, "s", "m", {}),
              HasSubstr(" level=debug "));
  EXPECT_THAT(FormatLine(ExampleTime(), Level::kWarn, "s", "m", {}),
              HasSubstr(" level=warn "));
  EXPECT_THAT(FormatLine(ExampleTime(), Level::kError, "s", "m", {}),
              HasSubstr(" level=error "));
}

TEST(FormatLineTest, QuotesAndEscapesValues) {
  const std::vector<MaskCase> cases = {
      {"plain", "v=plain", "bare word"},
      {"受理", "v=受理", "UTF-8 without spaces stays bare"},
      {"", "v=\"\"", "empty is quoted"},
      {"a b", "v=\"a b\"", "space"},
      {"a=b", "v=\"a=b\"", "equals sign"},
      {"say \"hi\"", "v=\"say \\\"hi\\\"\"", "double quotes escaped"},
      {"c:\\dir", "v=\"c:\\\\dir\"", "backslash escaped"},
      {"two\nlines\r\t", "v=\"two\\nlines\\r\\t\"", "newline never splits"},
      {std::string("nul\0x", 5), "v=\"nul\\x00x\"", "control byte as \\xNN"},
  };
  for (const MaskCase& c : cases) {
    const std::vector<Field> fields = {{"v", c.input}};
    const std::string line =
        FormatLine(ExampleTime(), Level::kInfo, "s", "m", fields);
    EXPECT_THAT(line, EndsWith(" " + c.want + "\n")) << c.why;
  }
}

TEST(FormatLineTest, SanitisesKeys) {
  const std::vector<Field> fields = {{"bad key=", "1"}, {"", "2"}};
  EXPECT_THAT(FormatLine(ExampleTime(), Level::kInfo, "s", "m", fields),
              EndsWith(" bad_key_=1 _=2\n"));
}

TEST(FormatLineTest, MasksMessageAndValuesAsSafetyNet) {
  const std::vector<Field> fields = {{"note", "call 13812345678"}};
  const std::string line = FormatLine(ExampleTime(), Level::kInfo, "s",
                                      "from 14043119900307123X", fields);
  EXPECT_THAT(line, HasSubstr("msg=\"from 140431**********3X\""));
  EXPECT_THAT(line, HasSubstr("note=\"call 138****5678\""));
}

// Redirects fd 2 to a temp file for the life of the object.
class StderrCapture {
 public:
  StderrCapture() {
    char path[] = "/tmp/log_test_XXXXXX";
    fd_ = mkstemp(path);
    path_ = path;
    saved_ = dup(STDERR_FILENO);
    dup2(fd_, STDERR_FILENO);
  }
  ~StderrCapture() {
    Restore();
    close(fd_);
    unlink(path_.c_str());
  }
  std::string Finish() {
    Restore();
    std::ifstream in(path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  void Restore() {
    if (saved_ >= 0) {
      dup2(saved_, STDERR_FILENO);
      close(saved_);
      saved_ = -1;
    }
  }
  int fd_ = -1;
  int saved_ = -1;
  std::string path_;
};

TEST(LogTest, InfoWritesOneLineWithServiceToStderr) {
  StderrCapture capture;
  SetService("intake");
  Info("petition accepted", {{"case", "140431-20261122-000001"}});
  Warn("slow");
  Error("failed", {{"phone", "13812345678"}});
  const std::string out = capture.Finish();
  const std::vector<std::string> lines =
      absl::StrSplit(out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << out;
  EXPECT_THAT(lines[0], StartsWith("ts="));
  EXPECT_THAT(lines[0], EndsWith(" level=info service=intake msg=\"petition "
                                 "accepted\" case=140431-20261122-000001"));
  EXPECT_THAT(lines[1], EndsWith(" level=warn service=intake msg=slow"));
  EXPECT_THAT(lines[2], EndsWith(" level=error service=intake msg=failed "
                                 "phone=138****5678"));
}

// Issue 20 item 3: per-item detail (a fired timer) is written at debug,
// which the default minimum level (info) leaves out; log.level turns it on.
TEST(LogLevelTest, ParsesEveryNameAndRefusesOthers) {
  struct Row {
    std::string name;
    bool ok;
    Level want;
    std::string why;
  };
  const std::vector<Row> rows = {
      {"debug", true, Level::kDebug, "per-item detail (issue 20 item 3)"},
      {"info", true, Level::kInfo, "the default"},
      {"warn", true, Level::kWarn, "only what needs attention"},
      {"error", true, Level::kError, "only failures"},
      {"DEBUG", false, Level::kInfo, "names are lowercase"},
      {"", false, Level::kInfo, "empty is no level"},
      {"trace", false, Level::kInfo, "no such level"},
  };
  for (const Row& row : rows) {
    absl::StatusOr<Level> level = ParseLevel(row.name);
    EXPECT_EQ(level.ok(), row.ok) << row.why;
    if (row.ok) {
      EXPECT_EQ(*level, row.want) << row.why;
    } else {
      EXPECT_EQ(level.status().code(), absl::StatusCode::kInvalidArgument)
          << row.why;
      EXPECT_THAT(level.status().message(), HasSubstr(kLevelSetting));
    }
  }
}

TEST(LogLevelTest, DebugLinesOnlyWhenEnabledAndInfoStaysTheDefault) {
  SetService("supervision");
  {
    StderrCapture capture;
    EXPECT_FALSE(Enabled(Level::kDebug));  // the default minimum is info
    EXPECT_TRUE(Enabled(Level::kInfo));
    Debug("timer fired", {{"deadline", "d1"}});
    Info("timers fired", {{"fired", "1"}});
    const std::string out = capture.Finish();
    EXPECT_THAT(out, Not(HasSubstr("level=debug")));
    EXPECT_THAT(out, HasSubstr("level=info"));
  }
  {
    StderrCapture capture;
    SetMinLevel(Level::kDebug);
    Debug("timer fired", {{"deadline", "d1"}});
    SetMinLevel(Level::kWarn);
    Debug("timer fired", {{"deadline", "d2"}});
    Info("timers fired");
    Warn("slow");
    SetMinLevel(Level::kInfo);
    const std::vector<std::string> lines =
        absl::StrSplit(capture.Finish(), '\n', absl::SkipEmpty());
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_THAT(lines[0], EndsWith(" level=debug service=supervision "
                                   "msg=\"timer fired\" deadline=d1"));
    EXPECT_THAT(lines[1], EndsWith(" level=warn service=supervision msg=slow"));
  }
}

TEST(LogTest, ConcurrentLinesNeverInterleave) {
  constexpr int kThreads = 8;
  constexpr int kLines = 300;
  StderrCapture capture;
  SetService("routing");
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      const std::string pad(200, static_cast<char>('a' + t));
      for (int i = 0; i < kLines; ++i) {
        Info("tick", {{"thread", absl::StrCat(t)}, {"pad", pad}});
      }
    });
  }
  for (std::thread& th : threads) th.join();
  const std::string out = capture.Finish();
  const std::vector<std::string> lines =
      absl::StrSplit(out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kLines));
  for (const std::string& line : lines) {
    ASSERT_THAT(line, StartsWith("ts="));
    const size_t at = line.find(" thread=");
    ASSERT_NE(at, std::string::npos) << line;
    const int t = line[at + 8] - '0';
    ASSERT_THAT(line, EndsWith(" pad=" + std::string(200, 'a' + t))) << line;
  }
}

}  // namespace
}  // namespace caserelay::log
