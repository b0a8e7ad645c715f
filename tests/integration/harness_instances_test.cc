// The harness as a cluster (issue 19 item 6: "the harness can start N
// instances of a service (their own store paths, ports, endpoints files)"):
// N instances of one service in one consumer group, one of them killed
// with SIGKILL and brought back where it was, and a devbroker of three
// brokers with one taken down and brought back through its control
// channel.

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

// The value of `key` in a config file the harness wrote ("key = value").
std::string ConfValue(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  const std::string prefix = key + " = ";
  for (std::string line; std::getline(in, line);) {
    if (absl::StartsWith(line, prefix)) return line.substr(prefix.size());
  }
  return "";
}

TEST(HarnessOptionsTest, RefusesAnInstanceCountItCannotStart) {
  struct Row {
    const char* why;
    std::map<std::string, int> instances;
    int brokers;
  } rows[] = {
      {"no instance at all", {{"supervision", 0}}, 1},
      {"more than the harness names (1..9)", {{"supervision", 10}}, 1},
      {"a service not started", {{"routing", 2}}, 1},
      {"devbroker has 1..16 brokers (tools/devbroker README.md)", {}, 0},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    SystemOptions options;
    options.services = {"supervision"};
    options.instances = row.instances;
    options.brokers = row.brokers;
    auto sys = System::Start(options);
    EXPECT_EQ(sys.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

class HarnessClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SystemOptions options;
    options.services = {"supervision"};
    options.instances = {{"supervision", 3}};
    options.brokers = 3;
    // Instance settings go over the service's.
    options.settings["supervision"] = {{"supervision.fire_batch", "200"}};
    options.settings["supervision#3"] = {{"supervision.fire_batch", "300"}};
    auto sys = System::Start(options);
    ASSERT_TRUE(sys.ok()) << sys.status();
    sys_ = sys->release();
  }
  static void TearDownTestSuite() {
    delete sys_;
    sys_ = nullptr;
  }
  static System* sys_;
};
System* HarnessClusterTest::sys_ = nullptr;

TEST_F(HarnessClusterTest, EachInstanceHasItsOwnStorePortsAndFiles) {
  ASSERT_NE(sys_, nullptr);
  const std::vector<std::string> names = sys_->Instances("supervision");
  ASSERT_EQ(names, (std::vector<std::string>{"supervision", "supervision#2",
                                             "supervision#3"}));
  EXPECT_TRUE(sys_->Instances("routing").empty()) << "routing not started";
  std::set<std::string> addresses, stores, groups;
  for (const std::string& stem :
       {std::string("supervision"), std::string("supervision-2"),
        std::string("supervision-3")}) {
    const std::string conf = absl::StrCat(sys_->dir(), "/", stem, ".conf");
    stores.insert(ConfValue(conf, "store.path"));
    groups.insert(ConfValue(conf, "kafka.group"));
    EXPECT_TRUE(std::filesystem::exists(
        absl::StrCat(sys_->dir(), "/", stem, ".log")))
        << stem;
  }
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    addresses.insert(sys_->grpc_address(name));
    addresses.insert(sys_->admin_address(name));
    auto health = sys_->Healthz(name);
    ASSERT_TRUE(health.ok()) << health.status();
    EXPECT_EQ(*health, 200);
  }
  EXPECT_EQ(addresses.size(), 6u) << "a gRPC and an admin port each";
  EXPECT_EQ(stores.size(), 3u) << "a store each";
  EXPECT_EQ(groups.size(), 1u) << "one consumer group: the service's";
  EXPECT_EQ(ConfValue(sys_->dir() + "/supervision-2.conf",
                      "supervision.fire_batch"),
            "200");
  EXPECT_EQ(ConfValue(sys_->dir() + "/supervision-3.conf",
                      "supervision.fire_batch"),
            "300");
}

TEST_F(HarnessClusterTest, AKilledInstanceComesBackWhereItWas) {
  ASSERT_NE(sys_, nullptr);
  const std::string grpc = sys_->grpc_address("supervision#2");
  const std::string admin = sys_->admin_address("supervision#2");
  sys_->Kill("supervision#2", SIGKILL);
  EXPECT_FALSE(sys_->Healthz("supervision#2").ok()) << "it is down";
  auto others = sys_->Healthz("supervision#3");
  ASSERT_TRUE(others.ok()) << others.status();
  ASSERT_TRUE(sys_->Restart("supervision#2").ok());
  EXPECT_EQ(sys_->grpc_address("supervision#2"), grpc);
  EXPECT_EQ(sys_->admin_address("supervision#2"), admin);
  auto health = sys_->Healthz("supervision#2");
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, 200);
}

TEST_F(HarnessClusterTest, ABrokerTakenDownComesBack) {
  ASSERT_NE(sys_, nullptr);
  struct Row {
    const char* command;
    const char* answer;  // the answer starts with it
  } rows[] = {
      // tools/devbroker README.md "Control channel".
      {"brokers", "ok 1:up:0ms 2:up:0ms 3:up:0ms"},
      {"broker 2 down", "ok broker 2 down"},
      {"brokers", "ok 1:up:0ms 2:down:0ms 3:up:0ms"},
      {"broker 2 up", "ok broker 2 up"},
      {"brokers", "ok 1:up:0ms 2:up:0ms 3:up:0ms"},
      {"broker 4 down", "error"},  // three brokers: nothing changed
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.command);
    auto answer = sys_->BrokerControl(row.command);
    ASSERT_TRUE(answer.ok()) << answer.status();
    EXPECT_TRUE(absl::StartsWith(*answer, row.answer)) << *answer;
  }
  for (const std::string& name : sys_->Instances("supervision")) {
    auto health = sys_->Healthz(name);
    ASSERT_TRUE(health.ok()) << name << ": " << health.status();
  }
}

}  // namespace
}  // namespace caserelay::testing
