// The embedded profile (issue 24 item 2): docker-compose.yml's devbroker
// with docker-compose.embedded.yml puts the embedded broker in Kafka's
// place, as `docker-compose config` reads them (scripts/compose-test runs
// the same files in containers). Not for production: the guide says so.

#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/deploy/deploy_files.h"

namespace caserelay::deploy_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ComposeEmbeddedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<google::protobuf::Value> config = ComposeConfig(
        {"embedded", "demo"}, {"docker-compose.embedded.yml"});
    ASSERT_TRUE(config.ok()) << config.status();
    config_ = *std::move(config);
  }
  const google::protobuf::Value& service(const std::string& name) {
    static const google::protobuf::Value kNone;
    const google::protobuf::Value* at = Find(config_, {"services", name});
    return at != nullptr ? *at : kNone;
  }
  google::protobuf::Value config_;
};

// Issue 24 item 2: devbroker from the services' image, on the bus only
// (Kafka's place: Kannel never reaches it, issue 22 item 7), listening on
// and advertising devbroker:9092, healthy once its info file is written.
TEST_F(ComposeEmbeddedTest, DevbrokerRunsFromTheRuntimeImageOnTheBus) {
  const google::protobuf::Value& broker = service("devbroker");
  EXPECT_EQ(FindString(broker, {"image"}),
            FindString(service("intake"), {"image"}));
  EXPECT_THAT(Keys(broker, {"networks"}), ::testing::ElementsAre("bus"));
  EXPECT_THAT(absl::StrJoin(FindStrings(broker, {"command"}), " "),
              HasSubstr("devbroker --broker-listen devbroker:9092"));
  EXPECT_THAT(FindStrings(broker, {"profiles"}), ElementsAre("embedded"));
  EXPECT_FALSE(Keys(broker, {"healthcheck"}).empty());
  // It keeps nothing: a restarted broker is a new, empty log.
  EXPECT_EQ(FindString(broker, {"restart"}), "no");
}

// The services start after kafka-topics, which in this profile only waits
// for devbroker (no image of Kafka's is pulled).
TEST_F(ComposeEmbeddedTest, TopicJobWaitsForDevbrokerWithoutKafkasImage) {
  const google::protobuf::Value& job = service("kafka-topics");
  EXPECT_EQ(FindString(job, {"image"}), FindString(service("intake"), {"image"}));
  EXPECT_EQ(FindString(job, {"depends_on", "devbroker", "condition"}),
            "service_healthy");
  for (const std::string& name : Keys(config_, {"services"})) {
    // `config` lists every service; those of the Kafka profiles stay off.
    const std::vector<std::string> profiles =
        FindStrings(service(name), {"profiles"});
    if (!profiles.empty() &&
        !absl::c_linear_search(profiles, std::string("embedded")) &&
        !absl::c_linear_search(profiles, std::string("demo"))) {
      continue;
    }
    EXPECT_FALSE(absl::StrContains(FindString(service(name), {"image"}),
                                   "apache/kafka"))
        << name << " would need Kafka's image";
  }
}

// Every Kafka client of docker-compose.yml (a service given
// CASERELAY_KAFKA_BOOTSTRAP) is pointed at devbroker, plaintext and with no
// SASL user (the mock cluster knows none): a service added to the base
// file without its entry here fails this test.
TEST_F(ComposeEmbeddedTest, EveryKafkaClientUsesDevbroker) {
  int clients = 0;
  for (const std::string& name : Keys(config_, {"services"})) {
    const google::protobuf::Value& s = service(name);
    if (Find(s, {"environment", "CASERELAY_KAFKA_BOOTSTRAP"}) == nullptr) {
      continue;
    }
    ++clients;
    EXPECT_EQ(FindString(s, {"environment", "CASERELAY_KAFKA_BOOTSTRAP"}),
              "devbroker:9092")
        << name;
    EXPECT_EQ(
        FindString(s, {"environment", "CASERELAY_KAFKA_SECURITY_PROTOCOL"}),
        "plaintext")
        << name;
    EXPECT_EQ(FindString(s, {"environment", "CASERELAY_KAFKA_SASL_USERNAME"}),
              "")
        << name;
    EXPECT_EQ(FindString(s, {"environment", "CASERELAY_KAFKA_SASL_PASSWORD"}),
              "")
        << name;
  }
  // intake, routing, supervision, notification, statistics (accounts and
  // web use no Kafka).
  EXPECT_EQ(clients, 5);
}

}  // namespace
}  // namespace caserelay::deploy_test
