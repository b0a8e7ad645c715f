// The whole local system stopped and started again mid-stream, several
// times, as Ctrl-C and `scripts/run` do (issue 23 item 1, "Must show"):
// devbroker keeps nothing, so every topic begins again at offset 0 while
// the services keep their stores. Every case submitted is routed exactly
// once, armed once, seen by the petitioner and told by exactly one SMS.

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

constexpr int kRounds = 4;  // restarted mid-stream after the first 3
constexpr int kPerRound = 25;
// 沁源县沁河镇 (Shanxi): its county bureau handles a labour claim.
constexpr char kRegion[] = "140431100";
constexpr char kOffice[] = "140431:bureau";

struct Submitted {
  std::string case_number;
  std::string lookup_code;
};

Submitted Submit(System& sys, int n) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  caserelay::v1::SubmitPetitionResponse resp;
  grpc::Status s =
      sys.intake().SubmitPetition(&ctx, SamplePetition(kRegion, n), &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return {resp.case_number(), resp.lookup_code()};
}

// Whether routing holds the case, supervision has armed its deadline and
// notification has sent its receipt.
bool Settled(System& sys, const Submitted& c) {
  grpc::ClientContext rctx;
  caserelay::v1::GetCaseRequest get;
  get.set_case_id(c.case_number);
  caserelay::v1::CaseDetail detail;
  if (!sys.routing().GetCase(&rctx, get, &detail).ok()) return false;
  grpc::ClientContext nctx;
  caserelay::v1::ListMessagesRequest list;
  list.set_case_id(c.case_number);
  caserelay::v1::ListMessagesResponse messages;
  if (!sys.notification().ListMessages(&nctx, list, &messages).ok() ||
      messages.messages_size() == 0 ||
      messages.messages(0).state() != caserelay::v1::SMS_STATE_SENT) {
    return false;
  }
  grpc::ClientContext sctx;
  caserelay::v1::ListDeadlinesRequest deadlines;
  deadlines.set_case_id(c.case_number);
  caserelay::v1::ListDeadlinesResponse armed;
  return sys.supervision().ListDeadlines(&sctx, deadlines, &armed).ok() &&
         armed.deadlines_size() > 0;
}

// Polls until every case is routed and told, or 90 s pass; returns how
// many are.
size_t AwaitSettled(System& sys, const std::vector<Submitted>& cases) {
  const absl::Time deadline = absl::Now() + absl::Seconds(90);
  size_t settled = 0;
  while (absl::Now() < deadline) {
    settled = 0;
    for (const Submitted& c : cases) settled += Settled(sys, c);
    if (settled == cases.size()) break;
    absl::SleepFor(absl::Milliseconds(250));
  }
  return settled;
}

TEST(RestartTest, WholeSystemRestartedMidStreamLosesNoCaseAndRoutesNoneTwice) {
  auto sys = System::Start();
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& system = **sys;
  std::vector<Submitted> cases;
  for (int round = 0; round < kRounds; ++round) {
    for (int i = 0; i < kPerRound; ++i) {
      cases.push_back(Submit(system, round * kPerRound + i));
      ASSERT_FALSE(cases.back().case_number.empty());
    }
    // Mid-stream: the last petitions are still in intake's outbox, in the
    // broker unread, or in routing's outbox when everything stops.
    if (round + 1 < kRounds) {
      ASSERT_TRUE(system.RestartAll().ok()) << "restart " << round + 1;
    }
  }
  ASSERT_EQ(AwaitSettled(system, cases), cases.size())
      << "cases routed and told in time";

  // Once more with everything read: routing's stored offsets count in the
  // old log, and the new log is recognised as new, loudly.
  ASSERT_TRUE(system.RestartAll().ok()) << "restart " << kRounds;
  auto resets = system.MetricSum("routing", "caserelay_log_resets_total");
  ASSERT_TRUE(resets.ok()) << resets.status();
  EXPECT_GT(*resets, 0) << "routing counted the new log of what it reads";
  for (int i = 0; i < kPerRound; ++i) {
    cases.push_back(Submit(system, kRounds * kPerRound + i));
  }
  ASSERT_EQ(AwaitSettled(system, cases), cases.size())
      << "cases routed and told in time after the last restart";

  for (const Submitted& c : cases) {
    SCOPED_TRACE(c.case_number);
    {  // routing: registered once (one event, version 1)
      grpc::ClientContext ctx;
      caserelay::v1::GetCaseRequest req;
      req.set_case_id(c.case_number);
      caserelay::v1::CaseDetail detail;
      grpc::Status s = system.routing().GetCase(&ctx, req, &detail);
      ASSERT_TRUE(s.ok()) << s.error_message();
      EXPECT_EQ(detail.view().state(), caserelay::v1::CASE_STATE_REGISTERED);
      EXPECT_EQ(detail.view().office_code(), kOffice);
      EXPECT_EQ(detail.events_size(), 1);
      EXPECT_EQ(detail.view().version(), 1u);
    }
    {  // intake's read model: what the petitioner sees
      grpc::ClientContext ctx;
      caserelay::v1::GetCaseStatusRequest req;
      req.set_case_number(c.case_number);
      req.set_lookup_code(c.lookup_code);
      caserelay::v1::GetCaseStatusResponse resp;
      ASSERT_TRUE(system.intake().GetCaseStatus(&ctx, req, &resp).ok());
      EXPECT_EQ(resp.state(), caserelay::v1::CASE_STATE_REGISTERED);
    }
    {  // supervision: exactly one armed deadline
      grpc::ClientContext ctx;
      caserelay::v1::ListDeadlinesRequest req;
      req.set_case_id(c.case_number);
      caserelay::v1::ListDeadlinesResponse resp;
      ASSERT_TRUE(system.supervision().ListDeadlines(&ctx, req, &resp).ok());
      ASSERT_EQ(resp.deadlines_size(), 1);
      EXPECT_EQ(resp.deadlines(0).state(),
                caserelay::v1::DEADLINE_STATE_ARMED);
    }
  }
  // What went out: one SMS per case.
  std::ifstream in(system.sms_sink());
  std::map<std::string, int> sms;
  int lines = 0;
  for (std::string line; std::getline(in, line);) {
    ++lines;
    for (const Submitted& c : cases) {
      if (line.find(c.case_number) != std::string::npos) ++sms[c.case_number];
    }
  }
  EXPECT_EQ(lines, static_cast<int>(cases.size()));
  for (const Submitted& c : cases) {
    EXPECT_EQ(sms[c.case_number], 1) << c.case_number;
  }
  // A new log is told loudly but is no fault: every service is healthy.
  for (const char* service : System::kServices) {
    auto health = system.Healthz(service);
    ASSERT_TRUE(health.ok()) << health.status();
    EXPECT_EQ(*health, 200) << service;
  }
}

}  // namespace
}  // namespace caserelay::testing
