// casectl dead-letters against a running service (issue 22 item 5): an
// input routing cannot apply is listed with its reason (never its bytes),
// can be replayed, and a replay refused again keeps it listed.

#include <atomic>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/kafka/producer.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

std::string Casectl(const std::string& args) {
  return absl::StrCat(Binary("tools/casectl/casectl"), " ", args);
}

TEST(DeadLettersTest, ListedReplayedAndKeptWhenRefusedAgain) {
  SystemOptions options;
  options.services = {"intake", "routing"};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& system = **sys;
  const std::string admin = system.admin_address("routing");

  // Bytes that are no Envelope on petitions: routing can never apply them.
  std::atomic<int> failed{0};
  auto producer = kafka::CreateKafkaProducer(
      {system.bootstrap(), "dead-letters-test", {}, absl::Seconds(10)},
      [&](const kafka::DeliveryReport& r) {
        if (!r.status.ok()) ++failed;
      });
  ASSERT_TRUE(producer.ok()) << producer.status();
  ASSERT_TRUE((*producer)->Produce("petitions", "k", "\xff\xff not a petition", 1).ok());
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  ASSERT_EQ(failed.load(), 0);

  std::string key;
  CommandResult list;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (key.empty() && absl::Now() < deadline) {
    list = RunCommand(Casectl("dead-letters list --admin " + admin));
    ASSERT_EQ(list.code, 0) << list.output;
    for (absl::string_view line : absl::StrSplit(list.output, '\n')) {
      if (absl::StartsWith(line, "petitions/")) {
        key = std::string(line.substr(0, line.find('\t')));
      }
    }
    if (key.empty()) absl::SleepFor(absl::Milliseconds(200));
  }
  ASSERT_FALSE(key.empty()) << list.output;
  EXPECT_TRUE(absl::StrContains(list.output, "INVALID_ARGUMENT: not an Envelope"))
      << list.output;
  EXPECT_FALSE(absl::StrContains(list.output, "not a petition"))
      << "the record itself is never shown";

  CommandResult replay =
      RunCommand(Casectl("dead-letters replay " + key + " --admin " + admin));
  EXPECT_EQ(replay.code, 0) << replay.output;
  EXPECT_TRUE(absl::StrContains(replay.output, "1 dead letter(s) queued"))
      << replay.output;
  // Refused again (the bytes are still no Envelope): it stays listed, and
  // routing counted no replay.
  absl::SleepFor(absl::Seconds(1));
  list = RunCommand(Casectl("dead-letters list --admin " + admin));
  EXPECT_TRUE(absl::StrContains(list.output, key)) << list.output;
  auto replayed = system.MetricSum("routing",
                                   "caserelay_dead_letters_replayed_total");
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ(*replayed, 0);

  CommandResult unknown = RunCommand(
      Casectl("dead-letters replay petitions/0/999999 --admin " + admin));
  EXPECT_NE(unknown.code, 0) << unknown.output;
  EXPECT_TRUE(absl::StrContains(unknown.output, "no dead letter"))
      << unknown.output;
  CommandResult usage =
      RunCommand(Casectl("dead-letters replay --admin " + admin));
  EXPECT_NE(usage.code, 0) << usage.output;
}

}  // namespace
}  // namespace caserelay::testing
