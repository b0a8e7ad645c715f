// The compose configs start the real services (what `docker-compose up`
// would run, without a container engine): each of the four starts from
// deploy/config/compose/<service>.conf through deploy/bin/caserelay-entrypoint
// (with PROVINCE_CODE's region cut) on devbroker, with certificates from
// deploy/tls/make-certs, and its health check — caserelay-probe on its
// admin port's /healthz — passes. Only what a container provides is
// replaced through the environment: the volume and secrets paths, the
// broker, and loopback ports for the fixed ones.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/deploy/deploy_files.h"
#include "tests/integration/harness.h"

namespace caserelay::deploy_test {
namespace {

using caserelay::testing::Binary;
using caserelay::testing::Process;
using caserelay::testing::TempDir;
using caserelay::testing::WaitForKey;

class ComposeServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string info = dir_.path() + "/devbroker.info";
    auto broker = Process::Start(
        {Binary("tools/devbroker/devbroker"), "--info-file", info}, {},
        dir_.path() + "/devbroker.log");
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = *std::move(broker);
    auto bootstrap =
        WaitForKey(info, "bootstrap", absl::Seconds(20), broker_.get());
    ASSERT_TRUE(bootstrap.ok()) << bootstrap.status();
    bootstrap_ = *bootstrap;
    ShellResult certs = RunShell(absl::StrCat(
        ShellQuote(SourcePath("deploy/tls/make-certs")), " --ca-dir ",
        ShellQuote(dir_.path() + "/ca"), " --out ", ShellQuote(secrets()),
        " --office-dir ", ShellQuote(dir_.path() + "/offices")));
    ASSERT_EQ(certs.code, 0) << certs.output;
  }

  std::string secrets() { return dir_.path() + "/secrets"; }

  // Starts `service` as its container would, from the repository root;
  // returns its admin address once it is ready.
  std::string Start(const std::string& service,
                    std::map<std::string, std::string> env) {
    std::string endpoints =
        absl::StrCat(dir_.path(), "/", service, ".endpoints");
    env["CASERELAY_STORE_PATH"] = absl::StrCat(dir_.path(), "/", service);
    env["CASERELAY_KAFKA_BOOTSTRAP"] = bootstrap_;
    env["CASERELAY_GRPC_LISTEN"] = "127.0.0.1:0";
    env["CASERELAY_ADMIN_LISTEN"] = "127.0.0.1:0";
    env["CASERELAY_ENDPOINTS_FILE"] = endpoints;
    env["REGION_SCOPE"] = "140000";  // PROVINCE_CODE of .env.example
    env["TMPDIR"] = dir_.path();
    // Every service runs mTLS, intake too (issue 14 item 1).
    env["CASERELAY_TLS_CERT_PATH"] =
        absl::StrCat(secrets(), "/", service, ".crt");
    env["CASERELAY_TLS_KEY_PATH"] =
        absl::StrCat(secrets(), "/", service, ".key");
    env["CASERELAY_TLS_CLIENT_CA_PATH"] = secrets() + "/offices-ca.crt";
    env["CASERELAY_TLS_CRL_DIR"] = secrets() + "/crl";
    if (service == "notification") {
      // notification's own certificate is its identity at intake.
      env["CASERELAY_INTAKE_TLS_CA_PATH"] = secrets() + "/offices-ca.crt";
      env["CASERELAY_INTAKE_TLS_CERT_PATH"] = secrets() + "/notification.crt";
      env["CASERELAY_INTAKE_TLS_KEY_PATH"] = secrets() + "/notification.key";
    }
    if (service == "intake") {
      // And intake's is its identity at notification (phone codes).
      env["CASERELAY_NOTIFICATION_TLS_CA_PATH"] = secrets() + "/offices-ca.crt";
      env["CASERELAY_NOTIFICATION_TLS_CERT_PATH"] = secrets() + "/intake.crt";
      env["CASERELAY_NOTIFICATION_TLS_KEY_PATH"] = secrets() + "/intake.key";
    }
    std::string path = absl::StrCat(CASERELAY_BINARY_DIR, "/services/", service,
                                    ":/usr/bin:/bin");
    env["PATH"] = path;
    std::string command =
        absl::StrCat("cd ", ShellQuote(SourcePath("")),
                     " && exec bash deploy/bin/caserelay-entrypoint ", service,
                     " --config deploy/config/compose/", service, ".conf");
    auto process =
        Process::Start({"/bin/sh", "-c", command}, env,
                       absl::StrCat(dir_.path(), "/", service, ".log"));
    EXPECT_TRUE(process.ok()) << process.status();
    if (!process.ok()) return "";
    Process* p = process->get();
    processes_.push_back(*std::move(process));
    auto admin = WaitForKey(endpoints, "admin", absl::Seconds(60), p);
    EXPECT_TRUE(admin.ok()) << service << ": " << admin.status();
    auto grpc = WaitForKey(endpoints, "grpc", absl::Seconds(1), p);
    if (grpc.ok()) grpc_[service] = *grpc;
    return admin.ok() ? *admin : "";
  }

  // docker-compose.yml's health check, on the loopback port.
  ShellResult Probe(const std::string& admin) {
    return RunShell(absl::StrCat(
        "bash ", ShellQuote(SourcePath("deploy/bin/caserelay-probe")), " ",
        PortOf(admin), " /healthz"));
  }

  TempDir dir_;
  std::unique_ptr<Process> broker_;
  std::string bootstrap_;
  std::vector<std::unique_ptr<Process>> processes_;
  std::map<std::string, std::string> grpc_;
};

TEST_F(ComposeServicesTest,
       EveryServiceStartsFromItsComposeConfigAndIsHealthy) {
  // The values .env.example gives (docker-compose.yml's environment).
  // The key ring as deploy/bin/make-pii-keys makes it in the secrets dir.
  ShellResult keys = RunShell(absl::StrCat(
      "sh ", ShellQuote(SourcePath("deploy/bin/make-pii-keys")), " new ",
      ShellQuote(secrets() + "/intake-pii.keys")));
  ASSERT_EQ(keys.code, 0) << keys.output;
  std::string intake =
      Start("intake",
            {{"CASERELAY_LOOKUP_SECRET", "0123456789abcdef0123456789abcdef"},
             {"CASERELAY_PII_KEYS_PATH", secrets() + "/intake-pii.keys"}});
  ASSERT_FALSE(intake.empty());
  EXPECT_EQ(Probe(intake).code, 0) << "intake";
  for (const char* service : {"routing", "supervision"}) {
    std::string admin = Start(service, {});
    ASSERT_FALSE(admin.empty()) << service;
    ShellResult probe = Probe(admin);
    EXPECT_EQ(probe.code, 0) << service << ": " << probe.output;
  }
  // The delivery-report secret as the operator guide makes it
  // (kannel.dlr_secret_path), owner-only.
  const std::string dlr_secret = secrets() + "/notification-dlr.secret";
  ShellResult dlr = RunShell(absl::StrCat(
      "umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n' >",
      ShellQuote(dlr_secret)));
  ASSERT_EQ(dlr.code, 0) << dlr.output;
  // And the phone-code secret (phone_code.secret_path), made the same way.
  const std::string phone_secret =
      secrets() + "/notification-phone-code.secret";
  ShellResult phone = RunShell(absl::StrCat(
      "umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n' >",
      ShellQuote(phone_secret)));
  ASSERT_EQ(phone.code, 0) << phone.output;
  std::string notification = Start(
      "notification",
      {{"CASERELAY_INTAKE_ADDRESS", grpc_["intake"]},
       {"CASERELAY_KANNEL_DLR_SECRET_PATH", dlr_secret},
       {"CASERELAY_PHONE_CODE_SECRET_PATH", phone_secret},
       {"CASERELAY_KANNEL_USERNAME", "caserelay"},
       {"CASERELAY_KANNEL_PASSWORD", "secret"},
       {"CASERELAY_KANNEL_FROM", "10690000"},
       {"CASERELAY_KANNEL_SMSC_ID", "carrier"},
       {"CASERELAY_SMS_RATE_LIMIT", "10"},
       {"CASERELAY_SMS_VIEW_HINT", "登录山西省网上信访平台凭查询码查看"}});
  ASSERT_FALSE(notification.empty());
  ShellResult probe = Probe(notification);
  EXPECT_EQ(probe.code, 0) << "notification: " << probe.output;
}

}  // namespace
}  // namespace caserelay::deploy_test
