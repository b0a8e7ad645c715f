// common/rpc: the auth.* and tls.* settings checked together.
#include "common/rpc/auth_settings.h"

#include "common/rpc/mtls_auth.h"
#include "common/rpc/token_auth.h"
#include "common/rpc/token_file_auth.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/rpc/test_pki.h"

namespace caserelay::rpc {
namespace {

using ::testing::HasSubstr;

class AuthSettingsTest : public testing::TestPkiSuite {
 protected:
  static void SetUpTestSuite() {
    TestPkiSuite::SetUpTestSuite();
    if (pki_ == nullptr) return;
    tokens_ = new std::string(pki_->dir().Write(
        "tokens", "140431:bureau " + TokenHash("t") + "\n", 0600));
  }
  static void TearDownTestSuite() {
    TestPkiSuite::TearDownTestSuite();
    delete tokens_;
    tokens_ = nullptr;
  }

  static ServerTlsFiles Tls(bool client_ca) {
    return {pki_->Path("server.pem"), pki_->Path("server.key"),
            client_ca ? pki_->Path("ca.pem") : ""};
  }

  static std::string* tokens_;
};

std::string* AuthSettingsTest::tokens_ = nullptr;

TEST_F(AuthSettingsTest, ValidCombinationsGiveTheirAuthenticator) {
  struct Row {
    ServerAuthSettings settings;
    const char* kind;  // "token", "mtls"
  };
  for (const Row& row : std::vector<Row>{
           {{"token", *tokens_, {}}, "token"},
           {{"token", *tokens_, Tls(false)}, "token"},
           {{"mtls", "", Tls(true)}, "mtls"},
       }) {
    auto auth = CreateAuthenticator(row.settings);
    ASSERT_TRUE(auth.ok()) << row.settings.mode << ": " << auth.status();
    std::string kind = *auth == nullptr ? "nullptr"
                       : dynamic_cast<TokenFileAuthenticator*>(auth->get())
                           ? "token"
                       : dynamic_cast<MtlsAuthenticator*>(auth->get()) ? "mtls"
                                                                       : "?";
    EXPECT_EQ(kind, row.kind) << row.settings.mode;
  }
}

TEST_F(AuthSettingsTest, BadCombinationsFailWithOneLineNamingTheSettings) {
  struct Row {
    const char* why;
    ServerAuthSettings settings;
    absl::StatusCode code;
    const char* message;
  };
  ServerTlsFiles cert_only = Tls(false);
  cert_only.key_path.clear();
  ServerTlsFiles ca_only{"", "", Tls(true).client_ca_path};
  ServerTlsFiles bad_key = Tls(true);
  bad_key.key_path = pki_->Path("cn_client.key");
  std::string open_tokens = pki_->dir().Write(
      "open_tokens", "140431:bureau " + TokenHash("t") + "\n", 0644);
  for (const Row& row : std::vector<Row>{
           {"unknown mode",
            {"tokens", "", {}},
            absl::StatusCode::kInvalidArgument,
            "auth.mode: \"tokens\" is not one of token, mtls"},
           // Every RPC authenticated (issue 14 item 1): no mode without a
           // principal, not even with TLS.
           {"mode none",
            {"none", "", {}},
            absl::StatusCode::kInvalidArgument,
            "auth.mode: every RPC is authenticated"},
           {"mode none with TLS",
            {"none", "", Tls(false)},
            absl::StatusCode::kInvalidArgument,
            "there is no auth.mode = none"},
           {"mode unset",
            {"", "", {}},
            absl::StatusCode::kInvalidArgument,
            "set auth.mode = token"},
           {"token without file",
            {"token", "", {}},
            absl::StatusCode::kInvalidArgument,
            "auth.tokens_path: required when auth.mode = token"},
           {"tokens file in mtls mode",
            {"mtls", *tokens_, Tls(true)},
            absl::StatusCode::kInvalidArgument,
            "auth.tokens_path is set but auth.mode = mtls"},
           {"mtls without client CA",
            {"mtls", "", Tls(false)},
            absl::StatusCode::kInvalidArgument,
            "auth.mode = mtls needs tls.cert_path, tls.key_path and "
            "tls.client_ca_path"},
           {"mtls without TLS",
            {"mtls", "", {}},
            absl::StatusCode::kInvalidArgument,
            "auth.mode = mtls needs"},
           {"client CA with tokens",
            {"token", *tokens_, Tls(true)},
            absl::StatusCode::kInvalidArgument,
            "tls.client_ca_path is set but auth.mode = token"},
           {"certificate without key",
            {"token", *tokens_, cert_only},
            absl::StatusCode::kInvalidArgument,
            "tls.cert_path and tls.key_path go together"},
           {"client CA alone",
            {"mtls", "", ca_only},
            absl::StatusCode::kInvalidArgument,
            "tls.cert_path and tls.key_path"},
           {"key of another certificate",
            {"mtls", "", bad_key},
            absl::StatusCode::kInvalidArgument,
            "tls: server key"},
           {"tokens file others may read",
            {"token", open_tokens, {}},
            absl::StatusCode::kFailedPrecondition,
            "auth.tokens_path: "},
           {"missing tokens file",
            {"token", pki_->Path("absent"), {}},
            absl::StatusCode::kNotFound,
            "auth.tokens_path: "},
       }) {
    auto auth = CreateAuthenticator(row.settings);
    EXPECT_EQ(auth.status().code(), row.code) << row.why;
    std::string msg(auth.status().message());
    EXPECT_THAT(msg, HasSubstr(row.message)) << row.why;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << row.why;
  }
}

}  // namespace
}  // namespace caserelay::rpc
