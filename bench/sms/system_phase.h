// bench_sms's measured part: notification's sender sending a backlog of
// receipt SMS through Kannel. Petitions are filed while notification is
// stopped; once routing has registered them all (each REGISTER queues one
// receipt), notification is restarted and the backlog is timed from the
// restart's return to the fake SMSC holding every message, then to every
// message DELIVERED.
//
// Thread safety: not thread-safe; one thread drives the system.

#ifndef CASERELAY_BENCH_SMS_SYSTEM_PHASE_H_
#define CASERELAY_BENCH_SMS_SYSTEM_PHASE_H_

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/pipeline/stats.h"
#include "bench/sms/direct.h"
#include "tests/integration/sms_steps.h"

namespace caserelay::bench {

// notification's counters at one instant of the backlog, and how many
// messages the fake SMSC had by then (from their received_at).
struct Sample {
  absl::Duration at;     // since the restart returned
  double consumed = 0;   // case-events applied (caserelay_events_applied_total)
  double taken = 0;      // parts Kannel took (caserelay_sms_parts_sent_total)
  double delivered = 0;  // type 1 delivery reports received
  double accepted = 0;   // type 8 (SMSC accepted) delivery reports received
  double in_flight = 0;  // parts SENDING (caserelay_sms_parts_in_flight)
  int received = 0;      // at the fake SMSC
};

// What notification's log says about the backlog (lines since the
// restart, at the log's millisecond resolution).
struct LogFigures {
  int sent = 0;  // "sms sent" lines
  absl::Time first_sent, last_sent;
  int warnings = 0;  // level=warn and level=error lines
  std::string first_warning;
};

struct SystemResult {
  absl::Duration filing;   // N SubmitPetition calls, one after the other
  absl::Duration routed;   // from the last filing until routing had them all
  absl::Duration restart;  // System::Restart("notification")
  // start = the restart returned.
  Arrivals arrivals;
  // From the restart returning until notification had applied every
  // case-event of the backlog, and until it had received every message's
  // type 1 delivery report (both read from /metrics every ~100 ms).
  absl::Duration consumed_all;
  absl::Duration reports_all;
  // Every message's state once settled (AwaitSettled).
  int delivered = 0;
  int not_delivered = 0;
  std::string not_delivered_example;
  std::vector<Sample> timeline;
  LogFigures log;
  // N GetCaseStatus calls to intake, one after the other, after the
  // phase: the weight of the sender's ResolveContact per message.
  LatencySummary intake_rtt;
  // notification's window (caserelay_sms_window) and the most parts seen
  // in flight at once in the timeline.
  int window = 0;
  int max_in_flight = 0;
  // Admin HTTP requests notification refused for want of room, answered
  // 503 or closed unanswered (caserelay_admin_http_refused_total, both
  // reasons): delivery reports smsbox had to send again (a second later,
  // http-queue-delay).
  int refused = 0;
};

struct SystemPhaseOptions {
  int messages = 0;
  absl::Duration timeout = absl::Minutes(10);
  std::function<void(const std::string&)> progress;
};

// Runs the phase on `s` (started by StartWithKannel with intake, routing
// and notification). `already` is how many messages the fake SMSC had
// received before. Errors: a petition not filed (INTERNAL), the system
// not getting there within options.timeout (DEADLINE_EXCEEDED, saying
// where it stood), the restart's errors; FAILED_PRECONDITION if the fake
// SMSC received more than N messages or a part of a long one.
absl::StatusOr<SystemResult> RunSystemPhase(testing::SmsSystem& s,
                                            size_t already,
                                            const SystemPhaseOptions& options);

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_SMS_SYSTEM_PHASE_H_
