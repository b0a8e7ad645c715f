// Issue 14 item 8 through a real service process: routing's TLS settings
// in its config file (tls.crl_dir, tls.reload_interval) reach its gRPC
// server, so a renewed server certificate serves new connections and an
// office certificate added to the CRL is refused at its next connection,
// both without a restart. Certificates and CRLs come from the openssl CLI
// at test time (tests/unit/common/rpc/test_pki.h).

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "caserelay/v1/routing.grpc.pb.h"
#include "common/rpc/credentials.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/unit/common/rpc/test_pki.h"

namespace caserelay::testing {
namespace {

using rpc::testing::Eventually;
using rpc::testing::ReadFile;
using rpc::testing::Replace;

TEST(TlsReloadIntegrationTest, RoutingRenewsAndRevokesWithoutRestart) {
  auto pki = rpc::testing::TestPki::Create();
  ASSERT_TRUE(pki.ok()) << pki.status();
  const rpc::testing::TestPki& p = **pki;
  for (absl::Status s :
       {p.IssueLeaf("server_renewed", "localhost", "server_ext", 400),
        p.IssueLeaf("county", "140431:bureau", "client_ext", 401),
        p.IssueLeaf("province", "140000:bureau", "client_ext", 402)}) {
    ASSERT_TRUE(s.ok()) << s;
  }
  const std::string serving = p.Path("serving");
  const std::string crls = p.Path("crls");
  std::filesystem::create_directories(serving);
  std::filesystem::create_directories(crls);
  Replace(p.Path("server.pem"), serving + "/routing.crt");
  Replace(p.Path("server.key"), serving + "/routing.key");
  ASSERT_TRUE(p.WriteCrl(crls + "/crl-1.pem").ok());
  ASSERT_TRUE(p.Rehash(crls).ok());

  SystemOptions options;
  options.services = {"routing"};
  options.settings["routing"] = {
      {"auth.mode", "mtls"},
      {"auth.tokens_path", ""},
      {"tls.cert_path", serving + "/routing.crt"},
      {"tls.key_path", serving + "/routing.key"},
      {"tls.client_ca_path", p.Path("ca.pem")},
      {"tls.crl_dir", crls},
      {"tls.reload_interval", "1s"},
  };
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();

  // ListInbox over a new connection as the office of `who`: "OK" or the
  // call's code and message; `server_cert` gets the certificate routing
  // presented.
  auto list_inbox = [&](const std::string& who,
                        std::string* server_cert = nullptr) -> std::string {
    rpc::ClientAuth auth;
    auth.target = (*sys)->grpc_address("routing");
    auth.tls_ca_path = p.Path("ca.pem");
    auth.tls_cert_path = p.Path(who + ".pem");
    auth.tls_key_path = p.Path(who + ".key");
    auto channel = rpc::OfficeChannel(auth);
    if (!channel.ok()) return channel.status().ToString();
    auto stub = caserelay::v1::RoutingService::NewStub(*channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    caserelay::v1::ListInboxRequest request;
    caserelay::v1::ListInboxResponse response;
    grpc::Status status = stub->ListInbox(&ctx, request, &response);
    if (!status.ok()) {
      return absl::StrCat(status.error_code(), " ", status.error_message());
    }
    if (server_cert != nullptr) {
      auto pem = ctx.auth_context()->FindPropertyValues("x509_pem_cert");
      if (pem.size() == 1) server_cert->assign(pem[0].data(), pem[0].size());
    }
    return "OK";
  };

  std::string cert;
  ASSERT_EQ(list_inbox("county", &cert), "OK");
  EXPECT_EQ(cert, ReadFile(p.Path("server.pem")));
  ASSERT_EQ(list_inbox("province"), "OK");

  // The renewal, as make-certs does it: the new key, then its certificate.
  Replace(p.Path("server_renewed.key"), serving + "/routing.key");
  Replace(p.Path("server_renewed.pem"), serving + "/routing.crt");
  const std::string renewed = ReadFile(p.Path("server_renewed.pem"));
  EXPECT_EQ(Eventually(
                [&] {
                  std::string seen;
                  return list_inbox("county", &seen) == "OK" ? seen : "";
                },
                renewed, absl::Seconds(20)),
            renewed);

  // The county's certificate revoked: a new CRL beside the first.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_TRUE(p.Revoke("county").ok());
  ASSERT_TRUE(p.WriteCrl(crls + "/crl-2.pem").ok());
  ASSERT_TRUE(p.Rehash(crls).ok());
  EXPECT_EQ(list_inbox("county").rfind("14 ", 0), 0u)  // UNAVAILABLE
      << list_inbox("county");
  EXPECT_EQ(list_inbox("province"), "OK");
}

}  // namespace
}  // namespace caserelay::testing
