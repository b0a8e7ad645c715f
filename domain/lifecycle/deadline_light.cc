#include "domain/lifecycle/deadline_light.h"

namespace caserelay::lifecycle {

absl::Time YellowFrom(absl::Time due, absl::Duration warning_before) {
  if (warning_before <= absl::ZeroDuration()) return absl::InfiniteFuture();
  return due - warning_before;
}

caserelay::v1::DeadlineLight LightOf(absl::Time due, absl::Time now,
                                     absl::Duration warning_before) {
  if (due <= now) return caserelay::v1::DEADLINE_LIGHT_RED;
  if (YellowFrom(due, warning_before) <= now) {
    return caserelay::v1::DEADLINE_LIGHT_YELLOW;
  }
  return caserelay::v1::DEADLINE_LIGHT_GREEN;
}

}  // namespace caserelay::lifecycle
