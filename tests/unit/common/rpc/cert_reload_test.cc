// common/rpc: TLS files read again while the server runs (issue 14 item
// 8) — a replaced server certificate serves new connections, and a client
// certificate that the CA's revocation list (CRL, 吊销列表) names is
// refused in the handshake — over real gRPC on 127.0.0.1 with certificates
// and CRLs made by the openssl CLI at test time.
#include <stdio.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include "common/rpc/credentials.h"
#include "common/rpc/mtls_auth.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/rpc/test_pki.h"
#include "tests/unit/common/rpc/whoami_server.h"

namespace caserelay::rpc {
namespace {

using testing::AskOffice;
using ::testing::HasSubstr;
using testing::OrError;
using testing::ReadFile;
using testing::Replace;
using testing::TempDir;
using testing::WhoAmIServer;

// How long a test waits for a change to be read (the reload interval is
// 1 s in these tests).
constexpr absl::Duration kPatience = absl::Seconds(15);

// Asks `probe` until it returns `want` or kPatience passes; the last answer.
std::string Eventually(const std::function<std::string()>& probe,
                       const std::string& want) {
  return testing::Eventually(probe, want, kPatience);
}

class CertReloadTest : public testing::TestPkiSuite {
 protected:
  static void SetUpTestSuite() {
    TestPkiSuite::SetUpTestSuite();
    if (pki_ == nullptr) return;
    // Certificates made once for the suite: a renewal of the server's
    // (new key, serial 300), and two office certificates to revoke.
    absl::Status s =
        pki_->IssueLeaf("server_renewed", "localhost", "server_ext", 300);
    if (s.ok())
      s = pki_->IssueLeaf("revoked_client", "140431:bureau", "client_ext", 301);
    if (s.ok())
      s = pki_->IssueLeaf("later_revoked", "140431:housing", "client_ext", 302);
    if (s.ok()) {
      s = pki_->IssueLeaf("overwrite_revoked", "140431:housing", "client_ext",
                          304);
    }
    if (s.ok()) s = pki_->Revoke("revoked_client");
    ASSERT_TRUE(s.ok()) << s;
  }

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(TestPkiSuite::SetUp());
    auth_ = MtlsAuthenticator::Create();
  }

  // The server's files, copied into this test's own dir so that the test
  // can replace them; reload every second.
  ServerTlsFiles OwnFiles() {
    Replace(P("server.pem"), dir_.Path("server.pem"));
    Replace(P("server.key"), dir_.Path("server.key"));
    ServerTlsFiles tls;
    tls.cert_path = dir_.Path("server.pem");
    tls.key_path = dir_.Path("server.key");
    tls.client_ca_path = P("ca.pem");
    tls.reload_interval = absl::Seconds(1);
    return tls;
  }

  void Start(const ServerTlsFiles& tls) {
    auto server = WhoAmIServer::Start(auth_.get(), tls);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  // A new channel (so a new connection) as the office of `client`.
  ClientAuth Client(const std::string& client) const {
    ClientAuth auth;
    auth.target = server_->target();
    auth.tls_ca_path = P("ca.pem");
    auth.tls_cert_path = P(client + ".pem");
    auth.tls_key_path = P(client + ".key");
    return auth;
  }

  // The office WhoAmI answers over a new connection as `client`, or
  // "error: ...".
  std::string AskAs(const std::string& client) const {
    auto channel = OfficeChannel(Client(client));
    if (!channel.ok()) return "error: " + channel.status().ToString();
    return OrError(AskOffice(*channel));
  }

  // The certificate the server presented to a new connection (PEM), or
  // "error: ...".
  std::string ServerCertificate() const {
    auto channel = OfficeChannel(Client("cn_client"));
    if (!channel.ok()) return "error: " + channel.status().ToString();
    return OrError(testing::PresentedCertificate(*channel));
  }

  // A directory holding the CA's CRL as it is now, hashed.
  std::string PublishCrl(const std::string& dir_name) {
    std::string dir = dir_.Path(dir_name);
    std::filesystem::create_directories(dir);
    absl::Status s = pki_->WriteCrl(dir + "/ca.crl.pem");
    if (s.ok()) s = pki_->Rehash(dir);
    EXPECT_TRUE(s.ok()) << s;
    return dir;
  }

  TempDir dir_;
  std::unique_ptr<MtlsAuthenticator> auth_;
  std::unique_ptr<WhoAmIServer> server_;
};

TEST_F(CertReloadTest, ReplacedServerCertificateServesNewConnections) {
  ServerTlsFiles tls = OwnFiles();
  Start(tls);
  const std::string old_cert = ReadFile(P("server.pem"));
  const std::string new_cert = ReadFile(P("server_renewed.pem"));
  ASSERT_NE(old_cert, new_cert);
  ASSERT_EQ(ServerCertificate(), old_cert);

  // The renewal: new key, then its certificate, each file at once. While
  // the key does not fit the certificate, gRPC 1.51 would refuse every new
  // handshake had it read them (it did, before TlsStage); the stage keeps
  // the old pair until both fit.
  Replace(P("server_renewed.key"), tls.key_path);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // > 2 reads
  EXPECT_EQ(ServerCertificate(), old_cert);
  Replace(P("server_renewed.pem"), tls.cert_path);

  EXPECT_EQ(Eventually([&] { return ServerCertificate(); }, new_cert),
            new_cert);
  EXPECT_EQ(AskAs("cn_client"), "140431:bureau");
}

TEST_F(CertReloadTest, ClientCertificateInTheCrlIsRefusedInTheHandshake) {
  ServerTlsFiles tls = OwnFiles();
  // Control: without the CRL the revoked certificate is a good one.
  Start(tls);
  ASSERT_EQ(AskAs("revoked_client"), "140431:bureau");
  server_.reset();

  tls.crl_dir = PublishCrl("crls");
  Start(tls);
  EXPECT_EQ(AskAs("cn_client"), "140431:bureau");
  EXPECT_THAT(AskAs("revoked_client"), HasSubstr("UNAVAILABLE"));
}

// The gap-free renewal of docs/operator-guide.md: key and certificate in
// one file (tls.cert_path = tls.key_path) replaced by one rename, so gRPC
// can never read a key with another certificate. Every handshake during
// the renewal succeeds, first with the old certificate, then the new.
TEST_F(CertReloadTest, KeyAndCertificateInOneFileRenewWithoutAGap) {
  auto pair_file = [&](const std::string& name, const std::string& leaf) {
    return dir_.Write(name, ReadFile(P(leaf + ".key")) +
                                ReadFile(P(leaf + ".pem")));  // mode 0600
  };
  ServerTlsFiles tls;
  tls.cert_path = tls.key_path = pair_file("server.pair.pem", "server");
  tls.client_ca_path = P("ca.pem");
  tls.reload_interval = absl::Seconds(1);
  Start(tls);
  const std::string old_cert = ReadFile(P("server.pem"));
  const std::string new_cert = ReadFile(P("server_renewed.pem"));
  ASSERT_EQ(ServerCertificate(), old_cert);

  std::string renewed = pair_file("renewed.pair.pem", "server_renewed");
  ASSERT_EQ(rename(renewed.c_str(), tls.cert_path.c_str()), 0);
  auto deadline =
      std::chrono::steady_clock::now() + absl::ToChronoSeconds(kPatience);
  std::string seen = ServerCertificate();
  while (seen != new_cert && std::chrono::steady_clock::now() < deadline) {
    ASSERT_EQ(seen, old_cert) << "a handshake during the renewal";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    seen = ServerCertificate();
  }
  EXPECT_EQ(seen, new_cert);
}

// A new CRL added beside the first (make-certs' way: a new file and
// `openssl rehash`) refuses the certificate it lists without a restart.
TEST_F(CertReloadTest, CrlAddedWhileRunningRefusesTheNextHandshake) {
  ServerTlsFiles tls = OwnFiles();
  tls.crl_dir = PublishCrl("crls");
  Start(tls);
  ASSERT_EQ(AskAs("later_revoked"), "140431:housing");

  // A CRL's lastUpdate has whole seconds; the newer one must be later.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_TRUE(pki_->Revoke("later_revoked").ok());
  ASSERT_TRUE(pki_->WriteCrl(tls.crl_dir + "/ca-2.crl.pem").ok());
  ASSERT_TRUE(pki_->Rehash(tls.crl_dir).ok());

  EXPECT_THAT(AskAs("later_revoked"), HasSubstr("UNAVAILABLE"));
  EXPECT_EQ(AskAs("cn_client"), "140431:bureau");
}

// A CRL overwritten in place is read too: the stage sees the directory
// change and makes gRPC build its TLS context again (gRPC 1.51 alone keeps
// the CRL it loaded until a restart).
TEST_F(CertReloadTest, CrlOverwrittenInPlaceRefusesWithoutRestart) {
  ServerTlsFiles tls = OwnFiles();
  tls.crl_dir = PublishCrl("crls");
  Start(tls);
  ASSERT_EQ(AskAs("overwrite_revoked"), "140431:housing");

  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_TRUE(pki_->Revoke("overwrite_revoked").ok());
  ASSERT_TRUE(pki_->WriteCrl(dir_.Path("next.crl.pem")).ok());
  Replace(dir_.Path("next.crl.pem"), tls.crl_dir + "/ca.crl.pem");

  auto refused = [&] {
    return AskAs("overwrite_revoked").find("UNAVAILABLE") != std::string::npos
               ? "refused"
               : "accepted";
  };
  EXPECT_EQ(Eventually(refused, "refused"), "refused");
  EXPECT_EQ(AskAs("cn_client"), "140431:bureau");
}

// A renewed key that group or others may read is not taken while the
// service runs, as it would not be at start; the old pair serves on until
// the key is owner-only.
TEST_F(CertReloadTest, RenewedKeyOthersMayReadIsNotTaken) {
  ServerTlsFiles tls = OwnFiles();
  Start(tls);
  const std::string old_cert = ReadFile(P("server.pem"));
  const std::string new_cert = ReadFile(P("server_renewed.pem"));
  Replace(P("server_renewed.key"), tls.key_path);
  std::filesystem::permissions(
      tls.key_path,
      std::filesystem::perms::group_read | std::filesystem::perms::others_read,
      std::filesystem::perm_options::add);
  Replace(P("server_renewed.pem"), tls.cert_path);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // > 2 reads
  EXPECT_EQ(ServerCertificate(), old_cert);

  std::filesystem::permissions(
      tls.key_path,
      std::filesystem::perms::group_read | std::filesystem::perms::others_read,
      std::filesystem::perm_options::remove);
  EXPECT_EQ(Eventually([&] { return ServerCertificate(); }, new_cert),
            new_cert);
}

// A client that runs for long (a service calling another) reads its
// certificate again too: after a renewal its next connection presents the
// new one. The server restarts on the same port to make the channel
// connect again.
TEST_F(CertReloadTest, ClientChannelPresentsItsRenewedCertificate) {
  ASSERT_TRUE(
      pki_->IssueLeaf("housing_client", "140431:housing", "client_ext", 303)
          .ok());
  Start(OwnFiles());
  const std::string target = server_->target();
  Replace(P("cn_client.pem"), dir_.Path("client.pem"));
  Replace(P("cn_client.key"), dir_.Path("client.key"));
  ClientAuth auth;
  auth.target = target;
  auth.tls_ca_path = P("ca.pem");
  auth.tls_cert_path = dir_.Path("client.pem");
  auth.tls_key_path = dir_.Path("client.key");
  auth.tls_reload_interval = absl::Seconds(1);
  auto channel = OfficeChannel(auth);
  ASSERT_TRUE(channel.ok()) << channel.status();
  ASSERT_EQ(OrError(AskOffice(*channel)), "140431:bureau");

  Replace(P("housing_client.key"), auth.tls_key_path);
  Replace(P("housing_client.pem"), auth.tls_cert_path);
  std::this_thread::sleep_for(std::chrono::seconds(3));  // > the interval
  server_.reset();
  ServerOptions options;
  options.listen = target;
  options.tls = OwnFiles();
  MtlsAuthenticator* auth_ptr = auth_.get();
  testing::WhoAmIService service(auth_ptr);
  auto server = Server::Start(options, {&service});
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(Eventually([&] { return OrError(AskOffice(*channel)); },
                       "140431:housing"),
            "140431:housing");
}

}  // namespace
}  // namespace caserelay::rpc
