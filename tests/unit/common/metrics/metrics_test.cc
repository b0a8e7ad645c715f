#include "common/metrics/metrics.h"

#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::metrics {
namespace {

TEST(RegistryTest, RendersCounterWithHelpAndType) {
  Registry registry;
  registry.GetCounter("caserelay_petitions_total", "Petitions accepted.")
      .Increment(3);
  EXPECT_EQ(registry.Render(),
            "# HELP caserelay_petitions_total Petitions accepted.\n"
            "# TYPE caserelay_petitions_total counter\n"
            "caserelay_petitions_total 3\n");
}

TEST(RegistryTest, SameNameAndLabelsReturnSameMetric) {
  Registry registry;
  Counter& a = registry.GetCounter("c", "h", {{"channel", "online"}});
  Counter& b = registry.GetCounter("c", "other help", {{"channel", "online"}});
  EXPECT_EQ(&a, &b);
  a.Increment();
  b.Increment();
  EXPECT_EQ(a.Value(), 2u);
}

TEST(RegistryTest, LabelSetsAreSeparateChildrenInLabelOrder) {
  Registry registry;
  registry.GetCounter("c", "h", {{"channel", "visit"}}).Increment(2);
  registry.GetCounter("c", "h", {{"channel", "letter"}, {"level", "county"}});
  registry.GetCounter("c", "h", {{"channel", "letter"}}).Increment();
  EXPECT_EQ(registry.Render(),
            "# HELP c h\n"
            "# TYPE c counter\n"
            "c{channel=\"letter\"} 1\n"
            "c{channel=\"letter\",level=\"county\"} 0\n"
            "c{channel=\"visit\"} 2\n");
}

TEST(RegistryTest, EscapesLabelValuesAndHelp) {
  Registry registry;
  registry.GetGauge("g", "line1\nback\\slash \"quoted\"",
                    {{"office", "县\"信访局\"\\n\nx"}});
  EXPECT_EQ(registry.Render(),
            "# HELP g line1\\nback\\\\slash \"quoted\"\n"
            "# TYPE g gauge\n"
            "g{office=\"县\\\"信访局\\\"\\\\n\\nx\"} 0\n");
}

TEST(RegistryTest, RendersFamiliesInNameOrder) {
  Registry registry;
  registry.GetGauge("b_gauge", "B").Set(1);
  registry.GetCounter("a_counter", "A");
  EXPECT_EQ(registry.Render(),
            "# HELP a_counter A\n# TYPE a_counter counter\na_counter 0\n"
            "# HELP b_gauge B\n# TYPE b_gauge gauge\nb_gauge 1\n");
}

TEST(GaugeTest, SetAndAddAcceptNegativeAndFractionalValues) {
  Registry registry;
  Gauge& g = registry.GetGauge("caserelay_outbox_entries", "Outbox size.");
  g.Set(10);
  g.Add(-2.5);
  EXPECT_EQ(g.Value(), 7.5);
  EXPECT_EQ(registry.Render(),
            "# HELP caserelay_outbox_entries Outbox size.\n"
            "# TYPE caserelay_outbox_entries gauge\n"
            "caserelay_outbox_entries 7.5\n");
}

TEST(HistogramTest, RendersCumulativeBucketsSumAndCount) {
  Registry registry;
  Histogram& h = registry.GetHistogram("caserelay_send_seconds", "SMS send.",
                                       {0.005, 0.5, 1, 2.5});
  for (double v : {0.0, 0.5, 0.75, 1.0, 3.0}) h.Observe(v);
  EXPECT_EQ(registry.Render(),
            "# HELP caserelay_send_seconds SMS send.\n"
            "# TYPE caserelay_send_seconds histogram\n"
            "caserelay_send_seconds_bucket{le=\"0.005\"} 1\n"
            "caserelay_send_seconds_bucket{le=\"0.5\"} 2\n"
            "caserelay_send_seconds_bucket{le=\"1\"} 4\n"
            "caserelay_send_seconds_bucket{le=\"2.5\"} 4\n"
            "caserelay_send_seconds_bucket{le=\"+Inf\"} 5\n"
            "caserelay_send_seconds_sum 5.25\n"
            "caserelay_send_seconds_count 5\n");
}

TEST(HistogramTest, LeComesAfterOtherLabels) {
  Registry registry;
  registry.GetHistogram("h", "H", {1}, {{"service", "intake"}}).Observe(2);
  EXPECT_EQ(registry.Render(),
            "# HELP h H\n# TYPE h histogram\n"
            "h_bucket{service=\"intake\",le=\"1\"} 0\n"
            "h_bucket{service=\"intake\",le=\"+Inf\"} 1\n"
            "h_sum{service=\"intake\"} 2\n"
            "h_count{service=\"intake\"} 1\n");
}

TEST(HistogramTest, TrailingInfinityBoundIsDropped) {
  Registry registry;
  Histogram& h = registry.GetHistogram(
      "h", "H", {1, 2, std::numeric_limits<double>::infinity()});
  EXPECT_EQ(h.bounds(), (std::vector<double>{1, 2}));
  EXPECT_EQ(&registry.GetHistogram("h", "H", {1, 2}), &h);
}

TEST(HistogramTest, NanLandsInInfBucket) {
  Registry registry;
  Histogram& h = registry.GetHistogram("h", "H", {1});
  h.Observe(std::nan(""));
  EXPECT_EQ(h.CumulativeCounts(), (std::vector<uint64_t>{0, 1}));
  EXPECT_TRUE(std::isnan(h.Sum()));
}

TEST(FormatValueTest, FormatsLikePrometheus) {
  const std::vector<std::pair<double, std::string>> rows = {
      {0, "0"},
      {-0.0, "0"},
      {1, "1"},
      {-2, "-2"},
      {0.5, "0.5"},
      {0.1, "0.1"},
      {1.0 / 3, "0.3333333333333333"},
      {123456789012345, "123456789012345"},
      {1e15, "1e+15"},
      {1.5e-7, "1.5e-07"},
      {std::numeric_limits<double>::infinity(), "+Inf"},
      {-std::numeric_limits<double>::infinity(), "-Inf"},
      {std::nan(""), "NaN"},
  };
  for (const auto& [value, want] : rows) {
    EXPECT_EQ(FormatValue(value), want) << want;
  }
}

TEST(RegistryTest, ConcurrentUpdatesAreNotLost) {
  constexpr int kThreads = 8;
  constexpr int kUpdates = 20000;
  Registry registry;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&registry] {
      Counter& c = registry.GetCounter("c", "h", {{"k", "v"}});
      Gauge& g = registry.GetGauge("g", "h");
      Histogram& h = registry.GetHistogram("h", "h", {0.5});
      for (int i = 0; i < kUpdates; ++i) {
        c.Increment();
        g.Add(1);
        h.Observe(1);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(registry.GetCounter("c", "h", {{"k", "v"}}).Value(),
            uint64_t{kThreads * kUpdates});
  EXPECT_EQ(registry.GetGauge("g", "h").Value(), kThreads * kUpdates);
  Histogram& h = registry.GetHistogram("h", "h", {0.5});
  EXPECT_EQ(h.CumulativeCounts().back(), uint64_t{kThreads * kUpdates});
  EXPECT_EQ(h.Sum(), kThreads * kUpdates);
}

TEST(RegistryDeathTest, NameReusedWithAnotherTypeAborts) {
  Registry registry;
  registry.GetCounter("x", "h");
  EXPECT_DEATH(registry.GetGauge("x", "h"), "x: metric name already used");
}

TEST(RegistryDeathTest, InvalidNamesAbort) {
  Registry registry;
  EXPECT_DEATH(registry.GetCounter("1abc", "h"), "invalid metric name");
  EXPECT_DEATH(registry.GetCounter("a-b", "h"), "invalid metric name");
  EXPECT_DEATH(registry.GetCounter("c", "h", {{"bad-label", "v"}}),
               "invalid label name bad-label");
  EXPECT_DEATH(registry.GetCounter("c", "h", {{"__reserved", "v"}}),
               "invalid label name __reserved");
  EXPECT_DEATH(registry.GetHistogram("h", "h", {1}, {{"le", "1"}}),
               "histograms may not use the label le");
}

TEST(RegistryDeathTest, BadOrChangedBucketsAbort) {
  Registry registry;
  EXPECT_DEATH(registry.GetHistogram("h", "h", {2, 1}),
               "not strictly increasing");
  EXPECT_DEATH(registry.GetHistogram("h", "h", {1, 1}),
               "not strictly increasing");
  EXPECT_DEATH(registry.GetHistogram("h", "h", {std::nan("")}), "not finite");
  registry.GetHistogram("h", "h", {1, 2});
  EXPECT_DEATH(registry.GetHistogram("h", "h", {1, 3}),
               "buckets differ from the first registration");
}

}  // namespace
}  // namespace caserelay::metrics
