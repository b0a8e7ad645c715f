#include "tools/casectl/cli.h"

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
