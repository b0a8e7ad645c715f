// DevFileGateway: the development sink that writes each SMS part as one
// line, and answers Find(message_id, index) from its file.

#include "services/notification/dev_file_gateway.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::notification {
namespace {

class DevFileGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "caserelay-devsink-XXXXXX")
            .string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/sink.txt";
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::vector<std::string> Lines() {
    std::ifstream in(path_);
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
  }

  std::string dir_;
  std::string path_;
};

// One part of message `id`.
OutgoingPart Part(const std::string& id, int index, int total,
                  std::u16string text, std::string phone = "13800138000") {
  return OutgoingPart{id, std::move(phone), index, total, 7, std::move(text)};
}

TEST_F(DevFileGatewayTest, SendPartAppendsOneLinePerPart) {
  // dev_file_gateway.h: one line per part, message_id, "index/total",
  // phone, the part's text as UTF-8.
  DevFileGateway gateway(path_);
  auto id = gateway.SendPart(Part("m1", 1, 2, u"您的信访事项"));
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, "dev-m1/1");
  ASSERT_TRUE(gateway.SendPart(Part("m1", 2, 2, u"已收到")).ok());
  ASSERT_TRUE(
      gateway.SendPart(Part("m2", 1, 1, u"第二条", "13900139000")).ok());
  EXPECT_THAT(Lines(),
              ::testing::ElementsAre("m1\t1/2\t13800138000\t您的信访事项",
                                     "m1\t2/2\t13800138000\t已收到",
                                     "m2\t1/1\t13900139000\t第二条"));
}

TEST_F(DevFileGatewayTest, TextKeepsToOneLine) {
  // dev_file_gateway.h: newlines escaped as \n, so one part, one line.
  DevFileGateway gateway(path_);
  ASSERT_TRUE(gateway.SendPart(Part("m1", 1, 1, u"一\n二\t三\\四")).ok());
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  std::vector<std::string> fields = absl::StrSplit(lines[0], '\t');
  ASSERT_EQ(fields.size(), 4u) << lines[0];
  EXPECT_EQ(fields[3], "一\\n二 三\\\\四");
}

TEST_F(DevFileGatewayTest, SurrogatePairIsWrittenAsOneCharacter) {
  // segment.h: a part never splits a pair, so each part decodes alone.
  DevFileGateway gateway(path_);
  ASSERT_TRUE(gateway.SendPart(Part("m1", 1, 1, u"好\U0001F600")).ok());
  EXPECT_THAT(Lines(), ::testing::ElementsAre(
                           "m1\t1/1\t13800138000\t好\xF0\x9F\x98\x80"));
}

TEST_F(DevFileGatewayTest, FindFindsTheSentPartOnly) {
  DevFileGateway gateway(path_);
  ASSERT_TRUE(gateway.SendPart(Part("m1", 1, 1, u"text")).ok());
  ASSERT_TRUE(gateway.SendPart(Part("m2", 1, 2, u"text")).ok());
  auto found = gateway.Find("m2", 1);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, "dev-m2/1") << "the id SendPart gave";

  auto second = gateway.Find("m2", 2);  // part 2 never sent
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE(second->has_value());
}

TEST_F(DevFileGatewayTest, FindSurvivesARestart) {
  // Reconciling after a crash uses a new gateway object on the same file.
  ASSERT_TRUE(DevFileGateway(path_).SendPart(Part("m1", 2, 3, u"t")).ok());
  auto found = DevFileGateway(path_).Find("m1", 2);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->value_or(""), "dev-m1/2");
}

TEST_F(DevFileGatewayTest, FindDoesNotTakeAPrefixForAnotherMessageOrPart) {
  DevFileGateway gateway(path_);
  ASSERT_TRUE(gateway.SendPart(Part("m10", 1, 1, u"text")).ok());
  ASSERT_TRUE(gateway.SendPart(Part("m2", 12, 12, u"text")).ok());
  for (const auto& [id, index] : std::vector<std::pair<std::string, int>>{
           {"m1", 1}, {"m", 1}, {"m2", 1}, {"m2", 2}}) {
    auto found = gateway.Find(id, index);
    ASSERT_TRUE(found.ok()) << found.status();
    EXPECT_FALSE(found->has_value()) << id << " part " << index;
  }
}

TEST_F(DevFileGatewayTest, FindOnAMissingFileIsNullopt) {
  // Nothing was ever written: the sink certainly does not have it.
  DevFileGateway gateway(path_);
  auto found = gateway.Find("m1", 1);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->has_value());
}

TEST_F(DevFileGatewayTest, SendPartToAnUnwritablePathIsUnavailable) {
  // gateway.h UNAVAILABLE: certainly not sent, retried without a try.
  DevFileGateway gateway(dir_ + "/no-such-dir/sink.txt");
  auto id = gateway.SendPart(Part("m1", 1, 1, u"text"));
  EXPECT_EQ(id.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(id.status().message(), ::testing::HasSubstr("no-such-dir"));
}

TEST_F(DevFileGatewayTest, FindOnAnUnreadableSinkIsUnavailable) {
  // gateway.h Find: UNAVAILABLE "if it cannot answer now" — a sink that
  // exists but cannot be read proves nothing either way.
  std::filesystem::create_directory(path_);  // a directory: not a file
  DevFileGateway gateway(path_);
  auto found = gateway.Find("m1", 1);
  EXPECT_EQ(found.status().code(), absl::StatusCode::kUnavailable)
      << (found.ok() ? "answered" : found.status().ToString());
}

}  // namespace
}  // namespace caserelay::notification
