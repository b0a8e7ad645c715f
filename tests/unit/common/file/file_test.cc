// common/file: atomic writes and `key=value` reads of published files.
#include "common/file/file.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"

namespace caserelay::file {
namespace {

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/file-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(FileTest, WriteThenReadEachKey) {
  std::string path = dir_ + "/info";
  ASSERT_TRUE(WriteFileAtomically(path, "bootstrap=127.0.0.1:9092\ncontrol=127.0.0.1:1\n").ok());
  EXPECT_EQ(*ReadKeyValue(path, "bootstrap"), "127.0.0.1:9092");
  EXPECT_EQ(*ReadKeyValue(path, "control"), "127.0.0.1:1");
}

TEST_F(FileTest, RewriteReplacesTheWholeFileAndLeavesNoTempFile) {
  std::string path = dir_ + "/endpoints";
  ASSERT_TRUE(WriteFileAtomically(path, "grpc=a:1\nadmin=a:2\n").ok());
  ASSERT_TRUE(WriteFileAtomically(path, "grpc=b:3\n").ok());
  EXPECT_EQ(*ReadKeyValue(path, "grpc"), "b:3");
  EXPECT_EQ(ReadKeyValue(path, "admin").status().code(), absl::StatusCode::kNotFound);
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST_F(FileTest, ValueIsTrimmedAndTheFirstMatchingLineWins) {
  std::string path = dir_ + "/f";
  std::ofstream(path) << "grpcx=no\ngrpc= 127.0.0.1:5 \r\ngrpc=later\n";
  EXPECT_EQ(*ReadKeyValue(path, "grpc"), "127.0.0.1:5");
}

TEST_F(FileTest, MissingFileOrKeyIsNotFound) {
  EXPECT_EQ(ReadKeyValue(dir_ + "/absent", "grpc").status().code(),
            absl::StatusCode::kNotFound);
  std::string path = dir_ + "/f";
  std::ofstream(path) << "admin=x\n";
  EXPECT_EQ(ReadKeyValue(path, "grpc").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(FileTest, WriteIntoMissingDirectoryIsUnavailable) {
  absl::Status s = WriteFileAtomically(dir_ + "/no/such/dir/f", "x=1\n");
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace caserelay::file

namespace caserelay::file {
namespace {

TEST(ReadFileTest, ReadsTheWholeFileAndNamesAMissingOne) {
  const std::string path =
      ::testing::TempDir() + "/read-file-test-" + std::to_string(getpid());
  std::string big(200000, 'x');  // more than one read buffer
  ASSERT_TRUE(WriteFileAtomically(path, big).ok());
  auto text = ReadFile(path);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, big);
  std::remove(path.c_str());
  auto missing = ReadFile(path);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find(path), absl::string_view::npos);
}

}  // namespace
}  // namespace caserelay::file
