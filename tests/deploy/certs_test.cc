// deploy/tls/make-certs makes what docs/operator-guide.md "Certificates"
// says: a service certificate our gRPC server serves TLS with, office
// certificates that MtlsAuthenticator reads the office from, and renewals
// that keep the offices' certificates working. Checked over real gRPC on
// loopback with the WhoAmI test service of tests/unit/common/rpc.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/rpc/auth_settings.h"
#include "common/rpc/credentials.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/deploy/deploy_files.h"
#include "tests/integration/harness.h"
#include "tests/unit/common/rpc/test_pki.h"
#include "tests/unit/common/rpc/whoami_server.h"

namespace caserelay::deploy_test {
namespace {

using rpc::testing::AskOffice;
using rpc::testing::OrError;
using rpc::testing::PresentedCertificate;
using rpc::testing::ReadFile;
using rpc::testing::WhoAmIServer;

class MakeCertsTest : public ::testing::Test {
 protected:
  ShellResult MakeCerts(const std::string& args) {
    return RunShell(absl::StrCat(
        ShellQuote(SourcePath("deploy/tls/make-certs")), " --ca-dir ",
        ShellQuote(ca()), " --out ", ShellQuote(secrets()), " --office-dir ",
        ShellQuote(offices()), " ", args));
  }
  std::string ca() { return dir_.path() + "/ca"; }
  std::string secrets() { return dir_.path() + "/secrets"; }
  std::string offices() { return dir_.path() + "/offices"; }

  // routing as docker-compose runs it: its certificate, the offices' CA
  // and their CRLs, auth.mode = mtls (deploy/config/compose/routing.conf);
  // the files read again every second instead of every minute.
  void StartRouting() {
    rpc::ServerAuthSettings settings;
    settings.mode = "mtls";
    settings.tls = {secrets() + "/routing.crt", secrets() + "/routing.key",
                    secrets() + "/offices-ca.crt", secrets() + "/crl",
                    absl::Seconds(1)};
    auto auth = rpc::CreateAuthenticator(settings);
    ASSERT_TRUE(auth.ok()) << auth.status();
    auth_ = *std::move(auth);
    auto server = WhoAmIServer::Start(auth_.get(), settings.tls);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  // The office's call, checking the server's name "routing" against the CA.
  std::string AskAs(const std::string& office_file) {
    rpc::ClientAuth auth;
    auth.target = server_->target();
    auth.tls_ca_path = ca() + "/ca.crt";
    auth.tls_cert_path = offices() + "/" + office_file + ".crt";
    auth.tls_key_path = offices() + "/" + office_file + ".key";
    auth.tls_server_name = "routing";
    auto channel = rpc::OfficeChannel(auth);
    if (!channel.ok()) return "error: " + channel.status().ToString();
    return OrError(AskOffice(*channel));
  }

  // The certificate routing presents to a new connection (PEM), or
  // "error: ...".
  std::string RoutingCertificate() {
    rpc::ClientAuth auth;
    auth.target = server_->target();
    auth.tls_ca_path = ca() + "/ca.crt";
    auth.tls_cert_path = offices() + "/140431-bureau.crt";
    auth.tls_key_path = offices() + "/140431-bureau.key";
    auth.tls_server_name = "routing";
    auto channel = rpc::OfficeChannel(auth);
    if (!channel.ok()) return "error: " + channel.status().ToString();
    return OrError(PresentedCertificate(*channel));
  }

  caserelay::testing::TempDir dir_;
  std::unique_ptr<rpc::Authenticator> auth_;
  std::unique_ptr<WhoAmIServer> server_;
};

TEST_F(MakeCertsTest, OfficeCertificateNamesItsOfficeToTheService) {
  ShellResult run = MakeCerts("--office 140431:bureau --office 140000:bureau");
  ASSERT_EQ(run.code, 0) << run.output;
  StartRouting();
  EXPECT_EQ(AskAs("140431-bureau"), "140431:bureau");
  EXPECT_EQ(AskAs("140000-bureau"), "140000:bureau");
}

TEST_F(MakeCertsTest, RenewalKeepsTheCaAndTheOfficesCertificates) {
  ASSERT_EQ(MakeCerts("--office 140431:bureau").code, 0);
  std::string ca_before = ReadFile(ca() + "/ca.crt");
  std::string routing_before = ReadFile(secrets() + "/routing.crt");
  ShellResult renew = MakeCerts("--days 30");
  ASSERT_EQ(renew.code, 0) << renew.output;
  EXPECT_EQ(ReadFile(ca() + "/ca.crt"), ca_before);
  EXPECT_NE(ReadFile(secrets() + "/routing.crt"), routing_before);
  StartRouting();  // a restart picks up the new certificate
  EXPECT_EQ(AskAs("140431-bureau"), "140431:bureau");
}

// Issue 14 item 8: the renewal of the guide's "Certificates" needs no
// restart; new connections get the new certificate within the reload
// interval.
TEST_F(MakeCertsTest, RenewalServesNewConnectionsWithoutRestart) {
  ASSERT_EQ(MakeCerts("--office 140431:bureau").code, 0);
  StartRouting();
  ASSERT_EQ(RoutingCertificate(), ReadFile(secrets() + "/routing.crt"));
  ShellResult renew = MakeCerts("--days 30");
  ASSERT_EQ(renew.code, 0) << renew.output;
  const std::string renewed = ReadFile(secrets() + "/routing.crt");
  EXPECT_EQ(rpc::testing::Eventually([&] { return RoutingCertificate(); },
                                     renewed, absl::Seconds(15)),
            renewed);
  EXPECT_EQ(AskAs("140431-bureau"), "140431:bureau");
}

// Issue 14 item 8: an office whose certificate make-certs revoked is
// refused at its next connection to the running service; the others are
// not.
TEST_F(MakeCertsTest, RevokedOfficeIsRefusedWithoutRestart) {
  ASSERT_EQ(MakeCerts("--office 140431:bureau --office 140000:bureau").code, 0);
  StartRouting();
  ASSERT_EQ(AskAs("140000-bureau"), "140000:bureau");
  ShellResult revoke = MakeCerts(absl::StrCat(
      "--crl-only --revoke ", ShellQuote(offices() + "/140000-bureau.crt")));
  ASSERT_EQ(revoke.code, 0) << revoke.output;
  EXPECT_THAT(AskAs("140000-bureau"), ::testing::HasSubstr("UNAVAILABLE"));
  EXPECT_EQ(AskAs("140431-bureau"), "140431:bureau");
}

TEST_F(MakeCertsTest, RefusesToRevokeTheCaOrAForeignCertificate) {
  ASSERT_EQ(MakeCerts("--office 140431:bureau").code, 0);
  ShellResult ca_itself = MakeCerts(
      absl::StrCat("--crl-only --revoke ", ShellQuote(ca() + "/ca.crt")));
  EXPECT_EQ(ca_itself.code, 2);
  EXPECT_THAT(ca_itself.output, ::testing::HasSubstr("that is the CA itself"));
  std::string foreign = dir_.path() + "/other";
  ASSERT_EQ(
      RunShell(absl::StrCat(ShellQuote(SourcePath("deploy/tls/make-certs")),
                            " --ca-dir ", ShellQuote(foreign + "/ca"),
                            " --out ", ShellQuote(foreign + "/secrets"),
                            " --office-dir ", ShellQuote(foreign + "/offices"),
                            " --office 140431:bureau"))
          .code,
      0);
  ShellResult other = MakeCerts(
      absl::StrCat("--crl-only --revoke ",
                   ShellQuote(foreign + "/offices/140431-bureau.crt")));
  EXPECT_EQ(other.code, 2);
  EXPECT_THAT(other.output,
              ::testing::HasSubstr("not a certificate of the CA"));
}

TEST_F(MakeCertsTest, KeepsKeysOwnerOnlyAndOfficeKeysOutOfTheSecretsDir) {
  ASSERT_EQ(MakeCerts("--office 140431:bureau").code, 0);
  for (const std::string& key :
       {secrets() + "/intake.key", secrets() + "/routing.key",
        secrets() + "/supervision.key", secrets() + "/notification.key",
        secrets() + "/accounts.key", secrets() + "/web.key",
        secrets() + "/statistics.key", ca() + "/ca.key",
        offices() + "/140431-bureau.key"}) {
    ShellResult mode = RunShell(absl::StrCat("stat -c %a ", ShellQuote(key)));
    EXPECT_EQ(mode.output, "600\n") << key;
  }
  ShellResult listing = RunShell(absl::StrCat("ls ", ShellQuote(secrets())));
  EXPECT_EQ(listing.output,
            "accounts.crt\naccounts.key\n"
            "crl\nintake.crt\nintake.key\nnotification.crt\nnotification.key\n"
            "offices-ca.crt\nrouting.crt\nrouting.key\nstatistics.crt\n"
            "statistics.key\nsupervision.crt\nsupervision.key\nweb.crt\n"
            "web.key\n");
}

TEST_F(MakeCertsTest, RefusesAMalformedOfficeCode) {
  ShellResult run = MakeCerts("--office 140431-bureau");
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.output, ::testing::HasSubstr("not an office code"));
}

// Issue 14 item 1: each service's certificate is also its identity when it
// calls another service (URI SAN caserelay:service:<name>): notification
// presents its own to intake in compose.
TEST_F(MakeCertsTest, ServiceCertificateNamesItsServiceIdentity) {
  ASSERT_EQ(MakeCerts("").code, 0);
  StartRouting();
  for (const char* service :
       {"intake", "routing", "supervision", "notification", "accounts",
        "statistics", "web"}) {
    rpc::ClientAuth auth;
    auth.target = server_->target();
    auth.tls_ca_path = secrets() + "/offices-ca.crt";
    auth.tls_cert_path = absl::StrCat(secrets(), "/", service, ".crt");
    auth.tls_key_path = absl::StrCat(secrets(), "/", service, ".key");
    auth.tls_server_name = "routing";
    auto channel = rpc::OfficeChannel(auth);
    ASSERT_TRUE(channel.ok()) << service << ": " << channel.status();
    EXPECT_EQ(OrError(AskOffice(*channel)), absl::StrCat("service:", service));
  }
}

}  // namespace
}  // namespace caserelay::deploy_test
