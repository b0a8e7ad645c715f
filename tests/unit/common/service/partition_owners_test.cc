// Issue 19 item 4 (the team's contract, item 5): who holds each partition.
// OwnersMap's rules table-driven, then PartitionOwners instances sharing an
// in-memory owners topic (FakeOwnersLog).

#include "common/service/partition_owners.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "caserelay/v1/cluster.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/service/fake_owners_log.h"

namespace caserelay::service {
namespace {

using ::caserelay::service::testing::FakeOwnersLog;
using ::caserelay::service::testing::FakeOwnersTopic;
using ::testing::ElementsAre;

std::string Record(const std::string& instance, const std::string& address,
                   uint64_t epoch, bool released = false) {
  caserelay::v1::PartitionOwner r;
  r.set_instance_id(instance);
  r.set_grpc_address(address);
  r.set_epoch(epoch);
  r.set_released(released);
  return r.SerializeAsString();
}

// "local", "remote <address>" or "unavailable".
std::string Where(const OwnersMap& map, int32_t p) {
  absl::StatusOr<Owner> owner = map.Of(p);
  if (!owner.ok()) {
    return owner.status().code() == absl::StatusCode::kUnavailable
               ? "unavailable"
               : "error " + owner.status().ToString();
  }
  return owner->local() ? "local" : "remote " + owner->address;
}

struct Applied {
  std::string key;
  std::string value;
};

TEST(OwnersMapTest, RecordsDecideWhereAPartitionsCallsGo) {
  struct Row {
    const char* rule;  // the contract's item 5 / partition_owners.h
    std::vector<Applied> records;
    bool held_here;
    std::string want;
  };
  const std::vector<Row> rows = {
      {"no record: nobody known, the caller retries (UNAVAILABLE)", {}, false,
       "unavailable"},
      {"a hold names the owner's address",
       {{"3", Record("b", "10.0.0.2:7003", 1)}}, false,
       "remote 10.0.0.2:7003"},
      {"held here: local, whatever the topic says (the loop's word)",
       {{"3", Record("b", "10.0.0.2:7003", 1)}}, true, "local"},
      {"a release by the owner: moving",
       {{"3", Record("b", "10.0.0.2:7003", 1)},
        {"3", Record("b", "10.0.0.2:7003", 1, true)}},
       false, "unavailable"},
      {"the new owner's hold, then the old owner's late release: still the "
       "new owner (a release counts only from the instance named)",
       {{"3", Record("b", "10.0.0.2:7003", 1)},
        {"3", Record("c", "10.0.0.3:7003", 2)},
        {"3", Record("b", "10.0.0.2:7003", 1, true)}},
       false, "remote 10.0.0.3:7003"},
      {"a lower epoch is old news",
       {{"3", Record("c", "10.0.0.3:7003", 5)},
        {"3", Record("b", "10.0.0.2:7003", 4)}},
       false, "remote 10.0.0.3:7003"},
      {"a record naming this instance (from before a restart) is not local",
       {{"3", Record("me", "10.0.0.1:7003", 1)}}, false, "unavailable"},
      {"our own later hold supersedes another's older one",
       {{"3", Record("b", "10.0.0.2:7003", 1)},
        {"3", Record("me", "10.0.0.1:7003", 2)}},
       false, "unavailable"},
  };
  for (const Row& row : rows) {
    OwnersMap map("me", "10.0.0.1:7003", 8);
    for (const Applied& a : row.records) {
      EXPECT_TRUE(map.Apply(a.key, a.value).ok()) << row.rule;
    }
    map.SetLocal(3, row.held_here);
    EXPECT_EQ(Where(map, 3), row.want) << row.rule;
  }
}

TEST(OwnersMapTest, MalformedRecordsAreRefusedAndChangeNothing) {
  // Contract item 5: the key is the partition number, the value a
  // PartitionOwner.
  struct Row {
    const char* why;
    std::string key;
    std::string value;
  };
  const std::vector<Row> rows = {
      {"key not a number", "x", Record("b", "h:1", 1)},
      {"partition out of range", "8", Record("b", "h:1", 1)},
      {"negative partition", "-1", Record("b", "h:1", 1)},
      {"value not a PartitionOwner", "2", std::string("\xff\xff\xff", 3)},
  };
  for (const Row& row : rows) {
    OwnersMap map("me", "h:0", 8);
    absl::Status s = map.Apply(row.key, row.value);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << row.why;
    EXPECT_EQ(map.known(), 0u) << row.why;
  }
  OwnersMap map("me", "h:0", 8);
  EXPECT_EQ(map.Of(8).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(OwnersMapTest, InstancesListsEachOwnerOnceOwnAddressFirst) {
  // Contract item 5: scatter-gather queries ask every distinct owner once.
  OwnersMap map("me", "h:1", 8);
  ASSERT_TRUE(map.Apply("0", Record("c", "h:3", 1)).ok());
  ASSERT_TRUE(map.Apply("1", Record("b", "h:2", 1)).ok());
  ASSERT_TRUE(map.Apply("2", Record("c", "h:3", 1)).ok());
  EXPECT_THAT(map.Instances(), ElementsAre("h:2", "h:3"));
  map.SetLocal(5, true);
  EXPECT_THAT(map.Instances(), ElementsAre("h:1", "h:2", "h:3"));
}

// Waits until `owners` answers `want` for partition `p` (Where's format).
std::string WaitFor(const PartitionOwners& owners, int32_t p,
                    const std::string& want) {
  std::string got;
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  do {
    absl::StatusOr<Owner> o = owners.Of(p);
    got = !o.ok() ? "unavailable"
                  : (o->local() ? "local" : "remote " + o->address);
    if (got == want) break;
    absl::SleepFor(absl::Milliseconds(5));
  } while (absl::Now() < deadline);
  return got;
}

std::unique_ptr<PartitionOwners> Instance(
    const std::string& id, const std::string& address,
    const std::shared_ptr<FakeOwnersTopic>& topic, metrics::Registry* m) {
  PartitionOwnersOptions options;
  options.service = "supervision";
  options.instance_id = id;
  options.grpc_address = address;
  options.partitions = 8;
  auto owners = PartitionOwners::Create(
      options, std::make_unique<FakeOwnersLog>(topic), m);
  EXPECT_TRUE(owners.ok()) << owners.status();
  return owners.ok() ? *std::move(owners) : nullptr;
}

TEST(PartitionOwnersTest, InstancesLearnEachOthersHoldsAndReleases) {
  // Contract item 5: every instance publishes on hold/release and reads
  // the topic whole.
  auto topic = std::make_shared<FakeOwnersTopic>();
  metrics::Registry ma, mb;
  auto a = Instance("a", "h:1", topic, &ma);
  auto b = Instance("b", "h:2", topic, &mb);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(WaitFor(*a, 3, "unavailable"), "unavailable");

  absl::StatusOr<uint64_t> epoch = b->Held(3);
  ASSERT_TRUE(epoch.ok()) << epoch.status();
  EXPECT_EQ(*epoch, 1u);
  EXPECT_EQ(WaitFor(*b, 3, "local"), "local");
  EXPECT_EQ(WaitFor(*a, 3, "remote h:2"), "remote h:2");

  // The partition moves from b to a: b releases, a holds with a higher
  // epoch.
  ASSERT_TRUE(b->Released(3).ok());
  EXPECT_EQ(WaitFor(*a, 3, "unavailable"), "unavailable");
  epoch = a->Held(3);
  ASSERT_TRUE(epoch.ok());
  EXPECT_EQ(*epoch, 2u);
  EXPECT_EQ(WaitFor(*b, 3, "remote h:1"), "remote h:1");
  EXPECT_EQ(WaitFor(*a, 3, "local"), "local");
}

TEST(PartitionOwnersTest, HoldsBeforeTheAddressIsKnownArePublishedByAdvertise) {
  // The harness binds port 0: the advertised address is known only after
  // the loop holds partitions.
  auto topic = std::make_shared<FakeOwnersTopic>();
  metrics::Registry ma, mb;
  auto a = Instance("a", "", topic, &ma);
  auto b = Instance("b", "h:2", topic, &mb);
  ASSERT_TRUE(a->Held(1).ok());
  EXPECT_EQ(topic->size(), 0u);
  EXPECT_EQ(WaitFor(*a, 1, "local"), "local");
  ASSERT_TRUE(a->Advertise("h:1").ok());
  EXPECT_EQ(topic->size(), 1u);
  EXPECT_EQ(WaitFor(*b, 1, "remote h:1"), "remote h:1");
}

TEST(PartitionOwnersTest, AFailedPublishStillHoldsLocallyAndSaysSo) {
  // partition_owners.h Held: local even when publishing fails.
  auto topic = std::make_shared<FakeOwnersTopic>();
  metrics::Registry m;
  auto a = Instance("a", "h:1", topic, &m);
  topic->set_fail_appends(true);
  absl::StatusOr<uint64_t> held = a->Held(2);
  EXPECT_EQ(held.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(WaitFor(*a, 2, "local"), "local");
}

}  // namespace
}  // namespace caserelay::service
