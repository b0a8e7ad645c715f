#include "services/accounts/login_limits.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace caserelay::accounts {
namespace {

bool Within(absl::Duration d) {
  return d >= absl::Seconds(1) && d <= absl::Hours(24);
}

}  // namespace

absl::Status CheckLockRule(const LockRule& rule, const char* prefix) {
  if (rule.max_failures < 1 || rule.max_failures > 10000) {
    return absl::InvalidArgumentError(
        absl::StrCat("config: ", prefix, "_max_failures ", rule.max_failures,
                     " is outside [1, 10000]"));
  }
  if (!Within(rule.window)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config: ", prefix, "_window ", absl::FormatDuration(rule.window),
        " is outside [1s, 24h]"));
  }
  if (!Within(rule.lock)) {
    return absl::InvalidArgumentError(
        absl::StrCat("config: ", prefix, "_lock ",
                     absl::FormatDuration(rule.lock), " is outside [1s, 24h]"));
  }
  return absl::OkStatus();
}

std::optional<absl::Time> LockedUntil(const std::optional<FailureCount>& c,
                                      absl::Time now) {
  if (!c.has_value() || !c->locked_until.has_value()) return std::nullopt;
  if (now >= *c->locked_until) return std::nullopt;
  return c->locked_until;
}

FailureCount AfterFailure(const LockRule& rule,
                          const std::optional<FailureCount>& c,
                          absl::Time now) {
  const bool fresh = !c.has_value() || now - c->last_failure >= rule.window ||
                     (c->locked_until.has_value() && now >= *c->locked_until);
  FailureCount next;
  next.failures = fresh ? 1 : c->failures + 1;
  next.last_failure = now;
  if (next.failures >= rule.max_failures) next.locked_until = now + rule.lock;
  return next;
}

absl::Time ForgottenAt(const LockRule& rule, const FailureCount& c) {
  const absl::Time quiet = c.last_failure + rule.window;
  return c.locked_until.has_value() ? std::max(quiet, *c.locked_until) : quiet;
}

int64_t RetryAfterSeconds(absl::Time until, absl::Time now) {
  const double s = std::ceil(absl::ToDoubleSeconds(until - now));
  return std::max<int64_t>(1, static_cast<int64_t>(s));
}

}  // namespace caserelay::accounts
