// DevFileGateway: the development sink that writes each SMS as one line.

#include "services/notification/dev_file_gateway.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
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

TEST_F(DevFileGatewayTest, SendAppendsOneLinePerMessage) {
  DevFileGateway gateway(path_);
  auto id = gateway.Send({"m1", "13800138000", "您的信访事项已收到", 1});
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, "dev-m1");
  EXPECT_THAT(Lines(),
              ::testing::ElementsAre("m1\t13800138000\t1\t您的信访事项已收到"));

  ASSERT_TRUE(gateway.Send({"m2", "13900139000", "第二条", 2}).ok());
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1], "m2\t13900139000\t2\t第二条");
}

TEST_F(DevFileGatewayTest, TextKeepsToOneLine) {
  // dev_file_gateway.h: newlines escaped as \n, so one message, one line.
  DevFileGateway gateway(path_);
  ASSERT_TRUE(gateway.Send({"m1", "13800138000", "一\n二\t三\\四", 1}).ok());
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  std::vector<std::string> fields = absl::StrSplit(lines[0], '\t');
  ASSERT_EQ(fields.size(), 4u) << lines[0];
  EXPECT_EQ(fields[3], "一\\n二 三\\\\四");
}

TEST_F(DevFileGatewayTest, FindFindsASentMessage) {
  DevFileGateway gateway(path_);
  ASSERT_TRUE(gateway.Send({"m1", "13800138000", "text", 1}).ok());
  ASSERT_TRUE(gateway.Send({"m2", "13800138000", "text", 1}).ok());
  auto found = gateway.Find("m2");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, "dev-m2");
}

TEST_F(DevFileGatewayTest, FindSurvivesARestart) {
  // Reconciling after a crash uses a new gateway object on the same file.
  ASSERT_TRUE(DevFileGateway(path_).Send({"m1", "13800138000", "t", 1}).ok());
  auto found = DevFileGateway(path_).Find("m1");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->value_or(""), "dev-m1");
}

TEST_F(DevFileGatewayTest, FindOfAnUnsentMessageIsNullopt) {
  DevFileGateway gateway(path_);
  ASSERT_TRUE(gateway.Send({"m10", "13800138000", "text", 1}).ok());
  auto found = gateway.Find("m1");  // a prefix of m10 is another message
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->has_value());
}

TEST_F(DevFileGatewayTest, FindOnAMissingFileIsNullopt) {
  // Nothing was ever written: the sink certainly does not have it.
  DevFileGateway gateway(path_);
  auto found = gateway.Find("m1");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->has_value());
}

TEST_F(DevFileGatewayTest, SendToAnUnwritablePathIsUnavailable) {
  DevFileGateway gateway(dir_ + "/no-such-dir/sink.txt");
  auto id = gateway.Send({"m1", "13800138000", "text", 1});
  EXPECT_EQ(id.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(id.status().message(), ::testing::HasSubstr("no-such-dir"));
}

}  // namespace
}  // namespace caserelay::notification
