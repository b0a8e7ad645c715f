#include "services/intake/lookup_throttle.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace caserelay::intake {
namespace {

std::string Encode(absl::Time start, int64_t failures) {
  return absl::StrCat(
      store::EncodeUint64(static_cast<uint64_t>(absl::ToUnixMicros(start))),
      store::EncodeUint64(static_cast<uint64_t>(failures)));
}

// The index key of a window opened at `start`: 20 digits of µs, 0x1f,
// the case number.
std::string WindowKey(absl::Time start, std::string_view case_number) {
  return absl::StrCat(absl::StrFormat("%020d", absl::ToUnixMicros(start)),
                      "\x1f", std::string(case_number));
}

}  // namespace

LookupThrottle::LookupThrottle(store::Store* store, const time::Clock* clock,
                               LookupLimits limits)
    : store_(store), clock_(clock), limits_(limits) {}

absl::Mutex& LookupThrottle::Stripe(std::string_view case_number) {
  return stripes_[std::hash<std::string_view>()(case_number) % kLookupStripes];
}

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

void LookupThrottle::Sweep(absl::Time now) {
  if (!sweep_mu_.TryLock()) return;  // another sweep is on it
  // Windows opened at or before now - failure_window have ended.
  const std::string end =
      WindowKey(now - limits_.failure_window + absl::Microseconds(1), "");
  std::vector<std::string> ended;
  absl::Status s = store_->Scan(
      kLookupWindows, "", end, [&](std::string_view k, std::string_view) {
        ended.emplace_back(k);
        return static_cast<int>(ended.size()) < kLookupSweepBatch;
      });
  for (size_t i = 0; s.ok() && i < ended.size(); ++i) {
    const std::string& index_key = ended[i];
    const std::string case_number = index_key.substr(20 + 1);
    absl::MutexLock lock(&Stripe(case_number));
    store::WriteBatch batch(store_);
    auto window = Load(case_number);
    // A window opened again since has an index entry of its own: only the
    // ended one goes (and a record that does not parse).
    if (absl::IsDataLoss(window.status()) ||
        (window.ok() && window->has_value() &&
         (*window)->start + limits_.failure_window <= now)) {
      batch.Delete(kLookupFailures, case_number);
    } else if (!window.ok()) {
      break;  // the store failed: the next sweep tries again
    }
    batch.Delete(kLookupWindows, index_key);
    s = store_->Commit(batch).status();
  }
  sweep_mu_.Unlock();
}

absl::Status LookupThrottle::Attempt(
    std::string_view case_number,
    const std::function<absl::StatusOr<bool>()>& check) {
  const absl::Time now = clock_->Now();
  {
    absl::MutexLock lock(&Stripe(case_number));
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
      if (!open) batch.Put(kLookupWindows, WindowKey(now, case_number), "");
      batch.Put(kLookupFailures, case_number,
                Encode(next.start, next.failures));
    }
    auto committed = store_->Commit(batch);
    if (!committed.ok()) return committed.status();
    if (*matched) return absl::OkStatus();
  }
  Sweep(now);
  return absl::NotFoundError("no case with that number and look-up code");
}

}  // namespace caserelay::intake
