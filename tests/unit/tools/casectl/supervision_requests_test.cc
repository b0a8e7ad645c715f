// lights' and stats' flags into their requests (supervision.proto).
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tools/casectl/cli.h"
#include "tools/casectl/supervision_commands.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;
using google::protobuf::util::MessageDifferencer;

ParsedFlags Flags(const std::vector<std::string>& args) {
  absl::StatusOr<Invocation> inv = ParseInvocation(args);
  EXPECT_TRUE(inv.ok()) << inv.status();
  return inv.ok() ? inv->flags : ParsedFlags();
}

// Seconds since the epoch of 00:00 China time on `day`.
int64_t ChinaMidnight(absl::CivilDay day) {
  return absl::ToUnixSeconds(time::StartOf(day));
}

// A moment in the middle of May 2026, China time.
absl::Time MidMay() {
  return absl::FromCivil(absl::CivilSecond(2026, 5, 20, 14, 3, 12),
                         time::ChinaTimeZone());
}

TEST(LightsRequestTest, FlagsLandInTheRequest) {
  absl::StatusOr<LightsCommand> cmd =
      LightsCommandOf(Flags({"lights", "--region", "140431100", "--office",
                             "140431:labour", "--limit", "10000", "--all"}));
  ASSERT_TRUE(cmd.ok()) << cmd.status();
  EXPECT_TRUE(cmd->all);
  v1::ListRedLightsRequest want;
  want.set_region_code("140431100");
  want.set_office_code("140431:labour");
  want.set_limit(10000);
  EXPECT_TRUE(MessageDifferencer::Equals(cmd->request, want))
      << cmd->request.ShortDebugString();
}

TEST(LightsRequestTest, NoFlagsAsksForTheWholeDeploymentAtTheDefaultLimit) {
  absl::StatusOr<LightsCommand> cmd = LightsCommandOf(Flags({"lights"}));
  ASSERT_TRUE(cmd.ok()) << cmd.status();
  EXPECT_FALSE(cmd->all);
  EXPECT_EQ(cmd->request.ByteSizeLong(), 0u) << cmd->request.ShortDebugString();
}

TEST(LightsRequestTest, BadFlagsAreUsageErrorsNamingTheFlag) {
  struct Row {
    std::vector<std::string> args;
    std::string message;
  };
  const Row rows[] = {
      // supervision.proto ListRedLightsRequest.limit: at most 10000.
      {{"lights", "--limit", "0"}, "--limit must be 1..10000; got '0'"},
      {{"lights", "--limit", "10001"}, "--limit must be 1..10000; got '10001'"},
      {{"lights", "--limit", "many"}, "--limit must be 1..10000; got 'many'"},
      // DOMAIN.md "Regions": GB/T 2260, six digits or nine (township).
      {{"lights", "--region", "1404"},
       "--region must be a region code of 6 or 9 digits such as 140431; got "
       "'1404'"},
      {{"lights", "--region", "14043a"},
       "--region must be a region code of 6 or 9 digits such as 140431; got "
       "'14043a'"},
      {{"lights", "--office", "labour"},
       "--office must be an office code such as 140431:labour; got 'labour'"},
  };
  for (const Row& row : rows) {
    absl::StatusOr<LightsCommand> cmd = LightsCommandOf(Flags(row.args));
    EXPECT_EQ(cmd.status().code(), absl::StatusCode::kInvalidArgument)
        << row.message;
    EXPECT_EQ(cmd.status().message(), row.message);
  }
}

// The period is China days: --from's first instant to the end (24:00) of
// --to's day, i.e. the first instant of the day after (exclusive).
TEST(StatsRequestTest, DatesAreChinaDaysToTheEndOfTheLastDay) {
  absl::StatusOr<v1::GetIndicatorsRequest> req = StatsRequestOf(
      Flags({"stats", "--region", "140431", "--level", "township", "--from",
             "2026-01-01", "--to", "2026-03-31", "--by", "office"}),
      MidMay());
  ASSERT_TRUE(req.ok()) << req.status();
  v1::GetIndicatorsRequest want;
  want.mutable_scope()->set_region_code("140431");
  want.mutable_scope()->set_level(v1::OFFICE_LEVEL_TOWNSHIP);
  want.mutable_from()->set_seconds(ChinaMidnight(absl::CivilDay(2026, 1, 1)));
  want.mutable_to()->set_seconds(ChinaMidnight(absl::CivilDay(2026, 4, 1)));
  want.set_breakdown(v1::BREAKDOWN_OFFICE);
  EXPECT_TRUE(MessageDifferencer::Equals(*req, want))
      << req->ShortDebugString();
}

TEST(StatsRequestTest, OneDayIsItsTwentyFourHours) {
  absl::StatusOr<v1::GetIndicatorsRequest> req = StatsRequestOf(
      Flags({"stats", "--office", "140431:labour", "--from", "2026-02-17",
             "--to", "2026-02-17", "--by", "level"}),
      MidMay());
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->scope().office_code(), "140431:labour");
  EXPECT_EQ(req->breakdown(), v1::BREAKDOWN_LEVEL);
  EXPECT_EQ(time::FromProto(req->to()) - time::FromProto(req->from()),
            absl::Hours(24));
}

// The documented defaults: the current month so far (`to` unset: the
// service's clock now); --to alone starts at the first of its month.
TEST(StatsRequestTest, DefaultPeriodIsTheMonthSoFar) {
  absl::StatusOr<v1::GetIndicatorsRequest> req =
      StatsRequestOf(Flags({"stats"}), MidMay());
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->from().seconds(), ChinaMidnight(absl::CivilDay(2026, 5, 1)));
  EXPECT_FALSE(req->has_to());
  EXPECT_EQ(req->breakdown(), v1::BREAKDOWN_NONE);
  EXPECT_EQ(req->scope().ByteSizeLong(), 0u);

  // 2026-04-30T16:30Z is already 2026-05-01 in China: May, not April.
  req =
      StatsRequestOf(Flags({"stats"}),
                     absl::FromCivil(absl::CivilSecond(2026, 4, 30, 16, 30, 0),
                                     absl::UTCTimeZone()));
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->from().seconds(), ChinaMidnight(absl::CivilDay(2026, 5, 1)));

  req = StatsRequestOf(Flags({"stats", "--to", "2026-02-10"}), MidMay());
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->from().seconds(), ChinaMidnight(absl::CivilDay(2026, 2, 1)));
  EXPECT_EQ(req->to().seconds(), ChinaMidnight(absl::CivilDay(2026, 2, 11)));

  req = StatsRequestOf(Flags({"stats", "--from", "2025-12-01"}), MidMay());
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->from().seconds(), ChinaMidnight(absl::CivilDay(2025, 12, 1)));
  EXPECT_FALSE(req->has_to());
}

TEST(StatsRequestTest, BadFlagsAreUsageErrorsNamingTheFlag) {
  struct Row {
    std::vector<std::string> args;
    std::string message;
  };
  const Row rows[] = {
      // IndicatorScope: an office, or a region subtree and a level.
      {{"stats", "--office", "140431:labour", "--region", "140431"},
       "--office is one office; it does not go with --region"},
      {{"stats", "--office", "140431:labour", "--level", "county"},
       "--office is one office; it does not go with --level"},
      {{"stats", "--office", "140431"},
       "--office must be an office code such as 140431:labour; got '140431'"},
      {{"stats", "--region", "14"},
       "--region must be a region code of 6 or 9 digits such as 140431; got "
       "'14'"},
      {{"stats", "--level", "village"},
       "--level must be one of province, city, county or township; got "
       "'village'"},
      {{"stats", "--from", "2026/05/01"},
       "--from must be a date YYYY-MM-DD; got '2026/05/01'"},
      {{"stats", "--to", "May"}, "--to must be a date YYYY-MM-DD; got 'May'"},
      {{"stats", "--from", "2026-05-02", "--to", "2026-05-01"},
       "--to 2026-05-01 is before --from 2026-05-02"},
      {{"stats", "--by", "region"},
       "--by must be office or level; got 'region'"},
  };
  for (const Row& row : rows) {
    auto req = StatsRequestOf(Flags(row.args), MidMay());
    EXPECT_EQ(req.status().code(), absl::StatusCode::kInvalidArgument)
        << row.message;
    EXPECT_EQ(req.status().message(), row.message);
  }
}

}  // namespace
}  // namespace caserelay::casectl
