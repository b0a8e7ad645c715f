// The command line every caserelay process takes (DESIGN.md: one config
// file per process): `--config <path>` or `--config=<path>`, and `--help`
// (or `-h`). Shared by the services (common/service/service_main.cc) and
// the web gateway (services/web/main.cc), so they read it alike.
//
// Thread safety: a pure function.

#ifndef CASERELAY_COMMON_CONFIG_COMMAND_LINE_H_
#define CASERELAY_COMMON_CONFIG_COMMAND_LINE_H_

#include <string>

#include "absl/status/statusor.h"

namespace caserelay::config {

struct CommandLine {
  // --help or -h was given: print the help and exit 0; nothing after it
  // is read.
  bool help = false;
  // The --config path; empty when none was given (the caller decides
  // whether that is allowed). A later --config replaces an earlier one.
  std::string config_path;
};

// Reads argv[1..argc). INVALID_ARGUMENT "unknown argument <arg> (try
// --help)" for anything else, including "--config" without a value; the
// caller prints it after its name and exits 2.
absl::StatusOr<CommandLine> ParseCommandLine(int argc, const char* const* argv);

}  // namespace caserelay::config

#endif  // CASERELAY_COMMON_CONFIG_COMMAND_LINE_H_
