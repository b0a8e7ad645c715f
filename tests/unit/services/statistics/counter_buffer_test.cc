// WriteDelta over the counter buffer (services/statistics/counter_buffer.h,
// issue 20 item 1): many events' deltas added in one batch leave the
// counters exactly as one batch per event did, and a delta that cannot be
// read changes nothing (EventHandler::Apply: "check first, then write").

#include "services/statistics/counter_buffer.h"

#include <map>
#include <string>
#include <vector>

#include "caserelay/v1/statistics_index.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/statistics/statistics_service.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::statistics {
namespace {

// Every counter of the store: key -> dimension -> count.
CountsByKey AllCounters(const store::Store& store) {
  CountsByKey out;
  absl::Status s = store.Scan(
      kCountersFamily, "", "", [&](std::string_view k, std::string_view v) {
        caserelay::v1::StatisticsCounters c;
        EXPECT_TRUE(c.ParseFromString(std::string(v))) << k;
        for (const auto& [dim, n] : c.counts()) out[std::string(k)][dim] = n;
        return true;
      });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

struct Row {
  const char* name;  // the rule the row pins
  std::vector<CountsByKey> deltas;
};

std::vector<Row> Rows() {
  const std::string prov = CounterKey("r:140000", "y2026");
  const std::string all = CounterKey("r:", kAllBucket);
  const std::string county = CounterKey("o:140431:bureau", "d20261122");
  return {
      {"every case of a province adds to the same counters "
       "(contribution.h: each item under every scope it lies in)",
       {{{prov, {{"cases", 1}}}, {all, {{"of/140431:bureau", 1}}}},
        {{prov, {{"cases", 1}, {"ch/visit", 1}}},
         {all, {{"of/140431:bureau", 1}}}},
        {{prov, {{"cases", 1}}}, {all, {{"of/140100:bureau", 1}}}}}},
      {"a case moving out of a bucket takes its count out (Diff: old "
       "contribution out, new one in)",
       {{{county, {{"dl/1/open", 1}}}},
        {{county, {{"dl/1/open", -1}, {"dl/1/in", 1}}}}}},
      {"a counter whose every count is gone is deleted "
       "(WriteDelta: deleted when every count is zero)",
       {{{county, {{"cases", 1}}}, {prov, {{"cases", 1}}}},
        {{county, {{"cases", -1}}}}}},
  };
}

TEST(CounterBufferTest, OneBatchLeavesTheCountersAsOneBatchPerEvent) {
  for (const Row& row : Rows()) {
    SCOPED_TRACE(row.name);
    auto each = svctest::TestContext::Create(ColumnFamilies(),
                                             svctest::ChinaTime(2026, 11, 22, 10, 0));
    auto one = svctest::TestContext::Create(ColumnFamilies(),
                                            svctest::ChinaTime(2026, 11, 22, 10, 0));
    ASSERT_TRUE(each.ok() && one.ok());
    store::Store& each_store = (*each)->store();
    store::Store& one_store = (*one)->store();
    store::WriteBatch batch(&one_store);
    for (const CountsByKey& delta : row.deltas) {
      store::WriteBatch single(&each_store);
      ASSERT_TRUE(WriteDelta(delta, single).ok());
      ASSERT_TRUE(each_store.Commit(single).ok());
      ASSERT_TRUE(WriteDelta(delta, batch).ok());
    }
    ASSERT_TRUE(one_store.Commit(batch).ok());
    EXPECT_EQ(AllCounters(one_store), AllCounters(each_store));
    EXPECT_FALSE(AllCounters(one_store).empty());
  }
}

TEST(CounterBufferTest, ACounterThatDoesNotParseFailsTheDeltaAndChangesNothing) {
  auto t = svctest::TestContext::Create(ColumnFamilies(),
                                        svctest::ChinaTime(2026, 11, 22, 10, 0));
  ASSERT_TRUE(t.ok());
  store::Store& store = (*t)->store();
  const std::string good = CounterKey("o:140431:bureau", "y2026");
  const std::string bad = CounterKey("r:140000", "y2026");  // sorts after good
  store::WriteBatch setup(&store);
  setup.Put(kCountersFamily, bad, "\xff\xff not a message");
  ASSERT_TRUE(store.Commit(setup).ok());

  store::WriteBatch batch(&store);
  CountsByKey delta;
  delta[good]["cases"] = 1;
  delta[bad]["cases"] = 1;
  EXPECT_EQ(WriteDelta(delta, batch).code(), absl::StatusCode::kDataLoss);
  // The next event of the same batch still applies, alone.
  CountsByKey next;
  next[good]["cases"] = 2;
  ASSERT_TRUE(WriteDelta(next, batch).ok());
  ASSERT_TRUE(store.Commit(batch).ok());
  auto stored = store.Get(kCountersFamily, good);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  caserelay::v1::StatisticsCounters c;
  ASSERT_TRUE(c.ParseFromString(**stored));
  EXPECT_EQ(c.counts().at("cases"), 2);  // not 3: the failed delta added none
}

}  // namespace
}  // namespace caserelay::statistics
