// bench_sms command-line flags: how many messages each phase sends.
#ifndef CASERELAY_BENCH_SMS_FLAGS_H_
#define CASERELAY_BENCH_SMS_FLAGS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace caserelay::bench {

// --quick's message count: a CI-size run.
inline constexpr int kQuickMessages = 200;

struct SmsFlags {
  bool help = false;  // --help: nothing else is then meaningful
  // One-part SMS per phase: sent straight to Kannel's sendsms (the
  // ceiling), and receipts of as many petitions sent by notification.
  int messages = 2000;
  // notification's store.sync: false is the test harness's setting, true
  // the deployed default (an fsync per commit).
  bool store_sync = false;
  // notification's sms.window (0: its default) and kannel.keep_alive:
  // the levers of issue 20 item 2, measured side by side.
  int window = 0;
  bool keep_alive = true;
  // --set key=value (repeatable): more notification settings over the
  // harness's, e.g. admin.max_queued=64 for the lever's "before".
  std::vector<std::pair<std::string, std::string>> settings;
};

// Parses the arguments after the program name ("--flag value" or
// "--flag=value"; --quick and --store-sync take none). --quick means
// --messages 200; an explicit --messages wins, in any order. Returns the
// flags, or INVALID_ARGUMENT naming the flag for an unknown flag, a
// missing or malformed value or one out of range (--messages 10..100000),
// a --set without "key=value".
absl::StatusOr<SmsFlags> ParseSmsFlags(const std::vector<std::string>& args);

// The --help text: what is measured and every flag with its default.
std::string SmsUsage();

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_SMS_FLAGS_H_
