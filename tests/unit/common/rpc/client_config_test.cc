// The settings of a service's channel to a peer (common/rpc/client_config.h):
// notification's to intake, the web gateway's to intake, routing and
// notification (issue 14 item 1, issue 15 item 1).

#include "common/rpc/client_config.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace caserelay::rpc {
namespace {

const PeerClient kClient{"routing", "web", "for the petitioner's view"};

absl::StatusOr<config::Config> Load(
    const std::map<std::string, std::string>& env) {
  return config::Config::Load("", PeerClientSettings(kClient), env);
}

TEST(PeerClientTest, SettingsArePrefixedByThePeerAndNameTheCaller) {
  std::set<std::string> keys;
  for (const config::Setting& s : PeerClientSettings(kClient)) {
    keys.insert(s.key);
    EXPECT_EQ(s.required, s.key == "routing.address") << s.key;
  }
  EXPECT_EQ(keys, (std::set<std::string>{
                      "routing.address", "routing.token_file",
                      "routing.tls_ca_path", "routing.tls_cert_path",
                      "routing.tls_key_path", "routing.tls_server_name"}));
  for (const config::Setting& s : PeerClientSettings(kClient)) {
    if (s.key == "routing.token_file") {
      EXPECT_TRUE(absl::StrContains(s.help, "service:web")) << s.help;
    }
  }
}

TEST(PeerClientTest, AuthComesFromTheSettingsAndNeedsAProof) {
  struct Row {
    const char* why;
    std::map<std::string, std::string> env;
    absl::StatusCode code;
  };
  const Row rows[] = {
      {"issue 14 item 1: a token file proves service:web",
       {{"CASERELAY_ROUTING_ADDRESS", "routing:50052"},
        {"CASERELAY_ROUTING_TOKEN_FILE", "/run/token"}},
       absl::StatusCode::kOk},
      {"a client certificate proves it too (mTLS in compose)",
       {{"CASERELAY_ROUTING_ADDRESS", "routing:50052"},
        {"CASERELAY_ROUTING_TLS_CA_PATH", "/s/ca.crt"},
        {"CASERELAY_ROUTING_TLS_CERT_PATH", "/s/web.crt"},
        {"CASERELAY_ROUTING_TLS_KEY_PATH", "/s/web.key"}},
       absl::StatusCode::kOk},
      {"neither: every call would be UNAUTHENTICATED, so start-up fails",
       {{"CASERELAY_ROUTING_ADDRESS", "routing:50052"}},
       absl::StatusCode::kInvalidArgument},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    auto cfg = Load(row.env);
    ASSERT_TRUE(cfg.ok()) << cfg.status();
    auto auth = PeerClientAuth(*cfg, kClient);
    EXPECT_EQ(auth.status().code(), row.code) << auth.status();
    if (!auth.ok()) {
      EXPECT_TRUE(
          absl::StrContains(auth.status().message(), "routing.token_file"));
      EXPECT_TRUE(
          absl::StrContains(auth.status().message(), "routing.tls_cert_path"));
      continue;
    }
    EXPECT_EQ(auth->target, "routing:50052");
    EXPECT_EQ(auth->token_file, row.env.count("CASERELAY_ROUTING_TOKEN_FILE")
                                    ? "/run/token"
                                    : "");
    EXPECT_EQ(
        auth->tls_cert_path,
        row.env.count("CASERELAY_ROUTING_TLS_CERT_PATH") ? "/s/web.crt" : "");
  }
}

TEST(PeerClientTest, AChannelErrorNamesThePeer) {
  // A token file that is not there stops start-up, saying whose it is.
  auto cfg = Load({{"CASERELAY_ROUTING_ADDRESS", "routing:50052"},
                   {"CASERELAY_ROUTING_TOKEN_FILE", "/nonexistent/token"}});
  ASSERT_TRUE(cfg.ok()) << cfg.status();
  auto channel = PeerChannel(*cfg, kClient);
  ASSERT_FALSE(channel.ok());
  EXPECT_TRUE(absl::StartsWith(channel.status().message(), "routing client: "))
      << channel.status();
}

}  // namespace
}  // namespace caserelay::rpc
