// The applied-through signal (common/service/applied_through.h; issue 17
// task 3: statistics issues a bulletin only once its index has applied
// case-events through the end of the period): a probe at clock time T asks
// the broker for its partitions' ends, and T is established once the
// committed positions reach them with nothing held.
#include "common/service/applied_through.h"

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"

namespace caserelay::service {
namespace {

using Ends = std::map<std::pair<std::string, int32_t>, int64_t>;

// A consumer whose only part used here is EndOffsets.
class EndsConsumer final : public kafka::Consumer {
 public:
  absl::StatusOr<std::vector<kafka::Message>> Poll(int,
                                                   absl::Duration) override {
    return std::vector<kafka::Message>{};
  }
  std::vector<std::pair<std::string, int32_t>> Assignment() override {
    return {};
  }
  void Close() override {}
  absl::StatusOr<Ends> EndOffsets(absl::Duration) override { return ends; }

  absl::StatusOr<Ends> ends = Ends{};
};

absl::Time At(int hour) {
  return absl::FromCivil(absl::CivilSecond(2026, 3, 9, hour, 0, 0),
                         absl::UTCTimeZone());
}

TEST(AppliedThroughTest, EstablishedOnlyOnceEveryPartitionReachedItsEnd) {
  struct Step {
    const char* rule;  // applied_through.h
    absl::StatusOr<Ends> ends;   // the broker's answer to a new probe
    std::map<int32_t, int64_t> positions;  // committed, case-events/<p>
    bool nothing_held;
    absl::Time clock;
    absl::Time want;
  };
  const Step steps[] = {
      {"no partition assigned yet: no probe, nothing established", Ends{},
       {}, true, At(1), absl::InfinitePast()},
      {"the broker does not answer: nothing established",
       absl::UnavailableError("broker down"), {}, true, At(2),
       absl::InfinitePast()},
      {"probe at 03:00, ends 5 and 0 (empty); position 4: behind",
       Ends{{{"case-events", 0}, 5}, {{"case-events", 1}, 0}},
       {{0, 4}}, true, At(3), absl::InfinitePast()},
      {"position 5 but an event held for a sequence gap: not applied",
       Ends{}, {{0, 5}}, false, At(4), absl::InfinitePast()},
      {"nothing held: the 03:00 probe is established (not 05:00)", Ends{},
       {{0, 5}}, true, At(5), At(3)},
      {"a new probe at 06:00, end 9; position 5: still 03:00",
       Ends{{{"case-events", 0}, 9}}, {{0, 5}}, true, At(6), At(3)},
      {"position 9: 06:00", Ends{}, {{0, 9}}, true, At(7), At(6)},
  };
  time::SimulatedClock clock(At(0));
  metrics::Registry registry;
  metrics::Gauge& gauge = registry.GetGauge("g", "g", {});
  AppliedThroughProbe probe(absl::ZeroDuration(), &clock, &gauge);
  EndsConsumer consumer;
  for (const Step& step : steps) {
    clock.Set(step.clock);
    consumer.ends = step.ends;
    probe.Round(
        consumer,
        [&](const std::string& topic,
            int32_t partition) -> absl::StatusOr<std::optional<int64_t>> {
          EXPECT_EQ(topic, "case-events");
          auto it = step.positions.find(partition);
          if (it == step.positions.end()) return std::nullopt;
          return it->second;
        },
        step.nothing_held);
    EXPECT_EQ(probe.AppliedThrough(), step.want) << step.rule;
  }
  EXPECT_EQ(gauge.Value(), absl::ToDoubleSeconds(At(6) - absl::UnixEpoch()));

  LoopProgress progress;
  EXPECT_EQ(progress.AppliedThrough("case-events"), absl::InfinitePast());
  progress.Add("case-events", probe);
  EXPECT_EQ(progress.AppliedThrough("case-events"), At(6));
  EXPECT_EQ(progress.AppliedThrough("petitions"), absl::InfinitePast());
}

}  // namespace
}  // namespace caserelay::service
