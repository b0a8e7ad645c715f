// SMS through the real Kannel with the sender's window full (issue 20
// item 2, "a crash test with a full window"): notification is SIGKILLed
// while sms.window parts are in flight (each recorded SENDING before its
// sendsms call), twice, with receipts waiting. After each restart the
// parts left SENDING are reconciled as designed (sender.h, DESIGN.md
// "Side effects outside Kafka"): Kannel cannot be asked, so each is
// UNKNOWN until its delivery report proves it out (smsbox retries the
// callbacks notification missed while down); one whose sendsms never
// reached Kannel has no report, never reached the phone, and is resent by
// an operator's RESEND (casectl sms-resolve). In the end every receipt
// reached the phone exactly once and none is lost.

#include <signal.h>

#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "caserelay/v1/notification.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/sms_steps.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::SmsMessage;

constexpr int kWindow = 16;
constexpr int kCases = 400;
constexpr int kKills = 2;

// Waits until routing applied `n` petitions and it and intake published
// everything: every receipt's REGISTER is on case-events. Where it stood
// if not within two minutes.
absl::Status AwaitRouted(System& sys, int n) {
  const absl::Time deadline = absl::Now() + absl::Minutes(2);
  std::string stood;
  while (absl::Now() < deadline) {
    auto applied = sys.MetricSum("routing", "caserelay_events_applied_total");
    auto routing = sys.MetricSum("routing", "caserelay_outbox_pending");
    auto intake = sys.MetricSum("intake", "caserelay_outbox_pending");
    if (!applied.ok() || !routing.ok() || !intake.ok()) {
      stood = absl::StrCat(applied.status().ToString(), " ",
                           routing.status().ToString(), " ",
                           intake.status().ToString());
    } else if (*applied >= n && *routing == 0 && *intake == 0) {
      return absl::OkStatus();
    } else {
      stood = absl::StrCat("routing applied ", *applied, ", outbox pending: routing ",
                           *routing, ", intake ", *intake);
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(stood);
}

// Polls notification's parts in flight until the window is full; the
// value seen last.
double AwaitFullWindow(System& sys) {
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  double in_flight = 0;
  while (absl::Now() < deadline) {
    auto v = sys.MetricSum("notification", "caserelay_sms_parts_in_flight");
    if (v.ok()) in_flight = *v;
    if (in_flight >= kWindow) break;
    absl::SleepFor(absl::Milliseconds(2));
  }
  return in_flight;
}

// Counts `needle` in notification's log (it spans the restarts).
int LogCount(System& sys, const std::string& needle) {
  std::ifstream log(sys.dir() + "/notification.log");
  int n = 0;
  for (std::string line; std::getline(log, line);) {
    n += line.find(needle) != std::string::npos;
  }
  return n;
}

TEST(SmsWindowCrashTest, SigkillWithTheWindowFullSendsEveryPartOnce) {
  SystemOptions options;
  options.services = {"intake", "routing", "notification"};
  auto s = StartWithKannel(std::move(options),
                           {{"sms.window", absl::StrCat(kWindow)}});
  ASSERT_TRUE(s.ok()) << s.status();
  System& sys = *s->sys;
  auto window = sys.MetricSum("notification", "caserelay_sms_window");
  ASSERT_TRUE(window.ok()) << window.status();
  ASSERT_EQ(*window, kWindow);

  std::vector<Filed> filed;
  int cut_off_before = 0;
  for (int k = 0; k < kKills; ++k) {
    // Each round's receipts wait on case-events while notification is
    // down (stopped in order), so the window fills as soon as it is back.
    sys.Kill("notification", SIGTERM);
    for (int i = 0; i < kCases / kKills; ++i) {
      filed.push_back(File(sys, static_cast<int>(filed.size())));
    }
    ASSERT_EQ(AwaitRouted(sys, static_cast<int>(filed.size())),
              absl::OkStatus());
    ASSERT_TRUE(sys.Restart("notification").ok());
    const double in_flight = AwaitFullWindow(sys);
    ASSERT_EQ(in_flight, kWindow) << "the window never filled";
    sys.Kill("notification", SIGKILL);
    const size_t at_smsc = s->kannel->Received().size();
    ASSERT_TRUE(sys.Restart("notification").ok());
    // Start() reconciled every part the kill left SENDING before sending
    // anything: Kannel cannot be asked, so each is UNKNOWN.
    const int cut_off = LogCount(sys, "unknown whether sent") - cut_off_before;
    cut_off_before += cut_off;
    std::cout << "SIGKILL " << k + 1 << " with " << in_flight
              << " parts in flight (" << at_smsc
              << " messages at the fake SMSC); the restart found " << cut_off
              << " SENDING" << std::endl;
    EXPECT_GE(cut_off, kWindow / 2) << "a full window was cut off";
    EXPECT_LE(cut_off, kWindow) << "never more in flight than the window";
  }

  std::vector<std::string> ids;
  std::map<std::string, std::string> code_of;
  for (const Filed& f : filed) {
    ids.push_back(f.id);
    code_of[f.id] = f.code;
  }
  // A part that reached Kannel gets its delivery reports (retried while
  // notification was down), which settle it, unless they died with
  // Kannel's smsbox (ReportMayBeLost: it panics now and then when
  // notification is killed mid-callback, kannel.h).
  auto arrived = [&] {
    std::map<std::string, int> times;
    int duplicates = 0;
    for (const Assembled& a : Assemble(s->kannel->Received(), &duplicates)) {
      times[a.text]++;
    }
    EXPECT_EQ(duplicates, 0);
    return times;
  };
  auto report_lost = [&](const SmsMessage& m) {
    if (s->kannel->SmsboxExits().empty()) return false;  // none can be
    int ignored = 0;
    const std::string text = WithCode(m, code_of[m.case_id()]);
    for (const Assembled& a : Assemble(s->kannel->Received(), &ignored)) {
      if (a.text == text) return ReportMayBeLost(*s->kannel, a.received_at);
    }
    return false;
  };
  auto settled = AwaitSettled(
      sys, ids, 1, absl::Seconds(180), [&](const SmsMessage& m) {
        return Settled(m) ||
               (m.state() == caserelay::v1::SMS_STATE_SENT && report_lost(m));
      });
  ASSERT_EQ(s->kannel->AwaitDrained(absl::Seconds(30)), absl::OkStatus());

  // Wait until every message that reached the phone is DELIVERED, or its
  // report is lost.
  std::vector<std::string> never_reached;  // UNKNOWN and not at the phone
  int unknown_report_lost = 0;  // UNKNOWN, at the phone, report lost
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  for (;;) {
    std::map<std::string, int> times = arrived();
    never_reached.clear();
    unknown_report_lost = 0;
    int waiting = 0;
    for (const std::string& id : ids) {
      settled[id] = Messages(sys, id);
      ASSERT_EQ(settled[id].size(), 1u) << id;
      const SmsMessage& m = settled[id][0];
      if (m.state() != caserelay::v1::SMS_STATE_UNKNOWN) continue;
      if (times[WithCode(m, code_of[id])] == 0) {
        never_reached.push_back(id);
      } else if (report_lost(m)) {
        ++unknown_report_lost;
      } else {
        ++waiting;  // its reports are on their way
      }
    }
    if (waiting == 0) break;
    ASSERT_LT(absl::Now(), deadline)
        << waiting << " messages reached the phone but are still UNKNOWN";
    absl::SleepFor(absl::Milliseconds(200));
  }
  const int by_report = LogCount(sys, "reconciled by a delivery report");
  std::cout << "cut off mid-call: " << cut_off_before
            << "; settled by a delivery report: " << by_report
            << "; never reached Kannel: " << never_reached.size()
            << std::endl;
  if (unknown_report_lost == 0) {
    EXPECT_EQ(by_report + static_cast<int>(never_reached.size()),
              cut_off_before)
        << "each part cut off is settled by its report or is still UNKNOWN";
  } else {  // a lost report may still come from the live smsbox meanwhile
    EXPECT_LE(by_report + static_cast<int>(never_reached.size()),
              cut_off_before);
    EXPECT_GE(by_report + static_cast<int>(never_reached.size()) +
                  unknown_report_lost,
              cut_off_before);
  }

  // The operator's decision on those (casectl sms-resolve): RESEND.
  for (const std::string& id : never_reached) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    caserelay::v1::ResolveMessageRequest req;
    req.set_message_id(settled[id][0].message_id());
    req.set_resolution(caserelay::v1::SMS_RESOLUTION_RESEND);
    req.set_note("checked the SMSC: never received (test)");
    caserelay::v1::ResolveMessageResponse resp;
    grpc::Status st = sys.notification().ResolveMessage(&ctx, req, &resp);
    ASSERT_TRUE(st.ok()) << id << ": " << st.error_message();
  }
  auto done = [&](const SmsMessage& m) {
    return Settled(m) || (m.state() == caserelay::v1::SMS_STATE_SENT &&
                          report_lost(m));
  };
  settled = AwaitSettled(sys, ids, 1, absl::Seconds(120), done);
  ASSERT_EQ(s->kannel->AwaitDrained(absl::Seconds(30)), absl::OkStatus());
  // Every delivery report in: nothing is left UNKNOWN or on its way.
  settled = AwaitSettled(sys, ids, 1, absl::Seconds(30), done);

  std::map<std::string, int> times = arrived();
  int delivered = 0, report_lost_n = 0;
  for (const Filed& f : filed) {
    ASSERT_EQ(settled[f.id].size(), 1u) << f.id;
    const SmsMessage& m = settled[f.id][0];
    EXPECT_EQ(times[WithCode(m, f.code)], 1) << f.id << ": exactly once";
    if (m.state() != caserelay::v1::SMS_STATE_DELIVERED && report_lost(m)) {
      EXPECT_TRUE(m.state() == caserelay::v1::SMS_STATE_SENT ||
                  m.state() == caserelay::v1::SMS_STATE_UNKNOWN)
          << f.id << " " << m.state();
      ++report_lost_n;
      continue;
    }
    EXPECT_EQ(m.state(), caserelay::v1::SMS_STATE_DELIVERED)
        << f.id << " " << m.last_error();
    delivered += m.state() == caserelay::v1::SMS_STATE_DELIVERED;
  }
  EXPECT_EQ(s->kannel->Received().size(), static_cast<size_t>(kCases))
      << "one part per receipt, none twice";
  std::cout << delivered << " of " << kCases << " DELIVERED, "
            << s->kannel->Received().size() << " at the fake SMSC; smsbox "
            << "died " << s->kannel->SmsboxExits().size() << " times, "
            << report_lost_n << " reports lost with it" << std::endl;
}

}  // namespace
}  // namespace caserelay::testing
