#include "services/intake/lookup_throttle.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace caserelay::intake {
namespace {

std::string Encode(absl::Time start, int64_t failures) {
  return absl::StrCat(
      store::EncodeUint64(static_cast<uint64_t>(absl::ToUnixMicros(start))),
      store::EncodeUint64(static_cast<uint64_t>(failures)));
}

}  // namespace

LookupThrottle::LookupThrottle(store::Store* store, const time::Clock* clock,
                               LookupLimits limits)
    : store_(store), clock_(clock), limits_(limits) {}

absl::StatusOr<std::optional<LookupThrottle::Window>> LookupThrottle::Load(
    std::string_view case_number) const {
  auto raw = store_->Get(kLookupFailures, case_number);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::nullopt;
  const std::string& v = **raw;
  if (v.size() != 16) {
    return absl::DataLossError(
        absl::StrCat("intake: corrupt lookup-failures record of ",
                     std::string(case_number)));
  }
  Window w;
  w.start = absl::FromUnixMicros(static_cast<int64_t>(
      store::DecodeUint64(std::string_view(v).substr(0, 8))));
  w.failures =
      static_cast<int64_t>(store::DecodeUint64(std::string_view(v).substr(8)));
  return w;
}

absl::Status LookupThrottle::Sweep(absl::Time now, store::WriteBatch& batch) {
  last_sweep_ = now;
  std::vector<std::string> ended;
  absl::Status s = store_->Scan(
      kLookupFailures, "", "", [&](std::string_view k, std::string_view v) {
        if (v.size() != 16 || absl::FromUnixMicros(static_cast<int64_t>(
                                  store::DecodeUint64(v.substr(0, 8)))) +
                                      limits_.failure_window <=
                                  now) {
          ended.emplace_back(k);
        }
        return true;
      });
  if (!s.ok()) return s;
  for (const std::string& k : ended) batch.Delete(kLookupFailures, k);
  return absl::OkStatus();
}

absl::Status LookupThrottle::Attempt(
    std::string_view case_number,
    const std::function<absl::StatusOr<bool>()>& check) {
  absl::MutexLock lock(&mu_);
  absl::Time now = clock_->Now();
  auto window = Load(case_number);
  if (!window.ok()) return window.status();
  bool open =
      window->has_value() && now < (*window)->start + limits_.failure_window;
  if (open && (*window)->failures >= limits_.max_failures) {
    return absl::ResourceExhaustedError(
        "too many failed look-ups of this case number: try again later "
        "(lookup.max_failures within lookup.failure_window)");
  }
  auto matched = check();
  if (!matched.ok()) return matched.status();

  store::WriteBatch batch(store_);
  if (*matched) {
    if (!window->has_value()) return absl::OkStatus();
    batch.Delete(kLookupFailures, case_number);
  } else {
    Window next = open ? **window : Window{now, 0};
    ++next.failures;
    if (now >= last_sweep_ + limits_.failure_window) {
      if (absl::Status s = Sweep(now, batch); !s.ok()) return s;
    }
    batch.Put(kLookupFailures, case_number, Encode(next.start, next.failures));
  }
  auto committed = store_->Commit(batch);
  if (!committed.ok()) return committed.status();
  if (*matched) return absl::OkStatus();
  return absl::NotFoundError("no case with that number and look-up code");
}

}  // namespace caserelay::intake
