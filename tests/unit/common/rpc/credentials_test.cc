// common/rpc: checks on TLS files and on the client's auth description.
#include "common/rpc/credentials.h"

#include <fstream>
#include <sstream>

#include "common/rpc/server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/rpc/test_pki.h"

namespace caserelay::rpc {
namespace {

using ::testing::HasSubstr;
using testing::TestPki;

class CredentialsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pki = TestPki::Create();
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = pki->release();
  }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(pki_, nullptr); }

  static std::string P(const char* name) { return pki_->Path(name); }

  static TestPki* pki_;
};

TestPki* CredentialsTest::pki_ = nullptr;

TEST_F(CredentialsTest, NoFilesIsPlaintextAndAllThreeIsMutualTls) {
  EXPECT_TRUE(MakeServerCredentials({}).ok());
  auto tls =
      MakeServerCredentials({P("server.pem"), P("server.key"), P("ca.pem")});
  EXPECT_TRUE(tls.ok()) << tls.status();
}

TEST_F(CredentialsTest, ServerFilesThatDoNotFitAreRefusedNamingTheFile) {
  struct Row {
    const char* why;
    ServerTlsFiles files;
    absl::StatusCode code;
    std::string message;
  };
  std::string not_pem = pki_->dir().Write("not.pem", "hello\n");
  // The server's key, readable by everyone (issue 22 item 8).
  std::stringstream key;
  key << std::ifstream(P("server.key")).rdbuf();
  std::string open_key = pki_->dir().Write("open.key", key.str(), 0644);
  for (const Row& row : std::vector<Row>{
           {"certificate without key",
            {P("server.pem"), "", ""},
            absl::StatusCode::kInvalidArgument,
            "needs both"},
           {"client CA alone",
            {"", "", P("ca.pem")},
            absl::StatusCode::kInvalidArgument,
            "needs both"},
           {"key of another certificate",
            {P("server.pem"), P("cn_client.key"), ""},
            absl::StatusCode::kInvalidArgument,
            "does not belong to the certificate " + P("server.pem")},
           {"certificate file without PEM",
            {not_pem, P("server.key"), ""},
            absl::StatusCode::kInvalidArgument,
            "server certificate " + not_pem + ": no PEM certificate"},
           {"key file without PEM",
            {P("server.pem"), not_pem, ""},
            absl::StatusCode::kInvalidArgument,
            "server key " + not_pem + ": no PEM private key"},
           {"client CA without PEM",
            {P("server.pem"), P("server.key"), not_pem},
            absl::StatusCode::kInvalidArgument,
            "client CA " + not_pem},
           {"missing client CA",
            {P("server.pem"), P("server.key"), P("absent.pem")},
            absl::StatusCode::kNotFound,
            "client CA " + P("absent.pem") + ": "},
           {"missing key",
            {P("server.pem"), P("absent.key"), ""},
            absl::StatusCode::kNotFound,
            "server key " + P("absent.key") + ": "},
           {"key readable by group or others (issue 22 item 8)",
            {P("server.pem"), open_key, ""},
            absl::StatusCode::kFailedPrecondition,
            "server key " + open_key + ": mode 0644 lets group or others "
                                       "read or write it; chmod 600"},
       }) {
    auto creds = MakeServerCredentials(row.files);
    EXPECT_EQ(creds.status().code(), row.code) << row.why;
    EXPECT_THAT(std::string(creds.status().message()), HasSubstr(row.message))
        << row.why;
  }
}

TEST_F(CredentialsTest, ServerStartRefusesBadTlsFiles) {
  ServerOptions options;
  options.tls = {P("server.pem"), P("cn_client.key"), ""};
  EXPECT_EQ(Server::Start(options, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CredentialsTest, ClientAuthThatDoesNotFitIsRefused) {
  struct Row {
    const char* why;
    ClientAuth auth;
    absl::StatusCode code;
  };
  std::string shared = pki_->dir().Write("shared_token", "abc\n", 0644);
  std::string empty = pki_->dir().Write("empty_token", "\n", 0600);
  const std::string t = "127.0.0.1:1";
  for (const Row& row : std::vector<Row>{
           {"no target", {}, absl::StatusCode::kInvalidArgument},
           {"token and token file",
            {t, "abc", empty, "", "", "", ""},
            absl::StatusCode::kInvalidArgument},
           {"token with a space",
            {t, "ab c", "", "", "", "", ""},
            absl::StatusCode::kInvalidArgument},
           {"token with a line break",
            {t, "ab\nc", "", "", "", "", ""},
            absl::StatusCode::kInvalidArgument},
           {"token file others may read",
            {t, "", shared, "", "", "", ""},
            absl::StatusCode::kFailedPrecondition},
           {"empty token file",
            {t, "", empty, "", "", "", ""},
            absl::StatusCode::kInvalidArgument},
           {"missing token file",
            {t, "", P("absent"), "", "", "", ""},
            absl::StatusCode::kNotFound},
           {"client certificate without a CA",
            {t, "", "", "", P("cn_client.pem"), P("cn_client.key"), ""},
            absl::StatusCode::kInvalidArgument},
           {"client certificate without its key",
            {t, "", "", P("ca.pem"), P("cn_client.pem"), "", ""},
            absl::StatusCode::kInvalidArgument},
           {"client key of another certificate",
            {t, "", "", P("ca.pem"), P("cn_client.pem"), P("uri_client.key"),
             ""},
            absl::StatusCode::kInvalidArgument},
           {"missing CA",
            {t, "", "", P("absent.pem"), "", "", ""},
            absl::StatusCode::kNotFound},
       }) {
    EXPECT_EQ(OfficeChannel(row.auth).status().code(), row.code) << row.why;
  }
}

}  // namespace
}  // namespace caserelay::rpc
