#include "tools/casectl/cli.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/casectl/actions.h"
#include "tools/casectl/names.h"

namespace caserelay::casectl {

namespace {

FlagSpec Value(std::string name, std::string value_name, std::string help) {
  return {std::move(name), FlagKind::kValue, false, std::move(value_name),
          std::move(help)};
}
FlagSpec Repeated(std::string name, std::string value_name, std::string help) {
  return {std::move(name), FlagKind::kValue, true, std::move(value_name),
          std::move(help)};
}
FlagSpec Bool(std::string name, std::string help) {
  return {std::move(name), FlagKind::kBool, false, "", std::move(help)};
}

std::vector<CommandSpec> BuildCommands() {
  std::vector<CommandSpec> commands;
  commands.push_back(
      {"submit",
       CommandKind::kSubmit,
       "",
       "Files a petition with intake.\n"
       "Prints the case number and the look-up code (shown once). Intake\n"
       "validates the fields and names a bad one.",
       {Value("name", "N", "the petitioner's name (姓名/名称)"),
        Value("address", "A", "the petitioner's address"),
        Value("phone", "P", "mainland mobile number, for SMS"),
        Value("id-number", "ID", "citizen ID number (GB 11643)"),
        Value("region", "CODE", "GB/T 2260 code of where the matter is"),
        Value("category", "C", "kind of matter, e.g. labour (empty: 无头事项)"),
        Value("class", "CLASS", Choices(MatterClassNames())),
        Value("channel", "CHANNEL", Choices(ChannelNames())),
        Value("title", "T", "a short title"),
        Value("text", "T", "the request, facts and reasons"),
        Value("accused", "U", "accusations: the accused, in words"),
        Repeated("accused-office", "CODE",
                 "accusations: an accused unit's office code (repeatable)"),
        Value("lodged-with", "CODE",
              "the office visited or written to (default: our bureau)"),
        Value("statutory-route", "ROUTE",
              "诉访分离: " + Choices(StatutoryRouteNames())),
        Repeated("other-region", "CODE",
                 "三跨: a further region the matter spans (repeatable)"),
        Repeated("other-category", "C",
                 "三跨: a further category it spans (repeatable)"),
        Value("request-id", "R",
              "idempotency key: a retry returns the same "
              "case")},
       0,
       0});
  commands.push_back(
      {"status",
       CommandKind::kStatus,
       "CASE_NUMBER LOOKUP_CODE",
       "Shows where the case stands, as the petitioner sees it (intake).",
       {},
       2,
       2});
  commands.push_back(
      {"route",
       CommandKind::kRoute,
       "FILE",
       "Previews routing's decision for a petition; stores nothing.\n"
       "FILE (\"-\": stdin) holds a Matter or a PreviewRouteRequest in\n"
       "protobuf JSON, e.g.\n"
       "  {\"regionCode\": \"140431100\", \"category\": \"labour\",\n"
       "   \"matterClass\": \"MATTER_CLASS_CLAIM\"}",
       {},
       1,
       1});
  commands.push_back(
      {"inbox",
       CommandKind::kInbox,
       "",
       "Lists the cases an office holds, earliest deadline first.\n"
       "Columns: case, state, next due (the deadline's last day, China\n"
       "date), its kind, category, title.",
       {Value("office", "CODE",
              "another office in your subtree (default: your own)"),
        Repeated("state", "S",
                 "only cases in this state (repeatable): " +
                     Choices(CaseStateNames())),
        Value("due-before", "YYYY-MM-DD",
              "only cases whose next deadline's last day is before this "
              "China date"),
        Value("page-size", "N", "cases per page, 1..500 (default 50)"),
        Value("page-token", "T", "continue from the page this token names"),
        Bool("all", "follow the pages to the end")},
       0,
       0});
  commands.push_back(
      {"show",
       CommandKind::kShow,
       "CASE",
       "Shows a case and every event of its history, decoded (GetCase).",
       {},
       1,
       1});
  commands.push_back(
      {"verify",
       CommandKind::kVerify,
       "CASE",
       "Checks the hash chain of a case's history.\n"
       "Prints \"intact: N events, head <hex>\" (exit 0) or \"broken: event\n"
       "K: <reason>\" (exit 3). The view carries no head hash, so the chain\n"
       "of the events is checked, and their count against the version.",
       {},
       1,
       1});
  for (const ActionSpec& action : Actions()) {
    std::vector<FlagSpec> flags = CommonActionFlags();
    flags.insert(flags.end(), action.flags.begin(), action.flags.end());
    commands.push_back({action.name, CommandKind::kAct, "CASE",
                        action.summary +
                            "\nPrints the case's new state, holder and "
                            "version.",
                        std::move(flags), 1, 1});
  }
  commands.push_back(
      {"token",
       CommandKind::kToken,
       "add OFFICE",
       "Makes a bearer token for an office (local runs).\n"
       "Appends \"OFFICE <sha-256 hex>\" to the tokens file (created\n"
       "0600) and writes the token to --out (created 0600; never printed).",
       {Value("tokens", "FILE", "the services' tokens file (required)"),
        Value("out", "TOKEN_FILE",
              "where the new token goes; must not exist (required)")},
       2,
       2});
  return commands;
}

bool IsHelp(const std::string& arg) { return arg == "--help" || arg == "-h"; }

// Whether `arg` is a global flag that takes the next word as its value.
bool IsGlobalValueFlag(const std::string& arg) {
  for (const FlagSpec& flag : GlobalFlags()) {
    if (flag.kind == FlagKind::kValue && arg == "--" + flag.name) return true;
  }
  return false;
}

std::string FlagUsage(const FlagSpec& flag) {
  std::string out = "--" + flag.name;
  if (flag.kind == FlagKind::kValue)
    absl::StrAppend(&out, " ", flag.value_name);
  return out;
}

std::string Synopsis(const CommandSpec& command) {
  std::string out = "casectl " + command.name;
  if (!command.args.empty()) absl::StrAppend(&out, " ", command.args);
  if (!command.flags.empty()) absl::StrAppend(&out, " [flags]");
  return out;
}

std::string FlagLines(const std::vector<FlagSpec>& flags) {
  std::string out;
  for (const FlagSpec& flag : flags) {
    std::string usage = FlagUsage(flag);
    if (flag.repeatable) absl::StrAppend(&usage, " ...");
    absl::StrAppend(&out, "  ", usage);
    out.append(usage.size() < 28 ? 28 - usage.size() : 1, ' ');
    absl::StrAppend(&out, flag.help, "\n");
  }
  return out;
}

}  // namespace

const std::vector<CommandSpec>& Commands() {
  static const auto* const kCommands =
      new std::vector<CommandSpec>(BuildCommands());
  return *kCommands;
}

const CommandSpec* FindCommand(absl::string_view name) {
  for (const CommandSpec& command : Commands()) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

const std::vector<FlagSpec>& GlobalFlags() {
  static const auto* const kFlags = new std::vector<FlagSpec>{
      Value("intake", "HOST:PORT", "intake's address"),
      Value("routing", "HOST:PORT", "routing's address"),
      Value("token-file", "F", "file holding your office's bearer token"),
      Value("tls-ca", "F", "CA certificates of the services (TLS)"),
      Value("tls-cert", "F", "your office's client certificate (mTLS)"),
      Value("tls-key", "F", "its private key"),
      Value("tls-server-name", "NAME",
            "the name the service's certificate carries, if not the host"),
      Bool("json", "print protobuf JSON instead of text"),
      Bool("help", "help on casectl or on one command"),
  };
  return *kFlags;
}

absl::StatusOr<Invocation> ParseInvocation(
    const std::vector<std::string>& args) {
  Invocation inv;
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (IsHelp(arg)) inv.help = true;
  }
  // The command word: the first word that is neither a flag nor the value
  // of a global flag before it.
  size_t at = args.size();
  for (size_t i = 0; i < args.size(); ++i) {
    if (IsGlobalValueFlag(args[i])) {
      ++i;
    } else if (!absl::StartsWith(args[i], "-")) {
      at = i;
      break;
    } else if (!IsHelp(args[i]) && !absl::StartsWith(args[i], "--")) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag ", args[i]));
    }
  }
  if (at == args.size()) {
    if (inv.help) return inv;
    return absl::InvalidArgumentError("no command");
  }
  inv.command = FindCommand(args[at]);
  if (inv.command == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown command '", args[at], "'"));
  }
  if (inv.help) return inv;

  std::vector<std::string> rest(args.begin(), args.begin() + at);
  rest.insert(rest.end(), args.begin() + at + 1, args.end());
  std::vector<FlagSpec> spec = inv.command->flags;
  spec.insert(spec.end(), GlobalFlags().begin(), GlobalFlags().end());
  absl::StatusOr<ParsedFlags> flags = ParseFlags(rest, spec);
  if (!flags.ok()) return flags.status();
  inv.flags = *std::move(flags);

  GlobalOptions& g = inv.global;
  g.intake = inv.flags.Value("intake");
  g.routing = inv.flags.Value("routing");
  g.token_file = inv.flags.Value("token-file");
  g.tls_ca = inv.flags.Value("tls-ca");
  g.tls_cert = inv.flags.Value("tls-cert");
  g.tls_key = inv.flags.Value("tls-key");
  g.tls_server_name = inv.flags.Value("tls-server-name");
  g.json = inv.flags.Has("json");

  const size_t n = inv.flags.positional().size();
  if (n < inv.command->min_args || n > inv.command->max_args) {
    if (inv.command->max_args == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(inv.command->name, " takes no arguments; got '",
                       inv.flags.positional()[0], "'"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(inv.command->name, " takes ", inv.command->args));
  }
  return inv;
}

std::string MainHelp() {
  std::string out =
      "casectl — the command line of caserelay\n"
      "\n"
      "Usage: casectl [global flags] COMMAND [arguments] [flags]\n"
      "\n"
      "Petitions (intake):\n";
  auto section = [&](CommandKind from, CommandKind to) {
    for (const CommandSpec& c : Commands()) {
      if (c.kind < from || c.kind > to) continue;
      std::string synopsis = Synopsis(c);
      absl::StrAppend(&out, "  ", synopsis);
      out.append(synopsis.size() < 44 ? 44 - synopsis.size() : 1, ' ');
      absl::StrAppend(&out, c.summary.substr(0, c.summary.find('\n')), "\n");
    }
  };
  section(CommandKind::kSubmit, CommandKind::kStatus);
  out += "\nOffices (routing):\n";
  section(CommandKind::kRoute, CommandKind::kAct);
  out += "\nOperators:\n";
  section(CommandKind::kToken, CommandKind::kToken);
  absl::StrAppend(
      &out,
      "\n"
      "Actions act on the case version given by --version, else on the\n"
      "current one (read first). `casectl COMMAND --help` lists its flags.\n"
      "\n"
      "Global flags (before or after the command):\n",
      FlagLines(GlobalFlags()),
      "\n"
      "Addresses: --intake, else $CASERELAY_INTAKE, else the grpc= line of\n"
      "run/intake.endpoints (written by scripts/run); --routing, else\n"
      "$CASERELAY_ROUTING, else run/routing.endpoints.\n"
      "Credentials for routing: --token-file, else $CASERELAY_TOKEN_FILE\n"
      "(a bearer token, local runs), or --tls-ca with --tls-cert and\n"
      "--tls-key (mTLS: the office code is in the certificate). Intake\n"
      "takes no credentials; --tls-ca applies to it too.\n"
      "\n"
      "Exit codes: 0 done, 1 the service refused or failed (its gRPC code\n"
      "and message are printed), 2 bad usage, 3 verify found a broken "
      "chain.\n");
  return out;
}

std::string CommandHelp(const CommandSpec& command) {
  std::string out =
      absl::StrCat("Usage: ", Synopsis(command), "\n\n", command.summary, "\n");
  if (!command.flags.empty()) {
    absl::StrAppend(&out, "\nFlags:\n", FlagLines(command.flags));
  }
  absl::StrAppend(&out,
                  "\nGlobal flags (--routing, --intake, --token-file, --tls-*,"
                  " --json):\nsee casectl --help.\n");
  return out;
}

}  // namespace caserelay::casectl
