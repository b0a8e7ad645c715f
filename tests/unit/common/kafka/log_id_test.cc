// LogIdOf (common/kafka/cluster_id.h): the identity of the log offsets and
// confirmed events count in (issue 23 item 1), from a cluster id and the
// cluster's topics.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/kafka/cluster_id.h"
#include "gtest/gtest.h"

namespace caserelay::kafka {
namespace {

TEST(LogIdOfTest, ClusterIdWithTheMarkersNameWhenThereIsOne) {
  struct Row {
    const char* rule;
    std::string cluster;
    std::vector<std::string> topics;
    absl::StatusCode code;
    std::string want;
  };
  const Row rows[] = {
      {"Apache Kafka as deployed: no marker, the cluster id alone (ids "
       "stored before markers existed stay valid)",
       "q1Sh-9_ISia_zwGINzRvyQ", {"petitions", "case-events"},
       absl::StatusCode::kOk, "q1Sh-9_ISia_zwGINzRvyQ"},
      {"devbroker: the cluster id repeats under ASan, the marker names "
       "this start's log",
       "mockCluster186800000da0",
       {"petitions", "__caserelay.log.0123456789abcdef0123456789abcdef"},
       absl::StatusCode::kOk,
       "mockCluster186800000da0/0123456789abcdef0123456789abcdef"},
      {"the prefix alone names nothing", "c1", {"__caserelay.log."},
       absl::StatusCode::kOk, "c1"},
      {"a look-alike is not a marker", "c1",
       {"__caserelay.logs.x", "caserelay.log.y"}, absl::StatusCode::kOk,
       "c1"},
      {"two markers: which log is meant cannot be told", "c1",
       {"__caserelay.log.b", "__caserelay.log.a"},
       absl::StatusCode::kFailedPrecondition, ""},
      {"no cluster id: unknown, never an empty id", "",
       {"__caserelay.log.a"}, absl::StatusCode::kUnavailable, ""},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    absl::StatusOr<std::string> id = LogIdOf(row.cluster, row.topics);
    EXPECT_EQ(id.status().code(), row.code) << id.status();
    if (id.ok()) {
      EXPECT_EQ(*id, row.want);
    }
  }
}

TEST(LogIdOfTest, TwoMarkersAreNamedInTheError) {
  absl::StatusOr<std::string> id =
      LogIdOf("c1", {"__caserelay.log.b", "__caserelay.log.a"});
  EXPECT_EQ(id.status().message(),
            "the cluster has 2 log marker topics (__caserelay.log.a, "
            "__caserelay.log.b); keep exactly one, or none");
}

}  // namespace
}  // namespace caserelay::kafka
