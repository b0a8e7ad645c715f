// common/rpc: bearer tokens, the tokens file, and token calls end to end.
#include "common/rpc/token_auth.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/credentials.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/rpc/test_pki.h"
#include "tests/unit/common/rpc/whoami_server.h"

namespace caserelay::rpc {
namespace {

using testing::AskOffice;
using ::testing::HasSubstr;
using testing::OrError;
using testing::TempDir;
using testing::WhoAmIServer;

TEST(OfficeCodeTest, AcceptsRegionAndUnitOnly) {
  struct Row {
    const char* code;
    bool ok;
  };
  for (const Row& row : std::vector<Row>{
           {"140431:bureau", true},
           {"140431:housing", true},
           {"14:public_security-2", true},
           {"", false},
           {"140431", false},
           {":bureau", false},
           {"140431:", false},
           {"14a431:bureau", false},
           {"140431:Bureau", false},
           {"140431:2bureau", false},
           {"140431:bu reau", false},
           {"140431:bureau:x", false},
       }) {
    EXPECT_EQ(IsOfficeCode(row.code), row.ok) << row.code;
  }
  EXPECT_FALSE(IsOfficeCode(absl::StrCat("1:", std::string(63, 'a'))));
}

TEST(TokenTest, NewTokenIs64LowercaseHexDigitsAndFreshEachTime) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    std::string token = NewToken();
    ASSERT_EQ(token.size(), 64u);
    for (char c : token) {
      EXPECT_TRUE(absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f')) << token;
    }
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 20u);
}

TEST(TokenTest, TokenHashIsLowercaseSha256Hex) {
  // FIPS 180-2 appendix B.1: SHA-256("abc").
  EXPECT_EQ(TokenHash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

class TokensFileTest : public ::testing::Test {
 protected:
  TempDir dir_;
};

TEST_F(TokensFileTest, LoadSkipsCommentsAndBlankLinesAndMapsTokensToOffices) {
  std::string a = NewToken(), b = NewToken(), c = NewToken();
  std::string path = dir_.Write(
      "tokens",
      absl::StrCat("# office  token hash\n\n140431:bureau ", TokenHash(a),
                   "\n  140431:housing\t", absl::AsciiStrToUpper(TokenHash(b)),
                   "  \r\n# rotated:\n140431:bureau ", TokenHash(c), "\n"));
  auto auth = TokenAuthenticator::Load(path);
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_EQ(OrError((*auth)->PrincipalOfToken(a)), "140431:bureau");
  EXPECT_EQ(OrError((*auth)->PrincipalOfToken(b)), "140431:housing");
  EXPECT_EQ(OrError((*auth)->PrincipalOfToken(c)), "140431:bureau");
}

TEST_F(TokensFileTest, UnknownTokenOrItsHashIsUnauthenticated) {
  std::string token = NewToken();
  auto auth = TokenAuthenticator::Create({{"140431:bureau", TokenHash(token), ""}});
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_EQ((*auth)->PrincipalOfToken(NewToken()).status().code(),
            absl::StatusCode::kUnauthenticated);
  // The file holds hashes; knowing one must not let anybody in.
  EXPECT_EQ((*auth)->PrincipalOfToken(TokenHash(token)).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ((*auth)->PrincipalOfToken("").status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(TokensFileTest, BadLinesAreInvalidArgumentNamingFileAndEveryLine) {
  std::string h1 = TokenHash("one"), h2 = TokenHash("two");
  std::string path = dir_.Write(
      "tokens", absl::StrCat("140431:bureau ", h1, "\n",   // 1 fine
                             "140431:bureau\n",            // 2 one field
                             "140431:x ", h2, " a b\n",    // 3 four fields
                             "bureau ", h2, "\n",          // 4 not an office
                             "140431:housing abc123\n",    // 5 short hash
                             "140431:housing ", std::string(64, 'g'), "\n",
                             "# fine\n",                     // 7
                             "140431:housing ", h1, "\n"));  // 8 dup of 1
  auto auth = TokenAuthenticator::Load(path);
  ASSERT_EQ(auth.status().code(), absl::StatusCode::kInvalidArgument);
  std::string msg(auth.status().message());
  EXPECT_THAT(msg, HasSubstr(path + ":2: expected `<principal> <sha-256"));
  EXPECT_THAT(msg, HasSubstr(path + ":3: expected"));
  EXPECT_THAT(msg, HasSubstr(path + ":4: \"bureau\" is neither an office code"));
  EXPECT_THAT(msg, HasSubstr(path + ":5: the token hash must be 64 hex"));
  EXPECT_THAT(msg, HasSubstr(path + ":6: the token hash must be 64 hex"));
  EXPECT_THAT(msg,
              HasSubstr(path + ":8: the same token hash as " + path + ":1"));
  EXPECT_EQ(msg.find(path + ":1:"), std::string::npos) << msg;
  EXPECT_EQ(msg.find(path + ":7:"), std::string::npos) << msg;
}

TEST_F(TokensFileTest, FileWithoutEntriesIsInvalidArgument) {
  std::string path = dir_.Write("tokens", "# nobody yet\n\n");
  EXPECT_EQ(TokenAuthenticator::Load(path).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(TokensFileTest, FileThatGroupOrOthersMayReadOrWriteIsRefused) {
  std::string line = absl::StrCat("140431:bureau ", TokenHash("t"), "\n");
  for (mode_t mode : {0640, 0604, 0620, 0602, 0644}) {
    std::string path = dir_.Write("tokens", line, mode);
    auto auth = TokenAuthenticator::Load(path);
    EXPECT_EQ(auth.status().code(), absl::StatusCode::kFailedPrecondition)
        << std::oct << mode;
    EXPECT_THAT(std::string(auth.status().message()),
                HasSubstr("chmod 600 " + path));
  }
  EXPECT_TRUE(TokenAuthenticator::Load(dir_.Write("tokens", line, 0400)).ok());
}

TEST_F(TokensFileTest, MissingFileIsNotFoundAndDirectoryIsFailedPrecondition) {
  EXPECT_EQ(TokenAuthenticator::Load(dir_.Path("absent")).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(TokenAuthenticator::Load(dir_.path()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// Token calls over a real plaintext gRPC connection.
class TokenCallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    token_ = NewToken();
    auto auth =
        TokenAuthenticator::Create({{"140431:bureau", TokenHash(token_), ""}});
    ASSERT_TRUE(auth.ok()) << auth.status();
    auth_ = *std::move(auth);
    auto server = WhoAmIServer::Start(auth_.get(), {});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  // OfficeChannel(auth with the server's target) or a test failure.
  std::shared_ptr<grpc::Channel> Channel(ClientAuth auth) {
    auth.target = server_->target();
    auto channel = OfficeChannel(auth);
    EXPECT_TRUE(channel.ok()) << channel.status();
    return channel.ok() ? *channel : nullptr;
  }

  std::string token_;
  std::unique_ptr<TokenAuthenticator> auth_;
  std::unique_ptr<WhoAmIServer> server_;
  TempDir dir_;
};

TEST_F(TokenCallTest, RightTokenGivesTheOffice) {
  ClientAuth auth;
  auth.token = token_;
  auto office = AskOffice(Channel(auth));
  ASSERT_TRUE(office.ok()) << office.status();
  EXPECT_EQ(*office, "140431:bureau");
}

TEST_F(TokenCallTest, TokenFromAnOwnerOnlyFileGivesTheOffice) {
  ClientAuth auth;
  auth.token_file = dir_.Write("token", token_ + "\n", 0600);
  auto office = AskOffice(Channel(auth));
  ASSERT_TRUE(office.ok()) << office.status();
  EXPECT_EQ(*office, "140431:bureau");
}

TEST_F(TokenCallTest, WrongTokenIsUnauthenticated) {
  ClientAuth auth;
  auth.token = NewToken();
  auto office = AskOffice(Channel(auth));
  EXPECT_EQ(office.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(office.status().message()),
              HasSubstr("unknown bearer token"));
}

TEST_F(TokenCallTest, MissingTokenIsUnauthenticated) {
  auto office = AskOffice(Channel(ClientAuth{}));
  EXPECT_EQ(office.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(office.status().message()),
              HasSubstr("no `authorization: Bearer <token>`"));
}

TEST_F(TokenCallTest, OtherSchemeOrTwoTokensIsUnauthenticated) {
  std::shared_ptr<grpc::Channel> channel = Channel(ClientAuth{});
  EXPECT_EQ(AskOffice(channel, {{"authorization", "Basic " + token_}})
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(AskOffice(channel, {{"authorization", "Bearer " + token_},
                                {"authorization", "Bearer " + NewToken()}})
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
  // The scheme is case-insensitive (RFC 7235 section 2.1).
  EXPECT_EQ(
      OrError(AskOffice(channel, {{"authorization", "bearer " + token_}})),
      "140431:bureau");
}

TEST(NoAuthenticatorTest, CallerIsUnauthenticatedWithoutAnAuthenticator) {
  auto server = WhoAmIServer::Start(nullptr, {});
  ASSERT_TRUE(server.ok()) << server.status();
  ClientAuth auth;
  auth.target = (*server)->target();
  auth.token = NewToken();
  auto channel = OfficeChannel(auth);
  ASSERT_TRUE(channel.ok()) << channel.status();
  auto office = AskOffice(*channel);
  EXPECT_EQ(office.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(office.status().message()),
              HasSubstr("has no authenticator"));
}

}  // namespace
}  // namespace caserelay::rpc
