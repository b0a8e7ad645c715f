// Service metrics (监控指标) in the Prometheus text exposition format 0.0.4,
// served on each service's admin port at /metrics.
//
// A Registry owns metric families (one name, one HELP text, one type) and,
// within each family, one child per distinct label set. Get*() returns the
// child for (name, labels), creating it on first use; the reference stays
// valid for the Registry's life, so hot paths look a metric up once and then
// only touch atomics:
//
//   metrics::Counter& accepted = registry.GetCounter(
//       "caserelay_petitions_accepted_total", "Petitions accepted.",
//       {{"channel", "online"}});
//   accepted.Increment();
//
// Names must match [a-zA-Z_:][a-zA-Z0-9_:]*, label names
// [a-zA-Z_][a-zA-Z0-9_]* and not start with "__"; histograms may not use the
// label "le". These are literals in the code, so a violation is a
// programming error: Get*() prints one line to stderr and aborts, as it does
// when a name is reused with another type or other histogram buckets.

#ifndef CASERELAY_COMMON_METRICS_METRICS_H_
#define CASERELAY_COMMON_METRICS_METRICS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace caserelay::metrics {

// Label name -> value. Values are any UTF-8 text; they are escaped on output.
using Labels = std::map<std::string, std::string>;

// The Content-Type of Registry::Render()'s output.
inline constexpr char kContentType[] =
    "text/plain; version=0.0.4; charset=utf-8";

// A monotonically increasing count. Thread-safe and lock-free.
class Counter {
 public:
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;

  // Adds `n` (default 1).
  void Increment(uint64_t n = 1) {
    value_.fetch_add(n, std::memory_order_relaxed);
  }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  friend class Registry;
  Counter() = default;

  std::atomic<uint64_t> value_{0};
};

// A value that goes up and down. Thread-safe and lock-free.
class Gauge {
 public:
  Gauge(const Gauge&) = delete;
  Gauge& operator=(const Gauge&) = delete;

  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  // Adds `delta` (may be negative) atomically.
  void Add(double delta);
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  friend class Registry;
  Gauge() = default;

  std::atomic<double> value_{0};
};

// Counts observations into buckets with inclusive upper bounds (le), plus
// their sum. Thread-safe and lock-free. A snapshot taken while other threads
// observe may show a sum that lags the counts by those observations.
class Histogram {
 public:
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  // Records `value` in the first bucket whose bound is >= value, or in the
  // +Inf bucket (also for NaN, which makes the sum NaN).
  void Observe(double value);

  // The finite upper bounds, strictly increasing.
  const std::vector<double>& bounds() const { return bounds_; }
  // Cumulative counts per bound, then the +Inf bucket (== the count);
  // size bounds().size() + 1.
  std::vector<uint64_t> CumulativeCounts() const;
  double Sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  friend class Registry;
  explicit Histogram(std::vector<double> bounds);

  const std::vector<double> bounds_;
  // Non-cumulative, bounds_.size() + 1 entries (the last is +Inf).
  const std::unique_ptr<std::atomic<uint64_t>[]> counts_;
  std::atomic<double> sum_{0};
};

// Owns all metrics of a process (or of a test).
//
// Thread safety: thread-safe. Get*() and Render() take an internal mutex;
// updating a returned metric does not.
class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Returns the counter `name` with `labels`, created at 0 on first use. The
  // reference is valid for the Registry's life. `help` is recorded on the
  // family's first use; later calls may pass the same or any text (ignored).
  // REQUIRES (checked, aborts): valid name and label names; `name` not used
  // by a gauge or histogram.
  Counter& GetCounter(std::string_view name, std::string_view help,
                      const Labels& labels = {});

  // As GetCounter, for a gauge created at 0.
  Gauge& GetGauge(std::string_view name, std::string_view help,
                  const Labels& labels = {});

  // As GetCounter, for a histogram with the given finite upper bounds
  // (strictly increasing; a trailing +Inf is allowed and dropped; the +Inf
  // bucket is always added). REQUIRES (checked, aborts): the bounds are
  // valid and equal to those of earlier calls for `name`; no label "le".
  Histogram& GetHistogram(std::string_view name, std::string_view help,
                          const std::vector<double>& buckets,
                          const Labels& labels = {});

  // Every family in name order, children in label order, as Prometheus text
  // format 0.0.4 (content type kContentType): "# HELP" and "# TYPE" lines,
  // then one sample line per child; histograms as <name>_bucket{...,le="b"}
  // cumulative lines ending with le="+Inf", then <name>_sum and
  // <name>_count. Label values escape '\', '"' and newline; HELP escapes '\'
  // and newline.
  std::string Render() const;

 private:
  enum class Kind { kCounter, kGauge, kHistogram };
  struct Family {
    Kind kind;
    std::string help;
    std::vector<double> bounds;  // Histograms only.
    std::map<Labels, std::unique_ptr<Counter>> counters;
    std::map<Labels, std::unique_ptr<Gauge>> gauges;
    std::map<Labels, std::unique_ptr<Histogram>> histograms;
  };

  // Finds or creates the family, checking names and kind.
  Family& FamilyFor(std::string_view name, std::string_view help, Kind kind,
                    const Labels& labels) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, Family, std::less<>> families_ ABSL_GUARDED_BY(mu_);
};

// Formats a sample value as Prometheus does: "+Inf", "-Inf", "NaN", an
// integer without exponent when integral and below 1e15 in magnitude, else
// the shortest text that reads back as the same double.
std::string FormatValue(double value);

}  // namespace caserelay::metrics

#endif  // CASERELAY_COMMON_METRICS_METRICS_H_
