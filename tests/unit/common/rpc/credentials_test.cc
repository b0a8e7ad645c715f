// common/rpc: checks on TLS files and on the client's auth description.
#include "common/rpc/credentials.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/rpc/server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/rpc/test_pki.h"

namespace caserelay::rpc {
namespace {

using ::testing::HasSubstr;

class CredentialsTest : public testing::TestPkiSuite {};

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

// Revocation lists (issue 14 item 8) as gRPC's OpenSSL reads them: only
// hashed names, PEM, from the client CA; an expired one would refuse every
// client, a misnamed or dangling one is silently skipped — so each stops
// start-up with the file named.
TEST_F(CredentialsTest, CrlDirectoryAndReloadIntervalAreCheckedAtStart) {
  const testing::TempDir& d = pki_->dir();
  auto crl_dir = [&](const std::string& name, const std::string& more,
                     const std::string& link) {
    std::string dir = d.Path(name);
    std::filesystem::create_directories(dir);
    absl::Status s = pki_->WriteCrl(dir + "/ca.crl.pem", more);
    if (s.ok() && link == "rehash") s = pki_->Rehash(dir);
    if (s.ok() && !link.empty() && link != "rehash") {
      std::filesystem::create_symlink(dir + "/ca.crl.pem", dir + "/" + link);
    }
    EXPECT_TRUE(s.ok()) << s;
    return dir;
  };
  const std::string good = crl_dir("crl_good", "", "rehash");
  const std::string not_hashed = crl_dir("crl_plain", "", "");
  const std::string rogue = crl_dir(
      "crl_rogue", "-cert rogue_ca.pem -keyfile rogue_ca.key", "rehash");
  const std::string expired = crl_dir(
      "crl_expired",
      "-crl_lastupdate 20200101000000Z -crl_nextupdate 20200102000000Z",
      "rehash");
  // An old CRL that expired beside the fresh one published after it.
  const std::string renewed = crl_dir(
      "crl_renewed",
      "-crl_lastupdate 20200101000000Z -crl_nextupdate 20200102000000Z",
      "rehash");
  EXPECT_TRUE(pki_->WriteCrl(renewed + "/ca-2.crl.pem").ok());
  EXPECT_TRUE(pki_->Rehash(renewed).ok());
  const std::string misnamed = crl_dir("crl_misnamed", "", "00000000.r0");
  const std::string dangling = crl_dir("crl_dangling", "", "rehash");
  std::filesystem::remove(dangling + "/ca.crl.pem");
  const std::string not_pem = d.Path("crl_not_pem");
  std::filesystem::create_directories(not_pem);
  d.Write("crl_not_pem/0badbeef.r0", "hello\n");

  struct Row {
    const char* why;
    std::string crl_dir;
    absl::Duration reload;
    absl::StatusCode code;
    std::string message;
  };
  const std::string server = P("server.pem"), key = P("server.key");
  for (const Row& row : std::vector<Row>{
           {"a hashed CRL of the client CA", good, absl::Seconds(60),
            absl::StatusCode::kOk, ""},
           {"reload every second (the shortest)", "", absl::Seconds(1),
            absl::StatusCode::kOk, ""},
           {"reload interval 0", "", absl::ZeroDuration(),
            absl::StatusCode::kInvalidArgument,
            "tls.reload_interval 0: must be whole seconds from 1s to 24h"},
           {"reload interval not whole seconds", "", absl::Milliseconds(1500),
            absl::StatusCode::kInvalidArgument, "tls.reload_interval 1.5s"},
           {"reload interval over a day", "", absl::Hours(25),
            absl::StatusCode::kInvalidArgument, "tls.reload_interval 25h"},
           {"missing CRL directory", d.Path("absent"), absl::Seconds(60),
            absl::StatusCode::kNotFound,
            "CRL directory " + d.Path("absent") + ": does not exist"},
           {"CRL not rehashed: gRPC would never read it", not_hashed,
            absl::Seconds(60), absl::StatusCode::kInvalidArgument,
            "no CRL named <issuer hash>.r<n> in it"},
           {"CRL of another CA", rogue, absl::Seconds(60),
            absl::StatusCode::kInvalidArgument,
            "not issued and signed by a CA of the client CA bundle"},
           {"expired CRL: every client would be refused", expired,
            absl::Seconds(60), absl::StatusCode::kInvalidArgument,
            "the newest CRL of its CA has expired"},
           {"an expired CRL and a fresh one after it", renewed,
            absl::Seconds(60), absl::StatusCode::kOk, ""},
           {"hashed name of another issuer", misnamed, absl::Seconds(60),
            absl::StatusCode::kInvalidArgument, "named for another issuer"},
           {"hash link to a removed CRL", dangling, absl::Seconds(60),
            absl::StatusCode::kNotFound, "CRL directory " + dangling},
           {"no PEM CRL under a hashed name", not_pem, absl::Seconds(60),
            absl::StatusCode::kInvalidArgument, "0badbeef.r0: no PEM CRL"},
       }) {
    ServerTlsFiles files{server, key, P("ca.pem"), row.crl_dir, row.reload};
    auto creds = MakeServerCredentials(files);
    EXPECT_EQ(creds.status().code(), row.code) << row.why << ": "
                                               << creds.status();
    EXPECT_THAT(std::string(creds.status().message()), HasSubstr(row.message))
        << row.why;
  }
  ServerTlsFiles no_client_ca{server, key, "", good};
  EXPECT_THAT(std::string(MakeServerCredentials(no_client_ca).status().message()),
              HasSubstr("tls.crl_dir) needs the client CA"));
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
           {"reload interval 0 (issue 14 item 8)",
            {t, "", "", P("ca.pem"), "", "", "", absl::ZeroDuration()},
            absl::StatusCode::kInvalidArgument},
       }) {
    EXPECT_EQ(OfficeChannel(row.auth).status().code(), row.code) << row.why;
  }
}

}  // namespace
}  // namespace caserelay::rpc
