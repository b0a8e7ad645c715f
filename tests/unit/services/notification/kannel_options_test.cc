// KannelOptionsFromConfig: the kannel.* settings with their defaults, and
// each missing or bad one refused by its name, the delivery-report secret
// among them (dlr_mac.h: required, owner-only, long enough; issue 14
// item 1).
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/config/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/kannel_gateway.h"
#include "tests/unit/services/notification/kannel_fixture.h"

namespace caserelay::notification {
namespace {

using ::testing::HasSubstr;

// A file holding `text`, with `mode`; its path.
std::string SecretFile(const std::string& name, const std::string& text,
                       mode_t mode) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  EXPECT_EQ(chmod(path.c_str(), mode), 0);
  return path;
}

std::map<std::string, std::string> KannelEnv() {
  return {{"CASERELAY_KANNEL_SENDSMS_URL",
           "http://127.0.0.1:13013/cgi-bin/sendsms"},
          {"CASERELAY_KANNEL_USERNAME", "cr"},
          {"CASERELAY_KANNEL_PASSWORD", "from-env"},
          {"CASERELAY_KANNEL_DLR_URL", "http://127.0.0.1:8081/sms/dlr"},
          {"CASERELAY_KANNEL_DLR_SECRET_PATH",
           SecretFile("kannel-dlr.secret", kDlrSecret + "\n", 0600)}};
}

TEST(KannelOptionsFromConfigTest, ReadsSettingsWithDefaults) {
  auto env = KannelEnv();
  env["CASERELAY_KANNEL_SMSC_ID"] = "fake";
  auto config = config::Config::Load("", KannelSettings(), env);
  ASSERT_TRUE(config.ok()) << config.status();
  absl::StatusOr<KannelOptions> o = KannelOptionsFromConfig(*config);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->sendsms_url, "http://127.0.0.1:13013/cgi-bin/sendsms");
  EXPECT_EQ(o->username, "cr");
  EXPECT_EQ(o->password, "from-env");
  EXPECT_EQ(o->from, "");
  EXPECT_EQ(o->smsc_id, "fake");
  EXPECT_EQ(o->dlr_url, "http://127.0.0.1:8081/sms/dlr");
  EXPECT_EQ(o->dlr_mask, 27);
  EXPECT_EQ(o->dlr_keys.signing(), kDlrSecret);
  EXPECT_EQ(o->timeout, absl::Seconds(10));
}

TEST(KannelOptionsFromConfigTest, RefusesMissingOrBadSettingNamingIt) {
  struct Row {
    std::string env, value, named;
  };
  for (const Row& row : std::vector<Row>{
           {"CASERELAY_KANNEL_SENDSMS_URL", "", "kannel.sendsms_url"},
           {"CASERELAY_KANNEL_SENDSMS_URL", "https://k/cgi-bin/sendsms",
            "kannel.sendsms_url"},
           {"CASERELAY_KANNEL_USERNAME", "", "kannel.username"},
           {"CASERELAY_KANNEL_PASSWORD", "", "kannel.password"},
           {"CASERELAY_KANNEL_DLR_URL", "", "kannel.dlr_url"},
           {"CASERELAY_KANNEL_DLR_URL", "/sms/dlr", "kannel.dlr_url"},
           {"CASERELAY_KANNEL_DLR_MASK", "0", "kannel.dlr_mask"},
           {"CASERELAY_KANNEL_DLR_MASK", "32", "kannel.dlr_mask"},
           {"CASERELAY_KANNEL_TIMEOUT", "0", "kannel.timeout"},
           // dlr_mac.h: the secret is required, owner-only, long enough.
           {"CASERELAY_KANNEL_DLR_SECRET_PATH",
            SecretFile("kannel-dlr-open.secret", kDlrSecret, 0644),
            "kannel.dlr_secret_path"},
           {"CASERELAY_KANNEL_DLR_SECRET_PATH",
            SecretFile("kannel-dlr-short.secret", "short", 0600),
            "kannel.dlr_secret_path"},
       }) {
    auto env = KannelEnv();
    env[row.env] = row.value;
    auto config = config::Config::Load("", KannelSettings(), env);
    ASSERT_TRUE(config.ok()) << config.status();
    absl::StatusOr<KannelOptions> o = KannelOptionsFromConfig(*config);
    EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument)
        << row.env << "=" << row.value;
    EXPECT_THAT(o.status().message(), HasSubstr(row.named));
  }
  // dlr_mac.h: without a secret the Kannel gateway does not start.
  auto env = KannelEnv();
  env.erase("CASERELAY_KANNEL_DLR_SECRET_PATH");
  auto config = config::Config::Load("", KannelSettings(), env);
  ASSERT_TRUE(config.ok()) << config.status();
  absl::StatusOr<KannelOptions> o = KannelOptionsFromConfig(*config);
  EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(o.status().message(), HasSubstr("kannel.dlr_secret_path"));
}

}  // namespace
}  // namespace caserelay::notification
