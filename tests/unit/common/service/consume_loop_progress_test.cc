// The gauges a test waits on before it asserts that something did not
// happen (issue 22 item 9): how far a loop has applied its inputs, and the
// clock's time of its last committed Tick.

#include <string>

#include "absl/time/time.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/service/consume_loop_fixture.h"

namespace caserelay::service::testing {
namespace {

class ConsumeLoopProgressTest : public ConsumeLoopTest {
 protected:
  double Gauge(const std::string& name, const metrics::Labels& labels) {
    return registry_.GetGauge(name, "", labels).Value();
  }
  double InputNext(int32_t partition) {
    return Gauge("caserelay_loop_input_next_offset",
                 {{"loop", kLoop},
                  {"input", absl::StrCat(kTopic, "/", partition)}});
  }
  double TickClock() {
    return Gauge("caserelay_loop_tick_clock_seconds", {{"loop", kLoop}});
  }
};

TEST_F(ConsumeLoopProgressTest, InputNextOffsetIsSetOnceTheBatchIsCommitted) {
  struct Row {
    std::string rule;
    std::vector<kafka::Message> batch;
    double partition0, partition1;  // 0: never set
  };
  for (const Row& row : std::vector<Row>{
           {"22.9 applied inputs of each partition",
            {Event(0, "a0"), Event(1, "a1"), Event(0, "b0", 1)}, 2, 1},
           {"22.9 a dead letter counts as passed", {Event(2, "dead")}, 3, 1},
           {"22.9 a redelivery does not move it back", {Event(1, "a1")}, 3,
            1},
       }) {
    SCOPED_TRACE(row.rule);
    handler_.fail_ids = {"dead"};
    consumer_->AddBatch(row.batch);
    ASSERT_TRUE(loop_->RunOnce().ok());
    EXPECT_EQ(InputNext(0), row.partition0);
    EXPECT_EQ(InputNext(1), row.partition1);
  }
}

TEST_F(ConsumeLoopProgressTest, TickClockIsTheClockOfTheLastCommittedTick) {
  time::SimulatedClock clock(absl::FromUnixSeconds(1'780'000'000));
  ConsumeLoopOptions options;
  options.clock = &clock;
  CreateLoop(options);
  handler_.tick_writes = true;
  struct Row {
    std::string rule;
    absl::Duration advance;
    int failing_ticks;
    double expected;  // Unix seconds
  };
  for (const Row& row : std::vector<Row>{
           {"22.9 a committed Tick shows its clock", absl::ZeroDuration(), 0,
            1'780'000'000},
           {"22.9 the simulated clock, not the real one", absl::Hours(24), 0,
            1'780'086'400},
           {"22.9 a failed Tick shows nothing new", absl::Hours(1), 1,
            1'780'086'400},
       }) {
    SCOPED_TRACE(row.rule);
    clock.Advance(row.advance);
    handler_.FailTicks(row.failing_ticks);
    const uint64_t ticks = CounterValue("caserelay_loop_ticks_total");
    (void)loop_->RunOnce();
    EXPECT_EQ(TickClock(), row.expected);
    EXPECT_EQ(CounterValue("caserelay_loop_ticks_total"),
              ticks + (row.failing_ticks == 0 ? 1 : 0));
  }
}

}  // namespace
}  // namespace caserelay::service::testing
