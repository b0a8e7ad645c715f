// Waiting for a service to have got past a point before asserting that
// something did not happen there (issue 22 item 9): a sleep passes when the
// service is merely slow; these wait on what the service itself reports on
// /metrics (common/service/consume_loop.h, caserelay_outbox_pending).
//
// Thread safety: stateless functions; not for concurrent use with the same
// System from several threads (System is not thread-safe).

#ifndef CASERELAY_TESTS_INTEGRATION_PROGRESS_H_
#define CASERELAY_TESTS_INTEGRATION_PROGRESS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {

// The end offset (high watermark) of each partition of `topic` now.
// UNAVAILABLE naming the partition when the broker does not answer.
absl::StatusOr<std::map<int32_t, int64_t>> EndOffsets(
    const System& sys, const std::string& topic);

// Waits until `service`'s consume loop has applied and committed every
// record `topic` holds at the call (caserelay_loop_input_next_offset of
// each non-empty partition at or past its end offset). DEADLINE_EXCEEDED
// naming the partition behind after `timeout`; EndOffsets' errors.
absl::Status AwaitInputsApplied(const System& sys, const std::string& service,
                                const std::string& topic,
                                absl::Duration timeout = absl::Seconds(30));

// Waits until every consume loop of `service` has committed a Tick that
// began at clock time `t` or later (caserelay_loop_tick_clock_seconds):
// every timer due by `t` has been handled. DEADLINE_EXCEEDED after
// `timeout`.
absl::Status AwaitTickAt(const System& sys, const std::string& service,
                         absl::Time t,
                         absl::Duration timeout = absl::Seconds(30));

// Waits until every consume loop of `service` has committed a Tick more
// than when called (caserelay_loop_ticks_total): that Tick began after every
// input its loop showed as applied at the call. DEADLINE_EXCEEDED after
// `timeout`.
absl::Status AwaitNextTick(const System& sys, const std::string& service,
                           absl::Duration timeout = absl::Seconds(30));

// Waits until `service` has no event waiting in its outbox
// (caserelay_outbox_pending is 0): what it produced is in Kafka.
// DEADLINE_EXCEEDED after `timeout`.
absl::Status AwaitOutboxEmpty(const System& sys, const std::string& service,
                              absl::Duration timeout = absl::Seconds(30));

// Waits until `services` (started ones, by name) have done all they will
// do with the clock at `t` and the inputs they have: each has committed a
// Tick at `t` or later and has an empty outbox, and each has applied every
// record of the topics it consumes (intake, supervision, notification:
// case-events; routing: petitions, supervision-events); repeated until a
// round adds no record to those topics. The first error.
absl::Status AwaitCaughtUp(const System& sys,
                          const std::vector<std::string>& services,
                          absl::Time t,
                          absl::Duration timeout = absl::Seconds(60));

// AwaitCaughtUp for the four services (all of System::kServices started).
absl::Status AwaitCaughtUp(const System& sys, absl::Time t,
                          absl::Duration timeout = absl::Seconds(60));

}  // namespace caserelay::testing

#endif  // CASERELAY_TESTS_INTEGRATION_PROGRESS_H_
