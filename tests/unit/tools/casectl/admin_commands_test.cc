// admin bootstrap: its command line and where the password comes from
// (stdin, never argv: issue 16 item 1 and the lead's contract). The call
// against the real accounts service: tests/integration/accounts_test.cc.
#include "tools/casectl/admin_commands.h"

#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tools/casectl/cli.h"

namespace caserelay::casectl {
namespace {

TEST(AdminCliTest, AdminIsAnAccountsCommandWithItsAddressFlag) {
  auto inv = ParseInvocation({"--accounts", "127.0.0.1:7006", "admin",
                              "bootstrap", "--username", "wangwu",
                              "--display-name", "王五"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->command->kind, CommandKind::kAdmin);
  EXPECT_EQ(inv->global.accounts, "127.0.0.1:7006");
  // No --password flag exists: a password never rides on argv.
  EXPECT_FALSE(ParseInvocation({"admin", "bootstrap", "--username", "w",
                                "--display-name", "n", "--password", "x"})
                   .ok());
}

TEST(AdminCliTest, BootstrapRequestTable) {
  struct Row {
    const char* rule;
    std::vector<std::string> args;
    std::string stdin_text;
    std::string error;  // empty: accepted
    std::string password;
  };
  for (const Row& r : std::vector<Row>{
           {"the password is stdin's first line",
            {"admin", "bootstrap", "--username", "wangwu", "--display-name",
             "王五"},
            "admin-password-1\nsecond line\n",
            "",
            "admin-password-1"},
           {"a CRLF line end is not part of it",
            {"admin", "bootstrap", "--username", "wangwu", "--display-name",
             "王五"},
            "admin-password-1\r\n",
            "",
            "admin-password-1"},
           {"no password on stdin: refused before anything is sent",
            {"admin", "bootstrap", "--username", "wangwu", "--display-name",
             "王五"},
            "",
            "no password on stdin (give it as the first line of stdin)",
            ""},
           {"--username is required",
            {"admin", "bootstrap", "--display-name", "王五"},
            "admin-password-1\n",
            "--username is required",
            ""},
           {"--display-name is required",
            {"admin", "bootstrap", "--username", "wangwu"},
            "admin-password-1\n",
            "--display-name is required",
            ""},
           {"bootstrap is the only admin command",
            {"admin", "disable", "--username", "wangwu", "--display-name",
             "王五"},
            "admin-password-1\n",
            "admin takes bootstrap",
            ""},
       }) {
    auto inv = ParseInvocation(r.args);
    ASSERT_TRUE(inv.ok()) << r.rule << ": " << inv.status();
    std::istringstream in(r.stdin_text);
    auto req = BootstrapRequestOf(inv->flags, in);
    if (r.error.empty()) {
      ASSERT_TRUE(req.ok()) << r.rule << ": " << req.status();
      EXPECT_EQ(req->password(), r.password) << r.rule;
      EXPECT_EQ(req->username(), "wangwu") << r.rule;
      EXPECT_EQ(req->display_name(), "王五") << r.rule;
    } else {
      EXPECT_EQ(req.status().code(), absl::StatusCode::kInvalidArgument)
          << r.rule;
      EXPECT_EQ(req.status().message(), r.error) << r.rule;
    }
  }
}

}  // namespace
}  // namespace caserelay::casectl
