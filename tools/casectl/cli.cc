#include "tools/casectl/cli.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/names/names.h"
#include "tools/casectl/actions.h"
#include "tools/casectl/supervise_command.h"

namespace caserelay::casectl {

using names::CaseStateNames;
using names::ChannelNames;
using names::Choices;
using names::MatterClassNames;
using names::OfficeLevelNames;
using names::StatutoryRouteNames;

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
              "case"),
        Value("reception", "ID",
              "领导接访: the reception (casectl reception list) the visit "
              "is registered at, on its day (--channel visit)"),
        Repeated("co-representative", "NAME|PHONE|ADDRESS[|ID]",
                 "群体访/联名: a further representative (at most 4, Art. "
                 "18), each told by SMS (repeatable)"),
        Value("head-count", "N",
              "群体访/联名: how many persons came or signed (人次; "
              "default: the representatives)")},
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
      {"reception",
       CommandKind::kReception,
       "publish|list|cancel [ID]",
       "The leaders' reception days (领导接访安排; intake).\n"
       "publish: a reception of the office (yours unless --office), for\n"
       "today or a later day; only the office itself (its 登记员, 负责人 or\n"
       "领导 in the console). list: the published schedule from --from\n"
       "(default today) on, by day, cancelled ones marked 已取消; anyone.\n"
       "cancel ID: before its day. A visit is registered at a reception\n"
       "with submit --reception ID --channel visit, on its day.",
       {Value("office", "CODE", "publish: the office (default: yours); "
                                "list: one office only"),
        Value("leader", "NAME", "publish: the leader who receives"),
        Value("title", "TITLE", "publish: their title, e.g. 县长"),
        Value("kind", "KIND", "publish: " + Choices(names::ReceptionKindNames())),
        Value("day", "YYYY-MM-DD", "publish: the day (China date)"),
        Value("place", "PLACE", "publish: where"),
        Value("topic", "T", "publish: the topic, e.g. 征地拆迁 (optional)"),
        Value("request-id", "R",
              "publish: idempotency key: a retry returns the same reception"),
        Value("region", "CODE", "list: the offices within this region"),
        Value("from", "YYYY-MM-DD", "list: from this day (default today)"),
        Value("to", "YYYY-MM-DD", "list: up to this day")},
       1,
       2,
       "  casectl reception publish --office 140431:gov --leader 王某某 "
       "--title 县长 --kind scheduled --day 2026-03-04 --place "
       "县信访局接待大厅 --topic 征地拆迁\n"
       "  casectl reception list --region 140431\n"
       "  casectl reception cancel JF20260301-0001\n"
       "  casectl submit --channel visit --reception JF20260301-0001 ..."});
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
      {"charged",
       CommandKind::kCharged,
       "",
       "领导包案: the cases the leaders of a people's government took in\n"
       "charge, newest first, with state and next due (the deadline's last\n"
       "day, China date); then each leader's count this quarter against\n"
       "the quota (routing's leadership.charge_quota_per_quarter).",
       {Value("office", "CODE",
              "a government in your subtree (default: your own office)"),
        Value("leader", "NAME", "only this leader's cases"),
        Value("page-size", "N", "cases per page, 1..500 (default 50)"),
        Value("page-token", "T", "continue from the page this token names")},
       0,
       0,
       "  casectl charged\n"
       "  casectl charged --office 140431:gov --leader 王某某"});
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
                        std::move(flags), 1, 1, action.examples});
  }
  commands.push_back(
      {"deadlines",
       CommandKind::kDeadlines,
       "CASE",
       "A case's deadlines and the 督办 issued on it (supervision).\n"
       "Every deadline supervision has seen on the case (ListDeadlines),\n"
       "running or ended, and its 督办. Deadline columns: kind, office,\n"
       "started, due (its last day, China date), state (\"warned\": a yellow\n"
       "light was sent), ended, and for a supervision-reply deadline the\n"
       "督办 it answers.",
       {},
       1,
       1,
       "  casectl deadlines 140431-20260501-000001\n"
       "  casectl --json deadlines 140431-20260501-000001"});
  commands.push_back(
      {"supervise",
       CommandKind::kSupervise,
       "CASE",
       "督办 by hand (issue 18 item 4): your bureau (信访部门, county level or\n"
       "above) supervises an office of its subtree acting on the case (the\n"
       "holder by default), on a ground of 2005 Art. 36. Supervision numbers\n"
       "it with the automatic ones (CASE/supervision/N); routing records it\n"
       "and gives the office 30 days to reply (reply-supervision). An\n"
       "accused unit is never supervised on the case, nor supervises it.",
       SuperviseFlags(),
       1,
       1,
       "  casectl supervise 140431-20260501-000001 --ground shirking\n"
       "  casectl supervise C1 --ground other --reason '群众反映久拖不决' "
       "--target 140431:hrss --level listed"});
  commands.push_back(
      {"lights",
       CommandKind::kLights,
       "",
       "The red-light board (灭红灯): overdue items, oldest first.\n"
       "Every deadline missed and still running of the offices in a region\n"
       "subtree, oldest due first (ListRedLights). Columns: due (the\n"
       "deadline's last day, China date), days overdue, kind, office, case,\n"
       "and the highest 督办 issued to the office on the case: letter\n"
       "(督办函), listed (挂牌督办) or none.",
       {Value("region", "CODE",
              "only offices in this region's subtree (GB/T 2260, 6 or 9 "
              "digits; default: all)"),
        Value("office", "CODE", "only this office's items"),
        Value("limit", "N", "items per page, 1..10000 (default 100)"),
        Value("page-token", "T", "continue from the page this token names"),
        Bool("all", "follow the pages to the end")},
       0,
       0,
       "  casectl lights --region 140431\n"
       "  casectl lights --office 140431:labour --all\n"
       "  casectl --json lights --region 140400 --limit 500"});
  commands.push_back(
      {"group-alerts",
       CommandKind::kGroupAlerts,
       "",
       "The group-petition alerts (群体访预警), newest first.\n"
       "Each group petition of at least group.alert_head_count persons\n"
       "alerts its registering bureau (ListGroupAlerts): received, case,\n"
       "bureau, persons (人次), category, region, class. Figures only:\n"
       "who came stays in intake.",
       {Value("region", "CODE",
              "only bureaus in this region's subtree (default: your own)"),
        Value("office", "CODE", "only this bureau's alerts"),
        Value("limit", "N", "alerts per page, 1..10000 (default 100)"),
        Value("page-token", "T", "continue from the page this token names"),
        Bool("all", "follow the pages to the end")},
       0,
       0,
       "  casectl group-alerts\n"
       "  casectl group-alerts --region 140400 --all"});
  commands.push_back(
      {"stats",
       CommandKind::kStats,
       "[volume]",
       "The indicators offices are judged by, over a period.\n"
       "stats volume: the volume figures instead (statistics: 信访总量,\n"
       "人次, 网上信访, 初次/重复, 越级, 受理, 化解, 红灯, 督办 and the\n"
       "categories), each with the previous period (环比) and the same\n"
       "days a year before (同比); --by also takes region (the scope's\n"
       "child regions).\n"
       "statistics' GetIndicators (from its index): 及时受理率 for the\n"
       "bureau and for the handling unit, 按期办结率, 参评率, 群众满意率,\n"
       "重复信访率, 越级访率 and\n"
       "一次性化解率 as a percentage with numerator/denominator (— when\n"
       "nothing counted), and 积案 (backlog).\n"
       "Scope: one --office, or the offices of a --region subtree (default:\n"
       "the whole deployment), optionally of one --level.\n"
       "Period: China days, from the first instant of --from to the end of\n"
       "--to's day (24:00). Default: from the first day of the current month\n"
       "to now (statistics' clock); --to alone: from the first day of\n"
       "--to's month; --from alone: to now. \"Current month\": by the\n"
       "simulated clock of $CASERELAY_CLOCK_FILE if set, else this machine's\n"
       "clock (China time).",
       {Value("office", "CODE", "exactly this office"),
        Value("region", "CODE",
              "the offices of this region's subtree (GB/T 2260, 6 or 9 "
              "digits)"),
        Value("level", "LEVEL",
              "only offices of this level: " + Choices(OfficeLevelNames())),
        Value("from", "YYYY-MM-DD", "the period's first day (China date)"),
        Value("to", "YYYY-MM-DD", "the period's last day (China date)"),
        Value("by", "KEY",
              "one row per office or per level: office or level (volume: "
              "also region)")},
       0,
       1,
       "  casectl stats --region 140431\n"
       "  casectl stats --office 140431:labour --from 2026-01-01 --to "
       "2026-03-31\n"
       "  casectl stats --region 140000 --level county --by office --from "
       "2026-05-01\n"
       "  casectl --json stats --by level --from 2026-01-01\n"
       "  casectl stats volume --region 140000 --from 2026-06-01 --to "
       "2026-06-30 --by region"});
  commands.push_back(
      {"bulletin",
       CommandKind::kBulletin,
       "daily|weekly|monthly|list|get [ID]",
       "The bulletins (通报: 每日信访, 周通报, 月分析; statistics).\n"
       "daily|weekly|monthly: issues the bureau's bulletin of the period\n"
       "that covers --date (each working day's daily covers the days since\n"
       "the previous working day; a week runs Monday to Sunday; a month is\n"
       "the calendar month), or finds the one issued before, which never\n"
       "changes, and writes its document to --out or stdout. A period not\n"
       "over yet is refused. list: the bureau's bulletins, the last issued\n"
       "first. get ID: one bulletin's document, byte for byte.",
       {Value("office", "BUREAU", "the petition bureau, e.g. 140000:bureau"),
        Value("date", "YYYY-MM-DD", "a day of the period (China time)"),
        Value("format", "F", "html (default), pdf or csv (the tables)"),
        Value("out", "FILE", "write the document here instead of stdout"),
        Value("kind", "K", "list: daily, weekly or monthly only"),
        Value("year", "Y", "list: the 期号's year only"),
        Value("limit", "N", "list: at most N (default 50, at most 500)"),
        Value("page-token", "T", "list: the next page's token")},
       1,
       2,
       "  casectl bulletin weekly --office 140000:bureau --date 2026-03-11 "
       "--format pdf --out weekly.pdf\n"
       "  casectl bulletin daily --office 140100:bureau --date 2026-10-03 "
       "--format csv\n"
       "  casectl bulletin list --office 140000:bureau --kind weekly --year "
       "2026\n"
       "  casectl bulletin get 140000:bureau/weekly/2026-03-09 --format pdf "
       "--out w.pdf"});
  commands.push_back(
      {"sms",
       CommandKind::kSms,
       "CASE",
       "A case's SMS to the petitioner and how each fared (notification).\n"
       "Every message of the case (ListMessages): trigger, state (queued,\n"
       "sending, sent, delivered, failed, no phone, or UNKNOWN — reconcile),\n"
       "the masked phone number, each part's state (pending, sending,\n"
       "accepted, accepted by SMSC, delivered, failed, UNKNOWN), attempts,\n"
       "the last error, when it last changed (China time) and the text.\n"
       "UNKNOWN: a crash came between \"sending\" and the gateway's answer,\n"
       "so whether the SMS went out is unknown; notification never sends it\n"
       "again on its own. Such a message is flagged with \"!!\" and the\n"
       "sms-resolve command lines that settle it.",
       {},
       1,
       1,
       "  casectl sms 140431-20260501-000001\n"
       "  casectl --json sms 140431-20260501-000001"});
  commands.push_back(
      {"sms-resolve",
       CommandKind::kSmsResolve,
       "MESSAGE_ID",
       "Settles an SMS whose fate is UNKNOWN: an operator's decision.\n"
       "Check the SMSC's records or ask the petitioner first, then give\n"
       "exactly one of --sent, --resend and --abandon, and --note saying who\n"
       "decided and why (kept with the message). MESSAGE_ID as casectl sms\n"
       "prints it. Notification refuses a message that is not UNKNOWN\n"
       "(FAILED_PRECONDITION). Prints the message as it now stands.",
       {Bool("sent",
             "it went out: its unknown parts count as accepted, parts never "
             "tried are sent"),
        Bool("resend", "it did not go out: its unknown parts are sent again"),
        Bool("abandon", "give up: the message is failed (SmsFailed)"),
        Value("note", "TEXT", "who decided and why (required)")},
       1,
       1,
       "  casectl sms-resolve 140431-20260501-000001/4/sms --sent \\\n"
       "      --note \"王五: the SMSC's log shows it delivered at 10:02\"\n"
       "  casectl sms-resolve 140431-20260501-000001/4/sms --resend \\\n"
       "      --note \"王五: not in the SMSC's log; the petitioner got "
       "nothing\""});
  commands.push_back(
      {"dead-letters",
       CommandKind::kDeadLetters,
       "list | replay KEY | replay --all",
       "The inputs a service could not apply (死信), through its admin\n"
       "server (--admin: admin= of its endpoints file; loopback by default).\n"
       "list: one line per letter: its key (topic/partition/offset), the\n"
       "reason, its size; never the record. replay KEY (or --all): apply it\n"
       "again once the cause is fixed; it leaves the list when it applies\n"
       "(or waits, held, for an earlier event of its case); refused again,\n"
       "it stays with the new reason.",
       {Value("admin", "HOST:PORT", "the service's admin server (required)"),
        Bool("all", "replay: every dead letter of the service's inputs")},
       1,
       2,
       "  casectl dead-letters list --admin 127.0.0.1:40111\n"
       "  casectl dead-letters replay case-events/3/1207 --admin "
       "127.0.0.1:40111\n"
       "  casectl dead-letters replay --all --admin 127.0.0.1:40111"});
  commands.push_back(
      {"token",
       CommandKind::kToken,
       "add PRINCIPAL",
       "Makes a bearer token for an office (140431:labour) or a service's\n"
       "identity (service:notification, service:web) in local runs.\n"
       "Appends \"PRINCIPAL <sha-256 hex> [HOLDER]\" to the tokens file\n"
       "(created 0600) and writes the token to --out (created 0600; never\n"
       "printed). The holder is recorded as the operator of its actions.",
       {Value("tokens", "FILE", "the services' tokens file (required)"),
        Value("out", "TOKEN_FILE",
              "where the new token goes; must not exist (required)"),
        Value("holder", "NAME",
              "the person who holds the token (e.g. 王五); the history names "
              "them as who acted")},
       2,
       2,
       "  casectl token add 140431:labour --tokens run/tokens --out "
       "run/tokens.d/140431-labour --holder 王五\n"
       "  casectl token add service:notification --tokens run/tokens --out "
       "run/tokens.d/service-notification"});
  commands.push_back(
      {"clock",
       CommandKind::kClock,
       "show | set TIME | advance DURATION",
       "Shows or moves the services' simulated clock (a clock file).\n"
       "The services run on it when their clock.file is set (tests, replays:\n"
       "a year of deadlines in seconds). TIME: RFC 3339 "
       "(2026-05-01T08:00:00+08:00) or YYYY-MM-DD\n"
       "(00:00 China time); set creates the file if it is missing. DURATION:\n"
       "a positive sum of days (d, 24 h), h, m and s: 36h, 15d, 1d12h.\n"
       "Prints the clock's time after the change.",
       {Value("clock-file", "PATH", "the clock file (required)")},
       1,
       2,
       "  casectl clock set 2026-01-01 --clock-file run/clock\n"
       "  casectl clock advance 15d --clock-file run/clock\n"
       "  casectl clock set 2026-05-01T09:30:00+08:00 --clock-file run/clock\n"
       "  casectl clock show --clock-file run/clock"});
  commands.push_back(
      {"calendar",
       CommandKind::kCalendar,
       "YEAR | --due START DAYS",
       "Shows the holiday calendar that routing counts deadlines on.\n"
       "YEAR: every rest day and make-up working day of the year with its\n"
       "source: notice (data/holidays/YYYY.tsv, the State Council's notice)\n"
       "or derived (no notice loaded: the statutory days of the 放假办法).\n"
       "--due START DAYS: the last day and due time of a period of DAYS days\n"
       "(日; --working: 工作日) after START (YYYY-MM-DD, or an RFC 3339 "
       "time),\n"
       "counted as routing counts it (民法典 Arts. 201, 203).\n"
       "Reads the tables itself: --calendar-dir, else "
       "$CASERELAY_CALENDAR_DIR,\n"
       "else data/holidays.",
       {Bool("due", "compute a due date from START and DAYS"),
        Bool("working", "with --due: DAYS are working days (工作日)"),
        Value("calendar-dir", "DIR", "the holiday tables (data/holidays)"),
        Value("uncovered-years", "MODE",
              "a year without a table: law (default), weekends, refuse")},
       1,
       2,
       "  casectl calendar 2027\n"
       "  casectl calendar --due 2027-01-21 15\n"
       "  casectl calendar --due 2027-02-04 5 --working"});
  commands.push_back(
      {"admin",
       CommandKind::kAdmin,
       "bootstrap",
       "Makes your office's first administrator (管理员) of the console\n"
       "(accounts' BootstrapAdmin, with your office's own token or\n"
       "certificate). The password is the first line of stdin, never an\n"
       "argument; it must have at least 10 characters and differ from the\n"
       "username. Refused (FAILED_PRECONDITION) once the office has an\n"
       "enabled administrator: from then on users are managed in the\n"
       "console (用户管理).",
       {Value("username", "NAME",
              "login name: 3-32 of a-z 0-9 . _ -, starting with a letter"),
        Value("display-name", "NAME", "the person's name, e.g. 王五")},
       1,
       1,
       "  casectl admin bootstrap --username wangwu --display-name 王五 "
       "< password-file\n"
       "  read -rs PW && printf '%s\\n' \"$PW\" | casectl admin bootstrap "
       "--username wangwu --display-name 王五"});
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
      Value("supervision", "HOST:PORT", "supervision's address"),
      Value("notification", "HOST:PORT", "notification's address"),
      Value("statistics", "HOST:PORT", "statistics' address"),
      Value("accounts", "HOST:PORT", "accounts' address (admin bootstrap)"),
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
  g.supervision = inv.flags.Value("supervision");
  g.notification = inv.flags.Value("notification");
  g.statistics = inv.flags.Value("statistics");
  g.accounts = inv.flags.Value("accounts");
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
      if (synopsis.size() < 44) {
        out.append(44 - synopsis.size(), ' ');
      } else {
        out.append("\n").append(46, ' ');
      }
      absl::StrAppend(&out, c.summary.substr(0, c.summary.find('\n')), "\n");
    }
  };
  section(CommandKind::kSubmit, CommandKind::kReception);
  out += "\nOffices (routing):\n";
  section(CommandKind::kRoute, CommandKind::kAct);
  out += "\nSupervision (督查督办):\n";
  section(CommandKind::kDeadlines, CommandKind::kStats);
  out += "\nNotification (短信告知):\n";
  section(CommandKind::kSms, CommandKind::kSmsResolve);
  out += "\nStatistics (统计与通报):\n";
  section(CommandKind::kBulletin, CommandKind::kBulletin);
  out += "\nOperators:\n";
  section(CommandKind::kToken, CommandKind::kCalendar);
  out += "\nConsole accounts (信访工作台账号):\n";
  section(CommandKind::kAdmin, CommandKind::kAdmin);
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
      "$CASERELAY_ROUTING, else run/routing.endpoints; --supervision, else\n"
      "$CASERELAY_SUPERVISION, else run/supervision.endpoints;\n"
      "--notification, else $CASERELAY_NOTIFICATION, else\n"
      "run/notification.endpoints; --statistics, else\n"
      "$CASERELAY_STATISTICS, else run/statistics.endpoints; --accounts,\n"
      "else $CASERELAY_ACCOUNTS, else run/accounts.endpoints.\n"
      "Credentials, for every service (every call is authenticated):\n"
      "--token-file, else $CASERELAY_TOKEN_FILE (a bearer token, local\n"
      "runs), or --tls-ca with --tls-cert and --tls-key (mTLS: the office\n"
      "code is in the certificate). The history names who acted from\n"
      "them (a token's holder), never from a flag.\n"
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
  if (!command.examples.empty()) {
    absl::StrAppend(&out, "\nExamples:\n", command.examples, "\n");
  }
  absl::StrAppend(&out,
                  "\nGlobal flags (--routing, --supervision, --notification, "
                  "--intake, --token-file, --tls-*, --json):\nsee casectl "
                  "--help.\n");
  return out;
}

}  // namespace caserelay::casectl
