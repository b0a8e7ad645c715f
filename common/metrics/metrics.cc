#include "common/metrics/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace caserelay::metrics {
namespace {

[[noreturn]] void Die(std::string_view name, const std::string& why) {
  std::fprintf(stderr, "caserelay::metrics: programming error: %.*s: %s\n",
               static_cast<int>(name.size()), name.data(), why.c_str());
  std::fflush(stderr);
  std::abort();
}

bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsValidMetricName(std::string_view name) {
  if (name.empty() || IsDigit(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return IsAlpha(c) || IsDigit(c) || c == '_' || c == ':';
  });
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty() || IsDigit(name[0])) return false;
  if (name.substr(0, 2) == "__") return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return IsAlpha(c) || IsDigit(c) || c == '_';
  });
}

void AtomicAdd(std::atomic<double>& target, double delta) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + delta,
                                       std::memory_order_relaxed)) {
  }
}

// Checks and normalises histogram bounds (drops a trailing +Inf).
std::vector<double> CheckedBounds(std::string_view name,
                                  std::vector<double> bounds) {
  if (!bounds.empty() && std::isinf(bounds.back()) && bounds.back() > 0) {
    bounds.pop_back();
  }
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i])) Die(name, "bucket bound is not finite");
    if (i > 0 && !(bounds[i - 1] < bounds[i])) {
      Die(name, "bucket bounds are not strictly increasing");
    }
  }
  return bounds;
}

void AppendEscaped(std::string& out, std::string_view text, bool quotes) {
  for (char c : text) {
    if (c == '\\') {
      out.append("\\\\");
    } else if (c == '\n') {
      out.append("\\n");
    } else if (quotes && c == '"') {
      out.append("\\\"");
    } else {
      out.push_back(c);
    }
  }
}

// `{a="x",b="y"}` with an optional trailing le label; "" for no labels.
std::string LabelText(const Labels& labels, const std::string* le = nullptr) {
  if (labels.empty() && le == nullptr) return "";
  std::string out = "{";
  bool first = true;
  auto add = [&](const std::string& name, const std::string& value) {
    if (!first) out.push_back(',');
    first = false;
    out.append(name);
    out.append("=\"");
    AppendEscaped(out, value, /*quotes=*/true);
    out.push_back('"');
  };
  for (const auto& [name, value] : labels) add(name, value);
  if (le != nullptr) add("le", *le);
  out.push_back('}');
  return out;
}

void AppendSample(std::string& out, std::string_view name,
                  std::string_view suffix, const std::string& labels,
                  const std::string& value) {
  out.append(name);
  out.append(suffix);
  out.append(labels);
  out.push_back(' ');
  out.append(value);
  out.push_back('\n');
}

}  // namespace

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buf[32];
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(buf, sizeof(buf), "%.0f", value);
    if (std::strcmp(buf, "-0") == 0) return "0";
    return buf;
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, value);
    if (std::strtod(buf, nullptr) == value) break;
  }
  return buf;
}

void Gauge::Add(double delta) { AtomicAdd(value_, delta); }

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0);
}

void Histogram::Observe(double value) {
  const size_t bucket =
      std::isnan(value)
          ? bounds_.size()
          : std::lower_bound(bounds_.begin(), bounds_.end(), value) -
                bounds_.begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, value);
}

std::vector<uint64_t> Histogram::CumulativeCounts() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    total += counts_[i].load(std::memory_order_relaxed);
    out[i] = total;
  }
  return out;
}

Registry::Family& Registry::FamilyFor(std::string_view name,
                                      std::string_view help, Kind kind,
                                      const Labels& labels) {
  if (!IsValidMetricName(name)) Die(name, "invalid metric name");
  for (const auto& [label, unused] : labels) {
    if (!IsValidLabelName(label)) Die(name, "invalid label name " + label);
    if (kind == Kind::kHistogram && label == "le") {
      Die(name, "histograms may not use the label le");
    }
  }
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{}).first;
    it->second.kind = kind;
    it->second.help = std::string(help);
  } else if (it->second.kind != kind) {
    Die(name, "metric name already used by a metric of another type");
  }
  return it->second;
}

Counter& Registry::GetCounter(std::string_view name, std::string_view help,
                              const Labels& labels) {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<Counter>& slot =
      FamilyFor(name, help, Kind::kCounter, labels).counters[labels];
  if (slot == nullptr) slot.reset(new Counter());
  return *slot;
}

Gauge& Registry::GetGauge(std::string_view name, std::string_view help,
                          const Labels& labels) {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<Gauge>& slot =
      FamilyFor(name, help, Kind::kGauge, labels).gauges[labels];
  if (slot == nullptr) slot.reset(new Gauge());
  return *slot;
}

Histogram& Registry::GetHistogram(std::string_view name, std::string_view help,
                                  const std::vector<double>& buckets,
                                  const Labels& labels) {
  std::vector<double> bounds = CheckedBounds(name, buckets);
  absl::MutexLock lock(&mu_);
  const bool is_new = families_.find(name) == families_.end();
  Family& family = FamilyFor(name, help, Kind::kHistogram, labels);
  if (is_new) {
    family.bounds = bounds;
  } else if (family.bounds != bounds) {
    Die(name, "histogram buckets differ from the first registration");
  }
  std::unique_ptr<Histogram>& slot = family.histograms[labels];
  if (slot == nullptr) slot.reset(new Histogram(std::move(bounds)));
  return *slot;
}

std::string Registry::Render() const {
  absl::MutexLock lock(&mu_);
  std::string out;
  for (const auto& [name, family] : families_) {
    out.append("# HELP ");
    out.append(name);
    out.push_back(' ');
    AppendEscaped(out, family.help, /*quotes=*/false);
    out.append("\n# TYPE ");
    out.append(name);
    switch (family.kind) {
      case Kind::kCounter:
        out.append(" counter\n");
        for (const auto& [labels, counter] : family.counters) {
          AppendSample(out, name, "", LabelText(labels),
                       std::to_string(counter->Value()));
        }
        break;
      case Kind::kGauge:
        out.append(" gauge\n");
        for (const auto& [labels, gauge] : family.gauges) {
          AppendSample(out, name, "", LabelText(labels),
                       FormatValue(gauge->Value()));
        }
        break;
      case Kind::kHistogram:
        out.append(" histogram\n");
        for (const auto& [labels, histogram] : family.histograms) {
          const std::vector<uint64_t> counts = histogram->CumulativeCounts();
          const std::vector<double>& bounds = histogram->bounds();
          for (size_t i = 0; i < counts.size(); ++i) {
            const std::string le =
                i < bounds.size() ? FormatValue(bounds[i]) : "+Inf";
            AppendSample(out, name, "_bucket", LabelText(labels, &le),
                         std::to_string(counts[i]));
          }
          AppendSample(out, name, "_sum", LabelText(labels),
                       FormatValue(histogram->Sum()));
          AppendSample(out, name, "_count", LabelText(labels),
                       std::to_string(counts.back()));
        }
        break;
    }
  }
  return out;
}

}  // namespace caserelay::metrics
