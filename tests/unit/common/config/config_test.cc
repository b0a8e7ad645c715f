#include "common/config/config.h"

#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Type = Setting::Type;
using Env = std::map<std::string, std::string>;

// A service schema with one setting of every type.
std::vector<Setting> Schema() {
  return {
      {"kafka.bootstrap", Type::kString, "", true, "Kafka bootstrap servers"},
      {"grpc.listen", Type::kHostPort, "127.0.0.1:0", false, "gRPC address"},
      {"store.max_open_files", Type::kInt, "64", false, "RocksDB limit"},
      {"sms.enabled", Type::kBool, "true", false, "send SMS"},
      {"deadline.warn_before", Type::kDuration, "3d", false, "warn lead"},
      {"store.dir", Type::kPath, "", false, "RocksDB directory"},
  };
}

class ConfigTest : public ::testing::Test {
 protected:
  // Writes `text` to a fresh file in the test's temp dir; returns its path.
  std::string WriteFile(const std::string& text) {
    const std::string path = absl::StrCat(::testing::TempDir(), "/config_test_",
                                          getpid(), "_", ++files_, ".conf");
    std::ofstream(path) << text;
    paths_.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const std::string& p : paths_) unlink(p.c_str());
  }

 private:
  int files_ = 0;
  std::vector<std::string> paths_;
};

TEST_F(ConfigTest, LoadsEveryTypeFromFile) {
  const std::string path = WriteFile(
      "kafka.bootstrap = broker1:9092,broker2:9092\n"
      "grpc.listen = [::1]:7001\n"
      "store.max_open_files = -1\n"
      "sms.enabled = off\n"
      "deadline.warn_before = 1h30m\n"
      "store.dir = /var/lib/caserelay/intake\n");
  absl::StatusOr<Config> c = Config::Load(path, Schema(), {});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->GetString("kafka.bootstrap"), "broker1:9092,broker2:9092");
  EXPECT_EQ(c->GetHostPort("grpc.listen").host, "::1");
  EXPECT_EQ(c->GetHostPort("grpc.listen").port, 7001);
  EXPECT_EQ(c->GetInt("store.max_open_files"), -1);
  EXPECT_FALSE(c->GetBool("sms.enabled"));
  EXPECT_EQ(c->GetDuration("deadline.warn_before"), absl::Minutes(90));
  EXPECT_EQ(c->GetPath("store.dir"), "/var/lib/caserelay/intake");
  EXPECT_EQ(c->Source("store.dir"), path + ":6");
}

TEST_F(ConfigTest, DefaultsApplyWhenUnset) {
  absl::StatusOr<Config> c =
      Config::Load("", Schema(), {{"CASERELAY_KAFKA_BOOTSTRAP", "k:1"}});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->GetHostPort("grpc.listen").ToString(), "127.0.0.1:0");
  EXPECT_EQ(c->GetInt("store.max_open_files"), 64);
  EXPECT_TRUE(c->GetBool("sms.enabled"));
  EXPECT_EQ(c->GetDuration("deadline.warn_before"), absl::Hours(72));
  EXPECT_EQ(c->Source("grpc.listen"), "default");
}

TEST_F(ConfigTest, OptionalSettingWithoutDefaultIsUnset) {
  absl::StatusOr<Config> c =
      Config::Load("", Schema(), {{"CASERELAY_KAFKA_BOOTSTRAP", "k:1"}});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->Has("store.dir"));
  EXPECT_EQ(c->GetString("store.dir"), "");
  EXPECT_TRUE(c->Has("store.max_open_files"));
}

TEST_F(ConfigTest, EnvironmentOverridesFile) {
  const std::string path = WriteFile(
      "kafka.bootstrap = file:9092\n"
      "store.max_open_files = 10\n");
  absl::StatusOr<Config> c = Config::Load(
      path, Schema(), {{"CASERELAY_STORE_MAX_OPEN_FILES", " 20 "}});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->GetInt("store.max_open_files"), 20);
  EXPECT_EQ(c->Source("store.max_open_files"),
            "env CASERELAY_STORE_MAX_OPEN_FILES");
  EXPECT_EQ(c->GetString("kafka.bootstrap"), "file:9092");
}

TEST_F(ConfigTest, UnknownEnvironmentVariablesAreIgnored) {
  absl::StatusOr<Config> c =
      Config::Load("", Schema(),
                   {{"CASERELAY_KAFKA_BOOTSTRAP", "k:1"},
                    {"CASERELAY_SOME_OTHER_SERVICE_KEY", "x"},
                    {"PATH", "/usr/bin"}});
  EXPECT_TRUE(c.ok()) << c.status();
}

TEST(EnvNameTest, UpperCasesAndReplacesDots) {
  EXPECT_EQ(EnvName("kafka.bootstrap"), "CASERELAY_KAFKA_BOOTSTRAP");
  EXPECT_EQ(EnvName("store.max_open_files"), "CASERELAY_STORE_MAX_OPEN_FILES");
}

TEST_F(ConfigTest, CommentsBlankLinesAndCrLfAreSkipped) {
  const std::string path = WriteFile(
      "\xEF\xBB\xBF# intake\r\n"
      "\r\n"
      "   # indented comment\n"
      "kafka.bootstrap=  a b # not a comment  \r\n");
  absl::StatusOr<Config> c = Config::Load(path, Schema(), {});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->GetString("kafka.bootstrap"), "a b # not a comment");
}

TEST_F(ConfigTest, MissingFileIsNotFound) {
  absl::StatusOr<Config> c =
      Config::Load(::testing::TempDir() + "/no-such.conf", Schema(), {});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(c.status().message(), HasSubstr("no-such.conf"));
}

TEST_F(ConfigTest, UnknownKeyNamesLineAndNearestKey) {
  const std::string path = WriteFile(
      "kafka.bootstrap = k:1\n"
      "\n"
      "kafka.bootstap = k:2\n");
  absl::StatusOr<Config> c = Config::Load(path, Schema(), {});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message(),
            path +
                ":3: unknown setting \"kafka.bootstap\" (did you mean "
                "\"kafka.bootstrap\"?)");
}

TEST_F(ConfigTest, UnknownKeyFarFromAnyKnownKeyHasNoSuggestion) {
  const std::string path = WriteFile("kafka.bootstrap = k\nzzz = 1\n");
  absl::StatusOr<Config> c = Config::Load(path, Schema(), {});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message(), path + ":2: unknown setting \"zzz\"");
}

TEST_F(ConfigTest, KeyGivenTwiceIsInvalid) {
  const std::string path =
      WriteFile("kafka.bootstrap = a\nkafka.bootstrap = b\n");
  absl::StatusOr<Config> c = Config::Load(path, Schema(), {});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message(),
            path +
                ":2: setting \"kafka.bootstrap\" given again (first on "
                "line 1)");
}

TEST_F(ConfigTest, LineWithoutEqualsIsInvalid) {
  const std::string path = WriteFile("kafka.bootstrap k:1\n");
  absl::StatusOr<Config> c = Config::Load(path, Schema(), {});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(),
              HasSubstr(path + ":1: expected 'key = value'"));
}

TEST_F(ConfigTest, MissingRequiredSettingNamesFileAndEnvironment) {
  const std::string path = WriteFile("# nothing\n");
  absl::StatusOr<Config> c = Config::Load(path, Schema(), {});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message(),
            "setting \"kafka.bootstrap\" is required but not set (set it in " +
                path + " or in env CASERELAY_KAFKA_BOOTSTRAP)");
}

TEST_F(ConfigTest, RequiredSettingSetEmptyIsInvalid) {
  absl::StatusOr<Config> c =
      Config::Load("", Schema(), {{"CASERELAY_KAFKA_BOOTSTRAP", ""}});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message(),
            "setting \"kafka.bootstrap\" (from env CASERELAY_KAFKA_BOOTSTRAP) "
            "is required but empty");
}

TEST_F(ConfigTest, BadValuesNameSettingAndSource) {
  struct Row {
    std::string key;
    std::string value;
    std::string want;  // The message after "setting \"<key>\" (from ...): ".
  };
  const std::vector<Row> rows = {
      {"store.max_open_files", "12x",
       "bad int \"12x\": expected a decimal int64"},
      {"store.max_open_files", "99999999999999999999",
       "bad int \"99999999999999999999\": expected a decimal int64"},
      {"sms.enabled", "maybe",
       "bad bool \"maybe\": expected true/false, yes/no, on/off or 1/0"},
      {"deadline.warn_before", "5 minutes", "bad duration \"5 minutes\""},
      {"grpc.listen", "localhost", "bad host:port \"localhost\""},
      {"store.dir", "", "empty path"},
  };
  for (const Row& row : rows) {
    Env env = {{"CASERELAY_KAFKA_BOOTSTRAP", "k:1"},
               {EnvName(row.key), row.value}};
    absl::StatusOr<Config> c = Config::Load("", Schema(), env);
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument) << row.key;
    EXPECT_THAT(c.status().message(),
                HasSubstr(absl::StrCat("setting \"", row.key, "\" (from env ",
                                       EnvName(row.key), "): ", row.want)));
  }
}

TEST_F(ConfigTest, IntegerOutsideItsRangeNamesSettingSourceAndRange) {
  // Issue 22 item 8: "intake.max_text_chars = -1 disables the limit":
  // config integers need ranges. Each row: value, accepted or the message.
  const std::vector<Setting> schema = {
      {"intake.max_text_chars", Type::kInt, "10000", false, "", 1, 100000}};
  struct Row {
    const char* value;
    const char* want;  // "" when the value is accepted
  };
  for (const Row& row : std::vector<Row>{
           {"-1", "-1 is outside [1, 100000]"},
           {"0", "0 is outside [1, 100000]"},
           {"1", ""},
           {"100000", ""},
           {"100001", "100001 is outside [1, 100000]"},
       }) {
    SCOPED_TRACE(row.value);
    absl::StatusOr<Config> c = Config::Load(
        "", schema, {{"CASERELAY_INTAKE_MAX_TEXT_CHARS", row.value}});
    if (*row.want == '\0') {
      ASSERT_TRUE(c.ok()) << c.status();
      continue;
    }
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(c.status().message(),
                HasSubstr(absl::StrCat(
                    "setting \"intake.max_text_chars\" (from env "
                    "CASERELAY_INTAKE_MAX_TEXT_CHARS): ",
                    row.want)));
  }
}

TEST_F(ConfigTest, DefaultOutsideTheRangeOrAnEmptyRangeIsABadSchema) {
  EXPECT_EQ(Config::Load("", {{"n", Type::kInt, "0", false, "", 1, 9}}, {})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<Config> c =
      Config::Load("", {{"n", Type::kInt, "5", false, "", 9, 1}}, {});
  EXPECT_THAT(c.status().message(), HasSubstr("schema: \"n\" has min > max"));
}

TEST_F(ConfigTest, BadValueInFileNamesLine) {
  const std::string path =
      WriteFile("kafka.bootstrap = k\nsms.enabled = maybe\n");
  absl::StatusOr<Config> c = Config::Load(path, Schema(), {});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(),
              HasSubstr("setting \"sms.enabled\" (from " + path + ":2): "));
}

TEST_F(ConfigTest, AllErrorsAreReportedOnOneLine) {
  const std::string path = WriteFile("typo.key = 1\nsms.enabled = maybe\n");
  absl::StatusOr<Config> c = Config::Load(path, Schema(), {});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("typo.key"));
  EXPECT_THAT(c.status().message(), HasSubstr("sms.enabled"));
  EXPECT_THAT(c.status().message(), HasSubstr("kafka.bootstrap"));
  EXPECT_THAT(c.status().message(), Not(HasSubstr("\n")));
}

TEST_F(ConfigTest, BadSchemaIsInvalid) {
  const std::vector<std::vector<Setting>> schemas = {
      {{"a.b", Type::kString, "", false, ""},
       {"a.b", Type::kString, "", false, ""}},
      {{"Kafka.Bootstrap", Type::kString, "", false, ""}},
      {{"a..b", Type::kString, "", false, ""}},
      {{"n", Type::kInt, "ten", false, ""}},
  };
  const std::vector<std::string> want = {
      "schema: duplicate key \"a.b\"",
      "schema: malformed key \"Kafka.Bootstrap\"",
      "schema: malformed key \"a..b\"",
      "setting \"n\" (from default): bad int \"ten\"",
  };
  for (size_t i = 0; i < schemas.size(); ++i) {
    absl::StatusOr<Config> c = Config::Load("", schemas[i], {});
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(c.status().message(), HasSubstr(want[i]));
  }
}

TEST(ParseDurationTest, AcceptsUnitsUpToDays) {
  const std::vector<std::pair<std::string, absl::Duration>> rows = {
      {"500ms", absl::Milliseconds(500)},
      {"15s", absl::Seconds(15)},
      {"2h", absl::Hours(2)},
      {"30d", absl::Hours(30 * 24)},
      {"1h30m", absl::Minutes(90)},
      {"0", absl::ZeroDuration()},
      {"0s", absl::ZeroDuration()},
      {"1d12h", absl::Hours(36)},
  };
  for (const auto& [text, want] : rows) {
    absl::StatusOr<absl::Duration> d = ParseDuration(text);
    ASSERT_TRUE(d.ok()) << text << ": " << d.status();
    EXPECT_EQ(*d, want) << text;
  }
}

TEST(ParseDurationTest, RejectsOtherShapes) {
  for (const std::string text :
       {"", "5", "1.5s", "-1s", "5 minutes", "10x", "ms", "1h 30m", "2w"}) {
    EXPECT_EQ(ParseDuration(text).status().code(),
              absl::StatusCode::kInvalidArgument)
        << text;
  }
}

TEST(ParseHostPortTest, AcceptsHostsAndBracketedIpv6) {
  struct Row {
    std::string text;
    std::string host;
    int port;
  };
  const std::vector<Row> rows = {
      {"127.0.0.1:0", "127.0.0.1", 0},
      {"localhost:8080", "localhost", 8080},
      {"kafka-1.internal:9092", "kafka-1.internal", 9092},
      {"0.0.0.0:65535", "0.0.0.0", 65535},
      {"[::1]:7001", "::1", 7001},
  };
  for (const Row& row : rows) {
    absl::StatusOr<HostPort> hp = ParseHostPort(row.text);
    ASSERT_TRUE(hp.ok()) << row.text << ": " << hp.status();
    EXPECT_EQ(hp->host, row.host);
    EXPECT_EQ(hp->port, row.port);
    EXPECT_EQ(hp->ToString(), row.text);
  }
}

TEST(ParseHostPortTest, RejectsMalformed) {
  for (const std::string text :
       {"", "localhost", ":8080", "host:", "host:65536", "host:-1", "host:80x",
        "::1:80", "[::1]", "[::1]80", "[zz]:80", "ho st:80", "host:000080"}) {
    EXPECT_EQ(ParseHostPort(text).status().code(),
              absl::StatusCode::kInvalidArgument)
        << text;
  }
}

TEST(DescribeSettingsTest, OneAlignedLinePerSetting) {
  const std::vector<Setting> schema = {
      {"kafka.bootstrap", Type::kString, "", true, "Kafka bootstrap servers"},
      {"grpc.listen", Type::kHostPort, "127.0.0.1:0", false, "gRPC address"},
      {"store.dir", Type::kPath, "", false, ""},
  };
  EXPECT_EQ(DescribeSettings(schema),
            "  kafka.bootstrap  string     required             "
            "CASERELAY_KAFKA_BOOTSTRAP  Kafka bootstrap servers\n"
            "  grpc.listen      host:port  default=127.0.0.1:0  "
            "CASERELAY_GRPC_LISTEN      gRPC address\n"
            "  store.dir        path       default=(empty)      "
            "CASERELAY_STORE_DIR\n");
}

TEST(ProcessEnvironmentTest, ReturnsTheProcessEnvironment) {
  setenv("CASERELAY_CONFIG_TEST_VAR", "a=b", 1);
  const Env env = ProcessEnvironment();
  auto it = env.find("CASERELAY_CONFIG_TEST_VAR");
  ASSERT_NE(it, env.end());
  EXPECT_EQ(it->second, "a=b");
  unsetenv("CASERELAY_CONFIG_TEST_VAR");
}

using ConfigDeathTest = ConfigTest;

TEST_F(ConfigDeathTest, GetterOnKeyNotInSchemaAborts) {
  absl::StatusOr<Config> c =
      Config::Load("", Schema(), {{"CASERELAY_KAFKA_BOOTSTRAP", "k:1"}});
  ASSERT_TRUE(c.ok());
  EXPECT_DEATH(c->GetString("kafka.bootstap"),
               "GetString\\(\"kafka.bootstap\"\\): key is not in the schema");
}

TEST_F(ConfigDeathTest, GetterOfWrongTypeAborts) {
  absl::StatusOr<Config> c =
      Config::Load("", Schema(), {{"CASERELAY_KAFKA_BOOTSTRAP", "k:1"}});
  ASSERT_TRUE(c.ok());
  EXPECT_DEATH(c->GetInt("sms.enabled"), "setting is of type bool");
}

TEST_F(ConfigDeathTest, TypedGetterOfUnsetSettingAborts) {
  absl::StatusOr<Config> c =
      Config::Load("", Schema(), {{"CASERELAY_KAFKA_BOOTSTRAP", "k:1"}});
  ASSERT_TRUE(c.ok());
  EXPECT_DEATH(c->GetPath("store.dir"), "setting has no value");
}

}  // namespace
}  // namespace caserelay::config
