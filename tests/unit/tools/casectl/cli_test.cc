#include "tools/casectl/cli.h"

#include <utility>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tools/casectl/actions.h"

namespace caserelay::casectl {
namespace {

TEST(CliTest, GlobalFlagsStandBeforeOrAfterTheCommand) {
  auto inv = ParseInvocation({"--routing", "127.0.0.1:7001", "show", "C1",
                              "--token-file", "/t", "--json"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  ASSERT_NE(inv->command, nullptr);
  EXPECT_EQ(inv->command->kind, CommandKind::kShow);
  EXPECT_EQ(inv->global.routing, "127.0.0.1:7001");
  EXPECT_EQ(inv->global.token_file, "/t");
  EXPECT_TRUE(inv->global.json);
  EXPECT_EQ(inv->flags.positional(), std::vector<std::string>{"C1"});
}

TEST(CliTest, TlsFlagsAreGlobal) {
  auto inv = ParseInvocation({"inbox", "--tls-ca", "ca.pem", "--tls-cert",
                              "c.pem", "--tls-key", "k.pem",
                              "--tls-server-name", "routing.internal"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->global.tls_ca, "ca.pem");
  EXPECT_EQ(inv->global.tls_cert, "c.pem");
  EXPECT_EQ(inv->global.tls_key, "k.pem");
  EXPECT_EQ(inv->global.tls_server_name, "routing.internal");
  EXPECT_FALSE(inv->global.json);
}

TEST(CliTest, SupervisionAddressIsAGlobalFlag) {
  auto inv = ParseInvocation(
      {"--supervision", "127.0.0.1:7002", "lights", "--region", "140431"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->kind, CommandKind::kLights);
  EXPECT_EQ(inv->global.supervision, "127.0.0.1:7002");
  EXPECT_EQ(inv->flags.Value("region"), "140431");
  inv = ParseInvocation({"deadlines", "C1", "--supervision=127.0.0.1:7003"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->kind, CommandKind::kDeadlines);
  EXPECT_EQ(inv->global.supervision, "127.0.0.1:7003");
  EXPECT_EQ(inv->flags.positional(), std::vector<std::string>{"C1"});
}

TEST(CliTest, SupervisionCommandsAndClockAreCommands) {
  const std::pair<const char*, CommandKind> kinds[] = {
      {"deadlines", CommandKind::kDeadlines},
      {"lights", CommandKind::kLights},
      {"stats", CommandKind::kStats},
      {"clock", CommandKind::kClock},
      {"reply-supervision", CommandKind::kAct},
  };
  for (const auto& [name, kind] : kinds) {
    const CommandSpec* command = FindCommand(name);
    ASSERT_NE(command, nullptr) << name;
    EXPECT_EQ(command->kind, kind) << name;
    // --help of every new command carries examples of its use.
    EXPECT_TRUE(absl::StrContains(CommandHelp(*command),
                                  std::string("Examples:\n  casectl ")))
        << name;
  }
  const std::string help = MainHelp();
  EXPECT_TRUE(absl::StrContains(help,
                                "Supervision (督查督办):\n"
                                "  casectl deadlines CASE"));
  EXPECT_TRUE(absl::StrContains(help, "--supervision HOST:PORT"));
  EXPECT_TRUE(absl::StrContains(help, "$CASERELAY_SUPERVISION"));
}

TEST(CliTest, RouteTakesAFileAndJsonIsTheOutputSwitch) {
  auto inv = ParseInvocation({"route", "--json", "matter.json"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->kind, CommandKind::kRoute);
  EXPECT_TRUE(inv->global.json);
  EXPECT_EQ(inv->flags.positional(), std::vector<std::string>{"matter.json"});
}

TEST(CliTest, HelpAnywhereAsksForHelpWithoutCheckingTheRest) {
  auto inv = ParseInvocation({"--help"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_TRUE(inv->help);
  EXPECT_EQ(inv->command, nullptr);
  inv = ParseInvocation({"decline", "-h"});  // --route is missing
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_TRUE(inv->help);
  ASSERT_NE(inv->command, nullptr);
  EXPECT_EQ(inv->command->name, "decline");
}

TEST(CliTest, UsageErrors) {
  struct Row {
    std::vector<std::string> args;
    std::string message;
  };
  const Row rows[] = {
      {{}, "no command"},
      {{"--json"}, "no command"},
      {{"frobnicate"}, "unknown command 'frobnicate'"},
      {{"status", "C1"}, "status takes CASE_NUMBER LOOKUP_CODE"},
      {{"show"}, "show takes CASE"},
      {{"show", "C1", "C2"}, "show takes CASE"},
      {{"inbox", "extra"}, "inbox takes no arguments; got 'extra'"},
      // A flag of another command is unknown here.
      {{"show", "C1", "--simplified"}, "unknown flag --simplified"},
      {{"-x", "show", "C1"}, "unknown flag -x"},
      {{"show", "C1", "--routing"}, "--routing needs HOST:PORT"},
      {{"lights", "--supervision"}, "--supervision needs HOST:PORT"},
      {{"deadlines"}, "deadlines takes CASE"},
      {{"deadlines", "C1", "C2"}, "deadlines takes CASE"},
      {{"lights", "140431"}, "lights takes no arguments; got '140431'"},
      {{"stats", "--month", "5"}, "unknown flag --month"},
      {{"stats", "--by"}, "--by needs KEY"},
      {{"lights", "--all=yes"}, "--all takes no value"},
      {{"clock"}, "clock takes show | set TIME | advance DURATION"},
      {{"clock", "set", "2026-01-01", "x"},
       "clock takes show | set TIME | advance DURATION"},
      {{"reply-supervision"}, "reply-supervision takes CASE"},
  };
  for (const Row& row : rows) {
    auto inv = ParseInvocation(row.args);
    EXPECT_EQ(inv.status().code(), absl::StatusCode::kInvalidArgument)
        << row.message;
    EXPECT_EQ(inv.status().message(), row.message);
  }
}

TEST(CliTest, EveryActionIsACommandTakingTheCommonFlags) {
  for (const ActionSpec& action : Actions()) {
    const CommandSpec* command = FindCommand(action.name);
    ASSERT_NE(command, nullptr) << action.name;
    EXPECT_EQ(command->kind, CommandKind::kAct);
    for (const FlagSpec& common : CommonActionFlags()) {
      EXPECT_TRUE(absl::StrContains(CommandHelp(*command), "--" + common.name))
          << action.name;
    }
  }
}

TEST(CliTest, MainHelpListsEveryCommand) {
  const std::string help = MainHelp();
  for (const CommandSpec& command : Commands()) {
    EXPECT_TRUE(absl::StrContains(help, "casectl " + command.name + " "))
        << command.name;
  }
  EXPECT_TRUE(absl::StrContains(help, "status CASE_NUMBER LOOKUP_CODE"));
  EXPECT_TRUE(absl::StrContains(help, "$CASERELAY_TOKEN_FILE"));
}

TEST(CliTest, CommandHelpListsEveryFlag) {
  for (const CommandSpec& command : Commands()) {
    const std::string help = CommandHelp(command);
    for (const FlagSpec& flag : command.flags) {
      EXPECT_TRUE(absl::StrContains(help, "--" + flag.name))
          << command.name << " --" << flag.name;
    }
  }
}

}  // namespace
}  // namespace caserelay::casectl
