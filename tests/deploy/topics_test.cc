// The topics of the deployment: deploy/kafka/topics.tsv (read by the compose
// job kafka-topics) names the same topics with the same partitions as
// devbroker's defaults, and deploy/kafka/create-topics waits for Kafka,
// makes each topic kept forever and never repartitions one; then it makes
// each service a SCRAM user and grants the ACLs of deploy/kafka/acls.tsv,
// every service writing only its own topic (issue 22 item 7). No Kafka runs
// here: the script drives stand-ins for Kafka's CLI (fake-kafka-bin/) that
// keep topics, users and ACLs as files, let in only admin and log every
// call.

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/deploy/deploy_files.h"
#include "tests/integration/harness.h"
#include "tools/devbroker/flags.h"

namespace caserelay::deploy_test {
namespace {

using ::testing::HasSubstr;

std::vector<devbroker::TopicSpec> ComposeTopics() {
  std::vector<devbroker::TopicSpec> topics;
  for (absl::string_view line :
       absl::StrSplit(ReadSource("deploy/kafka/topics.tsv"), '\n')) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    devbroker::TopicSpec spec;
    EXPECT_EQ(fields.size(), 2u) << line;
    if (fields.size() != 2) continue;
    spec.name = fields[0];
    EXPECT_TRUE(absl::SimpleAtoi(fields[1], &spec.partitions)) << line;
    topics.push_back(spec);
  }
  return topics;
}

std::string Describe(const std::vector<devbroker::TopicSpec>& topics) {
  std::string text;
  for (const auto& t : topics)
    absl::StrAppend(&text, t.name, ":", t.partitions, " ");
  return text;
}

TEST(TopicsTest, ComposeJobMakesDevbrokersTopics) {
  EXPECT_EQ(Describe(ComposeTopics()), Describe(devbroker::DefaultTopics()))
      << "deploy/kafka/topics.tsv and tools/devbroker DefaultTopics() differ";
}

class CreateTopicsTest : public ::testing::Test {
 protected:
  // Runs deploy/kafka/create-topics against the stand-ins, Kafka answering
  // after `down` failed calls.
  // The passwords are the job's environment (docker-compose.yml); `env`
  // adds to or replaces them ("NAME=" unsets one).
  ShellResult Create(int down, int wait_seconds,
                     std::map<std::string, std::string> env = {}) {
    std::ofstream(dir_.path() + "/down") << down;
    std::ofstream(dir_.path() + "/admin-password") << kAdminPassword << "\n";
    std::map<std::string, std::string> all = Passwords();
    all["ADMIN_PASSWORD"] = kAdminPassword;
    for (const auto& [name, value] : env) all[name] = value;
    std::string assignments;
    for (const auto& [name, value] : all) {
      absl::StrAppend(&assignments, " ", name, "=", ShellQuote(value));
    }
    // `env` last: its values win (e.g. another TOPICS_FILE).
    return RunShell(absl::StrCat(
        "env -u ADMIN_PASSWORD",
        " FAKE_KAFKA_STATE=", ShellQuote(dir_.path()), " TOPICS_KAFKA_BIN=",
        ShellQuote(SourcePath("tests/deploy/fake-kafka-bin")),
        " TOPICS_FILE=", ShellQuote(SourcePath("deploy/kafka/topics.tsv")),
        " ACLS_FILE=", ShellQuote(SourcePath("deploy/kafka/acls.tsv")),
        " TMPDIR=", ShellQuote(dir_.path()),
        " TOPICS_BOOTSTRAP=kafka:9092 TOPICS_WAIT_SECONDS=", wait_seconds,
        assignments, " /bin/sh ",
        ShellQuote(SourcePath("deploy/kafka/create-topics"))));
  }
  static std::map<std::string, std::string> Passwords() {
    return {{"SCRAM_PASSWORD_INTAKE", "pw-intake-1"},
            {"SCRAM_PASSWORD_ROUTING", "pw-routing-2"},
            {"SCRAM_PASSWORD_SUPERVISION", "pw-supervision-3"},
            {"SCRAM_PASSWORD_NOTIFICATION", "pw-notification-4"},
            {"SCRAM_PASSWORD_STATISTICS", "pw-statistics-5"}};
  }
  // The ACLs granted, as fake-kafka-bin/kafka-acls.sh records them.
  std::set<std::string> Acls() {
    std::ifstream in(dir_.path() + "/acls");
    std::string text(std::istreambuf_iterator<char>(in), {});
    std::vector<std::string> lines =
        absl::StrSplit(text, '\n', absl::SkipEmpty());
    return std::set<std::string>(lines.begin(), lines.end());
  }
  // user -> the --add-config of its kafka-configs.sh --entity-type users.
  std::map<std::string, std::string> Users() {
    std::map<std::string, std::string> users;
    for (const char* name :
         {"intake", "routing", "supervision", "notification", "statistics",
          "admin"}) {
      std::ifstream in(dir_.path() + "/users/" + name);
      if (!in) continue;
      std::string text(std::istreambuf_iterator<char>(in), {});
      users[name] = std::string(absl::StripAsciiWhitespace(text));
    }
    return users;
  }
  std::string Log() {
    std::ifstream in(dir_.path() + "/log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void MakeTopic(const std::string& name, int partitions) {
    RunShell(absl::StrCat("mkdir -p ", ShellQuote(dir_.path() + "/topics")));
    std::ofstream(dir_.path() + "/topics/" + name) << partitions << "\n";
  }
  std::string Partitions(const std::string& name) {
    std::ifstream in(dir_.path() + "/topics/" + name);
    std::string text(std::istreambuf_iterator<char>(in), {});
    return std::string(absl::StripAsciiWhitespace(text));
  }

  static constexpr char kAdminPassword[] = "admin-pw-0";
  caserelay::testing::TempDir dir_;
};

TEST_F(CreateTopicsTest, WaitsForKafkaThenMakesEveryTopicKeptForever) {
  ShellResult run = Create(/*down=*/1, /*wait_seconds=*/60);
  ASSERT_EQ(run.code, 0) << run.output;
  std::string log = Log();
  EXPECT_THAT(run.output, HasSubstr("Kafka answers at kafka:9092"));
  for (const devbroker::TopicSpec& topic : ComposeTopics()) {
    EXPECT_EQ(Partitions(topic.name), std::to_string(topic.partitions));
    EXPECT_THAT(log,
                HasSubstr(absl::StrCat(
                    "--create --if-not-exists --topic ", topic.name,
                    " --partitions ", topic.partitions,
                    " --config retention.ms=-1 --config retention.bytes=-1")));
    EXPECT_THAT(log, HasSubstr(absl::StrCat(
                         "--entity-name ", topic.name,
                         " --add-config retention.ms=-1,retention.bytes=-1")));
  }
}

// issue 19: a changelog keeps the last value of each key (a restore reads
// what compaction left), the owners topic the last owner of each
// partition; the other topics are kept whole.
TEST_F(CreateTopicsTest, CompactsTheChangelogAndOwnersTopicsOnly) {
  ShellResult run = Create(0, 60);
  ASSERT_EQ(run.code, 0) << run.output;
  const std::string log = Log();
  for (const devbroker::TopicSpec& topic : ComposeTopics()) {
    SCOPED_TRACE(topic.name);
    const bool compacted = absl::EndsWith(topic.name, "-changelog") ||
                           absl::EndsWith(topic.name, "-owners") ||
                           topic.name == "statistics-bulletins";
    const std::string create = absl::StrCat(
        "--topic ", topic.name, " --partitions ", topic.partitions,
        " --config retention.ms=-1 --config retention.bytes=-1",
        compacted ? " --config cleanup.policy=compact" : "", "\n");
    EXPECT_THAT(log, HasSubstr(create));
    EXPECT_THAT(log, HasSubstr(absl::StrCat(
                         "--entity-name ", topic.name,
                         " --add-config retention.ms=-1,retention.bytes=-1",
                         compacted ? ",cleanup.policy=compact" : "", "\n")));
  }
  EXPECT_THAT(run.output,
              HasSubstr("supervision-changelog: 8 partitions, kept forever, "
                        "compacted"));
}

// issue 19: a case lives in the same partition of every topic keyed by
// case id, so a file giving them different counts is refused before Kafka
// is asked anything (the owners topics, keyed by partition, are not).
TEST_F(CreateTopicsTest, RefusesTopicsKeyedByCaseWithDifferentPartitionCounts) {
  const std::string file = dir_.path() + "/topics.tsv";
  std::ofstream(file) << "petitions\t8\ncase-events\t8\n"
                      << "supervision-owners\t1\n"
                      << "supervision-changelog\t16\n";
  ShellResult run = Create(0, 60, {{"TOPICS_FILE", file}});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_THAT(run.output,
              HasSubstr("supervision-changelog has 16 partitions, petitions 8"));
  EXPECT_EQ(Log(), "") << "Kafka was asked nothing";
}

TEST_F(CreateTopicsTest, RunsAgainOnExistingTopicsWithoutError) {
  ASSERT_EQ(Create(0, 60).code, 0);
  ShellResult again = Create(0, 60);
  EXPECT_EQ(again.code, 0) << again.output;
}

TEST_F(CreateTopicsTest, RefusesATopicWithFewerPartitionsAndAddsNone) {
  MakeTopic("case-events", 4);
  ShellResult run = Create(0, 60);
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("case-events has 4 partitions"));
  EXPECT_EQ(Partitions("case-events"), "4");
  EXPECT_THAT(Log(), ::testing::Not(HasSubstr("--alter --topic")));
}

TEST_F(CreateTopicsTest, GivesUpNamingTheProfilesWhenKafkaNeverAnswers) {
  ShellResult run = Create(/*down=*/1000, /*wait_seconds=*/0);
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("no Kafka answered at kafka:9092"));
  EXPECT_THAT(run.output, HasSubstr("COMPOSE_PROFILES"));
}

TEST_F(CreateTopicsTest, MakesEachServiceAScramUserWithItsPassword) {
  ShellResult run = Create(0, 60);
  ASSERT_EQ(run.code, 0) << run.output;
  const std::map<std::string, std::string> expected = {
      {"intake", "SCRAM-SHA-512=[password=pw-intake-1]"},
      {"routing", "SCRAM-SHA-512=[password=pw-routing-2]"},
      {"supervision", "SCRAM-SHA-512=[password=pw-supervision-3]"},
      {"notification", "SCRAM-SHA-512=[password=pw-notification-4]"},
      {"statistics", "SCRAM-SHA-512=[password=pw-statistics-5]"}};
  EXPECT_EQ(Users(), expected);  // and no admin: it is the brokers' own
}

TEST_F(CreateTopicsTest, GrantsExactlyTheAclsOfEachService) {
  ShellResult run = Create(0, 60);
  ASSERT_EQ(run.code, 0) << run.output;
  std::set<std::string> expected;
  const std::vector<std::string> topics = {
      "petitions", "case-events", "supervision-events", "notification-events"};
  struct Grant {
    std::string user, writes;
    std::vector<std::string> reads;
  };
  for (const Grant& g : std::vector<Grant>{
           {"intake", "petitions", {"case-events"}},
           {"routing", "case-events", {"petitions", "supervision-events"}},
           {"supervision", "supervision-events", {"case-events"}},
           {"notification", "notification-events", {"case-events"}},
           // statistics: a read model (issue 17) that records only the
           // bulletins it issues (issue 19).
           {"statistics", "statistics-bulletins",
            {"case-events", "statistics-bulletins"}}}) {
    const std::string principal = "User:" + g.user;
    if (!g.writes.empty()) {
      expected.insert(absl::StrCat(principal, " Write topic ", g.writes));
    }
    // issue 19: a partitioned service's own changelog and owners topics,
    // read by assignment (no group).
    if (g.user == "routing" || g.user == "supervision" ||
        g.user == "notification") {
      for (const char* kind : {"-changelog", "-owners"}) {
        for (const char* op : {"Write", "Read", "Describe"}) {
          expected.insert(
              absl::StrCat(principal, " ", op, " topic ", g.user, kind));
        }
      }
    }
    for (const std::string& topic : g.reads) {
      expected.insert(absl::StrCat(principal, " Read topic ", topic));
    }
    expected.insert(absl::StrCat(principal, " Read group ", g.user));
    if (g.user == "statistics") {
      expected.insert(absl::StrCat(principal, " Describe topic ", g.writes));
    }
    for (const std::string& topic : topics) {
      expected.insert(absl::StrCat(principal, " Describe topic ", topic));
    }
  }
  EXPECT_EQ(Acls(), expected);
}

TEST_F(CreateTopicsTest, EveryServiceWritesOnlyItsOwnTopic) {
  // Derived from what was granted, so a new row of acls.tsv cannot undo it.
  ASSERT_EQ(Create(0, 60).code, 0);
  const std::map<std::string, std::set<std::string>> own = {
      {"User:intake", {"petitions"}},
      {"User:routing",
       {"case-events", "routing-changelog", "routing-owners"}},
      {"User:supervision",
       {"supervision-events", "supervision-changelog", "supervision-owners"}},
      {"User:notification",
       {"notification-events", "notification-changelog",
        "notification-owners"}},
      // a read model writes only its issued bulletins
      {"User:statistics", {"statistics-bulletins"}}};
  std::map<std::string, std::set<std::string>> writes;
  for (const std::string& acl : Acls()) {
    std::vector<std::string> f = absl::StrSplit(acl, ' ');
    ASSERT_GE(f.size(), 3u) << acl;
    EXPECT_TRUE(own.count(f[0])) << "an ACL for an unknown principal: " << acl;
    EXPECT_NE(f[2], "cluster") << "no service needs the cluster: " << acl;
    if (f[1] == "Write" || f[1] == "All" || f[1] == "Alter" ||
        f[1] == "Delete" || f[1] == "Create") {
      ASSERT_EQ(f.size(), 4u) << acl;
      writes[f[0]].insert(f[3]);
    }
  }
  for (const auto& [principal, topics] : own) {
    EXPECT_EQ(writes[principal], topics) << principal;
  }
}

TEST_F(CreateTopicsTest, EveryCallLogsInAsAdmin) {
  ASSERT_EQ(Create(0, 60).code, 0);
  std::vector<std::string> calls =
      absl::StrSplit(Log(), '\n', absl::SkipEmpty());
  ASSERT_FALSE(calls.empty());
  for (const std::string& call : calls) {
    EXPECT_THAT(call, HasSubstr("--command-config ")) << call;
  }
  // The admin client settings live only while the job runs.
  ShellResult left = RunShell(
      absl::StrCat("ls ", ShellQuote(dir_.path()), " | grep create-topics"));
  EXPECT_EQ(left.output, "");
}

TEST_F(CreateTopicsTest, AWrongAdminPasswordGetsNothingMade) {
  ShellResult run = Create(0, 0, {{"ADMIN_PASSWORD", "not-admins"}});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_EQ(Acls(), std::set<std::string>{});
  EXPECT_TRUE(Users().empty());
}

TEST_F(CreateTopicsTest, RefusesAMissingPasswordBeforeAskingKafka) {
  ShellResult run = Create(0, 60, {{"SCRAM_PASSWORD_ROUTING", ""}});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("SCRAM_PASSWORD_ROUTING is not set"));
  EXPECT_THAT(run.output, HasSubstr("KAFKA_ROUTING_PASSWORD in .env"));
  EXPECT_EQ(Log(), "");
}

TEST_F(CreateTopicsTest, RefusesAPasswordThatWouldBreakItsQuoting) {
  for (const char* variable : {"SCRAM_PASSWORD_INTAKE", "ADMIN_PASSWORD"}) {
    ShellResult run = Create(0, 60, {{variable, "a\"b];c"}});
    EXPECT_EQ(run.code, 1) << variable << ": " << run.output;
    EXPECT_THAT(run.output, HasSubstr("only letters, digits")) << variable;
    EXPECT_EQ(Log(), "") << variable;
  }
}

}  // namespace
}  // namespace caserelay::deploy_test
