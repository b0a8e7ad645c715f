// Issue 19 item 5, the SMS half: notification as three instances of one
// consumer group behind one Kannel with its fake SMSC, the SMS records
// kept per partition and moved through notification-changelog
// (services/notification/README.md "Running as several instances").
// A stream of cases is filed while instance #2 is SIGKILLed and #3
// restarted (its partitions move twice), then #2 comes back. Every
// instance's dlr-url names instance #1, so Kannel gives #1 the delivery
// reports of parts the others sent: each of those reaches the owner of
// its partition only if #1 passes it on (NotificationClusterService).
// Then:
//   - every receipt reaches the phone exactly once (one left UNKNOWN by
//     the SIGKILL, the honest outcome of a cut-off part, at most once),
//     none is lost, no part twice, nothing else reaches the phone;
//   - every delivery report is applied: a receipt on the phone is
//     DELIVERED (unless smsbox itself died holding its report:
//     ReportMayBeLost), and #1 passed reports on to the other owners;
//   - every case's messages are listed through #1 (ListMessages is
//     forwarded to the owner), and every instance is healthy.

#include <signal.h>

#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "caserelay/v1/notification.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/kannel.h"
#include "tests/integration/sms_steps.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::SmsMessage;

constexpr int kInstances = 3;
constexpr int kCases = 240;

struct Cluster {
  std::unique_ptr<TempDir> kannel_dir = std::make_unique<TempDir>();
  std::unique_ptr<Kannel> kannel;
  std::unique_ptr<System> sys;
};

// Kannel, then intake, routing and three notification instances, each on
// its own fixed admin port (kept across restarts); every dlr-url names
// instance #1's.
absl::StatusOr<Cluster> StartCluster() {
  Cluster c;
  auto kannel = Kannel::Start({c.kannel_dir->path()});
  if (!kannel.ok()) return kannel.status();
  c.kannel = *std::move(kannel);
  SystemOptions options;
  options.services = {"intake", "routing", "notification"};
  options.instances = {{"notification", kInstances}};
  std::string first_admin;
  for (int k = 1; k <= kInstances; ++k) {
    auto port = FreeLoopbackPort();
    if (!port.ok()) return port.status();
    const std::string admin = absl::StrCat("127.0.0.1:", *port);
    if (k == 1) first_admin = admin;
    // Instance 1's settings are the service's: added to, not replaced.
    options.settings[System::InstanceName("notification", k)]["admin.listen"] =
        admin;
  }
  auto& n = options.settings["notification"];
  n["notification.gateway"] = "kannel";
  n["kannel.sendsms_url"] = c.kannel->sendsms_url();
  n["kannel.username"] = c.kannel->username();
  n["kannel.password"] = c.kannel->password();
  n["kannel.from"] = kSmsFrom;
  n["kannel.timeout"] = "5s";
  n["kannel.dlr_url"] = absl::StrCat("http://", first_admin, "/sms/dlr");
  n["sms.first_backoff"] = "200ms";
  n["sms.max_backoff"] = "1s";
  n["sms.window"] = "4";
  auto sys = System::Start(std::move(options));
  if (!sys.ok()) return sys.status();
  c.sys = *std::move(sys);
  return c;
}

void FileCases(System& sys, std::vector<Filed>& filed, int n) {
  for (int i = 0; i < n; ++i) {
    filed.push_back(File(sys, static_cast<int>(filed.size())));
  }
}

TEST(SmsInstancesTest, EveryReceiptOnceAcrossAKillAndARestart) {
  // Only a notification whose --help says "instances: many" keeps its SMS
  // records per partition; several of any other would send twice.
  const CommandResult help =
      RunCommand(Binary("services/notification/notification") + " --help");
  if (!absl::StrContains(help.output, "\ninstances: many")) {
    GTEST_SKIP() << "notification says instances: one";
  }
  auto cluster = StartCluster();
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  System& sys = *cluster->sys;
  const absl::Time began = absl::Now();
  std::vector<Filed> filed;

  FileCases(sys, filed, kCases / 3);
  sys.Kill("notification#2", SIGKILL);
  std::cout << "SIGKILL notification#2 at " << filed.size() << " filed"
            << std::endl;
  FileCases(sys, filed, kCases / 3);
  sys.Kill("notification#3", SIGTERM);
  ASSERT_EQ(sys.Restart("notification#3"), absl::OkStatus());
  std::cout << "restarted notification#3 at " << filed.size() << " filed"
            << std::endl;
  FileCases(sys, filed, kCases - static_cast<int>(filed.size()));
  ASSERT_EQ(sys.Restart("notification#2"), absl::OkStatus());
  std::cout << "notification#2 back at " << filed.size() << " filed, "
            << absl::Now() - began << std::endl;

  // Listed through instance #1, which forwards to each case's owner.
  std::vector<std::string> ids;
  for (const Filed& f : filed) ids.push_back(f.id);
  AwaitSettled(sys, ids, 1, Scaled(absl::Minutes(4)));
  ASSERT_EQ(cluster->kannel->AwaitDrained(absl::Seconds(60)),
            absl::OkStatus());
  std::cout << "settled in " << absl::Now() - began << std::endl;

  int duplicate_parts = 0;
  const std::vector<Assembled> phone =
      Assemble(cluster->kannel->Received(), &duplicate_parts);
  EXPECT_EQ(duplicate_parts, 0) << "no part sent twice";
  int strangers = 0;
  std::map<std::string, int> times = ReceiptsByCase(phone, &strangers);
  EXPECT_EQ(strangers, 0) << "the SMSC got nothing but the receipts";
  std::map<std::string, absl::Time> arrived;
  for (const Assembled& a : phone) {
    const size_t at = a.text.find("编号");
    if (at == std::string::npos) continue;
    for (const Filed& f : filed) {
      if (a.text.find(f.id, at) != std::string::npos) {
        arrived[f.id] = a.received_at;
      }
    }
  }
  // A report that reached #1 while its partition moved was answered 503
  // and comes again (smsbox's retry): wait for every receipt on the phone
  // to be DELIVERED, unless smsbox died holding its report.
  auto done = [&](const SmsMessage& m) {
    if (m.state() == caserelay::v1::SMS_STATE_DELIVERED) return true;
    if (m.state() != caserelay::v1::SMS_STATE_UNKNOWN) return Settled(m);
    return times[m.case_id()] == 0 ||
           ReportMayBeLost(*cluster->kannel, arrived[m.case_id()]);
  };
  auto settled = AwaitSettled(sys, ids, 1, Scaled(absl::Minutes(2)), done);
  int delivered = 0, unknown = 0, report_lost = 0;
  for (const Filed& f : filed) {
    const std::vector<SmsMessage>& msgs = settled[f.id];
    ASSERT_EQ(msgs.size(), 1u) << f.id << ": one receipt";
    const SmsMessage& m = msgs[0];
    EXPECT_LE(times[f.id], 1) << f.id << " reached the phone at most once";
    if (m.state() == caserelay::v1::SMS_STATE_DELIVERED) {
      EXPECT_EQ(times[f.id], 1) << f.id << " DELIVERED reached the phone";
      ++delivered;
      continue;
    }
    // On the phone but not DELIVERED: its report was not applied, which
    // only smsbox dying with it in hand excuses.
    const bool may_be_lost =
        times[f.id] == 1 &&
        ReportMayBeLost(*cluster->kannel, arrived[f.id]);
    if (may_be_lost) {
      ++report_lost;
      continue;
    }
    EXPECT_EQ(m.state(), caserelay::v1::SMS_STATE_UNKNOWN)
        << f.id << " " << m.last_error();
    EXPECT_EQ(times[f.id], 0)
        << f.id << " on the phone, its delivery report never applied";
    ++unknown;
  }
  EXPECT_GE(delivered, kCases - 2 * 4)
      << "at most the SIGKILLed instance's window cut off";
  for (const Filed& f : filed) times.erase(f.id);
  EXPECT_TRUE(times.empty()) << "receipts of cases never filed";

  auto forwarded = sys.MetricSum(
      "notification", "caserelay_sms_delivery_reports_forwarded_total",
      "result=\"ok\"");
  ASSERT_TRUE(forwarded.ok()) << forwarded.status();
  EXPECT_GT(*forwarded, 0) << "instance #1 passed the others' reports on";
  for (const std::string& s : sys.Instances("notification")) {
    auto health = sys.Healthz(s);
    ASSERT_TRUE(health.ok()) << s << ": " << health.status();
    EXPECT_EQ(*health, 200) << s;
  }
  std::cout << "SMS: delivered " << delivered << ", unknown " << unknown
            << ", report lost with smsbox " << report_lost
            << ", SMSC received " << phone.size() << "; reports passed on by "
            << "#1: " << *forwarded << "; done in " << absl::Now() - began
            << std::endl;
}

}  // namespace
}  // namespace caserelay::testing
