// One petition through all four services, as real processes (issue 2,
// "Must show"): every submitted case is routed to its county bureau, has
// exactly one armed deadline, and produced exactly one receipt SMS — also
// when routing is killed with SIGKILL mid-stream and restarted.

#include <signal.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "common/region/region_tree.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::SubmitPetitionResponse;

struct Submitted {
  std::string case_number;
  std::string lookup_code;
  std::string region;
  std::string expected_office;
};

// Townships (and counties) of Shanxi 140000, for spreading cases over real
// regions; each with the county bureau DOMAIN.md "Routing" (属地管理)
// sends it to.
std::vector<std::pair<std::string, std::string>> ShanxiRegions() {
  auto tree = region::RegionTree::Load(CASERELAY_SOURCE_DIR
                                       "/data/regions/regions.tsv");
  EXPECT_TRUE(tree.ok()) << tree.status();
  std::vector<std::pair<std::string, std::string>> out;
  for (const region::Region* city : (*tree)->Children("140000")) {
    for (const region::Region* county : (*tree)->Children(city->code)) {
      if (county->level != region::Level::kCounty) continue;
      out.emplace_back(county->code, county->code + ":bureau");
      auto towns = (*tree)->Children(county->code);
      if (!towns.empty()) out.emplace_back(towns[0]->code, county->code + ":bureau");
    }
  }
  return out;
}

Submitted Submit(System& sys, const std::string& region,
                 const std::string& office, int n) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  SubmitPetitionResponse resp;
  grpc::Status s = sys.intake().SubmitPetition(&ctx, SamplePetition(region, n), &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return {resp.case_number(), resp.lookup_code(), region, office};
}

// Lines of the development SMS sink, per case number found in the text.
std::map<std::string, int> SinkCountsByCase(const std::string& path,
                                            const std::vector<Submitted>& cases,
                                            int* total) {
  std::ifstream in(path);
  std::string line;
  std::map<std::string, int> counts;
  *total = 0;
  while (std::getline(in, line)) {
    ++*total;
    for (const Submitted& c : cases) {
      if (line.find(c.case_number) != std::string::npos) counts[c.case_number]++;
    }
  }
  return counts;
}

// Polls every service until each case is in its final state for this
// stage, or the timeout passes; then asserts exactly-one of each.
void ExpectEachRoutedArmedAndNotifiedOnce(System& sys,
                                          const std::vector<Submitted>& cases) {
  absl::Time deadline = absl::Now() + absl::Seconds(90);
  size_t done = 0;
  while (absl::Now() < deadline) {
    done = 0;
    for (const Submitted& c : cases) {
      grpc::ClientContext ctx;
      caserelay::v1::ListMessagesRequest req;
      req.set_case_id(c.case_number);
      caserelay::v1::ListMessagesResponse resp;
      if (sys.notification().ListMessages(&ctx, req, &resp).ok() &&
          resp.messages_size() > 0 &&
          resp.messages(0).state() == caserelay::v1::SMS_STATE_SENT) {
        ++done;
      }
    }
    if (done == cases.size()) break;
    absl::SleepFor(absl::Milliseconds(250));
  }
  ASSERT_EQ(done, cases.size()) << "cases whose receipt SMS was sent in time";

  for (const Submitted& c : cases) {
    SCOPED_TRACE(c.case_number);
    {  // routing: registered at the county bureau, one event so far
      grpc::ClientContext ctx;
      caserelay::v1::GetCaseRequest req;
      req.set_case_id(c.case_number);
      caserelay::v1::CaseDetail detail;
      grpc::Status s = sys.routing().GetCase(&ctx, req, &detail);
      ASSERT_TRUE(s.ok()) << s.error_message();
      const caserelay::v1::CaseView& view = detail.view();
      EXPECT_EQ(view.state(), caserelay::v1::CASE_STATE_REGISTERED);
      EXPECT_EQ(detail.events_size(), 1);
      EXPECT_EQ(view.office_code(), c.expected_office);
      EXPECT_EQ(view.version(), 1u);
    }
    {  // intake's read model: what the petitioner sees
      grpc::ClientContext ctx;
      caserelay::v1::GetCaseStatusRequest req;
      req.set_case_number(c.case_number);
      req.set_lookup_code(c.lookup_code);
      caserelay::v1::GetCaseStatusResponse resp;
      ASSERT_TRUE(sys.intake().GetCaseStatus(&ctx, req, &resp).ok());
      EXPECT_EQ(resp.state(), caserelay::v1::CASE_STATE_REGISTERED);
      EXPECT_EQ(resp.office_code(), c.expected_office);
    }
    {  // supervision: exactly one armed 15-day transfer deadline
      grpc::ClientContext ctx;
      caserelay::v1::ListDeadlinesRequest req;
      req.set_case_id(c.case_number);
      caserelay::v1::ListDeadlinesResponse resp;
      ASSERT_TRUE(sys.supervision().ListDeadlines(&ctx, req, &resp).ok());
      ASSERT_EQ(resp.deadlines_size(), 1);
      EXPECT_EQ(resp.deadlines(0).kind(), caserelay::v1::DEADLINE_KIND_TRANSFER);
      EXPECT_EQ(resp.deadlines(0).state(), caserelay::v1::DEADLINE_STATE_ARMED);
      EXPECT_GE(resp.deadlines(0).due_at().seconds() -
                    resp.deadlines(0).started_at().seconds(),
                15 * 86400 - 86400)
          << "DOMAIN.md Deadlines: transfer within 15 days of receipt";
    }
    {  // notification: exactly one message, sent
      grpc::ClientContext ctx;
      caserelay::v1::ListMessagesRequest req;
      req.set_case_id(c.case_number);
      caserelay::v1::ListMessagesResponse resp;
      ASSERT_TRUE(sys.notification().ListMessages(&ctx, req, &resp).ok());
      ASSERT_EQ(resp.messages_size(), 1);
      EXPECT_EQ(resp.messages(0).trigger(), "received");
    }
  }
  // What actually went out: one SMS per case, carrying its look-up code.
  int total = 0;
  auto counts = SinkCountsByCase(sys.sms_sink(), cases, &total);
  EXPECT_EQ(total, static_cast<int>(cases.size()));
  for (const Submitted& c : cases) {
    EXPECT_EQ(counts[c.case_number], 1) << c.case_number;
  }
  std::ifstream in(sys.sms_sink());
  std::string first;
  std::getline(in, first);
  std::vector<std::string> fields = absl::StrSplit(first, '\t');
  ASSERT_EQ(fields.size(), 4u);
  bool code_found = false;
  for (const Submitted& c : cases) {
    if (fields[3].find(c.case_number) != std::string::npos) {
      code_found = fields[3].find(c.lookup_code) != std::string::npos;
    }
  }
  EXPECT_TRUE(code_found) << "the receipt SMS carries the look-up code: " << first;
}

TEST(PipelineTest, TwoHundredPetitionsEachRoutedArmedAndNotifiedOnce) {
  auto sys = System::Start();
  ASSERT_TRUE(sys.ok()) << sys.status();
  auto regions = ShanxiRegions();
  ASSERT_GT(regions.size(), 100u);
  std::vector<Submitted> cases;
  for (int i = 0; i < 200; ++i) {
    const auto& [region, office] = regions[i % regions.size()];
    cases.push_back(Submit(**sys, region, office, i));
  }
  ExpectEachRoutedArmedAndNotifiedOnce(**sys, cases);
}

TEST(PipelineTest, RoutingKilledMidStreamLosesNothingAndDuplicatesNothing) {
  auto sys = System::Start();
  ASSERT_TRUE(sys.ok()) << sys.status();
  auto regions = ShanxiRegions();
  std::vector<Submitted> cases;
  for (int i = 0; i < 200; ++i) {
    if (i == 80) (*sys)->Kill("routing", SIGKILL);  // mid-stream
    if (i == 140) {
      ASSERT_TRUE((*sys)->Restart("routing").ok());
    }
    const auto& [region, office] = regions[i % regions.size()];
    cases.push_back(Submit(**sys, region, office, i));
  }
  ExpectEachRoutedArmedAndNotifiedOnce(**sys, cases);
}

}  // namespace
}  // namespace caserelay::testing
