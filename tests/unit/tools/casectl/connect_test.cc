// Where casectl finds the services and its credentials.
#include "tools/casectl/connect.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace caserelay::casectl {
namespace {

class ConnectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("casectl_connect_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    ::unsetenv("CASERELAY_ROUTING");
    ::unsetenv("CASERELAY_INTAKE");
    ::unsetenv("CASERELAY_SUPERVISION");
    ::unsetenv("CASERELAY_TOKEN_FILE");
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    ::unsetenv("CASERELAY_ROUTING");
    ::unsetenv("CASERELAY_INTAKE");
    ::unsetenv("CASERELAY_SUPERVISION");
    ::unsetenv("CASERELAY_TOKEN_FILE");
  }
  void WriteEndpoints(const std::string& service, const std::string& text) {
    std::ofstream(dir_ / (service + ".endpoints")) << text;
  }
  std::filesystem::path dir_;
};

TEST_F(ConnectTest, FlagBeatsEnvironmentBeatsEndpointsFile) {
  WriteEndpoints("routing", "admin=127.0.0.1:9\ngrpc=127.0.0.1:7003\n");
  EXPECT_EQ(*ServiceAddress("routing", "", dir_.string()), "127.0.0.1:7003");
  ::setenv("CASERELAY_ROUTING", "127.0.0.1:7002", 1);
  EXPECT_EQ(*ServiceAddress("routing", "", dir_.string()), "127.0.0.1:7002");
  EXPECT_EQ(*ServiceAddress("routing", "127.0.0.1:7001", dir_.string()),
            "127.0.0.1:7001");
}

TEST_F(ConnectTest, NoAddressAnywhereSaysWhereToGiveOne) {
  auto address = ServiceAddress("intake", "", dir_.string());
  EXPECT_EQ(address.status().code(), absl::StatusCode::kInvalidArgument);
  for (const char* want :
       {"--intake", "$CASERELAY_INTAKE", "intake.endpoints"}) {
    EXPECT_TRUE(absl::StrContains(address.status().message(), want))
        << address.status().message();
  }
}

TEST_F(ConnectTest, RoutingTakesTheTokenFileFromTheEnvironment) {
  ::setenv("CASERELAY_TOKEN_FILE", "/run/token", 1);
  GlobalOptions global;
  global.routing = "127.0.0.1:7001";
  auto auth = RoutingAuth(global);
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_EQ(auth->target, "127.0.0.1:7001");
  EXPECT_EQ(auth->token_file, "/run/token");
  global.token_file = "/mine";
  EXPECT_EQ(RoutingAuth(global)->token_file, "/mine");
}

TEST_F(ConnectTest, ClientCertificateNeedsItsKeyAndACa) {
  GlobalOptions global;
  global.routing = "127.0.0.1:7001";
  global.tls_cert = "c.pem";
  EXPECT_EQ(RoutingAuth(global).status().code(),
            absl::StatusCode::kInvalidArgument);
  global.tls_key = "k.pem";
  auto auth = RoutingAuth(global);
  EXPECT_EQ(auth.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(auth.status().message(), "--tls-ca"));
  global.tls_ca = "ca.pem";
  auth = RoutingAuth(global);
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_EQ(auth->tls_cert_path, "c.pem");
  EXPECT_EQ(auth->tls_key_path, "k.pem");
  EXPECT_EQ(auth->tls_ca_path, "ca.pem");
}

TEST_F(ConnectTest, SupervisionIsFoundAndReachedLikeRouting) {
  WriteEndpoints("supervision", "admin=127.0.0.1:9\ngrpc=127.0.0.1:7005\n");
  EXPECT_EQ(*ServiceAddress("supervision", "", dir_.string()),
            "127.0.0.1:7005");
  ::setenv("CASERELAY_SUPERVISION", "127.0.0.1:7004", 1);
  EXPECT_EQ(*ServiceAddress("supervision", "", dir_.string()),
            "127.0.0.1:7004");
  ::setenv("CASERELAY_TOKEN_FILE", "/run/token", 1);
  GlobalOptions global;
  global.routing = "127.0.0.1:7001";
  global.supervision = "127.0.0.1:7003";
  global.tls_ca = "ca.pem";
  global.tls_cert = "c.pem";
  global.tls_key = "k.pem";
  global.tls_server_name = "supervision.internal";
  auto auth = SupervisionAuth(global);
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_EQ(auth->target, "127.0.0.1:7003");
  EXPECT_EQ(auth->token_file, "/run/token");
  EXPECT_EQ(auth->tls_ca_path, "ca.pem");
  EXPECT_EQ(auth->tls_cert_path, "c.pem");
  EXPECT_EQ(auth->tls_key_path, "k.pem");
  EXPECT_EQ(auth->tls_server_name, "supervision.internal");
  global.tls_key.clear();
  EXPECT_EQ(SupervisionAuth(global).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Issue 14 item 1: every RPC is authenticated, intake's too.
TEST_F(ConnectTest, IntakeGetsTheOfficeCredentials) {
  ::setenv("CASERELAY_TOKEN_FILE", "/run/token", 1);
  GlobalOptions global;
  global.intake = "127.0.0.1:7000";
  global.token_file = "/mine";
  global.tls_ca = "ca.pem";
  global.tls_cert = "c.pem";
  global.tls_key = "k.pem";
  auto auth = IntakeAuth(global);
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_EQ(auth->target, "127.0.0.1:7000");
  EXPECT_EQ(auth->token_file, "/mine");
  EXPECT_EQ(auth->tls_cert_path, "c.pem");
  EXPECT_EQ(auth->tls_key_path, "k.pem");
  EXPECT_EQ(auth->tls_ca_path, "ca.pem");
}

}  // namespace
}  // namespace caserelay::casectl
