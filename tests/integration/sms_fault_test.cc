// SMS through the real Kannel under faults (issue 5, "Must show"):
// notification SIGKILLed several times at random points while 500 cases'
// receipts go out — each reaches the fake SMSC exactly once, or the case
// shows an honest "unknown — reconcile", none silently lost (one whose
// delivery report died with Kannel's smsbox, which panics now and then when
// notification is killed mid-callback — kannel.h — stays SENT: on the
// phone once, counted and printed); and the
// gateway down for a while — the messages wait, then go in order per case
// within the throughput limit (sms.rate_limit).

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/life_steps.h"
#include "tests/integration/sms_steps.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::SmsMessage;

constexpr char kCountyBureau[] = "140431:bureau";
constexpr char kTownshipGov[] = "140431100:gov";

TEST(SmsFaultTest, SigkillsMidStreamLoseNothingAndSendNothingTwice) {
  auto s = StartWithKannel(SystemOptions{});
  ASSERT_TRUE(s.ok()) << s.status();
  System& sys = *s->sys;
  const int kCases = 500;
  // Kill points: after the fake SMSC has seen k messages, k drawn at
  // random (seeded, printed) from the stream.
  std::mt19937 rng(20261122);
  std::uniform_int_distribution<int> point(20, kCases - 40);
  std::vector<int> kills = {point(rng), point(rng), point(rng)};
  std::sort(kills.begin(), kills.end());
  std::cout << "kill points (messages received): " << kills[0] << " "
            << kills[1] << " " << kills[2] << std::endl;

  std::vector<Filed> filed;
  for (int i = 0; i < kCases; ++i) filed.push_back(File(sys, i));
  for (int k : kills) {
    auto seen = s->kannel->WaitForReceived(k, absl::Seconds(120));
    ASSERT_TRUE(seen.ok()) << seen.status();
    sys.Kill("notification", SIGKILL);
    std::cout << "SIGKILL at " << seen->size() << " received" << std::endl;
    ASSERT_TRUE(sys.Restart("notification").ok());
  }

  std::vector<std::string> ids;
  std::map<std::string, std::string> code_of;
  for (const Filed& f : filed) {
    ids.push_back(f.id);
    code_of[f.id] = f.code;
  }
  // When each text reached the phone: a report of one that arrived before
  // Kannel's smsbox last died may have died with it (ReportMayBeLost).
  auto arrived_at = [&] {
    std::map<std::string, absl::Time> at;
    int ignored = 0;
    for (const Assembled& a : Assemble(s->kannel->Received(), &ignored)) {
      at.emplace(a.text, a.received_at);
    }
    return at;
  };
  auto report_lost = [&](const SmsMessage& m,
                         const std::map<std::string, absl::Time>& at) {
    auto it = at.find(WithCode(m, code_of[m.case_id()]));
    return it != at.end() && ReportMayBeLost(*s->kannel, it->second);
  };
  auto settled = AwaitSettled(
      sys, ids, 1, absl::Seconds(180), [&](const SmsMessage& m) {
        // Only once smsbox died is a report maybe lost: no reassembly
        // of what the phone got before.
        return Settled(m) || (m.state() == caserelay::v1::SMS_STATE_SENT &&
                              !s->kannel->SmsboxExits().empty() &&
                              report_lost(m, arrived_at()));
      });
  // Anything still in Kannel arrives (the sender hands it nothing more:
  // every message is settled).
  ASSERT_EQ(s->kannel->AwaitDrained(absl::Seconds(30)), absl::OkStatus());
  int duplicates = 0;
  std::vector<Assembled> phone = Assemble(s->kannel->Received(), &duplicates);
  EXPECT_EQ(duplicates, 0);
  std::map<std::string, int> times;  // text -> how often it arrived
  for (const Assembled& a : phone) times[a.text]++;
  const std::map<std::string, absl::Time> at = arrived_at();

  int delivered = 0, unknown = 0, unknown_arrived = 0, report_lost_n = 0;
  std::set<std::string> expected;
  for (const Filed& f : filed) {
    const std::vector<SmsMessage>& msgs = settled[f.id];
    ASSERT_EQ(msgs.size(), 1u) << f.id;
    const SmsMessage& m = msgs[0];
    std::string text = WithCode(m, f.code);
    expected.insert(text);
    if (m.state() == caserelay::v1::SMS_STATE_UNKNOWN) {
      // Honest: the case says so; it went out at most once.
      ++unknown;
      EXPECT_LE(times[text], 1) << f.id;
      unknown_arrived += times[text];
      EXPECT_NE(m.last_error(), "") << f.id;
      continue;
    }
    EXPECT_EQ(times[text], 1) << f.id << ": " << text;
    if (m.state() == caserelay::v1::SMS_STATE_SENT && report_lost(m, at)) {
      ++report_lost_n;  // on the phone once; its report died with smsbox
      continue;
    }
    EXPECT_EQ(m.state(), caserelay::v1::SMS_STATE_DELIVERED)
        << f.id << " " << m.last_error();
    ++delivered;
  }
  for (const auto& [text, n] : times) {
    EXPECT_EQ(expected.count(text), 1u) << "unexpected SMS: " << text;
  }
  // What the kills left for reconciliation, from notification's log (it
  // spans the restarts): parts found "sending" at a start, and messages a
  // delivery report settled afterwards.
  std::ifstream log(sys.dir() + "/notification.log");
  int cut_off = 0, settled_by_report = 0, found_unsent = 0;
  for (std::string line; std::getline(log, line);) {
    cut_off += line.find("unknown whether sent") != std::string::npos;
    settled_by_report +=
        line.find("reconciled by a delivery report") != std::string::npos;
    found_unsent += line.find("never got it") != std::string::npos;
  }
  std::cout << "cut off mid-call: " << cut_off << " (settled by a delivery "
            << "report: " << settled_by_report << "), found never sent: "
            << found_unsent << std::endl;
  std::cout << "delivered " << delivered << ", unknown " << unknown
            << " (of which reached the phone: " << unknown_arrived
            << "), SMSC received " << phone.size() << "; smsbox died "
            << s->kannel->SmsboxExits().size() << " times, SENT with the "
            << "report lost with it: " << report_lost_n << std::endl;
  EXPECT_EQ(delivered + unknown + report_lost_n, kCases);
}

TEST(SmsFaultTest, GatewayDownThenBackDeliversInOrderWithinTheRateLimit) {
  constexpr int kRate = 10;  // parts per second; the bucket holds as many
  auto s = StartWithKannel(SystemOptions{{kCountyBureau, kTownshipGov}},
                           {{"sms.rate_limit", absl::StrCat(kRate)}});
  ASSERT_TRUE(s.ok()) << s.status();
  System& sys = *s->sys;
  Steps steps(sys);
  s->kannel->StopGateway();

  // 10 cases, three messages each (received, assigned, accepted), all
  // while the gateway is down.
  const int kCases = 10;
  std::vector<Filed> filed;
  for (int i = 0; i < kCases; ++i) filed.push_back(File(sys, 100 + i));
  for (const Filed& f : filed) {
    ASSERT_TRUE(steps
                    .AwaitState(kCountyBureau, f.id,
                                caserelay::v1::CASE_STATE_REGISTERED)
                    .ok());
    caserelay::v1::ActRequest assign;
    assign.mutable_assign();
    ASSERT_TRUE(steps.Act(kCountyBureau, f.id, assign).ok());
    caserelay::v1::ActRequest accept;
    accept.mutable_accept();
    ASSERT_TRUE(steps.Act(kTownshipGov, f.id, accept).ok());
  }
  // They wait: queued, no try counted; the sender, paused, tells why on
  // the message it last tried (it does not try the others meanwhile).
  absl::Time until = absl::Now() + absl::Seconds(20);
  bool all_waiting = false;
  while (!all_waiting && absl::Now() < until) {
    all_waiting = true;
    int told = 0;
    for (const Filed& f : filed) {
      auto msgs = Messages(sys, f.id);
      all_waiting &= msgs.size() == 3;
      for (const SmsMessage& m : msgs) {
        all_waiting &=
            m.state() == caserelay::v1::SMS_STATE_QUEUED && m.attempts() == 0;
        told += m.last_error().find("unreachable") != std::string::npos;
      }
    }
    all_waiting &= told >= 1;
    if (!all_waiting) absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_TRUE(all_waiting);
  auto down =
      sys.MetricSum("notification", "caserelay_sms_gateway_unreachable");
  ASSERT_TRUE(down.ok()) << down.status();
  EXPECT_EQ(*down, 1);
  // A while longer: the sender finds the gateway down twice more (each a
  // counted retry), and still nothing was sent.
  auto retries = sys.MetricSum("notification", "caserelay_sms_retries_total");
  ASSERT_TRUE(retries.ok()) << retries.status();
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  absl::StatusOr<double> now = retries;
  while (now.ok() && *now < *retries + 2 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(50));
    now = sys.MetricSum("notification", "caserelay_sms_retries_total");
  }
  ASSERT_TRUE(now.ok()) << now.status();
  ASSERT_GE(*now, *retries + 2) << "the sender stopped trying";
  EXPECT_TRUE(s->kannel->Received().empty());

  ASSERT_TRUE(s->kannel->StartGateway().ok());
  const int total = 3 * kCases;
  auto got = s->kannel->WaitForReceived(total, absl::Seconds(60));
  ASSERT_TRUE(got.ok()) << got.status();
  // Every part the sender handed to Kannel has arrived, and Kannel holds
  // nothing more (a part sent twice would be among them).
  auto handed = sys.MetricSum("notification", "caserelay_sms_parts_sent_total");
  ASSERT_TRUE(handed.ok()) << handed.status();
  ASSERT_TRUE(s->kannel->WaitForReceived(static_cast<size_t>(*handed),
                                         absl::Seconds(30)).ok())
      << *handed << " parts handed to Kannel";
  ASSERT_EQ(s->kannel->AwaitDrained(absl::Seconds(30)), absl::OkStatus());
  int duplicates = 0;
  std::vector<Assembled> phone = Assemble(s->kannel->Received(), &duplicates);
  EXPECT_EQ(duplicates, 0);
  ASSERT_EQ(static_cast<int>(phone.size()), total);

  // In order per case: received, assigned, accepted.
  std::map<std::string, std::vector<std::string>> order;  // number -> texts
  for (const Assembled& a : phone) order[a.to].push_back(a.text);
  for (const Filed& f : filed) {
    const auto& texts = order[f.phone];
    ASSERT_EQ(texts.size(), 3u) << f.phone;
    EXPECT_NE(texts[0].find(f.id), std::string::npos);
    EXPECT_NE(texts[0].find(f.code), std::string::npos) << "receipt first";
    EXPECT_NE(texts[1].find("交办"), std::string::npos) << texts[1];
    EXPECT_NE(texts[2].find("受理"), std::string::npos) << texts[2];
  }
  // Within the limit: a burst of kRate, then kRate per second, so any k
  // consecutive parts span at least (k - kRate) / kRate seconds. Measured
  // where the fake SMSC received them (a small slack for the loopback
  // path's jitter).
  std::vector<absl::Time> at;
  for (const FakeSmscMessage& m : s->kannel->Received())
    at.push_back(m.received_at);
  for (size_t i = 0; i < at.size(); ++i) {
    for (size_t j = i + kRate + 1; j < at.size(); ++j) {
      absl::Duration least =
          absl::Seconds(static_cast<double>(j - i - kRate) / kRate);
      EXPECT_GE(at[j] - at[i], least - absl::Milliseconds(150))
          << "parts " << i << ".." << j;
    }
  }
  std::cout << total << " parts in " << (at.back() - at.front())
            << " after the gateway came back (limit " << kRate << "/s)"
            << std::endl;
  auto settled = AwaitSettled(
      sys,
      [&] {
        std::vector<std::string> ids;
        for (const Filed& f : filed) ids.push_back(f.id);
        return ids;
      }(),
      3, absl::Seconds(30));
  for (const auto& [id, msgs] : settled) {
    for (const SmsMessage& m : msgs) {
      EXPECT_EQ(m.state(), caserelay::v1::SMS_STATE_DELIVERED) << id;
      EXPECT_EQ(m.attempts(), 0) << "an outage counts no try";
    }
  }
}

}  // namespace
}  // namespace caserelay::testing
