// casectl route's input: a Matter or a PreviewRouteRequest in protobuf JSON.
#include <sstream>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tools/casectl/verify_route.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;

TEST(RouteJsonTest, BareMatterIsWrappedInARequest) {
  auto req = PreviewRequestFromJson(R"({
      "regionCode": "140431100", "category": "labour",
      "matterClass": "MATTER_CLASS_CLAIM", "channel": "CHANNEL_VISIT",
      "accusedOffices": ["140431:housing"],
      "statutoryRoute": "STATUTORY_ROUTE_LITIGATION",
      "otherRegions": ["140430"]})");
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->matter().region_code(), "140431100");
  EXPECT_EQ(req->matter().category(), "labour");
  EXPECT_EQ(req->matter().matter_class(), v1::MATTER_CLASS_CLAIM);
  EXPECT_EQ(req->matter().channel(), v1::CHANNEL_VISIT);
  EXPECT_EQ(req->matter().accused_offices(0), "140431:housing");
  EXPECT_EQ(req->matter().statutory_route(), v1::STATUTORY_ROUTE_LITIGATION);
  EXPECT_EQ(req->matter().other_regions(0), "140430");
  EXPECT_TRUE(req->identity_key().empty());
}

TEST(RouteJsonTest, PreviewRouteRequestIsTakenAsIs) {
  auto req = PreviewRequestFromJson(
      R"({"matter": {"regionCode": "140431100"}, "identityKey": "k1"})");
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->matter().region_code(), "140431100");
  EXPECT_EQ(req->identity_key(), "k1");
}

TEST(RouteJsonTest, ProtoFieldNamesAreAcceptedToo) {
  auto req = PreviewRequestFromJson(
      R"({"matter": {"region_code": "140431"}, "identity_key": "k"})");
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->matter().region_code(), "140431");
  EXPECT_EQ(req->identity_key(), "k");
}

TEST(RouteJsonTest, GarbageIsAClearError) {
  struct Row {
    const char* json;
    const char* starts_with;  // the message's start
    const char* mentions;     // and something it must name
  };
  const Row rows[] = {
      {"this is not json", "not JSON: ", ""},
      {"", "not JSON: ", ""},
      {"[1, 2]", "not a JSON object", "Matter or a PreviewRouteRequest"},
      {R"("140431")", "not a JSON object", ""},
      {R"({"regionCode": "1", "colour": "red"})", "as a Matter: ", "colour"},
      {R"({"regionCode": 140431, "matterClass": "MATTER_CLASS_NOPE"})",
       "as a Matter: ", ""},
      {R"({"matter": {"regionCode": "1"}, "extra": 1})",
       "as a PreviewRouteRequest: ", "extra"},
      {R"({"identityKey": "k"})", "as a PreviewRouteRequest: ", "matter"},
      {"{}", "the matter is empty", "regionCode"},
      {R"({"matter": {}})", "the matter is empty", ""},
  };
  for (const Row& row : rows) {
    auto req = PreviewRequestFromJson(row.json);
    EXPECT_EQ(req.status().code(), absl::StatusCode::kInvalidArgument)
        << row.json;
    EXPECT_TRUE(absl::StartsWith(req.status().message(), row.starts_with))
        << row.json << " -> " << req.status().message();
    EXPECT_TRUE(absl::StrContains(req.status().message(), row.mentions))
        << row.json << " -> " << req.status().message();
  }
}

TEST(ReadInputTest, DashReadsTheGivenStream) {
  std::istringstream in(R"({"regionCode": "1"})");
  auto text = ReadInput("-", in);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, R"({"regionCode": "1"})");
}

TEST(ReadInputTest, MissingFileIsNotFoundNamingIt) {
  std::istringstream in;
  auto text = ReadInput("/nonexistent/casectl/matter.json", in);
  EXPECT_EQ(text.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(text.status().message(),
                                "/nonexistent/casectl/matter.json"));
}

}  // namespace
}  // namespace caserelay::casectl
