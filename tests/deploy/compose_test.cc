// docker-compose.yml as Debian's docker-compose 1.29 reads it (issue 6
// "Must show"): valid with every profile, and the services, volumes,
// health checks, start order and Kafka replication that
// docs/operator-guide.md describes. No container engine runs here;
// `docker-compose config` validates the file fully without one
// (PLATFORM-NOTES.md), with .env.example as the .env.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/deploy/deploy_files.h"

namespace caserelay::deploy_test {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAreArray;

class ComposeProfilesTest
    : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(ComposeProfilesTest, ConfigValidates) {
  absl::StatusOr<google::protobuf::Value> config = ComposeConfig(GetParam());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_FALSE(Keys(*config, {"services"}).empty());
}

INSTANTIATE_TEST_SUITE_P(
    EveryProfile, ComposeProfilesTest,
    ::testing::Values(std::vector<std::string>{},
                      std::vector<std::string>{"kafka-single"},
                      std::vector<std::string>{"kafka-cluster"},
                      std::vector<std::string>{"kafka-single", "demo"},
                      std::vector<std::string>{"kafka-cluster", "demo"},
                      std::vector<std::string>{"embedded", "demo"}));

class ComposeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<google::protobuf::Value> config = ComposeConfig({});
    ASSERT_TRUE(config.ok()) << config.status();
    config_ = new google::protobuf::Value(*std::move(config));
  }
  static void TearDownTestSuite() {
    delete config_;
    config_ = nullptr;
  }
  const google::protobuf::Value& config() { return *config_; }
  const google::protobuf::Value& service(const std::string& name) {
    static const google::protobuf::Value kNone;
    const google::protobuf::Value* at = Find(*config_, {"services", name});
    return at != nullptr ? *at : kNone;
  }
  static std::map<std::string, std::string> Conf(const std::string& name) {
    return ReadConfFile(absl::StrCat("deploy/config/compose/", name, ".conf"));
  }

  static google::protobuf::Value* config_;
};

google::protobuf::Value* ComposeTest::config_ = nullptr;

TEST(ComposeProfileListTest, ProfilesAreTheTwoKafkasTheEmbeddedAndTheDemo) {
  ShellResult run = RunShell(absl::StrCat(
      "env -i PATH=/usr/bin:/bin HOME=/tmp docker-compose -f ",
      ShellQuote(SourcePath("docker-compose.yml")), " --env-file ",
      ShellQuote(SourcePath(".env.example")), " config --profiles"));
  ASSERT_EQ(run.code, 0) << run.output;
  std::vector<std::string> profiles =
      absl::StrSplit(run.output, '\n', absl::SkipEmpty());
  EXPECT_THAT(profiles,
              UnorderedElementsAreArray(
                  {"demo", "embedded", "kafka-cluster", "kafka-single"}));
}

TEST_F(ComposeTest, EachServiceRunsInItsProfileOnly) {
  // "" = every profile: started by a plain `docker-compose up`.
  const std::map<std::string, std::string> expected = {
      {"kafka", "kafka-single"},
      {"kafka-1", "kafka-cluster"},
      {"kafka-2", "kafka-cluster"},
      {"kafka-3", "kafka-cluster"},
      {"kafka-topics", ""},
      {"intake", ""},
      {"routing", ""},
      {"supervision", ""},
      {"notification", ""},
      {"statistics", ""},
      {"web", ""},
      {"accounts", ""},
      {"bearerbox", ""},
      {"smsbox", ""},
      {"fakesmsc", "demo"},
      {"devbroker", "embedded"}};  // issue 24 item 2
  std::set<std::string> names;
  for (const auto& [name, profile] : expected) names.insert(name);
  EXPECT_EQ(Keys(config(), {"services"}), names);
  for (const auto& [name, profile] : expected) {
    std::vector<std::string> profiles =
        FindStrings(service(name), {"profiles"});
    EXPECT_EQ(absl::StrJoin(profiles, ","), profile) << name;
  }
}

TEST_F(ComposeTest, ServicesInEveryProfileDependOnlyOnServicesInEveryProfile) {
  // Otherwise `up` with one Kafka profile would miss a dependency.
  for (const std::string& name : Keys(config(), {"services"})) {
    if (!FindStrings(service(name), {"profiles"}).empty()) continue;
    for (const std::string& dependency : Keys(service(name), {"depends_on"})) {
      EXPECT_TRUE(FindStrings(service(dependency), {"profiles"}).empty())
          << name << " depends on " << dependency << ", which has a profile";
    }
  }
}

TEST_F(ComposeTest, ServicesStartInOrderOfHealth) {
  const std::map<std::string, std::map<std::string, std::string>> expected = {
      {"intake", {{"kafka-topics", "service_completed_successfully"}}},
      {"routing", {{"kafka-topics", "service_completed_successfully"}}},
      {"supervision", {{"kafka-topics", "service_completed_successfully"}}},
      {"statistics", {{"kafka-topics", "service_completed_successfully"}}},
      {"notification",
       {{"kafka-topics", "service_completed_successfully"},
        {"intake", "service_healthy"},
        {"smsbox", "service_healthy"}}},
      // web waits for every service it calls (the portal's and the
      // console's, issue 16; the bulletins, issue 17).
      {"web",
       {{"intake", "service_healthy"},
        {"routing", "service_healthy"},
        {"supervision", "service_healthy"},
        {"notification", "service_healthy"},
        {"statistics", "service_healthy"},
        {"accounts", "service_healthy"}}},
      {"accounts", {}},  // no Kafka: it waits for nothing
      {"smsbox", {{"bearerbox", "service_healthy"}}},
      {"fakesmsc", {{"bearerbox", "service_healthy"}}},
      {"bearerbox", {}},
      {"kafka-topics", {}}};
  for (const auto& [name, dependencies] : expected) {
    std::map<std::string, std::string> actual;
    for (const std::string& dependency : Keys(service(name), {"depends_on"})) {
      actual[dependency] =
          FindString(service(name), {"depends_on", dependency, "condition"});
    }
    EXPECT_EQ(actual, dependencies) << name;
    for (const auto& [dependency, condition] : dependencies) {
      if (condition == "service_healthy") {
        EXPECT_FALSE(
            FindStrings(service(dependency), {"healthcheck", "test"}).empty())
            << name << " waits for " << dependency
            << " to be healthy, which has no health check";
      }
    }
  }
}

TEST_F(ComposeTest, TopicJobWaitsForKafkaItselfAndIsNotRestarted) {
  // The job cannot depend on a Kafka service (each is in a profile); its
  // script waits for the brokers (deploy/kafka/create-topics).
  const google::protobuf::Value& job = service("kafka-topics");
  EXPECT_THAT(FindStrings(job, {"entrypoint"}),
              ElementsAre("/bin/sh", "/caserelay/kafka/create-topics"));
  std::string restart = FindString(job, {"restart"});
  EXPECT_TRUE(restart.empty() || restart == "no") << restart;
  EXPECT_EQ(FindString(job, {"environment", "TOPICS_BOOTSTRAP"}),
            FindString(service("intake"),
                       {"environment", "CASERELAY_KAFKA_BOOTSTRAP"}));
}

TEST_F(ComposeTest, LongRunningServicesRestartUnlessStopped) {
  for (const char* name : {"kafka", "kafka-1", "kafka-2", "kafka-3", "intake",
                           "routing", "supervision", "notification",
                           "statistics", "web", "accounts",
                           "bearerbox", "smsbox", "fakesmsc"}) {
    EXPECT_EQ(FindString(service(name), {"restart"}), "unless-stopped") << name;
  }
}

TEST_F(ComposeTest, EachServiceRunsItsConfigFileFromDeployConfigCompose) {
  for (const std::string& name : kServices) {
    std::string inside = absl::StrCat("/etc/caserelay/", name, ".conf");
    EXPECT_THAT(FindStrings(service(name), {"command"}),
                ElementsAre(name, "--config", inside));
    std::string mount = absl::StrCat(
        SourcePath(absl::StrCat("deploy/config/compose/", name, ".conf")), ":",
        inside, ":ro");
    EXPECT_THAT(FindStrings(service(name), {"volumes"}),
                ::testing::Contains(mount))
        << name;
  }
}

TEST_F(ComposeTest, EveryRocksDbDirectoryIsItsOwnNamedVolume) {
  std::set<std::string> named = Keys(config(), {"volumes"});
  std::set<std::string> used;
  for (const std::string& name : kServices) {
    std::string store = Conf(name)["store.path"];
    ASSERT_FALSE(store.empty()) << name << ".conf has no store.path";
    std::string source;
    for (const std::string& volume : FindStrings(service(name), {"volumes"})) {
      std::vector<std::string> parts = absl::StrSplit(volume, ':');
      if (parts.size() >= 2 && parts[1] == store) source = parts[0];
    }
    EXPECT_TRUE(named.count(source))
        << name << ": store.path " << store << " is mounted from \"" << source
        << "\", not a named volume";
    EXPECT_TRUE(used.insert(source).second) << source << " shared";
  }
}

TEST_F(ComposeTest, KafkaAndKannelKeepTheirDataOnNamedVolumes) {
  std::set<std::string> named = Keys(config(), {"volumes"});
  const std::map<std::string, std::string> expected = {
      {"kafka", "kafka-data:/var/lib/kafka/data:rw"},
      {"kafka-1", "kafka-1-data:/var/lib/kafka/data:rw"},
      {"kafka-2", "kafka-2-data:/var/lib/kafka/data:rw"},
      {"kafka-3", "kafka-3-data:/var/lib/kafka/data:rw"},
      {"bearerbox", "kannel-spool:/var/spool/kannel:rw"}};
  for (const auto& [name, mount] : expected) {
    EXPECT_THAT(FindStrings(service(name), {"volumes"}),
                ::testing::Contains(mount))
        << name;
    EXPECT_TRUE(named.count(mount.substr(0, mount.find(':')))) << mount;
  }
  for (const char* name : {"kafka", "kafka-1", "kafka-2", "kafka-3"}) {
    EXPECT_EQ(FindString(service(name), {"environment", "KAFKA_LOG_DIRS"}),
              "/var/lib/kafka/data")
        << name;
  }
}

TEST_F(ComposeTest, EveryServiceHealthCheckProbesHealthzOnItsAdminPort) {
  for (const std::string& name : kServices) {
    int port = PortOf(Conf(name)["admin.listen"]);
    ASSERT_GT(port, 0) << name << ".conf admin.listen";
    EXPECT_THAT(
        FindStrings(service(name), {"healthcheck", "test"}),
        ElementsAre("CMD", "caserelay-probe", std::to_string(port), "/healthz"))
        << name;
  }
}

// The services that run as many instances (issue 19: `--scale`): any
// free host port each, as `docker-compose port --index=K` tells.
const std::set<std::string> kScaled = {"supervision", "notification",
                                       "statistics"};

TEST_F(ComposeTest, PublishedPortsAreTheListenPorts) {
  const std::map<std::string, std::string> grpc_host = {
      {"intake", "127.0.0.1"},
      {"routing", "0.0.0.0"},
      {"supervision", "0.0.0.0"},
      {"notification", "0.0.0.0"},
      {"statistics", "0.0.0.0"}};
  for (const std::string& name : kServices) {
    int grpc = PortOf(Conf(name)["grpc.listen"]);
    int admin = PortOf(Conf(name)["admin.listen"]);
    // A scaled service's host port is left to the engine ("HOST::PORT").
    const std::string grpc_published =
        kScaled.count(name) ? "" : std::to_string(grpc);
    const std::string admin_published =
        kScaled.count(name) ? "" : std::to_string(admin);
    EXPECT_THAT(FindStrings(service(name), {"ports"}),
                UnorderedElementsAreArray(
                    {absl::StrCat(grpc_host.at(name), ":", grpc_published, ":",
                                  grpc, "/tcp"),
                     absl::StrCat("127.0.0.1:", admin_published, ":", admin,
                                  "/tcp")}))
        << name;
  }
}

// issue 19 item 6: `docker-compose up --scale supervision=3` starts three
// instances that neither clash nor share a store: no fixed container name
// or host port, each instance in a store slot of the service's volume
// (store.path), advertising its own address on its gRPC port
// (deploy/bin/caserelay-entrypoint, tests/deploy/entrypoint_test.cc).
TEST_F(ComposeTest, ScaledServicesRunAsManyInstancesEachInItsStoreSlot) {
  for (const std::string& name : kScaled) {
    SCOPED_TRACE(name);
    const google::protobuf::Value& svc = service(name);
    EXPECT_EQ(FindString(svc, {"container_name"}), "");
    EXPECT_EQ(FindString(svc, {"environment", "INSTANCE_STORE_ROOT"}),
              Conf(name)["store.path"]);
    EXPECT_EQ(FindString(svc, {"environment", "INSTANCE_GRPC_PORT"}),
              std::to_string(PortOf(Conf(name)["grpc.listen"])));
    for (const std::string& mapping : FindStrings(svc, {"ports"})) {
      std::vector<std::string> parts = absl::StrSplit(mapping, ':');
      ASSERT_EQ(parts.size(), 3u) << mapping;
      EXPECT_EQ(parts[1], "") << mapping << ": a fixed host port";
    }
  }
}

// Two services publishing the same host port cannot both start: the
// second `docker-compose up` fails to bind (accounts and statistics were
// both given 50056/8086 by the branches that added them).
TEST_F(ComposeTest, NoTwoServicesPublishTheSameHostPort) {
  std::map<std::string, std::string> owner;  // published port -> service
  const google::protobuf::Value* services = Find(config(), {"services"});
  ASSERT_NE(services, nullptr);
  for (const auto& [name, svc] : services->struct_value().fields()) {
    for (const std::string& mapping : FindStrings(svc, {"ports"})) {
      // "HOST:PUBLISHED:TARGET/tcp" as docker-compose config writes it.
      std::vector<std::string> parts = absl::StrSplit(mapping, ':');
      ASSERT_GE(parts.size(), 2u) << name << ": " << mapping;
      const std::string& published = parts[parts.size() - 2];
      if (published.empty()) continue;  // any free port: a scaled service
      auto [it, inserted] = owner.emplace(published, name);
      EXPECT_TRUE(inserted) << "port " << published << " published by both "
                            << it->second << " and " << name;
    }
  }
  // Every service publishes its ports; the scaled ones (kScaled) on any
  // free host port, so not counted here.
  EXPECT_GE(owner.size(), 8u);
}

// issue 15 item 1: the portal's gateway behind TLS on 443, started like
// the services from its own config file, on the front network only.
TEST_F(ComposeTest, WebServesHttpsOn443AndReachesTheServicesOverMtls) {
  const google::protobuf::Value& web = service("web");
  EXPECT_THAT(FindStrings(web, {"command"}),
              ElementsAre("web", "--config", "/etc/caserelay/web.conf"));
  EXPECT_THAT(FindStrings(web, {"volumes"}),
              ::testing::Contains(
                  absl::StrCat(SourcePath("deploy/config/compose/web.conf"),
                               ":/etc/caserelay/web.conf:ro")));
  std::map<std::string, std::string> conf = Conf("web");
  const int https = PortOf(conf["web.listen"]);
  const int admin = PortOf(conf["admin.listen"]);
  ASSERT_GT(https, 0);
  ASSERT_GT(admin, 0);
  EXPECT_THAT(FindStrings(web, {"ports"}),
              UnorderedElementsAreArray(
                  {absl::StrCat("0.0.0.0:443:", https, "/tcp"),
                   absl::StrCat("127.0.0.1:", admin, ":", admin, "/tcp")}));
  EXPECT_THAT(
      FindStrings(web, {"healthcheck", "test"}),
      ElementsAre("CMD", "caserelay-probe", std::to_string(admin), "/healthz"));
  // No Kafka: never on the bus.
  EXPECT_EQ(Keys(web, {"networks"}), std::set<std::string>{"front"});
  // HTTPS with Secure cookies; a secret of its own.
  EXPECT_FALSE(conf["web.tls_cert"].empty());
  EXPECT_FALSE(conf["web.tls_key"].empty());
  EXPECT_EQ(conf["web.secure_cookies"], "true");
  EXPECT_FALSE(conf["web.secret_path"].empty());
  // Each service by name at its gRPC port, as service:web over mTLS.
  for (const std::string peer : {"intake", "routing", "notification"}) {
    EXPECT_EQ(conf[peer + ".address"],
              absl::StrCat(peer, ":", PortOf(Conf(peer)["grpc.listen"])))
        << peer;
    EXPECT_EQ(conf[peer + ".tls_cert_path"], "/etc/caserelay/secrets/web.crt")
        << peer;
    EXPECT_FALSE(conf[peer + ".tls_ca_path"].empty()) << peer;
  }
}

// issue 16 item 1: the console's staff directory, outside kServices (no
// Kafka), started like them from its own config file, its store on a
// named volume of its own, on the front network only, locked down, with
// mTLS for the gateway's and the offices' certificates.
TEST_F(ComposeTest, AccountsRunsWithoutKafkaOnItsOwnStore) {
  const google::protobuf::Value& accounts = service("accounts");
  EXPECT_THAT(FindStrings(accounts, {"command"}),
              ElementsAre("accounts", "--config",
                          "/etc/caserelay/accounts.conf"));
  std::map<std::string, std::string> conf = Conf("accounts");
  const std::vector<std::string> volumes = FindStrings(accounts, {"volumes"});
  EXPECT_THAT(volumes,
              ::testing::Contains(absl::StrCat(
                  SourcePath("deploy/config/compose/accounts.conf"),
                  ":/etc/caserelay/accounts.conf:ro")));
  ASSERT_FALSE(conf["store.path"].empty());
  EXPECT_THAT(volumes, ::testing::Contains(absl::StrCat(
                           "accounts-store:", conf["store.path"], ":rw")));
  EXPECT_TRUE(Keys(config(), {"volumes"}).count("accounts-store"));
  const int grpc = PortOf(conf["grpc.listen"]);
  const int admin = PortOf(conf["admin.listen"]);
  ASSERT_GT(grpc, 0);
  ASSERT_GT(admin, 0);
  EXPECT_THAT(FindStrings(accounts, {"ports"}),
              UnorderedElementsAreArray(
                  {absl::StrCat("0.0.0.0:", grpc, ":", grpc, "/tcp"),
                   absl::StrCat("127.0.0.1:", admin, ":", admin, "/tcp")}));
  EXPECT_THAT(
      FindStrings(accounts, {"healthcheck", "test"}),
      ElementsAre("CMD", "caserelay-probe", std::to_string(admin), "/healthz"));
  EXPECT_EQ(Keys(accounts, {"networks"}), std::set<std::string>{"front"});
  for (const std::string& key : Keys(accounts, {"environment"})) {
    EXPECT_FALSE(absl::StartsWith(key, "CASERELAY_KAFKA")) << key;
  }
  EXPECT_TRUE(Find(accounts, {"user"}) == nullptr);
  EXPECT_THAT(FindStrings(accounts, {"cap_drop"}), ElementsAre("ALL"));
  const google::protobuf::Value* read_only = Find(accounts, {"read_only"});
  EXPECT_TRUE(read_only != nullptr && read_only->bool_value());
  EXPECT_EQ(conf["auth.mode"], "mtls");
  EXPECT_FALSE(conf["tls.client_ca_path"].empty());
  EXPECT_EQ(conf.count("kafka.bootstrap"), 0u);
}

TEST_F(ComposeTest, NotificationReachesIntakeAndKannelByServiceName) {
  std::map<std::string, std::string> conf = Conf("notification");
  EXPECT_EQ(conf["intake.address"],
            absl::StrCat("intake:", PortOf(Conf("intake")["grpc.listen"])));
  // deploy/kannel/kannel.conf: sendsms-port = ${KANNEL_SENDSMS_PORT:-13013}.
  EXPECT_EQ(conf["kannel.sendsms_url"], "http://smsbox:13013/cgi-bin/sendsms");
  EXPECT_EQ(conf["kannel.dlr_url"],
            absl::StrCat("http://notification:", PortOf(conf["admin.listen"]),
                         "/sms/dlr"));
  EXPECT_EQ(conf["notification.gateway"], "kannel");
}

// Issue 22 item 7: the Kannel containers face the operator's SMSC, so
// they share no network with Kafka (they could read every petition and
// forge case events); notification is the only container on both sides.
TEST_F(ComposeTest, KannelIsOnItsOwnNetworksReachableOnlyByNotification) {
  using Set = std::set<std::string>;
  const std::map<std::string, Set> expected = {
      {"kafka", {"bus"}},
      {"kafka-1", {"bus"}},
      {"kafka-2", {"bus"}},
      {"kafka-3", {"bus"}},
      {"kafka-topics", {"bus"}},
      {"intake", {"bus", "front"}},
      {"routing", {"bus", "front"}},
      {"supervision", {"bus", "front"}},
      {"statistics", {"bus", "front"}},
      {"notification", {"bus", "front", "sms"}},
      {"web", {"front"}},
      {"bearerbox", {"sms", "smsc"}},
      {"smsbox", {"sms"}},
      {"fakesmsc", {"smsc"}}};
  for (const auto& [name, networks] : expected) {
    EXPECT_EQ(Keys(service(name), {"networks"}), networks) << name;
  }
  // The bus and the SMS network lead nowhere else.
  for (const char* network : {"bus", "sms"}) {
    const google::protobuf::Value* internal =
        Find(config(), {"networks", network, "internal"});
    EXPECT_TRUE(internal != nullptr && internal->bool_value()) << network;
  }
  // Derived, so a new container cannot undo it: nothing that shares a
  // network with a Kannel box shares one with Kafka, except notification.
  Set kannel_side, kafka_side;
  for (const char* box : {"bearerbox", "smsbox", "fakesmsc"}) {
    for (const std::string& n : Keys(service(box), {"networks"})) {
      kannel_side.insert(n);
    }
  }
  for (const std::string& n : Keys(service("kafka"), {"networks"})) {
    kafka_side.insert(n);
  }
  for (const std::string& name : Keys(config(), {"services"})) {
    Set on = Keys(service(name), {"networks"});
    bool kannel = false, kafka = false;
    for (const std::string& n : on) {
      kannel |= kannel_side.count(n) > 0;
      kafka |= kafka_side.count(n) > 0;
    }
    if (kannel && kafka) {
      EXPECT_EQ(name, "notification");
    }
  }
}

TEST_F(ComposeTest, ServicesRunLockedDown) {
  for (const std::string& name : kServices) {
    const google::protobuf::Value& s = service(name);
    EXPECT_TRUE(Find(s, {"user"}) == nullptr)  // the image's caserelay
        << name << " overrides the image's user";
    EXPECT_THAT(FindStrings(s, {"cap_drop"}), ElementsAre("ALL")) << name;
    const google::protobuf::Value* read_only = Find(s, {"read_only"});
    EXPECT_TRUE(read_only != nullptr && read_only->bool_value()) << name;
  }
}

TEST_F(ComposeTest, SingleBrokerKeepsOneCopy) {
  const std::map<std::string, std::string> expected = {
      {"KAFKA_PROCESS_ROLES", "broker,controller"},
      {"KAFKA_CONTROLLER_QUORUM_VOTERS", "1@kafka:9093"},
      {"KAFKA_ADVERTISED_LISTENERS", "CLIENT://kafka:9092"},
      {"KAFKA_DEFAULT_REPLICATION_FACTOR", "1"},
      {"KAFKA_MIN_INSYNC_REPLICAS", "1"},
      {"KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1"},
      {"KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1"},
      {"KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1"},
      {"KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false"}};
  for (const auto& [key, value] : expected) {
    EXPECT_EQ(FindString(service("kafka"), {"environment", key}), value) << key;
  }
  // The default bootstrap of .env.example is this broker.
  EXPECT_EQ(FindString(service("intake"),
                       {"environment", "CASERELAY_KAFKA_BOOTSTRAP"}),
            "kafka:9092");
}

TEST_F(ComposeTest, ClusterKeepsThreeCopiesAndWritesNeedTwo) {
  std::string cluster_id =
      FindString(service("kafka"), {"environment", "CLUSTER_ID"});
  EXPECT_FALSE(cluster_id.empty());
  for (int id = 1; id <= 3; ++id) {
    std::string name = absl::StrCat("kafka-", id);
    const std::map<std::string, std::string> expected = {
        {"KAFKA_NODE_ID", std::to_string(id)},
        {"KAFKA_PROCESS_ROLES", "broker,controller"},
        {"KAFKA_CONTROLLER_QUORUM_VOTERS",
         "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093"},
        {"KAFKA_ADVERTISED_LISTENERS",
         absl::StrCat("CLIENT://", name, ":9092")},
        {"KAFKA_DEFAULT_REPLICATION_FACTOR", "3"},
        {"KAFKA_MIN_INSYNC_REPLICAS", "2"},
        {"KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3"},
        {"KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3"},
        {"KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2"},
        {"KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false"},
        {"CLUSTER_ID", cluster_id}};
    for (const auto& [key, value] : expected) {
      EXPECT_EQ(FindString(service(name), {"environment", key}), value)
          << name << " " << key;
    }
  }
}

TEST_F(ComposeTest, KannelBoxesRenderTheConfigOfKannelConfig) {
  for (const char* name : {"bearerbox", "smsbox"}) {
    EXPECT_EQ(FindString(service(name), {"environment", "KANNEL_TEMPLATE"}),
              "/etc/kannel/kannel.conf")
        << name;
    EXPECT_THAT(FindStrings(service(name), {"volumes"}),
                ::testing::Contains(absl::StrCat(SourcePath("deploy/kannel"),
                                                 ":/etc/kannel:ro")))
        << name;
  }
  EXPECT_THAT(FindStrings(service("bearerbox"), {"healthcheck", "test"}),
              ElementsAre("CMD", "caserelay-probe", "13000", "/status.txt"));
}

// Issue 22 item 7: nobody reaches Kafka without logging in, and the
// brokers check every request against ACLs, in both Kafka profiles.
class ComposeKafkaSecurityTest
    : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(ComposeKafkaSecurityTest, BrokersTakeOnlyLoggedInClientsAndCheckAcls) {
  const std::vector<std::string>& brokers = GetParam();
  std::vector<std::string> profile = {brokers.size() == 1 ? "kafka-single"
                                                          : "kafka-cluster"};
  absl::StatusOr<google::protobuf::Value> config = ComposeConfig(profile);
  ASSERT_TRUE(config.ok()) << config.status();
  std::string admin_password;
  for (const auto& [name, value] : ReadEnvFile(".env.example")) {
    if (name == "KAFKA_ADMIN_PASSWORD") admin_password = value;
  }
  ASSERT_FALSE(admin_password.empty());
  const std::string admin_jaas = absl::StrCat(
      "org.apache.kafka.common.security.plain.PlainLoginModule required "
      "username=\"admin\" password=\"",
      admin_password, "\" user_admin=\"", admin_password, "\";");
  for (const std::string& broker : brokers) {
    auto env = [&](const std::string& key) {
      return FindString(*config, {"services", broker, "environment", key});
    };
    const std::map<std::string, std::string> expected = {
        {"KAFKA_LISTENERS", "CLIENT://:9092,CONTROLLER://:9093"},
        {"KAFKA_ADVERTISED_LISTENERS",
         absl::StrCat("CLIENT://", broker, ":9092")},
        {"KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
         "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT"},
        {"KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER"},
        {"KAFKA_INTER_BROKER_LISTENER_NAME", "CLIENT"},
        {"KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL", "PLAIN"},
        {"KAFKA_SASL_MECHANISM_CONTROLLER_PROTOCOL", "PLAIN"},
        {"KAFKA_LISTENER_NAME_CLIENT_SASL_ENABLED_MECHANISMS",
         "SCRAM-SHA-512,PLAIN"},
        {"KAFKA_LISTENER_NAME_CONTROLLER_SASL_ENABLED_MECHANISMS", "PLAIN"},
        {"KAFKA_LISTENER_NAME_CLIENT_SCRAM__SHA__512_SASL_JAAS_CONFIG",
         "org.apache.kafka.common.security.scram.ScramLoginModule required;"},
        // PLAIN knows admin alone: no service can log in that way.
        {"KAFKA_LISTENER_NAME_CLIENT_PLAIN_SASL_JAAS_CONFIG", admin_jaas},
        {"KAFKA_LISTENER_NAME_CONTROLLER_PLAIN_SASL_JAAS_CONFIG", admin_jaas},
        {"KAFKA_AUTHORIZER_CLASS_NAME",
         "org.apache.kafka.metadata.authorizer.StandardAuthorizer"},
        {"KAFKA_SUPER_USERS", "User:admin"},
        {"KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false"},
        {"ADMIN_PASSWORD", admin_password}};
    for (const auto& [key, value] : expected) {
      EXPECT_EQ(env(key), value) << broker << " " << key;
    }
    EXPECT_FALSE(absl::StrContains(env("KAFKA_LISTENERS"), "PLAINTEXT"))
        << broker;
    // The health check logs in too (the listener answers no one else).
    EXPECT_THAT(
        FindStrings(*config, {"services", broker, "healthcheck", "test"}),
        ElementsAre("CMD", "/bin/sh", "/caserelay/kafka/healthcheck"))
        << broker;
    EXPECT_THAT(FindStrings(*config, {"services", broker, "volumes"}),
                ::testing::Contains(
                    ::testing::EndsWith("/deploy/kafka:/caserelay/kafka:ro")))
        << broker;
  }
}

INSTANTIATE_TEST_SUITE_P(BothKafkas, ComposeKafkaSecurityTest,
                         ::testing::Values(std::vector<std::string>{"kafka"},
                                           std::vector<std::string>{
                                               "kafka-1", "kafka-2",
                                               "kafka-3"}));

TEST_F(ComposeTest, EachServiceLogsInToKafkaAsItselfWithItsOwnPassword) {
  std::map<std::string, std::string> example;
  for (const auto& [name, value] : ReadEnvFile(".env.example")) {
    example[name] = value;
  }
  std::set<std::string> passwords;
  const google::protobuf::Value& job = service("kafka-topics");
  for (const std::string& name : kServices) {
    std::string upper = absl::AsciiStrToUpper(name);
    std::string password = example[absl::StrCat("KAFKA_", upper, "_PASSWORD")];
    ASSERT_FALSE(password.empty()) << name;
    passwords.insert(password);
    const std::map<std::string, std::string> expected = {
        {"CASERELAY_KAFKA_SECURITY_PROTOCOL", "sasl_plaintext"},
        {"CASERELAY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"},
        {"CASERELAY_KAFKA_SASL_USERNAME", name},
        {"CASERELAY_KAFKA_SASL_PASSWORD", password}};
    for (const auto& [key, value] : expected) {
      EXPECT_EQ(FindString(service(name), {"environment", key}), value)
          << name << " " << key;
    }
    // The topic job sets the same password for the user.
    EXPECT_EQ(FindString(
                  job, {"environment", absl::StrCat("SCRAM_PASSWORD_", upper)}),
              password)
        << name;
    EXPECT_NE(password, example["KAFKA_ADMIN_PASSWORD"]) << name;
  }
  EXPECT_EQ(passwords.size(), kServices.size()) << "a password is shared";
  EXPECT_EQ(FindString(job, {"environment", "ADMIN_PASSWORD"}),
            example["KAFKA_ADMIN_PASSWORD"]);
  EXPECT_EQ(FindString(job, {"environment", "ACLS_FILE"}),
            "/caserelay/kafka/acls.tsv");
}

TEST_F(ComposeTest, KannelContainersHaveNoKafkaCredentials) {
  std::vector<std::string> secrets;
  for (const auto& [name, value] : ReadEnvFile(".env.example")) {
    if (absl::StartsWith(name, "KAFKA_") && absl::EndsWith(name, "_PASSWORD")) {
      secrets.push_back(value);
    }
  }
  ASSERT_EQ(secrets.size(), 6u);  // admin and the five services
  for (const char* box : {"bearerbox", "smsbox", "fakesmsc"}) {
    for (const std::string& key : Keys(service(box), {"environment"})) {
      std::string value = FindString(service(box), {"environment", key});
      EXPECT_FALSE(absl::StrContains(key, "KAFKA") ||
                   absl::StrContains(key, "SASL"))
          << box << " gets " << key;
      for (const std::string& secret : secrets) {
        EXPECT_FALSE(absl::StrContains(value, secret))
            << box << "'s " << key << " holds a Kafka password";
      }
    }
    for (const std::string& volume : FindStrings(service(box), {"volumes"})) {
      EXPECT_FALSE(absl::StrContains(volume, "deploy/kafka")) << box;
    }
  }
}

}  // namespace
}  // namespace caserelay::deploy_test
