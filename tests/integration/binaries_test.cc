// Every binary answers --help; a service with a wrong or missing setting
// refuses to start with exit code 2 and one line naming the setting
// (issue 2: config; CONVENTIONS.md #12).

#include <sys/stat.h>

#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

class BinaryHelpTest : public ::testing::TestWithParam<const char*> {};

TEST_P(BinaryHelpTest, AnswersHelpWithExitZero) {
  CommandResult r = RunCommand(Binary(GetParam()) + " --help");
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_GT(r.output.size(), 100u) << r.output;
}

INSTANTIATE_TEST_SUITE_P(
    All, BinaryHelpTest,
    ::testing::Values("services/intake/intake", "services/routing/routing",
                      "services/supervision/supervision",
                      "services/notification/notification",
                      "services/accounts/accounts", "services/web/web",
                      "services/statistics/statistics",
                      "tools/devbroker/devbroker", "tools/casectl/casectl"));

TEST(ServiceHelpTest, ListsEverySettingWithItsEnvironmentName) {
  CommandResult r = RunCommand(Binary("services/intake/intake") + " --help");
  for (const char* key : {"store.path", "kafka.bootstrap", "grpc.listen",
                          "admin.listen", "lookup.secret", "regions.path"}) {
    EXPECT_TRUE(absl::StrContains(r.output, key)) << key;
  }
  EXPECT_TRUE(absl::StrContains(r.output, "CASERELAY_STORE_PATH")) << r.output;
}

struct BadConfig {
  const char* why;
  const char* file;   // config file contents
  const char* env;    // extra environment, "K=V" or ""
  const char* names;  // what the one line must name
};

class BadConfigTest : public ::testing::TestWithParam<BadConfig> {};

TEST_P(BadConfigTest, RefusesToStartWithOneLineNamingTheSetting) {
  const BadConfig& c = GetParam();
  TempDir dir;
  std::string conf = dir.path() + "/routing.conf";
  FILE* f = fopen(conf.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fputs(c.file, f);
  fclose(f);
  CommandResult r = RunCommand(absl::StrCat(
      c.env, " ", Binary("services/routing/routing"), " --config ", conf));
  EXPECT_EQ(r.code, 2) << c.why << ": " << r.output;
  std::vector<std::string> lines =
      absl::StrSplit(r.output, '\n', absl::SkipEmpty());
  EXPECT_EQ(lines.size(), 1u) << c.why << ": " << r.output;
  EXPECT_TRUE(absl::StrContains(r.output, c.names))
      << c.why << ": " << r.output;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, BadConfigTest,
    ::testing::Values(BadConfig{"a required setting is missing",
                                "kafka.bootstrap = x:1\n", "", "store.path"},
                      BadConfig{"a typo in a key",
                                "store.path = /tmp/x\nkafka.bootstap = x:1\n",
                                "", "kafka.bootstap"},
                      BadConfig{"a malformed address",
                                "store.path = /tmp/x\ngrpc.listen = nowhere\n",
                                "", "grpc.listen"},
                      BadConfig{"a bad value from the environment",
                                "store.path = /tmp/x\nkafka.bootstrap = x:1\n",
                                "CASERELAY_KAFKA_WAIT=soon",
                                "CASERELAY_KAFKA_WAIT"},
                      BadConfig{"no broker given at all",
                                "store.path = /tmp/x\n", "",
                                "kafka.bootstrap"}));

// The web gateway's start-up refusals (issue 15 items 1 and 3): exit 2
// and one line naming the setting, before it serves anything.
TEST(WebConfigTest, RefusesToStartWithOneLineNamingTheSetting) {
  TempDir dir;
  const std::string src = CASERELAY_SOURCE_DIR;
  auto write = [&](const std::string& name, const std::string& text,
                   mode_t mode) {
    const std::string path = dir.path() + "/" + name;
    std::ofstream(path) << text;
    chmod(path.c_str(), mode);
    return path;
  };
  const std::string good_secret =
      write("good.secret", std::string(40, 'g'), 0600);
  const std::string open_secret =
      write("open.secret", std::string(40, 'o'), 0644);
  const std::string short_secret = write("short.secret", "tooshort", 0600);
  const std::string token = write("token", "t0ken\n", 0600);
  // The real layout without any page's fragment.
  const std::string layout_only = dir.path() + "/pages";
  mkdir(layout_only.c_str(), 0755);
  {
    std::ifstream layout(src + "/services/web/pages/layout.html");
    std::ofstream(layout_only + "/layout.html") << layout.rdbuf();
  }
  const std::string peers = absl::StrCat(
      "regions.path = ", src, "/data/regions/regions.tsv\n",
      "offices.dir = ", src, "/data/offices\n",
      "intake.address = 127.0.0.1:1\nrouting.address = 127.0.0.1:1\n",
      "notification.address = 127.0.0.1:1\n");
  const std::string tokens = absl::StrCat(
      "intake.token_file = ", token, "\nrouting.token_file = ", token,
      "\nnotification.token_file = ", token, "\n");
  struct Row {
    const char* why;
    std::string file;
    const char* names;
  };
  const Row rows[] = {
      {"web-contract.md: the cookie secret is required", peers + tokens,
       "web.secret_path"},
      {"issue 15 item 3: a secret others may read is refused",
       absl::StrCat(peers, tokens, "web.secret_path = ", open_secret, "\n"),
       "web.secret_path"},
      {"a secret under 32 bytes is refused",
       absl::StrCat(peers, tokens, "web.secret_path = ", short_secret, "\n"),
       "web.secret_path"},
      {"service:web must prove itself to intake",
       absl::StrCat(peers, "web.secret_path = ", good_secret,
                    "\nrouting.token_file = ", token,
                    "\nnotification.token_file = ", token, "\n"),
       "intake.token_file"},
      {"issue 15 item 3: the portal's TLS key readable by others is refused",
       absl::StrCat(peers, tokens, "web.secret_path = ", good_secret,
                    "\nweb.tls_cert = ", open_secret,
                    "\nweb.tls_key = ", open_secret, "\n"),
       "web.tls_key"},
      {"the body limit has a range",
       absl::StrCat(peers, tokens, "web.secret_path = ", good_secret,
                    "\nweb.max_body_bytes = 10\n"),
       "web.max_body_bytes"},
      {"c2: a pages directory lacking the pages' fragments (page_layout.h)",
       absl::StrCat(peers, tokens, "web.secret_path = ", good_secret,
                    "\nweb.pages_dir = ", layout_only, "\n"),
       "web.pages_dir"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    const std::string conf = write("web.conf", row.file, 0600);
    CommandResult r = RunCommand(
        absl::StrCat(Binary("services/web/web"), " --config ", conf));
    EXPECT_EQ(r.code, 2) << r.output;
    std::vector<std::string> lines =
        absl::StrSplit(r.output, '\n', absl::SkipEmpty());
    EXPECT_EQ(lines.size(), 1u) << r.output;
    EXPECT_TRUE(absl::StrContains(r.output, row.names)) << r.output;
  }
}

TEST(ServiceFlagsTest, UnknownArgumentIsExitTwo) {
  CommandResult r =
      RunCommand(Binary("services/intake/intake") + " --frobnicate");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_TRUE(absl::StrContains(r.output, "--frobnicate")) << r.output;
}

}  // namespace
}  // namespace caserelay::testing
