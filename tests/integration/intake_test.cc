// intake against the real system (issue 2, "Must show"): bad input is
// refused with INVALID_ARGUMENT naming the field, and nothing is stored
// or published; casectl submit then status shows the case registered at
// the right county bureau within a second.

#include <stdio.h>

#include <iostream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/kafka/consumer.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::SubmitPetitionRequest;

struct BadRow {
  const char* why;    // the rule, DOMAIN.md "Who is involved" / issue 2
  const char* field;  // the field the error must name
  void (*spoil)(SubmitPetitionRequest&);
};

const BadRow kBadRows[] = {
    {"name is required", "petitioner.name",
     [](SubmitPetitionRequest& r) { r.mutable_petitioner()->clear_name(); }},
    {"address is required", "petitioner.address",
     [](SubmitPetitionRequest& r) { r.mutable_petitioner()->clear_address(); }},
    {"the request (text) is required", "matter.text",
     [](SubmitPetitionRequest& r) { r.mutable_matter()->clear_text(); }},
    {"region is required", "matter.region_code",
     [](SubmitPetitionRequest& r) { r.mutable_matter()->clear_region_code(); }},
    {"GB 11643 checksum", "petitioner.id_number",
     [](SubmitPetitionRequest& r) {
       r.mutable_petitioner()->set_id_number("110105194912310021");
     }},
    {"phone format", "petitioner.phone",
     [](SubmitPetitionRequest& r) { r.mutable_petitioner()->set_phone("12345"); }},
    // A 10 MB text no longer reaches the field check: gRPC refuses the
    // request unread (grpc.max_receive_bytes, 1 MiB: issue 22 item 1; see
    // outbox_stall_test.cc). Just over the field's own limit is refused
    // naming it.
    {"size limit: a text of 10,001 characters (intake.max_text_chars)",
     "matter.text",
     [](SubmitPetitionRequest& r) {
       r.mutable_matter()->set_text(std::string(10001, 'x'));
     }},
    {"GB/T 2260: unknown region code", "matter.region_code",
     [](SubmitPetitionRequest& r) { r.mutable_matter()->set_region_code("149999"); }},
    {"class is required (Arts. 28-31)", "matter.matter_class",
     [](SubmitPetitionRequest& r) { r.mutable_matter()->clear_matter_class(); }},
    {"channel is required (Art. 17)", "matter.channel",
     [](SubmitPetitionRequest& r) { r.mutable_matter()->clear_channel(); }},
};

TEST(IntakeTest, BadInputIsRefusedNamingTheFieldAndNothingIsStoredOrPublished) {
  auto sys = System::Start();
  ASSERT_TRUE(sys.ok()) << sys.status();
  for (const BadRow& row : kBadRows) {
    SCOPED_TRACE(row.why);
    SubmitPetitionRequest req = SamplePetition("140431", 1);
    row.spoil(req);
    grpc::ClientContext ctx;
    caserelay::v1::SubmitPetitionResponse resp;
    grpc::Status s = (*sys)->intake().SubmitPetition(&ctx, req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
    EXPECT_TRUE(absl::StartsWith(s.error_message(), row.field)) << s.error_message();
    EXPECT_TRUE(resp.case_number().empty());
  }
  // Nothing stored: the first good petition of the day for 沁源县 is
  // still number 000001.
  grpc::ClientContext ctx;
  caserelay::v1::SubmitPetitionResponse good;
  ASSERT_TRUE((*sys)->intake()
                  .SubmitPetition(&ctx, SamplePetition("140431", 2), &good)
                  .ok());
  EXPECT_TRUE(absl::EndsWith(good.case_number(), "-000001")) << good.case_number();

  // Nothing published: "petitions" holds exactly the one good petition.
  kafka::ConsumerOptions options;
  options.bootstrap = (*sys)->bootstrap();
  options.group_id = absl::StrCat("intake-test-", getpid());
  options.topics = {"petitions"};
  auto consumer = kafka::CreateKafkaConsumer(
      options, [](const std::string&, int32_t) { return std::nullopt; });
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  std::vector<std::string> keys;
  absl::Time until = absl::Now() + absl::Seconds(8);
  while (absl::Now() < until) {
    auto batch = (*consumer)->Poll(100, absl::Milliseconds(200));
    ASSERT_TRUE(batch.ok()) << batch.status();
    for (const auto& m : *batch) keys.push_back(m.key);
  }
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0], good.case_number());
}

std::string RunCasectl(const std::string& args, int* exit_code) {
  CommandResult r = RunCommand(absl::StrCat(Binary("tools/casectl/casectl"), " ", args));
  *exit_code = r.code;
  return r.output;
}

std::string Field(const std::string& out, const std::string& key) {
  size_t at = out.find(key + ": ");
  if (at == std::string::npos) return "";
  size_t end = out.find('\n', at);
  return out.substr(at + key.size() + 2, end - at - key.size() - 2);
}

TEST(CasectlTest, SubmitThenStatusShowsRoutedToTheCountyBureauWithinASecond) {
  auto sys = System::Start();
  ASSERT_TRUE(sys.ok()) << sys.status();
  // Every RPC is authenticated (issue 14 item 1): an office registers it.
  std::string intake =
      "--intake " + (*sys)->grpc_address("intake") + " --token-file " +
      (*sys)->token_file(System::kProvinceBureau);
  // Submits with casectl and polls casectl status until routed; returns
  // how long that took and the last status output.
  auto submit_and_wait = [&](const std::string& region, std::string* status,
                             std::string* number, std::string* lookup) {
    int code = 0;
    std::string out = RunCasectl(
        intake + " submit --name 张三 --address 沁源县沁河镇 --phone 13800000000"
                 " --region " + region + " --category labour --class claim"
                 " --channel online --text 拖欠工资",
        &code);
    EXPECT_EQ(code, 0) << out;
    *number = Field(out, "case_number");
    *lookup = Field(out, "lookup_code");
    absl::Time submitted = absl::Now();
    absl::Duration took;
    while (absl::Now() - submitted < absl::Seconds(10)) {
      *status = RunCasectl(absl::StrCat(intake, " status ", *number, " ", *lookup), &code);
      took = absl::Now() - submitted;
      if (absl::StrContains(*status, "state: registered")) break;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return took;
  };
  std::string status, number, lookup;
  // The first case after start-up also pays for the clients' first round
  // trips to the embedded broker (about a second); it must still arrive.
  absl::Duration first = submit_and_wait("140431101", &status, &number, &lookup);
  EXPECT_TRUE(absl::StrContains(status, "state: registered")) << status;
  EXPECT_LT(first, absl::Seconds(5)) << "first case after start-up";
  std::cout << "first case after start-up routed in " << first << "\n";
  // The quick start's claim: a township of 沁源县 (140431) is routed to
  // its county bureau, and casectl status shows it within a second.
  absl::Duration took = submit_and_wait("140431100", &status, &number, &lookup);
  std::cout << "next case routed in " << took << "\n";
  EXPECT_TRUE(absl::StrContains(status, "state: registered")) << status;
  EXPECT_TRUE(absl::StrContains(status, "沁源县信访局 (140431:bureau)")) << status;
  EXPECT_LT(took, absl::Seconds(1)) << "submit to routed, seen by casectl status";

  // A wrong look-up code shows nothing (exit 1, NOT_FOUND).
  int code = 0;
  std::string out = RunCasectl(absl::StrCat(intake, " status ", number, " WRONGCOD"), &code);
  EXPECT_EQ(code, 1);
  EXPECT_TRUE(absl::StrContains(out, "NOT_FOUND")) << out;
}

TEST(CasectlTest, HelpAndBadUsage) {
  int code = 0;
  std::string out = RunCasectl("--help", &code);
  EXPECT_EQ(code, 0);
  EXPECT_TRUE(absl::StrContains(out, "status CASE_NUMBER LOOKUP_CODE")) << out;
  out = RunCasectl("--intake 127.0.0.1:1 frobnicate", &code);
  EXPECT_EQ(code, 2) << out;
}

}  // namespace
}  // namespace caserelay::testing
