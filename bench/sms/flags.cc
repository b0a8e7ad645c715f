#include "bench/sms/flags.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bench/common/util.h"

namespace caserelay::bench {
namespace {

constexpr absl::string_view kValueFlags[] = {"--messages", "--window",
                                             "--set"};

}  // namespace

absl::StatusOr<SmsFlags> ParseSmsFlags(const std::vector<std::string>& args) {
  SmsFlags flags;
  bool quick = false, messages_given = false;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      flags.help = true;
      return flags;
    }
    if (arg == "--quick") {
      quick = true;
      continue;
    }
    if (arg == "--store-sync") {
      flags.store_sync = true;
      continue;
    }
    if (arg == "--no-keep-alive") {
      flags.keep_alive = false;
      continue;
    }
    auto flag = TakeValueFlag(args, &i, kValueFlags);
    if (!flag.ok()) return flag.status();
    const auto& [name, value] = *flag;
    absl::Status s;
    if (name == "--messages") {
      s = ParseInt(name, value, 10, 100000, &flags.messages);
      messages_given = true;
    } else if (name == "--window") {
      s = ParseInt(name, value, 1, 256, &flags.window);
    } else if (name == "--set") {
      const size_t eq = value.find('=');
      if (eq == 0 || eq == std::string::npos) {
        s = absl::InvalidArgumentError(absl::StrCat(
            "--set: expected key=value, e.g. admin.max_queued=64, not \"",
            value, "\""));
      } else {
        flags.settings.emplace_back(value.substr(0, eq), value.substr(eq + 1));
      }
    } else {
      s = absl::InvalidArgumentError(
          absl::StrCat("unknown flag \"", name, "\" (see --help)"));
    }
    if (!s.ok()) return s;
  }
  if (quick && !messages_given) flags.messages = kQuickMessages;
  return flags;
}

std::string SmsUsage() {
  return R"(usage: bench_sms [flags]

Benchmark of notification's SMS sending through the real Kannel (bearerbox
+ smsbox, Debian's kannel) with its fake SMSC (kannel-extras' fakesmsc),
beside Kannel's own sendsms rate measured in this one run, on loopback:

  direct   the ceiling: --messages one-part UCS-2 messages like the receipt
           (received.txt with a case number and look-up code, ~60
           characters) sent straight to smsbox's sendsms, one GET at a
           time with admin::HttpGet (the client notification's Kannel
           gateway uses), dlr-mask 0. Rate = N / (first GET -> the fake
           SMSC has all N); also the answers' rate (first GET -> the N-th
           answer).
  direct+dlr  the same with dlr-mask 27 and a dlr-url to a local receiver
           that answers 200 at once: Kannel's cost of the delivery reports
           notification asks for (not the ceiling; for reading the gap).
  ours     devbroker, intake, routing and notification (kannel gateway,
           sms.rate_limit 0, no quiet hours, dlr-mask 27 as deployed,
           sms.window messages in flight: --window, reported).
           notification stopped (SIGTERM); --messages petitions filed;
           once routing has registered them all (one receipt SMS each),
           notification restarted. Rate = N / (restart returned -> the fake
           SMSC has all N); then the time until every message is DELIVERED
           (every delivery report applied), checked message by message.
  ratio    ours / direct (the ceiling), and ours / direct+dlr. Also the
           rates between the first and the last message at the fake SMSC,
           p50/p99 of the spacing between consecutive messages there,
           notification's counters every ~100 ms (a timeline), its log's
           "sms sent" lines, and N intake GetCaseStatus round trips (the
           weight of the sender's ResolveContact per message).

Prints a table and one machine-readable line starting with "RESULT".
Progress goes to stderr. Exit 0 on success, 1 if a run failed, 2 for bad
flags.

flags:
  --messages N   messages per phase, 10..100000 (default 2000)
  --quick        a CI-size run: --messages 200 (an explicit --messages wins)
  --store-sync   notification with store.sync = true (the deployed default:
                 an fsync per commit) instead of the test harness's false
  --window N     notification's sms.window, 1..256 (default: its own
                 default); 1 sends one part at a time, as before issue 20
  --no-keep-alive  notification's kannel.keep_alive = false: a connection
                 per sendsms (smsbox listens with a backlog of 10)
  --set K=V      notification's setting K = V (repeatable) over the
                 harness's, e.g. --set admin.max_queued=64 --set
                 admin.workers=2 (the admin server before issue 20 item 2)
  --help         this text
)";
}

}  // namespace caserelay::bench
