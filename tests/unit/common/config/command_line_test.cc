// The processes' shared command line (common/config/command_line.h): the
// rules service_main.cc and web's main.cc each applied before it existed.

#include "common/config/command_line.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace caserelay::config {
namespace {

TEST(CommandLineTest, ReadsConfigAndHelpAsEveryProcessDid) {
  struct Row {
    const char* why;
    std::vector<const char*> args;  // after argv[0]
    bool ok;
    bool help;
    const char* config_path;
    const char* error;  // the status message when !ok
  };
  const Row rows[] = {
      {"no argument: no config named (the caller decides)",
       {},
       true,
       false,
       "",
       ""},
      {"--config <path>",
       {"--config", "/etc/x.conf"},
       true,
       false,
       "/etc/x.conf",
       ""},
      {"--config=<path>",
       {"--config=/etc/x.conf"},
       true,
       false,
       "/etc/x.conf",
       ""},
      {"a later --config replaces an earlier one",
       {"--config=a.conf", "--config", "b.conf"},
       true,
       false,
       "b.conf",
       ""},
      {"--help: help, exit 0", {"--help"}, true, true, "", ""},
      {"-h is --help", {"-h"}, true, true, "", ""},
      {"nothing after --help is read, not even a bad argument",
       {"--help", "--bogus"},
       true,
       true,
       "",
       ""},
      {"a bad argument before --help is refused",
       {"--bogus", "--help"},
       false,
       false,
       "",
       "unknown argument --bogus (try --help)"},
      {"--config without its value is an unknown argument",
       {"--config"},
       false,
       false,
       "",
       "unknown argument --config (try --help)"},
      {"a stray word is refused",
       {"--config=a.conf", "run"},
       false,
       false,
       "",
       "unknown argument run (try --help)"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    std::vector<const char*> argv = {"svc"};
    argv.insert(argv.end(), row.args.begin(), row.args.end());
    absl::StatusOr<CommandLine> got =
        ParseCommandLine(static_cast<int>(argv.size()), argv.data());
    ASSERT_EQ(got.ok(), row.ok) << got.status();
    if (!row.ok) {
      EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(got.status().message(), row.error);
      continue;
    }
    EXPECT_EQ(got->help, row.help);
    EXPECT_EQ(got->config_path, row.config_path);
  }
}

}  // namespace
}  // namespace caserelay::config
