// Tests of common/kafka/wait_for_topics.h against the in-process mock.

#include "common/kafka/wait_for_topics.h"

#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/kafka/mock_cluster.h"

namespace caserelay::kafka {
namespace {

using ::caserelay::kafka::testing::MockCluster;
using ::testing::HasSubstr;

TEST(WaitForTopicsTest, ReturnsOkWhenEveryTopicExists) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic("petitions", 2), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(cluster.CreateTopic("case-events", 2), RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_TRUE(WaitForTopics(cluster.bootstrap(), {"petitions", "case-events"},
                            absl::Seconds(10))
                  .ok());
}

TEST(WaitForTopicsTest, WaitsForATopicCreatedLater) {
  MockCluster cluster(1);
  std::thread creator([&cluster] {
    absl::SleepFor(absl::Milliseconds(300));
    cluster.CreateTopic("petitions", 1);
  });
  const absl::Status s =
      WaitForTopics(cluster.bootstrap(), {"petitions"}, absl::Seconds(10));
  creator.join();
  EXPECT_TRUE(s.ok()) << s;
}

TEST(WaitForTopicsTest, MissingTopicIsUnavailableNamingBootstrapAndTopic) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic("petitions", 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  const absl::Status s =
      WaitForTopics(cluster.bootstrap(), {"petitions", "supervision-events"},
                    absl::Milliseconds(500));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr(cluster.bootstrap()));
  EXPECT_THAT(s.message(), HasSubstr("supervision-events"));
  EXPECT_THAT(s.message(), ::testing::Not(HasSubstr("petitions,")));
}

TEST(WaitForTopicsTest, NoBrokerIsUnavailableNamingBootstrap) {
  MockCluster cluster(1);
  ASSERT_EQ(cluster.SetBrokerDown(1), RD_KAFKA_RESP_ERR_NO_ERROR);
  const absl::Status s = WaitForTopics(cluster.bootstrap(), {"petitions"},
                                       absl::Milliseconds(500));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr(cluster.bootstrap()));
}

TEST(WaitForTopicsTest, RejectsEmptyBootstrapAndIllegalTopic) {
  EXPECT_EQ(WaitForTopics("", {"petitions"}, absl::Seconds(1)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(WaitForTopics("127.0.0.1:1", {"a b"}, absl::Seconds(1)).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caserelay::kafka
