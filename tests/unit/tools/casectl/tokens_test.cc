// casectl token add, on temp files, checked with the services' own reader.
#include "tools/casectl/tokens.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/token_auth.h"
#include "gtest/gtest.h"

namespace caserelay::casectl {
namespace {

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

mode_t Mode(const std::filesystem::path& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

class TokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("casectl_tokens_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  AddTokenOptions Options(const std::string& office, const std::string& out) {
    return {office, (dir_ / "tokens").string(), (dir_ / out).string(), ""};
  }
  std::filesystem::path dir_;
};

TEST_F(TokensTest, NewTokenIsAcceptedByTheServicesAuthenticator) {
  ASSERT_TRUE(AddToken(Options("140431:housing", "housing.token")).ok());
  ASSERT_TRUE(AddToken(Options("140431:bureau", "bureau.token")).ok());
  EXPECT_EQ(Mode(dir_ / "tokens"), 0600);
  EXPECT_EQ(Mode(dir_ / "housing.token"), 0600);
  const std::string housing =
      std::string(absl::StripAsciiWhitespace(Read(dir_ / "housing.token")));
  const std::string bureau =
      std::string(absl::StripAsciiWhitespace(Read(dir_ / "bureau.token")));
  EXPECT_EQ(housing.size(), 64u);
  EXPECT_NE(housing, bureau);
  EXPECT_EQ(Read(dir_ / "tokens"), "140431:housing " + rpc::TokenHash(housing) +
                                       "\n" + "140431:bureau " +
                                       rpc::TokenHash(bureau) + "\n");
  auto auth = rpc::TokenAuthenticator::Load((dir_ / "tokens").string());
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_EQ((*auth)->PrincipalOfToken(housing)->Name(), "140431:housing");
  EXPECT_EQ((*auth)->PrincipalOfToken(bureau)->Name(), "140431:bureau");
}

TEST_F(TokensTest, ExistingTokenFileIsNotReplaced) {
  std::ofstream(dir_ / "old.token") << "keep me\n";
  ::chmod((dir_ / "old.token").c_str(), 0600);
  absl::Status s = AddToken(Options("140431:housing", "old.token"));
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Read(dir_ / "old.token"), "keep me\n");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "tokens"));
}

TEST_F(TokensTest, TokensFileOthersMayReadIsRefused) {
  std::ofstream(dir_ / "tokens") << "";
  ::chmod((dir_ / "tokens").c_str(), 0644);
  absl::Status s = AddToken(Options("140431:housing", "h.token"));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(s.message(), "chmod 600")) << s.message();
  EXPECT_FALSE(std::filesystem::exists(dir_ / "h.token"));
}

TEST_F(TokensTest, LastLineWithoutNewlineIsKeptApart) {
  const std::string old_hash(64, 'a');
  std::ofstream(dir_ / "tokens") << "140431:bureau " << old_hash;
  ::chmod((dir_ / "tokens").c_str(), 0600);
  ASSERT_TRUE(AddToken(Options("140431:housing", "h.token")).ok());
  auto auth = rpc::TokenAuthenticator::Load((dir_ / "tokens").string());
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_TRUE(
      absl::StartsWith(Read(dir_ / "tokens"),
                       "140431:bureau " + old_hash + "\n140431:housing "));
}

TEST_F(TokensTest, BadOfficeCodeIsInvalidArgument) {
  absl::Status s = AddToken(Options("housing", "h.token"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(s.message(), "'housing'")) << s.message();
  EXPECT_FALSE(std::filesystem::exists(dir_ / "h.token"));
}

TEST_F(TokensTest, MissingPathsNameTheirFlags) {
  AddTokenOptions options = Options("140431:housing", "h.token");
  options.tokens_path.clear();
  EXPECT_EQ(AddToken(options).message(), "token add needs --tokens FILE");
  options = Options("140431:housing", "h.token");
  options.token_path.clear();
  EXPECT_EQ(AddToken(options).message(), "token add needs --out TOKEN_FILE");
}

// Issue 14 items 1-2: tokens for a service's identity, and holders whom
// the record names as who acted.
TEST_F(TokensTest, ServiceTokensAndHoldersAreReadBackAsTheirPrincipals) {
  struct Row {
    const char* rule;
    const char* principal;
    const char* holder;
    std::string want;  // Principal::ToString, or "refused"
  };
  int n = 0;
  for (const Row& row : std::vector<Row>{
           {"a service's identity", "service:notification", "",
            "service:notification"},
           {"an office's person", "140431:bureau", "王五",
            "王五 (140431:bureau)"},
           {"an unknown service is no principal", "service:kafka", "",
            "refused"},
           {"a holder with a space is no label", "140431:bureau", "王 五",
            "refused"},
       }) {
    AddTokenOptions options =
        Options(row.principal, absl::StrCat("t", ++n, ".token"));
    options.holder = row.holder;
    absl::Status s = AddToken(options);
    if (row.want == "refused") {
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << row.rule;
      EXPECT_FALSE(std::filesystem::exists(dir_ / options.token_path))
          << row.rule;
      continue;
    }
    ASSERT_TRUE(s.ok()) << row.rule << ": " << s;
    auto auth = rpc::TokenAuthenticator::Load((dir_ / "tokens").string());
    ASSERT_TRUE(auth.ok()) << auth.status();
    auto principal = (*auth)->PrincipalOfToken(
        std::string(absl::StripAsciiWhitespace(Read(options.token_path))));
    ASSERT_TRUE(principal.ok()) << row.rule << ": " << principal.status();
    EXPECT_EQ(principal->ToString(), row.want) << row.rule;
  }
}

}  // namespace
}  // namespace caserelay::casectl
