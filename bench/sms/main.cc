// bench_sms: notification's SMS through the real Kannel with its fake SMSC,
// messages/s, beside Kannel's own sendsms rate measured in the same run
// (the ceiling). See README.md and `bench_sms --help`.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/common/util.h"
#include "bench/pipeline/stats.h"
#include "bench/sms/direct.h"
#include "bench/sms/flags.h"
#include "bench/sms/system_phase.h"
#include "tests/integration/sms_steps.h"

namespace caserelay::bench {
namespace {

void Progress(const std::string& line) {
  std::cerr << "bench_sms: " << line << std::endl;
}

int Fail(const std::string& stage, const absl::Status& status) {
  Progress(absl::StrCat(stage, ": ", status.ToString()));
  return kExitFailure;
}

// The end of each process's log, for a run that failed (the logs go with
// the temp dirs).
void PrintLogTails(const testing::SmsSystem& s) {
  std::vector<std::string> logs;
  if (s.sys != nullptr) {
    for (const char* name : {"devbroker", "intake", "routing", "notification"})
      logs.push_back(absl::StrCat(s.sys->dir(), "/", name, ".log"));
  }
  for (const char* name : {"bearerbox", "smsbox"})
    logs.push_back(absl::StrCat(s.kannel_dir->path(), "/", name, ".log"));
  for (const std::string& path : logs) {
    std::ifstream in(path);
    std::string all((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
    if (all.size() > 1500) all = all.substr(all.size() - 1500);
    std::cerr << "---- " << path << " (tail)\n" << all << std::endl;
  }
}

double Rate(int n, absl::Duration d) {
  return n / std::max(1e-9, absl::ToDoubleSeconds(d));
}
// Between the first and the last message: n - 1 intervals.
double SteadyRate(const Arrivals& a) {
  return Rate(a.messages - 1, a.last - a.first);
}
double S(absl::Duration d) { return absl::ToDoubleSeconds(d); }

struct Figures {
  int messages = 0;
  std::string load_start, load_end;
  DirectResult direct, direct_dlr;
  SystemResult ours;
};

void PrintReport(const SmsFlags& flags, const Figures& f) {
  const int n = f.messages;
  const Arrivals& d = f.direct.arrivals;
  const Arrivals& dd = f.direct_dlr.arrivals;
  const Arrivals& o = f.ours.arrivals;
  const double ours_rate = Rate(n, o.through());
  const double direct_rate = Rate(n, d.through());
  const double dlr_rate = Rate(n, dd.through());
  const LatencySummary os = Summarize(o.spacing);
  const LatencySummary ds = Summarize(d.spacing);
  const LatencySummary dds = Summarize(dd.spacing);

  absl::PrintF(
      "\n%d one-part UCS-2 messages per phase (%.0f characters direct, %.0f "
      "ours); notification store.sync=%s, sms.window=%d (at most %d parts "
      "seen in flight), kannel.keep_alive=%s; load %s at start, %s at end\n",
      n, d.mean_chars, o.mean_chars, flags.store_sync ? "true" : "false",
      f.ours.window, f.ours.max_in_flight, flags.keep_alive ? "true" : "false",
      f.load_start, f.load_end);
  for (const auto& [key, value] : flags.settings) {
    absl::PrintF("notification %s = %s (--set)\n", key, value);
  }
  absl::PrintF("%-38s %11s %11s %7s %12s %9s\n", "", "ours", "direct", "ratio",
               "direct+dlr", "ours/dlr");
  absl::PrintF("%-38s %9.0f/s %9.0f/s %7.3f %10.0f/s %9.3f\n",
               "msgs/s  start -> all at fake SMSC", ours_rate, direct_rate,
               ours_rate / direct_rate, dlr_rate, ours_rate / dlr_rate);
  absl::PrintF("%-38s %9.0f/s %9.0f/s %7.3f %10.0f/s %9.3f\n",
               "msgs/s  first -> last at fake SMSC", SteadyRate(o),
               SteadyRate(d), SteadyRate(o) / SteadyRate(d), SteadyRate(dd),
               SteadyRate(o) / SteadyRate(dd));
  absl::PrintF("%-38s %11s %9.0f/s %7s %10.0f/s\n",
               "sendsms answers/s (GETs only)", "", Rate(n, f.direct.answers),
               "", Rate(n, f.direct_dlr.answers));
  absl::PrintF("%-38s %10.2fs %10.2fs %7s %11.2fs\n",
               "start -> all at fake SMSC", S(o.through()), S(d.through()), "",
               S(dd.through()));
  absl::PrintF("%-38s %10.2fs %10.2fs %7s %11.2fs\n",
               "start -> first at fake SMSC", S(o.first - o.start),
               S(d.first - d.start), "", S(dd.first - dd.start));
  absl::PrintF("%-38s %9.2fms %9.2fms %7s %10.2fms\n",
               "spacing at fake SMSC p50", Ms(os.p50), Ms(ds.p50), "",
               Ms(dds.p50));
  absl::PrintF("%-38s %9.2fms %9.2fms %7s %10.2fms\n",
               "spacing at fake SMSC p99", Ms(os.p99), Ms(ds.p99), "",
               Ms(dds.p99));
  absl::PrintF("%-38s %9.2fms %9.2fms %7s %10.2fms\n",
               "spacing at fake SMSC max", Ms(os.max), Ms(ds.max), "",
               Ms(dds.max));
  absl::PrintF("%-38s %10.2fs %10s %7s %11.2fs\n",
               "start -> every delivery report", S(f.ours.reports_all), "-", "",
               S(f.direct_dlr.reports_done));
  const SystemResult& r = f.ours;
  absl::PrintF(
      "ours: filed %d petitions in %.1f s (%.0f/s); routing had them all "
      "%.2f s later; notification restarted in %.2f s; it had applied "
      "every case-event %.2f s after; %d DELIVERED, %d not; %d admin HTTP "
      "requests (delivery reports) refused for want of room\n",
      n, S(r.filing), Rate(n, r.filing), S(r.routed), S(r.restart),
      S(r.consumed_all), r.delivered, r.not_delivered, r.refused);
  absl::PrintF(
      "intake round trip (GetCaseStatus, as heavy as the sender's "
      "ResolveContact), %d one after the other: p50 %.2f ms, p99 %.2f ms\n",
      static_cast<int>(r.intake_rtt.count), Ms(r.intake_rtt.p50),
      Ms(r.intake_rtt.p99));
  if (r.log.sent > 0) {
    absl::PrintF(
        "notification.log: %d \"sms sent\" from %+.2f s to %+.2f s after the "
        "restart returned (%.0f/s between them); %d warnings\n",
        r.log.sent, S(r.log.first_sent - o.start), S(r.log.last_sent - o.start),
        Rate(r.log.sent - 1, r.log.last_sent - r.log.first_sent),
        r.log.warnings);
  }
  if (!r.log.first_warning.empty()) {
    absl::PrintF("first warning: %s\n", r.log.first_warning);
  }
  absl::PrintF("timeline after the restart (notification's counters):\n");
  absl::PrintF("  %7s %9s %9s %9s %9s %9s %9s\n", "t s", "consumed", "taken",
               "at SMSC", "dlr ack", "dlr deliv", "in flight");
  const size_t every = std::max<size_t>(1, (r.timeline.size() + 24) / 25);
  for (size_t i = 0; i < r.timeline.size(); ++i) {
    if (i % every != 0 && i + 1 != r.timeline.size()) continue;
    const Sample& s = r.timeline[i];
    absl::PrintF("  %7.2f %9.0f %9.0f %9d %9.0f %9.0f %9.0f\n", S(s.at),
                 s.consumed, s.taken, s.received, s.accepted, s.delivered,
                 s.in_flight);
  }
  absl::PrintF(
      "RESULT messages=%d ours_per_s=%.0f direct_per_s=%.0f ratio=%.3f "
      "ours_steady_per_s=%.0f direct_steady_per_s=%.0f steady_ratio=%.3f "
      "direct_answers_per_s=%.0f direct_dlr_per_s=%.0f "
      "direct_dlr_steady_per_s=%.0f dlr_ratio=%.3f "
      "ours_s=%.2f direct_s=%.2f ours_first_s=%.2f "
      "ours_spacing_p50_ms=%.2f ours_spacing_p99_ms=%.2f "
      "direct_spacing_p50_ms=%.2f direct_spacing_p99_ms=%.2f "
      "ours_delivered_s=%.2f intake_rtt_p50_ms=%.2f delivered=%d "
      "not_delivered=%d dlr_refused=%d store_sync=%d window=%d "
      "keep_alive=%d load1=%s build=%s\n",
      n, ours_rate, direct_rate, ours_rate / direct_rate, SteadyRate(o),
      SteadyRate(d), SteadyRate(o) / SteadyRate(d), Rate(n, f.direct.answers),
      dlr_rate, SteadyRate(dd), ours_rate / dlr_rate, S(o.through()),
      S(d.through()), S(o.first - o.start), Ms(os.p50), Ms(os.p99), Ms(ds.p50),
      Ms(ds.p99), S(r.reports_all), Ms(r.intake_rtt.p50), r.delivered,
      r.not_delivered, r.refused, flags.store_sync ? 1 : 0, r.window,
      flags.keep_alive ? 1 : 0, f.load_start.substr(0, f.load_start.find(' ')),
#ifdef NDEBUG
      "release"
#else
      "debug"
#endif
  );
}

absl::Status Run(const SmsFlags& flags, testing::SmsSystem& s, Figures& f) {
  auto text = ReceiptLikeText(CASERELAY_SOURCE_DIR);
  if (!text.ok()) return text.status();
  testing::SystemOptions options;
  // Supervision plays no part in sending SMS.
  options.services = {"intake", "routing", "notification"};
  std::map<std::string, std::string> settings;
  if (flags.store_sync) settings["store.sync"] = "true";
  if (flags.window > 0) settings["sms.window"] = absl::StrCat(flags.window);
  if (!flags.keep_alive) settings["kannel.keep_alive"] = "false";
  for (const auto& [key, value] : flags.settings) settings[key] = value;
  Progress("starting Kannel, devbroker, intake, routing, notification");
  auto started = testing::StartWithKannel(options, settings);
  if (!started.ok()) return started.status();
  s = *std::move(started);

  const int n = flags.messages;
  f.messages = n;
  size_t already = s.kannel->Received().size();
  DirectOptions d;
  d.messages = n;
  d.text_pattern = *text;
  Progress(absl::StrCat("direct: ", n, " messages to sendsms, dlr-mask 0"));
  auto direct = SendDirect(*s.kannel, already, d);
  if (!direct.ok()) return direct.status();
  f.direct = *std::move(direct);
  already += n;

  d.first_number = n;
  d.dlr_mask = 27;
  Progress(absl::StrCat("direct+dlr: ", n, " messages, dlr-mask 27"));
  auto direct_dlr = SendDirect(*s.kannel, already, d);
  if (!direct_dlr.ok()) return direct_dlr.status();
  f.direct_dlr = *std::move(direct_dlr);
  already += n;

  SystemPhaseOptions so;
  so.messages = n;
  so.progress = Progress;
  auto ours = RunSystemPhase(s, already, so);
  if (!ours.ok()) return ours.status();
  f.ours = *std::move(ours);
  if (f.ours.not_delivered != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(f.ours.not_delivered, " messages not DELIVERED, e.g. ",
                     f.ours.not_delivered_example));
  }
  return absl::OkStatus();
}

int Main(const SmsFlags& flags) {
  Figures f;
  f.load_start = LoadAverage();
  absl::PrintF(
      "bench/sms: %d messages per phase; build %s; %ld CPUs, load %s\n",
      flags.messages, BuildType(), sysconf(_SC_NPROCESSORS_ONLN), f.load_start);
  std::fflush(stdout);
  testing::SmsSystem s;
  absl::Status st = Run(flags, s, f);
  f.load_end = LoadAverage();
  if (!st.ok()) {
    PrintLogTails(s);
    return Fail("run", st);
  }
  PrintReport(flags, f);
  return 0;
}

}  // namespace
}  // namespace caserelay::bench

int main(int argc, char** argv) {
  namespace b = caserelay::bench;
  return b::BenchMain(argc, argv, "bench_sms", b::ParseSmsFlags, b::SmsUsage,
                      [](const auto& flags) { return b::Main(flags); });
}
