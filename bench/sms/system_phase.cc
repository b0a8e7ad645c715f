#include "bench/sms/system_phase.h"

#include <signal.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace caserelay::bench {
namespace {

using caserelay::testing::System;

constexpr absl::Duration kSampleEvery = absl::Milliseconds(100);

// The sample's counters from notification's /metrics.
absl::Status ReadCounters(const System& sys, Sample* s) {
  auto text = sys.AdminGet("notification", "/metrics");
  if (!text.ok()) return text.status();
  s->consumed = testing::MetricSum(*text, "caserelay_events_applied_total",
                                   "loop=\"case-events\"");
  s->taken = testing::MetricSum(*text, "caserelay_sms_parts_sent_total");
  s->delivered = testing::MetricSum(
      *text, "caserelay_sms_delivery_reports_total", "outcome=\"delivered\"");
  s->accepted =
      testing::MetricSum(*text, "caserelay_sms_delivery_reports_total",
                         "outcome=\"smsc_accepted\"");
  s->in_flight = testing::MetricSum(*text, "caserelay_sms_parts_in_flight");
  return absl::OkStatus();
}

// Waits until routing has applied `n` petitions and it and intake have
// published everything they committed: every receipt's REGISTER is on
// case-events.
absl::Status AwaitRouted(const System& sys, int n, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  double applied = 0, routing_pending = 0, intake_pending = 0;
  for (;;) {
    auto r = sys.AdminGet("routing", "/metrics");
    auto i = sys.AdminGet("intake", "/metrics");
    if (r.ok() && i.ok()) {
      applied = testing::MetricSum(*r, "caserelay_events_applied_total");
      routing_pending = testing::MetricSum(*r, "caserelay_outbox_pending");
      intake_pending = testing::MetricSum(*i, "caserelay_outbox_pending");
      if (applied >= n && routing_pending == 0 && intake_pending == 0) {
        return absl::OkStatus();
      }
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrFormat(
          "routing applied %.0f of %d petitions, outbox pending: routing "
          "%.0f, intake %.0f, after %s",
          applied, n, routing_pending, intake_pending,
          absl::FormatDuration(timeout)));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
}

// "ts=2026-11-22T00:42:19.123Z level=info ..." -> the instant.
bool LineTime(const std::string& line, absl::Time* t) {
  if (line.rfind("ts=", 0) != 0) return false;
  const size_t end = line.find(' ');
  std::string err;
  return absl::ParseTime(absl::RFC3339_full, line.substr(3, end - 3), t, &err);
}

LogFigures ReadLog(const std::string& path, std::uintmax_t from) {
  LogFigures f;
  std::ifstream in(path);
  in.seekg(static_cast<std::streamoff>(from));
  std::string line;
  while (std::getline(in, line)) {
    absl::Time t;
    if (!LineTime(line, &t)) continue;
    if (absl::StrContains(line, "msg=\"sms sent\"")) {
      if (f.sent == 0) f.first_sent = t;
      f.last_sent = t;
      ++f.sent;
    } else if (absl::StrContains(line, "level=warn") ||
               absl::StrContains(line, "level=error")) {
      if (f.warnings++ == 0) f.first_warning = line;
    }
  }
  return f;
}

}  // namespace

absl::StatusOr<SystemResult> RunSystemPhase(testing::SmsSystem& s,
                                            size_t already,
                                            const SystemPhaseOptions& o) {
  System& sys = *s.sys;
  SystemResult r;
  const int n = o.messages;

  // notification is stopped as in production (SIGTERM), so the whole
  // backlog waits for it on case-events.
  o.progress("stopping notification (SIGTERM)");
  sys.Kill("notification", SIGTERM);
  o.progress(absl::StrCat("filing ", n, " petitions"));
  std::vector<std::string> ids;
  std::vector<testing::Filed> filed;
  absl::Time t0 = absl::Now();
  for (int i = 0; i < n; ++i) {
    testing::Filed f = testing::File(sys, i);
    if (f.id.empty()) {
      return absl::InternalError(absl::StrCat("petition ", i, " not filed"));
    }
    ids.push_back(f.id);
    filed.push_back(f);
  }
  r.filing = absl::Now() - t0;
  t0 = absl::Now();
  if (absl::Status st = AwaitRouted(sys, n, o.timeout); !st.ok()) return st;
  r.routed = absl::Now() - t0;

  const std::string log = sys.dir() + "/notification.log";
  std::error_code ec;
  const std::uintmax_t log_from = std::filesystem::file_size(log, ec);
  o.progress(
      absl::StrCat("restarting notification with ", n, " receipts waiting"));
  t0 = absl::Now();
  if (absl::Status st = sys.Restart("notification"); !st.ok()) return st;
  const absl::Time start = absl::Now();
  r.restart = start - t0;

  // Until the fake SMSC has them all, then until every delivery report
  // came: notification's counters every ~100 ms.
  const absl::Time deadline = start + o.timeout;
  std::vector<testing::FakeSmscMessage> received;
  bool all_received = false;
  for (;;) {
    if (all_received) {
      absl::SleepFor(kSampleEvery);
    } else {
      auto got = s.kannel->WaitForReceived(already + n, kSampleEvery);
      if (got.ok()) {
        all_received = true;
        received = *std::move(got);
        o.progress("the fake SMSC has them all; waiting for delivery reports");
      }
    }
    Sample sample;
    sample.at = absl::Now() - start;
    if (absl::Status st = ReadCounters(sys, &sample); !st.ok()) return st;
    r.max_in_flight =
        std::max(r.max_in_flight, static_cast<int>(sample.in_flight));
    r.timeline.push_back(sample);
    if (all_received && sample.delivered >= n) break;
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrFormat(
          "after %s: notification applied %.0f case-events, Kannel took %.0f "
          "parts, %.0f delivered reports; the fake SMSC %s",
          absl::FormatDuration(o.timeout), sample.consumed, sample.taken,
          sample.delivered,
          all_received ? "had every message" : "had not every message"));
    }
  }
  // Anything sent twice would have arrived by now.
  received = s.kannel->Received();
  if (received.size() > already + n) {
    return absl::FailedPreconditionError(
        absl::StrCat("the fake SMSC received ", received.size() - already,
                     " messages for ", n, " receipts"));
  }
  auto arrivals = Measure(received, already, n, start);
  if (!arrivals.ok()) return arrivals.status();
  r.arrivals = *std::move(arrivals);
  if (r.arrivals.not_one_part != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        r.arrivals.not_one_part, " receipts went as parts of a long message"));
  }
  for (Sample& sample : r.timeline) {
    const absl::Time at = start + sample.at;
    sample.received = static_cast<int>(
        std::count_if(received.begin() + already, received.end(),
                      [at](const testing::FakeSmscMessage& m) {
                        return m.received_at <= at;
                      }));
  }
  const double consumed = r.timeline.back().consumed;
  for (const Sample& sample : r.timeline) {
    if (sample.consumed >= consumed) {
      r.consumed_all = sample.at;
      break;
    }
  }
  r.reports_all = r.timeline.back().at;

  o.progress("checking every message is DELIVERED");
  auto settled = testing::AwaitSettled(sys, ids, 1, absl::Seconds(60));
  for (const std::string& id : ids) {
    const auto& msgs = settled[id];
    for (const caserelay::v1::SmsMessage& m : msgs) {
      if (m.state() == caserelay::v1::SMS_STATE_DELIVERED) {
        ++r.delivered;
      } else {
        if (r.not_delivered++ == 0) {
          r.not_delivered_example =
              absl::StrCat(id, " ", caserelay::v1::SmsState_Name(m.state()),
                           " ", m.last_error());
        }
      }
    }
    if (msgs.size() != 1) {
      ++r.not_delivered;
      if (r.not_delivered_example.empty()) {
        r.not_delivered_example =
            absl::StrCat(id, " has ", msgs.size(), " messages, expected 1");
      }
    }
  }
  r.log = ReadLog(log, log_from);
  auto window = sys.MetricSum("notification", "caserelay_sms_window");
  if (!window.ok()) return window.status();
  r.window = static_cast<int>(*window);
  auto refused =
      sys.MetricSum("notification", "caserelay_admin_http_refused_total");
  if (!refused.ok()) return refused.status();
  r.refused = static_cast<int>(*refused);

  // The sender asks intake for each message's phone number and look-up
  // code (ResolveContact: a store read and an HMAC); GetCaseStatus is the
  // public call of the same weight (a store read and a hash check), timed
  // here one after the other as the sender makes its calls.
  o.progress("timing intake round trips");
  std::vector<absl::Duration> rtt;
  for (const testing::Filed& f : filed) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    caserelay::v1::GetCaseStatusRequest req;
    req.set_case_number(f.id);
    req.set_lookup_code(f.code);
    caserelay::v1::GetCaseStatusResponse resp;
    const absl::Time t = absl::Now();
    grpc::Status st = sys.intake().GetCaseStatus(&ctx, req, &resp);
    rtt.push_back(absl::Now() - t);
    if (!st.ok()) {
      return absl::InternalError(absl::StrCat("intake GetCaseStatus ", f.id,
                                              ": ", st.error_message()));
    }
  }
  r.intake_rtt = Summarize(std::move(rtt));
  return r;
}

}  // namespace caserelay::bench
