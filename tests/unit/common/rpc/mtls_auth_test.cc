// common/rpc: mTLS end to end — the office from the verified client
// certificate, and handshakes that must fail.
#include "common/rpc/mtls_auth.h"

#include "common/rpc/credentials.h"
#include "common/rpc/token_auth.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/rpc/test_pki.h"
#include "tests/unit/common/rpc/whoami_server.h"

namespace caserelay::rpc {
namespace {

using testing::AskOffice;
using ::testing::HasSubstr;
using testing::OrError;
using testing::WhoAmIServer;

class MtlsTest : public testing::TestPkiSuite {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(TestPkiSuite::SetUp());
    auth_ = MtlsAuthenticator::Create();
    auto server = WhoAmIServer::Start(auth_.get(), ServerTls());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  static ServerTlsFiles ServerTls() {
    return {pki_->Path("server.pem"), pki_->Path("server.key"),
            pki_->Path("ca.pem")};
  }

  // A TLS client of the server trusting ca.pem, presenting `client`'s
  // certificate unless `client` is empty.
  ClientAuth Client(const std::string& client) const {
    ClientAuth auth;
    auth.target = server_->target();
    auth.tls_ca_path = pki_->Path("ca.pem");
    if (!client.empty()) {
      auth.tls_cert_path = pki_->Path(client + ".pem");
      auth.tls_key_path = pki_->Path(client + ".key");
    }
    return auth;
  }

  static absl::StatusOr<std::string> Ask(const ClientAuth& auth) {
    auto channel = OfficeChannel(auth);
    if (!channel.ok()) return channel.status();
    return AskOffice(*channel);
  }

  std::unique_ptr<MtlsAuthenticator> auth_;
  std::unique_ptr<WhoAmIServer> server_;
};

TEST_F(MtlsTest, OfficeCodeInTheCommonNameGivesTheOffice) {
  auto office = Ask(Client("cn_client"));
  ASSERT_TRUE(office.ok()) << office.status();
  EXPECT_EQ(*office, "140431:bureau");
}

TEST_F(MtlsTest, OfficeUriSanWinsOverTheCommonName) {
  // uri_client: CN=140431:bureau, URI caserelay:office:140431:housing.
  auto office = Ask(Client("uri_client"));
  ASSERT_TRUE(office.ok()) << office.status();
  EXPECT_EQ(*office, "140431:housing");
}

TEST_F(MtlsTest, VerifiedCertificateNamingNoOfficeIsUnauthenticated) {
  auto office = Ask(Client("plain_client"));
  EXPECT_EQ(office.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(office.status().message()),
              HasSubstr("common name \"somebody\" is not an office code"));
}

TEST_F(MtlsTest, ClientCertificateFromAnotherCaFailsTheHandshake) {
  EXPECT_EQ(Ask(Client("rogue_client")).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(MtlsTest, NoClientCertificateFailsTheHandshake) {
  EXPECT_EQ(Ask(Client("")).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(MtlsTest, ClientRefusesAServerItsCaDidNotSign) {
  ClientAuth auth = Client("cn_client");
  auth.tls_ca_path = pki_->Path("rogue_ca.pem");
  EXPECT_EQ(Ask(auth).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(MtlsTest, ServerNameOverrideIsCheckedAgainstTheCertificate) {
  ClientAuth auth = Client("cn_client");
  auth.tls_server_name = "localhost";
  EXPECT_EQ(OrError(Ask(auth)), "140431:bureau");
  auth.tls_server_name = "routing.example.org";
  EXPECT_EQ(Ask(auth).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(MtlsTest, PlaintextCallToMtlsAuthenticatorIsUnauthenticated) {
  auto server = WhoAmIServer::Start(auth_.get(), {});
  ASSERT_TRUE(server.ok()) << server.status();
  ClientAuth auth;
  auth.target = (*server)->target();
  auto office = Ask(auth);
  EXPECT_EQ(office.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(office.status().message()),
              HasSubstr("no verified client certificate"));
}

TEST_F(MtlsTest, TokenOverTlsWithoutClientCertificates) {
  std::string token = NewToken();
  auto tokens =
      TokenAuthenticator::Create({{"140431:bureau", TokenHash(token), ""}});
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  ServerTlsFiles tls = ServerTls();
  tls.client_ca_path.clear();
  auto server = WhoAmIServer::Start(tokens->get(), tls);
  ASSERT_TRUE(server.ok()) << server.status();
  ClientAuth auth;
  auth.target = (*server)->target();
  auth.tls_ca_path = pki_->Path("ca.pem");
  auth.token = token;
  EXPECT_EQ(OrError(Ask(auth)), "140431:bureau");
  auth.token = NewToken();
  EXPECT_EQ(Ask(auth).status().code(), absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace caserelay::rpc
