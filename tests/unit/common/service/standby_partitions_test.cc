// Issue 19 item 3 (store.standby_replicas): which partitions an instance
// keeps warm (partitioned_main.h StandbyPartitions).

#include <cstdint>
#include <vector>

#include "common/service/partitioned_main.h"
#include "gtest/gtest.h"

namespace caserelay::service {
namespace {

TEST(StandbyPartitionsTest, TheNextPartitionsAfterEachHeldOneThatAreNotHeld) {
  struct Row {
    const char* rule;  // partitioned_main.h / the contract's item 4
    std::vector<int32_t> held;
    int32_t partitions;
    int64_t replicas;
    std::vector<int32_t> want;
  };
  const std::vector<Row> rows = {
      {"no standby replicas: nothing warm", {0, 1}, 8, 0, {}},
      {"one replica: the next partition of each", {0, 4}, 8, 1, {1, 5}},
      {"wraps around the last partition", {7}, 8, 1, {0}},
      {"a held partition is never warmed", {0, 1}, 8, 1, {2}},
      {"two replicas, overlapping ranges counted once", {0, 1}, 8, 2, {2, 3}},
      {"more replicas than partitions: every one not held", {2}, 4, 9,
       {0, 1, 3}},
      {"holding nothing: nothing warm", {}, 8, 1, {}},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(StandbyPartitions(row.held, row.partitions, row.replicas),
              row.want)
        << row.rule;
  }
}

}  // namespace
}  // namespace caserelay::service
