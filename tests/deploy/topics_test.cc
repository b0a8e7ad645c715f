// The topics of the deployment: deploy/kafka/topics.tsv (read by the compose
// job kafka-topics) names the same topics with the same partitions as
// devbroker's defaults, and deploy/kafka/create-topics waits for Kafka,
// makes each topic kept forever and never repartitions one. No Kafka runs
// here: the script drives stand-ins for Kafka's CLI (fake-kafka-bin/) that
// keep topics as files and log every call.

#include <fstream>
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
  ShellResult Create(int down, int wait_seconds) {
    std::ofstream(dir_.path() + "/down") << down;
    return RunShell(absl::StrCat(
        "FAKE_KAFKA_STATE=", ShellQuote(dir_.path()), " TOPICS_KAFKA_BIN=",
        ShellQuote(SourcePath("tests/deploy/fake-kafka-bin")),
        " TOPICS_FILE=", ShellQuote(SourcePath("deploy/kafka/topics.tsv")),
        " TOPICS_BOOTSTRAP=kafka:9092 TOPICS_WAIT_SECONDS=", wait_seconds,
        " /bin/sh ", ShellQuote(SourcePath("deploy/kafka/create-topics"))));
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

}  // namespace
}  // namespace caserelay::deploy_test
