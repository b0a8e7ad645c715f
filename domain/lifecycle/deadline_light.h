// The traffic light of a running deadline (红黄绿灯, issue 16; DOMAIN.md
// "Supervision": 灭红灯): green while it is far, yellow within the warning
// time before it falls due, red once due and not met. One function for
// supervision (which fires its yellow-light DeadlineWarning and its red
// light at these instants) and routing (which shows the light on every
// inbox item), and one setting for the warning time, read by both under
// the same name (kWarningBeforeSetting).
//
// Pure: no I/O. Thread safety: stateless functions.
#ifndef CASERELAY_DOMAIN_LIFECYCLE_DEADLINE_LIGHT_H_
#define CASERELAY_DOMAIN_LIFECYCLE_DEADLINE_LIGHT_H_

#include "absl/time/time.h"
#include "caserelay/v1/routing.pb.h"

namespace caserelay::lifecycle {

// The warning time's setting, the same name in supervision and routing
// (and so the same CASERELAY_SUPERVISION_WARNING_BEFORE in the
// environment), with its default: the yellow light this long before due;
// zero: no yellow light.
inline constexpr char kWarningBeforeSetting[] = "supervision.warning_before";
inline constexpr char kWarningBeforeDefault[] = "72h";

// The instant the light of a deadline due at `due` turns yellow:
// due - warning_before; absl::InfiniteFuture() when warning_before is not
// positive (no yellow light).
absl::Time YellowFrom(absl::Time due, absl::Duration warning_before);

// The light at `now` of a deadline due at `due`: RED from `due` on
// (due <= now), YELLOW from YellowFrom(due, warning_before) until then,
// GREEN before. Never DEADLINE_LIGHT_NONE (that is "no running deadline",
// for the caller to decide).
caserelay::v1::DeadlineLight LightOf(absl::Time due, absl::Time now,
                                     absl::Duration warning_before);

}  // namespace caserelay::lifecycle

#endif  // CASERELAY_DOMAIN_LIFECYCLE_DEADLINE_LIGHT_H_
