// casectl as an office against the real system (issue 3: "casectl covers
// every office action and the inbox"; "PreviewRoute ... and casectl route
// --json FILE return the decision without storing anything").

#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/integration/life_steps.h"

namespace caserelay::testing {
namespace {

constexpr char kCountyBureau[] = "140431:bureau";
constexpr char kTownshipGov[] = "140431100:gov";

TEST(CasectlOfficeTest, RouteInboxShowAndActionsThroughTheRealRouting) {
  // The county's clerk holds its token: the history names them (issue 14
  // item 2), not a flag of the client.
  SystemOptions options;
  options.offices = {kCountyBureau, kTownshipGov};
  options.holders = {{kCountyBureau, "王科员"}};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  Steps steps(**sys);
  const std::string county = steps.Casectl(kCountyBureau);

  // route: a dry run, nothing stored.
  const std::string matter = (*sys)->dir() + "/matter.json";
  std::ofstream(matter) << R"({"regionCode": "140431100", "category": "labour",
      "matterClass": "MATTER_CLASS_CLAIM", "channel": "CHANNEL_ONLINE",
      "title": "拖欠工资"})";
  auto route = RunCommand(county + " route --json " + matter);
  ASSERT_EQ(route.code, 0) << route.output;
  EXPECT_TRUE(absl::StrContains(route.output, "DISPOSITION_ASSIGN")) << route.output;
  EXPECT_TRUE(absl::StrContains(route.output, kTownshipGov)) << route.output;
  EXPECT_TRUE(absl::StrContains(route.output, "territorial-tiered")) << route.output;
  auto empty = RunCommand(county + " inbox");
  ASSERT_EQ(empty.code, 0) << empty.output;
  EXPECT_FALSE(absl::StrContains(empty.output, "140431100-")) << empty.output;

  // A real case: listed in the inbox, shown, assigned and accepted.
  const std::string id = steps.Submit(SamplePetition("140431100", 31));
  ASSERT_TRUE(steps.AwaitState(kCountyBureau, id, caserelay::v1::CASE_STATE_REGISTERED).ok());
  auto inbox = RunCommand(county + " inbox --state registered");
  ASSERT_EQ(inbox.code, 0) << inbox.output;
  EXPECT_TRUE(absl::StrContains(inbox.output, id)) << inbox.output;
  auto named = RunCommand(county + " assign " + id + " --operator 李四");
  EXPECT_EQ(named.code, 2) << named.output;  // a usage error, nothing sent
  EXPECT_TRUE(absl::StrContains(named.output, "--operator is no longer taken"))
      << named.output;
  auto assign = RunCommand(county + " assign " + id);
  ASSERT_EQ(assign.code, 0) << assign.output;
  EXPECT_TRUE(absl::StrContains(assign.output, kTownshipGov)) << assign.output;
  // The county no longer holds it; the township does.
  auto again = RunCommand(county + " assign " + id);
  EXPECT_EQ(again.code, 1) << again.output;
  EXPECT_TRUE(absl::StrContains(again.output, "PERMISSION_DENIED")) << again.output;
  auto accept = RunCommand(steps.Casectl(kTownshipGov) + " accept " + id);
  ASSERT_EQ(accept.code, 0) << accept.output;
  auto extend = RunCommand(steps.Casectl(kTownshipGov) + " extend " + id +
                           " --days 45 --reason 需要调查");
  EXPECT_EQ(extend.code, 1) << extend.output;  // Art. 34: at most 30 days
  EXPECT_TRUE(absl::StrContains(extend.output, "INVALID_ARGUMENT")) << extend.output;
  auto show = RunCommand(county + " show " + id);
  ASSERT_EQ(show.code, 0) << show.output;
  EXPECT_TRUE(absl::StrContains(show.output, "王科员")) << show.output;
  auto verify = RunCommand(county + " verify " + id);
  EXPECT_EQ(verify.code, 0) << verify.output;
  EXPECT_TRUE(absl::StrContains(verify.output, "intact: 3 events")) << verify.output;
}

}  // namespace
}  // namespace caserelay::testing
