#include "services/intake/lookup_limits.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace caserelay::intake {
namespace {

absl::Status OutOf(const char* name, absl::string_view value,
                   absl::string_view range) {
  return absl::InvalidArgumentError(
      absl::StrCat("config: lookup.", name, " ", value, " is outside ", range));
}

bool Within(absl::Duration d, absl::Duration lo, absl::Duration hi) {
  return d >= lo && d <= hi;
}

}  // namespace

absl::Status CheckLookupLimits(const LookupLimits& l) {
  if (l.max_failures < 1 || l.max_failures > 1000) {
    return OutOf("max_failures", absl::StrCat(l.max_failures), "[1, 1000]");
  }
  if (!Within(l.backoff_first, absl::Seconds(1), absl::Hours(1))) {
    return OutOf("backoff_first", absl::FormatDuration(l.backoff_first),
                 "[1s, 1h]");
  }
  if (!Within(l.backoff_max, l.backoff_first, absl::Hours(24))) {
    return OutOf("backoff_max", absl::FormatDuration(l.backoff_max),
                 "[lookup.backoff_first, 24h]");
  }
  if (!Within(l.quiet_period, l.backoff_max, absl::Hours(24 * 30))) {
    return OutOf("quiet_period", absl::FormatDuration(l.quiet_period),
                 "[lookup.backoff_max, 30d]");
  }
  if (l.address_burst < 1 || l.address_burst > 10000) {
    return OutOf("address_burst", absl::StrCat(l.address_burst), "[1, 10000]");
  }
  if (!Within(l.address_refill, absl::Seconds(1), absl::Hours(24))) {
    return OutOf("address_refill", absl::FormatDuration(l.address_refill),
                 "[1s, 24h]");
  }
  return absl::OkStatus();
}

absl::Duration CaseWait(const LookupLimits& limits, int64_t failures) {
  if (failures < limits.max_failures) return absl::ZeroDuration();
  absl::Duration wait = limits.backoff_first;
  // Doubling stops at the cap, so this never overflows.
  for (int64_t i = limits.max_failures; i < failures; ++i) {
    if (wait >= limits.backoff_max) break;
    wait *= 2;
  }
  return std::min(wait, limits.backoff_max);
}

absl::Time CaseForgottenAt(const LookupLimits& limits, const CaseFailures& c) {
  return c.last + limits.quiet_period;
}

bool CaseWaiting(const LookupLimits& limits,
                 const std::optional<CaseFailures>& c, absl::Time now) {
  if (!c.has_value() || now >= CaseForgottenAt(limits, *c)) return false;
  return now < c->last + CaseWait(limits, c->failures);
}

CaseFailures AfterCaseFailure(const LookupLimits& limits,
                              const std::optional<CaseFailures>& c,
                              absl::Time now) {
  if (!c.has_value() || now >= CaseForgottenAt(limits, *c)) {
    return CaseFailures{now, 1};
  }
  return CaseFailures{now, c->failures + 1};
}

bool BudgetFull(const std::optional<absl::Time>& debt_end, absl::Time now) {
  return !debt_end.has_value() || *debt_end <= now;
}

bool BudgetHasToken(const LookupLimits& limits,
                    const std::optional<absl::Time>& debt_end, absl::Time now) {
  if (BudgetFull(debt_end, now)) return true;
  return *debt_end - now <= (limits.address_burst - 1) * limits.address_refill;
}

absl::Time AfterAddressFailure(const LookupLimits& limits,
                               const std::optional<absl::Time>& debt_end,
                               absl::Time now, bool whole_budget) {
  if (whole_budget) return now + limits.address_burst * limits.address_refill;
  const absl::Time from =
      BudgetFull(debt_end, now) ? now : std::max(*debt_end, now);
  return from + limits.address_refill;
}

LookupVerdict Decide(const LookupLimits& limits,
                     const std::optional<CaseFailures>& c,
                     const std::optional<absl::Time>& debt_end,
                     absl::Time now) {
  if (!BudgetHasToken(limits, debt_end, now)) {
    return LookupVerdict::kAddressExhausted;
  }
  if (!CaseWaiting(limits, c, now)) return LookupVerdict::kCheck;
  return BudgetFull(debt_end, now) ? LookupVerdict::kCheckWholeBudget
                                   : LookupVerdict::kCaseWaiting;
}

}  // namespace caserelay::intake
