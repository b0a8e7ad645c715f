#include "common/config/command_line.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace caserelay::config {

absl::StatusOr<CommandLine> ParseCommandLine(int argc,
                                             const char* const* argv) {
  constexpr absl::string_view kConfigEq = "--config=";
  CommandLine line;
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      line.help = true;
      return line;
    } else if (arg == "--config" && i + 1 < argc) {
      line.config_path = argv[++i];
    } else if (absl::StartsWith(arg, kConfigEq)) {
      line.config_path = std::string(arg.substr(kConfigEq.size()));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown argument ", arg, " (try --help)"));
    }
  }
  return line;
}

}  // namespace caserelay::config
