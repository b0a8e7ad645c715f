// .env.example, the compose configs and docs/operator-guide.md against the
// settings the built services list in --help (issue 6 "Must show"): every
// .env setting is read by some service (or by compose, Kafka or Kannel),
// every compose config key is a setting of its service, and every service
// setting, .env setting and /metrics series is documented.

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "tests/deploy/deploy_files.h"

namespace caserelay::deploy_test {
namespace {

// The variables of `${NAME}`, `${NAME:-x}` and `${NAME:?x}` in `text`
// outside comment lines, with whether each is used somewhere without a
// default.
std::map<std::string, bool> Variables(const std::string& text) {
  std::map<std::string, bool> required;
  static const std::regex kVariable(R"(\$\{([A-Z][A-Z0-9_]*)(:?[-?])?)");
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), "#"))
      continue;
    std::string code(line);
    for (auto it = std::sregex_iterator(code.begin(), code.end(), kVariable);
         it != std::sregex_iterator(); ++it) {
      std::string op = (*it)[2];
      bool needs_value = op.empty() || absl::StrContains(op, "?");
      required[(*it)[1]] |= needs_value;
    }
  }
  return required;
}

// True if the guide names `name` in backticks, alone or with labels
// (`caserelay_batch_seconds{loop}`).
bool Documents(const std::string& guide, const std::string& name) {
  return absl::StrContains(guide, absl::StrCat("`", name, "`")) ||
         absl::StrContains(guide, absl::StrCat("`", name, "{"));
}

// Compose reads these from .env itself.
bool IsComposeVariable(const std::string& name) {
  return name == "COMPOSE_PROFILES";
}

class SettingsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    help_ = new std::map<std::string, std::map<std::string, std::string>>();
    for (const std::string& service : kServices) {
      (*help_)[service] = HelpSettings(service);
    }
    absl::StatusOr<google::protobuf::Value> raw =
        ParseYaml(ReadSource("docker-compose.yml"));
    ASSERT_TRUE(raw.ok()) << raw.status();
    raw_compose_ = new google::protobuf::Value(*std::move(raw));
  }
  static void TearDownTestSuite() {
    delete help_;
    delete raw_compose_;
  }

  // Environment entries of a compose service as written (not
  // interpolated): NAME -> "${VAR:-default}".
  static std::map<std::string, std::string> Environment(
      const std::string& service) {
    std::map<std::string, std::string> env;
    for (const std::string& key :
         Keys(*raw_compose_, {"services", service, "environment"})) {
      env[key] =
          FindString(*raw_compose_, {"services", service, "environment", key});
    }
    return env;
  }

  // True if the service's --help lists the environment name `env`.
  static bool ServiceReads(const std::string& service, const std::string& env) {
    for (const auto& [key, name] : help_->at(service)) {
      if (name == env) return true;
    }
    return false;
  }

  static std::map<std::string, std::map<std::string, std::string>>* help_;
  static google::protobuf::Value* raw_compose_;
};

std::map<std::string, std::map<std::string, std::string>>* SettingsTest::help_ =
    nullptr;
google::protobuf::Value* SettingsTest::raw_compose_ = nullptr;

TEST_F(SettingsTest, EveryEnvExampleSettingIsUsedByDockerCompose) {
  std::map<std::string, bool> used =
      Variables(ReadSource("docker-compose.yml"));
  for (const auto& [name, value] : ReadEnvFile(".env.example")) {
    EXPECT_TRUE(used.count(name) || IsComposeVariable(name))
        << name << " is in .env.example but docker-compose.yml never uses it";
  }
}

TEST_F(SettingsTest, EverySettingComposeNeedsIsInEnvExample) {
  std::set<std::string> example;
  for (const auto& [name, value] : ReadEnvFile(".env.example")) {
    example.insert(name);
  }
  for (const auto& [name, required] :
       Variables(ReadSource("docker-compose.yml"))) {
    if (required) {
      EXPECT_TRUE(example.count(name)) << "docker-compose.yml needs ${" << name
                                       << "} but .env.example does not set it";
    }
  }
}

TEST_F(SettingsTest,
       EveryCaserelaySettingOfEnvExampleReachesAServiceThatReadsIt) {
  // A CASERELAY_* line of .env.example is a service setting: some service
  // of the four must get it under a name its --help lists.
  for (const auto& [name, value] : ReadEnvFile(".env.example")) {
    if (!absl::StartsWith(name, "CASERELAY_")) continue;
    std::vector<std::string> readers;
    for (const std::string& service : kServices) {
      for (const auto& [env, expression] : Environment(service)) {
        if (absl::StrContains(expression, absl::StrCat("${", name)) &&
            ServiceReads(service, env)) {
          readers.push_back(service);
        }
      }
    }
    EXPECT_FALSE(readers.empty())
        << name << " (.env.example) reaches no service whose --help lists it";
  }
}

TEST_F(SettingsTest, ServicesGetOnlyCaserelaySettingsTheyHave) {
  for (const std::string& service : kServices) {
    for (const auto& [env, expression] : Environment(service)) {
      if (!absl::StartsWith(env, "CASERELAY_")) continue;
      EXPECT_TRUE(ServiceReads(service, env))
          << "docker-compose.yml gives " << service << " " << env
          << ", which its --help does not list";
    }
  }
}

TEST_F(SettingsTest, ComposeConfigFilesSetOnlySettingsOfTheirService) {
  for (const std::string& service : kServices) {
    for (const auto& [key, value] : ReadConfFile(
             absl::StrCat("deploy/config/compose/", service, ".conf"))) {
      EXPECT_TRUE(help_->at(service).count(key))
          << "deploy/config/compose/" << service << ".conf sets " << key
          << ", which " << service << " --help does not list";
    }
  }
}

// issue 15 item 1: the portal's gateway, outside kServices (no store, no
// Kafka), held to the same rules: its compose config sets only its
// settings, and the guide documents every one.
TEST_F(SettingsTest, WebConfigAndGuideCoverTheGatewaysSettings) {
  std::map<std::string, std::string> help = HelpSettings("web");
  ASSERT_FALSE(help.empty());
  for (const auto& [key, value] :
       ReadConfFile("deploy/config/compose/web.conf")) {
    EXPECT_TRUE(help.count(key))
        << "deploy/config/compose/web.conf sets " << key
        << ", which web --help does not list";
  }
  std::string guide = ReadSource("docs/operator-guide.md");
  for (const auto& [key, env] : help) {
    EXPECT_TRUE(Documents(guide, key))
        << "web's " << key << " is not in docs/operator-guide.md";
  }
}

TEST_F(SettingsTest, KannelBoxesGetEveryValueTheirTemplatesNeed) {
  // Each ${NAME} of the Kannel templates without a default must be given
  // to both boxes, and each value given must be used by a template or by
  // deploy/kannel/start.
  std::string templates = ReadSource("deploy/kannel/kannel.conf") +
                          ReadSource("deploy/kannel/kannel-demo.conf");
  std::string start = ReadSource("deploy/kannel/start");
  std::map<std::string, bool> needed = Variables(templates);
  for (const char* box : {"bearerbox", "smsbox"}) {
    std::map<std::string, std::string> env = Environment(box);
    for (const auto& [name, required] : needed) {
      if (required) {
        EXPECT_TRUE(env.count(name)) << box << " lacks " << name;
      }
    }
    for (const auto& [name, expression] : env) {
      EXPECT_TRUE(needed.count(name) || absl::StrContains(start, name))
          << box << " gets " << name << ", which no Kannel template uses";
    }
  }
}

TEST_F(SettingsTest, KafkaJobAndBrokersGetOnlyValuesTheirScriptsRead) {
  // The topic job (deploy/kafka/create-topics, admin-properties) and the
  // brokers' health check read these; a value no script names would be a
  // password handed out for nothing.
  std::string scripts = ReadSource("deploy/kafka/create-topics") +
                        ReadSource("deploy/kafka/admin-properties") +
                        ReadSource("deploy/kafka/healthcheck");
  std::string acls = ReadSource("deploy/kafka/acls.tsv");
  for (const auto& [name, expression] : Environment("kafka-topics")) {
    // SCRAM_PASSWORD_<USER>: read for each user of acls.tsv.
    absl::string_view rest(name);
    if (absl::ConsumePrefix(&rest, "SCRAM_PASSWORD_")) {
      std::string user = absl::AsciiStrToLower(rest);
      EXPECT_TRUE(absl::StrContains(scripts, "SCRAM_PASSWORD_") &&
                  absl::StrContains(acls, absl::StrCat("\n", user, "\t")))
          << "kafka-topics gets " << name << ", but deploy/kafka/acls.tsv "
          << "has no user " << user;
      continue;
    }
    EXPECT_TRUE(absl::StrContains(scripts, name))
        << "kafka-topics gets " << name << ", which its scripts never read";
  }
  for (const char* broker : {"kafka", "kafka-1", "kafka-2", "kafka-3"}) {
    for (const auto& [name, expression] : Environment(broker)) {
      EXPECT_TRUE(absl::StartsWith(name, "KAFKA_") || name == "CLUSTER_ID" ||
                  absl::StrContains(scripts, name))
          << broker << " gets " << name
          << ", neither a broker setting nor read by its health check";
    }
  }
}

TEST_F(SettingsTest, GuideDocumentsEveryServiceSetting) {
  std::string guide = ReadSource("docs/operator-guide.md");
  for (const std::string& service : kServices) {
    for (const auto& [key, env] : help_->at(service)) {
      EXPECT_TRUE(absl::StrContains(guide, absl::StrCat("`", key, "`")))
          << service << "'s setting " << key
          << " is not in docs/operator-guide.md";
    }
  }
}

TEST_F(SettingsTest, GuideDocumentsEveryEnvExampleSetting) {
  std::string guide = ReadSource("docs/operator-guide.md");
  for (const auto& [name, value] : ReadEnvFile(".env.example")) {
    EXPECT_TRUE(absl::StrContains(guide, absl::StrCat("`", name, "`")))
        << name << " (.env.example) is not in docs/operator-guide.md";
  }
}

TEST_F(SettingsTest, GuideDocumentsEveryMetric) {
  // Every metric the services register: the literal name after
  // Get{Counter,Gauge,Histogram}( in common/ and services/.
  ShellResult grep = RunShell(absl::StrCat(
      "grep -rhoPz --include='*.cc' "
      "'Get(Counter|Gauge|Histogram)\\(\\s*\"\\Kcaserelay_[a-z0-9_]+' ",
      ShellQuote(SourcePath("common")), " ", ShellQuote(SourcePath("services")),
      " | tr '\\0' '\\n' | sort -u"));
  std::vector<std::string> names;
  for (const std::string& line :
       std::vector<std::string>(absl::StrSplit(grep.output, '\n'))) {
    if (!line.empty()) names.push_back(line);
  }
  // The scan works: the outbox gauge of every service is among them.
  ASSERT_TRUE(std::find(names.begin(), names.end(),
                        "caserelay_outbox_pending") != names.end())
      << grep.output;
  std::string guide = ReadSource("docs/operator-guide.md");
  for (const std::string& name : names) {
    EXPECT_TRUE(Documents(guide, name))
        << "metric " << name << " is not in docs/operator-guide.md";
  }
}

// issue 16: the inbox's yellow light (routing) and the DeadlineWarning
// (supervision) are one setting under one name (domain/lifecycle/
// deadline_light.h): both services read it, and every shipped config that
// sets it for one sets the same value for the other.
TEST_F(SettingsTest, RoutingAndSupervisionShareOneWarningTime) {
  const std::string key = "supervision.warning_before";
  for (const char* service : {"routing", "supervision"}) {
    EXPECT_TRUE(help_->at(service).count(key)) << service << " reads " << key;
  }
  for (const char* dir : {"deploy/config/local/", "deploy/config/compose/"}) {
    auto routing = ReadConfFile(absl::StrCat(dir, "routing.conf"));
    auto supervision = ReadConfFile(absl::StrCat(dir, "supervision.conf"));
    EXPECT_EQ(routing.count(key), supervision.count(key)) << dir;
    if (routing.count(key) && supervision.count(key)) {
      EXPECT_EQ(routing.at(key), supervision.at(key)) << dir;
    }
  }
}

}  // namespace
}  // namespace caserelay::deploy_test
