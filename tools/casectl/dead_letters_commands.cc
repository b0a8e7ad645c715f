#include "tools/casectl/dead_letters_commands.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/admin/http_client.h"

namespace caserelay::casectl {

absl::StatusOr<DeadLettersCommand> DeadLettersCommandOf(
    const ParsedFlags& flags) {
  DeadLettersCommand cmd;
  const std::vector<std::string>& words = flags.positional();
  const std::string verb = words.empty() ? "" : words[0];
  if (verb != "list" && verb != "replay") {
    return absl::InvalidArgumentError(
        "dead-letters: say list or replay");
  }
  cmd.replay = verb == "replay";
  cmd.admin = flags.Value("admin");
  if (cmd.admin.empty()) {
    return absl::InvalidArgumentError(
        "--admin HOST:PORT is required (the service's admin server, "
        "admin= in its endpoints file)");
  }
  const bool all = flags.Has("all");
  if (!cmd.replay) {
    if (words.size() > 1 || all) {
      return absl::InvalidArgumentError("dead-letters list takes no KEY or --all");
    }
    return cmd;
  }
  if ((words.size() > 1) == all) {
    return absl::InvalidArgumentError(
        "dead-letters replay: give a KEY (as list prints it) or --all");
  }
  if (words.size() > 1) cmd.key = words[1];
  return cmd;
}

absl::Status RunDeadLetters(const DeadLettersCommand& command,
                            std::ostream& out) {
  std::string url = absl::StrCat("http://", command.admin, "/dead-letters");
  if (command.replay) {
    absl::StrAppend(&url, "/replay?",
                    command.key.empty()
                        ? std::string("all=1")
                        : absl::StrCat("key=", admin::UrlEncode(command.key)));
  }
  auto reply = admin::HttpGet(url, absl::Seconds(10));
  if (!reply.ok()) return reply.status();
  if (reply->status == 200 || reply->status == 202) {
    out << reply->body;
    return absl::OkStatus();
  }
  const std::string what =
      absl::StrCat(url, ": HTTP ", reply->status, ": ", reply->body);
  if (reply->status == 404) return absl::NotFoundError(what);
  return absl::UnavailableError(what);
}

}  // namespace caserelay::casectl
