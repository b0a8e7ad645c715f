#include "services/intake/lookup_throttle.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace caserelay::intake {
namespace {

std::string EncodeTime(absl::Time t) {
  return store::EncodeUint64(static_cast<uint64_t>(absl::ToUnixMicros(t)));
}

absl::Time DecodeTime(std::string_view bytes) {
  return absl::FromUnixMicros(static_cast<int64_t>(store::DecodeUint64(bytes)));
}

// The index key of a record forgotten at `at`: 20 digits of µs, 0x1f, the
// record's key.
std::string IndexKey(absl::Time at, std::string_view key) {
  return absl::StrCat(absl::StrFormat("%020d", absl::ToUnixMicros(at)), "\x1f",
                      std::string(key));
}

constexpr size_t kIndexPrefix = 20 + 1;

}  // namespace

LookupThrottle::LookupThrottle(store::Store* store, const time::Clock* clock,
                               LookupLimits limits)
    : store_(store), clock_(clock), limits_(limits) {}

absl::Mutex& LookupThrottle::Stripe(absl::Mutex* stripes,
                                    std::string_view key) {
  return stripes[std::hash<std::string_view>()(key) % kLookupStripes];
}

absl::StatusOr<std::optional<CaseFailures>> LookupThrottle::LoadCase(
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
  CaseFailures c;
  c.last = DecodeTime(std::string_view(v).substr(0, 8));
  c.failures =
      static_cast<int64_t>(store::DecodeUint64(std::string_view(v).substr(8)));
  return c;
}

absl::StatusOr<std::optional<absl::Time>> LookupThrottle::LoadAddress(
    std::string_view address) const {
  auto raw = store_->Get(kLookupAddresses, address);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::nullopt;
  if ((*raw)->size() != 8) {
    return absl::DataLossError(absl::StrCat(
        "intake: corrupt lookup-addresses record of ", std::string(address)));
  }
  return DecodeTime(**raw);
}

void LookupThrottle::SweepCases(absl::Time now) {
  std::vector<std::string> ended;
  absl::Status s = store_->Scan(
      kLookupWindows, "", IndexKey(now + absl::Microseconds(1), ""),
      [&](std::string_view k, std::string_view) {
        ended.emplace_back(k);
        return static_cast<int>(ended.size()) < kLookupSweepBatch;
      });
  for (size_t i = 0; s.ok() && i < ended.size(); ++i) {
    const std::string& index_key = ended[i];
    const std::string case_number = index_key.substr(kIndexPrefix);
    absl::MutexLock lock(&Stripe(case_stripes_, case_number));
    store::WriteBatch batch(store_);
    auto c = LoadCase(case_number);
    if (absl::IsDataLoss(c.status()) ||
        (c.ok() && c->has_value() && CaseForgottenAt(limits_, **c) <= now)) {
      batch.Delete(kLookupFailures, case_number);
    } else if (!c.ok()) {
      break;  // the store failed: the next sweep tries again
    } else if (c->has_value()) {
      // Failed again since (it has an entry of its own), or an entry of an
      // older store keyed otherwise: keep it findable.
      batch.Put(kLookupWindows,
                IndexKey(CaseForgottenAt(limits_, **c), case_number), "");
    }
    batch.Delete(kLookupWindows, index_key);
    s = store_->Commit(batch).status();
  }
}

void LookupThrottle::SweepAddresses(absl::Time now) {
  std::vector<std::string> ended;
  absl::Status s = store_->Scan(
      kLookupAddressEnds, "", IndexKey(now + absl::Microseconds(1), ""),
      [&](std::string_view k, std::string_view) {
        ended.emplace_back(k);
        return static_cast<int>(ended.size()) < kLookupSweepBatch;
      });
  for (size_t i = 0; s.ok() && i < ended.size(); ++i) {
    const std::string& index_key = ended[i];
    const std::string address = index_key.substr(kIndexPrefix);
    absl::MutexLock lock(&Stripe(address_stripes_, address));
    store::WriteBatch batch(store_);
    auto d = LoadAddress(address);
    if (absl::IsDataLoss(d.status()) ||
        (d.ok() && d->has_value() && **d <= now)) {
      batch.Delete(kLookupAddresses, address);
    } else if (!d.ok()) {
      break;
    } else if (d->has_value()) {
      batch.Put(kLookupAddressEnds, IndexKey(**d, address), "");
    }
    batch.Delete(kLookupAddressEnds, index_key);
    s = store_->Commit(batch).status();
  }
}

void LookupThrottle::Sweep(absl::Time now) {
  if (!sweep_mu_.TryLock()) return;  // another sweep is on it
  SweepCases(now);
  SweepAddresses(now);
  sweep_mu_.Unlock();
}

absl::Status LookupThrottle::Attempt(
    std::string_view case_number, std::string_view address,
    const std::function<absl::StatusOr<bool>()>& check) {
  const absl::Time now = clock_->Now();
  {
    absl::MutexLock case_lock(&Stripe(case_stripes_, case_number));
    absl::MutexLock address_lock(&Stripe(address_stripes_, address));
    auto c = LoadCase(case_number);
    if (!c.ok()) return c.status();
    auto d = LoadAddress(address);
    if (!d.ok()) return d.status();
    const LookupVerdict verdict = Decide(limits_, *c, *d, now);
    if (verdict == LookupVerdict::kAddressExhausted ||
        verdict == LookupVerdict::kCaseWaiting) {
      return absl::ResourceExhaustedError(
          "look-up refused: the client's budget (lookup.address_*) is spent "
          "or the case number waits (lookup.backoff_*)");
    }
    auto matched = check();
    if (!matched.ok()) return matched.status();

    store::WriteBatch batch(store_);
    if (c->has_value()) {
      batch.Delete(kLookupWindows,
                   IndexKey(CaseForgottenAt(limits_, **c), case_number));
    }
    if (*matched) {
      if (!c->has_value()) return absl::OkStatus();
      batch.Delete(kLookupFailures, case_number);
    } else {
      const CaseFailures next = AfterCaseFailure(limits_, *c, now);
      batch.Put(kLookupFailures, case_number,
                absl::StrCat(
                    EncodeTime(next.last),
                    store::EncodeUint64(static_cast<uint64_t>(next.failures))));
      batch.Put(kLookupWindows,
                IndexKey(CaseForgottenAt(limits_, next), case_number), "");
      const absl::Time debt_end = AfterAddressFailure(
          limits_, *d, now, verdict == LookupVerdict::kCheckWholeBudget);
      if (d->has_value()) {
        batch.Delete(kLookupAddressEnds, IndexKey(**d, address));
      }
      batch.Put(kLookupAddresses, address, EncodeTime(debt_end));
      batch.Put(kLookupAddressEnds, IndexKey(debt_end, address), "");
    }
    auto committed = store_->Commit(batch);
    if (!committed.ok()) return committed.status();
    if (*matched) return absl::OkStatus();
  }
  Sweep(now);
  return absl::NotFoundError("no case with that number and look-up code");
}

}  // namespace caserelay::intake
